//! What the console reads off the audio side: the transport and device
//! state, and the meter bank's atomics turned into readings named by
//! channel (and send) id once per frame.
//!
//! ```text
//!  MeterBank (atomics, plan order) ──read(layout)──► MeterFrame (ids) ──► ui::MeterView
//! ```

use crate::engine::{EnergyReading, MeterBank, MeterReading, PlanLayout};
use crate::fx::InsertReading;
use crate::io::output::StreamStatus;

/// A snapshot of the live state for the transport bar and status line.
#[derive(Debug, Clone)]
pub struct Telemetry {
    pub position_seconds: f64,
    pub playing: bool,
    pub device: StreamStatus,
    /// Blocks a track had no decoded audio for (played as silence).
    pub underruns: u64,
    /// Times the device played silence because a callback came late
    /// (counted from the stream's timestamps; see `StreamStatus::dropouts`).
    pub dropouts: u64,
    /// Samples from a source to the device outputs: the latency of the
    /// graph's longest path (inserts), which every other path is delayed to.
    pub latency_frames: u32,
    /// The newest decoding problem, naming the file.
    pub last_disk_error: Option<String>,
}

/// Where a channel's sound arrived since the last reading: mean squares
/// (both sides, per frame) at the master dry, wet and parallel, and at other
/// device outputs — index with `engine::DRY`, `WET`, `PARALLEL`, `DEVICE`.
pub type ReachReading = EnergyReading<4>;

/// What the UI reads off the audio side once per frame.
#[derive(Debug, Clone, Default)]
pub struct MeterFrame {
    pub channels: Vec<(String, MeterReading)>,
    pub dry: MeterReading,
    pub wet: MeterReading,
    /// What reached the master through parallel returns.
    pub parallel: MeterReading,
    /// Per channel id: where its sound arrived.
    pub reach: Vec<(String, ReachReading)>,
    /// Per send (channel id, aux id): the mean square it delivered.
    pub sends: Vec<(String, String, f32)>,
    /// (channel id, insert index, reading).
    pub inserts: Vec<(String, usize, InsertReading)>,
}

/// Takes (and resets) every reading of `bank`, named by `layout`.
pub fn read(layout: &PlanLayout, bank: &MeterBank) -> MeterFrame {
    let ids = || layout.channels.iter().map(|(id, _)| id.clone());
    let channels = ids().zip(bank.channels.iter().map(|m| m.take())).collect();
    let reach = ids().zip(bank.reach.iter().map(|m| m.take())).collect();
    let sends = layout
        .sends
        .iter()
        .zip(bank.sends.iter())
        .map(|((from, to), m)| (from.clone(), to.clone(), m.take().mean_sq[0]))
        .collect();
    let insert_ids = layout
        .channels
        .iter()
        .flat_map(|(id, kinds)| (0..kinds.len()).map(move |k| (id, k)));
    let inserts = insert_ids
        .zip(bank.inserts.iter())
        .map(|((id, k), m)| (id.clone(), k, m.take()))
        .collect();
    MeterFrame {
        channels,
        dry: bank.dry.take(),
        wet: bank.wet.take(),
        parallel: bank.parallel.take(),
        reach,
        sends,
        inserts,
    }
}
