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
