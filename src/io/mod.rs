//! Everything that touches files and devices: decoding sources (symphonia,
//! with a fast path for PCM WAV, resampled by rubato) and streaming them from
//! disk ahead of the play head, the audio output (cpal), writing renders
//! (WAV/RF64, FLAC) and measuring loudness (EBU R 128).
//!
//! ```text
//!   files ─► decode ─► Engine ─► output ─► device
//!     │                  └─────► write ─► file
//!     └──────────► loudness ◄────┘
//! ```

pub mod decode;
mod gating;
pub mod loudness;
pub mod output;
mod true_peak;
pub mod write;
