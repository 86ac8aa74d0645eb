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
//! reasoning over routing (gains, solo, why-silent, the routing tree, the
//! latency of every path and its compensation).

mod change;
mod compile;
mod describe;
mod gains;
mod latency;
mod order;
mod parts;
mod solo;
mod why_silent;

pub use change::{Change, change_of, change_of_all};
pub use compile::{compile, link_state};
pub use describe::routing_tree;
pub use gains::{ChannelGains, Mute, channel_gains};
pub use latency::latency;
pub use parts::{Part, return_part};
pub use solo::implied_mutes;
pub use why_silent::why_silent;

pub use crate::engine::{ChannelLatency, FeedInfo, PlanLatency, RenderPlan};
