//! The places a signal stops, each in plain words with the one edit that
//! reopens it: mutes (own, VCA, solo), faders and VCAs at −inf, sends at
//! −inf, outputs that go nowhere, device outputs the device lacks.
//!
//! ```text
//!  at channel c, leaving by hop h:  muted? ──► stop (all hops, pre-fader too)
//!                                   fader or VCA at −inf? ──► stop (unless h is pre-fader)
//! ```

use super::gains::{Mute, channel_gains};
use super::paths::{Hop, name_of, outputs_text};
use crate::session::{ChannelKind, Edit, Session, hw_output_name};

/// The one edit that reopens a stop, and what to call it on a button.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub label: String,
    pub edit: Edit,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StopKind {
    /// The track's audio file cannot be played.
    Offline,
    Muted,
    /// Muted by a VCA (its id).
    VcaMuted(String),
    /// Muted because something else is soloed.
    SoloMuted,
    FaderInf,
    /// A VCA (its id) at −inf.
    VcaInf(String),
    /// The send to this aux is at −inf.
    SendInf(String),
    /// The channel's output goes nowhere.
    NoOutput,
    /// Nothing leaves the channel for any output at all.
    NoRoute,
    /// A device output pair the device does not have.
    NoDevice(usize),
}

/// A place where the signal stops.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    /// The channel where it stops.
    pub at: String,
    pub kind: StopKind,
    /// In plain words, from the asked channel's point of view
    /// ("it feeds \"Drum Bus\", which is muted").
    pub text: String,
    pub fix: Option<Fix>,
    /// Indices in `Hearing::paths` of the paths it stops.
    pub paths: Vec<usize>,
}

/// A live level in dB of what leaves channel `id` by its output (`None`)
/// or by its send to an aux (`Some(aux)`); `None` when silent.
pub type LevelOf<'a> = dyn Fn(&str, Option<&str>) -> Option<f32> + 'a;

/// What the reasoning needs besides the session.
pub struct Listen<'a> {
    /// Tracks whose audio file cannot be played.
    pub offline: &'a [String],
    /// Whether a track's source is mono.
    pub mono: &'a dyn Fn(&str) -> bool,
    /// Device pairs beyond the master's the device has (`None`: unknown,
    /// every pair counts as there).
    pub device_pairs: Option<usize>,
    /// Live levels in dB (`None`: silent) of what leaves a channel: by its
    /// output (`(id, None)`, the channel's meter) or by its send to an aux
    /// (`(id, Some(aux))`). `None` here when there are no meters (a file,
    /// no playback): then an open path counts as heard.
    pub level: Option<&'a LevelOf<'a>>,
}

pub(super) fn stop(at: &str, kind: StopKind, text: String, fix: Option<Fix>) -> Stop {
    Stop {
        at: at.to_owned(),
        kind,
        text,
        fix,
        paths: Vec::new(),
    }
}

pub(super) fn master_id(s: &Session) -> String {
    s.channels
        .iter()
        .find(|c| c.kind == ChannelKind::Master)
        .map_or_else(|| "master".to_owned(), |c| c.id.clone())
}

/// Where channel `at` (on a path of `asked`) stops what leaves it by `leaving`.
pub(super) fn channel_stops(
    s: &Session,
    asked: &str,
    at: &str,
    leaving: Hop,
    solo: &[bool],
) -> Vec<Stop> {
    let Some(i) = s.channel_index(at) else {
        return Vec::new();
    };
    let c = &s.channels[i];
    let own = at == asked;
    let master = c.kind == ChannelKind::Master;
    let name = c.display_name();
    // "it is muted" / "it feeds "Drum Bus", which is muted" / "the master is muted"
    let say = |own_text: &str, other: &str| {
        if own {
            own_text.to_owned()
        } else if master {
            format!("the master {other}")
        } else {
            format!("it feeds \"{name}\", which {other}")
        }
    };
    let g = channel_gains(s, i, false, solo[i]);
    let mut out = Vec::new();
    match g.muted {
        Mute::Own => out.push(stop(
            at,
            StopKind::Muted,
            say("it is muted", "is muted"),
            Some(Fix {
                label: format!("Unmute {name}"),
                edit: Edit::Mute {
                    channel: at.to_owned(),
                    on: false,
                },
            }),
        )),
        Mute::Vca => {
            for v in s
                .vcas
                .iter()
                .filter(|v| v.mute && v.members.contains(&c.id))
            {
                let vname = if v.name.is_empty() { &v.id } else { &v.name };
                out.push(stop(
                    at,
                    StopKind::VcaMuted(v.id.clone()),
                    say(
                        &format!("the VCA \"{vname}\" is muted"),
                        &format!("is muted by the VCA \"{vname}\""),
                    ),
                    Some(Fix {
                        label: format!("Unmute the VCA {vname}"),
                        edit: Edit::VcaMute {
                            vca: v.id.clone(),
                            on: false,
                        },
                    }),
                ));
            }
        }
        Mute::Solo => {
            let soloed: Vec<&str> = s
                .channels
                .iter()
                .filter(|x| x.solo)
                .map(|x| x.display_name())
                .collect();
            let fix = if c.kind == ChannelKind::Aux {
                Fix {
                    label: format!("Make {name} solo-safe"),
                    edit: Edit::SoloSafe {
                        channel: at.to_owned(),
                        on: true,
                    },
                }
            } else {
                Fix {
                    label: "Clear every solo".to_owned(),
                    edit: Edit::Batch(
                        s.channels
                            .iter()
                            .filter(|x| x.solo)
                            .map(|x| Edit::Solo {
                                channel: x.id.clone(),
                                on: false,
                            })
                            .collect(),
                    ),
                }
            };
            out.push(stop(
                at,
                StopKind::SoloMuted,
                say(
                    &format!("it is muted because {} is soloed", soloed.join(", ")),
                    &format!("is muted because {} is soloed", soloed.join(", ")),
                ),
                Some(fix),
            ));
        }
        Mute::No => {}
    }
    // A pre-fader send is tapped before the fader and the VCAs.
    if g.muted == Mute::No && leaving != (Hop::Send { pre_fader: true }) {
        if c.gain_db.is_none() {
            out.push(stop(
                at,
                StopKind::FaderInf,
                say("its fader is at -inf", "has its fader at -inf"),
                Some(Fix {
                    label: format!("Set {name}'s fader to 0 dB"),
                    edit: Edit::Gain {
                        channel: at.to_owned(),
                        db: Some(0.0),
                    },
                }),
            ));
        } else {
            for v in s
                .vcas
                .iter()
                .filter(|v| v.gain_db.is_none() && v.members.contains(&c.id))
            {
                let vname = if v.name.is_empty() { &v.id } else { &v.name };
                out.push(stop(
                    at,
                    StopKind::VcaInf(v.id.clone()),
                    say(
                        &format!("a VCA it belongs to (\"{vname}\") is at -inf"),
                        &format!("is turned to -inf by a VCA (\"{vname}\")"),
                    ),
                    Some(Fix {
                        label: format!("Set the VCA {vname} to 0 dB"),
                        edit: Edit::VcaGain {
                            vca: v.id.clone(),
                            db: Some(0.0),
                        },
                    }),
                ));
            }
        }
    }
    out
}

pub(super) fn send_stop(s: &Session, asked: &str, from: &str, to: &str) -> Stop {
    let (fname, tname) = (name_of(s, from), name_of(s, to));
    let text = if from == asked {
        format!("its send to \"{tname}\" is at -inf")
    } else {
        format!("it feeds \"{fname}\", whose send to \"{tname}\" is at -inf")
    };
    let fix = Fix {
        label: format!("Set {fname}'s send to {tname} to -12 dB"),
        edit: Edit::SendLevel {
            channel: from.to_owned(),
            aux: to.to_owned(),
            db: Some(-12.0),
        },
    };
    stop(from, StopKind::SendInf(to.to_owned()), text, Some(fix))
}

/// Channels reachable from `id` (itself included) whose output goes nowhere.
pub(super) fn dead_ends(s: &Session, id: &str) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut stack = vec![id];
    let mut out = Vec::new();
    while let Some(at) = stack.pop() {
        if seen.contains(&at) {
            continue;
        }
        seen.push(at);
        let Some(c) = s.channel(at) else { continue };
        if c.kind == ChannelKind::Master {
            continue;
        }
        match c.output.as_deref() {
            None => out.push(at.to_owned()),
            Some(o) if s.channel(o).is_some() => stack.push(o),
            Some(_) => {}
        }
        stack.extend(c.sends.iter().map(|x| x.to.as_str()));
    }
    out
}

/// " (its meter shows -12 dB, heard nowhere)" when meters say so.
pub(super) fn signal_note(cx: &Listen, at: &str) -> String {
    match cx.level.and_then(|f| f(at, None)) {
        Some(db) => format!(" (its meter shows {db:.0} dB, heard nowhere)"),
        None => String::new(),
    }
}

pub(super) fn dead_end_stop(s: &Session, asked: &str, at: &str, cx: &Listen) -> Stop {
    let name = name_of(s, at);
    let signal = signal_note(cx, at);
    let sends = s.channel(at).map_or(&[][..], |c| c.sends.as_slice());
    let text = if at == asked {
        if sends.is_empty() {
            format!("its output goes nowhere{signal}")
        } else if sends.iter().all(|x| x.level_db.is_none()) {
            format!("its only routes are sends, and every send is at -inf{signal}")
        } else {
            format!("its own output goes nowhere: it is heard only through its sends{signal}")
        }
    } else {
        format!("it feeds \"{name}\", whose output goes nowhere{signal}")
    };
    // A return with no output most likely wants the master; an aux fed by
    // pre-fader sends only is a cue mix, and wants device outputs.
    let cue = s
        .channels
        .iter()
        .any(|c| c.sends.iter().any(|x| x.to == at))
        && s.channels
            .iter()
            .flat_map(|c| c.sends.iter())
            .filter(|x| x.to == at)
            .all(|x| x.pre_fader);
    let (label, output) = match cx.device_pairs {
        Some(p) if cue && p >= 1 => (
            format!("Route {name} to {}", outputs_text(1)),
            hw_output_name(1),
        ),
        _ => (format!("Route {name} to the master"), master_id(s)),
    };
    stop(
        at,
        StopKind::NoOutput,
        text,
        Some(Fix {
            label,
            edit: Edit::Output {
                channel: at.to_owned(),
                output: Some(output),
            },
        }),
    )
}
