//! Insert effects: EQ, compressor, reverb, delay and saturation.
//!
//! ```text
//!  channel input ─► trim ─► [insert 1] ─► [insert 2] ─► … ─► pre-fader tap ─► fader ─► pan
//!                            (InsertSlot: effect, bypass/mix crossfade, non-finite guard)
//! ```
//! `params` and `spec` are the session side (what the file says, validated
//! against one table per effect); `slot` and the effect modules are the
//! audio side. Effects process in place, never allocate after `new`, keep
//! their state across plan swaps (`copy_state_from`) and glide every
//! parameter change.

pub mod compressor;
pub mod delay;
pub mod eq;
pub mod params;
pub mod presets;
pub mod reverb;
pub mod saturation;
pub mod slot;
pub mod smooth;
pub mod spec;

pub use params::{DEFAULT_TEMPO_BPM, TEMPO_RANGE_BPM};
pub use slot::{InsertReading, InsertSlot, tail_seconds};
pub use spec::{EffectKind, EffectParams, Insert};
