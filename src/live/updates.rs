//! Gains and insert settings for the audio side after an edit that keeps
//! the routing: commands that ramp and glide on the audio thread, addressed
//! by the positions of the plan playing.

use super::audio::Command;
use crate::engine::{FeedInfo, PlanLayout};
use crate::graph::{Change, channel_gains, implied_mutes};
use crate::session::Session;

/// The commands `change` (on `channel`, when it is about one) calls for.
/// Structural changes are not handled here: they compile a new plan.
pub(super) fn updates(
    s: &Session,
    layout: &PlanLayout,
    slots: &[(String, FeedInfo)],
    change: Change,
    channel: Option<&str>,
    out: &mut Vec<Command>,
) {
    let mutes = implied_mutes(s);
    let gains = |i: usize, out: &mut Vec<Command>| {
        gain_commands(s, layout, slots, i, mutes[i], out);
    };
    match (change, channel) {
        (Change::Channel, Some(id)) => {
            if let Some(i) = s.channel_index(id) {
                gains(i, out);
            }
        }
        (Change::Insert, Some(id)) => {
            if let Some(i) = s.channel_index(id) {
                gains(i, out);
            }
            insert_commands(s, layout, id, out);
        }
        (Change::Channel | Change::Insert | Change::AllChannels, _) => {
            for i in 0..s.channels.len() {
                gains(i, out);
            }
            for c in &s.channels {
                insert_commands(s, layout, &c.id, out);
            }
        }
        _ => {}
    }
}

/// Where channel `id` sits in the plan `layout` describes.
pub(super) fn position(layout: &PlanLayout, id: &str) -> Option<usize> {
    layout.channels.iter().position(|(c, _)| c == id)
}

/// The feed of track `id`, if its source is open.
pub(super) fn lookup(slots: &[(String, FeedInfo)], id: &str) -> Option<FeedInfo> {
    slots.iter().find(|(t, _)| t == id).map(|(_, f)| *f)
}

/// Channel `i`'s gains (fader, VCAs, mute, pan, sends).
fn gain_commands(
    s: &Session,
    layout: &PlanLayout,
    slots: &[(String, FeedInfo)],
    i: usize,
    solo_muted: bool,
    out: &mut Vec<Command>,
) {
    let id = &s.channels[i].id;
    let Some(pos) = position(layout, id) else {
        return;
    };
    let mono = lookup(slots, id).is_some_and(|f| f.channels == 1);
    let g = channel_gains(s, i, mono, solo_muted);
    let pos = pos as u32;
    out.push(Command::Gains {
        pos,
        out: g.out,
        trim: g.insert_trim.unwrap_or(1.0),
    });
    for (k, gain) in g.sends.into_iter().enumerate() {
        out.push(Command::SendGain {
            pos,
            send: k as u32,
            gain,
        });
    }
}

/// The settings of every insert of channel `id` (parameters, bypass, mix;
/// adding, removing or moving inserts is structural).
fn insert_commands(s: &Session, layout: &PlanLayout, id: &str, out: &mut Vec<Command>) {
    let (Some(pos), Some(c)) = (position(layout, id), s.channel(id)) else {
        return;
    };
    for (index, insert) in c.inserts.iter().enumerate() {
        out.push(Command::Insert {
            pos: pos as u32,
            index: index as u32,
            effect: insert.effect,
            bypass: insert.bypass,
            tempo_bpm: s.tempo_bpm,
        });
    }
}
