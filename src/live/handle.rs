//! `EngineHandle`: what the console (and `auxbus play`) use to drive live
//! playback. It lives on the UI thread, owns the device and the disk
//! threads, and talks to the audio thread only through queues and atomics.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::audio::{Command, LiveEngine, LiveStatus, Retired};
use super::error::LiveError;
use super::monitoring::Monitoring;
use super::readout::{MeterFrame, Telemetry, read};
use super::updates::{lookup, position, updates};
use crate::engine::{
    DEFAULT_FEED_SLOTS, Engine, Feed, Feeds, MeterBank, PlanLatency, PlanLayout, TapReader,
};
use crate::graph::{self, Change, FeedInfo};
use crate::io::decode::{DiskStreams, RingFeed, open_tracks};
use crate::io::output::{Output, OutputConfig};
use crate::session::{self, Session};

/// Seconds of audio decoded ahead of the play head per track.
pub const READ_AHEAD_SECONDS: f64 = 1.5;
/// Seconds the analysis tap holds: the UI reads it every frame, so this
/// only matters when the UI stalls.
const ANALYSIS_TAP_SECONDS: usize = 2;
/// The analysis tap: mix L/R, probe L/R, outputs 1–2 as heard.
pub const ANALYSIS_TAP_CHANNELS: usize = 6;
/// How long nothing plays, seeks or changes before the device stream is
/// paused (a stopped console then costs no audio callbacks).
const IDLE_AFTER: Duration = Duration::from_secs(2);
/// How much of the read-ahead a seek waits for before sound starts.
const SEEK_PREFILL_SECONDS: f64 = 0.1;

/// New feeds waiting to be filled before they replace the playing ones.
struct PendingSeek {
    feeds: Vec<RingFeed>,
    position: u64,
    since: Instant,
    /// Start playing once the new position is ready (Play from the end).
    then_play: bool,
}

pub struct EngineHandle {
    output: Output<LiveEngine>,
    commands: rtrb::Producer<Command>,
    /// Commands that did not fit in the queue yet (sent in order by `poll`).
    backlog: VecDeque<Command>,
    retired: rtrb::Consumer<Retired>,
    status: Arc<LiveStatus>,
    disk: DiskStreams,
    /// Track id → feed slot and width, for compiling plans.
    slots: Vec<(String, FeedInfo)>,
    feed_slots: usize,
    /// One message per track whose source could not be opened.
    pub offline: Vec<String>,
    /// The shape of the plan sent last: where each channel and insert sits
    /// (for gain commands and meter readings), and what the next plan
    /// carries its effect state over from.
    layout: PlanLayout,
    bank: Arc<MeterBank>,
    /// Latency of the plan sent last, per channel and at the outputs.
    latency: PlanLatency,
    sample_rate: u32,
    looping: Option<(u64, u64)>,
    pending: Option<PendingSeek>,
    last_disk_error: Option<String>,
    /// Length of the longest source in frames, when known.
    pub longest: Option<u64>,
    /// The effect tails of the current plan, seconds.
    tail_seconds: f32,
    analysis_tap: TapReader,
    ab_tap: TapReader,
    /// The channel under A/B comparison, listening to B, B's gain.
    ab: (Option<String>, bool, f32),
    /// The monitor section's choice, re-sent when positions change.
    monitoring: Monitoring,
    /// The channel the analyser looks at, re-sent when positions change.
    probe: Option<String>,
    /// Since when nothing has played, sought or been sent (see `IDLE_AFTER`).
    quiet_since: Option<Instant>,
}

impl EngineHandle {
    /// Opens the session's sources (a missing or broken one becomes an
    /// offline, silent track listed in `offline`), starts the disk threads
    /// and the audio output (retrying in the background when there is no
    /// device; see `telemetry().device`). Playback starts paused at 0.
    pub fn start(
        s: &Session,
        session_path: &Path,
        mut config: OutputConfig,
    ) -> Result<Self, LiveError> {
        session::validate(s)?;
        config.sample_rate.get_or_insert(s.sample_rate);
        // Live playback would rather run with a bigger buffer than keep
        // dropping out (PulseAudio reports no xruns: see `dropouts`).
        config.raise_on_dropouts = true;
        let tracks = open_tracks(s, session_path, 0);
        let offline = tracks
            .errors
            .iter()
            .map(|(id, e)| format!("track \"{id}\": {e}"))
            .collect();
        let (readers, slots, longest) = (tracks.readers, tracks.slots, tracks.longest);
        let plan = graph::compile(s, &|id| lookup(&slots, id))?;
        // A headphone mix on outputs 3–4 needs a device with 4 channels.
        if plan.device_channels() > 2 && config.channels.is_none() {
            config.channels = Some(plan.device_channels() as u16);
        }
        let layout = plan.layout();
        let bank = plan.published.clone();
        let tail_seconds = plan.tail_seconds;
        let latency = plan.latency.clone();
        let ring_frames = (READ_AHEAD_SECONDS * f64::from(s.sample_rate)) as usize;
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(4);
        let (disk, feeds) =
            DiskStreams::start(readers, ring_frames, threads).map_err(LiveError::Threads)?;
        let feed_slots = DEFAULT_FEED_SLOTS.max(slots.len() * 2);
        let feeds: Feeds = feeds
            .into_iter()
            .map(|f| Some(Box::new(f) as Box<dyn Feed>))
            .collect();
        let engine = Engine::with_slots(plan, feeds, 2, feed_slots);
        let (commands, command_rx) = rtrb::RingBuffer::new(4096);
        let (retired_tx, retired) = rtrb::RingBuffer::new(64);
        let status = Arc::new(LiveStatus::default());
        let tap_frames = ANALYSIS_TAP_SECONDS * s.sample_rate as usize;
        let (tap_tx, analysis_tap) = crate::engine::tap(ANALYSIS_TAP_CHANNELS, tap_frames);
        let (ab_tx, ab_tap) = crate::engine::tap(4, tap_frames);
        let live = LiveEngine::new(engine, command_rx, retired_tx, status.clone())
            .with_analysis_tap(tap_tx)
            .with_ab_tap(ab_tx);
        let output = Output::open_retrying(config, live);
        let mut handle = EngineHandle {
            output,
            commands,
            backlog: VecDeque::new(),
            retired,
            status,
            disk,
            slots,
            feed_slots,
            offline,
            layout,
            bank,
            latency,
            sample_rate: s.sample_rate,
            looping: None,
            pending: None,
            last_disk_error: None,
            longest,
            tail_seconds,
            analysis_tap,
            probe: None,
            quiet_since: None,
            ab_tap,
            ab: (None, false, 1.0),
            monitoring: Monitoring::default(),
        };
        handle.send_end();
        Ok(handle)
    }

    fn send(&mut self, cmd: Command) {
        // The audio side takes commands in its callbacks: wake it.
        self.quiet_since = None;
        self.output.set_idle(false);
        if !self.backlog.is_empty() {
            self.backlog.push_back(cmd);
            return;
        }
        if let Err(rtrb::PushError::Full(cmd)) = self.commands.push(cmd) {
            self.backlog.push_back(cmd);
        }
    }

    /// Tells the audio side what an applied edit changed (see
    /// `graph::change_of`): gains and insert settings ramp and glide there;
    /// a structural change compiles the session here and crossfades to it.
    /// `channel` narrows a per-channel change. Tracks added since `start`
    /// stay silent until the session is reopened.
    pub fn apply(
        &mut self,
        s: &Session,
        change: Change,
        channel: Option<&str>,
    ) -> Result<(), LiveError> {
        match change {
            // A new rate needs the sources reopened: the owner restarts the
            // handle (see `ui::port`); until then the plan follows the rest.
            Change::Structure | Change::Reload => self.rebuild(s)?,
            _ => {
                let mut commands = Vec::new();
                updates(s, &self.layout, &self.slots, change, channel, &mut commands);
                for c in commands {
                    self.send(c);
                }
            }
        }
        Ok(())
    }

    fn position(&self, id: &str) -> Option<usize> {
        position(&self.layout, id)
    }

    /// Compiles `s` (valid: it only changes through validated edits) and
    /// crossfades to it, carrying effect state over from the last plan.
    fn rebuild(&mut self, s: &Session) -> Result<(), LiveError> {
        let mut plan = graph::compile(s, &|id| lookup(&self.slots, id))?;
        graph::link_state(&mut plan, &self.layout);
        self.layout = plan.layout();
        self.bank = plan.published.clone();
        self.tail_seconds = plan.tail_seconds;
        self.latency = plan.latency.clone();
        self.send(Command::SwapPlan(Box::new(plan)));
        self.send_end();
        // Channel positions may have moved: the comparison and the monitor
        // follow their channel.
        self.send_ab();
        self.send_monitoring();
        self.send_probe();
        Ok(())
    }

    fn send_end(&mut self) {
        let end = self.end_frame();
        self.send(Command::End(end));
    }

    /// Plays from here; from the end (when not looping) it starts over.
    pub fn play(&mut self) {
        let here = self.status.position.load(Ordering::Relaxed);
        let at_end = self.pending.is_none()
            && self.looping.is_none()
            && self.end_frame().is_some_and(|end| here >= end);
        if at_end {
            self.seek_frame(0);
        }
        match self.pending.as_mut() {
            // Play once the new position is decoded, not from the old one.
            Some(p) => p.then_play = true,
            None => self.send(Command::Play),
        }
    }

    /// Where playback stops when it does not loop: the end of the longest
    /// source plus the effect tails, as a render would end.
    pub fn end_frame(&self) -> Option<u64> {
        let tail = (f64::from(self.tail_seconds) * f64::from(self.sample_rate)).ceil() as u64;
        self.longest.map(|l| l + tail)
    }

    pub fn pause(&mut self) {
        self.send(Command::Pause);
    }

    /// Pauses and returns to the loop start (or the beginning).
    pub fn stop(&mut self) {
        self.pause();
        if let Some(p) = self.pending.as_mut() {
            p.then_play = false;
        }
        let start = self.looping.map_or(0, |(a, _)| a);
        self.seek_frame(start);
    }

    /// Moves the play head. Sound resumes once the new position is decoded
    /// (a fraction of the read-ahead); the old feeds play until then.
    pub fn seek(&mut self, seconds: f64) {
        self.seek_frame(seconds_to_frame(seconds, self.sample_rate));
    }

    fn seek_frame(&mut self, frame: u64) {
        let feeds = self.disk.reposition(frame, self.looping);
        let then_play = self.pending.as_ref().is_some_and(|p| p.then_play);
        self.pending = Some(PendingSeek {
            feeds,
            position: frame,
            since: Instant::now(),
            then_play,
        });
    }

    /// Loops between two times in seconds (`None` ends the loop).
    pub fn set_loop(&mut self, range: Option<(f64, f64)>) {
        let rate = f64::from(self.sample_rate);
        self.looping = range
            .map(|(a, b)| ((a.max(0.0) * rate) as u64, (b.max(0.0) * rate) as u64))
            .filter(|(a, b)| b > a);
        self.send(Command::Loop(self.looping));
        let mut here = self.status.position.load(Ordering::Relaxed);
        if let Some((a, b)) = self.looping
            && (here < a || here >= b)
        {
            here = a;
        }
        self.seek_frame(here);
    }

    /// Call regularly (every UI frame, or every ~10–50 ms): sends queued
    /// commands, drops what the audio thread handed back, completes seeks,
    /// and keeps the device alive.
    pub fn poll(&mut self) {
        while let Some(cmd) = self.backlog.pop_front() {
            if let Err(rtrb::PushError::Full(cmd)) = self.commands.push(cmd) {
                self.backlog.push_front(cmd);
                break;
            }
        }
        while let Ok(item) = self.retired.pop() {
            drop(item); // here, on the UI thread, is where freeing is allowed
        }
        let prefill = (SEEK_PREFILL_SECONDS * f64::from(self.sample_rate)) as usize;
        let ready = self.pending.as_ref().is_some_and(|p| {
            p.feeds.iter().all(|f| f.ready(prefill)) || p.since.elapsed() > Duration::from_secs(2)
        });
        if ready && let Some(p) = self.pending.take() {
            let mut feeds: Feeds = p
                .feeds
                .into_iter()
                .map(|f| Some(Box::new(f) as Box<dyn Feed>))
                .collect();
            feeds.resize_with(self.feed_slots, || None);
            self.send(Command::ReplaceFeeds {
                feeds: Box::new(feeds),
                position: p.position,
            });
            if p.then_play {
                self.send(Command::Play);
            }
        }
        if let Some(e) = self.disk.error() {
            self.last_disk_error = Some(e);
        }
        self.disk.wake();
        self.output.poll();
        self.idle_when_quiet();
    }

    /// Pauses the device stream once nothing has played, sought or changed
    /// for `IDLE_AFTER`; anything sent wakes it (see `send`).
    fn idle_when_quiet(&mut self) {
        let busy = self.status.playing.load(Ordering::Relaxed)
            || self.pending.is_some()
            || !self.backlog.is_empty()
            || self.commands.slots() < self.commands.buffer().capacity();
        if busy {
            self.quiet_since = None;
            self.output.set_idle(false);
        } else if self.quiet_since.get_or_insert_with(Instant::now).elapsed() >= IDLE_AFTER {
            self.output.set_idle(true);
        }
    }

    /// Whether a seek is still waiting for its audio.
    pub fn seeking(&self) -> bool {
        self.pending.is_some()
    }

    /// Latency of the plan playing (or about to): what each channel's
    /// inserts add, how much each path is delayed, and the total at the
    /// outputs. Updated by every structural change.
    pub fn latency(&self) -> &PlanLatency {
        &self.latency
    }

    pub fn telemetry(&self) -> Telemetry {
        let device = self.output.status();
        Telemetry {
            dropouts: device.dropouts,
            latency_frames: self.latency.output,
            position_seconds: self.status.position.load(Ordering::Relaxed) as f64
                / f64::from(self.sample_rate),
            playing: self.status.playing.load(Ordering::Relaxed),
            device,
            underruns: self.disk.underruns(),
            last_disk_error: self.last_disk_error.clone(),
        }
    }

    /// Levels since the last call, per channel id, plus the master's dry,
    /// wet and parallel parts, where each channel's sound arrived, what each
    /// send delivered, and what each insert reported.
    pub fn take_meters(&self) -> MeterFrame {
        read(&self.layout, &self.bank)
    }

    /// Tracks whose source is mono.
    pub fn mono_tracks(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter(|(_, f)| f.channels == 1)
            .map(|(id, _)| id.clone())
            .collect()
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// What played since the last call, at the session rate: 6 interleaved
    /// channels, the mix L/R (as a render writes it: no mono, dim or
    /// "listen to"), the probed channel's output L/R, and outputs 1–2 as
    /// the monitor path plays them.
    pub fn drain_analysis_tap(&mut self, f: &mut dyn FnMut(&[f32])) {
        self.analysis_tap.drain(f);
    }

    /// The channel whose output the analysis tap carries as its probe
    /// (none: silence there).
    pub fn set_probe(&mut self, id: Option<&str>) {
        self.probe = id.map(str::to_owned);
        self.send_probe();
    }

    fn send_probe(&mut self) {
        let pos = self.probe.as_deref().and_then(|id| self.position(id));
        self.send(Command::Probe(pos.map(|p| p as u32)));
    }

    /// Compares channel `id`'s inserts level-matched (none: off): B is the
    /// channel with its inserts bypassed, scaled by `gain` (linear).
    pub fn set_ab(&mut self, id: Option<&str>, listen_b: bool, gain: f32) {
        self.ab = (id.map(str::to_owned), listen_b, gain);
        self.send_ab();
    }

    fn send_ab(&mut self) {
        let pos = self.ab.0.as_deref().and_then(|id| self.position(id));
        self.send(Command::Ab {
            pos: pos.map(|p| p as u32),
            listen_b: self.ab.1 && pos.is_some(),
            gain: self.ab.2,
        });
    }

    /// What outputs 1–2 play (see `Monitoring`); never part of a render.
    pub fn set_monitoring(&mut self, m: &Monitoring) {
        self.monitoring = m.clone();
        self.send_monitoring();
    }

    fn send_monitoring(&mut self) {
        let settings = self.monitoring.settings(&self.layout);
        self.send(Command::Monitor(settings));
    }

    /// Both sides of the A/B comparison since the last call: 4 interleaved
    /// channels (A left, A right, B left, B right, B before its gain).
    pub fn drain_ab_tap(&mut self, f: &mut dyn FnMut(&[f32])) {
        self.ab_tap.drain(f);
    }

    /// Frames lost because the analysis tap was not read in time.
    pub fn analysis_tap_dropped(&self) -> u64 {
        self.analysis_tap.dropped_frames()
    }
}

/// The frame at `seconds` (rounded: 20.0 s at 48 kHz is frame 960 000).
pub fn seconds_to_frame(seconds: f64, sample_rate: u32) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * f64::from(sample_rate)).round() as u64
    } else {
        0
    }
}
