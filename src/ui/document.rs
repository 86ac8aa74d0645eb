//! The session being mixed, where it lives, and its undo history. The
//! session is private: the only way to change it is an `Edit` through
//! `apply` (or undo/redo), so everything a user changes can be undone and
//! the session is always valid.

use std::path::{Path, PathBuf};

use crate::graph::{Change, change_of, change_of_all};
use crate::session::{self, ChannelKind, Edit, History, Session, SessionError, Steps};

/// What an edit, undo or redo did: the edits applied in order, and what
/// they mean for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub edits: Vec<Edit>,
    pub change: Change,
    /// The one channel a per-channel change touched.
    pub channel: Option<String>,
}

pub struct Document {
    session: Session,
    /// `None` for a session never saved.
    pub path: Option<PathBuf>,
    history: History,
    /// Bumped by every change; compared with `saved_generation` for the
    /// unsaved-changes marker.
    generation: u64,
    saved_generation: u64,
}

impl Document {
    pub fn new(session: Session, path: Option<PathBuf>) -> Self {
        Document {
            session,
            path,
            history: History::default(),
            generation: 0,
            saved_generation: 0,
        }
    }

    /// A recovered session with the undo history it had (if kept): unsaved,
    /// so saving it is the user's choice.
    pub fn restored(session: Session, path: Option<PathBuf>, steps: Option<Steps>) -> Self {
        Document {
            session,
            path,
            history: steps.map(History::from_steps).unwrap_or_default(),
            generation: 1,
            saved_generation: 0,
        }
    }

    /// Bumped by every change (for the autosave's timers).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The undo and redo steps, to keep beside a recovery copy.
    pub fn steps(&self) -> Steps {
        self.history.steps()
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Applies one edit and records it for undo; a refused edit changes nothing.
    pub fn apply(&mut self, edit: Edit) -> Result<Applied, SessionError> {
        let (change, channel) = change_of(&edit);
        let channel = channel.map(str::to_owned);
        self.history.apply(&mut self.session, edit.clone())?;
        self.generation += 1;
        Ok(Applied {
            edits: vec![edit],
            change,
            channel,
        })
    }

    pub fn undo(&mut self) -> Option<Applied> {
        let edits = self.history.undo(&mut self.session)?;
        Some(self.replayed(edits))
    }

    pub fn redo(&mut self) -> Option<Applied> {
        let edits = self.history.redo(&mut self.session)?;
        Some(self.replayed(edits))
    }

    fn replayed(&mut self, edits: Vec<Edit>) -> Applied {
        self.generation += 1;
        Applied {
            change: change_of_all(&edits),
            edits,
            channel: None,
        }
    }

    /// Starts grouping edits into one undo step (a drag), or ends it.
    pub fn begin_group(&mut self) {
        self.history.begin_group();
    }

    pub fn end_group(&mut self) {
        self.history.end_group();
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Undo steps on the stack (a lesson step's reset undoes back to one).
    pub fn undo_depth(&self) -> usize {
        self.history.depth()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Writes the session to `path` (atomically) and remembers it as saved.
    pub fn save_to(&mut self, path: &Path) -> Result<(), SessionError> {
        session::save(&self.session, path)?;
        self.path = Some(path.to_owned());
        self.saved_generation = self.generation;
        Ok(())
    }

    /// Treat the current state as saved (after the user chose to discard).
    pub fn force_clean(&mut self) {
        self.saved_generation = self.generation;
    }

    pub fn dirty(&self) -> bool {
        self.generation != self.saved_generation
    }

    /// The folder relative sources are resolved from.
    pub fn anchor(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("untitled.json"))
    }

    /// The tracks and their files, to tell when sources must be reopened.
    pub fn tracks(&self) -> Vec<(String, String)> {
        Document::tracks_of(&self.session)
    }

    pub fn tracks_of(s: &Session) -> Vec<(String, String)> {
        s.channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Track)
            .map(|c| (c.id.clone(), c.source.clone().unwrap_or_default()))
            .collect()
    }

    pub fn title(&self) -> String {
        let name = self
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map_or("untitled".to_owned(), |n| n.to_string_lossy().into_owned());
        format!("auxbus — {name}{}", if self.dirty() { " •" } else { "" })
    }
}
