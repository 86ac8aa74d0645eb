//! The stereo image of a signal: phase correlation, width and balance, from
//! three running sums (L², R², L·R) integrated with one time constant.
//!
//! ```text
//!  L, R ──► ⟨L²⟩ ⟨R²⟩ ⟨LR⟩  (exponential, τ = INTEGRATION_SECONDS)
//!             │
//!             ├─► correlation = ⟨LR⟩ / √(⟨L²⟩⟨R²⟩)        −1 … +1
//!             ├─► width       = √(⟨S²⟩ / ⟨M²⟩),  M = (L+R)/2, S = (L−R)/2
//!             └─► balance     = 10·log10(⟨L²⟩ / ⟨R²⟩) dB
//! ```
//! Identical channels read +1 (mono, width 0), one channel the inverse of the
//! other −1 (all side: it cancels in mono), independent noise about 0.

/// The time constant of the integration, seconds: the meter follows a
/// change to 63 % in this long (about 1 s to settle), like the
/// correlation meters of broadcast consoles.
pub const INTEGRATION_SECONDS: f64 = 0.3;

/// Below this mean power (−60 dBFS RMS) a channel counts as silent and
/// there is nothing to correlate (a loud mix reads silent about 3.5 s after
/// the transport stops).
const SILENT_POWER: f64 = 1e-6;

/// Width is shown up to this (out-of-phase material has no mid at all).
pub const MAX_WIDTH: f64 = 9.99;

#[derive(Debug, Clone, Default)]
pub struct StereoImage {
    ll: f64,
    rr: f64,
    lr: f64,
    /// Per-sample decay for the sample rate last seen.
    decay: f64,
    rate: u32,
}

impl StereoImage {
    /// Adds frames of `width`-channel interleaved audio at `rate`, taking
    /// channels `first` and `first + 1` as left and right.
    pub fn add_interleaved(&mut self, samples: &[f32], width: usize, first: usize, rate: u32) {
        if width < first + 2 || rate == 0 {
            return;
        }
        if rate != self.rate {
            self.rate = rate;
            self.decay = (-1.0 / (INTEGRATION_SECONDS * f64::from(rate))).exp();
        }
        let (a, b) = (self.decay, 1.0 - self.decay);
        let (mut ll, mut rr, mut lr) = (self.ll, self.rr, self.lr);
        for frame in samples.chunks_exact(width) {
            let (l, r) = (f64::from(frame[first]), f64::from(frame[first + 1]));
            if !(l.is_finite() && r.is_finite()) {
                continue;
            }
            ll = a * ll + b * l * l;
            rr = a * rr + b * r * r;
            lr = a * lr + b * l * r;
        }
        (self.ll, self.rr, self.lr) = (ll, rr, lr);
    }

    /// `seconds` of silence (the transport stopped: nothing arrives).
    pub fn fade(&mut self, seconds: f64) {
        let k = (-seconds.max(0.0) / INTEGRATION_SECONDS).exp();
        self.ll *= k;
        self.rr *= k;
        self.lr *= k;
    }

    fn sounding(&self) -> bool {
        self.ll > SILENT_POWER && self.rr > SILENT_POWER
    }

    /// Phase correlation, −1 … +1; `None` while either side is silent.
    pub fn correlation(&self) -> Option<f64> {
        self.sounding()
            .then(|| (self.lr / (self.ll * self.rr).sqrt()).clamp(-1.0, 1.0))
    }

    /// Side level over mid level: 0 mono, 1 as much side as mid (two
    /// independent channels), above 1 more side than mid (it thins out in
    /// mono); capped at `MAX_WIDTH`. `None` in silence.
    pub fn width(&self) -> Option<f64> {
        if self.ll + self.rr <= SILENT_POWER {
            return None;
        }
        let mid = (self.ll + 2.0 * self.lr + self.rr).max(0.0);
        let side = (self.ll - 2.0 * self.lr + self.rr).max(0.0);
        Some(if side >= mid * MAX_WIDTH * MAX_WIDTH {
            MAX_WIDTH
        } else {
            (side / mid).sqrt()
        })
    }

    /// Left over right, dB (positive: the left is louder); ±60 when one
    /// side is silent; `None` when both are.
    pub fn balance_db(&self) -> Option<f64> {
        match (self.ll > SILENT_POWER, self.rr > SILENT_POWER) {
            (false, false) => None,
            (true, false) => Some(60.0),
            (false, true) => Some(-60.0),
            (true, true) => Some((10.0 * (self.ll / self.rr).log10()).clamp(-60.0, 60.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sine_settles_to_its_correlation() {
        let mut m = StereoImage::default();
        let sine: Vec<f32> = (0..48_000)
            .flat_map(|i| {
                let x = (i as f32 * 0.05).sin() * 0.5;
                [x, 0.5 * x]
            })
            .collect();
        m.add_interleaved(&sine, 2, 0, 48_000);
        assert!((m.correlation().unwrap() - 1.0).abs() < 1e-9);
        // L twice R: 6.02 dB to the left.
        assert!((m.balance_db().unwrap() - 6.0206).abs() < 1e-3);
        // M = 0.75x, S = 0.25x: width 1/3.
        assert!((m.width().unwrap() - 1.0 / 3.0).abs() < 1e-6);
        m.fade(10.0);
        assert_eq!(m.correlation(), None);
    }
}
