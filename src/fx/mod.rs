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

/// Calls `f` on `l`, `r` in pieces of at most `BLOCK` frames: the effects
/// keep fixed-size scratch and glide their parameters once per block.
pub(crate) fn in_blocks(l: &mut [f32], r: &mut [f32], mut f: impl FnMut(&mut [f32], &mut [f32])) {
    let n = l.len().min(r.len());
    for (l, r) in l[..n]
        .chunks_mut(crate::dsp::BLOCK)
        .zip(r[..n].chunks_mut(crate::dsp::BLOCK))
    {
        f(l, r);
    }
}
