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

/// The most frames some bytes of a codec's packets can hold: exact for PCM
/// (a frame is `channels × bytes per sample`), 2 per channel for 4-bit
/// ADPCM, and for compressed codecs a bound no real file reaches (FLAC's
/// best case, a constant block, is about 4096 frames per byte). Worked out
/// once per stream, applied to the whole file or to each packet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FrameBound {
    /// Bytes per frame.
    Pcm(u64),
    /// Channels.
    Adpcm(u64),
    Compressed,
}

impl FrameBound {
    pub(crate) fn of(codec: &str, channels: usize, bits: Option<u32>) -> Self {
        let channels = channels.max(1) as u64;
        let codec = codec.to_ascii_lowercase();
        if codec.starts_with("pcm") {
            // "pcm_s16be", "pcm_f32le": the name says the width when the
            // header does not (A-law, µ-law and u8 are 8 bits).
            let named = || {
                let digits: String = codec.chars().filter(char::is_ascii_digit).collect();
                digits.parse::<u32>().ok()
            };
            let per_sample = u64::from(bits.or_else(named).unwrap_or(8).clamp(8, 64)).div_ceil(8);
            FrameBound::Pcm(per_sample * channels)
        } else if codec.contains("adpcm") {
            FrameBound::Adpcm(channels)
        } else {
            FrameBound::Compressed
        }
    }

    pub(crate) fn frames_in(self, bytes: u64) -> u64 {
        match self {
            FrameBound::Pcm(per_frame) => bytes.div_ceil(per_frame),
            FrameBound::Adpcm(channels) => bytes.saturating_mul(2) / channels + 4096,
            FrameBound::Compressed => bytes.saturating_mul(65_536),
        }
    }
}

/// Probes `path`; also returns the length (in frames) the header declared
/// when the probe had to work around a chunk that runs past the end. A file
/// cut short inside the chunk that holds its audio is probed again forward
/// only (AIFF, WAV codecs the fast path declines), or for CAF with its data
/// chunk's size read as "unknown, to the end of the file".
pub(crate) fn probe(path: &Path) -> Result<(Box<dyn FormatReader>, Option<u64>)> {
    let mut attempt = 0;
    let mut declared = None;
    loop {
        let file = File::open(path).map_err(|e| SourceError::io(path, e))?;
        let source: Box<dyn MediaSource> = match attempt {
            0 => Box::new(file),
            1 => Box::new(ForwardOnly(file)),
            _ => match caf_data_size(path) {
                Some((at, size, frames)) => {
                    declared = frames;
                    let bytes = size.to_be_bytes();
                    Box::new(Patched {
                        file,
                        at,
                        bytes,
                        pos: 0,
                    })
                }
                None => Box::new(file),
            },
        };
        let mss = MediaSourceStream::new(source, Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let probe = symphonia::default::get_probe();
        let (fmt_opts, meta_opts) = (FormatOptions::default(), MetadataOptions::default());
        match guarded(path, || probe.probe(&hint, mss, fmt_opts, meta_opts))? {
            Ok(format) => return Ok((format, declared)),
            Err(SymError::IoError(_)) if attempt == 0 || (attempt == 1 && is_caf(path)) => {
                attempt += 1;
            }
            Err(e) => return Err(probe_error(path, e)),
        }
    }
}

fn is_caf(path: &Path) -> bool {
    let mut head = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == b"caff")
}

/// Where a CAF file's `data` chunk size is (byte offset), the size the
/// bytes that are there make, and the frames the stated size declares when
/// the `desc` chunk says how big a packet is.
fn caf_data_size(path: &Path) -> Option<(u64, i64, Option<u64>)> {
    let mut f = File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let mut pos = 8u64; // "caff", version, flags
    let mut per_packet: Option<(u64, u64)> = None;
    for _ in 0..1000 {
        let mut hdr = [0u8; 12];
        f.seek(SeekFrom::Start(pos)).ok()?;
        f.read_exact(&mut hdr).ok()?;
        let size = i64::from_be_bytes(hdr[4..12].try_into().ok()?);
        if &hdr[0..4] == b"desc" {
            let mut d = [0u8; 32];
            f.read_exact(&mut d).ok()?;
            let bytes = u64::from(u32::from_be_bytes(d[16..20].try_into().ok()?));
            let frames = u64::from(u32::from_be_bytes(d[20..24].try_into().ok()?));
            per_packet = (bytes > 0 && frames > 0).then_some((bytes, frames));
        }
        if &hdr[0..4] == b"data" {
            let declared = per_packet.and_then(|(bytes, frames)| {
                let data = u64::try_from(size).ok()?.checked_sub(4)?;
                (data / bytes).checked_mul(frames)
            });
            let held = i64::try_from(len.checked_sub(pos + 12)?).ok()?;
            return Some((pos + 4, held, declared));
        }
        pos = pos
            .checked_add(12)?
            .checked_add(u64::try_from(size).ok()?)?;
        if pos >= len {
            return None;
        }
    }
    None
}

/// A file whose CAF data chunk size (8 bytes at `at`) reads as `bytes`: the
/// size of the audio that is really there, all a cut-short file can promise.
struct Patched {
    file: File,
    at: u64,
    bytes: [u8; 8],
    pos: u64,
}

impl Read for Patched {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let p = self.pos + i as u64;
            if (self.at..self.at + 8).contains(&p) {
                *b = self.bytes[(p - self.at) as usize];
            }
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Patched {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.file.seek(pos)?;
        Ok(self.pos)
    }
}

impl MediaSource for Patched {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        self.file.metadata().ok().map(|m| m.len())
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
///
/// The panic is quiet: the user gets the one-line `Corrupt` error, not a
/// "thread panicked at" message and a backtrace from inside symphonia
/// before it. Panics anywhere else still print as always.
pub(crate) fn guarded<T>(path: &Path, f: impl FnOnce() -> T) -> Result<T> {
    quiet_panics_when_guarded();
    let was = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|_| SourceError::corrupt(path, PANIC_REASON))
}

thread_local! {
    /// This thread is inside `guarded`.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs (once per process) a panic hook that stays silent inside
/// `guarded` and hands every other panic to the hook that was there.
fn quiet_panics_when_guarded() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}
