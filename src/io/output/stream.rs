//! [`Output`], the owner of one audio output: opens a cpal stream, drives a
//! [`Renderer`] from its callback, reports health, and rebuilds the stream
//! when it dies (the left column of the picture in `io::output`).
//!
//! Threads: `Output` is created, polled and dropped by one owner thread (it
//! is `Send` — cpal 0.18 asserts `Stream: Send` for every host — but not
//! meant to be shared). The renderer lives on cpal's audio thread while a
//! stream plays; the owner touches it (`configure`, `close`) only after
//! taking it out of the cell, so a stale stream finds an empty cell and
//! plays silence. Nothing is logged from the audio thread; the owner logs
//! state changes to stderr, a repeated message at most every 10 s.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{BufferSize, ErrorKind, StreamConfig};

use super::callback::{Stats, build};
use super::cell::RendererCell;
use super::device::{FORMATS, device_label, pick_device, pick_format, pick_host};
use super::error::{OutputError, Result, one_line};
use super::list::QuietAlsa;
use super::renderer::Renderer;

/// What to open. Names match case-insensitively; `device` is a substring of a
/// device's id (`pulseaudio:auxnull`) or description (`Null Output`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputConfig {
    pub host: Option<String>,
    pub device: Option<String>,
    pub sample_rate: Option<u32>,
    pub buffer_frames: u32,
    pub channels: Option<u16>,
    /// Report device changes (lost, rebuilt) on stderr, rate-limited. Off
    /// for callers that report `status()` themselves.
    pub log_to_stderr: bool,
    /// Ask for real-time scheduling of the callback thread (see
    /// `status().priority` for what the system granted).
    pub realtime: bool,
    /// When the stream keeps dropping out (`DROPOUTS_TO_RAISE` within
    /// `RAISE_WINDOW`), rebuild it with twice the buffer, up to
    /// `MAX_RAISED_FRAMES` — as a sound server raises its own watermark.
    /// `status().buffer_frames` shows the size in use.
    pub raise_on_dropouts: bool,
}

/// Dropouts within `RAISE_WINDOW` that make a stream with
/// `raise_on_dropouts` double its buffer.
pub const DROPOUTS_TO_RAISE: u64 = 4;
const RAISE_WINDOW: Duration = Duration::from_secs(2);
/// The largest buffer `raise_on_dropouts` goes to (43 ms at 48 kHz).
pub const MAX_RAISED_FRAMES: u32 = 2048;

impl Default for OutputConfig {
    fn default() -> Self {
        Self {
            host: None,
            device: None,
            sample_rate: None,
            buffer_frames: 256,
            channels: None,
            log_to_stderr: true,
            realtime: true,
            raise_on_dropouts: false,
        }
    }
}

/// A snapshot of the output's health, for the UI / CLI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamStatus {
    pub host: String,
    pub device: String,
    pub sample_rate: u32,
    pub channels: u16,
    /// Frames per callback as negotiated, if the host reports it.
    pub buffer_frames: Option<u32>,
    pub ok: bool,
    pub last_error: Option<String>,
    /// Cumulative over rebuilds, like `errors` and `callbacks`.
    pub xruns: u64,
    pub errors: u64,
    pub callbacks: u64,
    /// Time in `render` / buffer period: max over the last 1–2 s.
    pub load: f32,
    /// Time in `render` / time played, over the last second: the DSP load
    /// (what DAWs show; late callbacks count as xruns or dropouts instead).
    pub dsp_load: f32,
    /// Times the device played silence because audio came late, found from
    /// the stream's timestamps (counted even where the host reports no
    /// xrun, as PulseAudio never does), and the frames of silence.
    pub dropouts: u64,
    pub dropout_frames: u64,
    /// Scheduling of the callback thread: "real-time (SCHED_FIFO 10)" or
    /// why it runs at normal priority.
    pub priority: String,
    /// Streams built after the first one.
    /// The stream is paused while nothing plays (see `Output::set_idle`).
    pub idle: bool,
    pub rebuilds: u64,
}

const RETRY: Duration = Duration::from_millis(500);
const STALL: Duration = Duration::from_secs(4);
const LOG_EVERY: Duration = Duration::from_secs(10);

/// An open (or retrying) audio output driving a renderer. See module docs for threads.
pub struct Output<R: Renderer> {
    // Field order matters: the stream (and its callback threads) goes first.
    stream: Option<cpal::Stream>,
    cell: RendererCell<R>,
    config: OutputConfig,
    stats: Arc<Stats>,
    status: StreamStatus,
    /// (rate, channels) last passed to `configure`.
    format: Option<(u32, usize)>,
    base: (u64, u64, u64),     // callbacks, xruns, errors of dropped streams
    base_dropouts: (u64, u64), // dropouts, frames of dropped streams
    /// When the last (re)open was tried, and how long to wait after it.
    last_attempt: Option<(Instant, Duration)>,
    last_progress: (u64, Instant),
    last_log: Option<(String, Instant)>,
    builds: u64,
    last_host: Option<cpal::HostId>,
    /// Dropouts counted when the current `RAISE_WINDOW` began, and when.
    raise_window: (u64, Instant),
    /// The stream is paused because nothing plays (see `set_idle`).
    paused: bool,
}

impl<R: Renderer> Output<R> {
    /// Open the configured device and start playing `renderer`. Fails fast
    /// (no retry) — the renderer is dropped on failure.
    pub fn open(config: OutputConfig, renderer: R) -> Result<Self> {
        let mut out = Self::idle(config, renderer);
        out.start()?;
        Ok(out)
    }

    /// Like [`open`](Self::open) but never fails: without a device, `status().ok`
    /// is false and [`poll`](Self::poll) keeps retrying every 500 ms.
    pub fn open_retrying(config: OutputConfig, renderer: R) -> Self {
        let mut out = Self::idle(config, renderer);
        if let Err(e) = out.start() {
            out.fail(e.to_string());
        }
        out
    }

    fn idle(config: OutputConfig, renderer: R) -> Self {
        let now = Instant::now();
        Self {
            stream: None,
            cell: RendererCell::new(renderer),
            config,
            stats: Arc::new(Stats::default()),
            status: StreamStatus::default(),
            format: None,
            base: (0, 0, 0),
            base_dropouts: (0, 0),
            last_attempt: Some((now, RETRY)),
            last_progress: (0, now),
            last_log: None,
            builds: 0,
            last_host: None,
            raise_window: (0, now),
            paused: false,
        }
    }

    /// Pauses the stream while nothing plays, so a stopped console costs
    /// no callbacks; `false` resumes it. A host that cannot pause keeps
    /// running (and is asked again next time).
    pub fn set_idle(&mut self, idle: bool) {
        if idle == self.paused {
            return;
        }
        let Some(stream) = self.stream.as_ref() else {
            return;
        };
        if !idle {
            self.stats.resumed.store(true, Relaxed);
        }
        let done = if idle { stream.pause() } else { stream.play() };
        if done.is_ok() {
            self.paused = idle;
            // The stall watch starts again from here.
            self.last_progress = (self.stats.callbacks.load(Relaxed), Instant::now());
        }
    }

    /// Whether the stream is paused for being idle.
    pub fn is_idle(&self) -> bool {
        self.paused
    }

    /// Current health; cheap (atomics only).
    pub fn status(&self) -> StreamStatus {
        // `stats` belongs to the live stream (fresh zeros when there is none).
        let s = &self.stats;
        let mut st = self.status.clone();
        st.callbacks = self.base.0 + s.callbacks.load(Relaxed);
        st.xruns = self.base.1 + s.xruns.load(Relaxed);
        st.errors = self.base.2 + s.errors.load(Relaxed);
        st.load = f32::from_bits(s.load_bits.load(Relaxed));
        st.dsp_load = f32::from_bits(s.average_load_bits.load(Relaxed));
        st.dropouts = self.base_dropouts.0 + s.dropouts.load(Relaxed);
        st.dropout_frames = self.base_dropouts.1 + s.dropout_frames.load(Relaxed);
        st.priority = super::priority::describe(s.priority.load(Relaxed));
        st.rebuilds = self.builds.saturating_sub(1);
        st.idle = self.paused;
        st
    }

    /// Call every ~500 ms from the owner thread: rebuilds the stream if it
    /// errored or stalled (no callback for 4 s), retries a missing device at
    /// most every 500 ms. Keeps the same renderer.
    pub fn poll(&mut self) {
        let now = Instant::now();
        if self.stream.is_some() {
            let cb = self.stats.callbacks.load(Relaxed);
            if cb != self.last_progress.0 || self.paused {
                self.last_progress = (cb, now);
            }
            let failed = self.stats.failed.load(Relaxed);
            if !failed && self.should_raise(now) {
                self.raise_buffer(now);
                return;
            }
            if !failed && now.duration_since(self.last_progress.1) < STALL {
                return;
            }
            let first = self
                .stats
                .first_error
                .lock()
                .ok()
                .and_then(|mut e| e.take());
            let msg = match (failed, first) {
                (true, Some(e)) => format!("audio stream failed: {}", one_line(&e.to_string())),
                (true, None) => "audio stream failed".to_string(),
                (false, _) => format!(
                    "audio stream stalled (no callback for {}s)",
                    STALL.as_secs()
                ),
            };
            // Drop on a helper thread: with a hung server, cpal's drop blocks
            // until the server answers. The renderer moves to a fresh cell.
            if let Some(stream) = self.stream.take() {
                let _ = std::thread::Builder::new()
                    .name("auxbus-stream-drop".into())
                    .spawn(move || drop(stream));
            }
            self.stop_stream();
            self.fail(msg);
            self.last_attempt = None; // retry at once
        }
        if self
            .last_attempt
            .is_some_and(|(t, gap)| now.duration_since(t) < gap)
        {
            return;
        }
        let result = self.start();
        // Retry at most every 500 ms, and back off if attempts block for long
        // (a hung server makes cpal wait up to 2 s per attempt).
        self.last_attempt = Some((now, RETRY.max(now.elapsed() * 4)));
        match result {
            Ok(()) => self.log(format!(
                "audio output running on {} \"{}\"",
                self.status.host, self.status.device
            )),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Whether the stream has dropped out often enough lately to be rebuilt
    /// with a bigger buffer (only with `raise_on_dropouts`).
    fn should_raise(&mut self, now: Instant) -> bool {
        let dropouts = self.stats.dropouts.load(Relaxed);
        if now.duration_since(self.raise_window.1) > RAISE_WINDOW || dropouts < self.raise_window.0
        {
            self.raise_window = (dropouts, now);
        }
        let raise = self.config.raise_on_dropouts
            && self.config.buffer_frames < MAX_RAISED_FRAMES
            && dropouts - self.raise_window.0 >= DROPOUTS_TO_RAISE;
        if raise {
            self.raise_window = (0, now);
        }
        raise
    }

    /// Rebuilds the (healthy but dropping out) stream with twice the buffer.
    fn raise_buffer(&mut self, now: Instant) {
        let frames = (self.config.buffer_frames * 2).min(MAX_RAISED_FRAMES);
        self.log(format!(
            "audio dropouts at {} frames: rebuilding the stream with {frames}",
            self.config.buffer_frames
        ));
        self.config.buffer_frames = frames;
        self.stop_stream();
        if let Err(e) = self.start() {
            self.fail(e.to_string());
            self.last_attempt = Some((now, RETRY));
        }
    }

    /// Stop the stream and hand the renderer back.
    pub fn close(mut self) -> Option<R> {
        self.stop_stream();
        self.cell.take()
    }

    fn fail(&mut self, msg: String) {
        self.status.ok = false;
        self.log(msg.clone());
        self.status.last_error = Some(msg);
    }

    /// Rate-limited stderr log on the owner thread: new messages at once,
    /// a repeated one at most every 10 s.
    fn log(&mut self, msg: String) {
        let now = Instant::now();
        let due = match &self.last_log {
            Some((m, t)) => *m != msg || now.duration_since(*t) >= LOG_EVERY,
            None => true,
        };
        if due && self.config.log_to_stderr {
            eprintln!("auxbus: {msg}");
            self.last_log = Some((msg, now));
        }
    }

    /// Drop the stream (if still here) and bank its counters.
    fn stop_stream(&mut self) {
        drop(self.stream.take()); // joins cpal's threads: no callback after this
        let s = std::mem::take(&mut self.stats);
        self.base.0 += s.callbacks.load(Relaxed);
        self.base.1 += s.xruns.load(Relaxed);
        self.base.2 += s.errors.load(Relaxed);
        self.base_dropouts.0 += s.dropouts.load(Relaxed);
        self.base_dropouts.1 += s.dropout_frames.load(Relaxed);
    }

    /// Choose host, device and format, configure the renderer, build and play.
    fn start(&mut self) -> Result<()> {
        let _quiet = QuietAlsa::new();
        let host = pick_host(self.config.host.as_deref(), self.last_host)?;
        let hname = host.id().name().to_string();
        self.status.host = hname.clone();
        let device = pick_device(&host, self.config.device.as_deref())?;
        let dname = device_label(&device);
        self.status.device = dname.clone();
        let no_dev = |e: cpal::Error| OutputError::NoDevice {
            host: hname.clone(),
            reason: format!("device \"{dname}\": {}", one_line(&e.to_string())),
        };
        let def = device.default_output_config().map_err(no_dev)?;
        let rate = self.config.sample_rate.unwrap_or(def.sample_rate());
        let wanted = self.config.channels.unwrap_or(def.channels()).max(2);
        // A device with fewer outputs than asked for (a stereo card, a
        // session with a cue mix on 3–4) still plays the master on 1–2; the
        // monitor's "listen to" brings the cue mix there.
        let channels = if pick_format(&device, wanted, rate).is_some() {
            wanted
        } else {
            def.channels().max(2)
        };
        let format = pick_format(&device, channels, rate)
            .or(Some(def.sample_format()).filter(|f| FORMATS.contains(f)))
            .ok_or_else(|| OutputError::Stream {
                host: hname.clone(),
                device: dname.clone(),
                reason: format!("no usable sample format at {rate} Hz with {channels} channels"),
            })?;

        // Each stream gets a fresh cell: a detached old stream that still
        // calls back finds its cell empty and plays silence.
        let mut r = self.cell.take().ok_or(OutputError::RendererBusy)?;
        if self.format != Some((rate, channels as usize)) {
            r.configure(rate, channels as usize);
            self.format = Some((rate, channels as usize));
        }
        self.cell = RendererCell::new(r);

        let stats = Arc::new(Stats::default());
        let frames = self.config.buffer_frames.max(1);
        let mut sc = StreamConfig {
            channels,
            sample_rate: rate,
            buffer_size: BufferSize::Fixed(frames),
        };
        let rt = self.config.realtime;
        let open = |sc| {
            build(
                &device,
                sc,
                format,
                self.cell.audio_side(),
                &stats,
                frames,
                rt,
            )
        };
        let mut built = open(sc);
        if let Err(e) = &built
            && matches!(
                e.kind(),
                ErrorKind::UnsupportedConfig | ErrorKind::InvalidInput
            )
        {
            sc.buffer_size = BufferSize::Default; // the device refused our size
            built = open(sc);
        }
        let stream_err = |e: cpal::Error| match e.kind() {
            ErrorKind::DeviceNotAvailable | ErrorKind::HostUnavailable => no_dev(e),
            _ => OutputError::Stream {
                host: hname.clone(),
                device: dname.clone(),
                reason: one_line(&e.to_string()),
            },
        };
        let stream = built.map_err(stream_err)?;
        stream.play().map_err(stream_err)?;

        self.status.buffer_frames = stream.buffer_size().ok();
        self.status.sample_rate = rate;
        self.status.channels = channels;
        self.status.ok = true;
        self.status.last_error = None;
        self.stats = stats;
        self.stream = Some(stream);
        self.paused = false;
        self.last_progress = (0, Instant::now());
        self.builds += 1;
        self.last_host = Some(host.id());
        Ok(())
    }
}
