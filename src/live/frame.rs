//! What the console reads off the audio side once per frame: the meter
//! bank's atomics turned into readings named by channel (and send) id.
//!
//! ```text
//!  MeterBank (atomics, plan order) ──read(layout)──► MeterFrame (ids) ──► ui::MeterView
//! ```

use crate::engine::{EnergyReading, MeterBank, MeterReading, PlanLayout};
use crate::fx::InsertReading;

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
