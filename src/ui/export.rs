//! File › Export: the form, and the export job that runs on a thread of
//! its own over a snapshot of the session, so playback and editing go on.
//! Progress and cancel cross over atomics; the outcome over a channel.
//!
//! ```text
//!  export_ui (form) ─StartExport(ExportRequest)─► ExportState::start ─► thread: export::export
//!        ▲                                              │ progress (atomics), cancel (flag)
//!        └──── ExportState::poll ◄── outcome (mpsc) ────┘
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use crate::export::{self, ExportOptions, ExportReport, Progress};
use crate::io::write::{Container, SampleFormat};
use crate::session::Session;

/// What part of the session to export.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExportRange {
    /// From the start to the end of the longest source plus the effect tails.
    Whole,
    /// The transport's loop range.
    Loop,
    /// From / to, seconds.
    Custom(f64, f64),
}

/// The export dialog's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportForm {
    pub mix: bool,
    pub mix_path: String,
    pub stems: bool,
    pub stems_dir: String,
    pub container: Container,
    pub format: SampleFormat,
    pub range: ExportRange,
    pub normalize: bool,
    pub target_lufs: f64,
    pub ceiling_dbtp: f64,
}

impl ExportForm {
    /// Defaults next to the session: `NAME-mix.wav` and a `NAME-stems` folder.
    pub fn beside(anchor: &std::path::Path) -> Self {
        let stem = anchor
            .file_stem()
            .map_or("mix".to_owned(), |s| s.to_string_lossy().into_owned());
        let dir = anchor
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        ExportForm {
            mix: true,
            mix_path: dir.join(format!("{stem}-mix.wav")).display().to_string(),
            stems: false,
            stems_dir: dir.join(format!("{stem}-stems")).display().to_string(),
            container: Container::Wav,
            format: SampleFormat::S24,
            range: ExportRange::Whole,
            normalize: false,
            target_lufs: -14.0,
            ceiling_dbtp: export::DEFAULT_CEILING_DBTP,
        }
    }

    /// The mix path with the extension of the chosen container.
    pub fn mix_file(&self) -> PathBuf {
        PathBuf::from(self.mix_path.trim()).with_extension(self.container.extension())
    }

    /// Export options for this form, or what is wrong with it.
    pub fn options(&self, loop_range: Option<(f64, f64)>) -> Result<ExportOptions, String> {
        if !self.mix && !self.stems {
            return Err("choose the mix, the stems, or both".into());
        }
        let (start, duration) = match self.range {
            ExportRange::Whole => (0.0, None),
            ExportRange::Loop => match loop_range {
                Some((a, b)) if b > a => (a, Some(b - a)),
                _ => {
                    return Err(
                        "no loop range is set: turn Loop on, or choose another range".into(),
                    );
                }
            },
            ExportRange::Custom(a, b) if a >= 0.0 && b > a => (a, Some(b - a)),
            ExportRange::Custom(..) => return Err("\"to\" must come after \"from\"".into()),
        };
        if self.container == Container::Flac && self.format == SampleFormat::F32 {
            return Err("FLAC holds 16 or 24 bit: choose one of those".into());
        }
        Ok(ExportOptions {
            start,
            duration,
            mix: self.mix.then(|| self.mix_file()),
            stems_dir: self.stems.then(|| PathBuf::from(self.stems_dir.trim())),
            stems_container: self.container,
            format: Some(self.format),
            normalize_lufs: self.normalize.then_some(self.target_lufs),
            ceiling_dbtp: self.ceiling_dbtp,
        })
    }
}

/// Everything needed to start an export: a snapshot of the session.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub session: Session,
    pub anchor: PathBuf,
    pub options: ExportOptions,
}

/// How a finished export went.
#[derive(Debug, Clone)]
pub enum ExportOutcome {
    Done(Box<ExportReport>),
    Cancelled,
    Failed(String),
}

/// Shared between the job and the UI.
#[derive(Debug, Default)]
struct Shared {
    /// Fraction done (f32 bits).
    fraction: AtomicU32,
    cancel: AtomicBool,
}

/// An export running on its own thread.
pub struct ExportJob {
    shared: Arc<Shared>,
    done: mpsc::Receiver<ExportOutcome>,
    started: Instant,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ExportJob {
    pub fn start(req: ExportRequest) -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let (tx, done) = mpsc::channel();
        let job_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("auxbus-export".into())
            .spawn(move || {
                let normalizing = req.options.normalize_lufs.is_some();
                let mut progress = |p: Progress| {
                    let f = p.fraction(normalizing);
                    job_shared.fraction.store(f.to_bits(), Ordering::Relaxed);
                    !job_shared.cancel.load(Ordering::Relaxed)
                };
                let outcome =
                    match export::export(&req.session, &req.anchor, &req.options, &mut progress) {
                        Ok(r) => ExportOutcome::Done(Box::new(r)),
                        Err(e) if e.is_cancelled() => ExportOutcome::Cancelled,
                        Err(e) => ExportOutcome::Failed(e.to_string()),
                    };
                let _ = tx.send(outcome);
            })?;
        Ok(ExportJob {
            shared,
            done,
            started: Instant::now(),
            thread: Some(thread),
        })
    }

    /// 0…1.
    pub fn fraction(&self) -> f32 {
        f32::from_bits(self.shared.fraction.load(Ordering::Relaxed))
    }

    /// Seconds left, estimated from the wall clock so far.
    pub fn seconds_left(&self) -> Option<f64> {
        let f = f64::from(self.fraction());
        (f > 0.01).then(|| self.started.elapsed().as_secs_f64() * (1.0 - f) / f)
    }

    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelling(&self) -> bool {
        self.shared.cancel.load(Ordering::Relaxed)
    }

    fn poll(&mut self) -> Option<ExportOutcome> {
        let outcome = self.done.try_recv().ok()?;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        Some(outcome)
    }
}

impl Drop for ExportJob {
    /// Closing the console mid-export cancels it (nothing is left behind).
    fn drop(&mut self) {
        self.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The export page's own state.
#[derive(Default)]
pub struct ExportState {
    /// The dialog, while it is open.
    pub form: Option<ExportForm>,
    pub job: Option<ExportJob>,
    pub outcome: Option<ExportOutcome>,
    /// The transport's loop range, seconds.
    pub loop_range: Option<(f64, f64)>,
    /// Why the form cannot be exported as it stands.
    pub problem: Option<String>,
}

impl ExportState {
    pub fn start(&mut self, req: ExportRequest) {
        self.outcome = None;
        self.problem = None;
        match ExportJob::start(req) {
            Ok(job) => self.job = Some(job),
            Err(e) => self.outcome = Some(ExportOutcome::Failed(format!("cannot start: {e}"))),
        }
    }

    /// Takes the job's outcome when it has finished.
    pub fn poll(&mut self) {
        if let Some(outcome) = self.job.as_mut().and_then(ExportJob::poll) {
            self.job = None;
            self.outcome = Some(outcome);
        }
    }

    pub fn running(&self) -> bool {
        self.job.is_some()
    }
}
