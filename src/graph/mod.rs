//! Compiles a `Session` into a `RenderPlan`: the channels in processing
//! order, with their routes as indices and their gains as numbers.
//!
//! ```text
//!   kick ──out──► Drum Bus ──out──► Master ──► device / file
//!    └──send (copy)──► Reverb ──out──┘
//! ```
//! Order is Kahn's algorithm over output and send edges, so every channel is
//! processed after everything that feeds it. Compiling allocates; it runs on
//! the UI (or render) thread, never on the audio thread.

mod describe;
mod gains;
mod solo;
mod why_silent;

pub use describe::routing_tree;
pub use gains::{ChannelGains, Mute, channel_gains};
pub use solo::implied_mutes;
pub use why_silent::why_silent;

use std::collections::VecDeque;

use std::sync::Arc;

use crate::dsp::{BLOCK, MeterBank, Meters, Ramp};
use crate::fx::{self, InsertSlot};
use crate::session::{self, ChannelKind, Session, SessionError, signal_edges};

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
}

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
    /// Buses (and the master) that carry aux returns keep a second buffer
    /// holding just the wet part, so the master can tell dry from wet exactly.
    pub wet_lane: Option<usize>,
    /// The wet lane of `dest`, where this channel's wet part goes.
    pub dest_wet_lane: Option<usize>,
    /// A device output pair (1 = outputs 3–4) this channel goes to instead
    /// of a bus or the master: a headphone or cue mix.
    pub hw_pair: Option<usize>,
    pub muted: Mute,
    /// The insert chain, in signal order; empty for most channels.
    pub inserts: Vec<InsertSlot>,
    /// Trim, applied before the inserts (only used when there are any;
    /// otherwise it is folded into `out_gain` and the pre-fader sends).
    pub trim: Ramp,
}

/// Everything the engine needs to render one version of the session,
/// including its preallocated buffers.
#[derive(Debug)]
pub struct RenderPlan {
    pub sample_rate: u32,
    pub channels: Vec<PlanChannel>,
    /// Position of the master in `channels`.
    pub master: usize,
    /// Stereo block buffers: one per channel, then one per wet lane, each
    /// `2 * BLOCK` floats (left then right).
    pub buffers: Vec<f32>,
    /// Levels since the owner last cleared them, one per channel.
    pub meters: Meters,
    /// Where the live engine publishes `meters` for the UI.
    pub published: Arc<MeterBank>,
    /// Highest device output pair used (0 = only the master's 1–2).
    pub hw_pairs: usize,
    /// Buffer slot of device pair 1; pair p is at `hw_base + p - 1`.
    pub hw_base: usize,
    /// Seconds the effects keep sounding after the sources end: the longest
    /// chain of insert tails along any path to the master.
    pub tail_seconds: f32,
}

impl RenderPlan {
    /// Device channels this plan needs (2 for the master alone).
    pub fn device_channels(&self) -> usize {
        2 * (self.hw_pairs + 1)
    }
}

impl RenderPlan {
    /// Audio thread: hands this plan's meters and insert readings to the UI.
    pub fn publish(&mut self) {
        self.published.publish(&self.meters);
        let slots = self.channels.iter_mut().flat_map(|c| c.inserts.iter_mut());
        for (shared, slot) in self.published.inserts.iter().zip(slots) {
            shared.publish(slot.take_reading());
        }
    }

    /// Number of stereo buffers (channels plus wet lanes).
    pub fn buffer_count(&self) -> usize {
        self.buffers.len() / (2 * BLOCK)
    }

    /// Position in `channels` of the channel with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.id == id)
    }
}

/// Validates `s` and compiles it. `feed` tells, for a track id, which engine
/// feed plays its source (or `None` when the source is unavailable).
pub fn compile(
    s: &Session,
    feed: &dyn Fn(&str) -> Option<FeedInfo>,
) -> session::Result<RenderPlan> {
    session::validate(s)?;
    let order = processing_order(s)?;
    let mut position = vec![0usize; s.channels.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos;
    }
    let solo_muted = implied_mutes(s);
    let carries_wet = wet_carriers(s, &order);
    let mut wet_lanes = 0;
    let mut channels = Vec::with_capacity(order.len());
    for &i in &order {
        let c = &s.channels[i];
        let input = match c.kind {
            ChannelKind::Track => match feed(&c.id) {
                Some(f) => Input::Feed {
                    slot: f.slot,
                    mono: f.channels == 1,
                },
                None => Input::Offline,
            },
            _ => Input::Sum,
        };
        let mono = matches!(input, Input::Feed { mono: true, .. });
        let gains = channel_gains(s, i, mono, solo_muted[i]);
        let dest = match c.kind {
            ChannelKind::Master => None,
            _ => c
                .output
                .as_deref()
                .and_then(|o| s.channel_index(o))
                .map(|j| position[j]),
        };
        let sends = c
            .sends
            .iter()
            .zip(&gains.sends)
            .filter_map(|(send, &g)| {
                let j = s.channel_index(&send.to)?;
                Some(PlanSend {
                    dest: position[j],
                    pre_fader: send.pre_fader,
                    gain: Ramp::at(g),
                })
            })
            .collect();
        let wet_lane = carries_wet[i].then(|| {
            wet_lanes += 1;
            order.len() + wet_lanes - 1
        });
        channels.push(PlanChannel {
            id: c.id.clone(),
            kind: c.kind,
            session_index: i,
            input,
            out_gain: gains.out.map(Ramp::at),
            dest,
            sends,
            wet_lane,
            dest_wet_lane: None,
            hw_pair: c.output.as_deref().and_then(session::hw_output_pair),
            muted: gains.muted,
            inserts: c
                .inserts
                .iter()
                .map(|ins| InsertSlot::new(ins, s.sample_rate, s.tempo_bpm))
                .collect(),
            trim: Ramp::at(gains.insert_trim.unwrap_or(1.0)),
        });
    }
    for pos in 0..channels.len() {
        let lane = channels[pos].dest.and_then(|d| channels[d].wet_lane);
        channels[pos].dest_wet_lane = lane;
    }
    let master = channels
        .iter()
        .position(|c| c.kind == ChannelKind::Master)
        .unwrap_or(0);
    let hw_pairs = channels.iter().filter_map(|c| c.hw_pair).max().unwrap_or(0);
    let hw_base = order.len() + wet_lanes;
    let buffers = vec![0.0; (hw_base + hw_pairs) * 2 * BLOCK];
    let tail_seconds = chain_tail(s, &channels);
    let inserts = channels.iter().map(|c| c.inserts.len()).sum();
    let meters = Meters::new(channels.len());
    let published = Arc::new(MeterBank::with_inserts(channels.len(), inserts));
    Ok(RenderPlan {
        sample_rate: s.sample_rate,
        channels,
        master,
        buffers,
        meters,
        published,
        hw_pairs,
        hw_base,
        tail_seconds,
    })
}

/// The longest sum of insert tails along any path from a channel to the
/// master (a delay into a reverb rings for both). `channels` is in
/// processing order, so walking it backwards sees destinations first.
fn chain_tail(s: &Session, channels: &[PlanChannel]) -> f32 {
    let mut tail = vec![0.0f32; channels.len()];
    for pos in (0..channels.len()).rev() {
        let ch = &channels[pos];
        let own: f32 = s.channels[ch.session_index]
            .inserts
            .iter()
            .map(|i| fx::tail_seconds(i, s.tempo_bpm))
            .sum();
        let after = ch
            .dest
            .into_iter()
            .chain(ch.sends.iter().map(|send| send.dest))
            .map(|d| tail[d])
            .fold(0.0, f32::max);
        tail[pos] = own + after;
    }
    tail.into_iter().fold(0.0, f32::max)
}

/// Carries effect state from the plan being replaced into `new`, so a
/// structural change keeps reverb tails and delay lines ringing. The k-th
/// insert of a kind on a channel continues the k-th insert of that kind on
/// the channel with the same id. Runs on the audio thread: no allocation.
pub fn carry_insert_state(new: &mut RenderPlan, old: &RenderPlan) {
    for ch in new.channels.iter_mut().filter(|c| !c.inserts.is_empty()) {
        let Some(prev) = old.channels.iter().find(|c| c.id == ch.id) else {
            continue;
        };
        for k in 0..ch.inserts.len() {
            let kind = ch.inserts[k].kind();
            let nth = ch.inserts[..k].iter().filter(|i| i.kind() == kind).count();
            if let Some(from) = prev.inserts.iter().filter(|i| i.kind() == kind).nth(nth) {
                ch.inserts[k].copy_state_from(from);
            }
        }
    }
}

/// Kahn's algorithm over output and send edges; ties keep session order so
/// the same session always compiles the same way.
fn processing_order(s: &Session) -> session::Result<Vec<usize>> {
    let n = s.channels.len();
    let edges = signal_edges(s);
    let mut indegree = vec![0usize; n];
    let mut next = vec![Vec::new(); n];
    for &(a, b) in &edges {
        indegree[b] += 1;
        next[a].push(b);
    }
    let mut ready: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for &j in &next[i] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push_back(j);
            }
        }
    }
    if order.len() < n {
        let path = session::find_loop(s).unwrap_or_default();
        return Err(SessionError::RoutingLoop { path });
    }
    Ok(order)
}

/// Which channels need a wet lane: the master, every channel with a reverb
/// or delay insert (its effect's output is wet), and every bus that an
/// aux's output or such a channel reaches through main outputs.
fn wet_carriers(s: &Session, order: &[usize]) -> Vec<bool> {
    let mut carries = vec![false; s.channels.len()];
    for &i in order {
        let c = &s.channels[i];
        let time_insert = c.inserts.iter().any(|ins| ins.kind().is_time_based());
        if c.kind == ChannelKind::Master || (c.kind != ChannelKind::Aux && time_insert) {
            carries[i] = true;
        }
        let wet_source = c.kind == ChannelKind::Aux || carries[i];
        if wet_source
            && c.kind != ChannelKind::Master
            && let Some(j) = c.output.as_deref().and_then(|o| s.channel_index(o))
        {
            carries[j] = true;
        }
    }
    carries
}
