//! Recovery copies on offer when a session opens: finding them and
//! restoring one (the reducer's side of recovery_ui).

use super::app::ConsoleApp;
use super::document::Document;
use super::recovery_ui::{Offer, RecoveryState};
use crate::session::{self, Session};

impl ConsoleApp {
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
}
