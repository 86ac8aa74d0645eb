//! Opening the console window on a session.

use std::path::PathBuf;

use super::app::ConsoleApp;
use super::autosave::{Autosave, SystemClock};
use super::port::LivePort;
use super::status::StatusMessage;
use crate::io::output::OutputConfig;
use crate::session::{self, RecoveryStore, Session};

/// Opens the console on `path` (or an empty session). Blocks until the
/// window closes.
pub fn run(path: Option<PathBuf>) -> Result<(), String> {
    let (session, path, problem) = match path {
        Some(p) => match session::load(&p) {
            Ok(s) => (s, Some(p), None),
            Err(e) => (Session::new(48_000), None, Some(e.to_string())),
        },
        None => (Session::new(48_000), None, None),
    };
    let anchor = path
        .clone()
        .unwrap_or_else(|| PathBuf::from("untitled.json"));
    let port = LivePort::start(&session, &anchor, OutputConfig::default());
    let mut app = ConsoleApp::new(session, path, Box::new(port));
    app.remember_recent = true;
    app.autosave = RecoveryStore::default_dir()
        .map(|dir| Autosave::new(RecoveryStore::new(dir), Box::new(SystemClock)));
    app.offer_recovery();
    app.shell.recent = super::recent::load();
    if let Some(dir) = crate::lessons::lessons_state_dir() {
        app.lessons.borrow_mut().keep_in(dir);
    }
    app.shell.message = match problem {
        Some(p) => Some(StatusMessage::note(p, 30)),
        None => app
            .port
            .offline()
            .first()
            .cloned()
            .map(StatusMessage::offline),
    };
    let title = app.doc.title();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_inner_size([1280.0, 760.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native("auxbus", options, Box::new(|_cc| Ok(Box::new(app))))
        .map_err(|e| e.to_string())
}
