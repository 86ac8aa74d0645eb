//! Meters handed from the audio thread to the UI: plain atomics, no locks,
//! no queues, nothing to allocate on the audio side.
//!
//! ```text
//!  audio thread: Meters (plan) ──publish──► MeterBank (atomics) ──take──► UI ballistics
//! ```

use std::sync::atomic::{AtomicU32, Ordering};

use crate::dsp::{MeterAccum, Meters, REACH_PARTS};
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

/// A `SharedMeter` per channel of a plan plus the master's dry, wet and
/// parallel parts, where each channel's sound arrives, what each send
/// delivers, and what each insert reports (in plan order, channel by channel).
#[derive(Debug, Default)]
pub struct MeterBank {
    pub channels: Box<[SharedMeter]>,
    pub dry: SharedMeter,
    pub wet: SharedMeter,
    pub parallel: SharedMeter,
    /// Per channel: energy at the master dry, wet, parallel and at other
    /// device outputs (see `dsp::Meters::reach`).
    pub reach: Box<[SharedEnergy<REACH_PARTS>]>,
    /// Per send, in plan order channel by channel: energy delivered.
    pub sends: Box<[SharedEnergy<1>]>,
    pub inserts: Box<[SharedInsertMeter]>,
}

impl MeterBank {
    pub fn new(channels: usize) -> Self {
        MeterBank::with_inserts(channels, 0)
    }

    pub fn with_inserts(channels: usize, inserts: usize) -> Self {
        MeterBank::with_sends(channels, inserts, 0)
    }

    pub fn with_sends(channels: usize, inserts: usize, sends: usize) -> Self {
        MeterBank {
            channels: (0..channels).map(|_| SharedMeter::default()).collect(),
            reach: (0..channels).map(|_| SharedEnergy::default()).collect(),
            sends: (0..sends).map(|_| SharedEnergy::default()).collect(),
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
        self.parallel.publish(&m.parallel);
        for ((shared, reach), accum) in self.reach.iter().zip(&m.reach).zip(&m.channels) {
            shared.publish(reach.map(|e| e as f32), accum.frames as u32);
        }
        let frames = m.channels.first().map_or(0, |a| a.frames as u32);
        for (shared, &e) in self.sends.iter().zip(&m.sends) {
            shared.publish([e as f32], frames);
        }
    }
}

/// Energy sums shared like `SharedMeter`'s: added by the audio thread,
/// taken (and reset) by the UI.
#[derive(Debug)]
pub struct SharedEnergy<const N: usize> {
    sums: [AtomicU32; N],
    frames: AtomicU32,
}

impl<const N: usize> Default for SharedEnergy<N> {
    fn default() -> Self {
        SharedEnergy {
            sums: std::array::from_fn(|_| AtomicU32::new(0)),
            frames: AtomicU32::new(0),
        }
    }
}

/// What the UI reads from a `SharedEnergy`: mean squares (energy per frame,
/// both sides together as in `MeterAccum::rms_mono`) since the last reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnergyReading<const N: usize> {
    pub mean_sq: [f32; N],
    pub frames: u32,
}

impl<const N: usize> Default for EnergyReading<N> {
    fn default() -> Self {
        EnergyReading {
            mean_sq: [0.0; N],
            frames: 0,
        }
    }
}

impl<const N: usize> SharedEnergy<N> {
    /// Audio thread: adds `energy` gathered over `frames` frames.
    pub fn publish(&self, energy: [f32; N], frames: u32) {
        for (sum, e) in self.sums.iter().zip(energy) {
            // Only the audio thread adds (see `SharedMeter::publish`).
            let total = f32::from_bits(sum.load(Ordering::Relaxed)) + e;
            sum.store(total.to_bits(), Ordering::Relaxed);
        }
        self.frames.fetch_add(frames, Ordering::Relaxed);
    }

    /// UI thread: what was added since the last `take`, and reset.
    pub fn take(&self) -> EnergyReading<N> {
        let frames = self.frames.swap(0, Ordering::Relaxed);
        let per = |e: f32| {
            if frames > 0 {
                e / (2 * frames) as f32
            } else {
                0.0
            }
        };
        EnergyReading {
            mean_sq: std::array::from_fn(|k| {
                per(f32::from_bits(self.sums[k].swap(0, Ordering::Relaxed)))
            }),
            frames,
        }
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
