//! The document side of insert effects: which effects exist, their
//! parameters with one table each (unit, range, default, taper), presets,
//! and an insert as the session file stores it. No processing here: the
//! processors that run these settings live in the `fx` module.
//!
//! ```text
//!  params (tables) ◄── kind (EffectKind, EffectParams) ◄── presets
//!                               ▲                            ▲
//!                               └──────── insert (serde) ────┘
//! ```

pub mod insert;
pub mod kind;
pub mod params;
pub mod presets;

pub use insert::Insert;
pub use kind::{EffectKind, EffectParams};
pub use params::{DEFAULT_TEMPO_BPM, TEMPO_RANGE_BPM};
