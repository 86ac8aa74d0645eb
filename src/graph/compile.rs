//! Session → RenderPlan: processing order (Kahn), routes as positions,
//! gains as numbers, wet lanes, effect tails, and which effect state a new
//! plan takes over from the one it replaces.

use std::collections::HashMap;
use std::sync::Arc;

use super::gains::{gains_with_vcas, vca_membership};
use super::latency::{Solved, nodes_of, report, solve};
use super::order::processing_order;
use super::parts::{return_lane, rings};
use super::solo::implied_mutes;
use crate::dsp::{BLOCK, BlockDelay, Meters, Ramp};
use crate::engine::{
    CompLines, FeedInfo, Input, LANES, MeterBank, PlanChannel, PlanLayout, PlanSend, RenderPlan,
    StateCarry, Tally, WET_LANE, next_plan_id,
};
use crate::fx::{self, InsertSlot};
use crate::session::{self, ChannelKind, EffectKind, Session, channel_index_map};

/// Compiles `s`, which must be valid (a loaded file, or a document that only
/// ever changes through validated edits: validation is not repeated here).
/// `feed` tells, for a track id, which engine feed plays its source (or
/// `None` when the source is unavailable). A routing loop is still refused.
pub fn compile(
    s: &Session,
    feed: &dyn Fn(&str) -> Option<FeedInfo>,
) -> session::Result<RenderPlan> {
    super::budget::effect_memory(s)?;
    let order = processing_order(s)?;
    let mut position = vec![0usize; s.channels.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos;
    }
    let solo_muted = implied_mutes(s);
    let index = channel_index_map(s);
    let lookup = |id: &str| index.get(id).copied();
    let vcas_of = vca_membership(s);
    let carries = lane_carriers(s, &order, &lookup);
    let mut lane_count = 0;
    let mut channels = Vec::with_capacity(order.len());
    for &i in &order {
        let c = &s.channels[i];
        let input = match c.kind {
            ChannelKind::Track => match feed(&c.id) {
                Some(f) => Input::Feed {
                    slot: f.slot,
                    mono: f.channels == 1,
                },
                None => Input::Offline,
            },
            _ => Input::Sum,
        };
        let mono = matches!(input, Input::Feed { mono: true, .. });
        let gains = gains_with_vcas(s, i, &vcas_of[i], mono, solo_muted[i]);
        let dest = match c.kind {
            ChannelKind::Master => None,
            _ => c.output.as_deref().and_then(lookup).map(|j| position[j]),
        };
        let sends = c
            .sends
            .iter()
            .zip(&gains.sends)
            .filter_map(|(send, &g)| {
                let j = lookup(&send.to)?;
                Some(PlanSend::new(position[j], send.pre_fader, g))
            })
            .collect();
        // Lane buffers follow the channels, a channel's in lane order.
        let lanes = carries[i].map(|on| {
            on.then(|| {
                lane_count += 1;
                order.len() + lane_count - 1
            })
        });
        channels.push(PlanChannel {
            id: c.id.clone(),
            kind: c.kind,
            session_index: i,
            input,
            out_gain: gains.out.map(Ramp::at),
            dest,
            sends,
            lanes,
            dest_lanes: [None; LANES],
            returns: return_lane(c),
            rings: rings(c),
            tally: Tally::default(),
            hw_pair: c.output.as_deref().and_then(session::hw_output_pair),
            inserts: c
                .inserts
                .iter()
                .map(|ins| InsertSlot::new(ins, s.sample_rate, s.tempo_bpm))
                .collect(),
            trim: Ramp::at(gains.insert_trim.unwrap_or(1.0)),
            out_delay: 0,
            comp: None,
        });
    }
    for pos in 0..channels.len() {
        let lanes = channels[pos]
            .dest
            .map_or([None; LANES], |d| channels[d].lanes);
        channels[pos].dest_lanes = lanes;
    }
    let master = channels
        .iter()
        .position(|c| c.kind == ChannelKind::Master)
        .unwrap_or(0);
    let hw_pairs = channels.iter().filter_map(|c| c.hw_pair).max().unwrap_or(0);
    let nodes = nodes_of(s, &order, &position);
    let solved = solve(&nodes);
    let ids: Vec<&str> = channels.iter().map(|c| c.id.as_str()).collect();
    let latency = report(&ids, &nodes, &solved);
    compensate(&mut channels, &solved);
    let mut output_delays = solved.device_delay.clone();
    output_delays.resize(hw_pairs + 1, 0);
    let output_lines = output_delays
        .iter()
        .map(|&d| (d > 0).then(|| BlockDelay::new(d as usize)))
        .collect();
    let hw_base = order.len() + lane_count;
    let buffers = vec![0.0; (hw_base + hw_pairs) * 2 * BLOCK];
    let tail_seconds = chain_tail(s, &channels);
    let sends = channels.iter().map(|c| c.sends.len()).sum();
    let meters = Meters::with_sends(channels.len(), sends);
    let inserts = channels.iter().map(|c| c.inserts.len()).sum();
    let published = Arc::new(MeterBank::with_sends(channels.len(), inserts, sends));
    Ok(RenderPlan {
        id: next_plan_id(),
        sample_rate: s.sample_rate,
        channels,
        master,
        buffers,
        meters,
        published,
        hw_pairs,
        hw_base,
        tail_seconds,
        carry: Vec::new(),
        carry_from: None,
        comp_carry: Vec::new(),
        latency,
        output_delays,
        output_lines,
        stems: Default::default(),
    })
}

/// Works out, on the UI thread, which insert of the plan `old` each insert
/// of `new` continues, so that after the swap reverb tails and delay lines
/// keep ringing and compressors keep their gain reduction. The k-th insert
/// of a kind on a channel continues the k-th insert of that kind on the
/// channel with the same id. The audio thread then copies state by index.
pub fn link_state(new: &mut RenderPlan, old: &PlanLayout) {
    let previous: HashMap<&str, (usize, &[EffectKind])> = old
        .channels
        .iter()
        .enumerate()
        .map(|(pos, (id, kinds))| (id.as_str(), (pos, kinds.as_slice())))
        .collect();
    let mut carry = Vec::new();
    for (pos, ch) in new.channels.iter().enumerate() {
        let Some(&(old_pos, old_kinds)) = previous.get(ch.id.as_str()) else {
            continue;
        };
        for (k, slot) in ch.inserts.iter().enumerate() {
            let kind = slot.kind();
            let nth = ch.inserts[..k].iter().filter(|i| i.kind() == kind).count();
            let from = old_kinds
                .iter()
                .enumerate()
                .filter(|(_, x)| **x == kind)
                .nth(nth)
                .map(|(j, _)| j);
            if let Some(j) = from {
                carry.push(StateCarry {
                    to: (pos as u32, k as u32),
                    from: (old_pos as u32, j as u32),
                });
            }
        }
    }
    new.carry = carry;
    new.comp_carry = new
        .channels
        .iter()
        .enumerate()
        .filter(|(_, ch)| ch.comp.is_some())
        .filter_map(|(pos, ch)| {
            let &(old_pos, _) = previous.get(ch.id.as_str())?;
            Some((pos as u32, old_pos as u32))
        })
        .collect();
    new.carry_from = Some(old.plan_id);
}

/// Puts the solved delays on the plan's paths, and gives every channel
/// with a delayed path its compensation line (sized here, off the audio
/// thread, from the longest delay it serves).
fn compensate(channels: &mut [PlanChannel], solved: &Solved) {
    for (pos, ch) in channels.iter_mut().enumerate() {
        ch.out_delay = solved.out_delay[pos];
        for (send, &d) in ch.sends.iter_mut().zip(&solved.send_delay[pos]) {
            send.delay = d;
        }
        let longest = ch
            .sends
            .iter()
            .map(|s| s.delay)
            .fold(ch.out_delay, u32::max);
        if longest == 0 {
            continue;
        }
        // A lane is delayed with the main output when it goes on to the
        // destination's lane of the same kind.
        let lanes = [0, 1].map(|k| {
            (ch.out_delay > 0 && ch.lanes[k].is_some() && ch.dest_lanes[k].is_some())
                .then(|| BlockDelay::new(ch.out_delay as usize))
        });
        ch.comp = Some(Box::new(CompLines {
            signal: BlockDelay::new(longest as usize),
            lanes,
        }));
    }
}

/// The longest sum of insert tails along any path from a channel to the
/// master (a delay into a reverb rings for both). `channels` is in
/// processing order, so walking it backwards sees destinations first.
fn chain_tail(s: &Session, channels: &[PlanChannel]) -> f32 {
    let mut tail = vec![0.0f32; channels.len()];
    for pos in (0..channels.len()).rev() {
        let ch = &channels[pos];
        let own: f32 = s.channels[ch.session_index]
            .inserts
            .iter()
            .map(|i| fx::tail_seconds(i, s.tempo_bpm))
            .sum();
        let after = ch
            .dest
            .into_iter()
            .chain(ch.sends.iter().map(|send| send.dest))
            .map(|d| tail[d])
            .fold(0.0, f32::max);
        tail[pos] = own + after;
    }
    tail.into_iter().fold(0.0, f32::max)
}

/// Which return lanes (wet, parallel) each channel carries: the master its
/// wet one, so what leaves the console splits into dry and wet (and
/// parallel, when a parallel return reaches it); a
/// channel with a reverb or delay insert the wet one (its effect's output
/// is wet); and every bus that a return of either kind reaches through
/// main outputs, the lane of that kind.
fn lane_carriers(
    s: &Session,
    order: &[usize],
    lookup: &dyn Fn(&str) -> Option<usize>,
) -> Vec<[bool; LANES]> {
    let mut carries = vec![[false; LANES]; s.channels.len()];
    for &i in order {
        let c = &s.channels[i];
        let time_insert = c.inserts.iter().any(|ins| ins.kind().is_time_based());
        if c.kind == ChannelKind::Master {
            // Its wet lane always (the meter has always had one); its
            // parallel lane when a parallel return reaches it.
            carries[i][WET_LANE] = true;
        } else if c.kind != ChannelKind::Aux && time_insert {
            carries[i][WET_LANE] = true;
        }
        let passes = match return_lane(c) {
            Some(k) => {
                let mut only = [false; LANES];
                only[k] = true;
                only
            }
            None => carries[i],
        };
        if c.kind != ChannelKind::Master
            && let Some(j) = c.output.as_deref().and_then(lookup)
        {
            for k in 0..LANES {
                carries[j][k] |= passes[k];
            }
        }
    }
    carries
}
