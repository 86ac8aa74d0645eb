//! Writing renders to files: the container follows the extension (`.wav`,
//! `.flac`), samples are float or TPDF-dithered integers, and a file is
//! either complete and in place or not there at all.
//!
//! ```text
//!  OutputSpec::for_path ─► AudioFile::create ─► Target (temp, fsync, rename; devices written through)
//!                               ├─ wav::WavWriter  (RIFF, RF64 past 4 GiB)
//!                               └─ flac::FlacWriter (flacenc, streamed frame by frame)
//!  cleanup: partial files removed on drop, error, SIGINT, SIGTERM
//! ```

pub mod cleanup;
mod flac;
mod quantize;
mod spool;
mod target;
mod wav;

use std::fmt;
use std::path::{Path, PathBuf};

pub use cleanup::remove_on_signals;
pub use quantize::Quantizer;
pub use spool::Spool;
pub use target::Target;
pub use wav::{RIFF_LIMIT, WavWriter};

/// Sample format of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    F32,
    S24,
    S16,
}

impl SampleFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "f32" => Some(SampleFormat::F32),
            "s24" => Some(SampleFormat::S24),
            "s16" => Some(SampleFormat::S16),
            _ => None,
        }
    }

    pub fn bits(self) -> u32 {
        match self {
            SampleFormat::F32 => 32,
            SampleFormat::S24 => 24,
            SampleFormat::S16 => 16,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SampleFormat::F32 => "f32",
            SampleFormat::S24 => "s24",
            SampleFormat::S16 => "s16",
        }
    }
}

/// The file type, from the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Wav,
    Flac,
}

impl Container {
    pub fn extension(self) -> &'static str {
        match self {
            Container::Wav => "wav",
            Container::Flac => "flac",
        }
    }
}

/// What to write: container and sample format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputSpec {
    pub container: Container,
    pub format: SampleFormat,
}

/// Why an output cannot be written.
#[derive(Debug)]
pub enum WriteError {
    /// The extension names no format auxbus writes.
    Extension(PathBuf),
    /// The format does not fit the container (e.g. float FLAC).
    Format(String),
    /// The file system said no.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Extension(p) => write!(
                f,
                "{}: unknown output type; use a .wav or .flac file name",
                p.display()
            ),
            WriteError::Format(m) => write!(f, "{m}"),
            WriteError::Io { path, source } => {
                write!(f, "{}: cannot write: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for WriteError {}

impl OutputSpec {
    /// The spec for `path`: `.wav` (default 32-bit float) or `.flac`
    /// (default 24 bit; 16 or 24 only). A character device (`/dev/null`)
    /// takes WAV whatever its name.
    pub fn for_path(path: &Path, format: Option<SampleFormat>) -> Result<Self, WriteError> {
        use std::os::unix::fs::FileTypeExt;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let device = || std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device());
        let container = match ext.as_deref() {
            Some("wav" | "wave") => Container::Wav,
            Some("flac") => Container::Flac,
            _ if device() => Container::Wav,
            _ => return Err(WriteError::Extension(path.to_owned())),
        };
        let format = match (container, format) {
            (Container::Wav, f) => f.unwrap_or(SampleFormat::F32),
            (Container::Flac, None) => SampleFormat::S24,
            (Container::Flac, Some(SampleFormat::F32)) => {
                return Err(WriteError::Format(
                    "FLAC holds integers only: use --format s24 or s16 with .flac".into(),
                ));
            }
            (Container::Flac, Some(f)) => f,
        };
        Ok(OutputSpec { container, format })
    }
}

enum Writer {
    Wav(WavWriter),
    Flac(Box<FlacWriter>),
}

use flac::FlacWriter;

/// An audio file being written. `finish` moves it into place; dropping it
/// unfinished removes the partial file.
pub struct AudioFile {
    writer: Writer,
    path: PathBuf,
    /// Frames written so far.
    pub frames: u64,
    channels: usize,
}

impl AudioFile {
    pub fn create(
        path: &Path,
        spec: OutputSpec,
        sample_rate: u32,
        channels: u16,
    ) -> Result<Self, WriteError> {
        let io = |source| WriteError::Io {
            path: path.to_owned(),
            source,
        };
        let target = Target::create(path).map_err(io)?;
        let writer = match spec.container {
            Container::Wav => {
                Writer::Wav(WavWriter::new(target, sample_rate, channels, spec.format).map_err(io)?)
            }
            Container::Flac => Writer::Flac(Box::new(
                FlacWriter::new(target, sample_rate, channels, spec.format.bits()).map_err(io)?,
            )),
        };
        Ok(AudioFile {
            writer,
            path: path.to_owned(),
            frames: 0,
            channels: usize::from(channels),
        })
    }

    /// For tests: the RIFF size beyond which a WAV becomes RF64.
    pub fn set_riff_limit(&mut self, limit: u64) {
        if let Writer::Wav(w) = &mut self.writer {
            w.set_riff_limit(limit);
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends interleaved samples.
    pub fn write(&mut self, samples: &[f32]) -> Result<(), WriteError> {
        let r = match &mut self.writer {
            Writer::Wav(w) => w.write(samples),
            Writer::Flac(w) => w.write(samples),
        };
        self.frames += (samples.len() / self.channels.max(1)) as u64;
        r.map_err(|source| WriteError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Samples integer output had to clip.
    pub fn clipped(&self) -> u64 {
        match &self.writer {
            Writer::Wav(w) => w.clipped(),
            Writer::Flac(w) => w.clipped(),
        }
    }

    /// Completes the file and moves it into place.
    pub fn finish(self) -> Result<PathBuf, WriteError> {
        let path = self.path.clone();
        match self.writer {
            Writer::Wav(w) => w.finish(),
            Writer::Flac(w) => w.finish(),
        }
        .map_err(|source| WriteError::Io { path, source })
    }
}
