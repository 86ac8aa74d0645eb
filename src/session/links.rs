//! Spreading an edit over a linked group (the rules are in `groups`): a
//! fader or send move on one member becomes one `Edit::Batch` that moves
//! every member relatively, measured from where the gesture began.

use super::edit::Edit;
use super::groups::{FLOOR_DB, GROUP_TOP_DB, group_of};
use super::model::{LinkGroup, Session};

/// What a gesture moves on a group: faders, or the sends to one aux.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Fader,
    Send(String),
}

/// Each member's value (fader or send level), by channel id.
pub type Values = Vec<(String, Option<f32>)>;

/// The values a group had when a gesture began, so the whole drag is
/// measured from there (offsets survive a trip to −inf and back).
#[derive(Debug, Default)]
pub struct LinkGesture {
    open: bool,
    bases: Vec<(String, Part, Values)>,
}

impl LinkGesture {
    /// A drag or a typed gesture starts.
    pub fn begin(&mut self) {
        self.open = true;
        self.bases.clear();
    }

    /// The gesture ends: the next move starts from where the members are.
    pub fn end(&mut self) {
        self.open = false;
        self.bases.clear();
    }

    /// `edit` spread over the linked group of the channel it touches (one
    /// `Edit::Batch`); any other edit comes back as it is.
    pub fn spread(&mut self, s: &Session, edit: Edit) -> Edit {
        match edit {
            Edit::Gain { channel, db } => match group_of(s, &channel) {
                Some(g) => {
                    let now = values(s, g, &Part::Fader);
                    let base = self.base(&g.id, Part::Fader, now);
                    let moves = relative(&base, &channel, db);
                    Edit::Batch(
                        moves
                            .into_iter()
                            .map(|(channel, db)| Edit::Gain { channel, db })
                            .collect(),
                    )
                }
                None => Edit::Gain { channel, db },
            },
            Edit::SendLevel { channel, aux, db } => match group_of(s, &channel) {
                Some(g) if g.link_sends => {
                    let part = Part::Send(aux.clone());
                    let now = values(s, g, &part);
                    let base = self.base(&g.id, part, now);
                    let moves = relative(&base, &channel, db);
                    Edit::Batch(
                        moves
                            .into_iter()
                            .map(|(channel, db)| Edit::SendLevel {
                                channel,
                                aux: aux.clone(),
                                db,
                            })
                            .collect(),
                    )
                }
                _ => Edit::SendLevel { channel, aux, db },
            },
            Edit::Mute { channel, on } => match group_of(s, &channel) {
                Some(g) if g.link_mute => Edit::Batch(
                    members(s, g)
                        .map(|channel| Edit::Mute { channel, on })
                        .collect(),
                ),
                _ => Edit::Mute { channel, on },
            },
            Edit::Solo { channel, on } => match group_of(s, &channel) {
                Some(g) if g.link_solo => Edit::Batch(
                    members(s, g)
                        .map(|channel| Edit::Solo { channel, on })
                        .collect(),
                ),
                _ => Edit::Solo { channel, on },
            },
            other => other,
        }
    }

    /// The values to measure from: those at the start of the open gesture
    /// (taken now if this is its first move of `part`), else `now`.
    fn base(&mut self, group: &str, part: Part, now: Values) -> Values {
        if !self.open {
            return now;
        }
        if let Some((_, _, b)) = self
            .bases
            .iter()
            .find(|(g, p, b)| g == group && *p == part && same_members(b, &now))
        {
            return b.clone();
        }
        self.bases.push((group.to_owned(), part, now.clone()));
        now
    }
}

fn same_members(a: &[(String, Option<f32>)], b: &[(String, Option<f32>)]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0)
}

/// The members of `g` that exist in `s`.
fn members<'a>(s: &'a Session, g: &'a LinkGroup) -> impl Iterator<Item = String> + 'a {
    g.members.iter().filter(|m| s.channel(m).is_some()).cloned()
}

/// Each member's current value of `part` (members without that send are
/// left out).
fn values(s: &Session, g: &LinkGroup, part: &Part) -> Values {
    g.members
        .iter()
        .filter_map(|m| {
            let c = s.channel(m)?;
            match part {
                Part::Fader => Some((m.clone(), c.gain_db)),
                Part::Send(aux) => c
                    .sends
                    .iter()
                    .find(|x| &x.to == aux)
                    .map(|x| (m.clone(), x.level_db)),
            }
        })
        .collect()
}

/// New values for every member when `dragged` is asked to go to `target`,
/// measured from `base` (see the rules at the top of this file).
pub fn relative(base: &[(String, Option<f32>)], dragged: &str, target: Option<f32>) -> Values {
    let from = base.iter().find(|(id, _)| id == dragged).map(|(_, v)| *v);
    match (from, target) {
        // Not in the base (no such send), or at −inf: no offset to keep.
        (None | Some(None), _) => vec![(dragged.to_owned(), target)],
        (Some(Some(_)), None) => base.iter().map(|(id, _)| (id.clone(), None)).collect(),
        (Some(Some(start)), Some(target)) => {
            let highest = base
                .iter()
                .filter_map(|(_, v)| *v)
                .fold(f32::NEG_INFINITY, f32::max);
            let mut delta = target - start;
            let clamped = delta > 0.0 && highest + delta > GROUP_TOP_DB;
            if clamped {
                delta = (GROUP_TOP_DB - highest).max(0.0);
            }
            base.iter()
                .map(|(id, v)| {
                    let new = match v {
                        None => None,
                        Some(_) if id == dragged && !clamped => Some(target),
                        Some(v) if v + delta < FLOOR_DB => None,
                        Some(v) => Some(v + delta),
                    };
                    (id.clone(), new)
                })
                .collect()
        }
    }
}
