//! Document checks: what the learner's session says (routes, sends,
//! faders, effects), compared where needed with the session as shipped.

use super::model::{AuxRef, Check, Kind, Route};
use super::outcome::Outcome;
use crate::session::{Channel, ChannelKind, EffectKind, Session};

/// Evaluates a document check; `None` for a measured one.
pub fn document(check: &Check, shipped: &Session, s: &Session) -> Option<Outcome> {
    Some(match check {
        Check::Routed { channels, to, .. } => routed(s, channels, to),
        Check::Fader {
            channels,
            silent,
            moved_db,
            ..
        } => fader(shipped, s, channels, *silent, *moved_db),
        Check::Send {
            from,
            to,
            pre_fader,
            ..
        } => send(s, from, to, *pre_fader),
        Check::Aux { with, .. } => aux(s, *with),
        Check::NoInsert { channels, kind, .. } => no_insert(s, channels, *kind),
        Check::Unchanged { channels, .. } => unchanged(shipped, s, channels),
        _ => return None,
    })
}

/// A channel's or VCA's name for a message.
pub fn name(s: &Session, id: &str) -> String {
    if let Some(c) = s.channel(id) {
        return c.display_name().to_owned();
    }
    match s.vcas.iter().find(|v| v.id == id) {
        Some(v) if !v.name.is_empty() => v.name.clone(),
        _ => id.to_owned(),
    }
}

/// "Kick", "Kick and Snare", "Kick, Snare and Hats".
pub fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn missing(id: &str) -> Outcome {
    Outcome::fail(format!(
        "there is no channel \"{id}\" in the session any more"
    ))
}

/// Where an output goes, in words.
fn target_name(s: &Session, output: Option<&str>) -> String {
    match output {
        None => "nowhere".to_owned(),
        Some(o) if o.starts_with("hw:") => format!("device outputs {}", &o[3..]),
        Some(o) => name(s, o),
    }
}

fn routed(s: &Session, channels: &[String], to: &Route) -> Outcome {
    let mut buses: Vec<&str> = Vec::new();
    for id in channels {
        let Some(c) = s.channel(id) else {
            return missing(id);
        };
        let out = c.output.as_deref();
        let goes = target_name(s, out);
        let ok = match to {
            Route::AnyBus => out
                .and_then(|o| s.channel(o))
                .is_some_and(|t| t.kind == ChannelKind::Bus),
            Route::Master => out
                .and_then(|o| s.channel(o))
                .is_some_and(|t| t.kind == ChannelKind::Master),
            Route::Nowhere => out.is_none(),
            Route::To(target) => out == Some(target.as_str()),
        };
        if !ok {
            let wanted = match to {
                Route::AnyBus => "a bus".to_owned(),
                Route::Master => "the master".to_owned(),
                Route::Nowhere => "nowhere".to_owned(),
                Route::To(t) => target_name(s, Some(t)),
            };
            return Outcome::fail(format!(
                "{} goes to {goes}, not to {wanted}",
                c.display_name()
            ));
        }
        if let Some(o) = out {
            buses.push(o);
        }
    }
    let names: Vec<String> = channels.iter().map(|c| name(s, c)).collect();
    if *to == Route::AnyBus {
        buses.dedup();
        if buses.len() > 1 {
            let each: Vec<String> = channels
                .iter()
                .map(|c| {
                    let out = s.channel(c).and_then(|c| c.output.as_deref());
                    format!("{} to {}", name(s, c), target_name(s, out))
                })
                .collect();
            return Outcome::fail(format!(
                "{}: they go to different buses; one bus is what lets one fader move them all",
                each.join(", ")
            ));
        }
    }
    let verb = match channels.len() {
        1 => "goes",
        2 => "both go",
        _ => "all go",
    };
    let first = channels
        .first()
        .and_then(|c| s.channel(c))
        .and_then(|c| c.output.as_deref());
    Outcome::pass(format!(
        "{} {verb} to {}",
        list(&names),
        target_name(s, first)
    ))
}

/// A fader value by id: a channel's or a VCA's; `Err` when neither exists.
fn gain_of(s: &Session, id: &str) -> Result<Option<f32>, ()> {
    if let Some(c) = s.channel(id) {
        return Ok(c.gain_db);
    }
    s.vcas
        .iter()
        .find(|v| v.id == id)
        .map(|v| v.gain_db)
        .ok_or(())
}

fn show(db: Option<f32>) -> String {
    match db {
        None => "−inf dB".to_owned(),
        Some(v) => format!("{} dB", super::signal::signed(f64::from(v))),
    }
}

fn fader(
    shipped: &Session,
    s: &Session,
    channels: &[String],
    silent: bool,
    moved: Option<[f32; 2]>,
) -> Outcome {
    let mut said = Vec::new();
    for id in channels {
        let Ok(now) = gain_of(s, id) else {
            return missing(id);
        };
        let who = name(s, id);
        if silent && now.is_some() {
            return Outcome::fail(format!("{who}'s fader is at {}, not at −inf", show(now)));
        }
        if let Some([lo, hi]) = moved {
            let was = gain_of(shipped, id).ok().flatten();
            let change = match (was, now) {
                (Some(a), Some(b)) => b - a,
                (None, None) => 0.0,
                (Some(_), None) => f32::NEG_INFINITY,
                (None, Some(_)) => f32::INFINITY,
            };
            let eps = 1e-3;
            let ok = change >= lo - eps && change <= hi + eps;
            let what = if change.abs() < 0.01 {
                "stayed where it was".to_owned()
            } else {
                format!("moved {}", signed32(change))
            };
            if !ok {
                let wanted = if lo.abs() < 0.01 && hi.abs() < 0.01 {
                    "it should stay where it was".to_owned()
                } else {
                    format!("it should move by {} to {}", signed32(lo), signed32(hi))
                };
                return Outcome::fail(format!("{who}'s fader {what} ({}); {wanted}", show(now)));
            }
            said.push(format!("{who} {what}"));
        } else {
            said.push(format!("{who} at {}", show(now)));
        }
    }
    Outcome::pass(format!("faders: {}", said.join(", ")))
}

fn signed32(db: f32) -> String {
    if db.is_infinite() {
        return if db < 0.0 { "−inf" } else { "+inf" }.to_owned();
    }
    format!("{} dB", super::signal::signed(f64::from(db)))
}

/// Whether a channel runs an effect of `kind` that is not bypassed.
pub fn runs(c: &Channel, kind: EffectKind) -> bool {
    c.inserts.iter().any(|i| i.kind() == kind && !i.bypass)
}

/// The auxes an `AuxRef` names: the one with that id, or every aux that
/// runs the kind of effect.
pub fn auxes<'a>(s: &'a Session, r: &AuxRef) -> Vec<&'a Channel> {
    s.channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Aux)
        .filter(|c| match r {
            AuxRef::Id(id) => &c.id == id,
            AuxRef::With { with } => runs(c, with.0),
        })
        .collect()
}

fn describe_ref(r: &AuxRef) -> String {
    match r {
        AuxRef::Id(id) => format!("\"{id}\""),
        AuxRef::With { with } => format!("an aux running a {}", with.0.label().to_lowercase()),
    }
}

fn send(s: &Session, from: &[String], to: &AuxRef, pre: Option<bool>) -> Outcome {
    let candidates = auxes(s, to);
    if candidates.is_empty() {
        return Outcome::fail(match to {
            AuxRef::Id(id) => format!("there is no aux \"{id}\""),
            AuxRef::With { with } => format!(
                "no aux runs a {} yet (Add › Aux, then + FX on it)",
                with.0.label().to_lowercase()
            ),
        });
    }
    // The aux that the most of `from` send to correctly, and what is wrong
    // with the others.
    let mut best: Option<(usize, Vec<String>, &Channel)> = None;
    for aux in candidates {
        let mut problems = Vec::new();
        for id in from {
            let Some(c) = s.channel(id) else {
                return missing(id);
            };
            let who = c.display_name();
            let there = aux.display_name();
            match c.sends.iter().find(|x| x.to == aux.id) {
                None => problems.push(format!("{who} has no send to {there}")),
                Some(x) if x.level_db.is_none() => {
                    problems.push(format!("{who}'s send to {there} is at −inf"))
                }
                Some(x) if pre.is_some_and(|p| p != x.pre_fader) => problems.push(format!(
                    "{who}'s send to {there} is {}-fader",
                    if x.pre_fader { "pre" } else { "post" }
                )),
                Some(_) => {}
            }
        }
        if best.as_ref().is_none_or(|(n, _, _)| problems.len() < *n) {
            best = Some((problems.len(), problems, aux));
        }
    }
    let Some((_, problems, aux)) = best else {
        return Outcome::fail(format!("no {} found", describe_ref(to)));
    };
    if !problems.is_empty() {
        return Outcome::fail(problems.join("; "));
    }
    let names: Vec<String> = from.iter().map(|c| name(s, c)).collect();
    let tap = match pre {
        Some(true) => " pre-fader",
        Some(false) => " post-fader",
        None => "",
    };
    Outcome::pass(format!(
        "{} {} to {}{tap}",
        list(&names),
        if from.len() > 1 { "send" } else { "sends" },
        aux.display_name()
    ))
}

/// Whether `c`'s output leads to the master (through buses).
pub fn reaches_master(s: &Session, c: &Channel) -> bool {
    let mut next = c.output.as_deref();
    for _ in 0..=s.channels.len() {
        match next.and_then(|o| s.channel(o)) {
            Some(t) if t.kind == ChannelKind::Master => return true,
            Some(t) => next = t.output.as_deref(),
            None => return false,
        }
    }
    false
}

fn aux(s: &Session, kind: Kind) -> Outcome {
    let label = kind.0.label().to_lowercase();
    let with: Vec<&Channel> = auxes(s, &AuxRef::With { with: kind });
    if let Some(a) = with.iter().find(|a| reaches_master(s, a)) {
        return Outcome::pass(format!(
            "{} runs a {label} and returns to the master",
            a.display_name()
        ));
    }
    if let Some(a) = with.first() {
        return Outcome::fail(format!(
            "{} runs a {label}, but its output goes to {}, so nothing returns to the master",
            a.display_name(),
            target_name(s, a.output.as_deref())
        ));
    }
    let inserted: Vec<String> = s
        .channels
        .iter()
        .filter(|c| c.kind != ChannelKind::Aux && runs(c, kind.0))
        .map(|c| c.display_name().to_owned())
        .collect();
    if inserted.is_empty() {
        Outcome::fail(format!(
            "no aux runs a {label} (Add › Aux, then + FX › {} on it)",
            kind.0.label()
        ))
    } else {
        Outcome::fail(format!(
            "no aux runs a {label}: the {label} on {} is an insert on the channel itself, not an aux",
            list(&inserted)
        ))
    }
}

fn no_insert(s: &Session, channels: &[String], kind: Kind) -> Outcome {
    let label = kind.0.label().to_lowercase();
    let mut with = Vec::new();
    for id in channels {
        let Some(c) = s.channel(id) else {
            return missing(id);
        };
        if runs(c, kind.0) {
            with.push(c.display_name().to_owned());
        }
    }
    let names: Vec<String> = channels.iter().map(|c| name(s, c)).collect();
    if with.is_empty() {
        Outcome::pass(format!("no {label} inserted on {}", list(&names)))
    } else {
        Outcome::fail(format!(
            "{} still {} a {label} of {} own as an insert",
            list(&with),
            if with.len() > 1 { "run" } else { "runs" },
            if with.len() > 1 { "their" } else { "its" }
        ))
    }
}

fn unchanged(shipped: &Session, s: &Session, channels: &[String]) -> Outcome {
    for id in channels {
        let (Some(a), Some(b)) = (shipped.channel(id), s.channel(id)) else {
            return missing(id);
        };
        let mut changed = Vec::new();
        if a.gain_db != b.gain_db {
            changed.push("fader");
        }
        if a.trim_db != b.trim_db {
            changed.push("trim");
        }
        if a.pan != b.pan {
            changed.push("pan");
        }
        if a.output != b.output {
            changed.push("output");
        }
        if a.sends != b.sends {
            changed.push("sends");
        }
        if a.inserts != b.inserts {
            changed.push("inserts");
        }
        if !changed.is_empty() {
            return Outcome::fail(format!(
                "{} is not as it was: its {} changed",
                b.display_name(),
                list(&changed.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            ));
        }
    }
    let names: Vec<String> = channels.iter().map(|c| name(s, c)).collect();
    let verb = if channels.len() > 1 { "are" } else { "is" };
    Outcome::pass(format!("{} {verb} as shipped", list(&names)))
}

/// What in the document keeps `id`'s own path from the master, in short
/// words: its mute, fader, VCAs, a solo elsewhere, and every channel its
/// output passes through.
pub fn silence_reasons(s: &Session, id: &str) -> Vec<String> {
    let soloing = s.channels.iter().any(|c| c.solo);
    let mut out = Vec::new();
    let mut next = Some(id.to_owned());
    for _ in 0..=s.channels.len() {
        let Some(c) = next.as_deref().and_then(|n| s.channel(n)) else {
            break;
        };
        let who = if c.id == id {
            "it".to_owned()
        } else {
            format!("it goes through {}, which", c.display_name())
        };
        if c.mute {
            out.push(format!("{who} is muted"));
        }
        if c.gain_db.is_none() {
            out.push(format!("{who} has its fader at −inf"));
        }
        for v in s.vcas.iter().filter(|v| v.members.contains(&c.id)) {
            let vca = if v.name.is_empty() { &v.id } else { &v.name };
            if v.mute {
                out.push(format!("{who} is muted by {vca}"));
            }
            if v.gain_db.is_none() {
                out.push(format!("{who} is at −inf on {vca}"));
            }
        }
        if c.id == id && soloing && !c.solo {
            out.push("another channel is soloed".to_owned());
        }
        if c.kind == ChannelKind::Master {
            break;
        }
        match c.output.as_deref() {
            None => {
                out.push(format!("{who} goes nowhere (its output is \"none\")"));
                break;
            }
            Some(o) if o.starts_with("hw:") => break,
            Some(o) => next = Some(o.to_owned()),
        }
    }
    out
}
