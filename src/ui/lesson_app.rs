//! What the reducer does for lessons: starting one on the learner's copy of
//! its session, hints, resetting a step, closing.
//!
//! ```text
//!  Lessons › 1 ──Request(Pending::Lesson)──► start: shipped session, sources made
//!       absolute ──► the learner's copy (~/.local/state/auxbus/lessons/ID.json,
//!       kept between runs) or, with nowhere to keep it, an untitled document
//! ```

use std::path::Path;

use super::action::{Action, LessonAction};
use super::app::ConsoleApp;
use super::document::Document;
use super::lesson_state::LessonRun;
use crate::session::{self, ChannelKind, Session};

impl ConsoleApp {
    /// Starts lesson `id`: on the learner's copy when there is one (and not
    /// `fresh`), else on a new copy of the shipped session.
    pub(super) fn start_lesson(&mut self, id: &str, fresh: bool) {
        let found = self.lessons.borrow().lesson(id).cloned();
        let lesson = match found {
            Some(l) => l,
            None => return self.say(format!("there is no lesson \"{id}\"")),
        };
        let shipped_path = lesson.session_path();
        let shipped = match session::load(&shipped_path) {
            Ok(s) => s,
            Err(e) => return self.say(format!("lesson {id}: {e}")),
        };
        let copy = with_absolute_sources(&shipped, &shipped_path);
        let store = self.lessons.borrow().store.clone();
        match store {
            Some(dir) => {
                let work = dir.join(format!("{id}.json"));
                let keep = !fresh && session::load(&work).is_ok();
                if !keep
                    && let Err(e) = std::fs::create_dir_all(&dir)
                        .map_err(|e| e.to_string())
                        .and_then(|_| session::save(&copy, &work).map_err(|e| e.to_string()))
                {
                    return self.say(format!("cannot make your copy of lesson {id}: {e}"));
                }
                self.open(&work);
                if self.doc.path.as_deref() != Some(work.as_path()) {
                    return; // the open failed and said why
                }
            }
            None => self.replace(Document::new(copy, None)),
        }
        let run = LessonRun::new(lesson, shipped, &self.doc);
        self.lessons.borrow_mut().run = Some(run);
    }

    pub(super) fn lesson_action(&mut self, a: LessonAction) {
        match a {
            LessonAction::Hint => {
                if let Some(run) = self.lessons.borrow_mut().run.as_mut() {
                    let hints = run
                        .lesson
                        .steps
                        .get(run.current)
                        .map_or(0, |s| s.hints.len());
                    run.hints = (run.hints + 1).min(hints);
                }
            }
            LessonAction::ResetStep => {
                let target = self.lessons.borrow().run.as_ref().map(|r| r.step_start);
                let Some(target) = target else { return };
                // Undo is the one way back, so "reset" can be redone.
                while self.doc.undo_depth() > target && self.doc.can_undo() {
                    self.dispatch(Action::Undo);
                }
            }
            LessonAction::Close => self.lessons.borrow_mut().run = None,
        }
    }

    fn say(&mut self, text: String) {
        self.dispatch(Action::ShowMessage(text));
    }
}

/// `s` with every track's source as an absolute path (resolved from
/// `anchor`), so the session plays from wherever it is saved.
pub fn with_absolute_sources(s: &Session, anchor: &Path) -> Session {
    let mut s = s.clone();
    for c in s
        .channels
        .iter_mut()
        .filter(|c| c.kind == ChannelKind::Track)
    {
        if let Some(src) = &c.source {
            let path = session::resolve_source(anchor, src);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            c.source = Some(path.display().to_string());
        }
    }
    s
}
