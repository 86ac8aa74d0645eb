//! "What would this do?" before the click: the paths of a channel that a
//! routing choice would open or close, and its dry / wet / parallel
//! balance before and after — worked out from the gains alone, so it can
//! be shown while the pointer rests on a choice.
//!
//! ```text
//!  hover "Bass → Drum Bus":  + Bass → Drum Bus → Master   (dry, −6.0 dB)
//!                            − Bass → Master              (dry, −3.0 dB)
//!                            dry 100 % → dry 100 %
//! ```
//! The balance adds the energy of every open path by its combined gain,
//! taking each return's effects as passing energy unchanged: a guide to the
//! direction and size of a change. What the meters then show is measured.

use super::audibility::hearing;
use super::loops::{Loop, loop_of_edit};
use super::parts::Part;
use super::paths::SignalPath;
use super::stops::Listen;
use crate::session::{Edit, Session};

/// Energies per part (index with `Part::index`), relative to the source.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Shares {
    pub energy: [f32; 4],
}

impl Shares {
    /// The energy of every path, by its combined gain, added per part.
    pub fn of<'a>(paths: impl IntoIterator<Item = &'a SignalPath>) -> Self {
        let mut energy = [0.0; 4];
        for p in paths {
            if let Some(db) = p.gain.db() {
                energy[p.part.index()] += 10f32.powf(db / 10.0);
            }
        }
        Shares { energy }
    }

    /// A part's share of what reaches the master (dry + wet + parallel),
    /// `None` when nothing does.
    pub fn share(&self, part: Part) -> Option<f32> {
        let master: f32 = self.energy[..3].iter().sum();
        (master > 0.0 && part != Part::Device).then(|| self.energy[part.index()] / master)
    }

    /// "dry 80 % · wet 20 %" (parts that are there), or "not at the master".
    pub fn text(&self) -> String {
        let parts: Vec<String> = [Part::Dry, Part::Wet, Part::Parallel]
            .into_iter()
            .filter_map(|p| {
                let share = self.share(p)?;
                (share > 0.0005).then(|| format!("{} {:.0} %", p.label(), share * 100.0))
            })
            .collect();
        if parts.is_empty() {
            "not at the master".to_owned()
        } else {
            parts.join(" · ")
        }
    }
}

/// What a routing choice would do to one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub channel: String,
    /// Open paths the choice adds.
    pub appear: Vec<SignalPath>,
    /// Open paths it closes.
    pub disappear: Vec<SignalPath>,
    pub before: Shares,
    pub after: Shares,
    /// The loop it would make: the session would refuse it.
    pub refused: Option<Loop>,
    /// Any other reason the session would refuse it.
    pub error: Option<String>,
}

fn same(a: &SignalPath, b: &SignalPath) -> bool {
    a.channels == b.channels && a.hops == b.hops && a.sink == b.sink
}

/// What `edit` would do to channel `channel`'s paths and balance.
pub fn preview(s: &Session, channel: &str, edit: &Edit, cx: &Listen) -> Preview {
    let open = |s: &Session| -> Vec<SignalPath> {
        hearing(s, channel, cx)
            .map(|h| h.open().cloned().collect())
            .unwrap_or_default()
    };
    let before = open(s);
    let mut p = Preview {
        channel: channel.to_owned(),
        appear: Vec::new(),
        disappear: Vec::new(),
        before: Shares::of(&before),
        after: Shares::of(&before),
        refused: loop_of_edit(s, edit),
        error: None,
    };
    if p.refused.is_some() {
        return p;
    }
    let mut trial = s.clone();
    if let Err(e) = edit.clone().apply(&mut trial) {
        p.error = Some(e.to_string());
        return p;
    }
    let after = open(&trial);
    p.appear = after
        .iter()
        .filter(|a| !before.iter().any(|b| same(a, b)))
        .cloned()
        .collect();
    p.disappear = before
        .iter()
        .filter(|b| !after.iter().any(|a| same(a, b)))
        .cloned()
        .collect();
    p.after = Shares::of(&after);
    p
}
