//! What a file's bytes can hold: the source symphonia reads from, and the
//! plausibility bound on a header's declared length.
//!
//! A damaged header can claim days of audio in a 30 KB file; a truncated
//! file claims what it held before it was cut. Neither may make auxbus
//! play (or render) silence for the missing part: the declared length is
//! checked against the bytes that are there.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::formats::FormatReader;
use symphonia::core::formats::probe::Hint;
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;

use super::error::{Result, SourceError};

/// A file that says it cannot seek. Demuxers then stop at the audio data
/// instead of seeking past it for trailing chunks, which is what lets a
/// truncated AIFF or CAF (whose data chunk runs past the end) play what
/// it holds. Seeking still works when asked (symphonia only asks after
/// `is_seekable`).
pub(crate) struct ForwardOnly(pub File);

impl Read for ForwardOnly {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for ForwardOnly {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.0.seek(pos)
    }
}

impl MediaSource for ForwardOnly {
    fn is_seekable(&self) -> bool {
        false
    }

    fn byte_len(&self) -> Option<u64> {
        self.0.metadata().ok().map(|m| m.len())
    }
}

/// Frames that one byte can hold at most, by codec: exact for PCM (a frame
/// is `channels × bytes per sample`), 2 per channel for 4-bit ADPCM, and for
/// compressed codecs a bound no real file reaches (FLAC's best case, a
/// constant block, is about 4096 frames per byte).
pub(crate) fn max_frames_for(bytes: u64, codec: &str, channels: usize, bits: Option<u32>) -> u64 {
    let channels = channels.max(1) as u64;
    let codec = codec.to_ascii_lowercase();
    if codec.starts_with("pcm") {
        let per_sample = u64::from(bits.unwrap_or(8).clamp(8, 64)).div_ceil(8);
        bytes / (per_sample * channels) + 1
    } else if codec.contains("adpcm") {
        bytes.saturating_mul(2) / channels + 4096
    } else {
        bytes.saturating_mul(65_536)
    }
}

/// Probes `path`. A file cut short inside the chunk that holds its audio
/// (AIFF, CAF, WAV codecs the fast path declines) is probed again forward
/// only, so that what it holds can play.
pub(crate) fn probe(path: &Path) -> Result<Box<dyn FormatReader>> {
    let mut cut_short = false;
    loop {
        let file = File::open(path).map_err(|e| SourceError::io(path, e))?;
        let source: Box<dyn symphonia::core::io::MediaSource> = if cut_short {
            Box::new(ForwardOnly(file))
        } else {
            Box::new(file)
        };
        let mss = MediaSourceStream::new(source, Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let probe = symphonia::default::get_probe();
        let (fmt_opts, meta_opts) = (FormatOptions::default(), MetadataOptions::default());
        match guarded(path, || probe.probe(&hint, mss, fmt_opts, meta_opts))? {
            Ok(format) => return Ok(format),
            Err(SymError::IoError(e))
                if e.kind() == std::io::ErrorKind::UnexpectedEof && !cut_short =>
            {
                cut_short = true;
            }
            Err(e) => return Err(probe_error(path, e)),
        }
    }
}

fn probe_error(path: &Path, e: SymError) -> SourceError {
    match e {
        // No demuxer recognised the bytes. An MP4 whose index (at its end)
        // was cut off looks like that too: say so.
        SymError::Unsupported(_) if is_mp4(path) => SourceError::truncated(
            path,
            "the MP4 file ends before its index (moov) — it was cut short while being \
             written or copied, and without the index no audio can be found",
        ),
        SymError::Unsupported(_) => {
            SourceError::unsupported(path, "not a recognised audio file (random bytes?)")
        }
        SymError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            SourceError::truncated(path, "file ends before its header/index is complete")
        }
        SymError::IoError(e) => SourceError::io(path, e),
        // A demuxer claimed the file but could not parse its header.
        other => SourceError::corrupt(path, other.to_string()),
    }
}

/// Whether the file starts like an MP4/M4A (`ftyp` box).
fn is_mp4(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 8];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head[4..8] == b"ftyp")
}

pub(crate) const PANIC_REASON: &str = "the decoder crashed on malformed data";

/// Runs a call into symphonia, turning a panic into a `Corrupt` error. symphonia is safe
/// Rust but can still panic on hostile input (fuzzing found an arithmetic overflow in its
/// CAF header parser); one damaged file must not take the whole mixer down. No-op if the
/// binary is built with `panic = "abort"`.
pub(crate) fn guarded<T>(path: &Path, f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|_| SourceError::corrupt(path, PANIC_REASON))
}
