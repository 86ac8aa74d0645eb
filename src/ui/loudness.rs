//! Live loudness of the master, measured on the UI side from the master
//! tap (the audio thread never runs the meter): momentary and short-term
//! loudness, integrated loudness since play started or the last reset, and
//! the highest true peak with an over light that latches until cleared.
//!
//! ```text
//!  AudioPort::drain_master ─► LiveLoudness::add (ebur128: M, S, I, true peak) ─► loudness_ui
//! ```

use ebur128::{EbuR128, Mode};

/// True peaks above this light the over light (EBU R 128's maximum
/// permitted true-peak level).
pub const OVER_DBTP: f64 = -1.0;

pub struct LiveLoudness {
    meter: Option<EbuR128>,
    rate: u32,
    /// Frames measured since the last reset.
    frames: u64,
    /// Highest true peak since the last reset, linear.
    peak: f64,
    over: bool,
}

impl Default for LiveLoudness {
    fn default() -> Self {
        LiveLoudness {
            meter: None,
            rate: 0,
            frames: 0,
            peak: 0.0,
            over: false,
        }
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl LiveLoudness {
    /// Adds master frames (interleaved stereo at `rate`).
    pub fn add(&mut self, samples: &[f32], rate: u32) {
        if self.rate != rate || self.meter.is_none() {
            let mode = Mode::M | Mode::S | Mode::I | Mode::TRUE_PEAK | Mode::HISTOGRAM;
            self.meter = EbuR128::new(2, rate, mode).ok();
            self.rate = rate;
            self.frames = 0;
        }
        let Some(m) = self.meter.as_mut() else {
            return;
        };
        if m.add_frames_f32(samples).is_err() {
            return;
        }
        self.frames += (samples.len() / 2) as u64;
        let tp = (0..2)
            .filter_map(|c| m.prev_true_peak(c).ok())
            .fold(0.0f64, f64::max);
        self.peak = self.peak.max(tp);
        if self.true_peak_dbtp().is_some_and(|db| db > OVER_DBTP) {
            self.over = true;
        }
    }

    /// Starts the integrated measurement, the peak and the over light afresh.
    pub fn reset(&mut self) {
        if let Some(m) = self.meter.as_mut() {
            m.reset();
        }
        self.frames = 0;
        self.peak = 0.0;
        self.over = false;
    }

    /// Momentary loudness (400 ms), once that much has been measured.
    pub fn momentary(&self) -> Option<f64> {
        if self.frames * 10 < u64::from(self.rate) * 4 {
            return None;
        }
        self.meter
            .as_ref()?
            .loudness_momentary()
            .ok()
            .and_then(finite)
    }

    /// Short-term loudness (3 s), once that much has been measured.
    pub fn short_term(&self) -> Option<f64> {
        if self.frames < u64::from(self.rate) * 3 {
            return None;
        }
        self.meter
            .as_ref()?
            .loudness_shortterm()
            .ok()
            .and_then(finite)
    }

    /// Integrated loudness since play or the last reset.
    pub fn integrated(&self) -> Option<f64> {
        self.meter.as_ref()?.loudness_global().ok().and_then(finite)
    }

    /// Highest true peak since the last reset, dBTP.
    pub fn true_peak_dbtp(&self) -> Option<f64> {
        (self.peak > 0.0).then(|| 20.0 * self.peak.log10())
    }

    /// Whether a true peak passed `OVER_DBTP` since the last reset.
    pub fn over(&self) -> bool {
        self.over
    }

    /// Seconds measured since the last reset.
    pub fn seconds(&self) -> f64 {
        if self.rate == 0 {
            0.0
        } else {
            self.frames as f64 / f64::from(self.rate)
        }
    }
}
