//! A channel's trim and insert chain, run in its own buffer, with the
//! return lanes it carries (wet, parallel) taken through the chain so the
//! master's split stays exact.
//!
//! ```text
//!  feed or sum ─► trim ─► insert 1 ─► insert 2 ─► … ─► channel buffer
//!  lanes       ─► trim ─► reverb/delay: wet += w·(effect − wet), parallel ×(1−w)
//!                         other effects: × their broadband gain in the block
//! ```

use super::ab::AbCompare;
use super::buffers::{Scratch, ramp_values, scale, slot, slot_ref};
use super::plan::{LANES, PlanChannel};
use crate::dsp::{BLOCK, mix};

type Lane<'a> = Option<[&'a mut [f32]; 2]>;

/// A shorter borrow of a lane, to hand to one insert.
fn reborrow<'a>(lane: &'a mut Lane<'_>) -> Lane<'a> {
    lane.as_mut().map(|[a, b]| [&mut **a, &mut **b])
}

/// Buffer `pos` and the lane buffers `lanes` (all after `pos`, in
/// increasing order) of `buffers`, all for writing.
fn lane_slots(
    buffers: &mut [f32],
    pos: usize,
    lanes: [Option<usize>; LANES],
    n: usize,
) -> ([&mut [f32]; 2], [Lane<'_>; LANES]) {
    let size = 2 * BLOCK;
    let (lo, mut rest) = buffers.split_at_mut((pos + 1) * size);
    let (l, r) = lo[pos * size..].split_at_mut(BLOCK);
    let mut start = pos + 1;
    let mut out: [Lane<'_>; LANES] = [None, None];
    for (k, lane) in lanes.into_iter().enumerate() {
        let Some(at) = lane else { continue };
        debug_assert!(at >= start, "lanes come after their channel, in order");
        let tail = std::mem::take(&mut rest);
        let (_, from) = tail.split_at_mut((at - start) * size);
        let (this, after) = from.split_at_mut(size);
        let (a, b) = this.split_at_mut(BLOCK);
        out[k] = Some([&mut a[..n], &mut b[..n]]);
        rest = after;
        start = at + 1;
    }
    ([&mut l[..n], &mut r[..n]], out)
}

/// Trim and the insert chain of `ch`, into its own buffer `pos`: from the
/// feed for a track (a mono source becomes two equal sides), in place for a
/// summing channel. Lanes (returns summed into a bus, or the output of a
/// reverb or delay insert) are carried through the chain.
#[allow(clippy::too_many_arguments)]
pub(super) fn run_inserts(
    ch: &mut PlanChannel,
    pos: usize,
    source: Option<usize>,
    mono: bool,
    inputs: &[f32],
    buffers: &mut [f32],
    sc: &mut Scratch,
    n: usize,
    mut ab: Option<&mut AbCompare>,
) {
    let trim = ramp_values(&mut ch.trim, &mut sc.gain[0][..n]);
    let trim_gain = &sc.gain[0][..n];
    {
        let (l, r) = slot(buffers, pos, n);
        match source {
            Some(feed) => {
                let [il, ir] = slot_ref(inputs, feed, n);
                let ir = if mono { il } else { ir };
                scale(l, il, trim_gain, trim);
                scale(r, ir, trim_gain, trim);
            }
            None if trim != Some(1.0) => {
                sc.out[0][..n].copy_from_slice(l);
                sc.out[1][..n].copy_from_slice(r);
                scale(l, &sc.out[0][..n], trim_gain, trim);
                scale(r, &sc.out[1][..n], trim_gain, trim);
            }
            None => {}
        }
    }
    if ch.lanes.iter().all(Option::is_none) {
        let (l, r) = slot(buffers, pos, n);
        if let Some(ab) = ab.as_deref_mut() {
            ab.keep_input(l, r);
        }
        for insert in &mut ch.inserts {
            insert.process(l, r);
        }
        if let Some(ab) = ab {
            ab.blend(l, r);
        }
        return;
    }
    // The lanes go through the chain with the signal: the trim, then each
    // effect. A reverb or delay tracks them exactly; any other effect
    // scales them by its broadband gain change over the block.
    let ([l, r], mut lanes) = lane_slots(buffers, pos, ch.lanes, n);
    if let Some(ab) = ab.as_deref_mut() {
        ab.keep_input(l, r);
    }
    let t = trim.unwrap_or(ch.trim.current());
    let scale_lanes = |lanes: &mut [Lane<'_>; LANES], g: f32| {
        for [a, b] in lanes.iter_mut().flatten() {
            a.iter_mut().chain(b.iter_mut()).for_each(|x| *x *= g);
        }
    };
    if t != 1.0 {
        scale_lanes(&mut lanes, t);
    }
    let energy = |l: &[f32], r: &[f32]| mix::stats(l).sum_sq + mix::stats(r).sum_sq;
    for insert in &mut ch.inserts {
        if insert.kind().is_time_based() {
            let [wet, par] = &mut lanes;
            insert.process_lanes(l, r, reborrow(wet), reborrow(par));
            continue;
        }
        let before = energy(l, r);
        insert.process(l, r);
        let g = if before > 0.0 {
            (energy(l, r) / before).sqrt()
        } else {
            0.0
        };
        if g != 1.0 {
            scale_lanes(&mut lanes, g);
        }
    }
    if let Some(ab) = ab {
        ab.blend(l, r);
    }
}

/// A channel that is not rendered this block still moves its compensation
/// lines on, so its delayed paths stay in time.
pub(super) fn comp_silence(ch: &mut PlanChannel, n: usize) {
    if let Some(comp) = ch.comp.as_mut() {
        comp.signal.write_silence(n);
        for line in comp.lanes.iter_mut().flatten() {
            line.write_silence(n);
        }
    }
}
