//! What a session's effects will cost in memory, worked out before any is
//! built: a small file can ask for hundreds of delay lines at 384 kHz, and
//! that must be a message naming the insert, not an aborted process.

use crate::fx;
use crate::session::{self, Session, SessionError};

/// The most memory all of a session's insert effects together may take
/// (512 MiB). A delay takes about 2 MB at 48 kHz and 16 MB at 384 kHz, a
/// reverb less than that, so a real session stays far below.
pub const MAX_EFFECT_MEMORY: u64 = 512 * 1024 * 1024;

/// Total bytes of the session's effects, or an error naming the channel
/// and insert at which the total passes [`MAX_EFFECT_MEMORY`].
pub fn effect_memory(s: &Session) -> session::Result<u64> {
    let mut total = 0u64;
    for (i, c) in s.channels.iter().enumerate() {
        for (k, insert) in c.inserts.iter().enumerate() {
            total += fx::memory_bytes(&insert.effect, s.sample_rate) as u64;
            if total > MAX_EFFECT_MEMORY {
                return Err(SessionError::invalid(
                    format!("channels[{i}].inserts[{k}]"),
                    format!(
                        "{} on \"{}\": with it the session's effects need more than {} MiB \
                         at {} Hz (the limit); use fewer delays and reverbs or a lower sample rate",
                        insert.kind().label(),
                        session::escape_controls(&c.id),
                        MAX_EFFECT_MEMORY / (1024 * 1024),
                        s.sample_rate
                    ),
                ));
            }
        }
    }
    Ok(total)
}
