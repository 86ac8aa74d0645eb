//! The console application: the document, the audio port, the meters and
//! each page's state — and `dispatch`, the one reducer every `Action`
//! goes through.
//!
//! ```text
//!  frame_ui::draw ──Vec<Action>──► dispatch ──► Document::apply ──► Applied
//!                                     │                               │
//!                                     │  editors follow ◄─────────────┤
//!                                     │  AudioPort::changed ◄─────────┘
//!                                     └─► observers (lessons, tests)
//! ```

use std::path::{Path, PathBuf};

use super::action::{Action, Dialog, Pending, Transport};
use super::console_ui::ConsoleState;
use super::document::{Applied, Document};
use super::editors_ui::EditorsState;
use super::flow_ui::FlowState;
use super::frame_ui::{FrameParts, Shell, draw};
use super::matrix_ui::MatrixState;
use super::meters::MeterView;
use super::port::AudioPort;
use super::status::StatusMessage;
use crate::graph::{Change, Moving};
use crate::session::{self, ChannelKind, Edit, Session};

/// Device state, play position and messages, compared frame to frame.
type QuietState = (
    Option<(bool, Option<String>, u64, u64, i64, Option<String>)>,
    Option<StatusMessage>,
    bool,
);

/// Seconds a passing note (a refused edit, a save) stays in the status line.
const NOTE_SECONDS: u64 = 8;

/// Sees every action after it was applied (lessons check the mix here).
pub trait ActionObserver {
    fn observe(&mut self, action: &Action, doc: &Document);
}

pub struct ConsoleApp {
    pub doc: Document,
    pub port: Box<dyn AudioPort>,
    pub meters: MeterView,
    pub shell: Shell,
    pub console: ConsoleState,
    pub matrix: MatrixState,
    pub flow: FlowState,
    pub editors: EditorsState,
    /// What a drag is moving right now (a channel's fader or pan, a VCA):
    /// its post-fader send taps light up on every page.
    pub gesture: Option<Moving>,
    gesture_open: bool,
    /// Track ids and files the audio side last opened.
    loaded_tracks: Vec<(String, String)>,
    /// Keep the recent-sessions list in the user's config folder (off in tests).
    pub remember_recent: bool,
    /// When audio last played (egui time, seconds): meters animate until a
    /// few seconds after.
    last_playing: f64,
    /// Time of the last frame (egui time, seconds), for the next frame's `dt`.
    last_frame: Option<f64>,
    /// What the stopped console shows that can change by itself, and when
    /// it last did.
    quiet: Option<QuietState>,
    last_change: f64,
    /// The window title and theme last sent to the window.
    title: String,
    theme: Option<(bool, f32)>,
    quit_confirmed: bool,
    observers: Vec<Box<dyn ActionObserver>>,
}

impl ConsoleApp {
    pub fn new(session: Session, path: Option<PathBuf>, port: Box<dyn AudioPort>) -> Self {
        ConsoleApp {
            loaded_tracks: tracks_of(&session),
            doc: Document::new(session, path),
            port,
            meters: MeterView::default(),
            shell: Shell {
                dark: true,
                zoom: 1.0,
                ..Shell::default()
            },
            console: ConsoleState::default(),
            matrix: MatrixState::default(),
            flow: FlowState::default(),
            editors: EditorsState::default(),
            gesture: None,
            gesture_open: false,
            remember_recent: false,
            last_playing: f64::NEG_INFINITY,
            last_frame: None,
            quiet: None,
            last_change: 0.0,
            title: String::new(),
            theme: None,
            quit_confirmed: false,
            observers: Vec::new(),
        }
    }

    /// Registers `o` to see every action from now on.
    pub fn observe(&mut self, o: Box<dyn ActionObserver>) {
        self.observers.push(o);
    }

    /// Draws one frame and applies what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let theme = (self.shell.dark, self.shell.zoom);
        if self.theme != Some(theme) {
            ctx.set_visuals(if theme.0 {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            });
            ctx.set_zoom_factor(theme.1);
            self.theme = Some(theme);
        }
        // The matrix names the pan law of mono tracks in its hovers.
        self.matrix.mono = self.port.mono_tracks();
        let parts = FrameParts {
            doc: &self.doc,
            meters: &self.meters,
            shell: &mut self.shell,
            console: &mut self.console,
            matrix: &self.matrix,
            flow: &mut self.flow,
            editors: &self.editors,
            telemetry: self.port.telemetry(),
            offline: self.port.offline(),
            mono: self.port.mono_tracks(),
            length: self.port.length_seconds(),
            config: self.port.output_config(),
        };
        for a in draw(ui, parts) {
            self.dispatch(a);
        }
        // Only on change: every viewport command also requests a repaint.
        let title = self.doc.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.quit_confirmed {
            self.quit_confirmed = false;
            self.doc.force_clean();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Once per frame before drawing: engine upkeep and meter ballistics,
    /// `dt` seconds of wall-clock time after the last frame.
    pub fn tick(&mut self, dt: f32) {
        self.port.poll();
        let frame = self.port.take_meters();
        self.meters.tick(frame, dt);
    }

    /// How long until the next frame: meters move at ~30 Hz while audio
    /// plays and a few seconds after (peak holds fall); a stopped console
    /// wakes twice a second while anything changes (the device, a message,
    /// a seek), and only every few seconds once all is quiet — with software
    /// rendering every frame costs, and a still console should cost nothing.
    pub fn repaint_after(&mut self, now: f64) -> std::time::Duration {
        let t = self.port.telemetry();
        if t.as_ref().is_some_and(|t| t.playing) {
            self.last_playing = now;
        }
        let state = t.map(|t| {
            let d = t.device;
            (
                d.ok,
                d.last_error,
                d.xruns,
                t.underruns,
                (t.position_seconds * 10.0).round() as i64,
                t.last_disk_error,
            )
        });
        let quiet = (
            state,
            self.shell.message.clone(),
            self.shell.dialog.is_some(),
        );
        if self.quiet.as_ref() != Some(&quiet) {
            self.quiet = Some(quiet);
            self.last_change = now;
        }
        let ms = if now - self.last_playing < 4.0 {
            33
        } else if now - self.last_change < 10.0 || self.shell.message.is_some() {
            500
        } else {
            5000
        };
        std::time::Duration::from_millis(ms)
    }

    /// The one reducer: applies `action`, then lets observers see it.
    pub fn dispatch(&mut self, action: Action) {
        self.reduce(action.clone());
        for o in &mut self.observers {
            o.observe(&action, &self.doc);
        }
    }

    fn reduce(&mut self, action: Action) {
        let s = self.doc.session();
        match action {
            Action::Edit(e) => {
                if self.gesture_open
                    && let Some(m) = Moving::of_edit(&e)
                {
                    self.set_gesture(Some(m));
                }
                self.edit(e)
            }
            Action::BeginGesture => {
                self.gesture_open = true;
                self.doc.begin_group()
            }
            Action::EndGesture => {
                self.gesture_open = false;
                self.set_gesture(None);
                self.doc.end_group()
            }
            Action::Undo => {
                if let Some(a) = self.doc.undo() {
                    self.applied(a);
                }
            }
            Action::Redo => {
                if let Some(a) = self.doc.redo() {
                    self.applied(a);
                }
            }
            Action::AddTrack(file) => self.add_track(&file),
            Action::AddChannel(kind) => self.edit(Edit::add_channel(s, kind)),
            Action::AddVca => self.edit(Edit::add_vca(s)),
            Action::RemoveChannel(id) => self.edit(Edit::remove_channel(s, &id)),
            Action::RemoveVca(id) => self.edit(Edit::RemoveVca { id }),
            Action::MoveChannel(id, by) => {
                if let Some(e) = Edit::move_channel(s, &id, by) {
                    self.edit(e);
                }
            }
            Action::Transport(t) => {
                if let Transport::Loop(range) = &t {
                    self.shell.looping = range.is_some();
                }
                self.port.transport(t);
            }
            Action::Request(p) if self.doc.dirty() => {
                self.shell.dialog = Some(Dialog::ConfirmDiscard { then: p });
            }
            Action::Request(p) => self.perform(p),
            Action::DiscardThen(p) => {
                self.doc.force_clean();
                self.perform(p);
            }
            Action::SaveThen(p) => {
                self.save();
                if !self.doc.dirty() {
                    self.perform(p);
                }
            }
            Action::Save => self.save(),
            Action::SaveAs(path) => self.save_to(&path),
            Action::ShowPage(p) => self.shell.page = p,
            Action::ShowDialog(d) => self.shell.dialog = Some(d),
            Action::CloseDialog => {
                self.shell.dialog = None;
                self.shell.browser = None;
                self.shell.settings.close();
            }
            Action::OpenEditor(id, k) => self.editors.open(id, k),
            Action::CloseEditor(id, k) => self.editors.close(&id, k),
            Action::ShowWhy(id) => self.shell.why = id,
            Action::ResetClip(id) => self.meters.reset_clip(&id),
            Action::SelectRow(id, on) => self.matrix.select(id, on),
            Action::SelectFlow(id) => self.flow.selected = id,
            Action::DismissLoop => self.flow.refused = None,
            Action::StartRename(id) => {
                let name = s.channel(&id).map(|c| c.display_name().to_owned());
                self.console.renaming = name.map(|n| (id, n));
            }
            Action::EndRename => self.console.renaming = None,
            Action::ShowMessage(m) => {
                self.shell.message = Some(StatusMessage::note(m, NOTE_SECONDS))
            }
            Action::DismissMessage => self.shell.message = None,
            Action::SetAudio(config) => {
                let anchor = self.doc.anchor();
                self.port
                    .set_output_config(self.doc.session(), &anchor, config);
            }
            Action::SetLoopRange(range) => self.shell.loop_range = range,
            Action::SetBars(bars) => self.shell.bars = bars,
            Action::SetDark(dark) => self.shell.dark = dark,
            Action::SetNarrow(on) => self.console.narrow = Some(on),
            Action::SetZoom(zoom) => self.shell.zoom = zoom.clamp(0.75, 2.0),
        }
    }

    /// Applies one edit; a refused edit is reported, not applied. A
    /// refused routing loop is named by channel names in the status line
    /// and drawn in the flow view.
    fn edit(&mut self, e: Edit) {
        match self.doc.apply(e) {
            Ok(a) => {
                if a.change == Change::Structure {
                    self.flow.refused = None;
                }
                self.applied(a)
            }
            Err(e) => match crate::graph::loop_of_error(self.doc.session(), &e) {
                Some(l) => {
                    self.note(format!(
                        "Refused: {} would make a loop ({}); see the Flow page",
                        super::hints::shown(l.by_name()),
                        l.sentence()
                    ));
                    self.flow.refused = Some(l);
                }
                None => self.note(e.to_string()),
            },
        }
    }

    /// What is moving, for every page that lights the taps that follow it.
    fn set_gesture(&mut self, m: Option<Moving>) {
        self.matrix.moving = m.clone();
        self.flow.moving = m.clone();
        self.gesture = m;
    }

    fn note(&mut self, text: String) {
        self.shell.message = Some(StatusMessage::note(text, NOTE_SECONDS));
    }

    /// After the document changed: open editors follow their inserts, the
    /// audio side hears of it, and sources are reopened if tracks changed.
    fn applied(&mut self, a: Applied) {
        for e in &a.edits {
            self.editors.follow(e);
        }
        match a.change {
            Change::Reload => {
                self.loaded_tracks = tracks_of(self.doc.session());
                self.port.reload(self.doc.session(), &self.doc.anchor());
            }
            change => {
                self.port
                    .changed(self.doc.session(), change, a.channel.as_deref());
                if change == Change::Structure {
                    self.sync_tracks();
                }
            }
        }
    }

    /// Reopens the sources when the tracks or their files are no longer
    /// what the audio side plays (a track was added, removed, or undone).
    fn sync_tracks(&mut self) {
        let now = tracks_of(self.doc.session());
        if now != self.loaded_tracks {
            self.loaded_tracks = now;
            self.port.reload(self.doc.session(), &self.doc.anchor());
        }
    }

    fn add_track(&mut self, file: &Path) {
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

    fn save(&mut self) {
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
            }
            Err(e) => self.note(e.to_string()),
        }
    }

    pub fn new_session(&mut self) {
        self.replace(Document::new(Session::new(48_000), None));
    }

    fn replace(&mut self, doc: Document) {
        self.doc = doc;
        self.meters.clear();
        self.editors = EditorsState::default();
        self.loaded_tracks = tracks_of(self.doc.session());
        self.port.reload(self.doc.session(), &self.doc.anchor());
    }

    fn remember(&mut self, path: &Path) {
        if self.remember_recent {
            super::recent::remember(&mut self.shell.recent, path);
        }
    }

    fn perform(&mut self, pending: Pending) {
        match pending {
            Pending::New => self.new_session(),
            Pending::Open(p) => self.open(&p),
            Pending::Quit => self.quit_confirmed = true,
        }
    }
}

impl eframe::App for ConsoleApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Wall-clock time since the last frame, unclamped: ballistics and
        // timers must run as fast at 2 frames per second as at 144 (egui's
        // `stable_dt` is clamped and would slow them down).
        let now = ctx.input(|i| i.time);
        let dt = self.last_frame.map_or(0.0, |t| (now - t).max(0.0)) as f32;
        self.last_frame = Some(now);
        self.tick(dt);
        ctx.request_repaint_after(self.repaint_after(now));
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// The tracks and their files, to tell when sources must be reopened.
fn tracks_of(s: &Session) -> Vec<(String, String)> {
    s.channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Track)
        .map(|c| (c.id.clone(), c.source.clone().unwrap_or_default()))
        .collect()
}
