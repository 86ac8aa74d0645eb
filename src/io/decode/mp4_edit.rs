//! Gapless MP4 (AAC, ALAC): the edit list. An AAC encoder starts with
//! priming samples (1024 for ffmpeg's and Apple's) and pads the last
//! frame; the `elst` box of the audio track says which span of the media
//! is the real audio. symphonia reads the box but does not apply it, so
//! this reads it from the file (a handful of small boxes at the front or
//! the end) and the symphonia decoder trims by it.
//!
//! ```text
//!  moov ─ mvhd (movie timescale)
//!       └ trak ─ mdia ─ hdlr "soun", mdhd (media timescale)
//!              └ edts ─ elst: [segment duration (movie ts), media time (media ts)]
//! ```
//! Only the common shape is honoured: edits that play the media at normal
//! rate. An empty edit (a pause, media time −1) before the audio is not
//! rendered as silence; it is ignored.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The real audio inside the media, in sample frames of the track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Frames to drop at the start (encoder priming).
    pub skip: u64,
    /// Frames of real audio after those.
    pub frames: u64,
}

/// Boxes nest at most this deep on the path we walk; a bound against
/// hostile files.
const MAX_BOXES: usize = 4096;

/// The edit of the first audio track of the MP4 at `path`, converted to
/// frames at `sample_rate`; `None` when there is none (or the file is not
/// an MP4 we can read: the decoder then plays the media as it is).
pub(crate) fn audio_edit(path: &Path, sample_rate: u32) -> Option<Edit> {
    let mut f = File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let moov = find_box(&mut f, 0, len, b"moov")?;
    let mvhd = find_box(&mut f, moov.0, moov.1, b"mvhd")?;
    let movie_scale = timescale(&mut f, mvhd)?;
    let mut at = moov.0;
    for _ in 0..MAX_BOXES {
        let (start, end, kind) = next_box(&mut f, at, moov.1)?;
        at = end;
        if &kind != b"trak" {
            continue;
        }
        let Some(mdia) = find_box(&mut f, start, end, b"mdia") else {
            continue;
        };
        let is_audio = find_box(&mut f, mdia.0, mdia.1, b"hdlr")
            .and_then(|h| read_at(&mut f, h.0 + 8, 4))
            .is_some_and(|t| t == b"soun");
        if !is_audio {
            continue;
        }
        let media_scale =
            find_box(&mut f, mdia.0, mdia.1, b"mdhd").and_then(|m| timescale(&mut f, m))?;
        let edts = find_box(&mut f, start, end, b"edts")?;
        let elst = find_box(&mut f, edts.0, edts.1, b"elst")?;
        return parse_elst(&mut f, elst, movie_scale, media_scale, sample_rate);
    }
    None
}

/// Sums the normal-rate edits: the first one's media time is the skip,
/// their durations the length.
fn parse_elst(
    f: &mut File,
    (start, end): (u64, u64),
    movie_scale: u64,
    media_scale: u64,
    rate: u32,
) -> Option<Edit> {
    let head = read_at(f, start, 8)?;
    let version = head[0];
    let count = u32::from_be_bytes(head[4..8].try_into().ok()?) as u64;
    let entry = if version == 1 { 20 } else { 12 };
    if count == 0 || count > 1024 || start + 8 + count * entry > end {
        return None;
    }
    let (mut skip, mut duration) = (None, 0u64);
    for k in 0..count {
        let e = read_at(f, start + 8 + k * entry, entry as usize)?;
        let (dur, time, rate_int) = if version == 1 {
            (
                u64::from_be_bytes(e[0..8].try_into().ok()?),
                i64::from_be_bytes(e[8..16].try_into().ok()?),
                i16::from_be_bytes(e[16..18].try_into().ok()?),
            )
        } else {
            (
                u64::from(u32::from_be_bytes(e[0..4].try_into().ok()?)),
                i64::from(i32::from_be_bytes(e[4..8].try_into().ok()?)),
                i16::from_be_bytes(e[8..10].try_into().ok()?),
            )
        };
        if time < 0 || rate_int != 1 {
            continue; // an empty edit (a pause) or a dwell: not honoured
        }
        skip.get_or_insert(time as u64);
        duration += dur;
    }
    let to_frames = |v: u64, scale: u64| -> u64 {
        ((u128::from(v) * u128::from(rate) + u128::from(scale) / 2) / u128::from(scale.max(1)))
            as u64
    };
    Some(Edit {
        skip: to_frames(skip?, media_scale),
        frames: to_frames(duration, movie_scale),
    })
}

/// The timescale of an `mvhd` or `mdhd` box (both keep it at the same place).
fn timescale(f: &mut File, (start, _): (u64, u64)) -> Option<u64> {
    let version = read_at(f, start, 1)?[0];
    let at = start + if version == 1 { 20 } else { 12 };
    let b = read_at(f, at, 4)?;
    Some(u64::from(u32::from_be_bytes(b.try_into().ok()?)))
}

/// The first child box of type `kind` within `[from, to)`: its body range.
fn find_box(f: &mut File, from: u64, to: u64, kind: &[u8; 4]) -> Option<(u64, u64)> {
    let mut at = from;
    for _ in 0..MAX_BOXES {
        let (start, end, k) = next_box(f, at, to)?;
        if &k == kind {
            return Some((start, end));
        }
        at = end;
    }
    None
}

/// The box starting at `at`: (body start, end, type).
fn next_box(f: &mut File, at: u64, to: u64) -> Option<(u64, u64, [u8; 4])> {
    if at + 8 > to {
        return None;
    }
    let h = read_at(f, at, 8)?;
    let kind: [u8; 4] = h[4..8].try_into().ok()?;
    let (size, body) = match u32::from_be_bytes(h[0..4].try_into().ok()?) {
        0 => (to - at, at + 8),
        1 => (
            u64::from_be_bytes(read_at(f, at + 8, 8)?.try_into().ok()?),
            at + 16,
        ),
        n => (u64::from(n), at + 8),
    };
    let end = at.checked_add(size)?;
    (size >= body - at && end <= to).then_some((body, end, kind))
}

fn read_at(f: &mut File, at: u64, n: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; n];
    f.seek(SeekFrom::Start(at)).ok()?;
    f.read_exact(&mut buf).ok()?;
    Some(buf)
}
