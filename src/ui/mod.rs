//! The console: an eframe app over the session model.
//!
//! ```text
//!  widgets ──values──► strip_ui ──Actions──► ConsoleApp::apply ──Edit──► Session (+undo)
//!                                                  │
//!                                                  └──► AudioPort ──► EngineHandle ──► audio thread
//! ```
//! UI files end in `_ui.rs`; `app.rs` holds the state, `port.rs` the one
//! door to the audio side; widgets never change engine state themselves.

mod app;
mod console_ui;
mod dialogs_ui;
mod flow_layout;
mod flow_session;
pub mod flow_ui;
mod insert_editor_ui;
mod inserts_ui;
pub mod matrix_ui;
mod port;
mod recent;
mod strip_ui;
mod toggle_ui;
mod transport_ui;
pub mod widgets;

pub use app::{ConsoleApp, Dialog, Document, Pending};
pub use port::{AudioPort, LivePort, MeterFrame, PortLog, RecordingPort, Transport};
pub use strip_ui::Action;

use std::path::PathBuf;

use crate::io::output::OutputConfig;
use crate::session::{self, Session};

impl eframe::App for ConsoleApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let dt = ctx.input(|i| i.stable_dt).min(0.1);
        self.tick(dt);
        // Meters move at ~30 Hz while audio plays and for a few seconds
        // after (peak holds fall); a stopped console only wakes twice a
        // second for the device status, instead of redrawing at 30 Hz for
        // nothing (costly with software rendering).
        let now = ctx.input(|i| i.time);
        if self.port.telemetry().is_some_and(|t| t.playing) {
            self.view.last_playing = now;
        }
        let ms = if now - self.view.last_playing < 4.0 {
            33
        } else {
            500
        };
        ctx.request_repaint_after(std::time::Duration::from_millis(ms));
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

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
    app.view.remember_recent = true;
    app.view.recent = recent::load();
    app.view.message = problem.or_else(|| app.port.offline().first().cloned());
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
