//! Streaming audio source reader: the one way the mixer gets samples out of a file.
//!
//! [`SourceReader`] opens any file the mixer can play, validates it up front (so a broken
//! file is reported when the user adds it, not halfway through a render), and then hands
//! out interleaved `f32` frames at the session's sample rate, a block at a time.
//!
//! Decoding is split by cost:
//! * plain PCM / float WAV — by far the most common stem format and the one a render reads
//!   64 of at once — goes through [`super::wav_fast`], a tiny RIFF parser that converts
//!   straight from a reusable byte buffer into the caller's slice;
//! * everything else (FLAC, MP3, Vorbis, AAC, ALAC, AIFF, CAF, MKV, exotic WAV codecs) goes
//!   through symphonia in [`super::decode_symphonia`].
//!
//! If the file's rate differs from the session rate, [`super::resample`] sits on top.
//! Memory per reader is bounded (a few hundred KB of buffers); files are never loaded whole.

use std::fmt;
use std::path::{Path, PathBuf};

use super::decode_symphonia::SymphoniaDecoder;
use super::resample::StreamResampler;
use super::wav_fast::WavReader;

/// Sample rates accepted for files and sessions.
const RATE_RANGE: std::ops::RangeInclusive<u32> = 4_000..=768_000;

/// Result type of everything in this module.
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
    /// More than two channels: the mixer's strips are mono or stereo.
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
                "{p}: has {channels} channels; auxbus plays mono and stereo sources \
                 — downmix to stereo first"
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

/// What a source is, as reported after a successful [`SourceReader::open`].
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// 1 (mono) or 2 (stereo).
    pub channels: usize,
    /// Sample rate stored in the file.
    pub source_rate: u32,
    /// Rate frames are delivered at (the session rate).
    pub target_rate: u32,
    /// Length in frames at `target_rate`, when the container states it.
    pub frames: Option<u64>,
    /// Human readable format, e.g. "WAV float32", "FLAC", "MP3".
    pub format: String,
}

/// The decoder stage: produces interleaved frames at the file's own rate.
///
/// An enum rather than a trait object so the hot WAV path is a direct call.
pub(crate) enum Decoder {
    Wav(WavReader),
    Symphonia(Box<SymphoniaDecoder>),
}

impl Decoder {
    /// Fills `out` (interleaved, source rate) as far as possible; 0 only at end of stream.
    pub(crate) fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        match self {
            Decoder::Wav(d) => d.read(out),
            Decoder::Symphonia(d) => d.read(out),
        }
    }

    /// Positions the decoder at `frame` (source rate). Past the end means end of stream.
    pub(crate) fn seek(&mut self, frame: u64) -> Result<()> {
        match self {
            Decoder::Wav(d) => d.seek(frame),
            Decoder::Symphonia(d) => d.seek(frame),
        }
    }
}

/// A streaming reader for one audio file. `Send`, so it can be moved to a render or
/// disk-streaming thread.
pub struct SourceReader {
    info: SourceInfo,
    decoder: Decoder,
    /// Present only when the file's rate differs from the target rate.
    resampler: Option<StreamResampler>,
}

impl SourceReader {
    /// Opens and validates: decodes the first packet so an empty/corrupt/truncated file fails
    /// here, not later.
    pub fn open(path: &Path, target_rate: u32) -> Result<Self> {
        if !RATE_RANGE.contains(&target_rate) {
            return Err(SourceError::Unsupported {
                path: path.to_path_buf(),
                reason: format!("cannot play at a session rate of {target_rate} Hz"),
            });
        }
        let meta = std::fs::metadata(path).map_err(|e| SourceError::io(path, e))?;
        if meta.is_dir() {
            return Err(SourceError::Unsupported {
                path: path.to_path_buf(),
                reason: "is a folder, not an audio file".into(),
            });
        }
        if meta.len() == 0 {
            return Err(SourceError::Empty {
                path: path.to_path_buf(),
            });
        }

        // Fast path first; it declines (Ok(None)) anything that is not plain PCM/float WAV,
        // but reports errors (truncation, >2 channels) for files that clearly are.
        let (decoder, channels, source_rate, source_frames, format) = match WavReader::open(path)? {
            Some(w) => {
                let (ch, rate, frames) = (w.channels(), w.sample_rate(), w.frames());
                let format = w.format_name();
                (Decoder::Wav(w), ch, rate, Some(frames), format)
            }
            None => {
                let s = SymphoniaDecoder::open(path)?;
                let (ch, rate, frames) = (s.channels(), s.sample_rate(), s.frames());
                let format = s.format_name();
                (Decoder::Symphonia(Box::new(s)), ch, rate, frames, format)
            }
        };

        if !RATE_RANGE.contains(&source_rate) {
            // Also keeps a nonsense header rate from sizing huge resampler buffers.
            return Err(SourceError::Unsupported {
                path: path.to_path_buf(),
                reason: format!("sample rate of {source_rate} Hz is outside 4 kHz–768 kHz"),
            });
        }
        let resampler = if source_rate == target_rate {
            None
        } else {
            Some(StreamResampler::new(
                path,
                source_rate,
                target_rate,
                channels,
            )?)
        };
        let frames = source_frames.map(|n| convert_len(n, source_rate, target_rate));

        Ok(SourceReader {
            info: SourceInfo {
                channels,
                source_rate,
                target_rate,
                frames,
                format,
            },
            decoder,
            resampler,
        })
    }

    /// What was opened.
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Appends up to `out.len() / channels` frames at the target rate into `out`, interleaved
    /// (L,R,L,R… for stereo, one sample per frame for mono). Returns frames written; fills
    /// `out` completely unless the stream ends, and returns 0 only at end of stream.
    /// No allocation in steady state.
    pub fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        // A ragged tail would be a caller bug; ignore it rather than write half a frame.
        let usable = out.len() - out.len() % self.info.channels;
        let out = &mut out[..usable];
        match &mut self.resampler {
            None => fill(&mut self.decoder, out, self.info.channels),
            Some(r) => r.read(&mut self.decoder, out),
        }
    }

    /// Seeks to `frame` (in target-rate frames). Resets the resampler; seeking past the end
    /// gives end of stream.
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        match &mut self.resampler {
            None => self.decoder.seek(frame),
            Some(r) => r.seek(&mut self.decoder, frame),
        }
    }
}

/// Reads from `decoder` until `out` is full or the stream ends; returns frames written.
/// Decoders may return short reads (e.g. one packet), the public API promises full ones.
pub(crate) fn fill(decoder: &mut Decoder, out: &mut [f32], channels: usize) -> Result<usize> {
    let mut filled = 0;
    while filled < out.len() {
        let n = decoder.read(&mut out[filled..])?;
        if n == 0 {
            break;
        }
        filled += n * channels;
    }
    Ok(filled / channels)
}

/// Largest magnitude a float sample may have on delivery (+48 dBFS). Float files may
/// legitimately exceed full scale, but NaN, infinities or absurd values from a damaged file
/// must not reach the mix bus (one NaN poisons every filter after it) or the FFT resampler
/// (which panics on non-finite input).
pub(crate) const FLOAT_LIMIT: f32 = 256.0;

/// Maps NaN to silence and clamps to ±[`FLOAT_LIMIT`]. Branch-free so loops vectorise.
#[inline]
pub(crate) fn sanitize(x: f32) -> f32 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(-FLOAT_LIMIT, FLOAT_LIMIT)
    }
}

/// Length of `frames` source frames after conversion from `from` Hz to `to` Hz, rounded up
/// (matches how many frames the resampler delivers before its flush is cut off).
pub(crate) fn convert_len(frames: u64, from: u32, to: u32) -> u64 {
    let (from, to) = (u128::from(from.max(1)), u128::from(to));
    let n = (u128::from(frames) * to).div_ceil(from);
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn reader_is_send() {
        assert_send::<SourceReader>();
    }

    #[test]
    fn convert_len_rounds_up() {
        assert_eq!(convert_len(44_100, 44_100, 48_000), 48_000);
        assert_eq!(convert_len(1, 44_100, 48_000), 2);
        assert_eq!(convert_len(0, 44_100, 48_000), 0);
    }

    #[test]
    fn sanitize_removes_nan_and_inf() {
        assert_eq!(sanitize(f32::NAN), 0.0);
        assert_eq!(sanitize(f32::INFINITY), FLOAT_LIMIT);
        assert_eq!(sanitize(f32::NEG_INFINITY), -FLOAT_LIMIT);
        assert_eq!(sanitize(-0.25), -0.25);
    }

    #[test]
    fn messages_name_the_file() {
        let e = SourceError::TooManyChannels {
            path: "a/b.wav".into(),
            channels: 6,
        };
        assert_eq!(
            e.to_string(),
            "a/b.wav: has 6 channels; auxbus plays mono and stereo sources — downmix to stereo first"
        );
        let e = SourceError::Empty {
            path: "x.wav".into(),
        };
        assert_eq!(e.to_string(), "x.wav: file is empty");
    }
}
