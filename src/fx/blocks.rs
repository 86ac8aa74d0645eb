//! Splitting a buffer into engine-sized blocks for the effects.

/// Calls `f` on `l`, `r` in pieces of at most `BLOCK` frames: the effects
/// keep fixed-size scratch and glide their parameters once per block.
pub fn in_blocks(l: &mut [f32], r: &mut [f32], mut f: impl FnMut(&mut [f32], &mut [f32])) {
    let n = l.len().min(r.len());
    for (l, r) in l[..n]
        .chunks_mut(crate::dsp::BLOCK)
        .zip(r[..n].chunks_mut(crate::dsp::BLOCK))
    {
        f(l, r);
    }
}
