//! Where lessons are and how one is named: the lessons folder holds
//! `NN-name.lesson.json` files beside their sessions.

use std::path::{Path, PathBuf};

use super::load::{lesson_id, load};
use super::model::Lesson;

/// The lessons folder: `$AUXBUS_LESSONS`, else `sessions/lessons` of the
/// source tree auxbus was built from.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("AUXBUS_LESSONS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/lessons"),
    }
}

/// Every lesson file in `dir`, in order of their names.
pub fn lesson_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the lessons folder: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".lesson.json"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Every lesson in `dir` that loads, and a line for each that does not.
pub fn catalog(dir: &Path) -> (Vec<Lesson>, Vec<String>) {
    let mut lessons = Vec::new();
    let mut problems = Vec::new();
    match lesson_files(dir) {
        Ok(files) => {
            for f in files {
                match load(&f) {
                    Ok(l) => lessons.push(l),
                    Err(e) => problems.push(e),
                }
            }
        }
        Err(e) => problems.push(e),
    }
    (lessons, problems)
}

/// The lesson `name` names: a lesson file's path, an id (`01-bus`), or a
/// number (`1`) in `dir`.
pub fn find(dir: &Path, name: &str) -> Result<Lesson, String> {
    let as_path = Path::new(name);
    if name.ends_with(".json") || as_path.components().count() > 1 {
        return load(as_path);
    }
    let files = lesson_files(dir)?;
    let number: Option<u32> = name.parse().ok();
    for f in &files {
        let id = lesson_id(f);
        let digits: String = id.chars().take_while(char::is_ascii_digit).collect();
        if id == name || (number.is_some() && digits.parse().ok() == number) {
            return load(f);
        }
    }
    let known: Vec<String> = files.iter().map(|f| lesson_id(f)).collect();
    Err(format!(
        "unknown lesson \"{name}\" (known: {}; or give a .lesson.json file)",
        if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        }
    ))
}
