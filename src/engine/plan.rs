//! What the engine renders: one version of the session, compiled by
//! the graph compiler on the UI (or render) thread into channels in processing
//! order, routes as positions and gains as numbers, with every buffer it
//! needs already allocated.
//!
//! ```text
//!  RenderPlan ── channels (feeders first) ──► buffers: one stereo block per
//!      │                                        channel, wet lane, device pair
//!      └── carry: which insert of the previous plan each new insert continues
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::meter_bank::MeterBank;

use crate::dsp::{BLOCK, BlockDelay, Meters, REACH_PARTS, Ramp};
use crate::fx::InsertSlot;
use crate::session::{ChannelKind, EffectKind};

/// Where a track's audio comes from in the engine: a feed slot and its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedInfo {
    pub slot: usize,
    /// 1 (mono) or 2 (stereo).
    pub channels: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Reads a feed; `mono` sources fill only the left buffer.
    Feed { slot: usize, mono: bool },
    /// A track whose source is not available: silence.
    Offline,
    /// Buses, auxes and the master: the sum of what is routed to them.
    Sum,
}

#[derive(Debug, Clone)]
pub struct PlanSend {
    /// Destination, as a position in `RenderPlan::channels`.
    pub dest: usize,
    pub pre_fader: bool,
    pub gain: Ramp,
    /// Samples this copy is delayed by so it meets the other paths into
    /// `dest` aligned (latency compensation; read from the channel's `comp`).
    pub delay: u32,
    /// Energy per side this send delivered in the current block.
    pub energy: [f32; 2],
    /// Mean square per side of what it delivered recently (smoothed over
    /// about a second): how a ringing return's output is shared among the
    /// sources that fed it (see `ledger`).
    pub recent: [f32; 2],
}

impl PlanSend {
    pub fn new(dest: usize, pre_fader: bool, gain: f32) -> Self {
        PlanSend {
            dest,
            pre_fader,
            gain: Ramp::at(gain),
            delay: 0,
            energy: [0.0; 2],
            recent: [0.0; 2],
        }
    }
}

/// Index of each part in `Meters::reach` and in a tally's `parts`.
pub const DRY: usize = 0;
pub const WET: usize = 1;
pub const PARALLEL: usize = 2;
/// Device outputs other than the master's (a headphone mix on 3–4).
pub const DEVICE: usize = 3;

/// Energy gains per output part, per side.
pub(super) type PartGains = [[f32; 2]; REACH_PARTS];

/// One channel's energies in one block, and what the backward pass works
/// out from them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Summing channels: energy per side of the sum, before trim and inserts.
    pub input: [f32; 2],
    /// Energy per side of the output (post fader and pan).
    pub output: [f32; 2],
    /// Energy per side of the dry, wet and parallel parts of the output.
    pub parts: [[f32; 2]; 3],
    /// A ringing aux: the recent mean square its sends delivered, per side.
    pub(super) fed: [f32; 2],
    /// Per unit of energy entering the input in lane q (dry, wet,
    /// parallel): the energy that arrives at each output part.
    pub(super) gain_in: [PartGains; 3],
}

impl Tally {
    /// A new block: what the forward pass fills starts empty (the rest is
    /// worked out afresh by the ledger).
    pub fn clear(&mut self) {
        self.input = [0.0; 2];
        self.output = [0.0; 2];
        self.parts = [[0.0; 2]; 3];
    }
}

/// Return lanes a channel can carry beside its signal: what came back
/// through wet returns (reverb, delay, and the output of reverb or delay
/// inserts), and through parallel returns (compression, saturation, EQ).
pub const LANES: usize = 2;
/// Lane index of the wet part.
pub const WET_LANE: usize = 0;
/// Lane index of the parallel part.
pub const PARALLEL_LANE: usize = 1;

#[derive(Debug)]
pub struct PlanChannel {
    pub id: String,
    pub kind: ChannelKind,
    /// Index of the channel in `Session::channels`.
    pub session_index: usize,
    pub input: Input,
    /// trim × fader × VCAs × pan per side (0 when muted).
    pub out_gain: [Ramp; 2],
    /// Destination of the main output, as a position in `channels`.
    pub dest: Option<usize>,
    pub sends: Vec<PlanSend>,
    /// Buses (and the master) that carry aux returns keep a buffer per
    /// kind of return (`WET_LANE`, `PARALLEL_LANE`) holding just that part,
    /// so the master can tell dry, wet and parallel apart exactly.
    pub lanes: [Option<usize>; LANES],
    /// The lanes of `dest`, where this channel's returned parts go.
    pub dest_lanes: [Option<usize>; LANES],
    /// For an aux: the lane of its destination its whole output goes to
    /// (what kind of return it is).
    pub returns: Option<usize>,
    /// An aux whose effects ring on after their input stops (reverb,
    /// delay): its output is shared among its sources by what each sent
    /// recently, not in this block alone.
    pub rings: bool,
    /// Where this block's energy went (filled by `process`, read by `ledger`).
    pub tally: Tally,
    /// A device output pair (1 = outputs 3–4) this channel goes to instead
    /// of a bus or the master: a headphone or cue mix.
    pub hw_pair: Option<usize>,
    /// The insert chain, in signal order; empty for most channels.
    pub inserts: Vec<InsertSlot>,
    /// Trim, applied before the inserts (only used when there are any;
    /// otherwise it is folded into `out_gain` and the pre-fader sends).
    pub trim: Ramp,
    /// Samples the main output (to `dest` or `hw_pair`) is delayed by so
    /// it meets the other paths into its destination aligned.
    pub out_delay: u32,
    /// The channel's compensation line, when any path leaving it is
    /// delayed: its signal after the inserts (and its wet lane, if it
    /// carries one), written once per block and read at each path's delay.
    pub comp: Option<Box<CompLines>>,
}

/// Delay lines of one channel's latency compensation.
#[derive(Debug, Clone)]
pub struct CompLines {
    pub signal: BlockDelay,
    /// One per return lane the channel carries (see `PlanChannel::lanes`).
    pub lanes: [Option<BlockDelay>; LANES],
}

/// Latency of the compiled graph, as data for the console and reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanLatency {
    /// Per channel, in plan order.
    pub channels: Vec<ChannelLatency>,
    /// Samples from a track's source to every device output (the master's
    /// overall latency; device pairs are aligned to it). An offline render
    /// removes it, so the bounce starts at time zero.
    pub output: u32,
}

/// One channel's part of the graph latency, in samples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelLatency {
    pub id: String,
    /// Added by this channel's own inserts.
    pub own: u32,
    /// Latency of the signal arriving at the channel's input (the latest
    /// path into it; earlier ones are delayed to match).
    pub arrival: u32,
    /// Delay added on the channel's main output to align it at its
    /// destination.
    pub compensation: u32,
}

/// Insert `to` of this plan continues insert `from` of the plan it
/// replaces: (channel position, insert index) pairs, worked out on the UI
/// thread so the audio thread only copies state by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateCarry {
    pub to: (u32, u32),
    pub from: (u32, u32),
}

/// The shape of a plan that later plans carry effect state from: the
/// channel ids in plan order and the kind of each of their inserts. Small
/// and owned, so the live handle can keep the last plan's after sending it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanLayout {
    pub plan_id: u64,
    pub channels: Vec<(String, Vec<EffectKind>)>,
    /// Every send as (channel id, aux id), in plan order channel by
    /// channel: how the meter bank's send readings are named.
    pub sends: Vec<(String, String)>,
}

/// Everything the engine needs to render one version of the session,
/// including its preallocated buffers.
#[derive(Debug)]
pub struct RenderPlan {
    /// Unique per compiled plan: `carry` is only valid against the plan
    /// whose id is `carry_from`.
    pub id: u64,
    pub sample_rate: u32,
    pub channels: Vec<PlanChannel>,
    /// Position of the master in `channels`.
    pub master: usize,
    /// Stereo block buffers: one per channel, then one per return lane,
    /// then one per device pair, each `2 * BLOCK` floats (left then right).
    pub buffers: Vec<f32>,
    /// Levels since the owner last cleared them, one per channel.
    pub meters: Meters,
    /// Where the live engine publishes `meters` for the UI; it goes back
    /// to the UI thread with the plan.
    pub published: Arc<MeterBank>,
    /// Highest device output pair used (0 = only the master's 1–2).
    pub hw_pairs: usize,
    /// Buffer slot of device pair 1; pair p is at `hw_base + p - 1`.
    pub hw_base: usize,
    /// Seconds the effects keep sounding after the sources end: the longest
    /// chain of insert tails along any path to the master.
    pub tail_seconds: f32,
    /// Effect state to take over from the plan being replaced.
    pub carry: Vec<StateCarry>,
    /// Compensation lines to take over: (new channel position, old one).
    pub comp_carry: Vec<(u32, u32)>,
    /// Latency of every channel and of the outputs.
    pub latency: PlanLatency,
    /// Delay of each device output (0 = master, p = pair p) that lines it
    /// up with the latest one.
    pub output_delays: Vec<u32>,
    /// Lines for `output_delays` (`None` where the delay is 0).
    pub output_lines: Vec<Option<BlockDelay>>,
    /// The plan `carry` was worked out against.
    pub carry_from: Option<u64>,
    /// Channels also kept apart where they enter the master (offline
    /// stems); empty unless `enable_stems` was called.
    pub stems: StemTaps,
}

/// Where stems are taken: each channel whose main output goes straight to
/// the master, after its fader and pan, exactly as it is summed into the
/// master. The stems add up to the master's input.
#[derive(Debug, Default)]
pub struct StemTaps {
    /// Per channel position: its stem number, if it is one.
    pub of_channel: Vec<Option<usize>>,
    /// Plan positions of the stem channels, in stem order.
    pub channels: Vec<usize>,
    /// One stereo block per stem (`2 * BLOCK` floats, left then right).
    pub buffers: Vec<f32>,
}

/// A fresh id for each compiled plan.
pub fn next_plan_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl RenderPlan {
    /// Device channels this plan needs (2 for the master alone).
    pub fn device_channels(&self) -> usize {
        2 * (self.hw_pairs + 1)
    }

    /// Number of stereo buffers (channels plus wet lanes).
    pub fn buffer_count(&self) -> usize {
        self.buffers.len() / (2 * BLOCK)
    }

    /// Keeps every channel that feeds the master apart as a stem (offline
    /// only: this allocates). Returns their plan positions in stem order.
    pub fn enable_stems(&mut self) -> Vec<usize> {
        let master = self.master;
        let channels: Vec<usize> = (0..self.channels.len())
            .filter(|&p| p != master && self.channels[p].dest == Some(master))
            .collect();
        let mut of_channel = vec![None; self.channels.len()];
        for (k, &p) in channels.iter().enumerate() {
            of_channel[p] = Some(k);
        }
        self.stems = StemTaps {
            of_channel,
            buffers: vec![0.0; channels.len() * 2 * BLOCK],
            channels: channels.clone(),
        };
        channels
    }

    /// Position in `channels` of the channel with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.id == id)
    }

    /// Inserts in plan order, channel by channel.
    pub fn insert_count(&self) -> usize {
        self.channels.iter().map(|c| c.inserts.len()).sum()
    }

    pub fn layout(&self) -> PlanLayout {
        PlanLayout {
            plan_id: self.id,
            channels: self
                .channels
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.inserts.iter().map(InsertSlot::kind).collect(),
                    )
                })
                .collect(),
            sends: self
                .channels
                .iter()
                .flat_map(|c| {
                    c.sends
                        .iter()
                        .map(|send| (c.id.clone(), self.channels[send.dest].id.clone()))
                })
                .collect(),
        }
    }

    /// Audio thread: continues the effect state of `old` where `carry` says,
    /// if `carry` was worked out against `old`. Copies by index only.
    pub fn take_state_from(&mut self, old: &RenderPlan) {
        if self.carry_from != Some(old.id) {
            return;
        }
        for c in &self.carry {
            let from = old
                .channels
                .get(c.from.0 as usize)
                .and_then(|ch| ch.inserts.get(c.from.1 as usize));
            let to = self
                .channels
                .get_mut(c.to.0 as usize)
                .and_then(|ch| ch.inserts.get_mut(c.to.1 as usize));
            if let (Some(from), Some(to)) = (from, to) {
                to.copy_state_from(from);
            }
        }
        for &(to, from) in &self.comp_carry {
            let from = old
                .channels
                .get(from as usize)
                .and_then(|c| c.comp.as_ref());
            let to = self
                .channels
                .get_mut(to as usize)
                .and_then(|c| c.comp.as_mut());
            if let (Some(from), Some(to)) = (from, to) {
                to.signal.copy_state_from(&from.signal);
                for (a, b) in to.lanes.iter_mut().zip(&from.lanes) {
                    if let (Some(a), Some(b)) = (a.as_mut(), b.as_ref()) {
                        a.copy_state_from(b);
                    }
                }
            }
        }
        let lines = self.output_lines.iter_mut().zip(&old.output_lines);
        for (to, from) in lines {
            if let (Some(to), Some(from)) = (to, from) {
                to.copy_state_from(from);
            }
        }
    }

    /// Longest compensation delay in the plan: how long a new plan renders
    /// silently after a swap before it fades in, so no path starts from an
    /// empty line.
    pub fn warmup_frames(&self) -> usize {
        let lines = self.channels.iter().filter_map(|c| c.comp.as_ref());
        let outputs = self.output_lines.iter().flatten();
        lines
            .map(|c| c.signal.max_delay())
            .chain(outputs.map(BlockDelay::max_delay))
            .max()
            .unwrap_or(0)
    }

    /// Audio thread: hands this plan's meters and insert readings to the UI.
    pub fn publish(&mut self) {
        self.published.publish(&self.meters);
        let slots = self.channels.iter_mut().flat_map(|c| c.inserts.iter_mut());
        for (shared, slot) in self.published.inserts.iter().zip(slots) {
            shared.publish(slot.take_reading());
        }
    }
}
