//! The routing as readable text (for `auxbus check` and the console's
//! "copy routing"): a tree of main outputs rooted at the master, with sends
//! listed under the channel that sends.
//!
//! ```text
//! Master (master) 0.0 dB
//! ├── Drum Bus (bus) -3.0 dB
//! │   └── Kick (track) 0.0 dB  kick.wav, mono
//! │       └┄┄ send → Reverb -12.0 dB post-fader
//! └── Reverb (aux) 0.0 dB
//! ```

use std::fmt::Write;

use crate::session::{Channel, ChannelKind, Session};

/// `annotate` adds a note after a channel's line (e.g. its source file).
pub fn routing_tree(s: &Session, annotate: &dyn Fn(&Channel) -> String) -> String {
    let mut out = String::new();
    let Some(master) = s.channels.iter().find(|c| c.kind == ChannelKind::Master) else {
        return out;
    };
    line(&mut out, s, master, "", annotate);
    children(&mut out, s, master, "", annotate);
    let unrouted: Vec<&Channel> = s
        .channels
        .iter()
        .filter(|c| c.kind != ChannelKind::Master && c.output.is_none())
        .collect();
    if !unrouted.is_empty() {
        out.push_str("\nnot routed to the master (heard only through their sends):\n");
        for c in unrouted {
            line(&mut out, s, c, "", annotate);
            children(&mut out, s, c, "", annotate);
        }
    }
    if !s.vcas.is_empty() {
        out.push_str("\nVCAs:\n");
        for v in &s.vcas {
            let name = if v.name.is_empty() { &v.id } else { &v.name };
            let members: Vec<&str> = v
                .members
                .iter()
                .map(|m| s.channel(m).map_or(m.as_str(), |c| c.display_name()))
                .collect();
            let mute = if v.mute { " MUTED" } else { "" };
            let _ = writeln!(
                out,
                "{name} {}{mute} → {}",
                db(v.gain_db),
                members.join(", ")
            );
        }
    }
    out
}

fn children(
    out: &mut String,
    s: &Session,
    parent: &Channel,
    prefix: &str,
    annotate: &dyn Fn(&Channel) -> String,
) {
    let kids: Vec<&Channel> = s
        .channels
        .iter()
        .filter(|c| {
            c.kind != ChannelKind::Master && c.output.as_deref() == Some(parent.id.as_str())
        })
        .filter(|c| parent.kind != ChannelKind::Master || c.id != parent.id)
        .collect();
    let sends = &parent.sends;
    let total = sends.len() + kids.len();
    let mut k = 0;
    for send in sends {
        k += 1;
        let last = k == total;
        let to = s
            .channel(&send.to)
            .map_or(send.to.as_str(), |c| c.display_name());
        let tap = if send.pre_fader {
            "pre-fader"
        } else {
            "post-fader"
        };
        let _ = writeln!(
            out,
            "{prefix}{}┄ send → {to} {} {tap}",
            if last { "└┄" } else { "├┄" },
            db(send.level_db)
        );
    }
    for c in kids {
        k += 1;
        let last = k == total;
        line(
            out,
            s,
            c,
            &format!("{prefix}{}", if last { "└── " } else { "├── " }),
            annotate,
        );
        let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
        children(out, s, c, &deeper, annotate);
    }
}

fn line(
    out: &mut String,
    s: &Session,
    c: &Channel,
    prefix: &str,
    annotate: &dyn Fn(&Channel) -> String,
) {
    let mut flags = String::new();
    if c.mute {
        flags.push_str(" MUTE");
    }
    if c.solo {
        flags.push_str(" SOLO");
    }
    if c.solo_safe {
        flags.push_str(" solo-safe");
    }
    if c.pan != 0.0 {
        let side = if c.pan < 0.0 { 'L' } else { 'R' };
        let _ = write!(flags, " pan {side}{:.0}", c.pan.abs() * 100.0);
    }
    if c.trim_db != 0.0 {
        let _ = write!(flags, " trim {:+.1} dB", c.trim_db);
    }
    if !c.inserts.is_empty() {
        let chain: Vec<String> = c
            .inserts
            .iter()
            .map(|i| {
                let mut name = i.kind().label().to_owned();
                if let Some(p) = &i.preset {
                    let _ = write!(name, " \"{p}\"");
                }
                if i.bypass {
                    name.push_str(" (bypassed)");
                }
                name
            })
            .collect();
        let _ = write!(flags, " inserts: {}", chain.join(" → "));
    }
    let vcas: Vec<&str> = s
        .vcas
        .iter()
        .filter(|v| v.members.contains(&c.id))
        .map(|v| v.id.as_str())
        .collect();
    if !vcas.is_empty() {
        let _ = write!(flags, " VCA {}", vcas.join("+"));
    }
    let note = annotate(c);
    let note = if note.is_empty() {
        note
    } else {
        format!("  {note}")
    };
    let _ = writeln!(
        out,
        "{prefix}{} ({}) {}{flags}{note}",
        c.display_name(),
        c.kind.label(),
        db(c.gain_db)
    );
}

fn db(v: Option<f32>) -> String {
    match v {
        Some(d) => format!("{d:+.1} dB"),
        None => "-inf dB".to_owned(),
    }
}
