//! Measuring a mix by rendering it: versions of a session made in memory
//! (one source soloed, the aux returns muted, a cue mix sent to the master
//! …) are rendered offline through the same engine as live playback, over
//! the lesson's window. Exact, and independent of any meter in the engine.
//!
//! ```text
//!  dry of S  = S with only S's tracks playing, every aux muted
//!  wet of S  = S with only S's tracks playing, their outputs unrouted
//!              (what their sends bring back through the returns)
//!  S in mix  = mix − mix with S muted (its own path: sends off first)
//! ```

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::model::Window;
use crate::render::{RenderOptions, render_session};
use crate::session::{ChannelKind, Session};

/// Renders kept between evaluations (the shipped session's never change).
const CACHE_ENTRIES: usize = 48;

/// A rendered version of a session: interleaved stereo, and how long the
/// render took.
#[derive(Debug)]
pub struct Rendered {
    pub audio: Vec<f32>,
    pub elapsed: Duration,
    pub rate: u32,
}

/// Renders by their session (as JSON) and where its sources are.
#[derive(Default)]
pub struct RenderCache {
    entries: Mutex<Vec<(String, Arc<Rendered>)>>,
}

impl RenderCache {
    fn get(&self, key: &str) -> Option<Arc<Rendered>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.clone())
    }

    fn put(&self, key: String, r: Arc<Rendered>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_ENTRIES {
            entries.remove(0);
        }
        entries.push((key, r));
    }
}

/// Which session a measurement renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The lesson's own session, as shipped.
    Shipped,
    /// The learner's session.
    Current,
}

/// The two sessions a lesson compares, and where their sources are.
pub struct Bench<'a> {
    pub shipped: &'a Session,
    pub shipped_path: &'a Path,
    pub current: &'a Session,
    pub current_path: &'a Path,
    pub window: Window,
    pub cache: &'a RenderCache,
}

pub type Measured<T> = Result<T, String>;

impl Bench<'_> {
    pub fn session(&self, which: Which) -> &Session {
        match which {
            Which::Shipped => self.shipped,
            Which::Current => self.current,
        }
    }

    fn anchor(&self, which: Which) -> PathBuf {
        match which {
            Which::Shipped => self.shipped_path.to_owned(),
            Which::Current => self.current_path.to_owned(),
        }
    }

    /// Renders a version of a session: `change` edits a copy first.
    pub fn render(
        &self,
        which: Which,
        change: impl FnOnce(&mut Session),
    ) -> Measured<Arc<Rendered>> {
        let mut s = self.session(which).clone();
        change(&mut s);
        let anchor = self.anchor(which);
        let json = serde_json::to_string(&s).map_err(|e| e.to_string())?;
        let key = format!("{}\n{json}", anchor.display());
        if let Some(r) = self.cache.get(&key) {
            return Ok(r);
        }
        let opts = RenderOptions {
            start: self.window.start,
            duration: Some(self.window.seconds),
            stems: false,
            // The checks read the audio and the channel meters only.
            ledger: false,
        };
        let mut audio = Vec::new();
        let report = render_session(&s, &anchor, &opts, &mut |block: &[f32]| {
            audio.extend_from_slice(block);
            Ok(())
        })
        .map_err(|e| format!("cannot render the session: {e}"))?;
        let r = Arc::new(Rendered {
            audio,
            elapsed: report.elapsed,
            rate: s.sample_rate,
        });
        self.cache.put(key, r.clone());
        Ok(r)
    }

    /// Powers of `set` soloed: (dry, wet).
    pub fn dry_wet(&self, which: Which, set: &[String]) -> Measured<(f64, f64)> {
        let dry = self.render(which, |s| {
            solo_only(s, set);
            returns_off(s);
        })?;
        let wet = self.render(which, |s| {
            solo_only(s, set);
            unroute(s, set);
        })?;
        Ok((
            super::signal::power(&dry.audio),
            super::signal::power(&wet.audio),
        ))
    }

    /// `set` soloed: everything it contributes.
    pub fn alone(&self, which: Which, set: &[String]) -> Measured<Arc<Rendered>> {
        self.render(which, |s| solo_only(s, set))
    }

    /// What `source` adds to the mix as it stands, by part: its own path
    /// (without its sends), its wet (through its sends), or both.
    pub fn in_mix(&self, which: Which, source: &str, via: super::model::Via) -> Measured<Vec<f32>> {
        use super::model::Via;
        let set = [source.to_owned()];
        let full = || self.render(which, |_| {});
        let no_sends = || self.render(which, |s| sends_off(s, &set));
        let muted = || self.render(which, |s| mute(s, &set));
        let (a, b) = match via {
            Via::Own => (no_sends()?, muted()?),
            Via::Wet => (full()?, no_sends()?),
            Via::Any => (full()?, muted()?),
        };
        Ok(super::signal::difference(&a.audio, &b.audio))
    }
}

/// Every track outside `set` muted and every solo cleared: what a listener
/// hears soloing exactly `set` (own and VCA mutes stay).
pub fn solo_only(s: &mut Session, set: &[String]) {
    for c in &mut s.channels {
        c.solo = false;
        if c.kind == ChannelKind::Track && !set.contains(&c.id) {
            c.mute = true;
        }
    }
}

/// Every aux muted: no return brings anything back.
pub fn returns_off(s: &mut Session) {
    for c in &mut s.channels {
        if c.kind == ChannelKind::Aux {
            c.mute = true;
        }
    }
}

/// `set`'s outputs go nowhere: they are heard only through their sends.
pub fn unroute(s: &mut Session, set: &[String]) {
    for c in &mut s.channels {
        if set.contains(&c.id) && c.kind != ChannelKind::Master {
            c.output = None;
        }
    }
}

/// Every send of `set` at −inf.
pub fn sends_off(s: &mut Session, set: &[String]) {
    for c in s.channels.iter_mut().filter(|c| set.contains(&c.id)) {
        for send in &mut c.sends {
            send.level_db = None;
        }
    }
}

pub fn mute(s: &mut Session, set: &[String]) {
    for c in s.channels.iter_mut().filter(|c| set.contains(&c.id)) {
        c.mute = true;
    }
}

/// Only `aux` reaches the master: it is routed there, and every other
/// channel that went to the master goes nowhere (their sends still feed
/// `aux`). Solos are cleared. A cue mix on device outputs becomes
/// something a render can hear.
pub fn cue_only(s: &mut Session, aux: &str) {
    let master = master_id(s);
    for c in &mut s.channels {
        c.solo = false;
        if c.kind == ChannelKind::Master {
            continue;
        }
        if c.id == aux {
            c.output = Some(master.clone());
        } else if c
            .output
            .as_deref()
            .is_some_and(|o| o == master || o.starts_with("hw:"))
        {
            c.output = None;
        }
    }
}

/// The master channel's id.
pub fn master_id(s: &Session) -> String {
    s.channels
        .iter()
        .find(|c| c.kind == ChannelKind::Master)
        .map_or_else(
            || crate::session::DEFAULT_OUTPUT.to_owned(),
            |c| c.id.clone(),
        )
}

/// The engineer rides the mix: every fader but `keep`'s and the master's
/// (channels and VCAs) moves by `db`; −inf stays.
pub fn ride(s: &mut Session, db: f32, keep: &str) {
    let limit = |v: Option<f32>| v.map(|g| (g + db).min(24.0));
    for c in s
        .channels
        .iter_mut()
        .filter(|c| c.id != keep && c.kind != ChannelKind::Master)
    {
        c.gain_db = limit(c.gain_db);
    }
    for v in &mut s.vcas {
        v.gain_db = limit(v.gain_db);
    }
}
