//! Decibels and click-free gain changes.

/// dB to a linear factor; `None` (−inf) is 0. −6.0206 dB is exactly ×0.5.
pub fn db_to_gain(db: Option<f32>) -> f32 {
    match db {
        Some(db) => 10f32.powf(db / 20.0),
        None => 0.0,
    }
}

/// A linear factor in dB; 0 gives `None` (−inf).
pub fn gain_to_db(gain: f32) -> Option<f32> {
    if gain > 0.0 {
        Some(20.0 * gain.log10())
    } else {
        None
    }
}

/// A gain that moves linearly to its target over a fixed number of samples.
///
/// Parameter changes while playing go through a ramp so a fader move never
/// clicks; a new render starts with `current == target` (no fade-in).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ramp {
    current: f32,
    target: f32,
    step: f32,
    remaining: u32,
}

impl Ramp {
    /// A ramp already at `value`.
    pub const fn at(value: f32) -> Self {
        Ramp {
            current: value,
            target: value,
            step: 0.0,
            remaining: 0,
        }
    }

    pub fn current(&self) -> f32 {
        self.current
    }

    pub fn target(&self) -> f32 {
        self.target
    }

    pub fn is_ramping(&self) -> bool {
        self.remaining > 0
    }

    /// Heads for `target` over `samples` samples (0 jumps at once).
    pub fn set(&mut self, target: f32, samples: u32) {
        if target == self.target && (self.remaining > 0 || self.current == target) {
            return;
        }
        self.target = target;
        if samples == 0 || self.current == target {
            self.jump(target);
        } else {
            self.step = (target - self.current) / samples as f32;
            self.remaining = samples;
        }
    }

    /// Sets the value immediately, ending any ramp.
    pub fn jump(&mut self, value: f32) {
        self.current = value;
        self.target = value;
        self.step = 0.0;
        self.remaining = 0;
    }

    /// Writes the next `out.len()` gain values into `out` and advances. Only
    /// needed while ramping; callers take the constant path otherwise.
    pub fn fill(&mut self, out: &mut [f32]) {
        for g in out.iter_mut() {
            if self.remaining > 0 {
                self.current += self.step;
                self.remaining -= 1;
                if self.remaining == 0 {
                    // Land exactly on the target, whatever rounding did.
                    self.current = self.target;
                }
            }
            *g = self.current;
        }
    }

    /// Advances by `n` samples without producing values (the output is silent anyway).
    pub fn skip(&mut self, n: usize) {
        let n = n.min(self.remaining as usize) as u32;
        if n == self.remaining {
            self.jump(self.target);
        } else {
            self.current += self.step * n as f32;
            self.remaining -= n;
        }
    }
}
