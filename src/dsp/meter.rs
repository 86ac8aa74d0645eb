//! Level measurement: sample peak and mean square per side.

use std::sync::atomic::{AtomicU32, Ordering};

/// Levels of every channel of a plan, plus the master's dry/wet split.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meters {
    /// Post-fader output of each channel, by position in the plan.
    pub channels: Vec<MeterAccum>,
    /// What reaches the master output not through an aux return.
    pub dry: MeterAccum,
    /// What reaches the master output through aux returns.
    pub wet: MeterAccum,
}

impl Meters {
    pub fn new(channels: usize) -> Self {
        Meters {
            channels: vec![MeterAccum::default(); channels],
            ..Default::default()
        }
    }

    pub fn clear(&mut self) {
        self.channels.iter_mut().for_each(MeterAccum::clear);
        self.dry.clear();
        self.wet.clear();
    }
}

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

/// Peak and energy of a stereo signal since the last `clear`; cheap enough to
/// run on every channel every block.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeterAccum {
    pub peak: [f32; 2],
    pub sum_sq: [f64; 2],
    pub frames: u64,
}

impl MeterAccum {
    pub fn clear(&mut self) {
        *self = MeterAccum::default();
    }

    /// Adds one block of a stereo signal.
    pub fn add(&mut self, l: &[f32], r: &[f32]) {
        self.add_stats(super::mix::stats(l), super::mix::stats(r), l.len());
    }

    /// Adds one block's statistics per side (see `mix::add_scaled_stats`).
    pub fn add_stats(
        &mut self,
        l: super::mix::BlockStats,
        r: super::mix::BlockStats,
        frames: usize,
    ) {
        for (side, st) in [l, r].into_iter().enumerate() {
            if st.peak > self.peak[side] {
                self.peak[side] = st.peak;
            }
            self.sum_sq[side] += f64::from(st.sum_sq);
        }
        self.frames += frames as u64;
    }

    /// Adds a block known to be silent.
    pub fn add_silence(&mut self, frames: usize) {
        self.frames += frames as u64;
    }

    /// Root mean square of each side.
    pub fn rms(&self) -> [f32; 2] {
        if self.frames == 0 {
            return [0.0; 2];
        }
        self.sum_sq.map(|s| (s / self.frames as f64).sqrt() as f32)
    }

    /// RMS of both sides together (power average).
    pub fn rms_mono(&self) -> f32 {
        if self.frames == 0 {
            return 0.0;
        }
        ((self.sum_sq[0] + self.sum_sq[1]) / (2 * self.frames) as f64).sqrt() as f32
    }

    pub fn merge(&mut self, other: &MeterAccum) {
        for side in 0..2 {
            self.peak[side] = self.peak[side].max(other.peak[side]);
            self.sum_sq[side] += other.sum_sq[side];
        }
        self.frames = self.frames.max(other.frames);
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
    pub fn publish(&self, r: crate::fx::InsertReading) {
        // Non-negative floats order like their bit patterns.
        self.reduction_db
            .fetch_max(r.reduction_db.max(0.0).to_bits(), Ordering::Relaxed);
        if r.resets > 0 {
            self.resets.fetch_add(r.resets, Ordering::Relaxed);
        }
    }

    /// UI thread: what happened since the last `take`.
    pub fn take(&self) -> crate::fx::InsertReading {
        crate::fx::InsertReading {
            reduction_db: f32::from_bits(self.reduction_db.swap(0, Ordering::Relaxed)),
            resets: self.resets.swap(0, Ordering::Relaxed),
        }
    }
}
