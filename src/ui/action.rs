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

use super::document::Document;
use crate::io::output::OutputConfig;
use crate::live::Monitoring;
use crate::session::{ChannelKind, Edit};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // ---- the document (every one of these can be undone)
    /// An edit; a fader, send, mute or solo edit on a member of a linked
    /// group moves the whole group (one step, see `session::groups`).
    Edit(Edit),
    /// An edit applied to its channel alone, never spread to a linked
    /// group (a control moved with Alt held).
    EditAlone(Edit),
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
    /// Stores, recalls, A/Bs, renames or deletes a scene, or shows them.
    Scene(SceneAction),
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
    // ---- recovery copies on offer (recovery_ui)
    /// Restores offer n as an unsaved document.
    Recover(usize),
    /// Deletes offer n's recovery copy.
    DiscardRecovery(usize),
    /// Hides the offers until the next open.
    PostponeRecovery,
    // ---- what is shown
    ShowPage(Page),
    ShowDialog(Dialog),
    CloseDialog,
    OpenEditor(String, usize),
    CloseEditor(String, usize),
    /// The "why is it silent?" window for a channel, or none.
    ShowWhy(Option<String>),
    ResetClip(String),
    /// Restarts the master's integrated loudness, true peak and over light.
    ResetLoudness,
    /// The master section beside the master strip unfolded or folded.
    ShowMasterSection(bool),
    /// The spectrum analyser window open or closed.
    ShowAnalyser(bool),
    /// How the analyser shows its measurement (slope, average, hold).
    SetSpectrum(crate::analysis::SpectrumSettings),
    ResetSpectrumPeaks,
    /// What the analyser looks at: a channel's output, or the master mix.
    SetAnalyserSource(Option<String>),
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
    // ---- level-matched A/B of a channel's inserts
    /// Compares this channel with and without its inserts (none: stop).
    AbSelect(Option<String>),
    /// Listen to B (inserts bypassed, matched) or A (processed).
    AbListen(bool),
    // ---- guided lessons (start one with `Request(Pending::Lesson(id))`)
    Lesson(LessonAction),
    // ---- export (File › Export)
    /// Opens the export window with its settings.
    ShowExport,
    /// Starts exporting a snapshot of the session.
    StartExport(Box<super::export::ExportRequest>),
    CancelExport,
    CloseExport,
    /// What the speakers play (mono, dim, listen to); never the mix itself.
    SetMonitoring(Monitoring),
    // ---- settings
    SetAudio(OutputConfig),
    SetDark(bool),
    /// Narrow strips on or off (instead of automatic).
    SetNarrow(bool),
    SetZoom(f32),
}

/// Scene requests, carried by `Action::Scene` (see `scenes`).
#[derive(Debug, Clone, PartialEq)]
pub enum SceneAction {
    /// Shows or hides the scenes window.
    Show(bool),
    /// The scene whose differences from the mix are listed (or none).
    Select(Option<String>),
    /// Stores the mix as it is under this name: a new scene, or over the
    /// scene of that name.
    Store(String),
    Recall(String),
    /// Recalls the other of the two scenes recalled most recently (Ctrl+B).
    Toggle,
    /// Starts typing a new name for a scene (`None`: stops, keeping the old).
    StartRename(Option<String>),
    Rename {
        from: String,
        to: String,
    },
    Delete(String),
}

/// Sees every action after it was applied (lessons check the mix here);
/// registered with `ConsoleApp::observe`.
pub trait ActionObserver {
    fn observe(&mut self, action: &Action, doc: &Document);
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
    /// The lesson with this id, on the learner's copy of its session (made
    /// from the shipped one the first time).
    Lesson(String),
    /// The lesson with this id, from its shipped session again.
    RestartLesson(String),
}

/// What the learner asks of the lesson in progress.
#[derive(Debug, Clone, PartialEq)]
pub enum LessonAction {
    /// Shows the current step's next hint.
    Hint,
    /// Undoes everything done since the current step began.
    ResetStep,
    /// Closes the lesson panel (the session stays open).
    Close,
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
    /// The linked groups: members and what they link.
    Groups,
}

impl Action {
    /// The edit behind a fader-like control: a gesture opens a group, a
    /// change edits, the end of the gesture closes the group. With Alt held
    /// the edit stays on its channel (a linked group does not follow).
    pub fn from_control(r: &egui::Response, out: &mut Vec<Action>, edit: impl FnOnce() -> Edit) {
        if r.drag_started() {
            out.push(Action::BeginGesture);
        }
        if r.changed() {
            if r.ctx.input(|i| i.modifiers.alt) {
                out.push(Action::EditAlone(edit()));
            } else {
                out.push(Action::Edit(edit()));
            }
        }
        if r.drag_stopped() {
            out.push(Action::EndGesture);
        }
    }
}
