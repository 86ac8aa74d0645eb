//! Feed-forward, stereo-linked compressor.
//!
//! ```text
//!  L,R ──┬──────────────────────────────────────► × gain ──► L,R
//!        └─► level (peak of |L|,|R| or 10 ms RMS) ──► dB ──┐   ▲
//!                      gain computer (threshold, ratio, knee)   │
//!                      ─► release hold ─► attack ─► −GR + makeup
//! ```
//! Gain reduction is smoothed in dB in two stages: a release stage that
//! holds the largest recent reduction and lets go with the release time
//! constant, then an attack stage that follows rises with the attack time
//! constant and falls at once. A step in level therefore moves the gain
//! reduction with exactly the set attack (63 % after `attack_ms`) and
//! release, and a steady sine is reduced by exactly the static curve: the
//! release stage bridges the sine's zero crossings.
//!
//! The control path runs once per group of `CONTROL` samples on the group's
//! peak (or the running mean square), with the gain interpolated linearly
//! across the group.

use super::blocks::in_blocks;
use super::smooth::Glide;
use crate::dsp::BLOCK;
use crate::dsp::fastmath::{amplitude_db, db_amplitude};
use crate::session::effects::params::{CompressorParams, Detector};

/// Samples per step of the control path (detector, gain computer,
/// ballistics): the gain is interpolated across each group, which keeps the
/// cost per sample to a multiply while timing stays within 0.2 ms.
const CONTROL: usize = 8;

/// Groups in one block.
const GROUPS: usize = BLOCK / CONTROL + 1;

/// The RMS detector's averaging time constant.
const RMS_WINDOW_MS: f32 = 10.0;

pub struct Compressor {
    sample_rate: f32,
    detector: Detector,
    threshold: Glide,
    ratio: Glide,
    knee: Glide,
    makeup: Glide,
    attack: Glide,
    release: Glide,
    rms_coef: f32,
    /// Mean square of the input (RMS detector).
    mean_sq: f32,
    /// Release stage and attack stage of the gain reduction, in dB (≥ 0).
    held: f32,
    reduction: f32,
    /// Largest reduction since `take_peak_reduction`.
    peak_reduction: f32,
    /// The gain applied at the end of the last group.
    gain: f32,
}

/// Static curve: output level in dB for an input level in dB (soft knee as
/// in Giannoulis, Massberg & Reiss, JAES 2012).
pub fn static_curve(input_db: f32, threshold_db: f32, ratio: f32, knee_db: f32) -> f32 {
    let over = input_db - threshold_db;
    if 2.0 * over < -knee_db {
        input_db
    } else if knee_db > 0.0 && 2.0 * over.abs() <= knee_db {
        let x = over + knee_db / 2.0;
        input_db + (1.0 / ratio - 1.0) * x * x / (2.0 * knee_db)
    } else {
        threshold_db + over / ratio
    }
}

/// 10^(db/20), exactly 1 at 0 dB so untouched material stays bit-exact.
fn unity_or(db: f32) -> f32 {
    let g = db_amplitude(db);
    if db == 0.0 { 1.0 } else { g }
}

/// `static_curve` as gain reduction, with its divisions done once per block.
struct Curve {
    threshold: f32,
    knee: f32,
    /// 1 − 1/ratio: reduction per dB over the threshold.
    slope: f32,
    /// (1 − 1/ratio) / (2·knee), for the quadratic inside the knee.
    knee_scale: f32,
}

impl Curve {
    fn new(threshold: f32, ratio: f32, knee: f32) -> Self {
        let slope = 1.0 - 1.0 / ratio;
        Curve {
            threshold,
            knee,
            slope,
            knee_scale: if knee > 0.0 {
                slope / (2.0 * knee)
            } else {
                0.0
            },
        }
    }

    /// Gain reduction in dB (≥ 0) for an input level in dB: the quadratic
    /// of the knee (clamped to the knee) plus the straight line above it,
    /// without branches.
    #[inline]
    fn reduction(&self, level: f32) -> f32 {
        let over = level - self.threshold;
        let half = 0.5 * self.knee;
        let x = (over + half).clamp(0.0, self.knee);
        x * x * self.knee_scale + (over - half).max(0.0) * self.slope
    }
}

/// One-pole coefficient for `samples` steps of a `ms` time constant.
fn time_coef(ms: f32, sample_rate: f32, samples: usize) -> f32 {
    (-(samples as f32) / (ms * 0.001 * sample_rate).max(1e-3)).exp()
}

impl Compressor {
    pub fn new(sample_rate: f32, p: &CompressorParams) -> Self {
        Compressor {
            sample_rate,
            detector: p.detector,
            threshold: Glide::new(p.threshold_db, sample_rate),
            ratio: Glide::new(p.ratio, sample_rate),
            knee: Glide::new(p.knee_db, sample_rate),
            makeup: Glide::new(p.makeup_db, sample_rate),
            attack: Glide::new(p.attack_ms, sample_rate),
            release: Glide::new(p.release_ms, sample_rate),
            rms_coef: time_coef(RMS_WINDOW_MS, sample_rate, 1),
            mean_sq: 0.0,
            held: 0.0,
            reduction: 0.0,
            peak_reduction: 0.0,
            gain: unity_or(p.makeup_db),
        }
    }

    pub fn set_params(&mut self, p: &CompressorParams) {
        self.detector = p.detector;
        self.threshold.set(p.threshold_db);
        self.ratio.set(p.ratio);
        self.knee.set(p.knee_db);
        self.makeup.set(p.makeup_db);
        self.attack.set(p.attack_ms);
        self.release.set(p.release_ms);
    }

    pub fn reset(&mut self) {
        self.mean_sq = 0.0;
        self.held = 0.0;
        self.reduction = 0.0;
        self.gain = unity_or(self.makeup.current());
    }

    pub fn copy_state_from(&mut self, other: &Self) {
        self.mean_sq = other.mean_sq;
        self.held = other.held;
        self.reduction = other.reduction;
        self.gain = other.gain;
    }

    /// The gain reduction right now, in dB (≥ 0).
    pub fn reduction_db(&self) -> f32 {
        self.reduction
    }

    /// The largest gain reduction since the last call, in dB (≥ 0).
    pub fn take_peak_reduction(&mut self) -> f32 {
        std::mem::take(&mut self.peak_reduction)
    }

    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        in_blocks(l, r, |l, r| self.process_block(l, r));
    }

    /// At most `BLOCK` frames, in passes: the levels of every group, the
    /// (serial, cheap) ballistics, the gains of every group, then the gain
    /// ramps. Keeping the independent work out of the serial loop lets the
    /// CPU overlap it (one fused loop cost 1.6× as much).
    fn process_block(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len();
        let sr = self.sample_rate;
        let threshold = self.threshold.advance(n);
        let ratio = self.ratio.advance(n).max(1.0);
        let knee = self.knee.advance(n).max(0.0);
        let makeup = self.makeup.advance(n);
        let (attack, release) = (self.attack.advance(n), self.release.advance(n));
        let curve = Curve::new(threshold, ratio, knee);
        let groups = n.div_ceil(CONTROL);
        let mut level = [0.0f32; GROUPS];
        // 1. Detector: each group's peak, or the running mean square at its end.
        if self.detector == Detector::Rms {
            let mut mean_sq = self.mean_sq;
            for (g, (gl, gr)) in l.chunks(CONTROL).zip(r.chunks(CONTROL)).enumerate() {
                for (xl, xr) in gl.iter().zip(gr) {
                    let p = 0.5 * (xl * xl + xr * xr);
                    mean_sq = p + (mean_sq - p) * self.rms_coef;
                }
                level[g] = mean_sq;
            }
            self.mean_sq = if mean_sq < 1e-20 { 0.0 } else { mean_sq };
            for v in &mut level[..groups] {
                *v = curve.reduction(0.5 * amplitude_db(*v));
            }
        } else {
            for (g, (gl, gr)) in l.chunks(CONTROL).zip(r.chunks(CONTROL)).enumerate() {
                let pl = gl.iter().fold(0.0f32, |p, x| p.max(x.abs()));
                let pr = gr.iter().fold(0.0f32, |p, x| p.max(x.abs()));
                level[g] = curve.reduction(amplitude_db(pl.max(pr)));
            }
        }
        // 2. Ballistics, serial but short: `level` becomes the gain in dB.
        let a_att = time_coef(attack, sr, CONTROL);
        let a_rel = time_coef(release, sr, CONTROL);
        let last = n - (groups - 1) * CONTROL;
        let (a_att_last, a_rel_last) = if last == CONTROL {
            (a_att, a_rel)
        } else {
            (time_coef(attack, sr, last), time_coef(release, sr, last))
        };
        let (mut held, mut reduction) = (self.held, self.reduction);
        let mut peak = self.peak_reduction;
        for (g, v) in level[..groups].iter_mut().enumerate() {
            let (a_att, a_rel) = if g + 1 == groups {
                (a_att_last, a_rel_last)
            } else {
                (a_att, a_rel)
            };
            let target = *v;
            held = target.max(target + (held - target) * a_rel);
            let attacked = held + (reduction - held) * a_att;
            reduction = if held > reduction { attacked } else { held };
            peak = peak.max(reduction);
            *v = makeup - reduction;
        }
        // Keep tiny values from turning subnormal in the smoothers.
        self.held = if held < 1e-6 { 0.0 } else { held };
        self.reduction = if reduction < 1e-6 { 0.0 } else { reduction };
        self.peak_reduction = peak;
        // 3. Gains, each group independent.
        for v in &mut level[..groups] {
            *v = unity_or(*v);
        }
        // 4. Across each group the gain moves in a straight line.
        let mut gain = self.gain;
        for (g, (gl, gr)) in l.chunks_mut(CONTROL).zip(r.chunks_mut(CONTROL)).enumerate() {
            let target = level[g];
            let step = (target - gain) / gl.len() as f32;
            for (xl, xr) in gl.iter_mut().zip(gr.iter_mut()) {
                gain += step;
                *xl *= gain;
                *xr *= gain;
            }
            gain = target;
        }
        self.gain = gain;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_per_block_curve_is_the_static_curve() {
        for knee in [0.0, 6.0, 24.0] {
            let c = Curve::new(-20.0, 4.0, knee);
            for i in 0..400 {
                let level = -60.0 + i as f32 * 0.15;
                let want = level - static_curve(level, -20.0, 4.0, knee);
                assert!((c.reduction(level) - want).abs() < 1e-4, "{level} {knee}");
            }
        }
    }
}
