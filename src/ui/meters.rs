//! What the meters show: the engine's raw readings turned into display
//! state (ballistics, smoothing) once per frame. Pages read slices of it.
//!
//! ```text
//!  AudioPort::take_meters ──MeterFrame──► MeterView::tick(dt) ──► strips, flow view
//!      levels, master dry/wet/parallel, where each channel arrives, sends
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

/// Where a channel's sound arrives, smoothed like the RMS meters: mean
/// squares at the master dry, wet and parallel and at other device outputs
/// (index with `engine::DRY`, `WET`, `PARALLEL`, `DEVICE`), as the engine
/// measures them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SourceLevels {
    pub mean_sq: [f32; 4],
}

impl SourceLevels {
    /// A part's level in dB (`None`: nothing arrives).
    pub fn db(&self, part: usize) -> Option<f32> {
        let ms = self.mean_sq.get(part).copied().unwrap_or(0.0);
        (ms > 1e-10).then(|| 10.0 * ms.log10())
    }

    /// Shares of what reaches the master: dry, wet, parallel (`None` when
    /// nothing does).
    pub fn shares(&self) -> Option<[f32; 3]> {
        let total: f32 = self.mean_sq[..3].iter().sum();
        (total > 1e-10).then(|| [0, 1, 2].map(|k| self.mean_sq[k] / total))
    }

    /// "dry 80 % · wet 15 % · parallel 5 %", or what else is true.
    pub fn text(&self) -> String {
        let Some(sh) = self.shares() else {
            return if self.db(3).is_some() {
                "not in the main mix (device outputs only)".to_owned()
            } else {
                "nothing measured".to_owned()
            };
        };
        let names = ["dry", "wet", "parallel"];
        let parts: Vec<String> = (0..3)
            .filter(|&k| sh[k] >= 0.005)
            .map(|k| format!("{} {:.0} %", names[k], sh[k] * 100.0))
            .collect();
        parts.join(" · ")
    }

    /// Wet relative to dry, dB (`None` if either is silent).
    pub fn wet_to_dry_db(&self) -> Option<f32> {
        Some(self.db(1)? - self.db(0)?)
    }
}

#[derive(Default)]
pub struct MeterView {
    channels: HashMap<String, [MeterBallistics; 2]>,
    /// Smoothed RMS of what reaches the master dry, through wet returns and
    /// through parallel returns.
    pub dry: f32,
    pub wet: f32,
    pub parallel: f32,
    inserts: HashMap<(String, usize), InsertMeter>,
    /// The master's EBU R 128 loudness, fed from the master tap.
    pub loudness: LiveLoudness,
    /// The level-matched A/B comparison, fed from the A/B tap.
    pub ab: AbMatch,
    /// The stereo image and the spectrum, fed from the analysis tap.
    pub analysers: Analysers,
    reach: HashMap<String, SourceLevels>,
    /// Smoothed mean square each send delivers, by (channel, aux).
    sends: HashMap<(String, String), f32>,
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
            let p = (frame.parallel.rms[0] + frame.parallel.rms[1]) * 0.5;
            self.dry += (d - self.dry) * k;
            self.wet += (w - self.wet) * k;
            self.parallel += (p - self.parallel) * k;
        }
        // Where each channel's sound arrives: kept while nothing plays, so
        // a paused console still shows the last balance.
        for (id, r) in frame.reach {
            if r.frames == 0 {
                continue;
            }
            let levels = self.reach.entry(id).or_default();
            for (have, new) in levels.mean_sq.iter_mut().zip(r.mean_sq) {
                *have += (new - *have) * k;
            }
        }
        if frame.dry.frames > 0 {
            for (from, to, ms) in frame.sends {
                let have = self.sends.entry((from, to)).or_default();
                *have += (ms - *have) * k;
            }
        }
    }

    /// Where channel `id`'s sound arrives (see `SourceLevels`).
    pub fn reach(&self, id: &str) -> SourceLevels {
        self.reach.get(id).copied().unwrap_or_default()
    }

    /// What the send from `channel` to `aux` delivers, in dB (`None`: nothing).
    pub fn send_db(&self, channel: &str, aux: &str) -> Option<f32> {
        let ms = self
            .sends
            .get(&(channel.to_owned(), aux.to_owned()))
            .copied()
            .unwrap_or(0.0);
        (ms > 1e-10).then(|| 10.0 * ms.log10())
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
