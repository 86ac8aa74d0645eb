//! `EngineHandle`: what the console (and `auxbus play`) use to drive live
//! playback. It lives on the UI thread, owns the device and the disk
//! threads, and talks to the audio thread only through queues and atomics.

use std::collections::VecDeque;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::audio::{Command, LiveEngine, LiveStatus, Retired};
use super::frame::MeterFrame;
use crate::engine::{DEFAULT_FEED_SLOTS, Engine, Feed, Feeds, MeterBank, PlanLatency, PlanLayout};
use crate::graph::{self, Change, FeedInfo, channel_gains, implied_mutes};
use crate::io::decode::{DiskStreams, RingFeed, open_tracks};
use crate::io::output::{Output, OutputConfig, StreamStatus};
use crate::session::{self, Session, SessionError};

/// Seconds of audio decoded ahead of the play head per track.
pub const READ_AHEAD_SECONDS: f64 = 1.5;
/// How much of the read-ahead a seek waits for before sound starts.
const SEEK_PREFILL_SECONDS: f64 = 0.1;

#[derive(Debug)]
pub enum LiveError {
    Session(SessionError),
    /// The disk threads could not be started.
    Threads(std::io::Error),
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::Session(e) => e.fmt(f),
            LiveError::Threads(e) => write!(f, "cannot start the disk threads: {e}"),
        }
    }
}

impl std::error::Error for LiveError {}

impl From<SessionError> for LiveError {
    fn from(e: SessionError) -> Self {
        LiveError::Session(e)
    }
}

/// A snapshot of the live state for the transport bar and status line.
#[derive(Debug, Clone)]
pub struct Telemetry {
    pub position_seconds: f64,
    pub playing: bool,
    pub device: StreamStatus,
    /// Blocks a track had no decoded audio for (played as silence).
    pub underruns: u64,
    /// Times the device played silence because a callback came late
    /// (counted from the stream's timestamps; see `StreamStatus::dropouts`).
    pub dropouts: u64,
    /// Samples from a source to the device outputs: the latency of the
    /// graph's longest path (inserts), which every other path is delayed to.
    pub latency_frames: u32,
    /// The newest decoding problem, naming the file.
    pub last_disk_error: Option<String>,
}

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
        let live = LiveEngine::new(engine, command_rx, retired_tx, status.clone());
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
        };
        handle.send_end();
        Ok(handle)
    }

    fn send(&mut self, cmd: Command) {
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
        match (change, channel) {
            (Change::None, _) => {}
            (Change::Channel, Some(id)) => self.update_channel(s, id),
            (Change::Insert, Some(id)) => {
                self.update_channel(s, id);
                self.update_inserts(s, id);
            }
            (Change::Channel | Change::Insert | Change::AllChannels, _) => {
                self.update_all(s);
                for c in &s.channels {
                    self.update_inserts(s, &c.id);
                }
            }
            // A new rate needs the sources reopened: the owner restarts the
            // handle (see `ui::port`); until then the plan follows the rest.
            (Change::Structure | Change::Reload, _) => self.rebuild(s)?,
        }
        Ok(())
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.layout.channels.iter().position(|(c, _)| c == id)
    }

    fn update_channel(&mut self, s: &Session, id: &str) {
        let mutes = implied_mutes(s);
        if let Some(i) = s.channel_index(id) {
            self.send_gains(s, i, mutes[i]);
        }
    }

    fn update_all(&mut self, s: &Session) {
        let mutes = implied_mutes(s);
        for (i, &muted) in mutes.iter().enumerate() {
            self.send_gains(s, i, muted);
        }
    }

    fn send_gains(&mut self, s: &Session, i: usize, solo_muted: bool) {
        let id = &s.channels[i].id;
        let Some(pos) = self.position(id) else {
            return;
        };
        let mono = lookup(&self.slots, id).is_some_and(|f| f.channels == 1);
        let g = channel_gains(s, i, mono, solo_muted);
        let pos = pos as u32;
        self.send(Command::Gains {
            pos,
            out: g.out,
            trim: g.insert_trim.unwrap_or(1.0),
        });
        for (k, gain) in g.sends.into_iter().enumerate() {
            self.send(Command::SendGain {
                pos,
                send: k as u32,
                gain,
            });
        }
    }

    /// Sends the settings of every insert of channel `id` (parameters,
    /// bypass, mix; adding, removing or moving inserts is structural).
    fn update_inserts(&mut self, s: &Session, id: &str) {
        let (Some(pos), Some(c)) = (self.position(id), s.channel(id)) else {
            return;
        };
        for (index, insert) in c.inserts.iter().enumerate() {
            self.send(Command::Insert {
                pos: pos as u32,
                index: index as u32,
                effect: insert.effect,
                bypass: insert.bypass,
                tempo_bpm: s.tempo_bpm,
            });
        }
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
        super::frame::read(&self.layout, &self.bank)
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
}

/// The frame at `seconds` (rounded: 20.0 s at 48 kHz is frame 960 000).
pub fn seconds_to_frame(seconds: f64, sample_rate: u32) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * f64::from(sample_rate)).round() as u64
    } else {
        0
    }
}

fn lookup(slots: &[(String, FeedInfo)], id: &str) -> Option<FeedInfo> {
    slots.iter().find(|(t, _)| t == id).map(|(_, f)| *f)
}
