//! The realtime side: renders a `RenderPlan` block by block.
//!
//! ```text
//!  feeds ─► inputs ─► track ─trim─┬─fader×VCA─pan─┬─► bus ─► … ─► master ─► out
//!                                 │               └─► post-fader send ─► aux ─┘
//!                                 └─► pre-fader send ─► aux
//! ```
//! `Engine::process` never allocates, locks, logs or blocks; it renders in
//! internal chunks of at most `BLOCK` frames whatever the caller asks for.
//! The offline renderer and the live callback drive the very same code.
//!
//! Feeds fill engine-owned input buffers once per block and plans only read
//! them, so after a structural change the old and the new plan can both
//! render the same input for a few milliseconds and be crossfaded: routing
//! changes never click.

mod ab;
mod buffers;
mod chain;
mod feed;
mod ledger;
mod meter_bank;
mod mixer;
mod monitor;
mod plan;
mod process;
mod tap;

pub use crate::dsp::Meters;
pub use ab::AbCompare;
pub use feed::{Feed, MemoryFeed};
pub use ledger::RECENT_SECONDS;
pub use meter_bank::{
    EnergyReading, MeterBank, MeterReading, SharedEnergy, SharedInsertMeter, SharedMeter,
};
pub use mixer::{DEFAULT_FEED_SLOTS, Engine, Feeds};
pub use monitor::{MonitorSettings, MonitorSource};
pub use plan::{
    ChannelLatency, CompLines, DEVICE, DRY, FeedInfo, Input, LANES, PARALLEL, PARALLEL_LANE,
    PlanChannel, PlanLatency, PlanLayout, PlanSend, RenderPlan, StateCarry, StemTaps, Tally, WET,
    WET_LANE, next_plan_id,
};
pub use tap::{TapReader, TapWriter, tap};
