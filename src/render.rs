//! Offline render ("bounce"): the very same `Engine::process` as live
//! playback, driven in a loop with no device, so what you bounce is what you
//! hear. Only the driver waits for the disk threads; the engine never does.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::engine::{Engine, Feed, Meters};
use crate::graph;
use crate::io::decode::{DiskStreams, OpenedTracks, SourceError, open_tracks_measured};
use crate::io::loudness::Loudness;
use crate::io::write::WriteError;
use crate::session::{self, Session, SessionError};

/// The longest effect tail a render lets ring past the end of the sources;
/// a longer one (endless feedback) is cut here and the report says so.
pub const MAX_TAIL_SECONDS: f32 = 60.0;

pub type Result<T> = std::result::Result<T, RenderError>;

#[derive(Debug)]
pub enum RenderError {
    Session(SessionError),
    Source(SourceError),
    /// A source failed part-way through decoding (message names the file).
    Decode(String),
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The output file could not be created or written (names it).
    Write(WriteError),
    Options(String),
    /// The caller stopped the render (nothing was left behind).
    Cancelled,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Session(e) => e.fmt(f),
            RenderError::Source(e) => e.fmt(f),
            RenderError::Decode(msg) => write!(f, "{msg}"),
            RenderError::Output { path, source } => {
                write!(f, "{}: cannot write: {source}", path.display())
            }
            RenderError::Write(e) => e.fmt(f),
            RenderError::Options(msg) => write!(f, "{msg}"),
            RenderError::Cancelled => write!(f, "render cancelled"),
        }
    }
}

impl std::error::Error for RenderError {}

impl From<SessionError> for RenderError {
    fn from(e: SessionError) -> Self {
        RenderError::Session(e)
    }
}

impl From<WriteError> for RenderError {
    fn from(e: WriteError) -> Self {
        RenderError::Write(e)
    }
}

impl From<SourceError> for RenderError {
    fn from(e: SourceError) -> Self {
        RenderError::Source(e)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Seconds into the session where the render starts.
    pub start: f64,
    /// Seconds to render; `None` = to the end of the longest source.
    pub duration: Option<f64>,
    /// Also hand the sink the stems: every channel that feeds the master,
    /// where it enters it.
    pub stems: bool,
    /// Work out where each channel's sound arrives (`meters.reach` and
    /// `meters.sends` of the report, what `explain` prints). A bounce that
    /// only writes audio turns it off and runs faster; the audio and every
    /// other meter are the same.
    pub ledger: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            start: 0.0,
            duration: None,
            stems: false,
            ledger: true,
        }
    }
}

/// Where a render's audio goes, block by block. Any
/// `FnMut(&[f32]) -> io::Result<()>` is a sink of the master alone.
pub trait RenderSink {
    /// Before the first block: the ids of the stem channels (empty unless
    /// asked for) and the frames to come, when known.
    fn begin(&mut self, _stems: &[String], _total: Option<u64>) -> std::io::Result<()> {
        Ok(())
    }
    /// The master, interleaved stereo.
    fn mix(&mut self, block: &[f32]) -> std::io::Result<()>;
    /// The stems of the same block: stem k's interleaved stereo at
    /// `stems[k * 2 * frames..(k + 1) * 2 * frames]`.
    fn stems(&mut self, _stems: &[f32], _frames: usize) -> std::io::Result<()> {
        Ok(())
    }
    /// Frames done so far; `false` stops the render (`RenderError::Cancelled`).
    fn progress(&mut self, _done: u64) -> bool {
        true
    }
}

impl<F: FnMut(&[f32]) -> std::io::Result<()>> RenderSink for F {
    fn mix(&mut self, block: &[f32]) -> std::io::Result<()> {
        self(block)
    }
}

#[derive(Debug, Clone)]
pub struct RenderReport {
    pub frames: u64,
    pub sample_rate: u32,
    /// Samples clipped by integer output.
    pub clipped: u64,
    /// Effects that produced a non-finite sample and were reset (channel
    /// id, insert number from 1, times); their output was silenced.
    pub effect_resets: Vec<(String, usize, u32)>,
    /// Levels over the whole render, per channel in plan order.
    pub meters: Meters,
    /// Channel ids in the same order as `meters.channels`.
    pub channel_ids: Vec<String>,
    /// (channel id, aux id) of each send, in the order of `meters.sends`.
    pub send_ids: Vec<(String, String)>,
    /// Sources that hold less than their header says: what is missing.
    pub warnings: Vec<String>,
    pub elapsed: Duration,
    /// The master's loudness, for renders written to a file.
    pub loudness: Option<Loudness>,
    /// Seconds of effect tail that were cut at `MAX_TAIL_SECONDS`
    /// (the tail the effects would have rung for).
    pub tail_cut: Option<f32>,
    /// Ids of the stem channels, when stems were asked for.
    pub stems: Vec<String>,
}

/// Renders the session at `session_path`, handing interleaved stereo blocks
/// to `sink`.
pub fn render(
    session_path: &Path,
    opts: &RenderOptions,
    sink: &mut dyn RenderSink,
) -> Result<RenderReport> {
    let s = session::load(session_path)?;
    render_session(&s, session_path, opts, sink)
}

/// Like `render`, for a session already in memory (`session_path` anchors
/// relative source paths).
pub fn render_session(
    s: &Session,
    session_path: &Path,
    opts: &RenderOptions,
    sink: &mut dyn RenderSink,
) -> Result<RenderReport> {
    let started = Instant::now();
    check_options(opts)?;
    let start_frame = (opts.start * f64::from(s.sample_rate)).round() as u64;
    let mut sources = open_tracks_measured(s, session_path, start_frame);
    // A bounce must not silently drop a track: the first bad file is an error.
    if !sources.errors.is_empty() {
        return Err(RenderError::Source(sources.errors.swap_remove(0).1));
    }
    run(s, sources, opts, started, sink)
}

/// A render made to measure the session (see `measure_session`).
#[derive(Debug, Clone)]
pub struct Measured {
    pub report: RenderReport,
    /// Tracks whose source could not be opened (played as silence), with
    /// the reason.
    pub offline: Vec<(String, String)>,
    /// Tracks whose source is mono.
    pub mono: Vec<String>,
}

/// Renders `s` to nowhere to measure it, playing tracks whose source cannot
/// be opened as silence (as the console does) instead of failing. For
/// `auxbus explain`: the report's meters say where each channel's sound
/// arrived over the whole session.
pub fn measure_session(s: &Session, session_path: &Path, opts: &RenderOptions) -> Result<Measured> {
    let started = Instant::now();
    check_options(opts)?;
    let start_frame = (opts.start * f64::from(s.sample_rate)).round() as u64;
    let mut sources = open_tracks_measured(s, session_path, start_frame);
    let offline = std::mem::take(&mut sources.errors)
        .into_iter()
        .map(|(id, e)| (id, e.to_string()))
        .collect();
    let mono = sources
        .slots
        .iter()
        .filter(|(_, f)| f.channels == 1)
        .map(|(id, _)| id.clone())
        .collect();
    let report = run(s, sources, opts, started, &mut |_: &[f32]| Ok(()))?;
    Ok(Measured {
        report,
        offline,
        mono,
    })
}

fn check_options(opts: &RenderOptions) -> Result<()> {
    if !(opts.start.is_finite() && opts.start >= 0.0) {
        return Err(RenderError::Options(format!(
            "--start {} must be 0 or more seconds",
            opts.start
        )));
    }
    if let Some(d) = opts.duration
        && !(d.is_finite() && d > 0.0)
    {
        return Err(RenderError::Options(format!(
            "--duration {d} must be more than 0 seconds"
        )));
    }
    Ok(())
}

/// The render itself, from sources already opened.
fn run(
    s: &Session,
    mut sources: OpenedTracks,
    opts: &RenderOptions,
    started: Instant,
    sink: &mut dyn RenderSink,
) -> Result<RenderReport> {
    let rate = s.sample_rate;
    let start_frame = (opts.start * f64::from(rate)).round() as u64;
    let mut plan = graph::compile(s, &|id| sources.slot(id))?;
    let stem_ids: Vec<String> = if opts.stems {
        let positions = plan.enable_stems();
        positions
            .iter()
            .map(|&p| plan.channels[p].id.clone())
            .collect()
    } else {
        Vec::new()
    };
    // Length: what was asked, else to the end of the longest source plus
    // the effect tails (reverb decay, delay repeats; at most
    // MAX_TAIL_SECONDS), else until every source ends, plus the tails. The
    // graph's latency is rendered first and dropped, so the bounce starts
    // at time zero and ends in full.
    let tail_cut = (plan.tail_seconds > MAX_TAIL_SECONDS).then_some(plan.tail_seconds);
    let tail_seconds = plan.tail_seconds.min(MAX_TAIL_SECONDS);
    let tail = (f64::from(tail_seconds) * f64::from(rate)).ceil() as u64;
    let latency = u64::from(plan.latency.output);
    let mut total: Option<u64> = match opts.duration {
        Some(d) => Some((d * f64::from(rate)).round() as u64),
        None => sources
            .longest
            .map(|l| l.saturating_sub(start_frame) + tail),
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (streams, ring_feeds) = DiskStreams::start(sources.readers, 32 * 1024, threads)
        .map_err(|e| RenderError::Decode(format!("cannot start the disk threads: {e}")))?;
    let feeds: Vec<Option<Box<dyn Feed>>> = ring_feeds
        .into_iter()
        .map(|f| Some(Box::new(f) as Box<dyn Feed>))
        .collect();
    let mut engine = Engine::new(plan, feeds, 2);
    engine.set_ledger(opts.ledger);
    crate::dsp::enable_flush_to_zero();

    const CHUNK: usize = 4096;
    let mut buf = vec![0f32; CHUNK * 2];
    let mut early = latency;
    while early > 0 {
        let n = early.min(CHUNK as u64) as usize;
        wait_for_feeds(&engine, &streams, n)?;
        engine.process(&mut buf[..n * 2]);
        early -= n as u64;
    }
    let mut stem_buf = vec![0f32; CHUNK * 2 * stem_ids.len()];
    let output_err = |e| RenderError::Output {
        path: PathBuf::from("output"),
        source: e,
    };
    sink.begin(&stem_ids, total).map_err(output_err)?;
    let mut done = 0u64;
    loop {
        let n = match total {
            Some(t) if done >= t => break,
            Some(t) => (t - done).min(CHUNK as u64) as usize,
            None if engine.feeds_finished() => {
                total = Some(done + latency + tail);
                continue;
            }
            None => CHUNK,
        };
        wait_for_feeds(&engine, &streams, n)?;
        if stem_ids.is_empty() {
            engine.process(&mut buf[..n * 2]);
        } else {
            let stems = &mut stem_buf[..n * 2 * stem_ids.len()];
            engine.process_with_stems(&mut buf[..n * 2], stems);
            sink.stems(stems, n).map_err(output_err)?;
        }
        sink.mix(&buf[..n * 2]).map_err(output_err)?;
        done += n as u64;
        if !sink.progress(done) {
            return Err(RenderError::Cancelled);
        }
    }
    if let Some(e) = streams.error() {
        return Err(RenderError::Decode(e));
    }
    let effect_resets = engine.take_insert_resets();
    let warnings = std::mem::take(&mut sources.warnings);
    Ok(RenderReport {
        frames: done,
        sample_rate: rate,
        clipped: 0,
        effect_resets,
        meters: engine.meters().clone(),
        channel_ids: engine
            .plan()
            .channels
            .iter()
            .map(|c| c.id.clone())
            .collect(),
        send_ids: engine.plan().layout().sends,
        warnings,
        elapsed: started.elapsed(),
        loudness: None,
        tail_cut,
        stems: stem_ids,
    })
}

/// Waits until every feed can deliver `frames` frames. Fails on a decoding
/// error, or when the disk threads make no progress for a long time.
fn wait_for_feeds(engine: &Engine, streams: &DiskStreams, frames: usize) -> Result<()> {
    let since = Instant::now();
    let mut spins = 0u32;
    while !engine.feeds_ready(frames) {
        if let Some(e) = streams.error() {
            return Err(RenderError::Decode(e));
        }
        streams.wake();
        spins += 1;
        if spins < 64 {
            std::thread::yield_now();
        } else {
            std::thread::sleep(Duration::from_micros(200));
        }
        if since.elapsed() > Duration::from_secs(60) {
            return Err(RenderError::Decode(
                "the decoders stopped delivering audio (stalled for 60 s)".into(),
            ));
        }
    }
    streams.wake();
    Ok(())
}

// Writing renders to files (mix, stems, loudness, normalising) lives in
// the export module, over `render_session` and a `RenderSink`.

/// Renders into memory (interleaved stereo). For tests and short sessions.
pub fn render_to_vec(
    session_path: &Path,
    opts: &RenderOptions,
) -> Result<(Vec<f32>, RenderReport)> {
    let mut out = Vec::new();
    let report = render(session_path, opts, &mut |block: &[f32]| {
        out.extend_from_slice(block);
        Ok(())
    })?;
    Ok((out, report))
}
