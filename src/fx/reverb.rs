//! A stereo algorithmic reverb: pre-delay, input diffusion and an 8-line
//! feedback delay network (FDN) with a Hadamard mixing matrix and Jot-style
//! frequency-dependent decay. The output is 100 % wet.
//!
//! ```text
//!  L ─┬─► pre-delay ─► 4 allpasses ─┐           ┌──────────── taps L ──► width ─► L
//!  R ─┘   (stereo)     (stereo)     │ inject     │            taps R ──► (M/S) ─► R
//!                                   ▼            │
//!        ┌──► + ─► line 0..7 (z^-Lᵢ) ─┴─► one-pole low-pass (gain gᵢ, damping) ─┐
//!        │                                                                      │
//!        └──────────────────── 8×8 Hadamard mix ◄───────────────────────────────┘
//! ```
//!
//! * Line lengths are distinct primes (so the lines share no echo period),
//!   about 20–100 ms at size 1 and half that at size 0.
//! * Each line's low-pass has DC gain gᵢ = 10^(−3·Lᵢ/(RT60·fs)), so every
//!   low-frequency mode decays 60 dB in exactly `decay_s`; its Nyquist gain
//!   is set from the high-frequency RT60, which damping 1 makes 5× shorter.
//! * Size and pre-delay changes move the read positions like a tape head:
//!   a glide, then a rate limit, with interpolated reads while they move.
//! * Tiny values in every feedback path are flushed to zero, so the state
//!   never goes subnormal even when the CPU's flush-to-zero flag is off.

use super::blocks::in_blocks;
use crate::fx::smooth::Glide;
use crate::session::effects::params::ReverbParams;

const LINES: usize = 8;
/// Nominal line lengths at size 1, in ms; rounded up to distinct primes.
const LINE_MS: [f32; LINES] = [20.0, 25.3, 31.7, 39.9, 50.2, 63.1, 79.5, 100.0];
/// Input allpass lengths in ms: four stereo stages in series. Both sides
/// share each length so one read fetches the pair; the sides decorrelate
/// in the network, which injects them with orthogonal patterns.
const DIFFUSER_MS: [f32; 4] = [4.77, 3.60, 12.73, 9.31];
const DIFFUSER_GAIN: [f32; 4] = [0.75, 0.75, 0.625, 0.625];
const MAX_PREDELAY_MS: f32 = 250.0;
/// Fastest change of a moving delay, in samples per sample. Limits the pitch
/// bend a size or pre-delay change causes (0.1 ≈ 1.8 semitones).
const SLEW: f32 = 0.1;
/// Values below this in a feedback path are flushed to zero (−300 dB), far
/// above the subnormal range (1.2e-38) even after multiplying by any gain.
const TINY: f32 = 1e-15;
/// Injection patterns for the two input sides and output taps for the two
/// output sides: four different rows of the 8×8 Hadamard matrix, so they are
/// mutually orthogonal and the two outputs are decorrelated.
const INJECT_L: [f32; LINES] = [1.0, 1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0];
const INJECT_R: [f32; LINES] = [1.0, -1.0, -1.0, 1.0, -1.0, 1.0, 1.0, -1.0];
const TAP_L: [f32; LINES] = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0];
const TAP_R: [f32; LINES] = [1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0];
const INPUT_GAIN: f32 = 0.25;
const OUTPUT_GAIN: f32 = 0.3;

#[inline(always)]
fn flush(x: f32) -> f32 {
    if x.abs() < TINY { 0.0 } else { x }
}

/// A delay that glides to a new length, then moves no faster than `SLEW`.
#[derive(Debug, Clone, Copy)]
struct MovingDelay {
    glide: Glide,
    /// The length reached at the end of the last block (rate-limited).
    current: f32,
}

impl MovingDelay {
    fn new(samples: f32, fs: f32) -> Self {
        MovingDelay {
            glide: Glide::new(samples, fs),
            current: samples,
        }
    }

    /// Moves on by `n` samples and returns (start, end) lengths of the block.
    fn advance(&mut self, n: usize) -> (f32, f32) {
        let start = self.current;
        let want = self.glide.advance(n);
        let limit = SLEW * n as f32;
        let step = want - start;
        // Land exactly on the glide's value so a settled delay is an integer.
        self.current = if step.abs() <= limit {
            want
        } else {
            start + limit.copysign(step)
        };
        (start, self.current)
    }
}

pub struct Reverb {
    decay: Glide,
    damping: Glide,
    width: Glide,
    predelay: MovingDelay,
    lengths: [MovingDelay; LINES],
    /// Per-line low-pass `y = b·x + a·y`; `b` includes the 1/√8 of the mix.
    b: [f32; LINES],
    a: [f32; LINES],
    /// Coefficients need recomputing after a state copy even if settled.
    stale: bool,
    fs: f32,
    pos: usize,
    pre_buf: Vec<[f32; 2]>,
    diff_buf: Vec<[[f32; 2]; 4]>,
    diff_len: [usize; 4],
    lines: Vec<[f32; LINES]>,
    lp: [f32; LINES],
}

/// Smallest prime ≥ `n` that is not in `taken`.
fn prime_at_least(mut n: usize, taken: &[usize]) -> usize {
    let is_prime = |n: usize| {
        n >= 2
            && (2..)
                .take_while(|d| d * d <= n)
                .all(|d| !n.is_multiple_of(d))
    };
    while !is_prime(n) || taken.contains(&n) {
        n += 1;
    }
    n
}

/// Line lengths in samples for `size` (0–1): distinct primes.
fn line_lengths(size: f32, fs: f32) -> [usize; LINES] {
    let scale = 0.5 + 0.5 * size;
    let mut out = [0; LINES];
    for i in 0..LINES {
        let nominal = (LINE_MS[i] * scale * 0.001 * fs).round() as usize;
        out[i] = prime_at_least(nominal.max(2), &out[..i]);
    }
    out
}

fn finite_or(v: f32, default: f32) -> f32 {
    if v.is_finite() { v } else { default }
}

fn predelay_samples(p: &ReverbParams, fs: f32) -> f32 {
    (finite_or(p.predelay_ms, 0.0).clamp(0.0, MAX_PREDELAY_MS) * 0.001 * fs).round()
}

fn decay_of(p: &ReverbParams) -> f32 {
    finite_or(p.decay_s, 1.8).clamp(0.1, 20.0)
}

fn unit(v: f32) -> f32 {
    finite_or(v, 0.5).clamp(0.0, 1.0)
}

/// In-place 8-point fast Walsh–Hadamard transform (unnormalised).
#[inline(always)]
fn hadamard(x: &mut [f32; LINES]) {
    let mut h = 1;
    while h < LINES {
        let mut i = 0;
        while i < LINES {
            for j in i..i + h {
                let (p, q) = (x[j], x[j + h]);
                x[j] = p + q;
                x[j + h] = p - q;
            }
            i += 2 * h;
        }
        h *= 2;
    }
}

/// Linear-interpolated read `d` samples behind the newest at `pos`.
#[inline(always)]
fn read_frac<const K: usize>(buf: &[[f32; K]], mask: usize, pos: usize, d: f32, k: usize) -> f32 {
    let whole = d as usize;
    let frac = d - whole as f32;
    let i = pos.wrapping_sub(whole) & mask;
    let a = buf[i][k];
    let b = buf[i.wrapping_sub(1) & mask][k];
    a + (b - a) * frac
}

impl Reverb {
    /// Allocates every buffer for the largest size and pre-delay.
    pub fn new(sample_rate: f32, p: &ReverbParams) -> Self {
        let fs = sample_rate.max(1.0);
        let (pre_len, diff_len, diff_max, line_max) = Self::buffer_lengths(fs);
        let lengths = line_lengths(unit(p.size), fs).map(|n| MovingDelay::new(n as f32, fs));
        let mut r = Reverb {
            decay: Glide::new(decay_of(p), fs),
            damping: Glide::new(unit(p.damping), fs),
            width: Glide::new(unit(p.width), fs),
            predelay: MovingDelay::new(predelay_samples(p, fs), fs),
            lengths,
            b: [0.0; LINES],
            a: [0.0; LINES],
            stale: true,
            fs,
            pos: 0,
            pre_buf: crate::dsp::prefaulted(pre_len),
            diff_buf: crate::dsp::prefaulted(diff_max),
            diff_len,
            lines: crate::dsp::prefaulted(line_max),
            lp: [0.0; LINES],
        };
        r.set_params(p);
        r
    }

    /// Frames of the pre-delay buffer, the diffusers' lengths, the diffuser
    /// buffer and the line buffer at `fs` (buffers rounded up to powers of two).
    fn buffer_lengths(fs: f32) -> (usize, [usize; 4], usize, usize) {
        let pre_len = (MAX_PREDELAY_MS * 0.001 * fs) as usize + 4;
        let line_max = line_lengths(1.0, fs)[LINES - 1] + 4;
        let diff_len = DIFFUSER_MS.map(|ms| ((ms * 0.001 * fs).round() as usize).max(1));
        let diff_max = diff_len.iter().copied().max().unwrap_or(1) + 2;
        (
            pre_len.next_power_of_two(),
            diff_len,
            diff_max.next_power_of_two(),
            line_max.next_power_of_two(),
        )
    }

    /// Bytes `new` allocates at `sample_rate`, without allocating them.
    pub fn memory_bytes(sample_rate: f32) -> usize {
        let (pre, _, diff, lines) = Self::buffer_lengths(sample_rate.max(1.0));
        pre * std::mem::size_of::<[f32; 2]>()
            + diff * std::mem::size_of::<[[f32; 2]; 4]>()
            + lines * std::mem::size_of::<[f32; LINES]>()
            + std::mem::size_of::<Self>()
    }

    /// New targets; every change glides from where it is.
    pub fn set_params(&mut self, p: &ReverbParams) {
        self.decay.set(decay_of(p));
        self.damping.set(unit(p.damping));
        self.width.set(unit(p.width));
        self.predelay.glide.set(predelay_samples(p, self.fs));
        let lens = line_lengths(unit(p.size), self.fs);
        for (d, n) in self.lengths.iter_mut().zip(lens) {
            d.glide.set(n as f32);
        }
    }

    /// Output seconds after the input stops until the tail is 90 dB down:
    /// 1.5 × RT60 plus pre-delay and the build-up through the lines.
    pub fn tail_seconds(p: &ReverbParams) -> f32 {
        let pre = finite_or(p.predelay_ms, 0.0).clamp(0.0, MAX_PREDELAY_MS) * 0.001;
        pre + 1.5 * decay_of(p) + 0.25
    }

    pub fn reset(&mut self) {
        self.pre_buf.fill([0.0; 2]);
        self.diff_buf.fill([[0.0; 2]; 4]);
        self.lines.fill([0.0; LINES]);
        self.lp = [0.0; LINES];
    }

    /// Takes over `other`'s tail and glide positions, keeping this
    /// instance's parameter targets. Built at another sample rate (buffers
    /// of other sizes), it resets instead: that tail would play at the
    /// wrong speed anyway.
    pub fn copy_state_from(&mut self, other: &Self) {
        if self.pre_buf.len() != other.pre_buf.len()
            || self.diff_buf.len() != other.diff_buf.len()
            || self.lines.len() != other.lines.len()
        {
            self.reset();
            return;
        }
        self.pre_buf.copy_from_slice(&other.pre_buf);
        self.diff_buf.copy_from_slice(&other.diff_buf);
        self.lines.copy_from_slice(&other.lines);
        self.lp = other.lp;
        self.pos = other.pos;
        let keep = |mine: &mut Glide, theirs: &Glide| {
            let target = mine.target();
            *mine = *theirs;
            mine.set(target);
        };
        keep(&mut self.decay, &other.decay);
        keep(&mut self.damping, &other.damping);
        keep(&mut self.width, &other.width);
        for (mine, theirs) in self
            .lengths
            .iter_mut()
            .chain([&mut self.predelay])
            .zip(other.lengths.iter().chain([&other.predelay]))
        {
            let target = mine.glide.target();
            *mine = *theirs;
            mine.glide.set(target);
        }
        self.b = other.b;
        self.a = other.a;
        self.stale = other.stale;
    }

    #[doc(hidden)]
    pub fn has_subnormal_state(&self) -> bool {
        let sub = |x: &f32| x.is_subnormal();
        self.pre_buf.iter().flatten().any(sub)
            || self.diff_buf.iter().flatten().flatten().any(sub)
            || self.lines.iter().flatten().any(sub)
            || self.lp.iter().any(sub)
    }

    /// Processes in place; the output is the reverb only (100 % wet).
    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        in_blocks(l, r, |l, r| self.process_block(l, r));
    }

    /// Advances the glides and recomputes the loop gains when they moved.
    fn process_block(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len();
        let settled = self.decay.is_settled()
            && self.damping.is_settled()
            && self.lengths.iter().all(|d| d.current == d.glide.target());
        let decay = self.decay.advance(n);
        let damping = self.damping.advance(n);
        let width = self.width.advance(n);
        let pre = self.predelay.advance(n);
        let lens = self.lengths.each_mut().map(|d| d.advance(n));
        if !settled || self.stale {
            self.update_gains(decay, damping, lens.map(|(_, end)| end));
            self.stale = false;
        }
        let moving = pre.0 != pre.1 || lens.iter().any(|(a, b)| a != b);
        if moving {
            self.run::<true>(l, r, pre, lens, width);
        } else {
            self.run::<false>(l, r, pre, lens, width);
        }
    }

    /// Jot's absorption filters: DC gain g from RT60, Nyquist gain from the
    /// shorter high-frequency RT60.
    fn update_gains(&mut self, rt60: f32, damping: f32, lens: [f32; LINES]) {
        let norm = 1.0 / (LINES as f32).sqrt();
        let hf_extra = 4.0 * damping / rt60; // 1/RT60_hf − 1/RT60
        for (i, len) in lens.into_iter().enumerate() {
            // Nyquist-to-DC gain ratio ρ; a floor keeps the pole off 1.0
            // (a frozen filter) at extreme settings.
            let rho = 10f32.powf(-3.0 * len * hf_extra / self.fs).max(1e-3);
            let a = (1.0 - rho) / (1.0 + rho);
            // The low-pass delays low frequencies by a/(1−a) samples; count
            // that in the loop length so the LF decay stays exact.
            let loop_len = len + a / (1.0 - a);
            let g = 10f32.powf(-3.0 * loop_len / (rt60 * self.fs));
            self.a[i] = a;
            self.b[i] = g * (1.0 - a) * norm;
        }
    }

    /// The sample loop. `MOVING` selects interpolated reads whose positions
    /// ramp across the block; otherwise all delays are whole samples.
    #[inline(always)]
    fn run<const MOVING: bool>(
        &mut self,
        l: &mut [f32],
        r: &mut [f32],
        pre: (f32, f32),
        lens: [(f32, f32); LINES],
        width: f32,
    ) {
        let n = l.len();
        let inv_n = 1.0 / n as f32;
        let pre_mask = self.pre_buf.len() - 1;
        let diff_mask = self.diff_buf.len() - 1;
        let line_mask = self.lines.len() - 1;
        let pre_int = pre.1 as usize;
        let len_int = lens.map(|(_, end)| end as usize);
        let pre_step = (pre.1 - pre.0) * inv_n;
        let len_step = lens.map(|(a, b)| (b - a) * inv_n);
        let (b, a) = (self.b, self.a);
        let mut lp = self.lp;
        let mut pos = self.pos;
        let diff_len = self.diff_len;
        // Slices exactly mask + 1 long, so `i & mask` needs no bounds check.
        let pre_buf = &mut self.pre_buf[..=pre_mask];
        let diff_buf = &mut self.diff_buf[..=diff_mask];
        let lines = &mut self.lines[..=line_mask];
        for j in 0..n {
            let t = (j + 1) as f32;
            // Pre-delay: write first so a zero delay reads this sample.
            pre_buf[pos & pre_mask] = [flush(l[j]), flush(r[j])];
            let (mut xl, mut xr) = if MOVING {
                let d = pre.0 + pre_step * t;
                (
                    read_frac::<2>(pre_buf, pre_mask, pos, d, 0),
                    read_frac::<2>(pre_buf, pre_mask, pos, d, 1),
                )
            } else {
                let v = pre_buf[pos.wrapping_sub(pre_int) & pre_mask];
                (v[0], v[1])
            };
            // Input diffusion: Schroeder allpasses on both sides at once.
            let w = pos & diff_mask;
            for k in 0..4 {
                let d = diff_buf[pos.wrapping_sub(diff_len[k]) & diff_mask][k];
                let g = DIFFUSER_GAIN[k];
                let vl = flush(xl - g * d[0]);
                let vr = flush(xr - g * d[1]);
                diff_buf[w][k] = [vl, vr];
                xl = d[0] + g * vl;
                xr = d[1] + g * vr;
            }
            // FDN: read, damp, mix, write back with the new input.
            let mut rd = [0.0; LINES];
            for i in 0..LINES {
                rd[i] = if MOVING {
                    let d = lens[i].0 + len_step[i] * t;
                    read_frac::<LINES>(lines, line_mask, pos, d, i)
                } else {
                    lines[pos.wrapping_sub(len_int[i]) & line_mask][i]
                };
            }
            let (mut ol, mut or) = (0.0, 0.0);
            for i in 0..LINES {
                lp[i] = flush(b[i] * rd[i] + a[i] * lp[i]);
                ol += TAP_L[i] * rd[i];
                or += TAP_R[i] * rd[i];
            }
            let mut mix = lp;
            hadamard(&mut mix);
            let (il, ir) = (xl * INPUT_GAIN, xr * INPUT_GAIN);
            // No flush needed here: sums of flushed values (≥ 1e-15 or 0)
            // are zero or far above the subnormal range.
            let row = &mut lines[pos & line_mask];
            for i in 0..LINES {
                row[i] = mix[i] + INJECT_L[i] * il + INJECT_R[i] * ir;
            }
            // Width as mid/side: 0 leaves only the mid (mono).
            let mid = 0.5 * OUTPUT_GAIN * (ol + or);
            let side = 0.5 * OUTPUT_GAIN * width * (ol - or);
            l[j] = mid + side;
            r[j] = mid - side;
            pos = pos.wrapping_add(1);
        }
        self.lp = lp;
        self.pos = pos;
    }
}
