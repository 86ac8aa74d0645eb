//! Output errors, and the rule that backend messages inside them fit on one
//! line (cpal and ALSA wrap theirs; the UI and the CLI show one line).

use std::fmt;

/// Why the output could not be opened. `Display` is one line for a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputError {
    UnknownHost {
        name: String,
        available: Vec<String>,
    },
    /// The host exists but is unreachable, or has no usable output device.
    NoDevice { host: String, reason: String },
    UnknownDevice {
        host: String,
        name: String,
        available: Vec<String>,
    },
    Stream {
        host: String,
        device: String,
        reason: String,
    },
    /// The renderer was not in its cell (a stream still held it).
    RendererBusy,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        match self {
            Self::UnknownHost { name, available } => {
                write!(
                    f,
                    "unknown audio host \"{name}\" (available: {})",
                    list(available)
                )
            }
            Self::NoDevice { host, reason } => {
                write!(f, "no audio output device on host {host}: {reason}")
            }
            Self::UnknownDevice {
                host,
                name,
                available,
            } => write!(
                f,
                "no audio output device matching \"{name}\" on host {host} (available: {})",
                list(available)
            ),
            Self::Stream {
                host,
                device,
                reason,
            } => {
                write!(
                    f,
                    "cannot start audio output on {host} device \"{device}\": {reason}"
                )
            }
            Self::RendererBusy => f.write_str("the audio renderer is still held by an old stream"),
        }
    }
}

impl std::error::Error for OutputError {}

pub type Result<T> = std::result::Result<T, OutputError>;

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
