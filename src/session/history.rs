//! Undo and redo: a stack of steps, each the inverses of the edits it made.
//! A step may group many edits (a whole fader drag is one step).

use serde::{Deserialize, Serialize};

use super::edit::Edit;
use super::error::Result;
use super::model::Session;

/// How many steps are kept.
const LIMIT: usize = 500;

/// The undo and redo stacks as data, to keep beside a recovery copy: each
/// step holds the inverses of the edits it made, oldest step first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Steps {
    pub undo: Vec<Vec<Edit>>,
    pub redo: Vec<Vec<Edit>>,
}

#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Vec<Edit>>,
    redo: Vec<Vec<Edit>>,
    /// Inverses gathered while a group is open.
    group: Option<Vec<Edit>>,
}

impl History {
    /// Applies `edit` to `s` and records it (in the open group, if any).
    pub fn apply(&mut self, s: &mut Session, edit: Edit) -> Result<()> {
        let inverse = edit.apply(s)?;
        match self.group.as_mut() {
            Some(g) => g.push(inverse),
            None => self.push_step(vec![inverse]),
        }
        self.redo.clear();
        Ok(())
    }

    /// Starts grouping edits into one step (e.g. at the start of a drag).
    pub fn begin_group(&mut self) {
        if self.group.is_none() {
            self.group = Some(Vec::new());
        }
    }

    /// Closes the group; an empty group leaves no step.
    pub fn end_group(&mut self) {
        if let Some(g) = self.group.take()
            && !g.is_empty()
        {
            self.push_step(g);
        }
    }

    fn push_step(&mut self, step: Vec<Edit>) {
        self.undo.push(step);
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty() || self.group.as_ref().is_some_and(|g| !g.is_empty())
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last step; returns the edits it applied, in order (what
    /// they mean for the engine, or for open editors, is the caller's
    /// business).
    pub fn undo(&mut self, s: &mut Session) -> Option<Vec<Edit>> {
        self.end_group();
        let step = self.undo.pop()?;
        let (applied, redo) = replay(s, step);
        self.redo.push(redo);
        Some(applied)
    }

    /// Redoes the last undone step; returns the edits it applied, in order.
    pub fn redo(&mut self, s: &mut Session) -> Option<Vec<Edit>> {
        let step = self.redo.pop()?;
        let (applied, undo) = replay(s, step);
        self.push_step(undo);
        Some(applied)
    }

    /// The stacks as they are (an open group counts as a finished step).
    pub fn steps(&self) -> Steps {
        let mut undo = self.undo.clone();
        if let Some(g) = self.group.as_ref().filter(|g| !g.is_empty()) {
            undo.push(g.clone());
        }
        Steps {
            undo,
            redo: self.redo.clone(),
        }
    }

    /// A history that continues from `steps` (kept at most `LIMIT` deep).
    pub fn from_steps(mut steps: Steps) -> Self {
        let excess = steps.undo.len().saturating_sub(LIMIT);
        steps.undo.drain(..excess);
        History {
            undo: steps.undo,
            redo: steps.redo,
            group: None,
        }
    }

    /// Steps that can be undone (for "unsaved changes" bookkeeping).
    pub fn depth(&self) -> usize {
        self.undo.len()
    }
}

/// Applies a step's inverses newest first; returns the edits applied and
/// their inverses in the order they were applied, which is the order the
/// other stack replays (again newest first) to get back.
fn replay(s: &mut Session, step: Vec<Edit>) -> (Vec<Edit>, Vec<Edit>) {
    let mut applied = Vec::with_capacity(step.len());
    let mut back = Vec::with_capacity(step.len());
    for edit in step.into_iter().rev() {
        // An inverse restores a state that was valid, so it cannot fail.
        if let Ok(inv) = edit.clone().apply(s) {
            applied.push(edit);
            back.push(inv);
        }
    }
    (applied, back)
}
