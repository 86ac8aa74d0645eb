//! Every user intent in the console, as data. Pages and widgets never
//! change the document, the transport or another page's state themselves:
//! they emit an `Action`, and `ConsoleApp::dispatch` — the one reducer —
//! applies it. Lessons and tests observe the same stream.
//!
//! ```text
//!  pages, widgets, keys ──Action──► ConsoleApp::dispatch ──Edit──► Document (+ undo)
//!                                        │                             │ Applied
//!                                        ├──► observers (lessons)      ▼
//!                                        └──► AudioPort ◄── graph::change_of
//! ```

use std::path::PathBuf;

use crate::io::output::OutputConfig;
use crate::session::{ChannelKind, Edit};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // ---- the document (every one of these can be undone)
    Edit(Edit),
    /// A drag or a typed gesture starts: its edits become one undo step.
    BeginGesture,
    EndGesture,
    Undo,
    Redo,
    /// A track playing this audio file, after the other tracks.
    AddTrack(PathBuf),
    /// An empty bus or aux, after the others of its kind.
    AddChannel(ChannelKind),
    AddVca,
    /// Removes a channel and every route, send and VCA membership naming it.
    RemoveChannel(String),
    RemoveVca(String),
    /// Moves a channel one place left (−1) or right (+1).
    MoveChannel(String, i32),
    // ---- transport
    Transport(Transport),
    /// The loop range on the timeline (`None`: the whole session).
    SetLoopRange(Option<(f64, f64)>),
    /// Show time as bars:beats (true) or minutes:seconds.
    SetBars(bool),
    // ---- files
    /// New, open or quit: asks first when there are unsaved changes.
    Request(Pending),
    /// Unsaved changes are dropped and `Pending` goes ahead.
    DiscardThen(Pending),
    /// Saves, then `Pending` goes ahead if the save worked.
    SaveThen(Pending),
    Save,
    SaveAs(PathBuf),
    // ---- what is shown
    ShowPage(Page),
    ShowDialog(Dialog),
    CloseDialog,
    OpenEditor(String, usize),
    CloseEditor(String, usize),
    /// The "why is it silent?" window for a channel, or none.
    ShowWhy(Option<String>),
    ResetClip(String),
    /// A matrix row is selected for "send selected to …" (or not).
    SelectRow(String, bool),
    /// The channel selected in the flow view.
    SelectFlow(Option<String>),
    /// Stop showing the routing loop the session last refused.
    DismissLoop,
    StartRename(String),
    EndRename,
    /// A line for the status bar.
    ShowMessage(String),
    DismissMessage,
    // ---- settings
    SetAudio(OutputConfig),
    SetDark(bool),
    /// Narrow strips on or off (instead of automatic).
    SetNarrow(bool),
    SetZoom(f32),
}

/// Transport requests.
#[derive(Debug, Clone, PartialEq)]
pub enum Transport {
    Play,
    Pause,
    Stop,
    Seek(f64),
    Loop(Option<(f64, f64)>),
}

/// What waits for unsaved changes to be dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    New,
    Open(PathBuf),
    Quit,
}

/// Which page the central area shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Page {
    #[default]
    Console,
    Matrix,
    Flow,
}

/// Dialog windows, with the text typed into them so far.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    Open {
        path: String,
    },
    SaveAs {
        path: String,
    },
    AddTrack {
        path: String,
    },
    /// Unsaved changes would be lost by `then`.
    ConfirmDiscard {
        then: Pending,
    },
    Settings,
}

impl Action {
    /// The edit behind a fader-like control: a gesture opens a group, a
    /// change edits, the end of the gesture closes the group.
    pub fn from_control(r: &egui::Response, out: &mut Vec<Action>, edit: impl FnOnce() -> Edit) {
        if r.drag_started() {
            out.push(Action::BeginGesture);
        }
        if r.changed() {
            out.push(Action::Edit(edit()));
        }
        if r.drag_stopped() {
            out.push(Action::EndGesture);
        }
    }
}
