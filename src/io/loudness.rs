//! Loudness after EBU R 128 / ITU-R BS.1770-4, measured with the `ebur128`
//! crate (a port of libebur128): momentary (400 ms), short-term (3 s) and
//! integrated (gated) loudness, loudness range (EBU Tech 3342), true peak
//! (oversampled 4× below 96 kHz, 2× below 192 kHz, i.e. to ≥ 192 kHz; run
//! only where the peak can rise, see `true_peak`) and sample peak. The
//! crate K-weights and measures every 100 ms; the windows and gates are
//! built from those energies with the crate's own arithmetic (`gating`).
//!
//! ```text
//!  interleaved f32 ─► LoudnessMeter::add ─► ebur128: energy of each 100 ms ─► Gating ─► Loudness
//!  audio file ─────► measure_file ────────┘        └► TruePeak, sample peak ───────────┘
//! ```
//! Everything here may allocate: it runs on render threads and the UI, never
//! on the audio thread (live metering reads a master tap instead).

use std::fmt;
use std::path::Path;

use ebur128::{EbuR128, Mode, energy_to_loudness};

use super::decode::{SourceError, SourceReader};
use super::gating::Gating;
use super::true_peak::TruePeak;

/// What a measurement found. `None` stands for −∞ (silence).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Loudness {
    pub integrated_lufs: Option<f64>,
    pub lra_lu: Option<f64>,
    pub max_momentary_lufs: Option<f64>,
    pub max_short_term_lufs: Option<f64>,
    pub true_peak_dbtp: Option<f64>,
    pub sample_peak_dbfs: Option<f64>,
    /// Frames measured, and their rate.
    pub frames: u64,
    pub sample_rate: u32,
}

/// A finite dB value, or `None` for −∞ / NaN.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn amp_db(x: f64) -> Option<f64> {
    if x > 0.0 {
        finite(20.0 * x.log10())
    } else {
        None
    }
}

impl Loudness {
    /// The figures as one JSON object with exactly the documented keys
    /// (`null` for −∞).
    pub fn to_json(&self) -> String {
        let f = |v: Option<f64>| v.map_or("null".to_owned(), |x| format!("{x:.2}"));
        format!(
            "{{\"integrated_lufs\": {}, \"lra_lu\": {}, \"max_momentary_lufs\": {}, \"max_short_term_lufs\": {}, \"true_peak_dbtp\": {}, \"sample_peak_dbfs\": {}}}",
            f(self.integrated_lufs),
            f(self.lra_lu),
            f(self.max_momentary_lufs),
            f(self.max_short_term_lufs),
            f(self.true_peak_dbtp),
            f(self.sample_peak_dbfs),
        )
    }

    /// One line for render reports: "−14.0 LUFS, LRA 5.2 LU, true peak −1.3 dBTP".
    pub fn summary(&self) -> String {
        format!(
            "{} LUFS integrated, LRA {} LU, true peak {} dBTP",
            fmt_db(self.integrated_lufs),
            fmt_db(self.lra_lu),
            fmt_db(self.true_peak_dbtp)
        )
    }
}

/// A dB figure with one decimal, "-inf" for `None`.
pub fn fmt_db(v: Option<f64>) -> String {
    v.map_or("-inf".to_owned(), |x| format!("{x:.1}"))
}

impl fmt::Display for Loudness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "integrated loudness   {:>7} LUFS",
            fmt_db(self.integrated_lufs)
        )?;
        writeln!(f, "loudness range        {:>7} LU", fmt_db(self.lra_lu))?;
        writeln!(
            f,
            "max momentary         {:>7} LUFS",
            fmt_db(self.max_momentary_lufs)
        )?;
        writeln!(
            f,
            "max short-term        {:>7} LUFS",
            fmt_db(self.max_short_term_lufs)
        )?;
        writeln!(
            f,
            "true peak             {:>7} dBTP",
            fmt_db(self.true_peak_dbtp)
        )?;
        write!(
            f,
            "sample peak           {:>7} dBFS",
            fmt_db(self.sample_peak_dbfs)
        )
    }
}

/// Why a measurement failed.
#[derive(Debug)]
pub enum LoudnessError {
    /// The file could not be opened or decoded (names the file).
    Source(SourceError),
    /// The meter refused the stream (e.g. an unsupported rate).
    Meter(String),
}

impl fmt::Display for LoudnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoudnessError::Source(e) => e.fmt(f),
            LoudnessError::Meter(m) => write!(f, "loudness meter: {m}"),
        }
    }
}

impl std::error::Error for LoudnessError {}

impl From<SourceError> for LoudnessError {
    fn from(e: SourceError) -> Self {
        LoudnessError::Source(e)
    }
}

/// Offline loudness of an interleaved stream: everything `Loudness` reports.
/// Momentary and short-term maxima are read every 100 ms once their window
/// is full (a stream shorter than a window reports its one reading at the end).
pub struct LoudnessMeter {
    ebu: EbuR128,
    channels: usize,
    sample_rate: u32,
    /// Frames per 100 ms hop, and frames into the current hop.
    hop: u64,
    in_hop: u64,
    frames: u64,
    max_m: f64,
    max_s: f64,
    /// Momentary and short-term windows, integrated loudness and range,
    /// from ebur128's K-weighted energy of each 100 ms: reading one 100 ms
    /// window per hop instead of 400 ms and 3 s ones keeps them cheap.
    gating: Gating,
    /// True peak, apart from `ebu`: it skips what cannot raise the peak.
    true_peak: Option<TruePeak>,
}

impl LoudnessMeter {
    /// A meter for `channels` (1 or 2) interleaved channels at `sample_rate`.
    pub fn new(channels: usize, sample_rate: u32) -> Result<Self, LoudnessError> {
        Self::with_mode(channels, sample_rate, true)
    }

    /// Like `new`; without `true_peak` the (costlier) oversampling is skipped
    /// and `true_peak_dbtp` stays `None`.
    pub fn with_mode(
        channels: usize,
        sample_rate: u32,
        true_peak: bool,
    ) -> Result<Self, LoudnessError> {
        // No Mode::I or Mode::LRA: the gates run on our 100 ms energies
        // (`gating`); S keeps 3 s of filtered audio for a short stream's
        // one short-term reading.
        let mode = Mode::M | Mode::S | Mode::SAMPLE_PEAK;
        let refused = |e: ebur128::Error| {
            LoudnessError::Meter(format!("{e:?} ({channels} ch, {sample_rate} Hz)"))
        };
        let ebu = EbuR128::new(channels as u32, sample_rate, mode).map_err(refused)?;
        let true_peak = true_peak
            .then(|| TruePeak::new(channels, sample_rate))
            .transpose()
            .map_err(refused)?;
        Ok(LoudnessMeter {
            ebu,
            channels,
            sample_rate,
            // ebur128's own 100 ms, so hops line up with its blocks. (At a
            // rate not divisible by 10 its 100 ms window is one frame
            // shorter than this hop, e.g. 1,102 of 1,103 frames at 11,025 Hz:
            // a difference far below any display.)
            hop: (u64::from(sample_rate) + 5) / 10,
            in_hop: 0,
            frames: 0,
            max_m: f64::NEG_INFINITY,
            max_s: f64::NEG_INFINITY,
            gating: Gating::new(),
            true_peak,
        })
    }

    /// Adds interleaved frames.
    pub fn add(&mut self, mut samples: &[f32]) {
        let ch = self.channels;
        if let Some(tp) = self.true_peak.as_mut() {
            tp.add(samples);
        }
        while samples.len() >= ch {
            let want = (self.hop - self.in_hop) as usize;
            let n = want.min(samples.len() / ch);
            // The meter was built for this layout; it cannot refuse a whole frame.
            let _ = self.ebu.add_frames_f32(&samples[..n * ch]);
            samples = &samples[n * ch..];
            self.in_hop += n as u64;
            self.frames += n as u64;
            if self.in_hop == self.hop {
                self.in_hop = 0;
                self.read_windows(false);
            }
        }
    }

    /// After each 100 ms hop: the maxima of momentary and short-term
    /// loudness from the energies of the last 4 and 30 hops.
    fn read_windows(&mut self, at_end: bool) {
        if at_end {
            // A stream shorter than a window: its one (zero-padded) reading.
            if let Ok(m) = self.ebu.loudness_momentary() {
                self.max_m = self.max_m.max(m);
            }
            if let Ok(st) = self.ebu.loudness_shortterm() {
                self.max_s = self.max_s.max(st);
            }
            return;
        }
        let Ok(l) = self.ebu.loudness_window(100) else {
            return;
        };
        let energy = if l.is_finite() {
            10f64.powf((l + 0.691) / 10.0)
        } else {
            0.0
        };
        let w = self.gating.add_hop(energy);
        if let Some(m) = w.momentary {
            self.max_m = self.max_m.max(energy_to_loudness(m));
        }
        if let Some(st) = w.short_term {
            self.max_s = self.max_s.max(energy_to_loudness(st));
        }
    }

    /// Frames measured so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Integrated loudness so far (`None`: silence, or nothing above the gates).
    pub fn integrated(&self) -> Option<f64> {
        finite(self.gating.integrated())
    }

    /// The figures so far.
    pub fn report(&mut self) -> Loudness {
        let rate = u64::from(self.sample_rate);
        if self.frames > 0 && (self.frames * 10 < rate * 4 || self.frames < rate * 3) {
            self.read_windows(true);
        }
        let peak = |f: &dyn Fn(u32) -> Result<f64, ebur128::Error>| {
            (0..self.channels as u32)
                .filter_map(|c| f(c).ok())
                .fold(0.0f64, f64::max)
        };
        let sp = peak(&|c| self.ebu.sample_peak(c));
        Loudness {
            integrated_lufs: self.integrated(),
            lra_lu: finite(self.gating.range()),
            max_momentary_lufs: finite(self.max_m),
            max_short_term_lufs: finite(self.max_s),
            true_peak_dbtp: self.true_peak.as_ref().and_then(|t| amp_db(t.peak())),
            sample_peak_dbfs: amp_db(sp),
            frames: self.frames,
            sample_rate: self.sample_rate,
        }
    }
}

/// Samples handed to the meter thread at a time: about 0.7 s of stereo at
/// 48 kHz. Waking the thread for every 4096-frame block cost more than a
/// percent of a render in futex wake-ups alone.
const BATCH_SAMPLES: usize = 65_536;

/// Batches a `MeterThread` may fall behind before `add` waits (~45 s at
/// 48 kHz).
const BACKLOG_BATCHES: usize = 64;

/// A `LoudnessMeter` on a thread of its own, at a lower priority than the
/// render, so it uses the time the render leaves: blocks are gathered into
/// recycled buffers and handed over a bounded channel.
pub struct MeterThread {
    tx: Option<std::sync::mpsc::SyncSender<Vec<f32>>>,
    spare: std::sync::mpsc::Receiver<Vec<f32>>,
    /// Samples gathered for the next hand-over.
    batch: Vec<f32>,
    handle: Option<std::thread::JoinHandle<Loudness>>,
}

impl MeterThread {
    pub fn start(channels: usize, sample_rate: u32) -> Result<Self, LoudnessError> {
        let mut meter = LoudnessMeter::new(channels, sample_rate)?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<f32>>(BACKLOG_BATCHES);
        let (back, spare) = std::sync::mpsc::sync_channel::<Vec<f32>>(BACKLOG_BATCHES);
        let handle = std::thread::Builder::new()
            .name("auxbus-loudness".into())
            .spawn(move || {
                // Below the render in priority: the meter takes the time the
                // engine and the decoders leave, and catches up at the end.
                // SAFETY: plain system calls on this thread's own id.
                unsafe {
                    let tid = libc::gettid();
                    libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
                }
                for block in rx {
                    meter.add(&block);
                    let _ = back.try_send(block);
                }
                meter.report()
            })
            .map_err(|e| LoudnessError::Meter(format!("cannot start a thread: {e}")))?;
        Ok(MeterThread {
            tx: Some(tx),
            spare,
            batch: Vec::with_capacity(BATCH_SAMPLES + 8192),
            handle: Some(handle),
        })
    }

    /// Hands over interleaved frames (waits only when the meter is far behind).
    pub fn add(&mut self, samples: &[f32]) {
        self.batch.extend_from_slice(samples);
        if self.batch.len() >= BATCH_SAMPLES {
            self.send();
        }
    }

    fn send(&mut self) {
        let mut next = self.spare.try_recv().unwrap_or_default();
        next.clear();
        let full = std::mem::replace(&mut self.batch, next);
        if let Some(tx) = &self.tx
            && !full.is_empty()
        {
            let _ = tx.send(full);
        }
    }

    /// Waits for the meter to catch up and returns what it measured.
    pub fn finish(mut self) -> Loudness {
        self.send();
        self.tx.take();
        self.handle
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for MeterThread {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Measures an audio file (anything the mixer decodes) at its own rate.
pub fn measure_file(path: &Path) -> Result<Loudness, LoudnessError> {
    // Open once to learn the file's rate, then read it at that rate.
    let probe = SourceReader::open(path, 48_000)?;
    let rate = probe.info().source_rate;
    let mut reader = if rate == 48_000 {
        probe
    } else {
        drop(probe);
        SourceReader::open(path, rate)?
    };
    let channels = reader.info().channels;
    let mut meter = LoudnessMeter::new(channels, rate)?;
    let mut buf = vec![0f32; 8192 * channels];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        meter.add(&buf[..n * channels]);
    }
    Ok(meter.report())
}
