//! File › Export in the console, driven through egui_kittest: the progress
//! bar advances while the export runs off the UI thread, Cancel leaves
//! nothing behind, and a finished export shows its summary.

use std::time::{Duration, Instant};

use auxbus::ui::{ConsoleApp, ExportOutcome, ExportRange};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn open_export(h: &mut Harness<'_, ConsoleApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export… (mix, stems)").click();
    h.run();
    assert!(h.state().export.form.is_some(), "the export window is open");
}

/// Steps the UI (the job runs on its own thread) until `done` or a bound.
fn step_until(h: &mut Harness<'_, ConsoleApp>, what: &str, done: impl Fn(&ConsoleApp) -> bool) {
    let since = Instant::now();
    while !done(h.state()) {
        assert!(
            since.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}"
        );
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn fraction(app: &ConsoleApp) -> f32 {
    app.export.job.as_ref().map_or(0.0, |j| j.fraction())
}

#[test]
fn progress_advances_and_cancel_leaves_nothing() {
    let (mut h, _port) = console();
    let dir = tempfile::tempdir().expect("dir");
    open_export(&mut h);
    {
        let form = h.state_mut().export.form.as_mut().expect("form");
        form.mix_path = dir.path().join("long.wav").display().to_string();
        form.stems = true;
        form.stems_dir = dir.path().join("stems").display().to_string();
        form.normalize = true;
        form.range = ExportRange::Custom(0.0, 900.0);
    }
    h.run();
    h.get_by_role_and_label(Role::Button, "Export").click();
    h.run_steps(2);
    assert!(h.state().export.running(), "the export started");
    step_until(&mut h, "progress", |a| fraction(a) > 0.0);
    let first = fraction(h.state());
    step_until(&mut h, "more progress", |a| fraction(a) > first + 0.002);
    let later = fraction(h.state());
    assert!(later > first, "progress advances: {first} → {later}");
    assert!(h.query_by_label_contains("Export progress").is_some());
    // Files are being written while it runs...
    let busy = std::fs::read_dir(dir.path()).expect("dir").count();
    assert!(busy > 0, "partial files exist while exporting");
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run_steps(1);
    step_until(&mut h, "the cancel", |a| !a.export.running());
    assert!(matches!(
        h.state().export.outcome,
        Some(ExportOutcome::Cancelled)
    ));
    h.run_steps(1);
    assert!(h.query_by_label_contains("nothing was written").is_some());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "cancel removes partial files: {left:?}");
}

#[test]
fn a_finished_export_shows_its_summary_and_the_file_reads_on_target() {
    let (mut h, _port) = console();
    let dir = tempfile::tempdir().expect("dir");
    open_export(&mut h);
    {
        let form = h.state_mut().export.form.as_mut().expect("form");
        form.mix_path = dir.path().join("short.flac").display().to_string();
        form.container = auxbus::io::write::Container::Flac;
        form.normalize = true;
        form.target_lufs = -18.0;
        form.range = ExportRange::Custom(2.0, 8.0);
    }
    h.run();
    h.get_by_role_and_label(Role::Button, "Export").click();
    h.run_steps(2);
    step_until(&mut h, "the export", |a| !a.export.running());
    h.run_steps(1);
    let report = match &h.state().export.outcome {
        Some(ExportOutcome::Done(r)) => r.clone(),
        other => panic!("export failed: {other:?}"),
    };
    let mix = report.mix.expect("a mix");
    assert_eq!(mix.path, dir.path().join("short.flac"));
    assert!(
        (mix.frames as f64 / 48_000.0 - 6.0).abs() < 0.01,
        "6 s: {}",
        mix.frames
    );
    assert!(h.query_by_label_contains("Export finished").is_some());
    assert!(h.query_by_label_contains("short.flac").is_some());
    let measured = auxbus::io::loudness::measure_file(&mix.path).expect("measure");
    let i = measured.integrated_lufs.expect("loud");
    assert!(
        (i + 18.0).abs() < 0.2 || report.normalized.is_some_and(|n| n.limited()),
        "{i}"
    );
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run();
    assert!(h.state().export.form.is_none());
}
