//! What every control says on hover, in plain words about *this* session:
//! what it is, what it does here, and what a click would change. Pure
//! functions over the session, so the strips, the matrix and the flow view
//! say the same thing and tests can read it.
//!
//! ```text
//!  send_hint   "Post-fader send from Lead to Reverb: follows Lead's fader
//!               and pan; −12.0 dB into Reverb (…parts…)"
//!  tap_hint    "POST: … Click for pre-fader: +3.0 dB, the pan law no
//!               longer applies (a pre-fader tap comes before the pan)"
//! ```

use crate::dsp::{balance_gains, gain_to_db, pan_gains};
use crate::graph::{self, CombinedGain, Hop, db_text, main_path, path_gain};
use crate::session::{Channel, ChannelKind, Send, Session};

/// The pan (or balance) part of a channel's gain in dB, as the power
/// average of its two sides: what a post-fader tap has and a pre-fader tap
/// has not (−3.0 dB for a centred mono track under the −3 dB law).
pub fn pan_db(s: &Session, c: &Channel, mono: bool) -> f32 {
    let [l, r] = if mono && c.kind == ChannelKind::Track {
        pan_gains(c.pan, s.pan_law_db)
    } else {
        balance_gains(c.pan)
    };
    gain_to_db(((l * l + r * r) / 2.0).sqrt()).unwrap_or(-144.0)
}

/// The combined gain into the aux for `send` of `c`.
pub fn send_gain(s: &Session, c: &Channel, send: &Send, mono: bool) -> CombinedGain {
    let hop = Hop::Send {
        pre_fader: send.pre_fader,
    };
    path_gain(s, &|_| mono, &[c.id.clone(), send.to.clone()], &[hop])
}

/// A send's hover: its tap, what it follows, and what arrives in the aux.
pub fn send_hint(s: &Session, c: &Channel, send: &Send, mono: bool) -> String {
    let name = c.display_name();
    let aux = graph::name_of(s, &send.to);
    let into = send_gain(s, c, send, mono);
    let tap = if send.pre_fader {
        format!(
            "Pre-fader send from {name} to {aux}: taken before {name}'s fader and pan, so riding \
             the fader does not change it (a cue mix stays put)"
        )
    } else {
        format!(
            "Post-fader send from {name} to {aux}: follows {name}'s fader and pan, so its wet/dry balance stays"
        )
    };
    format!(
        "{tap}; {} into {aux} ({}). Level {} on the knob.",
        db_text(into.db()),
        into.explain(),
        db_text(send.level_db)
    )
}

/// The PRE/POST button's hover: the state it is in, and what a click
/// changes — including the pan-law step of a mono track.
pub fn tap_hint(s: &Session, c: &Channel, send: &Send, mono: bool) -> String {
    let name = c.display_name();
    let aux = graph::name_of(s, &send.to);
    let pan = pan_db(s, c, mono);
    let index = s.channel_index(&c.id).unwrap_or(0);
    let fader = graph::channel_gains(s, index, false, false)
        .combined_db
        .unwrap_or(-144.0);
    let law = if mono && pan.abs() >= 0.05 {
        format!(
            " The pan law puts a mono {name} at {} per side where it is panned; a pre-fader \
             tap comes before the pan, so it reaches both sides of {aux} at unity: that is the \
             {:.1} dB step you hear when the tap flips.",
            db_text(Some(pan)),
            pan.abs()
        )
    } else {
        String::new()
    };
    let step = if send.pre_fader {
        -(pan + fader)
    } else {
        pan + fader
    };
    let step = if step.is_finite() {
        format!(" ({} into {aux} at the current settings)", signed(-step))
    } else {
        String::new()
    };
    if send.pre_fader {
        format!(
            "PRE: this send is pre-fader — taken before {name}'s fader and pan, so the fader \
             does not change it. Click for post-fader: it then follows the fader{step}.{law}"
        )
    } else {
        format!(
            "POST: this send is post-fader — taken after {name}'s fader and pan, so it follows \
             them. Click for pre-fader: it then ignores the fader{step}.{law}"
        )
    }
}

fn signed(db: f32) -> String {
    if db.abs() < 0.05 {
        "no change".to_owned()
    } else {
        format!("{db:+.1} dB")
    }
}

/// A fader's hover: the fader, the VCAs on it, and what the channel really
/// gets on its way to its output.
pub fn fader_hint(s: &Session, c: &Channel, mono: bool) -> String {
    let name = c.display_name();
    let mut text = format!(
        "{name} fader at {}: sets the level of {name}'s output and its post-fader sends",
        db_text(c.gain_db)
    );
    let vcas: Vec<String> = s
        .vcas
        .iter()
        .filter(|v| v.members.contains(&c.id))
        .map(|v| {
            let n = if v.name.is_empty() { &v.id } else { &v.name };
            format!("{n} {}", db_text(v.gain_db))
        })
        .collect();
    if !vcas.is_empty() {
        let combined =
            graph::channel_gains(s, s.channel_index(&c.id).unwrap_or(0), false, false).combined_db;
        text.push_str(&format!(
            "; with the VCA {} the combined fader is {}",
            vcas.join(", "),
            db_text(combined)
        ));
    }
    if let Some(p) = main_path(s, &c.id, &|_| mono) {
        text.push_str(&format!(
            ". On its way to {}: {} ({})",
            p.describe(s).rsplit(" → ").next().unwrap_or("the output"),
            db_text(p.gain.db()),
            p.gain.explain()
        ));
    } else if c.kind != ChannelKind::Master {
        text.push_str(". Its output goes nowhere: only its sends are heard");
    }
    text.push_str(". Drag (Shift: fine), wheel, double-click for 0 dB, or type a value.");
    text
}

/// A pan or balance knob's hover, with the pan law where it applies.
pub fn pan_hint(s: &Session, c: &Channel, mono: bool) -> String {
    let name = c.display_name();
    if mono && c.kind == ChannelKind::Track {
        format!(
            "{name} pan: places the mono signal between left and right under the session's \
             {} dB pan law (at centre each side gets {}). Post-fader sends follow the pan; \
             pre-fader sends do not. Double-click: centre.",
            s.pan_law_db,
            db_text(Some(pan_db(
                s,
                &Channel {
                    pan: 0.0,
                    ..c.clone()
                },
                true
            )))
        )
    } else {
        format!(
            "{name} balance: turns one side of the stereo signal down (nothing moves across); \
             at centre both sides are at unity. Double-click: centre."
        )
    }
}

/// An output choice's hover: where the signal would go, and what that
/// changes for this channel's paths and balance.
pub fn output_hint(s: &Session, c: &Channel, target: Option<&str>, mono: bool) -> String {
    let name = c.display_name();
    let to = match target {
        None => "nowhere (heard only through its sends)".to_owned(),
        Some(t) => match crate::session::hw_output_pair(t) {
            Some(p) => graph::outputs_text(p),
            None => graph::name_of(s, t),
        },
    };
    if c.output.as_deref() == target {
        return format!("{name} goes to {to} now: its output moves the signal there.");
    }
    let edit = crate::session::Edit::Output {
        channel: c.id.clone(),
        output: target.map(str::to_owned),
    };
    edit_preview(s, c, &edit, mono, &format!("Move {name}'s output to {to}"))
}

/// A hover shown before a click: what `edit` would change for `c`'s paths
/// and balance, under `title` (`mono`: `c` is a mono track).
pub fn edit_preview(
    s: &Session,
    c: &Channel,
    edit: &crate::session::Edit,
    mono: bool,
    title: &str,
) -> String {
    let offline: [String; 0] = [];
    let mono_of = |_: &str| mono;
    let l = graph::Listen {
        offline: &offline,
        mono: &mono_of,
        device_pairs: None,
        level: None,
    };
    let p = graph::preview(s, &c.id, edit, &l);
    preview_text(s, title, &p)
}

/// `text` as the console's fonts can draw it: routes from `graph` use
/// "→", which the console's font lacks; it shows "➡" instead.
pub fn shown(text: impl AsRef<str>) -> String {
    text.as_ref().replace('→', "➡").replace('✕', "✖")
}

/// A preview in lines: the paths that appear and disappear, the balance.
pub fn preview_text(s: &Session, what: &str, p: &graph::Preview) -> String {
    if let Some(l) = &p.refused {
        return shown(format!(
            "{what}: refused, it would make a loop: {} — {}",
            l.by_name(),
            l.sentence()
        ));
    }
    let mut lines = vec![format!("{what}:")];
    lines.extend(p.appear.iter().map(|x| {
        format!(
            "+ {} ({}, {})",
            x.describe(s),
            x.part.label(),
            db_text(x.gain.db())
        )
    }));
    lines.extend(p.disappear.iter().map(|x| format!("− {}", x.describe(s))));
    lines.push(format!("balance: {} → {}", p.before.text(), p.after.text()));
    shown(lines.join("\n"))
}
