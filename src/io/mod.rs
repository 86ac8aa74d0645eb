//! Everything that touches files and devices: the audio output (cpal),
//! decoding sources (symphonia,
//! with a fast path for PCM WAV, resampled by rubato), streaming them from
//! disk ahead of the play head, and writing renders.

mod decode_symphonia;
pub mod output;
mod output_cell;
mod resample;
pub mod source;
pub mod stream;
pub mod tracks;
mod wav_fast;
pub mod wav_out;
