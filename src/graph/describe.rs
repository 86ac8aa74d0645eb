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

use std::collections::HashMap;
use std::fmt::Write;

use crate::session::{Channel, ChannelKind, Session, channel_index_map, escape_controls};

/// Levels of nesting drawn in full; deeper levels are summed up in one
/// marker (`┆+12 `), so every line has a bounded prefix and the text grows
/// linearly with the session, however long a chain of buses is.
const MAX_DRAWN_DEPTH: usize = 24;

/// What the tree needs to look up, built once (hashed, linear in the session).
struct Lookup<'a> {
    index: HashMap<&'a str, usize>,
    /// For each channel, the channels whose main output it is, in session order.
    kids: Vec<Vec<usize>>,
    /// For each channel, the ids of the VCAs it belongs to.
    vcas: Vec<Vec<&'a str>>,
}

impl<'a> Lookup<'a> {
    fn new(s: &'a Session) -> Self {
        let index = channel_index_map(s);
        let mut kids = vec![Vec::new(); s.channels.len()];
        for (i, c) in s.channels.iter().enumerate() {
            if c.kind == ChannelKind::Master {
                continue;
            }
            if let Some(&p) = c.output.as_deref().and_then(|o| index.get(o))
                && p != i
            {
                kids[p].push(i);
            }
        }
        let mut vcas = vec![Vec::new(); s.channels.len()];
        for v in &s.vcas {
            for m in &v.members {
                if let Some(&i) = index.get(m.as_str()) {
                    vcas[i].push(v.id.as_str());
                }
            }
        }
        Lookup { index, kids, vcas }
    }

    fn name<'b>(&self, s: &'b Session, id: &'b str) -> &'b str {
        self.index
            .get(id)
            .map_or(id, |&i| s.channels[i].display_name())
    }
}

/// `annotate` adds a note after a channel's line (e.g. its source file).
pub fn routing_tree(s: &Session, annotate: &dyn Fn(&Channel) -> String) -> String {
    let mut out = String::new();
    let look = Lookup::new(s);
    let mut shown = vec![false; s.channels.len()];
    let Some(master) = s
        .channels
        .iter()
        .position(|c| c.kind == ChannelKind::Master)
    else {
        return out;
    };
    subtree(&mut out, s, &look, master, &mut shown, annotate);
    let unrouted: Vec<usize> = (0..s.channels.len())
        .filter(|&i| s.channels[i].kind != ChannelKind::Master && s.channels[i].output.is_none())
        .collect();
    if !unrouted.is_empty() {
        out.push_str("\nnot routed to the master (heard only through their sends):\n");
        for i in unrouted {
            subtree(&mut out, s, &look, i, &mut shown, annotate);
        }
    }
    if !s.vcas.is_empty() {
        out.push_str("\nVCAs:\n");
        for v in &s.vcas {
            let name = if v.name.is_empty() { &v.id } else { &v.name };
            let members: Vec<String> = v
                .members
                .iter()
                .map(|m| escape_controls(look.name(s, m)).into_owned())
                .collect();
            let mute = if v.mute { " MUTED" } else { "" };
            let _ = writeln!(
                out,
                "{} {}{mute} → {}",
                escape_controls(name),
                db(v.gain_db),
                members.join(", ")
            );
        }
    }
    out
}

/// One row of the tree still to print: a send of a channel, or a channel.
enum Row {
    Send { channel: usize, send: usize },
    Channel(usize),
}

/// Prints `root` and everything routed into it, depth first with an
/// explicit stack (a file cannot deepen the call stack). `last[k]` says
/// whether the ancestor at depth k+1 was the last of its siblings.
fn subtree(
    out: &mut String,
    s: &Session,
    look: &Lookup,
    root: usize,
    shown: &mut [bool],
    annotate: &dyn Fn(&Channel) -> String,
) {
    // (row, depth, is the last among its siblings)
    let mut stack: Vec<(Row, usize, bool)> = vec![(Row::Channel(root), 0, true)];
    let mut last: Vec<bool> = Vec::new();
    while let Some((row, depth, is_last)) = stack.pop() {
        last.truncate(depth.saturating_sub(1));
        let prefix = prefix(&last, depth);
        match row {
            Row::Send { channel, send } => {
                let send = &s.channels[channel].sends[send];
                let tap = if send.pre_fader {
                    "pre-fader"
                } else {
                    "post-fader"
                };
                let corner = if is_last { "└┄┄" } else { "├┄┄" };
                let _ = writeln!(
                    out,
                    "{prefix}{corner} send → {} {} {tap}",
                    escape_controls(look.name(s, &send.to)),
                    db(send.level_db)
                );
            }
            Row::Channel(i) => {
                let corner = match depth {
                    0 => "",
                    _ if is_last => "└── ",
                    _ => "├── ",
                };
                line(
                    out,
                    &s.channels[i],
                    &look.vcas[i],
                    &prefix,
                    corner,
                    annotate,
                );
                if std::mem::replace(&mut shown[i], true) {
                    continue; // never twice (only a malformed session could ask)
                }
                if depth > 0 {
                    last.push(is_last);
                }
                let c = &s.channels[i];
                let total = c.sends.len() + look.kids[i].len();
                // Pushed in reverse so they pop in order: sends, then channels.
                for (k, &kid) in look.kids[i].iter().enumerate().rev() {
                    let n = c.sends.len() + k + 1;
                    stack.push((Row::Channel(kid), depth + 1, n == total));
                }
                for k in (0..c.sends.len()).rev() {
                    let row = Row::Send {
                        channel: i,
                        send: k,
                    };
                    stack.push((row, depth + 1, k + 1 == total));
                }
            }
        }
    }
}

/// The indentation of a row at `depth` below ancestors `last`: one column
/// per level, at most [`MAX_DRAWN_DEPTH`] of them.
fn prefix(last: &[bool], depth: usize) -> String {
    let levels = depth.saturating_sub(1).min(last.len());
    let hidden = levels.saturating_sub(MAX_DRAWN_DEPTH);
    let mut p = String::new();
    if hidden > 0 {
        let _ = write!(p, "┆+{hidden} ");
    }
    for &l in &last[hidden..levels] {
        p.push_str(if l { "    " } else { "│   " });
    }
    p
}

fn line(
    out: &mut String,
    c: &Channel,
    vcas: &[&str],
    prefix: &str,
    corner: &str,
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
                    let _ = write!(name, " \"{}\"", escape_controls(p));
                }
                if i.bypass {
                    name.push_str(" (bypassed)");
                }
                name
            })
            .collect();
        let _ = write!(flags, " inserts: {}", chain.join(" → "));
    }
    if !vcas.is_empty() {
        let _ = write!(flags, " VCA {}", escape_controls(&vcas.join("+")));
    }
    let note = annotate(c);
    let note = if note.is_empty() {
        note
    } else {
        format!("  {note}")
    };
    let _ = writeln!(
        out,
        "{prefix}{corner}{} ({}) {}{flags}{}",
        escape_controls(c.display_name()),
        c.kind.label(),
        db(c.gain_db),
        escape_controls(&note)
    );
}

fn db(v: Option<f32>) -> String {
    match v {
        Some(d) => format!("{d:+.1} dB"),
        None => "-inf dB".to_owned(),
    }
}
