//! What the console reads off the audio side: the transport and device
//! state, and the meters since the last frame.

use crate::engine::{MeterBank, MeterReading, PlanLayout};
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

/// What the UI reads off the audio side once per frame.
#[derive(Debug, Clone, Default)]
pub struct MeterFrame {
    pub channels: Vec<(String, MeterReading)>,
    pub dry: MeterReading,
    pub wet: MeterReading,
    /// (channel id, insert index, reading).
    pub inserts: Vec<(String, usize, InsertReading)>,
}

/// Takes the levels `bank` gathered since the last call, named after the
/// channels and inserts of the plan `layout` describes.
pub(super) fn meter_frame(layout: &PlanLayout, bank: &MeterBank) -> MeterFrame {
    let channels = layout
        .channels
        .iter()
        .map(|(id, _)| id.clone())
        .zip(bank.channels.iter().map(|m| m.take()))
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
        inserts,
    }
}
