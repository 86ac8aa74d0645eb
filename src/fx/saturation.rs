//! Tape/tube-style saturation: a tanh shaper run at twice the sample rate,
//! then a tilt filter.
//!
//! ```text
//!        ┌─ half-band FIR (24 taps) ─► even ─┐              ┌─ half-band FIR ─┐
//!  x ──► ┤                                   ├─► shaper ─►  ┤                 ├─► ½ ─► tilt ─► y
//!        └─ delay 11 ──────────────► odd  ───┘   (2× rate)  └─ delay 12 ──────┘
//!          upsample 2× (polyphase)          tanh(g·x)/tanh(g)   decimate 2×      one-pole split
//!                                               · output
//! ```
//! The shaper's harmonics above the base-rate Nyquist would fold back into
//! the audio band. Running it at 2× leaves room for the strong low
//! harmonics (the 3rd of anything below 16 kHz) to land below the 2×
//! Nyquist, where the decimation filter removes them instead of letting
//! them alias.
//!
//! Both resampling filters are the same 47-tap Kaiser-windowed half-band
//! low-pass. In a half-band filter every other tap is zero except the
//! centre (½), so each runs as one 24-tap FIR plus a pure delay, and its
//! symmetry halves that to 12 multiplies. Each filter runs over the whole
//! block, eight outputs at a time, which vectorises. Latency: 23 samples.
//!
//! Drive, output and tone glide per block and are ramped per sample inside
//! the block, so moving them does not zip. The tone state is `f64` and is
//! cleared below −300 dBFS after each block, so silence after a sound
//! decays to exact zeros without subnormals.

use super::blocks::in_blocks;
use super::smooth::Glide;
use crate::dsp::BLOCK;
use crate::session::effects::params::SaturationParams;

/// Length of the half-band filters (odd, centre tap at an odd index so
/// that the side taps at odd distances are the non-zero ones).
const TAPS: usize = 47;
/// Non-zero side taps of each half-band filter: the filtered polyphase branch.
const PHASE: usize = TAPS.div_ceil(4) * 2; // 24
/// Input samples the filtered branch reaches back.
const HIST: usize = PHASE - 1;
/// The other polyphase branch is the centre tap alone: a pure delay, in
/// base-rate samples, for upsampling and for decimation.
const UP_DELAY: usize = HIST / 2; // 11
const DOWN_DELAY: usize = HIST / 2 + 1; // 12
/// Kaiser window β: about 62 dB of stopband beyond 28 kHz (at 2× 48 kHz)
/// with the passband flat to ±0.01 dB up to 20 kHz.
const KAISER_BETA: f64 = 6.0;

/// Delay of the output behind the input, in samples: the two half-band
/// filters' group delay (11.5 base-rate samples each).
pub const LATENCY: usize = HIST;

/// Centre of the tilt (where the tone control leaves the level alone).
pub const TILT_PIVOT_HZ: f32 = 1500.0;
/// Tilt at tone ±1: highs up by this much and lows down by this much, or
/// the reverse (a tilt of ±6 dB between the two ends).
pub const TILT_HALF_DB: f32 = 3.0;

const FLUSH: f64 = 1e-15;

/// Per channel: histories so a block can reach back into the previous one.
#[derive(Clone, Copy)]
struct Channel {
    /// Input: `HIST` older samples, then the block.
    x: [f32; HIST + BLOCK],
    /// Shaped even (filtered-branch) 2× samples, with `HIST` of history.
    even: [f32; HIST + BLOCK],
    /// Shaped odd (delayed-branch) 2× samples, with `DOWN_DELAY` of history.
    odd: [f32; DOWN_DELAY + BLOCK],
    /// Tilt one-pole (trapezoidal) state.
    tone: f64,
}

impl Channel {
    const SILENT: Channel = Channel {
        x: [0.0; HIST + BLOCK],
        even: [0.0; HIST + BLOCK],
        odd: [0.0; DOWN_DELAY + BLOCK],
        tone: 0.0,
    };
}

pub struct Saturation {
    sample_rate: f32,
    /// The first half of the filtered branch's taps (it is symmetric),
    /// scaled so the branch sums to 1.
    taps: [f32; PHASE / 2],
    drive_db: Glide,
    output_db: Glide,
    tone: Glide,
    ch: [Channel; 2],
}

/// Shaper gain g and the factor after tanh that makes ±1 map to ±output.
fn shaper_gains(drive_db: f32, output_db: f32) -> (f32, f32) {
    let g = 10f32.powf(drive_db.clamp(-24.0, 48.0) / 20.0);
    let out = 10f32.powf(output_db.clamp(-48.0, 24.0) / 20.0);
    (g, out / fast_tanh(g))
}

/// Gains (low, high) and the one-pole's trapezoidal gain for a tone setting.
///
/// The tilt is H(s) = (1/k + k·s/ωc) / (1 + s/ωc) with ωc = k·ω_pivot: DC
/// at 1/k, the top at k and exactly 0 dB at the pivot, whose frequency is
/// pre-warped so the digital filter keeps it there.
fn tilt(tone: f32, sample_rate: f32) -> (f64, f64, f64) {
    let k = 10f64.powf((tone.clamp(-1.0, 1.0) * TILT_HALF_DB) as f64 / 20.0);
    let pivot =
        (TILT_PIVOT_HZ.min(0.45 * sample_rate) as f64 / sample_rate as f64) * std::f64::consts::PI;
    let wc = pivot.tan() * k;
    (1.0 / k, k, wc / (1.0 + wc))
}

/// tanh to within 2e-7, as a rational function (Eigen's float `ptanh`):
/// the libm call would cost more than the rest of the effect put together.
#[inline(always)]
fn fast_tanh(x: f32) -> f32 {
    // Beyond this tanh rounds to ±1 in f32.
    let x = x.clamp(-7.905_311, 7.905_311);
    let x2 = x * x;
    let p = x2 * -2.760_768_5e-16 + 2.000_188e-13;
    let p = x2 * p + -8.604_672e-11;
    let p = x2 * p + 5.122_297e-8;
    let p = x2 * p + 1.485_722_4e-5;
    let p = x2 * p + 6.372_619_3e-4;
    let p = x2 * p + 4.893_524_6e-3;
    let q = x2 * 1.198_258_4e-6 + 1.185_347_1e-4;
    let q = x2 * q + 2.268_434_6e-3;
    let q = x2 * q + 4.893_525e-3;
    x * p / q
}

/// Modified Bessel function of the first kind, order 0 (for the Kaiser window).
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-12 * sum {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        k += 1.0;
    }
    sum
}

/// The non-zero side taps of a Kaiser-windowed half-band low-pass, times 2
/// and normalised to sum to exactly 1 (so DC passes at unity).
fn halfband_taps() -> [f32; PHASE / 2] {
    let centre = (TAPS - 1) as f64 / 2.0;
    let mut full = [0.0f64; PHASE];
    for (j, t) in full.iter_mut().enumerate() {
        // Tap index 2j sits an odd distance from the centre.
        let d = 2.0 * j as f64 - centre;
        let arg = std::f64::consts::PI * d / 2.0;
        let sinc = arg.sin() / arg;
        let r = d / centre;
        *t = sinc * bessel_i0(KAISER_BETA * (1.0 - r * r).sqrt()) / bessel_i0(KAISER_BETA);
    }
    let sum: f64 = full.iter().sum();
    std::array::from_fn(|j| (full[j] / sum) as f32)
}

/// `out[i] = Σ_j taps[j]·(buf[HIST + i − j] + buf[i + j])`: the symmetric
/// 24-tap filtered branch for every sample of the block. Eight outputs at a
/// time are summed in registers over all taps, which vectorises and keeps
/// the accumulators out of memory.
#[inline(always)]
fn filtered_branch(taps: &[f32; PHASE / 2], buf: &[f32], out: &mut [f32]) {
    const W: usize = 8;
    let n = out.len();
    assert!(buf.len() >= HIST + n);
    let mut chunks = out.chunks_exact_mut(W);
    for (i, o) in (&mut chunks).enumerate() {
        let i = i * W;
        let mut acc = [0.0f32; W];
        for (j, &c) in taps.iter().enumerate() {
            let newer: &[f32; W] = buf[HIST - j + i..][..W].try_into().unwrap();
            let older: &[f32; W] = buf[j + i..][..W].try_into().unwrap();
            for k in 0..W {
                acc[k] += c * (newer[k] + older[k]);
            }
        }
        o.copy_from_slice(&acc);
    }
    let done = n - chunks.into_remainder().len();
    for i in done..n {
        out[i] = taps
            .iter()
            .enumerate()
            .map(|(j, &c)| c * (buf[HIST - j + i] + buf[j + i]))
            .sum();
    }
}

/// `y = norm·tanh(g·x)` in place, with g and norm ramped linearly from
/// (g0, n0) by (dg, dn) per 2× sample, starting at 2× index `phase` + 1
/// and stepping two 2× samples per element.
#[inline(always)]
fn shape(buf: &mut [f32], g0: f32, dg: f32, n0: f32, dn: f32, phase: f32) {
    // An i32 counter converts to f32 in SIMD; a usize one would not.
    for (i, v) in (0..buf.len() as i32).zip(buf.iter_mut()) {
        let t = 2.0 * i as f32 + phase + 1.0;
        let g = g0 + dg * t;
        let norm = n0 + dn * t;
        *v = norm * fast_tanh(g * *v);
    }
}

impl Saturation {
    pub fn new(sample_rate: f32, p: &SaturationParams) -> Self {
        Saturation {
            sample_rate,
            taps: halfband_taps(),
            drive_db: Glide::new(p.drive_db, sample_rate),
            output_db: Glide::new(p.output_db, sample_rate),
            tone: Glide::new(p.tone, sample_rate),
            ch: [Channel::SILENT; 2],
        }
    }

    pub fn set_params(&mut self, p: &SaturationParams) {
        for (g, v) in [
            (&mut self.drive_db, p.drive_db),
            (&mut self.output_db, p.output_db),
            (&mut self.tone, p.tone),
        ] {
            if v.is_finite() {
                g.set(v);
            }
        }
    }

    /// Delay of the output behind the input, in samples (the two half-band
    /// filters' group delay).
    pub fn latency(&self) -> usize {
        LATENCY
    }

    pub fn reset(&mut self) {
        self.ch = [Channel::SILENT; 2];
    }

    /// Takes over `other`'s filter memory and where its glides are now,
    /// keeping this instance's parameter targets.
    pub fn copy_state_from(&mut self, other: &Self) {
        self.ch = other.ch;
        for (g, o) in [
            (&mut self.drive_db, &other.drive_db),
            (&mut self.output_db, &other.output_db),
            (&mut self.tone, &other.tone),
        ] {
            let target = g.target();
            g.jump(o.current());
            g.set(target);
        }
    }

    /// The static curve: output·tanh(g·x)/tanh(g), g = 10^(drive/20).
    pub fn transfer(p: &SaturationParams, x: f32) -> f32 {
        let (g, norm) = shaper_gains(p.drive_db, p.output_db);
        norm * fast_tanh(g * x)
    }

    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        in_blocks(l, r, |l, r| self.process_block(l, r));
    }

    fn process_block(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len();
        let sr = self.sample_rate;
        let (g0, n0) = shaper_gains(self.drive_db.current(), self.output_db.current());
        let (g1, n1) = shaper_gains(self.drive_db.advance(n), self.output_db.advance(n));
        let (dg, dn) = ((g1 - g0) / (2 * n) as f32, (n1 - n0) / (2 * n) as f32);
        let (lo0, hi0, _) = tilt(self.tone.current(), sr);
        let (lo1, hi1, coef) = tilt(self.tone.advance(n), sr);
        let (dlo, dhi) = ((lo1 - lo0) / n as f64, (hi1 - hi0) / n as f64);

        for (ch, io) in self.ch.iter_mut().zip([&mut *l, &mut *r]) {
            ch.x[HIST..HIST + n].copy_from_slice(io);

            // Upsample: even 2× samples from the filter, odd ones delayed.
            filtered_branch(&self.taps, &ch.x, &mut ch.even[HIST..HIST + n]);
            let odd = &mut ch.odd[DOWN_DELAY..DOWN_DELAY + n];
            odd.copy_from_slice(&ch.x[HIST - UP_DELAY..HIST - UP_DELAY + n]);

            shape(&mut ch.even[HIST..HIST + n], g0, dg, n0, dn, 0.0);
            shape(odd, g0, dg, n0, dn, 1.0);

            // Decimate: the filtered branch over the even samples plus the
            // centre tap over the odd ones, each branch weighted ½.
            filtered_branch(&self.taps, &ch.even[..HIST + n], io);
            for (y, &o) in io.iter_mut().zip(&ch.odd[..n]) {
                *y = 0.5 * (*y + o);
            }

            // Keep the tails the next block's filters reach back into.
            ch.x.copy_within(n..n + HIST, 0);
            ch.even.copy_within(n..n + HIST, 0);
            ch.odd.copy_within(n..n + DOWN_DELAY, 0);
        }

        // Tilt: y = hi·x + (lo − hi)·lp, gains ramped per sample. The
        // trapezoidal one-pole v = G(x − s), lp = s + v, s' = s + 2v is
        // rearranged so the recursion on s is one multiply and one add,
        // and both channels run side by side.
        let (mut lo, mut hi) = (lo0, hi0);
        let mut s = [self.ch[0].tone, self.ch[1].tone];
        let (keep, take) = (1.0 - 2.0 * coef, 2.0 * coef);
        for (yl, yr) in l.iter_mut().zip(r.iter_mut()) {
            lo += dlo;
            hi += dhi;
            let x = [*yl as f64, *yr as f64];
            let lp = [
                coef * x[0] + (1.0 - coef) * s[0],
                coef * x[1] + (1.0 - coef) * s[1],
            ];
            s = [take * x[0] + keep * s[0], take * x[1] + keep * s[1]];
            *yl = (hi * x[0] + (lo - hi) * lp[0]) as f32;
            *yr = (hi * x[1] + (lo - hi) * lp[1]) as f32;
        }
        for (ch, s) in self.ch.iter_mut().zip(s) {
            ch.tone = if s.abs() < FLUSH { 0.0 } else { s };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_tanh_tracks_tanh_and_saturates_at_exactly_one() {
        for i in -40_000..=40_000 {
            let x = i as f64 * 5e-4;
            let err = (fast_tanh(x as f32) as f64 - x.tanh()).abs();
            assert!(err < 6e-7, "tanh({x}): error {err}");
        }
        assert_eq!(fast_tanh(1e30), fast_tanh(8.0));
        assert!(fast_tanh(1e30) <= 1.0 && fast_tanh(-1e30) >= -1.0);
    }

    #[test]
    fn halfband_taps_are_a_unity_gain_low_pass() {
        let t = halfband_taps();
        // Both halves of the symmetric branch sum to ½ each: unity DC gain.
        assert!((t.iter().sum::<f32>() - 0.5).abs() < 1e-6);
        // The sinc's main lobe: taps nearest the centre are largest and positive.
        assert!(t[PHASE / 2 - 1] > 0.3 && t[PHASE / 2 - 2] < 0.0);
    }
}
