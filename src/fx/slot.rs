//! One insert on the audio side: the effect plus what every effect shares —
//! bypass and mix as click-free crossfades, and a guard that keeps a
//! non-finite sample from ever leaving the effect.
//!
//! ```text
//!  in ──┬──► effect (100 % wet) ──► finite? ──┐
//!       │                       no: reset, ─► 0│
//!       └──► dry (delayed by the effect's latency) ──► dry·(1−w) + wet·w ──► out
//!                                  w = mix × (bypass ? 0 : 1), ramped 10 ms
//! ```
//! Built on the UI thread (allocation allowed); `update`, `process` and
//! `copy_state_from` never allocate.

use super::compressor::Compressor;
use super::delay::Delay;
use super::eq::Eq;
use super::reverb::Reverb;
use super::saturation::Saturation;
use crate::dsp::{BLOCK, Ramp};
use crate::session::effects::{EffectKind, EffectParams, Insert};

/// Longest latency an effect may report (samples); the dry path is delayed
/// by as much so mix settings below 100 % never comb-filter.
const MAX_LATENCY: usize = 64;

enum Processor {
    Eq(Box<Eq>),
    Compressor(Box<Compressor>),
    Reverb(Box<Reverb>),
    Delay(Box<Delay>),
    Saturation(Box<Saturation>),
}

impl Processor {
    fn new(p: &EffectParams, sample_rate: f32, tempo: f32) -> Self {
        match p {
            EffectParams::Eq(p) => Processor::Eq(Box::new(Eq::new(sample_rate, p))),
            EffectParams::Compressor(p) => {
                Processor::Compressor(Box::new(Compressor::new(sample_rate, p)))
            }
            EffectParams::Reverb(p) => Processor::Reverb(Box::new(Reverb::new(sample_rate, p))),
            EffectParams::Delay(p) => Processor::Delay(Box::new(Delay::new(sample_rate, p, tempo))),
            EffectParams::Saturation(p) => {
                Processor::Saturation(Box::new(Saturation::new(sample_rate, p)))
            }
        }
    }

    fn set(&mut self, p: &EffectParams, tempo: f32) {
        match (self, p) {
            (Processor::Eq(fx), EffectParams::Eq(p)) => fx.set_params(p),
            (Processor::Compressor(fx), EffectParams::Compressor(p)) => fx.set_params(p),
            (Processor::Reverb(fx), EffectParams::Reverb(p)) => fx.set_params(p),
            (Processor::Delay(fx), EffectParams::Delay(p)) => fx.set_params(p, tempo),
            (Processor::Saturation(fx), EffectParams::Saturation(p)) => fx.set_params(p),
            _ => {} // a different kind is a structural change, never sent here
        }
    }

    fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        match self {
            Processor::Eq(fx) => fx.process(l, r),
            Processor::Compressor(fx) => fx.process(l, r),
            Processor::Reverb(fx) => fx.process(l, r),
            Processor::Delay(fx) => fx.process(l, r),
            Processor::Saturation(fx) => fx.process(l, r),
        }
    }

    fn reset(&mut self) {
        match self {
            Processor::Eq(fx) => fx.reset(),
            Processor::Compressor(fx) => fx.reset(),
            Processor::Reverb(fx) => fx.reset(),
            Processor::Delay(fx) => fx.reset(),
            Processor::Saturation(fx) => fx.reset(),
        }
    }

    fn latency(&self) -> usize {
        match self {
            Processor::Saturation(fx) => fx.latency().min(MAX_LATENCY),
            _ => 0,
        }
    }

    /// Copies the running state of `other` if it is the same effect.
    fn copy_state_from(&mut self, other: &Processor) {
        match (self, other) {
            (Processor::Eq(a), Processor::Eq(b)) => a.copy_state_from(b),
            (Processor::Compressor(a), Processor::Compressor(b)) => a.copy_state_from(b),
            (Processor::Reverb(a), Processor::Reverb(b)) => a.copy_state_from(b),
            (Processor::Delay(a), Processor::Delay(b)) => a.copy_state_from(b),
            (Processor::Saturation(a), Processor::Saturation(b)) => a.copy_state_from(b),
            _ => {}
        }
    }
}

/// What an insert reports to the console.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct InsertReading {
    /// Largest gain reduction since the last reading (compressors), dB ≥ 0.
    pub reduction_db: f32,
    /// Times the effect was reset after producing a non-finite sample.
    pub resets: u32,
}

pub struct InsertSlot {
    kind: EffectKind,
    processor: Processor,
    /// Share of processed signal in the output: mix, or 0 when bypassed.
    wet: Ramp,
    ramp_samples: u32,
    /// Whether the effect sat idle (fully bypassed) last block; it starts
    /// from silence when it comes back instead of replaying a stale tail.
    idle: bool,
    dry: Box<[[f32; BLOCK]; 2]>,
    gains: Box<[f32; BLOCK]>,
    /// The dry path's delay line, matching the effect's latency.
    dry_delay: Box<[[f32; MAX_LATENCY]; 2]>,
    dry_delay_pos: usize,
    reading: InsertReading,
    /// Frames of silent input in a row, and how many it takes for the
    /// effect's output to have died away: past that, silence in means
    /// silence out and the effect is not run at all (an idle reverb on an
    /// aux nobody sends to costs nothing).
    quiet_frames: u64,
    tail_frames: u64,
    sample_rate: u32,
}

impl std::fmt::Debug for InsertSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InsertSlot")
            .field("kind", &self.kind)
            .field("wet", &self.wet)
            .finish_non_exhaustive()
    }
}

fn wet_share(insert: &Insert) -> f32 {
    if insert.bypass {
        0.0
    } else {
        insert.effect.mix()
    }
}

impl InsertSlot {
    pub fn new(insert: &Insert, sample_rate: u32, tempo_bpm: f32) -> Self {
        InsertSlot {
            kind: insert.kind(),
            processor: Processor::new(&insert.effect, sample_rate as f32, tempo_bpm),
            wet: Ramp::at(wet_share(insert)),
            ramp_samples: (sample_rate / 100).max(1),
            idle: insert.bypass,
            dry: Box::new([[0.0; BLOCK]; 2]),
            gains: Box::new([0.0; BLOCK]),
            dry_delay: Box::new([[0.0; MAX_LATENCY]; 2]),
            dry_delay_pos: 0,
            reading: InsertReading::default(),
            // A new effect holds nothing: as quiet as it gets.
            quiet_frames: u64::MAX / 2,
            tail_frames: tail_frames(&insert.effect, sample_rate, tempo_bpm),
            sample_rate,
        }
    }

    pub fn kind(&self) -> EffectKind {
        self.kind
    }

    /// Samples the output lags the input, bypassed or not (a bypassed
    /// insert delays its input by as much, so bypass keeps paths aligned).
    pub fn latency(&self) -> usize {
        self.processor.latency()
    }

    /// New settings for the same effect: parameters glide, bypass and mix
    /// crossfade. A different kind of effect is ignored (that is a
    /// structural change and comes as a new plan).
    pub fn update(&mut self, effect: &EffectParams, bypass: bool, tempo_bpm: f32) {
        if effect.kind() != self.kind {
            return;
        }
        self.processor.set(effect, tempo_bpm);
        // A longer tail (a bigger decay) must not be cut short by the skip.
        self.tail_frames = self
            .tail_frames
            .max(tail_frames(effect, self.sample_rate, tempo_bpm));
        let wet = if bypass { 0.0 } else { effect.mix() };
        self.wet.set(wet, self.ramp_samples);
    }

    /// Continues where `other` (the same insert in the plan being replaced)
    /// is, so a routing change never cuts a reverb tail or a compressor's
    /// release. Different kinds are left alone.
    pub fn copy_state_from(&mut self, other: &InsertSlot) {
        if other.kind == self.kind {
            self.processor.copy_state_from(&other.processor);
            self.idle = other.idle;
            self.dry_delay.copy_from_slice(&other.dry_delay[..]);
            self.dry_delay_pos = other.dry_delay_pos;
            self.quiet_frames = other.quiet_frames;
        }
    }

    /// What happened since the last call.
    pub fn take_reading(&mut self) -> InsertReading {
        let mut r = self.reading;
        if let Processor::Compressor(c) = &mut self.processor {
            r.reduction_db = c.take_peak_reduction();
        }
        self.reading.resets = 0;
        r
    }

    /// Processes `l`, `r` (at most `BLOCK` frames) in place.
    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        self.run(l, r, None, None);
    }

    /// Like `process`, and keeps `wet` (the part of the signal that counts
    /// as wet on the master's dry/wet meter) up to date for a time effect:
    /// with `w` the processed share, wet becomes (1 − w)·wet + w·effect(in)
    /// — exact, because everything the reverb or delay puts out is wet and
    /// the rest of its output is its input scaled by 1 − w.
    pub fn process_tracking_wet(&mut self, l: &mut [f32], r: &mut [f32], wet: [&mut [f32]; 2]) {
        self.run(l, r, Some(wet), None);
    }

    /// Like `process_tracking_wet`, with either lane optional, and a
    /// parallel lane too: the part of the signal that came back through a
    /// parallel (compression) return. The effect's own output is wet, so
    /// what is left of the parallel part is (1 − w)·parallel — exact for
    /// the same reason.
    pub fn process_lanes(
        &mut self,
        l: &mut [f32],
        r: &mut [f32],
        wet: Option<[&mut [f32]; 2]>,
        parallel: Option<[&mut [f32]; 2]>,
    ) {
        self.run(l, r, wet, parallel);
    }

    fn run(
        &mut self,
        l: &mut [f32],
        r: &mut [f32],
        wet: Option<[&mut [f32]; 2]>,
        mut parallel: Option<[&mut [f32]; 2]>,
    ) {
        let n = l.len().min(r.len()).min(BLOCK);
        let (l, r) = (&mut l[..n], &mut r[..n]);
        let ramping = self.wet.is_ramping();
        if !ramping && self.wet.current() == 0.0 {
            // Fully bypassed: forget the old state once, and delay the
            // signal by the effect's latency so that bypassing never moves
            // this path against the others (the graph compensates it).
            if !self.idle {
                self.processor.reset();
                self.idle = true;
            }
            if self.processor.latency() > 0 {
                self.keep_dry(l, r);
                l.copy_from_slice(&self.dry[0][..n]);
                r.copy_from_slice(&self.dry[1][..n]);
            }
            return;
        }
        self.idle = false;
        if l.iter().chain(r.iter()).all(|&x| x == 0.0) {
            self.quiet_frames = self.quiet_frames.saturating_add(n as u64);
            if self.quiet_frames > self.tail_frames {
                // Silence in, nothing left ringing: silence out as it is.
                self.wet.skip(n);
                return;
            }
        } else {
            self.quiet_frames = 0;
        }
        let full = !ramping && self.wet.current() == 1.0;
        if !full || self.processor.latency() > 0 {
            // With a latency the dry line runs always, so that a bypass or a
            // mix change starts from the right (delayed) samples.
            self.keep_dry(l, r);
        }
        self.processor.process(l, r);
        if !all_finite(l) || !all_finite(r) {
            self.processor.reset();
            self.reading.resets = self.reading.resets.saturating_add(1);
            l.fill(0.0);
            r.fill(0.0);
            for [a, b] in [wet, parallel].into_iter().flatten() {
                a[..n].fill(0.0);
                b[..n].fill(0.0);
            }
            self.wet.skip(n);
            return;
        }
        if full {
            if let Some([wl, wr]) = wet {
                wl[..n].copy_from_slice(l);
                wr[..n].copy_from_slice(r);
            }
            if let Some([pl, pr]) = parallel {
                pl[..n].fill(0.0);
                pr[..n].fill(0.0);
            }
            return;
        }
        // Per-sample wet share: ramped, or one value for the block.
        let g = &mut self.gains[..n];
        if ramping {
            self.wet.fill(g);
        } else {
            g.fill(self.wet.current());
        }
        let dry = &self.dry;
        let mut wet = wet;
        for (side, out) in [l, r].into_iter().enumerate() {
            if let Some(lanes) = wet.as_mut() {
                for ((lane, p), w) in lanes[side].iter_mut().zip(out.iter()).zip(g.iter()) {
                    *lane += (p - *lane) * w;
                }
            }
            if let Some(lanes) = parallel.as_mut() {
                for (lane, w) in lanes[side].iter_mut().zip(g.iter()) {
                    *lane *= 1.0 - w;
                }
            }
            for ((o, d), w) in out.iter_mut().zip(&dry[side][..n]).zip(g.iter()) {
                *o = d + (*o - d) * w;
            }
        }
    }

    /// Copies the input to the dry buffer, delayed by the effect's latency.
    fn keep_dry(&mut self, l: &[f32], r: &[f32]) {
        let latency = self.processor.latency();
        for (side, input) in [l, r].into_iter().enumerate() {
            let dry = &mut self.dry[side];
            if latency == 0 {
                dry[..input.len()].copy_from_slice(input);
                continue;
            }
            let line = &mut self.dry_delay[side];
            let mut pos = self.dry_delay_pos;
            for (d, &x) in dry.iter_mut().zip(input) {
                line[pos] = x;
                let read = (pos + MAX_LATENCY - latency) % MAX_LATENCY;
                *d = line[read];
                pos = (pos + 1) % MAX_LATENCY;
            }
        }
        if latency > 0 {
            self.dry_delay_pos = (self.dry_delay_pos + l.len()) % MAX_LATENCY;
        }
    }
}

/// The effect's tail in frames, plus a block for the filters' own ringing.
fn tail_frames(effect: &EffectParams, sample_rate: u32, tempo_bpm: f32) -> u64 {
    (effect_tail_seconds(effect, tempo_bpm) * sample_rate as f32) as u64 + BLOCK as u64
}

/// Whether every sample is finite: a NaN or an infinity anywhere makes the
/// sum non-finite (so does an overflow, which is as bad). Eight lanes, so
/// the adds do not wait on each other and the loop vectorises.
fn all_finite(x: &[f32]) -> bool {
    let mut lanes = [0.0f32; 8];
    let chunks = x.chunks_exact(8);
    let rest: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        for (acc, v) in lanes.iter_mut().zip(c) {
            *acc += v * 0.0;
        }
    }
    (lanes.iter().sum::<f32>() + rest * 0.0).is_finite()
}

/// Bytes an insert with `effect` allocates at `sample_rate` (its buffers,
/// sized for the longest delay or largest room it can be set to), worked out
/// without allocating: a session's effects are costed before any is built.
pub fn memory_bytes(effect: &EffectParams, sample_rate: u32) -> usize {
    let fs = sample_rate as f32;
    let processor = match effect {
        EffectParams::Eq(_) => std::mem::size_of::<Eq>(),
        EffectParams::Compressor(_) => std::mem::size_of::<Compressor>(),
        EffectParams::Reverb(_) => Reverb::memory_bytes(fs),
        EffectParams::Delay(_) => Delay::memory_bytes(fs),
        EffectParams::Saturation(_) => std::mem::size_of::<Saturation>(),
    };
    processor
        + std::mem::size_of::<InsertSlot>()
        + std::mem::size_of::<[[f32; BLOCK]; 2]>()
        + std::mem::size_of::<[f32; BLOCK]>()
        + std::mem::size_of::<[[f32; MAX_LATENCY]; 2]>()
}

/// How long an insert keeps *sounding* after its input stops, in seconds:
/// reverb decay and delay repeats (to −90 dB). A compressor's release, an
/// EQ's or a saturation's filters add nothing audible to silence, so they
/// do not lengthen a render (their latency is compensated separately).
pub fn tail_seconds(insert: &Insert, tempo_bpm: f32) -> f32 {
    if insert.bypass {
        return 0.0;
    }
    match &insert.effect {
        EffectParams::Reverb(p) => Reverb::tail_seconds(p),
        EffectParams::Delay(p) => Delay::tail_seconds(p, tempo_bpm),
        _ => 0.0,
    }
}

/// Samples an insert delays its signal by (bypassed or not): the graph
/// delays every other path into the same sum by the difference.
pub fn insert_latency(insert: &Insert) -> usize {
    match insert.effect {
        EffectParams::Saturation(_) => super::saturation::LATENCY.min(MAX_LATENCY),
        _ => 0,
    }
}

/// How long an effect's state keeps changing after its input stops, in
/// seconds: past it, silence in means silence out and the slot may skip
/// the effect (a compressor's gain must have recovered by then too).
fn effect_tail_seconds(effect: &EffectParams, tempo_bpm: f32) -> f32 {
    match effect {
        EffectParams::Reverb(p) => Reverb::tail_seconds(p),
        EffectParams::Delay(p) => Delay::tail_seconds(p, tempo_bpm),
        EffectParams::Compressor(p) => p.release_ms * 0.001 * 7.0,
        EffectParams::Eq(_) | EffectParams::Saturation(_) => 0.05,
    }
}
