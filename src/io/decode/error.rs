//! The one error vocabulary of decoding: every decoder, the resampler and the
//! reader report through [`SourceError`], built with the constructors below so
//! a message reads the same whichever stage found the problem.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result type of everything in `io::decode`.
pub type Result<T> = std::result::Result<T, SourceError>;

/// Why a source could not be opened or read. Every variant carries the file path so the
/// message can be shown to the user as-is.
#[derive(Debug)]
pub enum SourceError {
    /// The path does not exist.
    NotFound { path: PathBuf },
    /// The file has zero bytes, or a valid header but no audio frames.
    Empty { path: PathBuf },
    /// Not an audio file we recognise, or an audio codec/feature we cannot decode.
    Unsupported { path: PathBuf, reason: String },
    /// The file is recognised but its contents are malformed.
    Corrupt { path: PathBuf, reason: String },
    /// The file ends before the audio its header promises.
    Truncated { path: PathBuf, reason: String },
    /// More channels than a 7.1 file: the mixer folds up to 8 down to stereo.
    TooManyChannels { path: PathBuf, channels: usize },
    /// Any other operating-system level I/O failure (permissions, disk errors…).
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SourceError {
    /// The file this error is about.
    pub fn path(&self) -> &Path {
        match self {
            SourceError::NotFound { path }
            | SourceError::Empty { path }
            | SourceError::Unsupported { path, .. }
            | SourceError::Corrupt { path, .. }
            | SourceError::Truncated { path, .. }
            | SourceError::TooManyChannels { path, .. }
            | SourceError::Io { path, .. } => path,
        }
    }

    /// Maps an I/O error, turning "not found" into its own friendlier variant.
    pub(crate) fn io(path: &Path, err: std::io::Error) -> Self {
        let path = path.to_path_buf();
        match err.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound { path },
            _ => SourceError::Io { path, source: err },
        }
    }

    pub(crate) fn unsupported(path: &Path, reason: impl Into<String>) -> Self {
        SourceError::Unsupported {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    pub(crate) fn corrupt(path: &Path, reason: impl Into<String>) -> Self {
        SourceError::Corrupt {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    pub(crate) fn truncated(path: &Path, reason: impl Into<String>) -> Self {
        SourceError::Truncated {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path().display();
        match self {
            SourceError::NotFound { .. } => write!(f, "{p}: file not found"),
            SourceError::Empty { .. } => write!(f, "{p}: file is empty"),
            SourceError::Unsupported { reason, .. } => write!(f, "{p}: {reason}"),
            SourceError::Corrupt { reason, .. } => write!(f, "{p}: corrupt audio: {reason}"),
            SourceError::Truncated { reason, .. } => write!(f, "{p}: truncated: {reason}"),
            SourceError::TooManyChannels { channels, .. } => write!(
                f,
                "{p}: has {channels} channels; auxbus plays mono and stereo sources and \
                 folds up to 8 channels (7.1) down to stereo — downmix it first"
            ),
            SourceError::Io { source, .. } => write!(f, "{p}: cannot read file: {source}"),
        }
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SourceError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file() {
        let e = SourceError::TooManyChannels {
            path: "a/b.wav".into(),
            channels: 10,
        };
        assert_eq!(
            e.to_string(),
            "a/b.wav: has 10 channels; auxbus plays mono and stereo sources and folds up to \
             8 channels (7.1) down to stereo — downmix it first"
        );
        let e = SourceError::Empty {
            path: "x.wav".into(),
        };
        assert_eq!(e.to_string(), "x.wav: file is empty");
    }
}
