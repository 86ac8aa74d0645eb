//! Insert effect processors: EQ, compressor, reverb, delay and saturation,
//! and the insert slot every one of them runs in.
//!
//! ```text
//!  channel input ─► trim ─► [insert 1] ─► [insert 2] ─► … ─► pre-fader tap ─► fader ─► pan
//!                            (InsertSlot: effect, bypass/mix crossfade, non-finite guard)
//! ```
//! What an insert *is* (its kind, parameters, ranges and presets) is part of
//! the session document (`session::effects`); this module is the audio
//! side that runs those settings. Effects process in place, never allocate
//! after `new`, keep their state across plan swaps (`copy_state_from`) and
//! glide every parameter change. Built on `dsp`.

mod blocks;
pub mod compressor;
pub mod delay;
pub mod eq;
pub mod reverb;
pub mod saturation;
pub mod slot;
pub mod smooth;

pub use slot::{InsertReading, InsertSlot, insert_latency, memory_bytes, tail_seconds};
