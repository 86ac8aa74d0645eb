//! Five-band console EQ: high-pass, low shelf, two peaking bands, high shelf.
//!
//! ```text
//!        ┌─► HPF 12 dB/oct ─┐
//!  L,R ──┤                  ├─ mix ─► low shelf ─► mid 1 ─► mid 2 ─► high shelf ─► L,R
//!        └─► dry ───────────┘  0…1     (each band: freq, gain, Q glide per block)
//! ```
//! Every band is an RBJ Audio-EQ-Cookbook biquad run in transposed direct
//! form II. Coefficients and state are `f64`: a 20 Hz pole pair at 48 kHz
//! sits within 0.2 % of the unit circle, where `f32` coefficients would
//! move the corner and `f32` state would add audible noise.
//!
//! Parameters glide once per block of at most [`BLOCK`] samples and a band's
//! coefficients are recomputed only while one of its glides moves, so a
//! settled EQ costs nothing but the filtering. A band whose gain is exactly
//! 0 dB and settled is the identity and is skipped; its state is cleared,
//! which is exactly the state an identity biquad would have.
//!
//! The high-pass is switched without a click by two glides at once: its
//! cutoff slides to [`HPF_REST_HZ`] (where it barely touches audio) and a
//! dry/filtered crossfade, ramped per sample, moves to dry. Only when both
//! have landed is the filter bypassed. Switching on runs the same way back.
//!
//! Denormals: the state is `f64`, whose subnormal range (below 2e-308)
//! cannot be reached within one block from `FLUSH`, and state below
//! `FLUSH` is set to zero after every block, so silence after a sound
//! becomes exact zeros without relying on flush-to-zero.

use super::smooth::Glide;
use crate::dsp::BLOCK;
use crate::session::effects::params::EqParams;

/// Where the high-pass cutoff rests while it fades in or out: low enough to
/// leave audio alone, so the crossfade between dry and filtered is inaudible.
pub const HPF_REST_HZ: f32 = 5.0;

/// Highest allowed frequency as a share of the sample rate; the bilinear
/// transform squeezes bands above this against Nyquist.
const MAX_FREQ_RATIO: f32 = 0.45;
const MIN_FREQ_HZ: f32 = 1.0;

/// State magnitude (about −400 dBFS) below which it is cleared each block.
const FLUSH: f64 = 1e-20;

const BUTTERWORTH_Q: f64 = std::f64::consts::FRAC_1_SQRT_2;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    HighPass,
    LowShelf,
    Peak,
    HighShelf,
}

/// Normalised biquad coefficients (a0 = 1).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Coefs {
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
}

impl Coefs {
    const IDENTITY: Coefs = Coefs {
        b0: 1.0,
        b1: 0.0,
        b2: 0.0,
        a1: 0.0,
        a2: 0.0,
    };

    /// RBJ cookbook coefficients. Shelves use slope S = 1.
    fn design(shape: Shape, sample_rate: f32, freq_hz: f32, gain_db: f32, q: f32) -> Coefs {
        let f = clamp_freq(freq_hz, sample_rate) as f64;
        let w0 = std::f64::consts::TAU * f / sample_rate as f64;
        let (sin, cos) = w0.sin_cos();
        let a = 10f64.powf(gain_db as f64 / 40.0);
        let (b0, b1, b2, a0, a1, a2) = match shape {
            Shape::HighPass => {
                let alpha = sin / (2.0 * BUTTERWORTH_Q);
                let b = (1.0 + cos) / 2.0;
                (b, -(1.0 + cos), b, 1.0 + alpha, -2.0 * cos, 1.0 - alpha)
            }
            Shape::Peak => {
                let alpha = sin / (2.0 * q.max(1e-3) as f64);
                let (b0, b2) = (1.0 + alpha * a, 1.0 - alpha * a);
                (
                    b0,
                    -2.0 * cos,
                    b2,
                    1.0 + alpha / a,
                    -2.0 * cos,
                    1.0 - alpha / a,
                )
            }
            Shape::LowShelf | Shape::HighShelf => {
                // S = 1: alpha = sin/2 · sqrt((A + 1/A)(1/S − 1) + 2) = sin/√2.
                let k = 2.0 * a.sqrt() * sin * std::f64::consts::FRAC_1_SQRT_2;
                let (ap, am) = (a + 1.0, a - 1.0);
                // The high shelf is the low shelf mirrored about fs/4
                // (z → −z): cos → −cos and the z⁻¹ terms change sign.
                let c = if shape == Shape::LowShelf { cos } else { -cos };
                let s = if shape == Shape::LowShelf { 1.0 } else { -1.0 };
                (
                    a * (ap - am * c + k),
                    s * 2.0 * a * (am - ap * c),
                    a * (ap - am * c - k),
                    ap + am * c + k,
                    s * -2.0 * (am + ap * c),
                    ap + am * c - k,
                )
            }
        };
        Coefs {
            b0: b0 / a0,
            b1: b1 / a0,
            b2: b2 / a0,
            a1: a1 / a0,
            a2: a2 / a0,
        }
    }

    /// |H(e^jω)| in dB.
    fn magnitude_db(&self, sample_rate: f32, freq_hz: f32) -> f64 {
        let w = std::f64::consts::TAU * freq_hz as f64 / sample_rate as f64;
        let (s1, c1) = w.sin_cos();
        let (s2, c2) = (2.0 * w).sin_cos();
        // H = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²), z⁻¹ = e^−jω.
        let (nr, ni) = (
            self.b0 + self.b1 * c1 + self.b2 * c2,
            -self.b1 * s1 - self.b2 * s2,
        );
        let (dr, di) = (
            1.0 + self.a1 * c1 + self.a2 * c2,
            -self.a1 * s1 - self.a2 * s2,
        );
        10.0 * ((nr * nr + ni * ni) / (dr * dr + di * di)).log10()
    }
}

fn clamp_freq(hz: f32, sample_rate: f32) -> f32 {
    hz.clamp(MIN_FREQ_HZ, MAX_FREQ_RATIO * sample_rate)
}

/// One biquad band. Frequency and Q glide in octaves so a sweep moves
/// evenly in pitch; gain glides in dB.
#[derive(Debug, Clone, Copy)]
struct Band {
    shape: Shape,
    log2_freq: Glide,
    gain_db: Glide,
    log2_q: Glide,
    coefs: Coefs,
    /// Transposed direct form II state: [[s1 L, s1 R], [s2 L, s2 R]].
    state: State,
}

impl Band {
    fn new(shape: Shape, sr: f32, freq: f32, gain_db: f32, q: f32) -> Band {
        let mut band = Band {
            shape,
            log2_freq: Glide::new(clamp_freq(freq, sr).log2(), sr),
            gain_db: Glide::new(gain_db, sr),
            log2_q: Glide::new(q.max(1e-3).log2(), sr),
            coefs: Coefs::IDENTITY,
            state: ZERO,
        };
        band.coefs = band.design(sr);
        band
    }

    fn set(&mut self, sr: f32, freq: f32, gain_db: f32, q: f32) {
        set_finite(&mut self.log2_freq, clamp_freq(freq, sr).log2());
        set_finite(&mut self.gain_db, gain_db);
        set_finite(&mut self.log2_q, q.max(1e-3).log2());
    }

    fn design(&self, sr: f32) -> Coefs {
        Coefs::design(
            self.shape,
            sr,
            self.log2_freq.current().exp2(),
            self.gain_db.current(),
            self.log2_q.current().exp2(),
        )
    }

    fn moving(&self) -> bool {
        !(self.log2_freq.is_settled() && self.gain_db.is_settled() && self.log2_q.is_settled())
    }

    /// Advances the glides by `n` samples, redesigning only if one moved.
    fn advance(&mut self, sr: f32, n: usize) {
        if self.moving() {
            self.log2_freq.advance(n);
            self.gain_db.advance(n);
            self.log2_q.advance(n);
            self.coefs = self.design(sr);
        }
    }

    /// A band resting at exactly 0 dB is the identity whatever its
    /// frequency and Q (its numerator equals its denominator).
    fn is_identity(&self) -> bool {
        self.shape != Shape::HighPass && self.gain_db.current() == 0.0 && self.gain_db.is_settled()
    }

    fn flush(&mut self) {
        for s in self.state.as_flattened_mut() {
            if s.abs() < FLUSH {
                *s = 0.0;
            }
        }
    }

    fn copy_state_from(&mut self, other: &Band) {
        copy_glide(&mut self.log2_freq, &other.log2_freq);
        copy_glide(&mut self.gain_db, &other.gain_db);
        copy_glide(&mut self.log2_q, &other.log2_q);
        self.coefs = other.coefs;
        self.state = other.state;
    }
}

/// The four gain bands' (shape, frequency, gain dB, Q); shelves use Q 1
/// (unused: their slope is fixed at S = 1).
fn bands_of(p: &EqParams) -> [(Shape, f32, f32, f32); 4] {
    [
        (Shape::LowShelf, p.low_hz, p.low_gain_db, 1.0),
        (Shape::Peak, p.mid1_hz, p.mid1_gain_db, p.mid1_q),
        (Shape::Peak, p.mid2_hz, p.mid2_gain_db, p.mid2_q),
        (Shape::HighShelf, p.high_hz, p.high_gain_db, 1.0),
    ]
}

/// Ignores a non-finite target rather than letting NaN into the filters.
fn set_finite(g: &mut Glide, v: f32) {
    if v.is_finite() {
        g.set(v);
    }
}

/// Takes over where `other` is now, but keeps heading to our own target.
fn copy_glide(g: &mut Glide, other: &Glide) {
    let target = g.target();
    g.jump(other.current());
    g.set(target);
}

type State = [[f64; 2]; 2];
const ZERO: State = [[0.0; 2]; 2];

/// One TDF-II biquad step on both channels at once. The lanes are laid out
/// side by side and computed alike so the compiler can pair them in one
/// SIMD register.
#[inline(always)]
fn tick(c: &Coefs, s: &mut State, x: [f64; 2]) -> [f64; 2] {
    let y = [c.b0 * x[0] + s[0][0], c.b0 * x[1] + s[0][1]];
    s[0] = [
        c.b1 * x[0] - c.a1 * y[0] + s[1][0],
        c.b1 * x[1] - c.a1 * y[1] + s[1][1],
    ];
    s[1] = [c.b2 * x[0] - c.a2 * y[0], c.b2 * x[1] - c.a2 * y[1]];
    y
}

/// Runs the first `K` stages over the block, sample by sample so the
/// stages overlap in the pipeline. `K` is a constant so the loop over
/// stages unrolls and their state stays in registers.
#[inline(always)]
fn cascade<const K: usize>(stages: &mut [(Coefs, State); 5], l: &mut [f32], r: &mut [f32]) {
    let mut st: [(Coefs, State); K] = std::array::from_fn(|i| stages[i]);
    for (xl, xr) in l.iter_mut().zip(r.iter_mut()) {
        let mut x = [*xl as f64, *xr as f64];
        for (c, s) in &mut st {
            x = tick(c, s, x);
        }
        *xl = x[0] as f32;
        *xr = x[1] as f32;
    }
    stages[..K].copy_from_slice(&st);
}

pub struct Eq {
    sample_rate: f32,
    hpf_on: bool,
    hpf: Band,
    /// Share of the high-passed signal in the output: 0 dry … 1 filtered.
    hpf_mix: Glide,
    /// Low shelf, mid 1, mid 2, high shelf.
    bands: [Band; 4],
}

impl Eq {
    pub fn new(sample_rate: f32, p: &EqParams) -> Self {
        let sr = sample_rate;
        let (hpf_hz, mix) = if p.hpf_on {
            (p.hpf_hz, 1.0)
        } else {
            (HPF_REST_HZ, 0.0)
        };
        Eq {
            sample_rate,
            hpf_on: p.hpf_on,
            hpf: Band::new(Shape::HighPass, sr, hpf_hz, 0.0, 1.0),
            hpf_mix: Glide::new(mix, sr),
            bands: bands_of(p).map(|(shape, hz, db, q)| Band::new(shape, sr, hz, db, q)),
        }
    }

    pub fn set_params(&mut self, p: &EqParams) {
        let sr = self.sample_rate;
        self.hpf_on = p.hpf_on;
        if p.hpf_on {
            self.hpf.set(sr, p.hpf_hz, 0.0, 1.0);
            self.hpf_mix.set(1.0);
        } else {
            self.hpf.set(sr, HPF_REST_HZ, 0.0, 1.0);
            self.hpf_mix.set(0.0);
        }
        for (band, (_, hz, db, q)) in self.bands.iter_mut().zip(bands_of(p)) {
            band.set(sr, hz, db, q);
        }
    }

    pub fn reset(&mut self) {
        self.hpf.state = ZERO;
        for b in &mut self.bands {
            b.state = ZERO;
        }
    }

    /// Takes over `other`'s filter memory and where its glides are now,
    /// keeping this instance's parameter targets: a replacement built with
    /// new parameters then glides from the old sound to the new one.
    pub fn copy_state_from(&mut self, other: &Self) {
        self.hpf.copy_state_from(&other.hpf);
        copy_glide(&mut self.hpf_mix, &other.hpf_mix);
        for (b, o) in self.bands.iter_mut().zip(&other.bands) {
            b.copy_state_from(o);
        }
    }

    /// Analytic magnitude of the whole EQ at `freq_hz`, in dB, once settled:
    /// the sum of the same biquads' responses that `process` runs.
    pub fn response_db(p: &EqParams, sample_rate: f32, freq_hz: f32) -> f32 {
        let sr = sample_rate;
        let mut db = 0.0;
        if p.hpf_on {
            db += Coefs::design(Shape::HighPass, sr, p.hpf_hz, 0.0, 1.0).magnitude_db(sr, freq_hz);
        }
        for (shape, hz, gain, q) in bands_of(p) {
            if gain != 0.0 {
                db += Coefs::design(shape, sr, hz, gain, q).magnitude_db(sr, freq_hz);
            }
        }
        db as f32
    }

    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len().min(r.len());
        for (l, r) in l[..n].chunks_mut(BLOCK).zip(r[..n].chunks_mut(BLOCK)) {
            self.process_block(l, r);
        }
    }

    fn process_block(&mut self, l: &mut [f32], r: &mut [f32]) {
        let sr = self.sample_rate;
        let n = l.len();

        // High-pass: bypassed, fully in (joins the cascade) or crossfading.
        let mix_from = self.hpf_mix.current();
        let mix_to = self.hpf_mix.advance(n);
        self.hpf.advance(sr, n);
        let hpf_bypassed = mix_from == 0.0 && mix_to == 0.0 && !self.hpf_on;
        let hpf_full = mix_from == 1.0 && mix_to == 1.0;
        if hpf_bypassed {
            self.hpf.state = ZERO;
        } else if !hpf_full {
            self.crossfade_hpf(l, r, mix_from, mix_to);
        }

        // Gather the active biquads, then run them all per sample so the
        // stages overlap in the pipeline instead of waiting on each other.
        let mut stages = [(Coefs::IDENTITY, ZERO); 5];
        let mut which = [0usize; 5];
        let mut k = 0;
        if hpf_full {
            stages[0] = (self.hpf.coefs, self.hpf.state);
            which[0] = 0;
            k = 1;
        }
        for (i, band) in self.bands.iter_mut().enumerate() {
            band.advance(sr, n);
            if band.is_identity() {
                band.state = ZERO;
            } else {
                stages[k] = (band.coefs, band.state);
                which[k] = i + 1;
                k += 1;
            }
        }
        match k {
            0 => {}
            1 => cascade::<1>(&mut stages, l, r),
            2 => cascade::<2>(&mut stages, l, r),
            3 => cascade::<3>(&mut stages, l, r),
            4 => cascade::<4>(&mut stages, l, r),
            _ => cascade::<5>(&mut stages, l, r),
        }
        let stages = &stages[..k];
        for (&(_, state), &w) in stages.iter().zip(&which) {
            let band = if w == 0 {
                &mut self.hpf
            } else {
                &mut self.bands[w - 1]
            };
            band.state = state;
        }
        self.hpf.flush();
        for b in &mut self.bands {
            b.flush();
        }
    }

    /// Runs the high-pass with a per-sample ramp from dry to filtered (or
    /// back), so the per-block glide of the mix leaves no steps.
    fn crossfade_hpf(&mut self, l: &mut [f32], r: &mut [f32], from: f32, to: f32) {
        let c = self.hpf.coefs;
        let mut s = self.hpf.state;
        let step = (to as f64 - from as f64) / l.len() as f64;
        let mut m = from as f64;
        for (xl, xr) in l.iter_mut().zip(r.iter_mut()) {
            m += step;
            let x = [*xl as f64, *xr as f64];
            let y = tick(&c, &mut s, x);
            *xl = (x[0] + m * (y[0] - x[0])) as f32;
            *xr = (x[1] + m * (y[1] - x[1])) as f32;
        }
        self.hpf.state = s;
    }
}
