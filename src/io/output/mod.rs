//! The audio output device (the only cpal user): opens a stream on the chosen
//! device, drives a [`Renderer`] from its callback, reports health, and
//! rebuilds the stream when it dies.
//!
//! ```text
//!   owner thread (UI / CLI)                      cpal audio thread
//!   ───────────────────────                      ─────────────────
//!   Output::open, then poll() every ~500 ms      data callback, every period:
//!     │ drop (or detach) the dead stream           swap ptr out ──┐
//!     │ take() ◄─────────┐                         render(out)    │ silence
//!     │ configure()      │   RendererCell          put ptr back ◄─┘ if null
//!     │ RendererCell::new├─► AtomicPtr<R> ◄──────► (one cell per stream)
//!     │ build + play     │                       error callback:
//!     └ status() ◄────── Stats (atomics) ◄────────  flag + counters only
//! ```
//! Files follow that picture: `stream` is the owner thread's [`Output`],
//! `callback` the audio thread's side, `cell` the [`RendererCell`] between them
//! (with its safety argument); `device` chooses host, device and format, and
//! `list` prints them for `auxbus devices`, `catalog` hands them to a
//! settings window as data. `priority` puts the callback
//! thread at real-time priority where the system allows it, and `dropout`
//! finds, from the stream's own timestamps, the silences a host does not
//! report (PulseAudio reports no xruns). The [`Renderer`] trait and
//! [`OutputError`] have files of their own so that every other file imports
//! them and none imports back.

mod callback;
mod catalog;
mod cell;
mod device;
mod dropout;
mod error;
mod list;
mod priority;
mod renderer;
mod stream;

pub use catalog::{DeviceChoice, HostChoice, catalog};
pub use cell::{AudioSide, RendererCell};
pub use dropout::DropoutDetector;
pub use error::{OutputError, Result};
pub use list::list_devices;
pub use priority::RT_PRIORITY;
pub use renderer::Renderer;
pub use stream::{Output, OutputConfig, StreamStatus};
