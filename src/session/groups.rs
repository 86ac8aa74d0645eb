//! Linked (relative) groups: the third way to move several channels at
//! once, beside a bus (their audio is summed) and a VCA (their gain is
//! multiplied, the faders stay). A linked group moves the members' own
//! faders, each by the same number of dB, so the offsets between them stay.
//!
//! ```text
//!  drag Lead C −10 dB ──spread──► Batch[Lead C −10, Pluck C −10] (one undo step)
//! ```
//! The rules, in one place:
//! - Every member moves by the dragged member's change in dB, measured
//!   from where the members were when the gesture began (so a member that
//!   reached −inf during a drag comes back when the drag returns).
//! - A member at −inf stays there: it has no offset to keep. A member whose
//!   new value falls below [`FLOOR_DB`] goes to −inf. Dragging a member to
//!   −inf takes every member there; dragging a member that is at −inf
//!   moves it alone.
//! - Moving up stops for the whole group when its highest member reaches
//!   [`GROUP_TOP_DB`] (the console fader's top), so no member is clamped
//!   alone and no offset changes. A member above it (typed) stops raises.
//! - An edit marked "alone" (Alt held on a console control) moves one
//!   member only.
//! - Mute and solo follow the group when `link_mute` / `link_solo` are set;
//!   send levels to the same aux move relatively when `link_sends` is set.

use std::collections::{HashMap, HashSet};

use super::error::{Result, SessionError};
use super::model::{ChannelKind, LinkGroup, Session};

/// The highest value a group move sets: the top of a console fader's
/// travel (the fader law's top, +6 dB).
pub const GROUP_TOP_DB: f32 = 6.0;
/// A value below this after a group move is −inf (the fader's bottom).
pub const FLOOR_DB: f32 = -144.0;
/// The most linked groups a session may have.
pub const MAX_GROUPS: usize = 1_000;

/// The group `channel` belongs to (a channel is in at most one).
pub fn group_of<'a>(s: &'a Session, channel: &str) -> Option<&'a LinkGroup> {
    s.groups
        .iter()
        .find(|g| g.members.iter().any(|m| m == channel))
}

/// Checks every group: ids unique (with channels and VCAs), members
/// existing channels other than the master, listed once, in one group only.
pub(super) fn check_groups<'s>(
    s: &'s Session,
    index: &HashMap<&str, usize>,
    check_id: &mut dyn FnMut(&'s str, &str) -> Result<()>,
) -> Result<()> {
    if s.groups.len() > MAX_GROUPS {
        return Err(SessionError::invalid(
            "groups",
            format!(
                "{} entries; a session may have at most {MAX_GROUPS}",
                s.groups.len()
            ),
        ));
    }
    let mut taken: HashMap<&str, &str> = HashMap::new();
    for (g, group) in s.groups.iter().enumerate() {
        let field = format!("groups[{g}]");
        check_id(&group.id, &format!("{field}.id"))?;
        let mut seen = HashSet::new();
        for (m, member) in group.members.iter().enumerate() {
            let mfield = format!("{field}.members[{m}]");
            let Some(&i) = index.get(member.as_str()) else {
                return Err(SessionError::invalid(
                    mfield,
                    format!("\"{member}\" is not a channel"),
                ));
            };
            if s.channels[i].kind == ChannelKind::Master {
                return Err(SessionError::invalid(
                    mfield,
                    "the master cannot be in a linked group",
                ));
            }
            if !seen.insert(member) {
                return Err(SessionError::invalid(
                    mfield,
                    format!("\"{member}\" is listed twice"),
                ));
            }
            if let Some(other) = taken.insert(member, &group.id) {
                return Err(SessionError::invalid(
                    mfield,
                    format!(
                        "\"{member}\" is already in group \"{other}\" (a channel is in one linked group at most)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Inserts `group` at `index` (or the end); returns its id.
pub(super) fn insert(s: &mut Session, index: usize, group: LinkGroup) -> String {
    let id = group.id.clone();
    let index = index.min(s.groups.len());
    s.groups.insert(index, group);
    id
}

/// Takes group `id` out; returns where it was and what it was.
pub(super) fn take(s: &mut Session, id: &str) -> Result<(usize, LinkGroup)> {
    let index = position(s, id)?;
    Ok((index, s.groups.remove(index)))
}

/// Puts `group` in place of the group with its id; returns the old one.
pub(super) fn replace(s: &mut Session, group: LinkGroup) -> Result<LinkGroup> {
    let index = position(s, &group.id)?;
    Ok(std::mem::replace(&mut s.groups[index], group))
}

fn position(s: &Session, id: &str) -> Result<usize> {
    s.groups
        .iter()
        .position(|g| g.id == id)
        .ok_or_else(|| SessionError::invalid("groups", format!("\"{id}\" does not exist")))
}
