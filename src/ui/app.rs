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
use std::path::PathBuf;
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
use super::view_actions::{NOTE_SECONDS, Pages, reduce_view};
use crate::graph::{Change, Moving};
use crate::session::{Edit, LinkGesture, Session};

mod files;

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
    /// What a drag is moving right now (a channel's fader or pan, a VCA):
    /// its post-fader send taps light up on every page.
    pub gesture: Option<Moving>,
    gesture_open: bool,
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
            loaded_tracks: Document::tracks_of(&session),
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
            gesture: None,
            gesture_open: false,
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
            lessons: &self.lessons,
        };
        let mut actions = draw(ui, parts);
        recovery_window(&ctx, &self.recovery, &mut actions);
        super::widgets::settle_wheel_latch(&ctx);
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
        let (meters, rate) = (&mut self.meters, self.doc.session().sample_rate);
        self.port
            .drain_analysis(&mut |s| meters.analysers.add(s, rate, &mut meters.loudness));
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
        match action {
            Action::Edit(e) => {
                if self.gesture_open
                    && let Some(m) = Moving::of_edit(&e)
                {
                    self.set_gesture(Some(m));
                }
                let e = self.links.spread(self.doc.session(), e);
                self.edit(e)
            }
            Action::EditAlone(e) => self.edit(e),
            action => self.reduce_rest(action),
        }
    }

    fn reduce_rest(&mut self, action: Action) {
        let s = self.doc.session();
        match action {
            Action::Edit(_) | Action::EditAlone(_) => {}
            Action::BeginGesture => {
                self.gesture_open = true;
                self.doc.begin_group();
                self.links.begin();
            }
            Action::EndGesture => {
                self.gesture_open = false;
                self.set_gesture(None);
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
            Action::Scene(a) => {
                for then in self.shell.scenes.reduce(a, s) {
                    self.reduce(then);
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
            Action::SetAudio(config) => {
                let anchor = self.doc.anchor();
                self.port
                    .set_output_config(self.doc.session(), &anchor, config);
            }
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
            Action::SetAnalyserSource(source) => {
                self.port.set_probe(source.as_deref());
                self.meters.analysers.set_source(source);
            }
            Action::SetMonitoring(m) => {
                self.port.set_monitoring(&m);
                self.shell.monitoring = m;
            }
            view => {
                let pages = Pages {
                    shell: &mut self.shell,
                    console: &mut self.console,
                    matrix: &mut self.matrix,
                    flow: &mut self.flow,
                    editors: &mut self.editors,
                    meters: &mut self.meters,
                };
                reduce_view(pages, self.doc.session(), view);
            }
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
                self.loaded_tracks = self.doc.tracks();
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
        let now = self.doc.tracks();
        if now != self.loaded_tracks {
            self.loaded_tracks = now;
            self.port.reload(self.doc.session(), &self.doc.anchor());
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
