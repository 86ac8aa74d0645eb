//! Recovery copies: what the console autosaves while a session has unsaved
//! changes, so a crash or a `kill -9` loses at most a few seconds of work.
//!
//! ```text
//!   ~/.local/state/auxbus/recovery/
//!     demo-1f2e3d4c5b6a7988-4242.json       the session, a valid session file
//!     demo-1f2e3d4c5b6a7988-4242.meta.json  which file it belongs to + undo history
//!     untitled-4243.json, untitled-4243.meta.json
//! ```
//! They live in the user's state folder (`$XDG_STATE_HOME`, by default
//! `~/.local/state`), not beside the session: that works for untitled
//! sessions and for sessions in read-only or shared folders, and it never
//! puts files the user did not ask for into a project folder (or its version
//! control). Each copy is named after the session's path (its name plus a
//! hash of the full path) and the process that wrote it, so two consoles
//! never overwrite each other's copy, and only copies of processes that no
//! longer run are offered. Every file is written atomically (`save`).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::error::{Result, SessionError};
use super::file::{load, read_bounded, save};
use super::history::Steps;
use super::model::Session;

/// `$XDG_STATE_HOME/auxbus/<what>`, or `~/.local/state/auxbus/<what>`:
/// where auxbus keeps per-user state (recovery copies, lesson progress).
pub fn state_dir(what: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("state"))
        })?;
    Some(base.join("auxbus").join(what))
}

/// What is kept beside a recovery copy.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    /// The session file the copy belongs to; `None` for an untitled session.
    original: Option<PathBuf>,
    /// Hash of the session the history belongs to: the history is only
    /// restored with exactly that session.
    session_hash: u64,
    steps: Steps,
}

/// A recovery copy left by a console that is gone.
#[derive(Debug)]
pub struct Recovery {
    /// The copy itself (a session file).
    pub file: PathBuf,
    meta_file: PathBuf,
    /// The session file it belongs to; `None` for an untitled session.
    pub original: Option<PathBuf>,
    pub session: Session,
    /// The undo history at the time of the copy, when it could be kept.
    pub steps: Option<Steps>,
    /// When the copy was written.
    pub written: SystemTime,
}

impl Recovery {
    /// Deletes the copy (after it was restored and saved again, or when the
    /// user chose to discard it).
    pub fn discard(&self) {
        let _ = fs::remove_file(&self.file);
        let _ = fs::remove_file(&self.meta_file);
    }
}

/// The folder of recovery copies and this process's place in it.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
    pid: u32,
}

impl RecoveryStore {
    /// A store in `dir` for this process.
    pub fn new(dir: PathBuf) -> Self {
        RecoveryStore {
            dir,
            pid: std::process::id(),
        }
    }

    /// A store that writes as process `pid` (tests play a console that died).
    pub fn with_pid(dir: PathBuf, pid: u32) -> Self {
        RecoveryStore { dir, pid }
    }

    /// `$XDG_STATE_HOME/auxbus/recovery`, or `~/.local/state/auxbus/recovery`.
    pub fn default_dir() -> Option<PathBuf> {
        state_dir("recovery")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes this process's recovery copy of `session` (belonging to
    /// `original`, or untitled) with its undo history; returns the copy's path.
    pub fn write(
        &self,
        original: Option<&Path>,
        session: &Session,
        steps: &Steps,
    ) -> Result<PathBuf> {
        fs::create_dir_all(&self.dir).map_err(|source| SessionError::Io {
            path: self.dir.clone(),
            action: "create the recovery folder",
            source,
        })?;
        let stem = format!("{}-{}", key(original), self.pid);
        let file = self.dir.join(format!("{stem}.json"));
        let meta_file = self.dir.join(format!("{stem}.meta.json"));
        save(session, &file)?;
        let meta = Meta {
            original: original.map(absolute),
            session_hash: session_hash(session),
            steps: steps.clone(),
        };
        let text = serde_json::to_string(&meta).map_err(|e| SessionError::Io {
            path: meta_file.clone(),
            action: "encode the recovery history",
            source: std::io::Error::other(e),
        })?;
        write_atomic(&meta_file, text.as_bytes())?;
        Ok(file)
    }

    /// Removes this process's copy for `original` (after a save or a discard).
    pub fn remove_own(&self, original: Option<&Path>) {
        let stem = format!("{}-{}", key(original), self.pid);
        let _ = fs::remove_file(self.dir.join(format!("{stem}.json")));
        let _ = fs::remove_file(self.dir.join(format!("{stem}.meta.json")));
    }

    /// Copies that consoles no longer running left for `original` (or for
    /// untitled sessions), newest first, and only those newer than the
    /// session file itself. Unreadable copies are skipped, never deleted.
    pub fn offers(&self, original: Option<&Path>) -> Vec<Recovery> {
        let prefix = format!("{}-", key(original));
        let saved = original
            .and_then(|p| fs::metadata(p).ok())
            .and_then(|m| m.modified().ok());
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".json"))
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            if pid == self.pid || console_running(pid) {
                continue;
            }
            let file = entry.path();
            let Some(written) = entry.metadata().ok().and_then(|m| m.modified().ok()) else {
                continue;
            };
            if saved.is_some_and(|saved| written <= saved) {
                continue; // the session was saved after this copy
            }
            let Ok(session) = load(&file) else { continue };
            let meta_file = file.with_extension("meta.json");
            let meta = read_bounded(&meta_file)
                .ok()
                .and_then(|t| serde_json::from_str::<Meta>(&t).ok());
            let steps = meta
                .as_ref()
                .filter(|m| m.session_hash == session_hash(&session))
                .map(|m| m.steps.clone());
            found.push(Recovery {
                file,
                meta_file,
                original: original.map(Path::to_owned),
                session,
                steps,
                written,
            });
        }
        found.sort_by_key(|r| std::cmp::Reverse(r.written));
        found
    }
}

/// The name part of a session's copies: "untitled", or the file's stem and
/// a hash of its absolute path (two `mix.json` in different folders differ).
fn key(original: Option<&Path>) -> String {
    let Some(path) = original else {
        return "untitled".to_owned();
    };
    let path = absolute(path);
    let stem: String = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    format!("{stem}-{:016x}", fnv1a(path.as_os_str().as_encoded_bytes()))
}

fn absolute(p: &Path) -> PathBuf {
    fs::canonicalize(p)
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_owned())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A hash of the session as the file stores it.
fn session_hash(s: &Session) -> u64 {
    let mut s = s.clone();
    for c in &mut s.channels {
        if c.kind == super::model::ChannelKind::Master {
            c.output = None; // as `save` writes it and `parse` reads it
        }
    }
    fnv1a(serde_json::to_string(&s).unwrap_or_default().as_bytes())
}

/// Whether `pid` is an auxbus console still running (a reused process id
/// of some other program does not count).
fn console_running(pid: u32) -> bool {
    let comm = |p: &str| fs::read_to_string(format!("/proc/{p}/comm")).ok();
    // A killed process not yet reaped by its parent is a zombie: gone.
    let zombie = fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| matches!(rest.trim_start().chars().next(), Some('Z' | 'X')))
    });
    match (comm(&pid.to_string()), comm("self")) {
        (Some(theirs), Some(ours)) => theirs == ours && !zombie,
        _ => false,
    }
}

/// Temporary file, flush, rename: never half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().map_err(|source| {
        let _ = fs::remove_file(&tmp);
        SessionError::Io {
            path: path.to_owned(),
            action: "write the recovery history",
            source,
        }
    })
}
