//! Edits: every change the console makes to a session. Applying an edit
//! returns its inverse, which is what undo applies; an edit that would make
//! the session invalid (a routing loop, an unknown target) is refused and
//! leaves the session as it was.

use serde::{Deserialize, Serialize};

use super::effects::Insert;
use super::error::{Result, SessionError};
use super::lookup::{channel_mut, insert_mut, missing, scene_index, send_mut, vca_mut};
use super::model::{Channel, LinkGroup, Send, Session, Vca};
use super::scene::Scene;
use super::validate::{
    check_gain, check_insert, check_pan_law, check_sample_rate, check_tempo, check_trim, validate,
};

/// Serialisable so that undo history can be kept beside a recovery copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    Gain {
        channel: String,
        db: Option<f32>,
    },
    Trim {
        channel: String,
        db: f32,
    },
    Pan {
        channel: String,
        pan: f32,
    },
    Mute {
        channel: String,
        on: bool,
    },
    Solo {
        channel: String,
        on: bool,
    },
    SoloSafe {
        channel: String,
        on: bool,
    },
    Rename {
        channel: String,
        name: String,
    },
    Output {
        channel: String,
        output: Option<String>,
    },
    SendLevel {
        channel: String,
        aux: String,
        db: Option<f32>,
    },
    SendPreFader {
        channel: String,
        aux: String,
        pre: bool,
    },
    /// Adds a send at `index` in the channel's list (the end when `None`).
    AddSend {
        channel: String,
        send: Send,
        index: Option<usize>,
    },
    RemoveSend {
        channel: String,
        aux: String,
    },
    AddChannel {
        index: usize,
        channel: Channel,
    },
    /// Removes the channel only; use `Edit::remove_channel` to also clear
    /// the routes and VCA memberships that name it.
    RemoveChannel {
        id: String,
    },
    MoveChannel {
        from: usize,
        to: usize,
    },
    VcaGain {
        vca: String,
        db: Option<f32>,
    },
    VcaMute {
        vca: String,
        on: bool,
    },
    VcaMembers {
        vca: String,
        members: Vec<String>,
    },
    AddVca {
        index: usize,
        vca: Vca,
    },
    RemoveVca {
        id: String,
    },
    PanLaw {
        db: f32,
    },
    /// Session tempo (tempo-synced delays follow).
    Tempo {
        bpm: f32,
    },
    /// The rate the session plays and renders at (sources are resampled).
    SampleRate {
        rate: u32,
    },
    /// New settings for an insert; the kind of effect must stay the same
    /// (replacing one effect by another is a remove and an add).
    SetInsert {
        channel: String,
        index: usize,
        insert: Insert,
    },
    AddInsert {
        channel: String,
        index: usize,
        insert: Insert,
    },
    RemoveInsert {
        channel: String,
        index: usize,
    },
    MoveInsert {
        channel: String,
        from: usize,
        to: usize,
    },
    /// Stores a scene at `index` in `scenes` (see `session::scene`).
    AddScene {
        index: usize,
        scene: Scene,
    },
    RemoveScene {
        name: String,
    },
    /// Replaces the scene called `name` (stored again, or renamed).
    SetScene {
        name: String,
        scene: Scene,
    },
    /// A linked group at `index` in the session's list.
    AddGroup {
        index: usize,
        group: LinkGroup,
    },
    RemoveGroup {
        id: String,
    },
    /// Replaces the group with the same id (name, members, what is linked).
    SetGroup {
        group: LinkGroup,
    },
    /// Several edits as one step; the inverse undoes them in reverse order.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Applies the edit and returns its inverse. On error nothing changed.
    ///
    /// Only what the edit touches is checked: a fader move checks its value
    /// (every frame of a drag), and only edits that change the routing or
    /// the set of channels and VCAs validate the whole session afterwards.
    pub fn apply(self, s: &mut Session) -> Result<Edit> {
        self.check_values(s)?;
        let whole = self.needs_whole_check();
        let inverse = self.apply_unchecked(s)?;
        if whole && let Err(e) = validate(s) {
            // Put the session back exactly as it was.
            let _ = inverse.apply_unchecked(s);
            return Err(e);
        }
        Ok(inverse)
    }

    /// Whether applying this can break a rule that spans the session
    /// (routes, loops, ids, VCA members); those are checked after applying.
    fn needs_whole_check(&self) -> bool {
        match self {
            Edit::Output { .. }
            | Edit::AddSend { .. }
            | Edit::AddChannel { .. }
            | Edit::RemoveChannel { .. }
            | Edit::VcaMembers { .. }
            | Edit::AddVca { .. }
            | Edit::RemoveVca { .. }
            | Edit::AddScene { .. }
            | Edit::SetScene { .. }
            | Edit::AddGroup { .. }
            | Edit::SetGroup { .. } => true,
            Edit::Batch(steps) => steps.iter().any(Edit::needs_whole_check),
            _ => false,
        }
    }

    /// Checks the values this edit writes, before anything changes.
    fn check_values(&self, s: &Session) -> Result<()> {
        let field = |channel: &str, what: &str| match s.channel_index(channel) {
            Some(i) => format!("channels[{i}].{what}"),
            None => format!("{channel}.{what}"),
        };
        match self {
            Edit::Gain { channel, db } => check_gain(*db, &field(channel, "gain_db")),
            Edit::Trim { channel, db } => check_trim(*db, &field(channel, "trim_db")),
            Edit::SendLevel { channel, aux, db } => {
                check_gain(*db, &field(channel, &format!("send to {aux}")))
            }
            Edit::VcaGain { vca, db } => check_gain(*db, &format!("{vca}.gain_db")),
            Edit::PanLaw { db } => check_pan_law(*db),
            Edit::Tempo { bpm } => check_tempo(*bpm),
            Edit::SampleRate { rate } => check_sample_rate(*rate),
            Edit::SetInsert {
                channel,
                index,
                insert,
            }
            | Edit::AddInsert {
                channel,
                index,
                insert,
            } => check_insert(
                insert,
                channel,
                &field(channel, &format!("inserts[{index}]")),
            ),
            Edit::Batch(steps) => steps.iter().try_for_each(|e| e.check_values(s)),
            _ => Ok(()),
        }
    }

    fn apply_unchecked(self, s: &mut Session) -> Result<Edit> {
        Ok(match self {
            Edit::Gain { channel, db } => {
                let c = channel_mut(s, &channel)?;
                let old = std::mem::replace(&mut c.gain_db, db);
                Edit::Gain { channel, db: old }
            }
            Edit::Trim { channel, db } => {
                let old = std::mem::replace(&mut channel_mut(s, &channel)?.trim_db, db);
                Edit::Trim { channel, db: old }
            }
            Edit::Pan { channel, pan } => {
                let old =
                    std::mem::replace(&mut channel_mut(s, &channel)?.pan, pan.clamp(-1.0, 1.0));
                Edit::Pan { channel, pan: old }
            }
            Edit::Mute { channel, on } => {
                let old = std::mem::replace(&mut channel_mut(s, &channel)?.mute, on);
                Edit::Mute { channel, on: old }
            }
            Edit::Solo { channel, on } => {
                let old = std::mem::replace(&mut channel_mut(s, &channel)?.solo, on);
                Edit::Solo { channel, on: old }
            }
            Edit::SoloSafe { channel, on } => {
                let old = std::mem::replace(&mut channel_mut(s, &channel)?.solo_safe, on);
                Edit::SoloSafe { channel, on: old }
            }
            Edit::Rename { channel, name } => {
                let old = std::mem::replace(&mut channel_mut(s, &channel)?.name, name);
                Edit::Rename { channel, name: old }
            }
            Edit::Output { channel, output } => {
                let old = std::mem::replace(&mut channel_mut(s, &channel)?.output, output);
                Edit::Output {
                    channel,
                    output: old,
                }
            }
            Edit::SendLevel { channel, aux, db } => {
                let send = send_mut(s, &channel, &aux)?;
                let old = std::mem::replace(&mut send.level_db, db);
                Edit::SendLevel {
                    channel,
                    aux,
                    db: old,
                }
            }
            Edit::SendPreFader { channel, aux, pre } => {
                let send = send_mut(s, &channel, &aux)?;
                let old = std::mem::replace(&mut send.pre_fader, pre);
                Edit::SendPreFader {
                    channel,
                    aux,
                    pre: old,
                }
            }
            Edit::AddSend {
                channel,
                send,
                index,
            } => {
                let aux = send.to.clone();
                let sends = &mut channel_mut(s, &channel)?.sends;
                let index = index.unwrap_or(sends.len()).min(sends.len());
                sends.insert(index, send);
                Edit::RemoveSend { channel, aux }
            }
            Edit::RemoveSend { channel, aux } => {
                let c = channel_mut(s, &channel)?;
                let k = c
                    .sends
                    .iter()
                    .position(|x| x.to == aux)
                    .ok_or_else(|| missing(&format!("send {channel} → {aux}")))?;
                let send = c.sends.remove(k);
                Edit::AddSend {
                    channel,
                    send,
                    index: Some(k),
                }
            }
            Edit::AddChannel { index, channel } => {
                let id = channel.id.clone();
                let index = index.min(s.channels.len());
                s.channels.insert(index, channel);
                Edit::RemoveChannel { id }
            }
            Edit::RemoveChannel { id } => {
                let index = s.channel_index(&id).ok_or_else(|| missing(&id))?;
                let channel = s.channels.remove(index);
                Edit::AddChannel { index, channel }
            }
            Edit::MoveChannel { from, to } => {
                if from >= s.channels.len() || to >= s.channels.len() {
                    return Err(SessionError::invalid(
                        "channels",
                        "no channel at that position",
                    ));
                }
                let c = s.channels.remove(from);
                s.channels.insert(to, c);
                Edit::MoveChannel { from: to, to: from }
            }
            Edit::Tempo { bpm } => {
                let old = std::mem::replace(&mut s.tempo_bpm, bpm);
                Edit::Tempo { bpm: old }
            }
            Edit::SampleRate { rate } => {
                let old = std::mem::replace(&mut s.sample_rate, rate);
                Edit::SampleRate { rate: old }
            }
            Edit::SetInsert {
                channel,
                index,
                insert,
            } => {
                let slot = insert_mut(s, &channel, index)?;
                if slot.kind() != insert.kind() {
                    return Err(SessionError::invalid(
                        format!("{channel}.inserts[{index}]"),
                        "an insert cannot change its kind of effect; remove it and add another",
                    ));
                }
                let old = std::mem::replace(slot, insert);
                Edit::SetInsert {
                    channel,
                    index,
                    insert: old,
                }
            }
            Edit::AddInsert {
                channel,
                index,
                insert,
            } => {
                let c = channel_mut(s, &channel)?;
                let index = index.min(c.inserts.len());
                c.inserts.insert(index, insert);
                Edit::RemoveInsert { channel, index }
            }
            Edit::RemoveInsert { channel, index } => {
                insert_mut(s, &channel, index)?;
                let insert = channel_mut(s, &channel)?.inserts.remove(index);
                Edit::AddInsert {
                    channel,
                    index,
                    insert,
                }
            }
            Edit::MoveInsert { channel, from, to } => {
                let c = channel_mut(s, &channel)?;
                if from >= c.inserts.len() || to >= c.inserts.len() {
                    return Err(SessionError::invalid(
                        format!("{channel}.inserts"),
                        "no insert at that position",
                    ));
                }
                let insert = c.inserts.remove(from);
                c.inserts.insert(to, insert);
                Edit::MoveInsert {
                    channel,
                    from: to,
                    to: from,
                }
            }
            Edit::VcaGain { vca, db } => {
                let old = std::mem::replace(&mut vca_mut(s, &vca)?.gain_db, db);
                Edit::VcaGain { vca, db: old }
            }
            Edit::VcaMute { vca, on } => {
                let old = std::mem::replace(&mut vca_mut(s, &vca)?.mute, on);
                Edit::VcaMute { vca, on: old }
            }
            Edit::VcaMembers { vca, members } => {
                let old = std::mem::replace(&mut vca_mut(s, &vca)?.members, members);
                Edit::VcaMembers { vca, members: old }
            }
            Edit::AddVca { index, vca } => {
                let id = vca.id.clone();
                let index = index.min(s.vcas.len());
                s.vcas.insert(index, vca);
                Edit::RemoveVca { id }
            }
            Edit::RemoveVca { id } => {
                let index = s
                    .vcas
                    .iter()
                    .position(|v| v.id == id)
                    .ok_or_else(|| missing(&id))?;
                let vca = s.vcas.remove(index);
                Edit::AddVca { index, vca }
            }
            Edit::PanLaw { db } => Edit::PanLaw {
                db: std::mem::replace(&mut s.pan_law_db, db),
            },
            Edit::AddScene { index, scene } => {
                let name = scene.name.clone();
                s.scenes.insert(index.min(s.scenes.len()), scene);
                Edit::RemoveScene { name }
            }
            Edit::RemoveScene { name } => {
                let index = scene_index(s, &name)?;
                let scene = s.scenes.remove(index);
                Edit::AddScene { index, scene }
            }
            Edit::SetScene { name, scene } => {
                let index = scene_index(s, &name)?;
                let name = scene.name.clone();
                let scene = std::mem::replace(&mut s.scenes[index], scene);
                Edit::SetScene { name, scene }
            }
            Edit::AddGroup { index, group } => Edit::RemoveGroup {
                id: super::groups::insert(s, index, group),
            },
            Edit::RemoveGroup { id } => {
                let (index, group) = super::groups::take(s, &id)?;
                Edit::AddGroup { index, group }
            }
            Edit::SetGroup { group } => Edit::SetGroup {
                group: super::groups::replace(s, group)?,
            },
            Edit::Batch(steps) => {
                let mut inverses = Vec::with_capacity(steps.len());
                for step in steps {
                    match step.apply_unchecked(s) {
                        Ok(inv) => inverses.push(inv),
                        Err(e) => {
                            for inv in inverses.into_iter().rev() {
                                let _ = inv.apply_unchecked(s);
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Edit::Batch(inverses)
            }
        })
    }
}
