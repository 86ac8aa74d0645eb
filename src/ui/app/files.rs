//! The console's files: opening, saving, starting afresh, adding a track
//! from a file, and restoring what a console that went away left unsaved.

use std::path::Path;

use super::super::action::Dialog;
use super::super::document::Document;
use super::super::editors_ui::EditorsState;
use super::super::recovery_ui::{Offer, RecoveryState};
use super::super::status::StatusMessage;
use super::ConsoleApp;
use crate::session::{self, Edit, Session};

impl ConsoleApp {
    pub(super) fn add_track(&mut self, file: &Path) {
        // A path that leads nowhere is refused, not made into a silent track.
        match std::fs::metadata(file) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return self.note(format!("{}: not a file", file.display())),
            Err(e) => return self.note(format!("{}: {e}", file.display())),
        }
        let edit = Edit::add_track(self.doc.session(), file);
        let id = match &edit {
            Edit::AddChannel { channel, .. } => channel.id.clone(),
            _ => String::new(),
        };
        self.edit(edit);
        if let Some(problem) = self
            .port
            .offline()
            .into_iter()
            .find(|m| m.contains(&format!("\"{id}\"")))
        {
            self.shell.message = Some(StatusMessage::offline(problem));
        }
    }

    pub fn save_to(&mut self, path: &Path) {
        match self.doc.save_to(path) {
            Ok(()) => {
                self.note(format!("saved {}", path.display()));
                self.remember(path);
            }
            Err(e) => self.note(e.to_string()),
        }
    }

    pub(super) fn save(&mut self) {
        match self.doc.path.clone() {
            Some(p) => self.save_to(&p),
            None => {
                self.shell.dialog = Some(Dialog::SaveAs {
                    path: "session.json".into(),
                })
            }
        }
    }

    /// Opens a session file, replacing the current one.
    pub fn open(&mut self, path: &Path) {
        match session::load(path) {
            Ok(s) => {
                self.replace(Document::new(s, Some(path.to_owned())));
                self.remember(path);
                self.shell.message = self
                    .port
                    .offline()
                    .first()
                    .cloned()
                    .map(StatusMessage::offline);
                self.offer_recovery();
            }
            Err(e) => self.note(e.to_string()),
        }
    }

    pub fn new_session(&mut self) {
        self.replace(Document::new(Session::new(48_000), None));
    }

    pub(in crate::ui) fn replace(&mut self, doc: Document) {
        self.doc = doc;
        self.meters.clear();
        self.editors = EditorsState::default();
        self.shell.scenes.forget();
        self.loaded_tracks = self.doc.tracks();
        self.port.reload(self.doc.session(), &self.doc.anchor());
    }

    /// Looks for recovery copies that a console which is gone left for the
    /// open session (and for untitled sessions) and offers them.
    pub fn offer_recovery(&mut self) {
        let Some(store) = self.autosave.as_ref().map(|a| a.store().clone()) else {
            return;
        };
        if let Some(p) = &self.doc.path {
            session::clean_stale_temps(p);
        }
        let mut found = store.offers(self.doc.path.as_deref());
        if self.doc.path.is_some() {
            found.extend(store.offers(None));
        }
        let empty = Session::new(self.doc.session().sample_rate);
        self.recovery = RecoveryState::default();
        for r in found {
            let current = if r.original.is_some() {
                self.doc.session()
            } else {
                &empty
            };
            eprintln!(
                "auxbus: offering to restore {}",
                session::escape_controls(&r.file.display().to_string())
            );
            self.recovery.offers.push(Offer::new(r, current));
        }
    }

    /// Restores offer `i`: the copy becomes the document, unsaved, with its
    /// undo history; the old copy goes once this console's copy is written.
    pub(super) fn recover(&mut self, i: usize) {
        if i >= self.recovery.offers.len() {
            return;
        }
        if self.doc.dirty() {
            self.note("save or discard the current changes before restoring".into());
            return;
        }
        let offer = self.recovery.offers.remove(i);
        let r = &offer.recovery;
        let doc = Document::restored(r.session.clone(), r.original.clone(), r.steps.clone());
        self.replace(doc);
        let failed = self.autosave.as_mut().and_then(|a| a.write_now(&self.doc));
        if failed.is_none() {
            r.discard();
        }
        self.note(failed.unwrap_or_else(|| {
            "restored the unsaved changes; save to keep them (Ctrl+Z undoes them)".into()
        }));
    }

    pub(super) fn remember(&mut self, path: &Path) {
        if self.remember_recent {
            super::super::recent::remember(&mut self.shell.recent, path);
        }
    }
}
