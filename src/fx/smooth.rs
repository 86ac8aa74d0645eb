//! Parameter smoothing for effects: a knob move glides instead of jumping,
//! so no parameter change clicks or zips.

/// A value that glides toward its target along a one-pole curve, advanced
/// once per block (filter coefficients are recomputed from it per block).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glide {
    current: f32,
    target: f32,
    /// Time constant in samples.
    tau: f32,
}

/// Time constant of parameter glides.
pub const GLIDE_MS: f32 = 20.0;

impl Glide {
    /// A glide resting at `value`, with the default time constant.
    pub fn new(value: f32, sample_rate: f32) -> Self {
        Glide::with_time(value, sample_rate, GLIDE_MS)
    }

    pub fn with_time(value: f32, sample_rate: f32, time_ms: f32) -> Self {
        Glide {
            current: value,
            target: value,
            tau: (time_ms * 0.001 * sample_rate).max(1.0),
        }
    }

    pub fn set(&mut self, target: f32) {
        self.target = target;
    }

    /// Goes to `value` at once.
    pub fn jump(&mut self, value: f32) {
        self.current = value;
        self.target = value;
    }

    pub fn current(&self) -> f32 {
        self.current
    }

    pub fn target(&self) -> f32 {
        self.target
    }

    pub fn is_settled(&self) -> bool {
        self.current == self.target
    }

    /// Moves on by `n` samples and returns the new value. Lands exactly on
    /// the target once within a hair of it, so a settled glide costs nothing.
    pub fn advance(&mut self, n: usize) -> f32 {
        if self.current != self.target {
            let k = 1.0 - (-(n as f32) / self.tau).exp();
            self.current += (self.target - self.current) * k;
            if (self.target - self.current).abs() <= 1e-5 * self.target.abs().max(1.0) {
                self.current = self.target;
            }
        }
        self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glide_reaches_63_percent_after_one_time_constant_and_then_lands() {
        let mut g = Glide::with_time(0.0, 48_000.0, 10.0);
        g.set(1.0);
        let v = g.advance(480);
        assert!((v - (1.0 - (-1.0f32).exp())).abs() < 1e-4, "{v}");
        for _ in 0..100 {
            g.advance(480);
        }
        assert!(g.is_settled());
        assert_eq!(g.current(), 1.0);
    }
}
