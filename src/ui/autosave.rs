//! Autosave: while the document has unsaved changes, a recovery copy is
//! written a few seconds after the last edit, and at least every 30 s while
//! edits keep coming, on wall-clock time (the console's frames come at least
//! twice a second, so a deadline is met within half a second of passing).
//!
//! ```text
//!   edit ─► generation changes ─► quiet for QUIET ─────────┐
//!                               └► MAX_INTERVAL since the   ├─► RecoveryStore::write
//!                                  first unwritten edit ────┘
//!   saved / discarded ─► the copy is removed
//! ```
//! The clock is injectable so tests need not sleep.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::document::Document;
use crate::session::RecoveryStore;

/// Quiet time after the last edit before the copy is written.
pub const QUIET: Duration = Duration::from_secs(3);
/// Longest time an edit stays unwritten while edits keep coming.
pub const MAX_INTERVAL: Duration = Duration::from_secs(30);

/// Where "now" comes from.
pub trait Clock {
    fn now(&self) -> Instant;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that only moves when told (tests).
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<Instant>>);

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock(Arc::new(Mutex::new(Instant::now())))
    }
}

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.0.lock().map_or_else(|_| Instant::now(), |t| *t)
    }
}

pub struct Autosave {
    store: RecoveryStore,
    clock: Box<dyn Clock>,
    /// The document generation last seen, and when it changed.
    seen: Option<(u64, Instant)>,
    /// When the oldest edit not yet in a copy was seen.
    pending_since: Option<Instant>,
    /// The generation in the copy on disk, and which session it belongs to.
    written: Option<(u64, Option<PathBuf>)>,
    /// The last copy written (for tests and the status line).
    pub last_file: Option<PathBuf>,
    /// The last failure, shown once.
    pub error: Option<String>,
}

impl Autosave {
    pub fn new(store: RecoveryStore, clock: Box<dyn Clock>) -> Self {
        Autosave {
            store,
            clock,
            seen: None,
            pending_since: None,
            written: None,
            last_file: None,
            error: None,
        }
    }

    pub fn store(&self) -> &RecoveryStore {
        &self.store
    }

    /// Called every frame: writes the copy when it is due, removes it when
    /// the document has no unsaved changes any more. Returns a message when
    /// writing failed (once per failure streak).
    pub fn tick(&mut self, doc: &Document) -> Option<String> {
        let now = self.clock.now();
        let generation = doc.generation();
        if !doc.dirty() {
            self.seen = Some((generation, now));
            self.pending_since = None;
            self.forget();
            return None;
        }
        match self.seen {
            Some((g, _)) if g == generation => {}
            _ => {
                self.seen = Some((generation, now));
                if self.written.as_ref().is_none_or(|(w, _)| *w != generation) {
                    self.pending_since.get_or_insert(now);
                }
            }
        }
        let since = self.pending_since?;
        let last_edit = self.seen.map_or(now, |(_, t)| t);
        if now.duration_since(last_edit) >= QUIET || now.duration_since(since) >= MAX_INTERVAL {
            return self.write_now(doc);
        }
        None
    }

    /// Writes the copy at once (after a restore, so the restored work is
    /// safe before the old copy goes).
    pub fn write_now(&mut self, doc: &Document) -> Option<String> {
        let path = doc.path.clone();
        if let Some((_, old)) = &self.written
            && *old != path
        {
            self.store.remove_own(old.as_deref()); // saved under a new name
        }
        self.pending_since = None;
        match self
            .store
            .write(path.as_deref(), doc.session(), &doc.steps())
        {
            Ok(file) => {
                self.written = Some((doc.generation(), path));
                self.last_file = Some(file);
                self.error = None;
                None
            }
            Err(e) => {
                let first = self.error.is_none();
                let msg = format!("autosave failed: {e}");
                self.error = Some(msg.clone());
                // Keep trying, after another quiet spell rather than every frame.
                let now = self.clock.now();
                self.seen = Some((doc.generation(), now));
                self.pending_since = Some(now);
                first.then_some(msg)
            }
        }
    }

    /// Removes the copy this console wrote (saved, discarded or closed).
    pub fn forget(&mut self) {
        if let Some((_, path)) = self.written.take() {
            self.store.remove_own(path.as_deref());
        }
    }

    /// Whether a copy of `path` by this console is on disk.
    pub fn has_copy_of(&self, path: Option<&Path>) -> bool {
        self.written
            .as_ref()
            .is_some_and(|(_, p)| p.as_deref() == path)
    }
}

impl Drop for Autosave {
    /// A console that closes normally leaves no copy; one that panics keeps
    /// it, to be offered next time.
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.forget();
        }
    }
}
