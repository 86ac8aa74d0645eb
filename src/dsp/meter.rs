//! Level measurement: sample peak and mean square per side, accumulated
//! block by block. Handing levels across threads is the engine's business
//! (its meter bank).

/// Levels of every channel of a plan, plus the master's dry/wet/parallel
/// split and what each channel delivers to the outputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meters {
    /// Post-fader output of each channel, by position in the plan.
    pub channels: Vec<MeterAccum>,
    /// What reaches the master output not through an aux return.
    pub dry: MeterAccum,
    /// What reaches the master output through wet returns (reverb, delay)
    /// and from reverb or delay inserts.
    pub wet: MeterAccum,
    /// What reaches the master output through parallel returns (an aux
    /// whose effects are all dynamics or tone: parallel compression).
    pub parallel: MeterAccum,
    /// Per channel (plan order): the energy of what it delivers, summed over
    /// both sides, at the master dry, wet and parallel, and at other device
    /// outputs (see `REACH_PARTS`).
    pub reach: Vec<[f64; REACH_PARTS]>,
    /// Per send (plan order, channel by channel): the energy it delivered
    /// into its aux, both sides.
    pub sends: Vec<f64>,
}

/// Where a channel's signal can arrive: the master's dry, wet and parallel
/// parts, and device outputs other than the master's.
pub const REACH_PARTS: usize = 4;

impl Meters {
    pub fn new(channels: usize) -> Self {
        Meters::with_sends(channels, 0)
    }

    pub fn with_sends(channels: usize, sends: usize) -> Self {
        Meters {
            channels: vec![MeterAccum::default(); channels],
            reach: vec![[0.0; REACH_PARTS]; channels],
            sends: vec![0.0; sends],
            ..Default::default()
        }
    }

    pub fn clear(&mut self) {
        self.channels.iter_mut().for_each(MeterAccum::clear);
        self.dry.clear();
        self.wet.clear();
        self.parallel.clear();
        self.reach.iter_mut().for_each(|r| *r = [0.0; REACH_PARTS]);
        self.sends.iter_mut().for_each(|e| *e = 0.0);
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
