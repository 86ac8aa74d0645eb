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

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::action::{Action, ActionObserver, Dialog, Pending, Transport};
use super::autosave::Autosave;
use super::console_ui::ConsoleState;
use super::document::{Applied, Document};
use super::editors_ui::EditorsState;
use super::export::{ExportForm, ExportState};
use super::flow_ui::FlowState;
use super::frame_ui::{FrameParts, Shell, draw};
use super::lesson_state::{LessonObserver, LessonState};
use super::matrix_ui::MatrixState;
use super::meters::MeterView;
use super::pacing::Pacer;
use super::port::AudioPort;
use super::recovery_ui::{RecoveryState, recovery_window};
use super::status::StatusMessage;
use crate::graph::Change;
use crate::session::{self, ChannelKind, Edit, LinkGesture, Session};

/// Seconds a passing note (a refused edit, a save) stays in the status line.
const NOTE_SECONDS: u64 = 8;

pub struct ConsoleApp {
    pub doc: Document,
    pub port: Box<dyn AudioPort>,
    pub meters: MeterView,
    pub shell: Shell,
    pub console: ConsoleState,
    pub matrix: MatrixState,
    pub flow: FlowState,
    pub editors: EditorsState,
    pub export: ExportState,
    /// Track ids and files the audio side last opened.
    loaded_tracks: Vec<(String, String)>,
    /// Keep the recent-sessions list in the user's config folder (off in tests).
    pub remember_recent: bool,
    /// How often frames come.
    pacer: Pacer,
    /// The window title and theme last sent to the window.
    title: String,
    theme: Option<(bool, f32)>,
    quit_confirmed: bool,
    observers: Vec<Box<dyn ActionObserver>>,
    /// Writes recovery copies while there are unsaved changes (off in tests
    /// unless they set one up).
    pub autosave: Option<Autosave>,
    pub recovery: RecoveryState,
    /// Where a linked group's gesture started (see `session::groups`).
    pub links: LinkGesture,
    /// The guided lessons and the one in progress (shared with its observer).
    pub lessons: Rc<RefCell<LessonState>>,
}

impl ConsoleApp {
    pub fn new(session: Session, path: Option<PathBuf>, port: Box<dyn AudioPort>) -> Self {
        let lessons = Rc::new(RefCell::new(LessonState::from_dir(
            &crate::lessons::default_dir(),
        )));
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
            export: ExportState::default(),
            remember_recent: false,
            pacer: Pacer::default(),
            title: String::new(),
            theme: None,
            quit_confirmed: false,
            observers: vec![Box::new(LessonObserver(lessons.clone()))],
            autosave: None,
            recovery: RecoveryState::default(),
            links: LinkGesture::default(),
            lessons,
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
            lessons: &self.lessons,
        };
        let mut actions = draw(ui, parts);
        recovery_window(&ctx, &self.recovery, &mut actions);
        self.export.poll();
        let anchor = self.doc.anchor();
        super::export_ui::export_window(
            &ctx,
            &mut self.export,
            self.doc.session(),
            &anchor,
            &mut actions,
        );
        for a in actions {
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
        let (loudness, rate) = (&mut self.meters.loudness, self.doc.session().sample_rate);
        self.port.drain_master(&mut |s| loudness.add(s, rate));
        let ab = &mut self.meters.ab;
        self.port.drain_ab(&mut |s| ab.add(s, rate));
        if let Some(gain) = self.meters.ab.update(dt) {
            let ab = &self.meters.ab;
            self.port.set_ab(ab.channel.as_deref(), ab.listen_b, gain);
        }
        let frame = self.port.take_meters();
        self.meters.tick(frame, dt);
        if let Some(problem) = self.autosave.as_mut().and_then(|a| a.tick(&self.doc)) {
            self.shell.message = Some(StatusMessage::note(problem, NOTE_SECONDS));
        }
    }

    /// How long until the next frame is wanted (see `pacing`).
    pub fn repaint_after(&mut self, now: f64) -> std::time::Duration {
        self.pacer.repaint_after(
            now,
            self.port.telemetry(),
            self.shell.message.as_ref(),
            self.shell.dialog.is_some() || self.export.running(),
        )
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
                let e = self.links.spread(s, e);
                self.edit(e)
            }
            Action::EditAlone(e) => self.edit(e),
            Action::BeginGesture => {
                self.doc.begin_group();
                self.links.begin();
            }
            Action::EndGesture => {
                self.doc.end_group();
                self.links.end();
            }
            Action::Lesson(a) => self.lesson_action(a),
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
                    self.export.loop_range = *range;
                }
                // Integrated loudness covers one pass of playing from here.
                if matches!(t, Transport::Stop | Transport::Seek(_)) {
                    self.meters.loudness.reset();
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
            Action::Recover(i) => self.recover(i),
            Action::DiscardRecovery(i) if i < self.recovery.offers.len() => {
                self.recovery.offers.remove(i).recovery.discard();
            }
            Action::DiscardRecovery(_) => {}
            Action::PostponeRecovery => self.recovery.postponed = true,
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
            Action::ResetLoudness => self.meters.loudness.reset(),
            Action::SelectRow(id, on) => self.matrix.select(id, on),
            Action::SelectFlow(id) => self.flow.selected = id,
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
            Action::AbSelect(id) => {
                self.meters.ab.select(id);
                let ab = &self.meters.ab;
                self.port
                    .set_ab(ab.channel.as_deref(), false, ab.linear_gain());
            }
            Action::AbListen(b) => {
                self.meters.ab.listen_b = b;
                let ab = &self.meters.ab;
                self.port.set_ab(ab.channel.as_deref(), b, ab.linear_gain());
            }
            Action::ShowExport => {
                let form = self.export.form.take();
                self.export.form =
                    Some(form.unwrap_or_else(|| ExportForm::beside(&self.doc.anchor())));
                self.export.outcome = None;
            }
            Action::StartExport(req) => self.export.start(*req),
            Action::CancelExport => {
                if let Some(job) = &self.export.job {
                    job.cancel();
                }
            }
            Action::CloseExport => {
                self.export.form = None;
                self.export.outcome = None;
            }
            Action::SetDark(dark) => self.shell.dark = dark,
            Action::SetNarrow(on) => self.console.narrow = Some(on),
            Action::SetZoom(zoom) => self.shell.zoom = zoom.clamp(0.75, 2.0),
        }
    }

    /// Applies one edit; a refused edit is reported, not applied.
    fn edit(&mut self, e: Edit) {
        match self.doc.apply(e) {
            Ok(a) => self.applied(a),
            Err(e) => self.note(e.to_string()),
        }
    }

    pub(super) fn note(&mut self, text: String) {
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
                self.offer_recovery();
            }
            Err(e) => self.note(e.to_string()),
        }
    }

    pub fn new_session(&mut self) {
        self.replace(Document::new(Session::new(48_000), None));
    }

    pub(super) fn replace(&mut self, doc: Document) {
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
            Pending::Lesson(id) => self.start_lesson(&id, false),
            Pending::RestartLesson(id) => self.start_lesson(&id, true),
        }
    }
}

impl eframe::App for ConsoleApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let now = ctx.input(|i| i.time);
        let dt = self.pacer.frame_dt(now);
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
