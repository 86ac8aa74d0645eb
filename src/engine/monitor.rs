//! The monitor path: what outputs 1–2 play in the console, after the mix.
//! A mono check, a dim, and "listen to": any device pair's mix (a cue mix on
//! outputs 3–4) or any channel's output, heard without soloing anything.
//! Offline renders never set it, so a bounce is the mix, untouched.
//!
//! ```text
//!  master ─┐
//!  pair p ─┼─ source ─► gate (fades on a switch) ─► mono? (L+R)/2 ─► dim ─► outputs 1–2
//!  channel ┘
//! ```

use crate::dsp::{BLOCK, Ramp, db_to_gain};

/// What the monitor plays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MonitorSource {
    /// The master mix (what a render writes).
    #[default]
    Mix,
    /// A device output pair's mix (1 = outputs 3–4).
    DevicePair(usize),
    /// One channel's output (after its fader, before where it goes), as a
    /// position in the current plan.
    Channel(usize),
}

/// The monitor controls, as the console sets them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MonitorSettings {
    pub source: MonitorSource,
    /// Both outputs play (L + R) / 2: a sound in the centre keeps its level,
    /// one panned hard to a side is 6 dB lower, and what cancels in mono
    /// (out-of-phase stereo) is heard to cancel.
    pub mono: bool,
    /// The dim's attenuation in dB when dim is on (`None`: off).
    pub dim_db: Option<f32>,
}

impl MonitorSettings {
    /// Whether the monitor plays the mix exactly as it is.
    pub fn is_plain(&self) -> bool {
        *self == MonitorSettings::default()
    }
}

pub(super) struct Monitor {
    settings: MonitorSettings,
    /// A source switch waits for the gate to close, so it never clicks.
    pending: Option<MonitorSettings>,
    gate: Ramp,
    mono: Ramp,
    gain: Ramp,
    ramp: u32,
    gains: [[f32; BLOCK]; 3],
}

impl Monitor {
    pub(super) fn new(ramp: u32) -> Self {
        Monitor {
            settings: MonitorSettings::default(),
            pending: None,
            gate: Ramp::at(1.0),
            mono: Ramp::at(0.0),
            gain: Ramp::at(1.0),
            ramp: ramp.max(1),
            gains: [[0.0; BLOCK]; 3],
        }
    }

    pub(super) fn set(&mut self, s: MonitorSettings) {
        if s.source != self.settings.source {
            self.pending = Some(s);
            self.gate.set(0.0, self.ramp / 2);
        } else {
            self.apply(s);
        }
    }

    fn apply(&mut self, s: MonitorSettings) {
        self.settings = s;
        self.mono.set(if s.mono { 1.0 } else { 0.0 }, self.ramp);
        self.gain.set(
            s.dim_db.map_or(1.0, |d| db_to_gain(Some(-d.abs()))),
            self.ramp,
        );
    }

    pub(super) fn source(&self) -> MonitorSource {
        self.settings.source
    }

    /// Nothing to do: the mix goes out as it is, to the bit.
    pub(super) fn is_plain(&self) -> bool {
        self.settings.is_plain()
            && self.pending.is_none()
            && !self.gate.is_ramping()
            && !self.mono.is_ramping()
            && !self.gain.is_ramping()
    }

    /// One block of `src` through the monitor into `out`.
    pub(super) fn process(&mut self, src: [&[f32]; 2], out: &mut [[f32; BLOCK]; 2], n: usize) {
        let [g, m, d] = &mut self.gains;
        self.gate.fill(&mut g[..n]);
        self.mono.fill(&mut m[..n]);
        self.gain.fill(&mut d[..n]);
        for i in 0..n {
            let (l, r) = (src[0][i], src[1][i]);
            let mid = 0.5 * (l + r);
            let k = g[i] * d[i];
            out[0][i] = k * (l + (mid - l) * m[i]);
            out[1][i] = k * (r + (mid - r) * m[i]);
        }
        if self.gate.current() == 0.0
            && let Some(s) = self.pending.take()
        {
            self.apply(s);
            self.gate.set(1.0, self.ramp / 2);
        }
    }
}
