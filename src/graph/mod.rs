//! Compiles a `Session` into a `RenderPlan`: the channels in processing
//! order, with their routes as indices and their gains as numbers.
//!
//! ```text
//!   kick ──out──► Drum Bus ──out──► Master ──► device / file
//!    └──send (copy)──► Reverb ──out──┘
//! ```
//! Order is Kahn's algorithm over output and send edges, so every channel is
//! processed after everything that feeds it. Compiling allocates; it runs on
//! the UI (or render) thread, never on the audio thread — including the
//! decision which effect state a new plan carries over (`link_state`), so
//! the audio thread only copies by index. The plan itself is the engine's
//! data (the engine's `RenderPlan`); this module is its compiler and the
//! reasoning over routing (gains, solo, the routing tree, the latency of
//! every path and its compensation) — and what the console teaches with:
//! every path to every output with its combined gain (`paths`), what
//! counts as dry, wet and parallel (`parts`), why a channel is or is not
//! heard (`audibility`), loops by name (`loops`), what a routing choice
//! would change (`preview`) and which send taps follow a moving fader
//! (`taps`).

mod audibility;
mod budget;
mod change;
mod compile;
mod describe;
mod gains;
mod latency;
mod loops;
mod order;
mod parts;
mod paths;
mod preview;
mod solo;
mod stops;
mod taps;

pub use audibility::{Hearing, Verdict, hearing, why_silent};
pub use budget::{MAX_EFFECT_MEMORY, effect_memory};
pub use change::{Change, change_of, change_of_all};
pub use compile::{compile, link_state};
pub use describe::routing_tree;
pub use gains::{ChannelGains, Mute, channel_gains};
pub use latency::latency;
pub use loops::{Loop, Route, loop_of_edit, loop_of_error, would_loop};
pub use parts::{Part, return_part};
pub use paths::{
    CombinedGain, GainPart, Hop, SignalPath, Sink, db_text, gain_upto, main_path, name_of,
    outputs_text, path_gain, signal_paths,
};
pub use preview::{Preview, Shares, preview};
pub use solo::implied_mutes;
pub use stops::{Fix, LevelOf, Listen, Stop, StopKind};
pub use taps::{Moving, Tap, is_lit, moving_taps};

pub use crate::engine::{ChannelLatency, FeedInfo, PlanLatency, RenderPlan};
