//! The console: an eframe app over the session document.
//!
//! ```text
//!  pages & widgets ──Action──► ConsoleApp::dispatch ──Edit──► Document (session + undo)
//!   (console, matrix,               │                             │ Applied
//!    flow, editors,                 ├─► observers (lessons)       ▼
//!    dialogs, keys)                 └─► AudioPort ◄──── graph::change_of
//!        ▲                                 │
//!        └── MeterView ◄── meters ─────────┘ (EngineHandle, or a recorder in tests)
//! ```
//! Rooms: `action` is the vocabulary of every user intent; `app` holds the
//! state and the one reducer; `document` the session and its history;
//! `port` the one door to the audio side; `meters` what the meters show.
//! Each page owns its state (`console_ui::ConsoleState`,
//! `matrix_ui::MatrixState`, `flow_ui::FlowState`,
//! `editors_ui::EditorsState`, `frame_ui::Shell` for the window), reads
//! only the slices it draws, and emits actions. UI files end in `_ui.rs`.

mod ab;
mod ab_ui;
mod action;
mod analysers;
mod app;
pub mod autosave;
mod console_ui;
mod dialogs_ui;
mod document;
mod editors_ui;
mod effect_pictures_ui;
mod export;
mod export_ui;
mod flow_edges_ui;
pub mod flow_layout;
mod flow_nodes_ui;
mod flow_page_ui;
pub mod flow_session;
pub mod flow_ui;
mod frame_ui;
mod groups_ui;
mod hearing_ui;
pub mod hints;
mod insert_editor_ui;
mod inserts_ui;
mod lesson_app;
mod lesson_state;
mod lesson_ui;
mod loudness;
mod loudness_ui;
mod marks_ui;
mod master_section_ui;
pub mod matrix_ui;
mod menu_ui;
mod meters;
mod monitor_ui;
mod pacing;
mod port;
mod recent;
mod recovery_ui;
mod run;
mod scenes;
mod scenes_ui;
mod sends_ui;
mod settings_ui;
mod spectrum_ui;
mod status;
mod stereo_ui;
mod strip_fader_ui;
mod strip_layout;
mod strip_ui;
mod theme;
mod timecode;
mod timeline_ui;
mod toggle_ui;
mod transport_ui;
mod vca_strip_ui;
mod view_actions;
mod why_ui;
pub mod widgets;

pub use ab::AbMatch;
pub use action::{
    Action, ActionObserver, Dialog, LessonAction, Page, Pending, SceneAction, Transport,
};
pub use app::ConsoleApp;
pub use document::{Applied, Document};
pub use export::{ExportForm, ExportOutcome, ExportRange, ExportRequest, ExportState};
pub use lesson_state::{LessonRun, LessonState, SETTLE};
pub use meters::{InsertMeter, MeterView, SourceLevels};
pub use port::{AudioPort, LivePort, MeterFrame, PortLog, RecordingPort};
pub use run::run;
pub use scenes::ScenesState;
pub use status::StatusMessage;
