//! The realtime side: renders a `RenderPlan` block by block.
//!
//! ```text
//!  feeds ─► track ─trim─┬─fader×VCA─pan─┬─► bus ─► … ─► master ─► out
//!                       │               └─► post-fader send ─► aux ─┘
//!                       └─► pre-fader send ─► aux
//! ```
//! `Engine::process` never allocates, locks, logs or blocks; it renders in
//! internal chunks of at most `BLOCK` frames whatever the caller asks for.
//! The offline renderer and the live callback drive the very same code.

mod feed;
mod process;

pub use feed::{Feed, MemoryFeed};

use crate::dsp::{BLOCK, MeterAccum};
use crate::graph::RenderPlan;

/// Levels gathered since the last `Engine::take_meters`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meters {
    /// Post-fader output of each channel, by position in the plan.
    pub channels: Vec<MeterAccum>,
    /// What reaches the master output not through an aux return.
    pub dry: MeterAccum,
    /// What reaches the master output through aux returns.
    pub wet: MeterAccum,
}

pub struct Engine {
    plan: Box<RenderPlan>,
    feeds: Vec<Option<Box<dyn Feed>>>,
    meters: Meters,
    /// Output device width; the master goes to the first two.
    out_channels: usize,
    ramp_samples: u32,
    frames_rendered: u64,
    scratch: Scratch,
}

/// Fixed-size working buffers, so `process` never allocates.
struct Scratch {
    out: [[f32; BLOCK]; 2],
    wet: [[f32; BLOCK]; 2],
    dry: [[f32; BLOCK]; 2],
    master: [[f32; BLOCK]; 2],
    gain: [[f32; BLOCK]; 2],
    send_gain: [f32; BLOCK],
}

impl Engine {
    /// An engine for `plan`, taking `feeds` indexed by feed slot.
    pub fn new(plan: RenderPlan, feeds: Vec<Option<Box<dyn Feed>>>, out_channels: usize) -> Self {
        let ramp_samples = (plan.sample_rate / 100).max(1); // 10 ms
        let meters = Meters {
            channels: vec![MeterAccum::default(); plan.channels.len()],
            ..Default::default()
        };
        Engine {
            plan: Box::new(plan),
            feeds,
            meters,
            out_channels: out_channels.max(2),
            ramp_samples,
            frames_rendered: 0,
            scratch: Scratch {
                out: [[0.0; BLOCK]; 2],
                wet: [[0.0; BLOCK]; 2],
                dry: [[0.0; BLOCK]; 2],
                master: [[0.0; BLOCK]; 2],
                gain: [[0.0; BLOCK]; 2],
                send_gain: [0.0; BLOCK],
            },
        }
    }

    pub fn plan(&self) -> &RenderPlan {
        &self.plan
    }

    pub fn out_channels(&self) -> usize {
        self.out_channels
    }

    pub fn frames_rendered(&self) -> u64 {
        self.frames_rendered
    }

    /// Meters accumulated since the last call. Clears them without
    /// reallocating when the caller hands back the previous snapshot's
    /// storage via `into`.
    pub fn take_meters_into(&mut self, into: &mut Meters) {
        into.channels.clone_from(&self.meters.channels);
        into.dry = self.meters.dry;
        into.wet = self.meters.wet;
        self.meters.channels.iter_mut().for_each(MeterAccum::clear);
        self.meters.dry.clear();
        self.meters.wet.clear();
    }

    /// Meters accumulated so far, without clearing.
    pub fn meters(&self) -> &Meters {
        &self.meters
    }

    /// Moves channel `pos`'s gains toward new values with a ramp, so a change
    /// while playing never clicks. `out` is per side; `sends` per send.
    pub fn set_gains(&mut self, pos: usize, out: [f32; 2], sends: &[f32]) {
        let ramp = self.ramp_samples;
        if let Some(ch) = self.plan.channels.get_mut(pos) {
            ch.out_gain[0].set(out[0], ramp);
            ch.out_gain[1].set(out[1], ramp);
            for (send, &g) in ch.sends.iter_mut().zip(sends) {
                send.gain.set(g, ramp);
            }
        }
    }

    /// Whether every feed can deliver `frames` frames without an underrun.
    pub fn feeds_ready(&self, frames: usize) -> bool {
        self.feeds.iter().flatten().all(|f| f.ready(frames))
    }

    /// Whether every feed has played to its end.
    pub fn feeds_finished(&self) -> bool {
        self.feeds.iter().flatten().all(|f| f.finished())
    }

    /// Renders `out.len() / out_channels` frames into `out`, interleaved.
    pub fn process(&mut self, out: &mut [f32]) {
        let width = self.out_channels;
        let frames = out.len() / width;
        let mut done = 0;
        while done < frames {
            let n = (frames - done).min(BLOCK);
            self.render_block(n);
            let block = &mut out[done * width..(done + n) * width];
            for (k, frame) in block.chunks_exact_mut(width).enumerate() {
                frame[0] = self.scratch.master[0][k];
                frame[1] = self.scratch.master[1][k];
                frame[2..].fill(0.0);
            }
            done += n;
        }
        self.frames_rendered += frames as u64;
    }
}
