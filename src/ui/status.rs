//! The status line's message, and when it goes away: a passing note (a
//! refused edit, a save) after a few seconds; a message about a track's
//! file as soon as that track plays again or is gone.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub struct StatusMessage {
    pub text: String,
    /// A passing note disappears at this time.
    until: Option<Instant>,
    /// A message about this track's file lasts while it cannot be played.
    track: Option<String>,
}

impl StatusMessage {
    /// A note that stays `seconds` (of wall-clock time).
    pub fn note(text: impl Into<String>, seconds: u64) -> Self {
        StatusMessage {
            text: text.into(),
            until: Some(Instant::now() + Duration::from_secs(seconds)),
            track: None,
        }
    }

    /// A problem with a track's file, taken from the audio side's message
    /// (`track "id": …`).
    pub fn offline(text: String) -> Self {
        let track = text
            .strip_prefix("track \"")
            .and_then(|rest| rest.split_once('"'))
            .map(|(id, _)| id.to_owned());
        StatusMessage {
            text,
            until: None,
            track,
        }
    }

    /// Whether the message's cause is gone: its time is up, or its track
    /// is no longer among `offline` (one message per unplayable track).
    pub fn is_stale(&self, offline: &[String]) -> bool {
        if self.until.is_some_and(|t| Instant::now() >= t) {
            return true;
        }
        match &self.track {
            Some(id) => !offline.iter().any(|m| m.contains(&format!("\"{id}\""))),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_track_message_lasts_while_the_track_is_offline() {
        let m = StatusMessage::offline("track \"kick\": kick.wav: file not found".into());
        let offline = vec!["track \"kick\": kick.wav: file not found".to_owned()];
        assert!(!m.is_stale(&offline));
        assert!(m.is_stale(&[]), "the track plays again, or was removed");
    }

    #[test]
    fn a_note_passes() {
        assert!(!StatusMessage::note("saved", 5).is_stale(&[]));
        assert!(StatusMessage::note("saved", 0).is_stale(&[]));
    }
}
