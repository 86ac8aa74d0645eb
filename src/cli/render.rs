//! `auxbus render`: the mix (and stems) to files, with a loudness report.

use std::path::Path;

use auxbus::export::{self, ExportError, ExportOptions, ExportReport};
use auxbus::io::loudness::fmt_db;
use auxbus::session::{self, SessionError};

use super::{CliError, Result};

/// Renders the session at `session_path`, with the stored scene `scene`
/// recalled onto it first when one is named (the console's recall).
pub fn render_to_files(
    session_path: &Path,
    scene: Option<&str>,
    opts: &ExportOptions,
) -> Result<()> {
    let mut s = session::load(session_path)?;
    if let Some(name) = scene {
        let recall = session::recall_scene(&mut s, name).map_err(|e| match e {
            SessionError::UnknownScene { .. } => {
                CliError::Usage(format!("{}: {e}", session_path.display()))
            }
            other => CliError::Failed(other.to_string()),
        })?;
        if let Some(line) = recall.skipped_line(name) {
            eprintln!("warning: {}", session::escape_controls(&line));
        }
    }
    auxbus::io::write::remove_on_signals()
        .map_err(|e| CliError::Failed(format!("cannot watch for Ctrl-C: {e}")))?;
    let report = export::export(&s, session_path, opts, &mut |_| true).map_err(|e| match e {
        e if e.is_usage() => CliError::Usage(e.to_string()),
        ExportError::Render(r) => CliError::Failed(r.to_string()),
        e => CliError::Failed(e.to_string()),
    })?;
    print_report(&report);
    Ok(())
}

fn print_report(r: &ExportReport) {
    let rep = &r.render;
    for w in &rep.warnings {
        eprintln!("warning: {}", session::escape_controls(w));
    }
    let secs = rep.frames as f64 / f64::from(rep.sample_rate);
    let rt = secs / rep.elapsed.as_secs_f64().max(1e-9);
    let target = match (&r.mix, r.stems.len()) {
        (Some(m), 0) => m.path.display().to_string(),
        (Some(m), n) => format!("{} and {n} stems", m.path.display()),
        (None, n) => format!("{n} stems"),
    };
    eprintln!(
        "rendered {secs:.2} s to {target} in {:.2} s ({rt:.0}x realtime)",
        rep.elapsed.as_secs_f64()
    );
    if let Some(l) = &rep.loudness {
        eprintln!(
            "loudness: {} LUFS integrated, LRA {} LU, max momentary {} LUFS, max short-term {} LUFS, true peak {} dBTP, sample peak {} dBFS",
            fmt_db(l.integrated_lufs),
            fmt_db(l.lra_lu),
            fmt_db(l.max_momentary_lufs),
            fmt_db(l.max_short_term_lufs),
            fmt_db(l.true_peak_dbtp),
            fmt_db(l.sample_peak_dbfs)
        );
    }
    if let Some(n) = &r.normalized {
        eprintln!("{}", n.describe());
    }
    for stem in &r.stems {
        eprintln!(
            "stem {}: {} LUFS, true peak {} dBTP",
            stem.path.display(),
            fmt_db(stem.loudness.integrated_lufs),
            fmt_db(stem.loudness.true_peak_dbtp)
        );
    }
    let clipped: u64 = r.mix.iter().chain(&r.stems).map(|f| f.clipped).sum();
    if clipped > 0 {
        eprintln!(
            "warning: {clipped} samples clipped at full scale (lower the master or render as f32)"
        );
    }
    if let Some(tail) = rep.tail_cut {
        eprintln!(
            "note: the effects would ring for {tail:.0} s after the sources end; the tail was cut at {:.0} s",
            auxbus::render::MAX_TAIL_SECONDS
        );
    }
    for (id, k, times) in &rep.effect_resets {
        eprintln!(
            "warning: insert {k} on \"{id}\" produced invalid (non-finite) samples and was reset {times} time(s); those blocks are silent"
        );
    }
}
