//! Which send taps follow a fader while it moves: the post-fader sends of
//! the channel (or of a VCA's members) — the ones a fader ride changes. A
//! pre-fader send is tapped before the fader, so it stays unlit: that is
//! the difference the console shows while a fader moves.
//!
//! ```text
//!  Lead fader moving:  Lead ─post─► Reverb   lit (follows the fader)
//!                      Lead ─pre──► Phones   unlit (the fader does not touch it)
//! ```

use crate::session::{Edit, Session};

/// What is being moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moving {
    /// A channel's fader or pan (its id).
    Channel(String),
    /// A VCA's fader (its id): every member follows.
    Vca(String),
}

impl Moving {
    /// What an edit made during a drag moves: a channel's fader or pan, or
    /// a VCA's fader (send levels and trims light nothing).
    pub fn of_edit(e: &Edit) -> Option<Moving> {
        match e {
            Edit::Gain { channel, .. } | Edit::Pan { channel, .. } => {
                Some(Moving::Channel(channel.clone()))
            }
            Edit::VcaGain { vca, .. } => Some(Moving::Vca(vca.clone())),
            _ => None,
        }
    }
}

/// One send of a moving channel, and whether it follows the move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    pub channel: String,
    pub aux: String,
    /// Post-fader: follows the fader (and pan).
    pub lit: bool,
}

/// Every send of the channels `moving` moves, lit when it follows.
pub fn moving_taps(s: &Session, moving: &Moving) -> Vec<Tap> {
    let members: Vec<&str> = match moving {
        Moving::Channel(id) => vec![id.as_str()],
        Moving::Vca(v) => s
            .vcas
            .iter()
            .filter(|x| &x.id == v)
            .flat_map(|x| x.members.iter().map(String::as_str))
            .collect(),
    };
    members
        .into_iter()
        .filter_map(|id| s.channel(id))
        .flat_map(|c| {
            c.sends.iter().map(|x| Tap {
                channel: c.id.clone(),
                aux: x.to.clone(),
                lit: !x.pre_fader,
            })
        })
        .collect()
}

/// Whether the send from `channel` to `aux` follows the move.
pub fn is_lit(s: &Session, moving: Option<&Moving>, channel: &str, aux: &str) -> bool {
    moving.is_some_and(|m| {
        moving_taps(s, m)
            .iter()
            .any(|t| t.lit && t.channel == channel && t.aux == aux)
    })
}
