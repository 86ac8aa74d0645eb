//! "Why is this silent?": the plain-language reasons a channel is not heard
//! at the master (or its device outputs). An empty list means nothing in the
//! routing or the controls keeps it quiet.

use super::gains::{Mute, channel_gains};
use super::solo::implied_mutes;
use crate::session::{ChannelKind, Session, hw_output_pair};

/// Reasons channel `id` cannot be heard. `offline` holds the ids of tracks
/// whose audio file cannot be played.
pub fn why_silent(s: &Session, id: &str, offline: &[String]) -> Vec<String> {
    let Some(index) = s.channel_index(id) else {
        return vec![format!("there is no channel \"{id}\"")];
    };
    let c = &s.channels[index];
    let mutes = implied_mutes(s);
    let mut reasons = Vec::new();
    if offline.iter().any(|o| o == id) {
        let file = c.source.as_deref().unwrap_or("?");
        reasons.push(format!("its audio file cannot be played ({file})"));
    }
    reasons.extend(control_reasons(s, index, &mutes, ""));
    if c.kind != ChannelKind::Master {
        if !reaches_output(s, index) {
            reasons.push(
                "it has no route to the master: no output and no send that leads there".into(),
            );
        } else if c.output.is_none()
            && !c.sends.is_empty()
            && c.sends.iter().all(|x| x.level_db.is_none())
        {
            reasons.push("its only routes are sends, and every send is at -inf".into());
        }
        // Everything its main output passes through on the way to the master.
        let mut next = c.output.as_deref().and_then(|o| s.channel_index(o));
        let mut guard = 0;
        while let Some(j) = next {
            let d = &s.channels[j];
            let via = if d.kind == ChannelKind::Master {
                "the master".to_owned()
            } else {
                format!("it feeds \"{}\", which", d.display_name())
            };
            for r in control_reasons(s, j, &mutes, &via) {
                reasons.push(r);
            }
            next = if d.kind == ChannelKind::Master {
                None
            } else {
                d.output.as_deref().and_then(|o| s.channel_index(o))
            };
            guard += 1;
            if guard > s.channels.len() {
                break;
            }
        }
    }
    reasons
}

/// Mute and gain reasons of channel `i`; `via` names it when it is
/// downstream ("it feeds \"Drum Bus\", which").
fn control_reasons(s: &Session, i: usize, mutes: &[bool], via: &str) -> Vec<String> {
    let c = &s.channels[i];
    let g = channel_gains(s, i, false, mutes[i]);
    let subject = |own: &str, other: &str| {
        if via.is_empty() {
            own.to_owned()
        } else {
            format!("{via} {other}")
        }
    };
    let mut out = Vec::new();
    match g.muted {
        Mute::Own => out.push(subject("it is muted", "is muted")),
        Mute::Vca => {
            let names: Vec<&str> = s
                .vcas
                .iter()
                .filter(|v| v.mute && v.members.contains(&c.id))
                .map(|v| {
                    if v.name.is_empty() {
                        v.id.as_str()
                    } else {
                        v.name.as_str()
                    }
                })
                .collect();
            out.push(subject(
                &format!("the VCA \"{}\" is muted", names.join(", ")),
                &format!("is muted by the VCA \"{}\"", names.join(", ")),
            ));
        }
        Mute::Solo => {
            let soloed: Vec<&str> = s
                .channels
                .iter()
                .filter(|x| x.solo)
                .map(|x| x.display_name())
                .collect();
            out.push(subject(
                &format!("it is muted because {} is soloed", soloed.join(", ")),
                &format!("is muted because {} is soloed", soloed.join(", ")),
            ));
        }
        Mute::No => {}
    }
    if g.muted == Mute::No {
        if c.gain_db.is_none() {
            out.push(subject("its fader is at -inf", "has its fader at -inf"));
        } else if g.combined_db.is_none() {
            out.push(subject(
                "a VCA it belongs to is at -inf",
                "is turned to -inf by a VCA",
            ));
        }
    }
    out
}

/// Whether anything leaves channel `i` for the master or a device output,
/// following outputs and sends.
fn reaches_output(s: &Session, i: usize) -> bool {
    let mut seen = vec![false; s.channels.len()];
    let mut stack = vec![i];
    while let Some(k) = stack.pop() {
        if std::mem::replace(&mut seen[k], true) {
            continue;
        }
        let c = &s.channels[k];
        if c.kind == ChannelKind::Master || c.output.as_deref().and_then(hw_output_pair).is_some() {
            return true;
        }
        let targets = c.output.iter().chain(c.sends.iter().map(|x| &x.to));
        stack.extend(targets.filter_map(|t| s.channel_index(t)));
    }
    false
}
