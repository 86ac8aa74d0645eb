//! Finding what an edit names in a session: one message for each kind of
//! thing that is not there.

use super::effects::Insert;
use super::error::{Result, SessionError};
use super::model::{Channel, Send, Session, Vca};

pub(super) fn missing(what: &str) -> SessionError {
    SessionError::invalid("channels", format!("\"{what}\" does not exist"))
}

pub(super) fn channel_mut<'a>(s: &'a mut Session, id: &str) -> Result<&'a mut Channel> {
    s.channels
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| missing(id))
}

pub(super) fn insert_mut<'a>(
    s: &'a mut Session,
    channel: &str,
    index: usize,
) -> Result<&'a mut Insert> {
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

pub(super) fn send_mut<'a>(s: &'a mut Session, channel: &str, aux: &str) -> Result<&'a mut Send> {
    channel_mut(s, channel)?
        .sends
        .iter_mut()
        .find(|x| x.to == aux)
        .ok_or_else(|| missing(&format!("send {channel} → {aux}")))
}

pub(super) fn scene_index(s: &Session, name: &str) -> Result<usize> {
    s.scenes
        .iter()
        .position(|x| x.name == name)
        .ok_or_else(|| SessionError::invalid("scenes", format!("no scene \"{name}\"")))
}

pub(super) fn vca_mut<'a>(s: &'a mut Session, id: &str) -> Result<&'a mut Vca> {
    s.vcas
        .iter_mut()
        .find(|v| v.id == id)
        .ok_or_else(|| missing(id))
}
