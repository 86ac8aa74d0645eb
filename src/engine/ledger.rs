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

/// What one unit of energy leaving channel `pos` in lane q becomes.
fn out_gains(channels: &[PlanChannel], pos: usize, master: usize) -> [PartGains; 3] {
    let ch = &channels[pos];
    let mut g = [[[0.0; 2]; REACH_PARTS]; 3];
    if pos == master {
        for (q, lane) in g.iter_mut().enumerate() {
            lane[q] = [1.0; 2];
        }
    } else if let Some(d) = ch.dest {
        g = channels[d].tally.gain_in;
    } else if ch.hw_pair.is_some() {
        for lane in &mut g {
            lane[DEVICE] = [1.0; 2];
        }
    }
    g
}

/// After a block (`n` frames) of forward processing: works out where each
/// channel's energy went and adds it to `meters.reach` (and each send's to
/// `meters.sends`). `decay` is the smoothing factor of `recent` for a block
/// of `n` frames.
pub(super) fn settle(
    channels: &mut [PlanChannel],
    meters: &mut Meters,
    master: usize,
    n: usize,
    decay: f32,
) {
    let frames = n.max(1) as f32;
    for ch in channels.iter_mut() {
        ch.tally.fed = [0.0; 2];
    }
    let mut k = 0;
    for pos in 0..channels.len() {
        for s in 0..channels[pos].sends.len() {
            let send = &mut channels[pos].sends[s];
            for side in 0..2 {
                let ms = send.energy[side] / frames;
                send.recent[side] = decay * send.recent[side] + (1.0 - decay) * ms;
            }
            if let Some(total) = meters.sends.get_mut(k) {
                *total += f64::from(send.energy[0] + send.energy[1]);
            }
            k += 1;
            let (dest, recent) = (send.dest, send.recent);
            let fed = &mut channels[dest].tally.fed;
            fed[0] += recent[0];
            fed[1] += recent[1];
        }
    }
    for pos in (0..channels.len()).rev() {
        let out = out_gains(channels, pos, master);
        let ch = &channels[pos];
        if ch.input == Input::Sum {
            let t = &ch.tally;
            let through = [0, 1].map(|s| {
                if ch.rings {
                    ratio(t.output[s], t.fed[s] * frames)
                } else {
                    ratio(t.output[s], t.input[s])
                }
            });
            let mut g = [[[0.0; 2]; REACH_PARTS]; 3];
            for (q, lane) in g.iter_mut().enumerate() {
                // An aux turns whatever enters it into its kind of return.
                let at = ch.returns.map_or(q, |r| r + 1);
                for p in 0..REACH_PARTS {
                    for s in 0..2 {
                        lane[p][s] = through[s] * out[at][p][s];
                    }
                }
            }
            // A bus's (or an aux's) own sends, relative to what entered it.
            for send in &ch.sends {
                let aux = &channels[send.dest].tally.gain_in[0];
                for lane in &mut g {
                    for p in 0..REACH_PARTS {
                        for s in 0..2 {
                            lane[p][s] += ratio(send.energy[s], t.input[s]) * aux[p][s];
                        }
                    }
                }
            }
            channels[pos].tally.gain_in = g;
        }
        let ch = &channels[pos];
        let mut reach = [0.0f32; REACH_PARTS];
        for (q, part) in ch.tally.parts.iter().enumerate() {
            if part[0] == 0.0 && part[1] == 0.0 {
                continue;
            }
            for (p, r) in reach.iter_mut().enumerate() {
                *r += part[0] * out[q][p][0] + part[1] * out[q][p][1];
            }
        }
        for send in &ch.sends {
            let dest = &channels[send.dest];
            let e = if dest.rings {
                send.recent.map(|ms| ms * frames)
            } else {
                send.energy
            };
            let aux = &dest.tally.gain_in[0];
            for (p, r) in reach.iter_mut().enumerate() {
                *r += e[0] * aux[p][0] + e[1] * aux[p][1];
            }
        }
        if let Some(total) = meters.reach.get_mut(pos) {
            for (t, r) in total.iter_mut().zip(reach) {
                *t += f64::from(r);
            }
        }
    }
}
