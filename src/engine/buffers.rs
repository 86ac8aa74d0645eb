//! The plan's block buffers as slices, the fixed scratch `process` works
//! in, and the small gain loops the channel loop and the insert chain share.
//!
//! ```text
//!  buffers: [ch 0 | ch 1 | … | lane 0 | lane 1 | … | device pair 1 | …]
//!            each slot = BLOCK left samples, then BLOCK right samples
//! ```

use super::plan::LANES;
use crate::dsp::{BLOCK, Ramp, mix};

/// Fixed-size working buffers, so `process` never allocates.
pub(super) struct Scratch {
    pub(super) out: [[f32; BLOCK]; 2],
    /// This channel's share of each return lane, after its fader and pan.
    pub(super) lane: [[[f32; BLOCK]; 2]; LANES],
    pub(super) dry: [[f32; BLOCK]; 2],
    pub(super) gain: [[f32; BLOCK]; 2],
    pub(super) send_gain: [f32; BLOCK],
    /// A delayed (latency-compensated) copy of the output.
    pub(super) del: [[f32; BLOCK]; 2],
    /// The output of the channel the monitor listens to, this block.
    pub(super) listen: [[f32; BLOCK]; 2],
    /// The output of the channel the analyser looks at, this block.
    pub(super) probe: [[f32; BLOCK]; 2],
}

/// What a block keeps beyond the mix: channels whose output (post-fader, as
/// it leaves the strip) is copied out, by plan position — for the monitor's
/// "listen to" and for the analyser's probe — and whether the per-source
/// ledger (`ledger::settle`) works out where each channel's sound went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Capture {
    pub listen: Option<usize>,
    pub probe: Option<usize>,
    pub ledger: bool,
}

impl Capture {
    pub(super) fn wants(&self, pos: usize) -> bool {
        self.listen == Some(pos) || self.probe == Some(pos)
    }
}

impl Scratch {
    pub(super) fn new() -> Self {
        Scratch {
            out: [[0.0; BLOCK]; 2],
            lane: [[[0.0; BLOCK]; 2]; LANES],
            dry: [[0.0; BLOCK]; 2],
            gain: [[0.0; BLOCK]; 2],
            send_gain: [0.0; BLOCK],
            del: [[0.0; BLOCK]; 2],
            listen: [[0.0; BLOCK]; 2],
            probe: [[0.0; BLOCK]; 2],
        }
    }
}

/// The left and right halves of stereo buffer `slot` in `buffers`.
pub(super) fn slot(buffers: &mut [f32], slot: usize, n: usize) -> (&mut [f32], &mut [f32]) {
    let (l, r) = buffers[slot * 2 * BLOCK..(slot + 1) * 2 * BLOCK].split_at_mut(BLOCK);
    (&mut l[..n], &mut r[..n])
}

pub(super) fn slot_ref(buffers: &[f32], slot: usize, n: usize) -> [&[f32]; 2] {
    let (l, r) = buffers[slot * 2 * BLOCK..(slot + 1) * 2 * BLOCK].split_at(BLOCK);
    [&l[..n], &r[..n]]
}

/// Buffer `src` for reading and buffer `dst` for writing at the same time.
pub(super) fn src_dst(
    buffers: &mut [f32],
    src: usize,
    dst: usize,
    n: usize,
) -> ([&[f32]; 2], [&mut [f32]; 2]) {
    let ([sl, sr], dst) = two_slots(buffers, src, dst, n);
    ([&*sl, &*sr], dst)
}

/// Stereo buffers `a` and `b` (different) of `buffers`, both for writing
/// (`src_dst` is the read/write form).
pub(super) fn two_slots(
    buffers: &mut [f32],
    a: usize,
    b: usize,
    n: usize,
) -> ([&mut [f32]; 2], [&mut [f32]; 2]) {
    debug_assert_ne!(a, b);
    let size = 2 * BLOCK;
    let (first, second) = if a < b {
        let (lo, hi) = buffers.split_at_mut(b * size);
        (&mut lo[a * size..(a + 1) * size], &mut hi[..size])
    } else {
        let (lo, hi) = buffers.split_at_mut(a * size);
        (&mut hi[..size], &mut lo[b * size..(b + 1) * size])
    };
    let (al, ar) = first.split_at_mut(BLOCK);
    let (bl, br) = second.split_at_mut(BLOCK);
    ([&mut al[..n], &mut ar[..n]], [&mut bl[..n], &mut br[..n]])
}

/// A ramp as either a constant for the whole block or per-sample values
/// written to `scratch`.
pub(super) fn ramp_values(ramp: &mut Ramp, scratch: &mut [f32]) -> Option<f32> {
    if ramp.is_ramping() {
        ramp.fill(scratch);
        None
    } else {
        Some(ramp.current())
    }
}

/// `dst += src × gain`, constant or per sample.
pub(super) fn add_gain(dst: &mut [f32], src: &[f32], gain: &[f32], constant: Option<f32>) {
    match constant {
        Some(g) => mix::add_scaled(dst, src, g),
        None => mix::add_ramped(dst, src, gain),
    }
}

/// `dst = src × gain`, constant or per sample.
pub(super) fn scale(dst: &mut [f32], src: &[f32], gain: &[f32], constant: Option<f32>) {
    match constant {
        Some(g) => mix::scale_into(dst, src, g),
        None => mix::scale_ramped_into(dst, src, gain),
    }
}

/// Energy (sum of squares) of each side.
pub(super) fn energy(l: &[f32], r: &[f32]) -> [f32; 2] {
    [mix::stats(l).sum_sq, mix::stats(r).sum_sq]
}
