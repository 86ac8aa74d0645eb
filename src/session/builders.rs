//! Edits that add, move and remove channels the way the console does:
//! unique ids, new channels beside others of their kind, and removals that
//! take every route, send and VCA membership naming the channel with them.

use std::path::Path;

use super::edit::Edit;
use super::model::{Channel, ChannelKind, DEFAULT_OUTPUT, LinkGroup, Session, Vca};

impl Edit {
    /// Removes a channel together with everything that refers to it: routes
    /// to it fall back to the master, sends to it go, VCAs forget it.
    pub fn remove_channel(s: &Session, id: &str) -> Edit {
        let mut steps = Vec::new();
        for c in &s.channels {
            if c.output.as_deref() == Some(id) {
                steps.push(Edit::Output {
                    channel: c.id.clone(),
                    output: Some(DEFAULT_OUTPUT.into()),
                });
            }
            if c.sends.iter().any(|send| send.to == id) {
                steps.push(Edit::RemoveSend {
                    channel: c.id.clone(),
                    aux: id.into(),
                });
            }
        }
        for v in &s.vcas {
            if v.members.iter().any(|m| m == id) {
                let members = v.members.iter().filter(|m| *m != id).cloned().collect();
                steps.push(Edit::VcaMembers {
                    vca: v.id.clone(),
                    members,
                });
            }
        }
        for g in &s.groups {
            if g.members.iter().any(|m| m == id) {
                let mut group = g.clone();
                group.members.retain(|m| m != id);
                steps.push(Edit::SetGroup { group });
            }
        }
        steps.push(Edit::RemoveChannel { id: id.into() });
        Edit::Batch(steps)
    }

    /// A track playing `file`, routed to the master, after the last track.
    pub fn add_track(s: &Session, file: &Path) -> Edit {
        let stem = file
            .file_stem()
            .map_or("track".to_owned(), |s| s.to_string_lossy().into_owned());
        let mut c = Channel::new(&unique_id(s, &stem), ChannelKind::Track);
        c.name = stem;
        c.source = Some(file.display().to_string());
        Edit::AddChannel {
            index: insert_index(s, ChannelKind::Track),
            channel: c,
        }
    }

    /// An empty bus or aux named after its kind ("Bus 2").
    pub fn add_channel(s: &Session, kind: ChannelKind) -> Edit {
        let base = match kind {
            ChannelKind::Bus => "Bus",
            ChannelKind::Aux => "Aux",
            _ => "Channel",
        };
        let mut c = Channel::new(&unique_id(s, &base.to_lowercase()), kind);
        let n = s.channels.iter().filter(|c| c.kind == kind).count() + 1;
        c.name = format!("{base} {n}");
        Edit::AddChannel {
            index: insert_index(s, kind),
            channel: c,
        }
    }

    /// A VCA at 0 dB with no members, after the others.
    pub fn add_vca(s: &Session) -> Edit {
        let vca = Vca {
            id: unique_id(s, "vca"),
            name: format!("VCA {}", s.vcas.len() + 1),
            gain_db: Some(0.0),
            mute: false,
            members: Vec::new(),
        };
        Edit::AddVca {
            index: s.vcas.len(),
            vca,
        }
    }

    /// A linked group of `members` named "Group N", faders linked (mute,
    /// solo and sends not), after the others.
    pub fn add_group(s: &Session, members: Vec<String>) -> Edit {
        let group = LinkGroup {
            id: unique_id(s, "group"),
            name: format!("Group {}", s.groups.len() + 1),
            members,
            link_mute: false,
            link_solo: false,
            link_sends: false,
        };
        Edit::AddGroup {
            index: s.groups.len(),
            group,
        }
    }

    /// Moves channel `id` by `by` places; `None` when that would leave the
    /// row or pass the master.
    pub fn move_channel(s: &Session, id: &str, by: i32) -> Option<Edit> {
        let from = s.channel_index(id)?;
        let to = from as i64 + i64::from(by);
        let last = s.channels.len() as i64 - 1;
        if !(0..=last).contains(&to) || s.channels[to as usize].kind == ChannelKind::Master {
            return None;
        }
        Some(Edit::MoveChannel {
            from,
            to: to as usize,
        })
    }
}

/// New channels go after the last of their kind (tracks, buses, auxes
/// keep their groups), and always before the master.
fn insert_index(s: &Session, kind: ChannelKind) -> usize {
    s.channels.iter().rposition(|c| c.kind == kind).map_or_else(
        || {
            s.channels
                .iter()
                .position(|c| c.kind == ChannelKind::Master)
                .unwrap_or(s.channels.len())
        },
        |i| i + 1,
    )
}

/// `base` made into an id (lower case, `_` for anything else) that no
/// channel or VCA uses yet: `drums`, then `drums2`, `drums3`…
fn unique_id(s: &Session, base: &str) -> String {
    let base: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let taken = |id: &str| {
        s.channel(id).is_some()
            || s.vcas.iter().any(|v| v.id == id)
            || s.groups.iter().any(|g| g.id == id)
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}
