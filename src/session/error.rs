//! What can be wrong with a session file, in words a user can act on.

use std::fmt;
use std::path::PathBuf;

pub type Result<T> = std::result::Result<T, SessionError>;

#[derive(Debug)]
pub enum SessionError {
    /// The file could not be read or written.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// A device, FIFO or folder where a session file was expected.
    NotAFile { path: PathBuf },
    /// Larger than a session may be; refused before reading it.
    TooLarge { path: PathBuf, limit: u64 },
    /// Not JSON, or JSON that does not fit the format: names the field and position.
    Parse {
        path: PathBuf,
        field: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file says it is something other than an auxbus session.
    NotASession { path: PathBuf, found: String },
    /// Written by a newer auxbus.
    NewerVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// Well-formed but inconsistent: names the field and what is wrong with it.
    Invalid { field: String, message: String },
    /// A route that would feed a channel back into itself.
    RoutingLoop { path: Vec<String> },
    /// No stored scene has this name; `known` lists the ones there are.
    UnknownScene { name: String, known: Vec<String> },
}

impl SessionError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        SessionError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Io {
                path,
                action,
                source,
            } => {
                write!(f, "{}: cannot {action}: {source}", path.display())
            }
            SessionError::NotAFile { path } => write!(
                f,
                "{}: not a regular file (a session is a JSON file)",
                path.display()
            ),
            SessionError::TooLarge { path, limit } => write!(
                f,
                "{}: larger than {} MiB, the most a session file may be",
                path.display(),
                limit / (1024 * 1024)
            ),
            SessionError::Parse {
                path,
                field,
                line,
                column,
                message,
            } => {
                write!(f, "{}:{line}:{column}: ", path.display())?;
                if !field.is_empty() && field != "." {
                    write!(f, "{field}: ")?;
                }
                write!(f, "{message}")
            }
            SessionError::NotASession { path, found } => write!(
                f,
                "{}: not an auxbus session (format is {found:?}, expected \"{}\")",
                path.display(),
                super::model::FORMAT_NAME
            ),
            SessionError::NewerVersion {
                path,
                found,
                supported,
            } => write!(
                f,
                "{}: session format version {found} is newer than this auxbus understands \
                 (up to {supported}); please update auxbus",
                path.display()
            ),
            SessionError::Invalid { field, message } => write!(f, "{field}: {message}"),
            SessionError::RoutingLoop { path } => {
                write!(f, "routing loop: {}", path.join(" → "))
            }
            SessionError::UnknownScene { name, known } if known.is_empty() => {
                write!(f, "no scene \"{name}\": the session has no scenes")
            }
            SessionError::UnknownScene { name, known } => {
                let known: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
                write!(
                    f,
                    "no scene \"{name}\"; the scenes are {}",
                    known.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
