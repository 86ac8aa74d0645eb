//! One block of one plan: every channel in plan order, feeders first, then
//! the ledger works out where each channel's energy went.
//!
//! ```text
//!  for each channel: input ─► inserts ─► pre sends ─► fader·pan ─► dest (+ lanes)
//!                                                                └► post sends
//!  then ledger::settle: energies per channel → master dry / wet / parallel
//! ```

use super::ab::AbCompare;
use super::buffers::{
    Capture, Scratch, add_gain, energy, ramp_values, scale, slot, slot_ref, src_dst,
};
use super::chain::{comp_silence, run_inserts};
use super::ledger::{RECENT_SECONDS, settle};
use super::plan::{DRY, Input, LANES, PARALLEL_LANE, PlanChannel, RenderPlan, WET_LANE};
use crate::dsp::mix::BlockStats;
use crate::dsp::{BLOCK, Ramp, mix};

/// No gain of the channel is moving.
fn steady(ch: &PlanChannel) -> bool {
    !ch.out_gain[0].is_ramping()
        && !ch.out_gain[1].is_ramping()
        && ch.sends.iter().all(|s| !s.gain.is_ramping())
}

fn is_silent(ch: &PlanChannel) -> bool {
    if !ch.inserts.is_empty() {
        return false; // effects keep running (and ringing) whatever the faders do
    }
    let quiet = |r: &Ramp| !r.is_ramping() && r.current() == 0.0;
    quiet(&ch.out_gain[0]) && quiet(&ch.out_gain[1]) && ch.sends.iter().all(|s| quiet(&s.gain))
}

/// `energy` scaled by a gain squared, per side.
fn times(energy: [f32; 2], g: [f32; 2]) -> [f32; 2] {
    [energy[0] * g[0] * g[0], energy[1] * g[1] * g[1]]
}

/// Renders `n ≤ BLOCK` frames of `plan` from the feed `inputs` into `master`.
/// The channels `capture` names are copied to `sc.listen` and `sc.probe`;
/// `ab` compares one channel's inserts.
pub(super) fn render_plan(
    plan: &mut RenderPlan,
    inputs: &[f32],
    sc: &mut Scratch,
    master: &mut [[f32; BLOCK]; 2],
    capture: Capture,
    n: usize,
    mut ab: Option<&mut AbCompare>,
) {
    let RenderPlan {
        channels,
        buffers,
        meters,
        master: master_pos,
        hw_pairs,
        hw_base,
        output_delays,
        output_lines,
        sample_rate,
        stems,
        ..
    } = plan;
    let (master_pos, hw_pairs, hw_base) = (*master_pos, *hw_pairs, *hw_base);
    // Device output pairs (headphone mixes) start empty.
    for p in 0..hw_pairs {
        let (l, r) = slot(buffers, hw_base + p, n);
        l.fill(0.0);
        r.fill(0.0);
    }
    // Summing buffers and lanes start empty.
    for (pos, ch) in channels.iter().enumerate() {
        let sum = (ch.input == Input::Sum).then_some(pos);
        for buf in [sum, ch.lanes[0], ch.lanes[1]].into_iter().flatten() {
            let (l, r) = slot(buffers, buf, n);
            l.fill(0.0);
            r.fill(0.0);
        }
    }
    master[0][..n].fill(0.0);
    master[1][..n].fill(0.0);
    // A silent or offline channel leaves its capture silent.
    if capture.listen.is_some() {
        sc.listen[0][..n].fill(0.0);
        sc.listen[1][..n].fill(0.0);
    }
    if capture.probe.is_some() {
        sc.probe[0][..n].fill(0.0);
        sc.probe[1][..n].fill(0.0);
    }
    for k in 0..stems.channels.len() {
        let (l, r) = slot(&mut stems.buffers, k, n);
        l.fill(0.0);
        r.fill(0.0);
    }
    for (pos, ch) in channels.iter_mut().enumerate() {
        let stem = stems.of_channel.get(pos).copied().flatten();
        ch.tally.clear();
        ch.sends.iter_mut().for_each(|s| s.energy = [0.0; 2]);
        if is_silent(ch) {
            comp_silence(ch, n);
            meters.channels[pos].add_silence(n);
            if pos == master_pos {
                meters.dry.add_silence(n);
                meters.wet.add_silence(n);
                meters.parallel.add_silence(n);
            }
            continue;
        }
        // 1. Where this channel's signal is: a feed's input buffer, or its
        //    own summing buffer (buses, auxes, master). Silence when offline.
        let (source, mono) = match ch.input {
            Input::Feed { slot, mono } if (slot + 1) * 2 * BLOCK <= inputs.len() => {
                (Some(slot), mono)
            }
            Input::Feed { .. } | Input::Offline => (None, false),
            Input::Sum => (None, false),
        };
        if source.is_none() && ch.input != Input::Sum {
            comp_silence(ch, n);
            meters.channels[pos].add_silence(n);
            continue;
        }
        // What enters a summing channel, when the ledger needs it: the
        // gain of effects is measured, and own sends count against it.
        if capture.ledger
            && ch.input == Input::Sum
            && (!(ch.inserts.is_empty() || ch.rings) || !ch.sends.is_empty())
        {
            let [l, r] = slot_ref(buffers, pos, n);
            ch.tally.input = energy(l, r);
        }
        // Inserts work on the channel's own buffer: trim, then each effect
        // in place. From here on the channel reads that buffer as stereo.
        let (source, mono) = if ch.inserts.is_empty() {
            (source, mono)
        } else {
            let ab = ab.as_deref_mut().filter(|a| a.position() == Some(pos));
            run_inserts(ch, pos, source, mono, inputs, buffers, sc, n, ab);
            (None, false)
        };
        // Latency compensation: the signal (and its lanes) into the
        // channel's line once; every delayed path reads it back below.
        if let Some(comp) = ch.comp.as_mut() {
            let [l, r] = match source {
                Some(feed) => slot_ref(inputs, feed, n),
                None => slot_ref(buffers, pos, n),
            };
            comp.signal.write(l, if mono { l } else { r });
            for (line, lane) in comp.lanes.iter_mut().zip(ch.lanes) {
                if let (Some(line), Some(lane)) = (line.as_mut(), lane) {
                    let [wl, wr] = slot_ref(buffers, lane, n);
                    line.write(wl, wr);
                }
            }
        }
        // 2. Pre-fader sends, straight from the input (trim is in the gain).
        for send in ch.sends.iter_mut().filter(|s| s.pre_fader) {
            let constant = ramp_values(&mut send.gain, &mut sc.send_gain[..n]);
            let g = &sc.send_gain[..n];
            if let Some(comp) = ch.comp.as_ref().filter(|_| send.delay > 0) {
                let [l, r] = comp.signal.view(send.delay as usize);
                let (dl, dr) = slot(buffers, send.dest, n);
                add_gain(dl, l, g, constant);
                add_gain(dr, r, g, constant);
                continue;
            }
            match source {
                Some(feed) => {
                    let [l, r] = slot_ref(inputs, feed, n);
                    let r = if mono { l } else { r };
                    let (dl, dr) = slot(buffers, send.dest, n);
                    add_gain(dl, l, g, constant);
                    add_gain(dr, r, g, constant);
                }
                None => {
                    let ([l, r], [dl, dr]) = src_dst(buffers, pos, send.dest, n);
                    add_gain(dl, l, g, constant);
                    add_gain(dr, r, g, constant);
                }
            }
        }
        // Fast path for the common case, a track with steady gains: mix
        // straight from the input into the destination and the post-fader
        // sends, metering the input and scaling its statistics (exact for a
        // constant gain). Four passes over the block instead of nine.
        if let (Some(feed), Some(dest), None) = (source, ch.dest, stem)
            && steady(ch)
            && ch.comp.is_none()
            && !capture.wants(pos)
        {
            let (gl, gr) = (ch.out_gain[0].current(), ch.out_gain[1].current());
            let [l, r] = slot_ref(inputs, feed, n);
            let r = if mono { l } else { r };
            let (dl, dr) = slot(buffers, dest, n);
            let sl = mix::add_scaled_stats(dl, l, gl);
            let sr = if mono {
                mix::add_scaled(dr, r, gr);
                sl
            } else {
                mix::add_scaled_stats(dr, r, gr)
            };
            meters.channels[pos].add_stats(sl.scaled(gl), sr.scaled(gr), n);
            let tap = [sl.sum_sq, sr.sum_sq];
            let out = times(tap, [gl, gr]);
            ch.tally.output = out;
            ch.tally.parts[DRY] = out;
            for send in ch.sends.iter_mut() {
                let gs = send.gain.current();
                if gs == 0.0 {
                    continue;
                }
                if send.pre_fader {
                    send.energy = times(tap, [gs; 2]);
                    continue;
                }
                send.energy = times(out, [gs; 2]);
                let (sl, sr) = slot(buffers, send.dest, n);
                mix::add_scaled(sl, l, gl * gs);
                mix::add_scaled(sr, r, gr * gs);
            }
            continue;
        }
        // What the pre-fader sends delivered: their tap's energy × gain².
        if capture.ledger
            && ch
                .sends
                .iter()
                .any(|s| s.pre_fader && s.gain.current() != 0.0)
        {
            let [l, r] = match source {
                Some(feed) => slot_ref(inputs, feed, n),
                None => slot_ref(buffers, pos, n),
            };
            let tap = energy(l, if mono { l } else { r });
            for send in ch.sends.iter_mut().filter(|s| s.pre_fader) {
                send.energy = times(tap, [send.gain.current(); 2]);
            }
        }
        // 3. Fader × VCAs × pan into the output scratch.
        let gl = ramp_values(&mut ch.out_gain[0], &mut sc.gain[0][..n]);
        let gr = ramp_values(&mut ch.out_gain[1], &mut sc.gain[1][..n]);
        {
            let [l, r] = match source {
                Some(feed) => slot_ref(inputs, feed, n),
                None => slot_ref(buffers, pos, n),
            };
            let r = if mono { l } else { r };
            scale(&mut sc.out[0][..n], l, &sc.gain[0][..n], gl);
            scale(&mut sc.out[1][..n], r, &sc.gain[1][..n], gr);
        }
        if capture.listen == Some(pos) {
            sc.listen[0][..n].copy_from_slice(&sc.out[0][..n]);
            sc.listen[1][..n].copy_from_slice(&sc.out[1][..n]);
        }
        if capture.probe == Some(pos) {
            sc.probe[0][..n].copy_from_slice(&sc.out[0][..n]);
            sc.probe[1][..n].copy_from_slice(&sc.out[1][..n]);
        }
        let (ol, or) = (&sc.out[0][..n], &sc.out[1][..n]);
        let (stat_l, stat_r) = (mix::stats(ol), mix::stats(or));
        meters.channels[pos].add_stats(stat_l, stat_r, n);
        ch.tally.output = [stat_l.sum_sq, stat_r.sum_sq];
        // 4. The returned parts of this channel's output, if it carries any.
        //    An aux's whole output is its kind of return.
        let mut carried = [false; LANES];
        // Statistics of each part (dry, wet, parallel), per side.
        let mut part_stats = [[BlockStats::default(); 2]; 3];
        // The split of a channel's output into parts is for the ledger, and
        // at the master for its meters.
        let split = capture.ledger || pos == master_pos;
        if let Some(k) = ch.returns {
            ch.tally.parts[k + 1] = ch.tally.output;
        } else {
            for (k, lane) in ch.lanes.iter().enumerate() {
                let Some(w) = *lane else { continue };
                let [l, r] = slot_ref(buffers, w, n);
                scale(&mut sc.lane[k][0][..n], l, &sc.gain[0][..n], gl);
                scale(&mut sc.lane[k][1][..n], r, &sc.gain[1][..n], gr);
                if split {
                    part_stats[k + 1] = [
                        mix::stats(&sc.lane[k][0][..n]),
                        mix::stats(&sc.lane[k][1][..n]),
                    ];
                }
                carried[k] = true;
            }
            if !split {
                // Nothing reads the parts of this channel's output.
            } else if carried.iter().any(|&c| c) {
                for side in 0..2 {
                    let dry = &mut sc.dry[side][..n];
                    dry.copy_from_slice(&sc.out[side][..n]);
                    for (k, lane) in sc.lane.iter().enumerate() {
                        if carried[k] {
                            dry.iter_mut()
                                .zip(&lane[side][..n])
                                .for_each(|(d, w)| *d -= w);
                        }
                    }
                    part_stats[DRY][side] = mix::stats(&sc.dry[side][..n]);
                }
            } else {
                part_stats[DRY] = [stat_l, stat_r];
            }
            for (t, st) in ch.tally.parts.iter_mut().zip(&part_stats) {
                *t = [st[0].sum_sq, st[1].sum_sq];
            }
        }
        if pos == master_pos {
            // Dry/wet/parallel split of what leaves the console.
            let [dry, wet, par] = part_stats;
            meters.dry.add_stats(dry[0], dry[1], n);
            for (k, m, st) in [
                (WET_LANE, &mut meters.wet, wet),
                (PARALLEL_LANE, &mut meters.parallel, par),
            ] {
                if carried[k] {
                    m.add_stats(st[0], st[1], n);
                } else {
                    m.add_silence(n);
                }
            }
            master[0][..n].copy_from_slice(&sc.out[0][..n]);
            master[1][..n].copy_from_slice(&sc.out[1][..n]);
            continue;
        }
        // 5. Main output: moves the signal to a bus or the master, and its
        //    returned parts (if any) to the destination's lanes — delayed,
        //    if other paths into the destination are later.
        let out_delay = ch.out_delay as usize;
        let delayed = ch.comp.as_ref().filter(|_| out_delay > 0);
        if let Some(comp) = delayed {
            let [l, r] = comp.signal.view(out_delay);
            scale(&mut sc.del[0][..n], l, &sc.gain[0][..n], gl);
            scale(&mut sc.del[1][..n], r, &sc.gain[1][..n], gr);
            for (k, line) in comp.lanes.iter().enumerate() {
                if let Some(line) = line.as_ref() {
                    let [l, r] = line.view(out_delay);
                    scale(&mut sc.lane[k][0][..n], l, &sc.gain[0][..n], gl);
                    scale(&mut sc.lane[k][1][..n], r, &sc.gain[1][..n], gr);
                }
            }
        }
        let main = if delayed.is_some() { &sc.del } else { &sc.out };
        let (ml, mr) = (&main[0][..n], &main[1][..n]);
        if let Some(dest) = ch.dest {
            let (dl, dr) = slot(buffers, dest, n);
            mix::add(dl, ml);
            mix::add(dr, mr);
            if let Some(k) = stem {
                let (sl, sr) = slot(&mut stems.buffers, k, n);
                sl.copy_from_slice(ml);
                sr.copy_from_slice(mr);
            }
            for (k, lane) in ch.dest_lanes.iter().enumerate() {
                let Some(lane) = *lane else { continue };
                let src = if ch.returns == Some(k) {
                    main
                } else if carried[k] {
                    &sc.lane[k]
                } else {
                    continue;
                };
                let (wl, wr) = slot(buffers, lane, n);
                mix::add(wl, &src[0][..n]);
                mix::add(wr, &src[1][..n]);
            }
        }
        // A headphone / cue mix: straight to a device output pair.
        if let Some(pair) = ch.hw_pair {
            let (hl, hr) = slot(buffers, hw_base + pair - 1, n);
            mix::add(hl, ml);
            mix::add(hr, mr);
        }
        // 6. Post-fader sends: copies of the output (delayed ones scaled
        //    again from the channel's line).
        let output = ch.tally.output;
        for send in ch.sends.iter_mut().filter(|s| !s.pre_fader) {
            let constant = ramp_values(&mut send.gain, &mut sc.send_gain[..n]);
            send.energy = times(output, [send.gain.current(); 2]);
            let (src_l, src_r) = match ch.comp.as_ref().filter(|_| send.delay > 0) {
                Some(comp) => {
                    let [l, r] = comp.signal.view(send.delay as usize);
                    scale(&mut sc.del[0][..n], l, &sc.gain[0][..n], gl);
                    scale(&mut sc.del[1][..n], r, &sc.gain[1][..n], gr);
                    (&sc.del[0][..n], &sc.del[1][..n])
                }
                None => (&sc.out[0][..n], &sc.out[1][..n]),
            };
            let (dl, dr) = slot(buffers, send.dest, n);
            add_gain(dl, src_l, &sc.send_gain[..n], constant);
            add_gain(dr, src_r, &sc.send_gain[..n], constant);
        }
    }
    if capture.ledger {
        let decay = (-(n as f32) / (RECENT_SECONDS * *sample_rate as f32)).exp();
        settle(channels, meters, master_pos, n, decay);
    }
    // Device outputs meet at the same time: the earlier ones wait.
    for (p, line) in output_lines.iter_mut().enumerate() {
        let Some(line) = line.as_mut() else { continue };
        let d = output_delays[p] as usize;
        let (l, r) = if p == 0 {
            let [ml, mr] = master;
            (&mut ml[..n], &mut mr[..n])
        } else if p <= hw_pairs {
            slot(buffers, hw_base + p - 1, n)
        } else {
            continue;
        };
        line.write(l, r);
        let [dl, dr] = line.view(d);
        l.copy_from_slice(dl);
        r.copy_from_slice(dr);
    }
}
