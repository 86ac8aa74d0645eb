//! Progress through the lessons, remembered per user: which steps of each
//! lesson have passed and which lessons were finished, in a small JSON file
//! in the user's state folder, beside the learner's copies of the lesson
//! sessions (`$XDG_STATE_HOME/auxbus/lessons/`, by default
//! `~/.local/state/auxbus/lessons/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The folder of the learner's lesson sessions and progress file.
pub fn lessons_state_dir() -> Option<PathBuf> {
    crate::session::state_dir("lessons")
}

/// The progress file in `dir`.
pub fn progress_file(dir: &Path) -> PathBuf {
    dir.join("progress.json")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// Steps (from 0) that have passed at some point.
    #[serde(default)]
    pub passed: Vec<usize>,
    /// Every step passed at once.
    #[serde(default)]
    pub finished: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl Progress {
    /// The progress stored in `file`; empty when there is none or it cannot
    /// be read (a damaged file must not stop anyone from learning).
    pub fn load(file: &Path) -> Self {
        crate::session::read_bounded(file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Writes the progress (temporary file, then rename).
    pub fn save(&self, file: &Path) -> Result<(), String> {
        let fail =
            |e: std::io::Error| format!("{}: cannot save lesson progress: {e}", file.display());
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, text).map_err(fail)?;
        std::fs::rename(&tmp, file).map_err(fail)
    }

    /// Records the steps passing now; returns whether anything new was learnt.
    pub fn record(&mut self, id: &str, passing: &[bool]) -> bool {
        let entry = self.lessons.entry(id.to_owned()).or_default();
        let before = entry.clone();
        for (i, _) in passing.iter().enumerate().filter(|(_, p)| **p) {
            if !entry.passed.contains(&i) {
                entry.passed.push(i);
            }
        }
        entry.passed.sort_unstable();
        if !passing.is_empty() && passing.iter().all(|p| *p) {
            entry.finished = true;
        }
        *entry != before
    }

    pub fn finished(&self, id: &str) -> bool {
        self.lessons.get(id).is_some_and(|p| p.finished)
    }

    /// Steps of lesson `id` that have passed at some point.
    pub fn passed(&self, id: &str) -> &[usize] {
        self.lessons.get(id).map_or(&[], |p| &p.passed)
    }
}
