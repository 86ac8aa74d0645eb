//! Float to integer samples for 16- and 24-bit output: rounding, TPDF
//! dither for 16 bit (so quiet fades don't turn into distortion; 24 bit
//! needs none), and a count of the samples that had to be clipped.

/// Bits of an integer format (16 or 24).
#[derive(Debug)]
pub struct Quantizer {
    full: f32,
    dither: Option<Tpdf>,
    /// Samples beyond full scale that had to be clipped.
    pub clipped: u64,
}

impl Quantizer {
    pub fn new(bits: u32) -> Self {
        Quantizer {
            full: ((1u32 << (bits - 1)) - 1) as f32,
            dither: (bits <= 16).then_some(Tpdf(0x9E37_79B9)),
            clipped: 0,
        }
    }

    /// One sample as an integer of the format's range.
    #[inline]
    pub fn sample(&mut self, x: f32) -> i32 {
        let mut v = x * self.full;
        if let Some(d) = self.dither.as_mut() {
            v += d.next();
        }
        let rounded = v.round();
        let (lo, hi) = (-self.full - 1.0, self.full);
        if rounded > hi || rounded < lo || rounded.is_nan() {
            self.clipped += 1;
        }
        // NaN becomes 0 through `as`; ±inf and overs clamp.
        rounded.clamp(lo, hi) as i32
    }
}

/// Triangular dither of ±1 LSB from a tiny xorshift generator.
#[derive(Debug)]
struct Tpdf(u32);

impl Tpdf {
    fn uniform(&mut self) -> f32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        (x as f32 / u32::MAX as f32) - 0.5
    }

    fn next(&mut self) -> f32 {
        self.uniform() + self.uniform()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_scale_24_bit_and_overs_are_counted() {
        let mut q = Quantizer::new(24);
        assert_eq!(q.sample(1.0), 8_388_607);
        assert_eq!(q.sample(-1.0), -8_388_607);
        assert_eq!(q.sample(0.5), 4_194_304);
        assert_eq!(q.clipped, 0);
        assert_eq!(q.sample(1.5), 8_388_607);
        assert_eq!(q.sample(-2.0), -8_388_608);
        assert_eq!(q.clipped, 2);
    }
}
