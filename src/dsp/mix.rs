//! The inner loops of the mixer, written so the compiler vectorises them:
//! plain indexed loops over equal-length slices.

/// `dst[i] += src[i] * g`
#[inline]
pub fn add_scaled(dst: &mut [f32], src: &[f32], g: f32) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    for i in 0..n {
        dst[i] += src[i] * g;
    }
}

/// `dst[i] += src[i] * g[i]` (a ramping gain)
#[inline]
pub fn add_ramped(dst: &mut [f32], src: &[f32], g: &[f32]) {
    let n = dst.len().min(src.len()).min(g.len());
    let (dst, src, g) = (&mut dst[..n], &src[..n], &g[..n]);
    for i in 0..n {
        dst[i] += src[i] * g[i];
    }
}

/// `dst[i] += src[i]`
#[inline]
pub fn add(dst: &mut [f32], src: &[f32]) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    for i in 0..n {
        dst[i] += src[i];
    }
}

/// `dst[i] = src[i] * g`
#[inline]
pub fn scale_into(dst: &mut [f32], src: &[f32], g: f32) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    for i in 0..n {
        dst[i] = src[i] * g;
    }
}

/// `dst[i] = src[i] * g[i]`
#[inline]
pub fn scale_ramped_into(dst: &mut [f32], src: &[f32], g: &[f32]) {
    let n = dst.len().min(src.len()).min(g.len());
    let (dst, src, g) = (&mut dst[..n], &src[..n], &g[..n]);
    for i in 0..n {
        dst[i] = src[i] * g[i];
    }
}

/// Peak magnitude and sum of squares of a block.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BlockStats {
    pub peak: f32,
    pub sum_sq: f32,
}

impl BlockStats {
    /// The statistics of the same block multiplied by a constant `g`: exact,
    /// so a channel can be metered from its input instead of its output.
    pub fn scaled(self, g: f32) -> Self {
        BlockStats {
            peak: self.peak * g.abs(),
            sum_sq: self.sum_sq * g * g,
        }
    }
}

/// Eight running peak and energy sums; separate lanes let the compiler
/// vectorise what would otherwise be serial additions.
#[derive(Default)]
struct Lanes {
    peak: [f32; 8],
    sq: [f32; 8],
}

impl Lanes {
    /// Adds `x` to lane `k`. A plain comparison, not `f32::max`, avoids its
    /// NaN bookkeeping so this stays a single SIMD max.
    #[inline(always)]
    fn add(&mut self, k: usize, x: f32) {
        let a = x.abs();
        self.peak[k] = if a > self.peak[k] { a } else { self.peak[k] };
        self.sq[k] += x * x;
    }

    #[inline(always)]
    fn finish(&self) -> BlockStats {
        BlockStats {
            peak: self
                .peak
                .iter()
                .fold(0f32, |m, &v| if v > m { v } else { m }),
            sum_sq: self.sq.iter().sum(),
        }
    }
}

/// `dst += src × g`, returning the statistics of `src` — one pass instead
/// of a mix pass plus a meter pass. Eight independent lanes over
/// `chunks_exact` (no bounds checks) let the compiler vectorise all of it.
#[inline]
pub fn add_scaled_stats(dst: &mut [f32], src: &[f32], g: f32) -> BlockStats {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut lanes = Lanes::default();
    let mut d8 = dst.chunks_exact_mut(8);
    let mut s8 = src.chunks_exact(8);
    for (d, s) in (&mut d8).zip(&mut s8) {
        for k in 0..8 {
            d[k] += s[k] * g;
            lanes.add(k, s[k]);
        }
    }
    for (d, &x) in d8.into_remainder().iter_mut().zip(s8.remainder()) {
        *d += x * g;
        lanes.add(0, x);
    }
    lanes.finish()
}

/// Peak and sum of squares of `src` alone.
#[inline]
pub fn stats(src: &[f32]) -> BlockStats {
    let mut lanes = Lanes::default();
    let s8 = src.chunks_exact(8);
    let rest = s8.remainder();
    for s in s8 {
        for (k, &x) in s.iter().enumerate() {
            lanes.add(k, x);
        }
    }
    for &x in rest {
        lanes.add(0, x);
    }
    lanes.finish()
}
