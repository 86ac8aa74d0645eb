//! Edits: every change the console makes to a session. Applying an edit
//! returns its inverse, which is what undo applies; an edit that would make
//! the session invalid (a routing loop, an unknown target) is refused and
//! leaves the session as it was.

use super::error::{Result, SessionError};
use super::model::{Channel, Send, Session, Vca};
use super::validate::validate;
use crate::fx::Insert;

#[derive(Debug, Clone, PartialEq)]
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
    /// Several edits as one step; the inverse undoes them in reverse order.
    Batch(Vec<Edit>),
}

/// What an edit means for the audio engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Nothing audible (a rename).
    None,
    /// New gains for one channel.
    Channel,
    /// New settings for the inserts (and gains) of one channel.
    Insert,
    /// New gains and insert settings for every channel (mute, solo, VCA,
    /// pan law, tempo).
    AllChannels,
    /// The routing changed: compile and swap a new plan.
    Structure,
}

impl Edit {
    /// Removes a channel together with everything that refers to it: routes
    /// to it fall back to the master, sends to it go, VCAs forget it.
    pub fn remove_channel(s: &Session, id: &str) -> Edit {
        let mut steps = Vec::new();
        for c in &s.channels {
            if c.output.as_deref() == Some(id) {
                steps.push(Edit::Output {
                    channel: c.id.clone(),
                    output: Some(super::DEFAULT_OUTPUT.into()),
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
        steps.push(Edit::RemoveChannel { id: id.into() });
        Edit::Batch(steps)
    }

    pub fn effect(&self) -> Effect {
        match self {
            Edit::Gain { .. } | Edit::Trim { .. } | Edit::Pan { .. } | Edit::SendLevel { .. } => {
                Effect::Channel
            }
            Edit::Mute { .. }
            | Edit::Solo { .. }
            | Edit::SoloSafe { .. }
            | Edit::VcaGain { .. }
            | Edit::VcaMute { .. }
            | Edit::VcaMembers { .. }
            | Edit::AddVca { .. }
            | Edit::RemoveVca { .. }
            | Edit::PanLaw { .. }
            | Edit::Tempo { .. } => Effect::AllChannels,
            Edit::SetInsert { .. } => Effect::Insert,
            Edit::AddInsert { .. } | Edit::RemoveInsert { .. } | Edit::MoveInsert { .. } => {
                Effect::Structure
            }
            Edit::Rename { .. } | Edit::MoveChannel { .. } => Effect::None,
            Edit::Output { .. }
            | Edit::SendPreFader { .. }
            | Edit::AddSend { .. }
            | Edit::RemoveSend { .. }
            | Edit::AddChannel { .. }
            | Edit::RemoveChannel { .. } => Effect::Structure,
            Edit::Batch(steps) => steps.iter().map(Edit::effect).max().unwrap_or(Effect::None),
        }
    }

    /// The channel a per-channel edit touches.
    pub fn channel(&self) -> Option<&str> {
        match self {
            Edit::Gain { channel, .. }
            | Edit::Trim { channel, .. }
            | Edit::Pan { channel, .. }
            | Edit::SendLevel { channel, .. }
            | Edit::SetInsert { channel, .. } => Some(channel),
            _ => None,
        }
    }

    /// Applies the edit and returns its inverse. On error nothing changed.
    pub fn apply(self, s: &mut Session) -> Result<Edit> {
        let inverse = self.apply_unchecked(s)?;
        if let Err(e) = validate(s) {
            // Put the session back exactly as it was.
            let _ = inverse.apply_unchecked(s);
            return Err(e);
        }
        Ok(inverse)
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

fn missing(what: &str) -> SessionError {
    SessionError::invalid("channels", format!("\"{what}\" does not exist"))
}

fn channel_mut<'a>(s: &'a mut Session, id: &str) -> Result<&'a mut Channel> {
    s.channels
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| missing(id))
}

fn insert_mut<'a>(s: &'a mut Session, channel: &str, index: usize) -> Result<&'a mut Insert> {
    channel_mut(s, channel)?
        .inserts
        .get_mut(index)
        .ok_or_else(|| {
            SessionError::invalid(
                format!("{channel}.inserts"),
                format!("\"{channel}\" has no insert {}", index + 1),
            )
        })
}

fn send_mut<'a>(s: &'a mut Session, channel: &str, aux: &str) -> Result<&'a mut Send> {
    channel_mut(s, channel)?
        .sends
        .iter_mut()
        .find(|x| x.to == aux)
        .ok_or_else(|| missing(&format!("send {channel} → {aux}")))
}

fn vca_mut<'a>(s: &'a mut Session, id: &str) -> Result<&'a mut Vca> {
    s.vcas
        .iter_mut()
        .find(|v| v.id == id)
        .ok_or_else(|| missing(id))
}
