//! auxbus — a mixing console that makes buses, aux sends, returns and VCAs
//! audible and visible.
//!
//! ```text
//!   session (document) ──compile──► graph::RenderPlan ──► engine (realtime)
//!         ▲                                                  │
//!        ui (edits)                          io (devices, decoding, files)
//! ```
//! Arrows point down only: `session`, `graph`, `engine` and `dsp` know nothing
//! of egui or cpal; only `ui` uses egui, only `io::output` uses cpal.

pub mod analysis;
pub mod bench;
pub mod dsp;
pub mod engine;
pub mod export;
pub mod fx;
pub mod graph;
pub mod io;
pub mod lessons;
pub mod live;
pub mod render;
pub mod session;
pub mod ui;

/// The error of whatever layer failed, for callers (the CLI) that just report it.
pub type AnyError = Box<dyn std::error::Error + Send + Sync>;
