//! Meters handed from the audio thread to the UI: plain atomics, no locks,
//! no queues, nothing to allocate on the audio side.
//!
//! ```text
//!  audio thread: Meters (plan) ──publish──► MeterBank (atomics) ──take──► UI ballistics
//! ```

use std::sync::atomic::{AtomicU32, Ordering};

use crate::dsp::{MeterAccum, Meters};
use crate::fx::InsertReading;

/// Meters shared between the audio thread (which publishes after every
/// callback) and the UI (which takes readings at its frame rate). Plain
/// atomics: no locks, no queues, nothing to allocate on the audio side.
#[derive(Debug, Default)]
pub struct SharedMeter {
    peak: [AtomicU32; 2],
    sum_sq: [AtomicU32; 2],
    frames: AtomicU32,
}

/// What the UI reads from a `SharedMeter`: levels since its last reading.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeterReading {
    pub peak: [f32; 2],
    pub rms: [f32; 2],
    pub frames: u32,
}

impl SharedMeter {
    /// Audio thread: adds what `m` gathered.
    pub fn publish(&self, m: &MeterAccum) {
        for side in 0..2 {
            // For non-negative floats the bit patterns order like the values,
            // so an integer max is a float max.
            self.peak[side].fetch_max(m.peak[side].to_bits(), Ordering::Relaxed);
            // Only the audio thread adds; a reading in between loses at most
            // one callback's worth, which the ballistics never show.
            let sum =
                f32::from_bits(self.sum_sq[side].load(Ordering::Relaxed)) + m.sum_sq[side] as f32;
            self.sum_sq[side].store(sum.to_bits(), Ordering::Relaxed);
        }
        self.frames.fetch_add(m.frames as u32, Ordering::Relaxed);
    }

    /// UI thread: the levels since the last `take`, and reset.
    pub fn take(&self) -> MeterReading {
        let frames = self.frames.swap(0, Ordering::Relaxed);
        let mut r = MeterReading {
            frames,
            ..Default::default()
        };
        for side in 0..2 {
            r.peak[side] = f32::from_bits(self.peak[side].swap(0, Ordering::Relaxed));
            let sum = f32::from_bits(self.sum_sq[side].swap(0, Ordering::Relaxed));
            r.rms[side] = if frames > 0 {
                (sum / frames as f32).sqrt()
            } else {
                0.0
            };
        }
        r
    }
}

/// A `SharedMeter` per channel of a plan plus the master's dry and wet, and
/// what each insert reports (in plan order, channel by channel).
#[derive(Debug, Default)]
pub struct MeterBank {
    pub channels: Box<[SharedMeter]>,
    pub dry: SharedMeter,
    pub wet: SharedMeter,
    pub inserts: Box<[SharedInsertMeter]>,
}

impl MeterBank {
    pub fn new(channels: usize) -> Self {
        MeterBank::with_inserts(channels, 0)
    }

    pub fn with_inserts(channels: usize, inserts: usize) -> Self {
        MeterBank {
            channels: (0..channels).map(|_| SharedMeter::default()).collect(),
            inserts: (0..inserts).map(|_| SharedInsertMeter::default()).collect(),
            ..Default::default()
        }
    }

    /// Audio thread: publishes a plan's meters.
    pub fn publish(&self, m: &Meters) {
        for (shared, accum) in self.channels.iter().zip(&m.channels) {
            shared.publish(accum);
        }
        self.dry.publish(&m.dry);
        self.wet.publish(&m.wet);
    }
}

/// An insert's gain reduction and reset count, shared like `SharedMeter`.
#[derive(Debug, Default)]
pub struct SharedInsertMeter {
    reduction_db: AtomicU32,
    resets: AtomicU32,
}

impl SharedInsertMeter {
    /// Audio thread: keeps the largest reduction and adds the resets.
    pub fn publish(&self, r: InsertReading) {
        // Non-negative floats order like their bit patterns.
        self.reduction_db
            .fetch_max(r.reduction_db.max(0.0).to_bits(), Ordering::Relaxed);
        if r.resets > 0 {
            self.resets.fetch_add(r.resets, Ordering::Relaxed);
        }
    }

    /// UI thread: what happened since the last `take`.
    pub fn take(&self) -> InsertReading {
        InsertReading {
            reduction_db: f32::from_bits(self.reduction_db.swap(0, Ordering::Relaxed)),
            resets: self.resets.swap(0, Ordering::Relaxed),
        }
    }
}
