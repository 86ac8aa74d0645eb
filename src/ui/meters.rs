//! What the meters show: the engine's raw readings turned into display
//! state (ballistics, smoothing) once per frame. Pages read slices of it.
//!
//! ```text
//!  AudioPort::take_meters ──MeterFrame──► MeterView::tick(dt) ──► strips, flow view
//! ```

use std::collections::HashMap;

use super::ab::AbMatch;
use super::analysers::Analysers;
use super::loudness::LiveLoudness;
use super::widgets::MeterBallistics;
use crate::fx::InsertReading;
use crate::live::MeterFrame;

/// An insert's reading as the console shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct InsertMeter {
    /// Gain reduction with meter ballistics: instant rise, ~300 ms fall.
    pub reduction_db: f32,
    /// Resets after non-finite samples since the session was opened.
    pub resets: u32,
}

impl InsertMeter {
    pub fn update(&mut self, r: InsertReading, dt: f32) {
        let fall = (dt / 0.3).min(1.0);
        self.reduction_db = if r.reduction_db >= self.reduction_db {
            r.reduction_db
        } else {
            self.reduction_db + (r.reduction_db - self.reduction_db) * fall
        };
        self.resets += r.resets;
    }
}

#[derive(Default)]
pub struct MeterView {
    channels: HashMap<String, [MeterBallistics; 2]>,
    /// Smoothed RMS of what reaches the master dry and through returns.
    pub dry: f32,
    pub wet: f32,
    inserts: HashMap<(String, usize), InsertMeter>,
    /// The master's EBU R 128 loudness, fed from the master tap.
    pub loudness: LiveLoudness,
    /// The level-matched A/B comparison, fed from the A/B tap.
    pub ab: AbMatch,
    /// The stereo image and the spectrum, fed from the analysis tap.
    pub analysers: Analysers,
}

impl MeterView {
    /// One frame's readings (`None`: no audio side, meters fall), `dt`
    /// seconds after the last.
    pub fn tick(&mut self, frame: Option<MeterFrame>, dt: f32) {
        self.analysers.tick(dt);
        let Some(frame) = frame else {
            for m in self.channels.values_mut() {
                for side in m.iter_mut() {
                    side.update(0.0, 0.0, dt);
                }
            }
            return;
        };
        for (id, k, reading) in frame.inserts {
            self.inserts.entry((id, k)).or_default().update(reading, dt);
        }
        for (id, reading) in frame.channels {
            let m = self.channels.entry(id).or_default();
            for (side, meter) in m.iter_mut().enumerate() {
                meter.update(reading.peak[side], reading.rms[side], dt);
            }
        }
        // Smooth the dry/wet display like the RMS meters (~300 ms).
        let k = (dt / 0.3).min(1.0);
        if frame.dry.frames > 0 {
            let d = (frame.dry.rms[0] + frame.dry.rms[1]) * 0.5;
            let w = (frame.wet.rms[0] + frame.wet.rms[1]) * 0.5;
            self.dry += (d - self.dry) * k;
            self.wet += (w - self.wet) * k;
        }
    }

    /// A channel's meters (silent ones for a channel never metered).
    pub fn channel(&self, id: &str) -> [MeterBallistics; 2] {
        self.channels.get(id).copied().unwrap_or_default()
    }

    pub fn insert(&self, id: &str, k: usize) -> InsertMeter {
        self.inserts
            .get(&(id.to_owned(), k))
            .copied()
            .unwrap_or_default()
    }

    pub fn reset_clip(&mut self, id: &str) {
        if let Some(m) = self.channels.get_mut(id) {
            m.iter_mut().for_each(MeterBallistics::reset_clip);
        }
    }

    /// Forget everything (another session was opened).
    pub fn clear(&mut self) {
        *self = MeterView::default();
    }
}
