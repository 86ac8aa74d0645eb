//! Level-matched A/B, UI side: the short-term loudness (EBU R 128, 3 s) of
//! both versions of the compared channel — A as processed, B with its
//! inserts bypassed — measured from the engine's A/B tap, and the gain that
//! makes B as loud as A, so what you hear is the processing, not a level
//! change ("louder sounds better").
//!
//! ```text
//!  AudioPort::drain_ab (A L/R, B L/R) ─► AbMatch::add ─► gain_db ─► AudioPort::set_ab
//! ```

use ebur128::{EbuR128, Mode};

/// The matching gain never goes beyond this, dB.
pub const MAX_MATCH_DB: f32 = 24.0;
/// Seconds the matching gain takes to follow a change (smoothing).
const GLIDE_SECONDS: f32 = 1.0;

#[derive(Default)]
pub struct AbMatch {
    /// The channel being compared.
    pub channel: Option<String>,
    /// Listening to B (inserts bypassed, matched) rather than A.
    pub listen_b: bool,
    /// The gain applied to B, dB.
    pub gain_db: f32,
    sent_db: f32,
    meters: Option<[EbuR128; 2]>,
    rate: u32,
    frames: u64,
    split: [Vec<f32>; 2],
}

impl AbMatch {
    /// Starts comparing `id` (none: stops), listening to A, unmatched.
    pub fn select(&mut self, id: Option<String>) {
        *self = AbMatch {
            channel: id,
            ..AbMatch::default()
        };
    }

    /// Adds A/B tap frames: A left, A right, B left, B right.
    pub fn add(&mut self, samples: &[f32], rate: u32) {
        if self.channel.is_none() {
            return;
        }
        if self.rate != rate || self.meters.is_none() {
            let m = || EbuR128::new(2, rate, Mode::S).ok();
            self.meters = m().zip(m()).map(|(a, b)| [a, b]);
            self.rate = rate;
            self.frames = 0;
        }
        let Some(meters) = self.meters.as_mut() else {
            return;
        };
        for (side, buf) in self.split.iter_mut().enumerate() {
            buf.clear();
            for f in samples.chunks_exact(4) {
                buf.extend_from_slice(&f[2 * side..2 * side + 2]);
            }
        }
        for (m, buf) in meters.iter_mut().zip(&self.split) {
            let _ = m.add_frames_f32(buf);
        }
        self.frames += (samples.len() / 4) as u64;
    }

    /// Short-term loudness of A and of B (before its gain), once 3 s are in.
    pub fn loudness(&self) -> (Option<f64>, Option<f64>) {
        let Some([a, b]) = self.meters.as_ref() else {
            return (None, None);
        };
        if self.frames < u64::from(self.rate) * 3 {
            return (None, None);
        }
        let read = |m: &EbuR128| {
            m.loudness_shortterm()
                .ok()
                .filter(|x| x.is_finite() && *x > -70.0)
        };
        (read(a), read(b))
    }

    /// Moves the matching gain toward A − B over `dt` seconds; returns the
    /// new linear gain when it moved enough to tell the engine.
    pub fn update(&mut self, dt: f32) -> Option<f32> {
        if let (Some(a), Some(b)) = self.loudness() {
            let target = ((a - b) as f32).clamp(-MAX_MATCH_DB, MAX_MATCH_DB);
            let k = (dt / GLIDE_SECONDS).min(1.0);
            self.gain_db += (target - self.gain_db) * k;
        }
        ((self.gain_db - self.sent_db).abs() > 0.05).then(|| {
            self.sent_db = self.gain_db;
            self.linear_gain()
        })
    }

    pub fn linear_gain(&self) -> f32 {
        10f32.powf(self.gain_db / 20.0)
    }

    /// Whether channel `id` is being compared.
    pub fn comparing(&self, id: &str) -> bool {
        self.channel.as_deref() == Some(id)
    }
}
