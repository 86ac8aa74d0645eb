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

/// `dst += src × g`, returning the statistics of `src` — one pass instead
/// of a mix pass plus a meter pass. Eight independent lanes over
/// `chunks_exact` (no bounds checks) let the compiler vectorise all of it.
#[inline]
pub fn add_scaled_stats(dst: &mut [f32], src: &[f32], g: f32) -> BlockStats {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut peak = [0f32; 8];
    let mut sq = [0f32; 8];
    let mut d8 = dst.chunks_exact_mut(8);
    let mut s8 = src.chunks_exact(8);
    for (d, s) in (&mut d8).zip(&mut s8) {
        for k in 0..8 {
            let x = s[k];
            d[k] += x * g;
            let a = x.abs();
            peak[k] = if a > peak[k] { a } else { peak[k] };
            sq[k] += x * x;
        }
    }
    for (d, &x) in d8.into_remainder().iter_mut().zip(s8.remainder()) {
        *d += x * g;
        let a = x.abs();
        peak[0] = if a > peak[0] { a } else { peak[0] };
        sq[0] += x * x;
    }
    BlockStats {
        peak: peak.iter().fold(0f32, |m, &v| if v > m { v } else { m }),
        sum_sq: sq.iter().sum(),
    }
}

/// Peak and sum of squares of `src` alone.
#[inline]
pub fn stats(src: &[f32]) -> BlockStats {
    let mut peak = [0f32; 8];
    let mut sq = [0f32; 8];
    let s8 = src.chunks_exact(8);
    let rest = s8.remainder();
    for s in s8 {
        for k in 0..8 {
            let a = s[k].abs();
            peak[k] = if a > peak[k] { a } else { peak[k] };
            sq[k] += s[k] * s[k];
        }
    }
    for &x in rest {
        let a = x.abs();
        peak[0] = if a > peak[0] { a } else { peak[0] };
        sq[0] += x * x;
    }
    BlockStats {
        peak: peak.iter().fold(0f32, |m, &v| if v > m { v } else { m }),
        sum_sq: sq.iter().sum(),
    }
}
