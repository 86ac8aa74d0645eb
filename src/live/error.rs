//! What can go wrong starting or changing live playback.

use std::fmt;

use crate::session::SessionError;

#[derive(Debug)]
pub enum LiveError {
    Session(SessionError),
    /// The disk threads could not be started.
    Threads(std::io::Error),
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::Session(e) => e.fmt(f),
            LiveError::Threads(e) => write!(f, "cannot start the disk threads: {e}"),
        }
    }
}

impl std::error::Error for LiveError {}

impl From<SessionError> for LiveError {
    fn from(e: SessionError) -> Self {
        LiveError::Session(e)
    }
}
