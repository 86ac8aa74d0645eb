//! Where every channel's sound ends up: per block, the energy each channel
//! delivers to the master's dry, wet and parallel parts and to the other
//! device outputs — what the dry/wet meter of a *source* shows.
//!
//! ```text
//!  forward (process): every channel tallies the energy of its input, of
//!      each part of its output (dry, wet, parallel) and of each send
//!  backward (settle), master first: what one unit of energy entering a
//!      channel becomes at each output part ("gain_in"), from its own
//!      in → out ratio and what its destination and its sends make of it;
//!      then every channel's output parts and sends are carried through
//! ```
//! Exact where the path is made of gains — faders, pans, VCAs, mutes, buses,
//! auxes without effects: the gain a bus applies to its sum is the gain it
//! applies to each member, so a member's share is its own energy times the
//! bus's out/in ratio. Dynamics and tone inserts on a bus count as the
//! broadband gain they applied in the block (as the master's wet lane
//! does). A ringing return (reverb, delay) shares its output among the
//! sources that fed it by what each sent over the last second or so, so its
//! tail belongs to whoever caused it; with one source that is exact. Paths
//! of one kind add up as energies: two returns of one source are taken to
//! neither cancel nor reinforce. Allocation-free: everything lives in the
//! plan.

use super::plan::{DEVICE, Input, PartGains, PlanChannel};
use crate::dsp::{Meters, REACH_PARTS};

/// How long a ringing return remembers who fed it, seconds.
pub const RECENT_SECONDS: f32 = 1.0;

/// `a / b`, or 0 when there is nothing to divide by.
fn ratio(a: f32, b: f32) -> f32 {
    if b > 1e-30 { a / b } else { 0.0 }
}

/// Where what leaves a channel's output goes next, as energy gains.
enum Next<'a> {
    /// It is the master: each lane arrives as itself.
    Master,
    /// Into a channel's input (that channel's `gain_in`).
    Into(&'a [PartGains; 3]),
    /// Straight to a device output pair.
    Device,
    /// Nowhere (an unrouted output).
    Nowhere,
}

fn next_of(channels: &[PlanChannel], pos: usize, master: usize) -> Next<'_> {
    let ch = &channels[pos];
    if pos == master {
        Next::Master
    } else if let Some(d) = ch.dest {
        Next::Into(&channels[d].tally.gain_in)
    } else if ch.hw_pair.is_some() {
        Next::Device
    } else {
        Next::Nowhere
    }
}

/// `acc[p][s] += k[s] * g[p][s]` for every part and side.
fn add_gains(acc: &mut PartGains, k: [f32; 2], g: &PartGains) {
    for (a, g) in acc.iter_mut().zip(g) {
        a[0] += k[0] * g[0];
        a[1] += k[1] * g[1];
    }
}

/// `reach[p] += e[0] * g[p][0] + e[1] * g[p][1]`.
fn add_reach(reach: &mut [f32; REACH_PARTS], e: [f32; 2], g: &PartGains) {
    for (r, g) in reach.iter_mut().zip(g) {
        *r += e[0] * g[0] + e[1] * g[1];
    }
}

/// After a block (`n` frames) of forward processing: works out where each
/// channel's energy went and adds it to `meters.reach` (and each send's to
/// `meters.sends`). `decay` is the smoothing factor of `recent` for a block
/// of `n` frames. Destinations come after their sources in plan order, so
/// walking the plan backwards meets every destination first.
pub(super) fn settle(
    channels: &mut [PlanChannel],
    meters: &mut Meters,
    master: usize,
    n: usize,
    decay: f32,
) {
    let frames = n.max(1) as f32;
    let per_frame = (1.0 - decay) / frames;
    for ch in channels.iter_mut().filter(|c| c.rings) {
        ch.tally.fed = [0.0; 2];
    }
    let mut k = 0;
    for pos in 0..channels.len() {
        for s in 0..channels[pos].sends.len() {
            let send = &mut channels[pos].sends[s];
            let e = send.energy;
            send.recent = [0, 1].map(|i| decay * send.recent[i] + per_frame * e[i]);
            if let Some(total) = meters.sends.get_mut(k) {
                *total += f64::from(e[0] + e[1]);
            }
            k += 1;
            let (dest, recent) = (send.dest, send.recent);
            if channels[dest].rings {
                let fed = &mut channels[dest].tally.fed;
                fed[0] += recent[0];
                fed[1] += recent[1];
            }
        }
    }
    for pos in (0..channels.len()).rev() {
        if channels[pos].input == Input::Sum {
            let g = gain_in(channels, pos, master, frames);
            channels[pos].tally.gain_in = g;
        }
        let ch = &channels[pos];
        let mut reach = [0.0f32; REACH_PARTS];
        match next_of(channels, pos, master) {
            Next::Master => {
                for (q, part) in ch.tally.parts.iter().enumerate() {
                    reach[q] += part[0] + part[1];
                }
            }
            Next::Into(g) => {
                for (part, g) in ch.tally.parts.iter().zip(g) {
                    if part[0] != 0.0 || part[1] != 0.0 {
                        add_reach(&mut reach, *part, g);
                    }
                }
            }
            Next::Device => {
                let t = &ch.tally.parts;
                reach[DEVICE] += t.iter().map(|p| p[0] + p[1]).sum::<f32>();
            }
            Next::Nowhere => {}
        }
        for send in &ch.sends {
            let dest = &channels[send.dest];
            let e = if dest.rings {
                send.recent.map(|ms| ms * frames)
            } else {
                send.energy
            };
            if e[0] != 0.0 || e[1] != 0.0 {
                add_reach(&mut reach, e, &dest.tally.gain_in[0]);
            }
        }
        if let Some(total) = meters.reach.get_mut(pos) {
            for (t, r) in total.iter_mut().zip(reach) {
                *t += f64::from(r);
            }
        }
    }
}

/// What one unit of energy entering summing channel `pos` in each lane
/// becomes at each output part: its own in → out ratio (its gains, or what
/// its effects measured, or for a ringing aux its output over what it was
/// fed recently) times what its destination makes of it, plus what its own
/// sends carry on.
fn gain_in(channels: &[PlanChannel], pos: usize, master: usize, frames: f32) -> [PartGains; 3] {
    let ch = &channels[pos];
    let t = &ch.tally;
    let through: [f32; 2] = [0, 1].map(|s| {
        if ch.rings {
            ratio(t.output[s], t.fed[s] * frames)
        } else if ch.inserts.is_empty() {
            // Gains only: the ratio is the gain squared, whatever the signal.
            let g = ch.out_gain[s].current();
            g * g
        } else {
            ratio(t.output[s], t.input[s])
        }
    });
    let mut g = [[[0.0; 2]; REACH_PARTS]; 3];
    for (q, lane) in g.iter_mut().enumerate() {
        // An aux turns whatever enters it into its kind of return.
        let at = ch.returns.map_or(q, |r| r + 1);
        match next_of(channels, pos, master) {
            Next::Master => lane[at] = through,
            Next::Into(next) => add_gains(lane, through, &next[at]),
            Next::Device => lane[DEVICE] = through,
            Next::Nowhere => {}
        }
    }
    // Its own sends, relative to what entered it (a bus's sends need the
    // measured input; without one they count as nothing).
    for send in &ch.sends {
        let k = [
            ratio(send.energy[0], t.input[0]),
            ratio(send.energy[1], t.input[1]),
        ];
        if k == [0.0; 2] {
            continue;
        }
        let aux = &channels[send.dest].tally.gain_in[0];
        for lane in &mut g {
            add_gains(lane, k, aux);
        }
    }
    g
}
