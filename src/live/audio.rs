//! The audio-thread side of live playback.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::engine::{Engine, Feeds, MonitorSettings, TapWriter};
use crate::graph::RenderPlan;
use crate::io::output::Renderer;
use crate::session::EffectParams;

/// Most commands taken per callback: bounded so a burst of edits can never
/// stretch one callback; the rest wait for the next.
const COMMANDS_PER_CALLBACK: usize = 256;

/// UI → audio.
pub enum Command {
    /// New output gains (per side) for the channel at this plan position.
    Gains {
        pos: u32,
        out: [f32; 2],
        /// Trim before the inserts (1 for a channel without any).
        trim: f32,
    },
    /// New settings for one insert (same kind of effect) of a channel.
    Insert {
        pos: u32,
        index: u32,
        effect: EffectParams,
        bypass: bool,
        tempo_bpm: f32,
    },
    /// New gain for one send of the channel at this plan position.
    SendGain {
        pos: u32,
        send: u32,
        gain: f32,
    },
    /// A structural change: crossfade to this plan.
    SwapPlan(Box<RenderPlan>),
    /// After a seek: these feeds start at `position`.
    ReplaceFeeds {
        feeds: Box<Feeds>,
        position: u64,
    },
    Play,
    Pause,
    /// Loop range for the position display (the disk threads do the audio).
    Loop(Option<(u64, u64)>),
    /// Where playback stops unless it loops (the session's end).
    End(Option<u64>),
    /// What outputs 1–2 play: the mix, mono, dimmed, or another source.
    Monitor(MonitorSettings),
    /// The channel (plan position) the analysis tap carries as its probe.
    Probe(Option<u32>),
    /// Level-matched A/B of the inserts of the channel at this plan
    /// position (none: off): listen to B (bypassed, × gain) or A.
    Ab {
        pos: Option<u32>,
        listen_b: bool,
        gain: f32,
    },
}

/// Audio → UI: things to drop off the audio thread.
pub enum Retired {
    Plan(Box<RenderPlan>),
    Feeds(Box<Feeds>),
}

/// What the audio thread reports without a queue.
#[derive(Debug, Default)]
pub struct LiveStatus {
    pub position: AtomicU64,
    pub playing: AtomicBool,
    /// Retired objects that waited because the return queue was full.
    pub retire_stalls: AtomicU64,
}

/// The engine as the audio callback drives it.
pub struct LiveEngine {
    engine: Engine,
    commands: rtrb::Consumer<Command>,
    retired: rtrb::Producer<Retired>,
    /// Something that could not be sent back yet (the queue was full).
    held: Option<Retired>,
    status: Arc<LiveStatus>,
    playing: bool,
    position: u64,
    looping: Option<(u64, u64)>,
    end: Option<u64>,
}

impl LiveEngine {
    pub fn new(
        engine: Engine,
        commands: rtrb::Consumer<Command>,
        retired: rtrb::Producer<Retired>,
        status: Arc<LiveStatus>,
    ) -> Self {
        LiveEngine {
            engine,
            commands,
            retired,
            held: None,
            status,
            playing: false,
            position: 0,
            looping: None,
            end: None,
        }
    }

    /// Sends both sides of an A/B comparison (4 channels) into `tap`.
    pub fn with_ab_tap(mut self, tap: TapWriter) -> Self {
        self.engine.ab_mut().set_tap(tap);
        self
    }

    /// Copies the mix (as a render writes it, before the monitor path), the
    /// probed channel and outputs 1–2 as heard into `tap` (6 channels)
    /// while playing.
    pub fn with_analysis_tap(mut self, tap: TapWriter) -> Self {
        self.engine.set_analysis_tap(tap);
        self
    }

    /// Sends `item` back to the UI thread, or holds it until there is room.
    /// Callers only retire while nothing is held, so nothing is ever freed here.
    fn retire(&mut self, item: Retired) {
        debug_assert!(self.held.is_none());
        match self.retired.push(item) {
            Ok(()) => {}
            Err(rtrb::PushError::Full(item)) => {
                self.status.retire_stalls.fetch_add(1, Ordering::Relaxed);
                self.held = Some(item);
            }
        }
    }

    fn flush_held(&mut self) {
        if let Some(item) = self.held.take()
            && let Err(rtrb::PushError::Full(item)) = self.retired.push(item)
        {
            self.held = Some(item);
        }
    }

    fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::Gains { pos, out, trim } => {
                self.engine.set_gains(pos as usize, out, trim, &[])
            }
            Command::Insert {
                pos,
                index,
                effect,
                bypass,
                tempo_bpm,
            } => self
                .engine
                .set_insert(pos as usize, index as usize, &effect, bypass, tempo_bpm),
            Command::SendGain { pos, send, gain } => {
                self.engine.set_send_gain(pos as usize, send as usize, gain)
            }
            Command::SwapPlan(plan) => {
                if let Some(old) = self.engine.swap_plan(plan) {
                    self.retire(Retired::Plan(old));
                }
            }
            Command::ReplaceFeeds { feeds, position } => {
                let old = self.engine.replace_feeds(feeds);
                self.retire(Retired::Feeds(old));
                self.position = position;
            }
            Command::Play => self.playing = true,
            Command::Pause => self.playing = false,
            Command::Loop(range) => self.looping = range.filter(|(a, b)| b > a),
            Command::End(end) => self.end = end,
            Command::Monitor(m) => self.engine.set_monitor(m),
            Command::Probe(pos) => self.engine.set_probe(pos.map(|p| p as usize)),
            Command::Ab {
                pos,
                listen_b,
                gain,
            } => self
                .engine
                .ab_mut()
                .set(pos.map(|p| p as usize), listen_b, gain),
        }
    }
}

impl Renderer for LiveEngine {
    fn configure(&mut self, _sample_rate: u32, channels: usize) {
        self.engine.set_out_channels(channels);
    }

    fn render(&mut self, out: &mut [f32], channels: usize) {
        self.flush_held();
        for _ in 0..COMMANDS_PER_CALLBACK {
            // While something waits to go back, leave structural commands
            // queued: each would retire another object.
            if self.held.is_some() {
                break;
            }
            match self.commands.pop() {
                Ok(cmd) => self.apply(cmd),
                Err(_) => break,
            }
        }
        if channels != self.engine.out_channels() || !self.playing {
            out.fill(0.0);
        } else {
            let frames = (out.len() / channels) as u64;
            // Not looping, playback stops at the end, to the sample.
            let left = match (self.looping, self.end) {
                (None, Some(end)) => end.saturating_sub(self.position).min(frames),
                _ => frames,
            };
            let (played, rest) = out.split_at_mut(left as usize * channels);
            self.engine.process(played);
            rest.fill(0.0);
            self.position += left;
            if left < frames {
                self.playing = false;
            }
            if let Some((start, end)) = self.looping
                && self.position >= end
            {
                self.position = start + (self.position - end) % (end - start);
            }
            self.engine.publish_meters();
        }
        if self.held.is_none()
            && let Some(old) = self.engine.take_retired()
        {
            self.retire(Retired::Plan(old));
        }
        self.status.position.store(self.position, Ordering::Relaxed);
        self.status.playing.store(self.playing, Ordering::Relaxed);
    }
}
