//! One block of one plan: every channel in plan order, feeders first.

use super::ab::AbCompare;
use super::buffers::{
    Capture, Scratch, add_gain, ramp_values, scale, slot, slot_ref, src_dst, two_slots,
};
use super::plan::{Input, PlanChannel, RenderPlan};
use crate::dsp::{BLOCK, Ramp, mix};
use crate::session::ChannelKind;

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

/// Renders `n ≤ BLOCK` frames of `plan` from the feed `inputs` into `master`.
/// The channels `capture` names are copied to `sc.listen` and `sc.probe`.
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
    // Summing buffers and wet lanes start empty.
    for (pos, ch) in channels.iter().enumerate() {
        for buf in [(ch.input == Input::Sum).then_some(pos), ch.wet_lane]
            .into_iter()
            .flatten()
        {
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
        if is_silent(ch) {
            comp_silence(ch, n);
            meters.channels[pos].add_silence(n);
            if pos == master_pos {
                meters.dry.add_silence(n);
                meters.wet.add_silence(n);
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
        // Inserts work on the channel's own buffer: trim, then each effect
        // in place. From here on the channel reads that buffer as stereo.
        let (source, mono) = if ch.inserts.is_empty() {
            (source, mono)
        } else {
            let ab = ab.as_deref_mut().filter(|a| a.position() == Some(pos));
            run_inserts(ch, pos, source, mono, inputs, buffers, sc, n, ab);
            (None, false)
        };
        // Latency compensation: the signal (and its wet lane) into the
        // channel's line once; every delayed path reads it back below.
        if let Some(comp) = ch.comp.as_mut() {
            let [l, r] = match source {
                Some(feed) => slot_ref(inputs, feed, n),
                None => slot_ref(buffers, pos, n),
            };
            comp.signal.write(l, if mono { l } else { r });
            if let (Some(line), Some(lane)) = (comp.wet.as_mut(), ch.wet_lane) {
                let [wl, wr] = slot_ref(buffers, lane, n);
                line.write(wl, wr);
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
            for send in ch
                .sends
                .iter()
                .filter(|s| !s.pre_fader && s.gain.current() != 0.0)
            {
                let gs = send.gain.current();
                let (sl, sr) = slot(buffers, send.dest, n);
                mix::add_scaled(sl, l, gl * gs);
                mix::add_scaled(sr, r, gr * gs);
            }
            continue;
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
        meters.channels[pos].add(ol, or);
        // 4. The wet part of this channel's output, if it carries one.
        let wet_out = if ch.kind == ChannelKind::Aux {
            Some(false) // the whole output is wet
        } else if let Some(w) = ch.wet_lane {
            let [l, r] = slot_ref(buffers, w, n);
            scale(&mut sc.wet[0][..n], l, &sc.gain[0][..n], gl);
            scale(&mut sc.wet[1][..n], r, &sc.gain[1][..n], gr);
            Some(true)
        } else {
            None
        };
        if pos == master_pos {
            // Dry/wet split of what leaves the console.
            let (wl, wr) = (&sc.wet[0][..n], &sc.wet[1][..n]);
            meters.wet.add(wl, wr);
            for i in 0..n {
                sc.dry[0][i] = ol[i] - wl[i];
                sc.dry[1][i] = or[i] - wr[i];
            }
            meters.dry.add(&sc.dry[0][..n], &sc.dry[1][..n]);
            master[0][..n].copy_from_slice(ol);
            master[1][..n].copy_from_slice(or);
            continue;
        }
        // 5. Main output: moves the signal to a bus or the master, and its
        //    wet part (if any) to the destination's wet lane — delayed, if
        //    other paths into the destination are later.
        let out_delay = ch.out_delay as usize;
        let delayed = ch.comp.as_ref().filter(|_| out_delay > 0);
        if let Some(comp) = delayed {
            let [l, r] = comp.signal.view(out_delay);
            scale(&mut sc.del[0][..n], l, &sc.gain[0][..n], gl);
            scale(&mut sc.del[1][..n], r, &sc.gain[1][..n], gr);
            if let Some(line) = comp.wet.as_ref() {
                let [l, r] = line.view(out_delay);
                scale(&mut sc.wet[0][..n], l, &sc.gain[0][..n], gl);
                scale(&mut sc.wet[1][..n], r, &sc.gain[1][..n], gr);
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
            if let (Some(lane), Some(from_lane)) = (ch.dest_wet_lane, wet_out) {
                let (wl, wr) = slot(buffers, lane, n);
                let src = if from_lane { &sc.wet } else { main };
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
        for send in ch.sends.iter_mut().filter(|s| !s.pre_fader) {
            let constant = ramp_values(&mut send.gain, &mut sc.send_gain[..n]);
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

/// A channel that is not rendered this block still moves its compensation
/// line on, so its delayed paths stay in time.
fn comp_silence(ch: &mut PlanChannel, n: usize) {
    if let Some(comp) = ch.comp.as_mut() {
        comp.signal.write_silence(n);
        if let Some(w) = comp.wet.as_mut() {
            w.write_silence(n);
        }
    }
}

/// Trim and the insert chain of `ch`, into its own buffer `pos`: from the
/// feed for a track (a mono source becomes two equal sides), in place for a
/// summing channel. A wet lane (aux returns summed into a bus, or the
/// output of a reverb or delay insert) is carried through the chain, so the
/// master's dry/wet split stays meaningful.
#[allow(clippy::too_many_arguments)]
fn run_inserts(
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
    let Some(lane) = ch.wet_lane else {
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
    };
    // The wet lane goes through the chain with the signal: the trim, then
    // each effect. A reverb or delay tracks it exactly; any other effect
    // scales it by its broadband gain change over the block.
    let ([l, r], [wl, wr]) = two_slots(buffers, pos, lane, n);
    if let Some(ab) = ab.as_deref_mut() {
        ab.keep_input(l, r);
    }
    let t = trim.unwrap_or(ch.trim.current());
    if t != 1.0 {
        wl.iter_mut().chain(wr.iter_mut()).for_each(|x| *x *= t);
    }
    let energy = |l: &[f32], r: &[f32]| mix::stats(l).sum_sq + mix::stats(r).sum_sq;
    for insert in &mut ch.inserts {
        if insert.kind().is_time_based() {
            insert.process_tracking_wet(l, r, [&mut *wl, &mut *wr]);
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
            wl.iter_mut().chain(wr.iter_mut()).for_each(|x| *x *= g);
        }
    }
    if let Some(ab) = ab {
        ab.blend(l, r);
    }
}
