//! Recently opened sessions, kept in the user's config folder.

use std::path::{Path, PathBuf};

const KEEP: usize = 8;

fn file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("auxbus").join("recent.json"))
}

/// The list, newest first; empty when there is none or it cannot be read.
pub fn load() -> Vec<PathBuf> {
    file()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|t| serde_json::from_str::<Vec<PathBuf>>(&t).ok())
        .unwrap_or_default()
}

/// Puts `path` first and stores the list (best effort: a read-only home
/// must not stop anyone from mixing).
pub fn remember(list: &mut Vec<PathBuf>, path: &Path) {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(KEEP);
    if let Some(f) = file() {
        if let Some(dir) = f.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_json::to_string_pretty(list) {
            let _ = std::fs::write(f, text);
        }
    }
}
