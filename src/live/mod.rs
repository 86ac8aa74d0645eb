//! Live playback: the engine on an audio device, driven from the UI thread.
//!
//! ```text
//!   UI thread (owns Session)            audio thread (cpal callback)
//!   ────────────────────────            ─────────────────────────────
//!   EngineHandle ──commands (rtrb)────► LiveEngine ─► Engine::process ─► device
//!        ▲        ◄─retired (rtrb)───── old plans, old feeds (dropped here)
//!        │        ◄─status (atomics)─── position, playing
//!        │        ◄─meters (atomics)─── plan.published: MeterBank
//!        │
//!   DiskStreams ── disk threads ──► rtrb rings ──► RingFeeds (inside Engine)
//! ```
//! Parameter edits are small commands that ramp on the audio thread;
//! structural edits compile a new `RenderPlan` on the UI thread and send it
//! boxed; the engine crossfades to it and sends the old one back to be
//! dropped here. Seeks prepare fresh rings off the audio thread and swap them
//! in whole once filled. The audio thread never allocates, frees, locks or waits.
//!
//! Rooms: `audio` is the audio thread's side; `handle` the UI thread's;
//! `updates` turns an edit that keeps the routing into gain and insert
//! commands; `readout` is what the UI reads back (telemetry, meters).

mod audio;
mod error;
mod handle;
mod monitoring;
mod readout;
mod updates;

pub use audio::{Command, LiveEngine, LiveStatus, Retired};
pub use error::LiveError;
pub use handle::{ANALYSIS_TAP_CHANNELS, EngineHandle, seconds_to_frame};
pub use monitoring::{DEFAULT_DIM_DB, Monitoring};
pub use readout::{MeterFrame, ReachReading, Telemetry, read as read_meters};
