//! Getting audio out of files: decoding any format the mixer plays, converting
//! it to the session rate, and streaming every track from disk ahead of the
//! play head.
//!
//! ```text
//!           ┌─► wav_fast  (PCM / float WAV) ─┐
//!   file ───┤                                ├─► [resample] ─► SourceReader
//!           └─► symphonia (everything else) ─┘   if rates differ
//!
//!   session ─► open_tracks ─► SourceReaders ─► DiskStreams ─► rings ─► RingFeed ─► Engine
//!                                              (disk threads)          (audio thread)
//! ```
//! Files depend one way only, so any stage can be read (and tested) without
//! the ones above it: `error` ◄─ `decoder` ◄─ `wav_fast` (with `wav_header`) /
//! `symphonia` (with `symphonia_open` and `mp4_edit`, gapless MP4) / `downmix` (3–8 channels to stereo) /
//! `resample` ◄─ `reader` ◄─ `stream` / `tracks`. `decoder` holds the trait
//! both decoders implement and the sample rules they share; `error` is the one
//! place a [`SourceError`] is built, so a message reads the same whichever
//! stage found the problem.

mod decoder;
mod downmix;
mod error;
mod length;
mod media;
mod mp4_edit;
mod reader;
mod resample;
mod stream;
mod symphonia;
mod symphonia_open;
mod tracks;
mod wav_fast;
mod wav_header;

pub use error::{Result, SourceError};
pub use reader::{SourceInfo, SourceReader};
pub use stream::{DiskStreams, RingFeed};
pub use tracks::{OpenedTracks, open_tracks, open_tracks_measured};
