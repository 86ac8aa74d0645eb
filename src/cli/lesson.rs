//! `auxbus lesson list` and `auxbus lesson check LESSON SESSION`: the
//! lessons without the console, for tests and for teachers checking their
//! students' saved sessions.

use std::path::Path;

use auxbus::io::decode::open_tracks_measured;
use auxbus::lessons::{self, Bench, RenderCache};
use auxbus::session::{self, escape_controls};

use super::args::Args;
use super::{CliError, Result};

pub fn run(argv: &[String]) -> Result<()> {
    let Some(what) = argv.first() else {
        return Err(CliError::Usage(
            "lesson needs list or check LESSON SESSION".into(),
        ));
    };
    let a = Args::parse(&argv[1..], &[])?;
    match what.as_str() {
        "list" => {
            a.no_positionals()?;
            list()
        }
        "check" => match a.positionals() {
            [lesson, session] => check(lesson, Path::new(session)),
            [] | [_] => Err(CliError::Usage(
                "lesson check needs a LESSON and a SESSION".into(),
            )),
            [_, _, extra, ..] => Err(CliError::Usage(format!("unexpected argument {extra}"))),
        },
        other => Err(CliError::Usage(format!(
            "unknown lesson command {other} (use list or check)"
        ))),
    }
}

fn list() -> Result<()> {
    let dir = lessons::default_dir();
    let (found, problems) = lessons::catalog(&dir);
    if let Some(p) = problems.first() {
        return Err(CliError::Input(p.clone()));
    }
    if found.is_empty() {
        return Err(CliError::Input(format!(
            "{}: no lessons there",
            dir.display()
        )));
    }
    for l in &found {
        println!("{:<22} {}", l.id, l.title);
        println!("{:<22} {}", "", l.goal);
    }
    Ok(())
}

fn check(name: &str, path: &Path) -> Result<()> {
    let lesson = lessons::find(&lessons::default_dir(), name).map_err(CliError::Input)?;
    let shipped_path = lesson.session_path();
    let shipped = session::load(&shipped_path)
        .map_err(|e| CliError::Input(format!("lesson {}: its own session: {e}", lesson.id)))?;
    let current = session::load(path).map_err(|e| CliError::Input(e.to_string()))?;
    // A session that cannot play cannot be measured: say which file.
    let opened = open_tracks_measured(&current, path, 0);
    if let Some((id, e)) = opened.errors.first() {
        return Err(CliError::Input(format!(
            "{}: track \"{}\": {e}",
            path.display(),
            escape_controls(id)
        )));
    }
    drop(opened);
    let cache = RenderCache::default();
    let bench = Bench {
        shipped: &shipped,
        shipped_path: &shipped_path,
        current: &current,
        current_path: path,
        window: lesson.measure,
        cache: &cache,
    };
    let reports = lessons::evaluate(&lesson, &bench);
    println!("{}", lesson.title);
    println!("goal: {}", lesson.goal);
    println!("session: {}", escape_controls(&path.display().to_string()));
    let mut failing = Vec::new();
    for (i, (step, report)) in lesson.steps.iter().zip(&reports).enumerate() {
        let ok = report.passed() == Some(true);
        if !ok {
            failing.push(i + 1);
        }
        println!();
        println!(
            "step {}  {}  {}",
            i + 1,
            if ok { "PASS" } else { "FAIL" },
            step.title
        );
        for o in report.checks.iter().flatten() {
            println!(
                "        {} {}",
                if o.passed { "✓" } else { "✗" },
                escape_controls(&o.evidence)
            );
        }
    }
    println!();
    let steps = lesson.steps.len();
    println!("{} of {steps} steps pass", steps - failing.len());
    if failing.is_empty() {
        return Ok(());
    }
    let which: Vec<String> = failing.iter().map(|n| n.to_string()).collect();
    Err(CliError::Failed(format!(
        "lesson {}: step{} {} of {steps} not passed yet",
        lesson.id,
        if failing.len() > 1 { "s" } else { "" },
        which.join(", ")
    )))
}
