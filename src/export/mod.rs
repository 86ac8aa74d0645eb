//! Bouncing the mix and its stems to files, measured for loudness and
//! optionally normalised: what `auxbus render` and the console's
//! File › Export both run.
//!
//! ```text
//!  render::render_session ──blocks──► Outputs (RenderSink)
//!      │ (stems: each channel                 ├─ without a target: AudioFile per output, metered
//!      │  feeding the master)                 └─ with --normalize: a float spool per output, metered
//!      ▼                                                  │
//!  gain = target − integrated, stopped at the ceiling ◄───┘
//!      └─► second pass over the spools: × gain ─► AudioFile per output, metered again
//! ```
//! Normalising needs the integrated loudness of the whole mix before the
//! first sample can be written, so it takes two passes — but the second
//! reads the float spool of the first instead of rendering again: one
//! render, plus a pass over the finished mix. Without a target there is one
//! pass and no spool.

mod normalize;
mod outputs;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::io::loudness::Loudness;
use crate::io::write::{Container, OutputSpec, SampleFormat, WriteError};
use crate::render::{self, RenderError, RenderOptions, RenderReport};
use crate::session::Session;

pub use normalize::{Normalized, normalize_gain};
pub use outputs::stem_file_name;

/// Loudness targets accepted by `--normalize`, LUFS.
pub const TARGET_RANGE: std::ops::RangeInclusive<f64> = -60.0..=0.0;
/// Ceilings accepted by `--ceiling`, dBTP.
pub const CEILING_RANGE: std::ops::RangeInclusive<f64> = -20.0..=0.0;
/// The default true-peak ceiling (EBU R 128's maximum permitted level).
pub const DEFAULT_CEILING_DBTP: f64 = -1.0;

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// Seconds into the session where the export starts.
    pub start: f64,
    /// Seconds to export; `None`: to the end plus the effect tails.
    pub duration: Option<f64>,
    /// The mix file; `None` for stems only.
    pub mix: Option<PathBuf>,
    /// A folder for one file per channel feeding the master.
    pub stems_dir: Option<PathBuf>,
    /// File type of the stems when there is no mix file to follow.
    pub stems_container: Container,
    /// Sample format; `None`: the container's default.
    pub format: Option<SampleFormat>,
    /// Integrated loudness the mix is scaled to, LUFS.
    pub normalize_lufs: Option<f64>,
    /// Highest true peak normalising may reach, dBTP.
    pub ceiling_dbtp: f64,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            start: 0.0,
            duration: None,
            mix: None,
            stems_dir: None,
            stems_container: Container::Wav,
            format: None,
            normalize_lufs: None,
            ceiling_dbtp: DEFAULT_CEILING_DBTP,
        }
    }
}

/// One file written.
#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: PathBuf,
    /// The channel a stem comes from (`None` for the mix).
    pub channel: Option<String>,
    pub frames: u64,
    pub loudness: Loudness,
    /// Samples integer output had to clip.
    pub clipped: u64,
}

#[derive(Debug, Clone)]
pub struct ExportReport {
    pub render: RenderReport,
    pub mix: Option<FileResult>,
    pub stems: Vec<FileResult>,
    pub normalized: Option<Normalized>,
}

/// Which part of an export is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Rendering,
    /// The second pass of a normalised export.
    Normalizing,
}

/// How far an export has come: `done` of `total` frames of `phase`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: Option<u64>,
}

impl Progress {
    /// 0…1 over the whole export (a normalised one spends ~85 % rendering).
    pub fn fraction(&self, normalizing: bool) -> f32 {
        let f = match self.total {
            Some(t) if t > 0 => (self.done as f64 / t as f64).min(1.0) as f32,
            _ => 0.0,
        };
        match (normalizing, self.phase) {
            (false, _) => f,
            (true, Phase::Rendering) => 0.85 * f,
            (true, Phase::Normalizing) => 0.85 + 0.15 * f,
        }
    }
}

#[derive(Debug)]
pub enum ExportError {
    /// Options that make no sense (bad target, nothing to write).
    Options(String),
    Render(RenderError),
    Write(WriteError),
    /// Normalising a mix that is silent (or below the −70 LUFS gate).
    Silent,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Options(m) => write!(f, "{m}"),
            ExportError::Render(e) => e.fmt(f),
            ExportError::Write(e) => e.fmt(f),
            ExportError::Silent => write!(
                f,
                "cannot normalise: the mix is silent (no loudness above the -70 LUFS gate); nothing written"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<RenderError> for ExportError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Write(w) => ExportError::Write(w),
            other => ExportError::Render(other),
        }
    }
}

impl From<WriteError> for ExportError {
    fn from(e: WriteError) -> Self {
        ExportError::Write(e)
    }
}

impl ExportError {
    /// Whether this is the user's choice (cancel) rather than a failure.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, ExportError::Render(RenderError::Cancelled))
    }

    /// Whether the options themselves are wrong (a usage error).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ExportError::Options(_)
                | ExportError::Write(WriteError::Extension(_) | WriteError::Format(_))
        )
    }
}

/// The output specs: the mix's (from its extension) and the stems' (the
/// mix's container, else `stems_container`).
fn specs(opts: &ExportOptions) -> Result<(Option<OutputSpec>, OutputSpec), ExportError> {
    if opts.mix.is_none() && opts.stems_dir.is_none() {
        return Err(ExportError::Options(
            "nothing to export: choose a mix file, a stems folder, or both".into(),
        ));
    }
    if let Some(t) = opts.normalize_lufs
        && !TARGET_RANGE.contains(&t)
    {
        return Err(ExportError::Options(format!(
            "--normalize {t}: the target must be between -60 and 0 LUFS"
        )));
    }
    if !CEILING_RANGE.contains(&opts.ceiling_dbtp) {
        return Err(ExportError::Options(format!(
            "--ceiling {}: the ceiling must be between -20 and 0 dBTP",
            opts.ceiling_dbtp
        )));
    }
    let mix = opts
        .mix
        .as_deref()
        .map(|p| OutputSpec::for_path(p, opts.format))
        .transpose()?;
    let container = mix.map_or(opts.stems_container, |m| m.container);
    let probe = PathBuf::from(format!("stem.{}", container.extension()));
    let stems = OutputSpec::for_path(&probe, opts.format)?;
    Ok((mix, stems))
}

/// Renders `s` and writes what `opts` asks for. `progress` is called about
/// every 85 ms of audio; returning `false` cancels (nothing is left
/// behind). Files appear only when everything has worked.
pub fn export(
    s: &Session,
    session_path: &Path,
    opts: &ExportOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ExportReport, ExportError> {
    let (mix_spec, stem_spec) = specs(opts)?;
    let spool = opts.normalize_lufs.is_some();
    let mut outputs = outputs::Outputs::new(s, opts, mix_spec, stem_spec, spool, progress)?;
    let ropts = RenderOptions {
        start: opts.start,
        duration: opts.duration,
        stems: opts.stems_dir.is_some(),
        // Files are audio: nothing reads where each channel's sound went.
        ledger: false,
    };
    let result = render::render_session(s, session_path, &ropts, &mut outputs);
    let mut report = match (result, outputs.take_error()) {
        (Err(_), Some(e)) => return Err(e),
        (r, _) => r?,
    };
    let mix_loudness = outputs.mix_loudness();
    report.loudness = mix_loudness;
    let normalized = match opts.normalize_lufs {
        None => None,
        Some(target) => {
            let measured = mix_loudness.unwrap_or_default();
            Some(normalize_gain(&measured, target, opts.ceiling_dbtp).ok_or(ExportError::Silent)?)
        }
    };
    let gain = normalized.as_ref().map_or(1.0, |n| n.linear_gain());
    let (mix, stems) = outputs.finish(gain)?;
    if let Some(m) = &mix {
        report.loudness = Some(m.loudness);
        report.clipped = m.clipped;
    }
    Ok(ExportReport {
        render: report,
        mix,
        stems,
        normalized,
    })
}
