//! "Why is this silent?" that never lies: every path the channel's signal
//! can take to an output, every place along them where it stops (with the
//! one edit that reopens it), and every path it still gets through.
//!
//! ```text
//!  Snare ─out─► Drum Bus (MUTED) ─► Master        stop: Drum Bus is muted → unmute
//!    └─send─► Crush ─► Master                     heard (parallel)
//!    └─send─► Delay ─► Master                     heard (wet)
//!  verdict: heard — not silent
//! ```
//! Mute (own, a VCA's, implied by solo) stops a channel's output and all of
//! its sends, pre-fader ones too; a fader or a VCA at −inf stops its output
//! and post-fader sends only (a pre-fader send is tapped before them). Live
//! meter levels, when given, tell an open path that carries signal right now
//! from one that carries nothing (a source that has ended).

use super::paths::{Hop, SignalPath, Sink, name_of, outputs_text, signal_paths};
use super::solo::implied_mutes;
use super::stops::{
    Fix, Listen, Stop, StopKind, channel_stops, dead_end_stop, dead_ends, master_id, send_stop,
    signal_note, stop,
};
use crate::session::{ChannelKind, Edit, Session};

/// Whether the channel is heard, all things considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At least one path is open (and carries signal, when meters say).
    Heard,
    /// Paths are open but nothing plays on them right now.
    Quiet,
    /// Every path is stopped, or there is none.
    Silent,
}

/// The whole answer for one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Hearing {
    pub channel: String,
    pub paths: Vec<SignalPath>,
    /// Per path: the indices in `stops` that stop it (empty: open).
    pub blocked: Vec<Vec<usize>>,
    pub stops: Vec<Stop>,
    pub verdict: Verdict,
    /// The channel's own meter level (dB), when meters were given.
    pub level_db: Option<f32>,
}

impl Hearing {
    /// The paths the signal still gets through.
    pub fn open(&self) -> impl Iterator<Item = &SignalPath> {
        self.paths
            .iter()
            .zip(&self.blocked)
            .filter(|(_, b)| b.is_empty())
            .map(|(p, _)| p)
    }
}

/// Reasons over every path of channel `id`; `None` if there is no such channel.
pub fn hearing(s: &Session, id: &str, cx: &Listen) -> Option<Hearing> {
    let c = s.channel(id)?;
    let paths = signal_paths(s, id, cx.mono);
    let solo = implied_mutes(s);
    let mut stops: Vec<Stop> = Vec::new();
    let mut blocked = vec![Vec::new(); paths.len()];
    let mut add = |stop: Stop, path: Option<usize>, blocked: &mut Vec<Vec<usize>>| {
        let k = match stops
            .iter()
            .position(|x| x.at == stop.at && x.kind == stop.kind)
        {
            Some(k) => k,
            None => {
                stops.push(stop);
                stops.len() - 1
            }
        };
        if let Some(p) = path {
            if !stops[k].paths.contains(&p) {
                stops[k].paths.push(p);
            }
            if !blocked[p].contains(&k) {
                blocked[p].push(k);
            }
        }
    };
    if cx.offline.iter().any(|o| o == id) {
        let file = c.source.as_deref().unwrap_or("?");
        let stop = stop(
            id,
            StopKind::Offline,
            format!("its audio file cannot be played ({file})"),
            None,
        );
        for p in 0..paths.len() {
            add(stop.clone(), Some(p), &mut blocked);
        }
        if paths.is_empty() {
            add(stop, None, &mut blocked);
        }
    }
    for (p, path) in paths.iter().enumerate() {
        for (k, at) in path.channels.iter().enumerate() {
            let leaving = path.hops.get(k).copied().unwrap_or(Hop::Output);
            for st in channel_stops(s, id, at, leaving, &solo) {
                add(st, Some(p), &mut blocked);
            }
            if let Some(Hop::Send { .. }) = path.hops.get(k)
                && let Some(to) = path.channels.get(k + 1)
            {
                let level = s
                    .channel(at)
                    .and_then(|c| c.sends.iter().find(|x| &x.to == to))
                    .and_then(|x| x.level_db);
                if level.is_none() {
                    add(send_stop(s, id, at, to), Some(p), &mut blocked);
                }
            }
        }
        if let (Sink::Device(pair), Some(have)) = (path.sink, cx.device_pairs)
            && pair > have
        {
            let last = path.channels.last().cloned().unwrap_or_default();
            let text = format!(
                "{} plays on {}, which this audio device does not have",
                name_of(s, &last),
                outputs_text(pair)
            );
            let fix = Fix {
                label: format!("Route {} to the master", name_of(s, &last)),
                edit: Edit::Output {
                    channel: last.clone(),
                    output: Some(master_id(s)),
                },
            };
            add(
                stop(&last, StopKind::NoDevice(pair), text, Some(fix)),
                Some(p),
                &mut blocked,
            );
        }
    }
    // Dead ends: channels on the way (or the channel itself) whose output
    // goes nowhere, so what reaches them is not heard.
    for at in dead_ends(s, id) {
        if at == id && paths.is_empty() {
            continue; // "no route at all" below says it better
        }
        add(dead_end_stop(s, id, &at, cx), None, &mut blocked);
    }
    if paths.is_empty() && c.kind != ChannelKind::Master {
        let mut st = dead_end_stop(s, id, id, cx);
        st.kind = StopKind::NoRoute;
        st.text = format!(
            "it has no route to the master: no output and no send that leads there{}",
            signal_note(cx, id)
        );
        add(st, None, &mut blocked);
    }
    let level_db = cx.level.and_then(|f| f(id, None));
    // An open path carries signal when what leaves the channel on its first
    // hop does: the output meter, or the send's own level (a pre-fader send
    // is heard with the fader down).
    let carries = |p: &SignalPath| match (cx.level, p.hops.first(), p.channels.get(1)) {
        (None, _, _) => true,
        (Some(f), Some(Hop::Send { .. }), Some(aux)) => f(id, Some(aux)).is_some(),
        (Some(f), _, _) => f(id, None).is_some(),
    };
    let open: Vec<&SignalPath> = paths
        .iter()
        .zip(&blocked)
        .filter(|(_, b)| b.is_empty())
        .map(|(p, _)| p)
        .collect();
    let verdict = if open.is_empty() {
        Verdict::Silent
    } else if open.iter().any(|p| carries(p)) {
        Verdict::Heard
    } else {
        Verdict::Quiet
    };
    Some(Hearing {
        channel: id.to_owned(),
        paths,
        blocked,
        stops,
        verdict,
        level_db,
    })
}

/// The stops as plain lines, for a list or a log: an empty list means
/// nothing in the routing or the controls keeps the channel quiet.
pub fn why_silent(s: &Session, id: &str, offline: &[String]) -> Vec<String> {
    let Some(h) = hearing(
        s,
        id,
        &Listen {
            offline,
            mono: &|_| false,
            device_pairs: None,
            level: None,
        },
    ) else {
        return vec![format!("there is no channel \"{id}\"")];
    };
    h.stops.into_iter().map(|x| x.text).collect()
}
