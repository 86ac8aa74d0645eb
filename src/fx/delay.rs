//! A stereo delay with a filtered feedback loop, tempo sync, ping-pong and
//! tape-like time changes. The output is 100 % wet: the echoes only.
//!
//! ```text
//!            ┌──────────── feedback × ◄── low-pass ◄── high-pass ◄──┐
//!            ▼                                                       │
//!  in ──►  ( + ) ──► delay line (z^-D, stereo) ──► echo ─────────────┴──► out
//!
//!  ping-pong: in = (L+R)/2 enters the left line only, and each side's
//!  feedback goes to the other side, so repeats alternate L, R, L, …
//! ```
//!
//! * The first echo is the input delayed by exactly D = round(time·fs)
//!   samples; each later repeat is the one before × feedback, through the
//!   loop filters (bypassed when off, so the ratio is exact).
//! * A time change moves the read head like tape: a glide, then a rate
//!   limit, with interpolated reads while it moves. Steady, reads are whole
//!   samples, so echoes arrive with no interpolation error.
//! * Tiny values in the loop are flushed to zero, so the state never goes
//!   subnormal even when the CPU's flush-to-zero flag is off.

use super::blocks::in_blocks;
use crate::dsp::BLOCK;
use crate::fx::smooth::Glide;
use crate::session::effects::params::{DelayParams, MAX_DELAY_MS};

/// Fastest change of the delay, in samples per sample: the read head's
/// speed stays within 0.5×–1.5× (a tape-style pitch bend of ≤ an octave).
const SLEW: f32 = 0.5;
/// Values below this in the loop are flushed to zero (−300 dB).
const TINY: f32 = 1e-15;
/// The loop filters are off at or beyond these corners.
const LOWCUT_OFF_HZ: f32 = 20.0;
const HIGHCUT_OFF_HZ: f32 = 20_000.0;

#[inline(always)]
fn flush(x: f32) -> f32 {
    if x.abs() < TINY { 0.0 } else { x }
}

fn finite_or(v: f32, default: f32) -> f32 {
    if v.is_finite() { v } else { default }
}

/// One-pole smoothing coefficient for a corner at `hz`.
fn one_pole(hz: f32, fs: f32) -> f32 {
    1.0 - (-std::f32::consts::TAU * hz / fs).exp()
}

pub struct Delay {
    fs: f32,
    /// Longest delay in samples.
    max: f32,
    /// Stereo delay line; a power of two long so wrapping is a mask.
    buf: Vec<[f32; 2]>,
    pos: usize,
    /// Delay in samples: the glide, and the rate-limited head position.
    time: Glide,
    head: f32,
    target: usize,
    feedback: Glide,
    lowcut_hz: Glide,
    highcut_hz: Glide,
    /// 0–1: how much of each loop filter is in. Gliding these, rather than
    /// switching, lets a filter come in or out without a click.
    lowcut_in: Glide,
    highcut_in: Glide,
    ping_pong: bool,
    /// One-pole low-pass states; the high-pass is input − its low-pass.
    hp: [f32; 2],
    lp: [f32; 2],
}

impl Delay {
    /// Allocates the line for `MAX_DELAY_MS`. Starts at rest on `p`.
    pub fn new(sample_rate: f32, p: &DelayParams, tempo_bpm: f32) -> Self {
        let fs = sample_rate.max(1.0);
        let max = (MAX_DELAY_MS * 0.001 * fs).round();
        let len = Self::line_len(fs);
        let mut d = Delay {
            fs,
            max,
            buf: crate::dsp::prefaulted(len),
            pos: 0,
            time: Glide::new(1.0, fs),
            head: 1.0,
            target: 1,
            feedback: Glide::new(0.0, fs),
            lowcut_hz: Glide::new(LOWCUT_OFF_HZ, fs),
            highcut_hz: Glide::new(HIGHCUT_OFF_HZ.min(0.45 * fs), fs),
            lowcut_in: Glide::new(0.0, fs),
            highcut_in: Glide::new(0.0, fs),
            ping_pong: p.ping_pong,
            hp: [0.0; 2],
            lp: [0.0; 2],
        };
        d.set_params(p, tempo_bpm);
        for g in [
            &mut d.time,
            &mut d.feedback,
            &mut d.lowcut_hz,
            &mut d.highcut_hz,
            &mut d.lowcut_in,
            &mut d.highcut_in,
        ] {
            g.jump(g.target());
        }
        d.head = d.time.current();
        d
    }

    /// Frames of the delay line at `fs`: room for `MAX_DELAY_MS`.
    fn line_len(fs: f32) -> usize {
        let max = (MAX_DELAY_MS * 0.001 * fs.max(1.0)).round();
        (max as usize + BLOCK + 4).next_power_of_two()
    }

    /// Bytes `new` allocates at `sample_rate`, without allocating them.
    pub fn memory_bytes(sample_rate: f32) -> usize {
        Self::line_len(sample_rate) * std::mem::size_of::<[f32; 2]>() + std::mem::size_of::<Self>()
    }

    fn target_samples(p: &DelayParams, tempo_bpm: f32, fs: f32, max: f32) -> usize {
        let ms = finite_or(p.effective_ms(tempo_bpm), 250.0);
        (ms * 0.001 * fs).round().clamp(1.0, max) as usize
    }

    /// New targets; time, feedback and filters glide from where they are.
    pub fn set_params(&mut self, p: &DelayParams, tempo_bpm: f32) {
        self.target = Self::target_samples(p, tempo_bpm, self.fs, self.max);
        self.time.set(self.target as f32);
        let feedback = finite_or(p.feedback, 0.0).clamp(0.0, 0.95);
        self.feedback.set(feedback);
        let lowcut = finite_or(p.lowcut_hz, 0.0);
        let highcut = finite_or(p.highcut_hz, HIGHCUT_OFF_HZ);
        let (lowcut_on, highcut_on) = (lowcut > LOWCUT_OFF_HZ, highcut < HIGHCUT_OFF_HZ);
        let nyquistish = 0.45 * self.fs;
        // When a filter goes out, its corner stays put while it fades.
        if lowcut_on {
            self.lowcut_hz.set(lowcut.min(nyquistish));
        }
        if highcut_on {
            self.highcut_hz
                .set(highcut.clamp(LOWCUT_OFF_HZ, nyquistish));
        }
        self.lowcut_in.set(if lowcut_on { 1.0 } else { 0.0 });
        self.highcut_in.set(if highcut_on { 1.0 } else { 0.0 });
        self.ping_pong = p.ping_pong;
    }

    /// The target delay in samples (time × rate, rounded).
    pub fn delay_samples(&self) -> usize {
        self.target
    }

    /// Seconds of echoes after the input stops, until a repeat is 90 dB
    /// below the first: echo m arrives at m·T with level feedback^(m−1).
    pub fn tail_seconds(p: &DelayParams, tempo_bpm: f32) -> f32 {
        let t = finite_or(p.effective_ms(tempo_bpm), 250.0).clamp(1.0, MAX_DELAY_MS) * 0.001;
        let fb = finite_or(p.feedback, 0.0).clamp(0.0, 0.95);
        let repeats = if fb < 10f32.powf(-4.5) {
            1.0
        } else {
            1.0 + (4.5 / -fb.log10()).ceil()
        };
        // A little extra for the loop filters' own decay.
        t * repeats + 0.05
    }

    pub fn reset(&mut self) {
        self.buf.fill([0.0; 2]);
        self.hp = [0.0; 2];
        self.lp = [0.0; 2];
    }

    /// Takes over `other`'s echoes and glide positions, keeping this
    /// instance's parameter targets. Built at another sample rate (a line of
    /// another length), it resets instead.
    pub fn copy_state_from(&mut self, other: &Self) {
        if self.buf.len() != other.buf.len() {
            self.reset();
            return;
        }
        self.buf.copy_from_slice(&other.buf);
        self.pos = other.pos;
        self.head = other.head;
        self.hp = other.hp;
        self.lp = other.lp;
        for (mine, theirs) in [
            (&mut self.time, &other.time),
            (&mut self.feedback, &other.feedback),
            (&mut self.lowcut_hz, &other.lowcut_hz),
            (&mut self.highcut_hz, &other.highcut_hz),
            (&mut self.lowcut_in, &other.lowcut_in),
            (&mut self.highcut_in, &other.highcut_in),
        ] {
            let target = mine.target();
            *mine = *theirs;
            mine.set(target);
        }
    }

    #[doc(hidden)]
    pub fn has_subnormal_state(&self) -> bool {
        let sub = |x: &f32| x.is_subnormal();
        self.buf.iter().flatten().any(sub) || self.hp.iter().any(sub) || self.lp.iter().any(sub)
    }

    /// Processes in place; the output is the echoes only (100 % wet).
    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        in_blocks(l, r, |l, r| self.process_block(l, r));
    }

    fn process_block(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len();
        let nf = n as f32;
        // Tape head: follow the glide, but no faster than SLEW.
        let head0 = self.head;
        let want = self.time.advance(n);
        let limit = SLEW * nf;
        let step = want - head0;
        self.head = if step.abs() <= limit {
            want
        } else {
            head0 + limit.copysign(step)
        };
        let head_step = (self.head - head0) / nf;
        let moving = head_step != 0.0;
        let whole = self.head as usize;

        // Feedback and filter amounts ramp per sample within the block; the
        // corners change per block, which a one-pole tolerates smoothly.
        let fb0 = self.feedback.current();
        let fb_step = (self.feedback.advance(n) - fb0) / nf;
        let hp_in0 = self.lowcut_in.current();
        let hp_in_step = (self.lowcut_in.advance(n) - hp_in0) / nf;
        let lp_in0 = self.highcut_in.current();
        let lp_in_step = (self.highcut_in.advance(n) - lp_in0) / nf;
        let hp_on = hp_in0 != 0.0 || hp_in_step != 0.0;
        let lp_on = lp_in0 != 0.0 || lp_in_step != 0.0;
        let hp_c = one_pole(self.lowcut_hz.advance(n), self.fs);
        let lp_c = one_pole(self.highcut_hz.advance(n), self.fs);
        if !hp_on {
            self.hp = [0.0; 2];
        }
        if !lp_on {
            self.lp = [0.0; 2];
        }

        let mask = self.buf.len() - 1;
        let mut pos = self.pos;
        for j in 0..n {
            let t = (j + 1) as f32;
            let echo = if moving {
                let d = head0 + head_step * t;
                let i = pos.wrapping_sub(d as usize) & mask;
                let frac = d - d.floor();
                let (a, b) = (self.buf[i], self.buf[i.wrapping_sub(1) & mask]);
                [a[0] + (b[0] - a[0]) * frac, a[1] + (b[1] - a[1]) * frac]
            } else {
                self.buf[pos.wrapping_sub(whole) & mask]
            };
            let fb = fb0 + fb_step * t;
            let mut back = echo;
            for (s, x) in back.iter_mut().enumerate() {
                if hp_on {
                    self.hp[s] = flush(self.hp[s] + hp_c * (*x - self.hp[s]));
                    *x -= (hp_in0 + hp_in_step * t) * self.hp[s];
                }
                if lp_on {
                    self.lp[s] = flush(self.lp[s] + lp_c * (*x - self.lp[s]));
                    *x += (lp_in0 + lp_in_step * t) * (self.lp[s] - *x);
                }
                *x *= fb;
            }
            self.buf[pos & mask] = if self.ping_pong {
                // Input enters the left only; each side feeds the other.
                [flush(0.5 * (l[j] + r[j]) + back[1]), flush(back[0])]
            } else {
                [flush(l[j] + back[0]), flush(r[j] + back[1])]
            };
            l[j] = echo[0];
            r[j] = echo[1];
            pos = pos.wrapping_add(1);
        }
        self.pos = pos;
    }
}
