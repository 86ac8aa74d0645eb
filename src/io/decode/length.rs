//! How much audio a file really holds, found by reading its packets
//! (demuxing only, no decoding): the check behind "truncated files play
//! what is there, with a warning saying how much is missing".
//!
//! A header states a length; a file cut short (a copy that stopped, a
//! download that failed) or a damaged header states more than the file
//! holds. PCM WAV is measured from its size (`wav_fast`); every other
//! format is measured here, when a caller asks (`check` and `render` do;
//! live playback does not, it simply ends where the file ends).

use std::path::Path;

use symphonia::core::errors::Error as SymError;

use super::error::Result;
use super::media::guarded;
use super::symphonia_open::open_stream;

/// Packets read at most (a bound on the work a hostile file can cause: an
/// hour of 8 kHz MP3 is 25,000 packets).
const MAX_PACKETS: u64 = 50_000_000;

/// Frames (at the file's rate) in the packets of the file's audio track,
/// read to the end of the file or the first packet that cannot be read.
pub(crate) fn scan_frames(path: &Path) -> Result<u64> {
    let mut s = open_stream(path)?;
    // Time-base units per frame as a fraction (units = frames × den / num).
    let (num, den) = match s.time_base {
        Some(tb) => (
            u128::from(tb.numer.get()) * u128::from(s.sample_rate),
            u128::from(tb.denom.get()),
        ),
        None => (1, 1),
    };
    let to_frames = |units: u64| u64::try_from(u128::from(units) * num / den.max(1));
    let to_units = |frames: u64| u64::try_from((u128::from(frames) * den).div_ceil(num.max(1)));
    let mut units = 0u64;
    for _ in 0..MAX_PACKETS {
        match guarded(path, || s.format.next_packet())? {
            Ok(Some(p)) if p.track_id == s.track_id => {
                let trims = p.trim_start.get().saturating_add(p.trim_end.get());
                let dur = p.dur.get().saturating_sub(trims);
                // A packet cannot hold more than its bytes can (a damaged
                // header's frames-per-packet would count days per packet).
                let most = to_units(s.bound.frames_in(p.data.len() as u64)).unwrap_or(u64::MAX);
                units = units.saturating_add(dur.min(most));
            }
            Ok(Some(_)) => {}
            // The end, a cut-off last packet, or damage: what came before counts.
            Ok(None) | Err(SymError::ResetRequired | SymError::IoError(_)) => break,
            Err(_) => break,
        }
    }
    Ok(to_frames(units).unwrap_or(u64::MAX))
}
