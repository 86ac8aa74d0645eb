//! Everything that touches files and devices: decoding sources (symphonia,
//! with a fast path for PCM WAV, resampled by rubato) and streaming them from
//! disk ahead of the play head, the audio output (cpal), and writing renders.
//!
//! ```text
//!   files ─► decode ─► Engine ─► output ─► device
//!                        └─────► wav_out ─► file
//! ```

pub mod decode;
pub mod output;
pub mod wav_out;
