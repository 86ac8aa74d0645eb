//! The console application: the document (session + undo), the audio port,
//! and the view state. Widgets hand back values; `ConsoleApp::apply` turns
//! them into `Edit`s, records them for undo and tells the audio side.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::session::{self, Channel, ChannelKind, Edit, Effect, History, Session, Vca};
use crate::ui::port::{AudioPort, Transport};
use crate::ui::widgets::MeterBallistics;

/// The session being mixed, where it lives, and its undo history.
pub struct Document {
    pub session: Session,
    /// `None` for a session never saved.
    pub path: Option<PathBuf>,
    pub history: History,
    /// Bumped by every change; compared with `saved_generation` for the
    /// unsaved-changes marker.
    generation: u64,
    saved_generation: u64,
}

impl Document {
    pub fn new(session: Session, path: Option<PathBuf>) -> Self {
        Document {
            session,
            path,
            history: History::default(),
            generation: 0,
            saved_generation: 0,
        }
    }

    /// Treat the current state as saved (after the user chose to discard).
    pub fn force_clean(&mut self) {
        self.saved_generation = self.generation;
    }

    pub fn dirty(&self) -> bool {
        self.generation != self.saved_generation
    }

    /// The folder relative sources are resolved from.
    pub fn anchor(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("untitled.json"))
    }

    pub fn title(&self) -> String {
        let name = self
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map_or("untitled".to_owned(), |n| n.to_string_lossy().into_owned());
        format!("auxbus — {name}{}", if self.dirty() { " •" } else { "" })
    }
}

/// Dialogs and prompts the console can show.
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
        then: Box<Pending>,
    },
    Settings,
}

/// What to do once unsaved changes are dealt with.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    New,
    Open(PathBuf),
    Quit,
}

/// The audio settings being edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AudioForm {
    pub host: String,
    pub device: String,
    pub buffer: String,
}

/// Which page the central area shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Page {
    #[default]
    Console,
    Matrix,
    Flow,
}

/// Per-channel view state that is not part of the session.
#[derive(Default)]
pub struct View {
    pub meters: HashMap<String, [MeterBallistics; 2]>,
    pub dry: f32,
    pub wet: f32,
    /// Channel being renamed, and the text so far.
    pub renaming: Option<(String, String)>,
    pub dialog: Option<Dialog>,
    /// The last problem to show in the status line (a refused route, a bad file).
    pub message: Option<String>,
    pub recent: Vec<PathBuf>,
    pub looping: bool,
    pub dark: bool,
    pub zoom: f32,
    pub quit_confirmed: bool,
    /// Track ids and files the audio side last opened.
    pub loaded_tracks: Vec<(String, String)>,
    /// Size of the largest strip drawn so far: the place an off-screen strip keeps.
    pub strip_size: Option<egui::Vec2>,
    pub page: Page,
    pub matrix: super::matrix_ui::MatrixState,
    pub flow: super::flow_ui::FlowState,
    /// The channel whose "why is it silent?" window is open.
    pub why: Option<String>,
    /// The audio settings form, while the settings window is open.
    pub audio_form: Option<AudioForm>,
    /// The window title last sent.
    pub title: String,
    /// Keep the recent-sessions list in the user's config folder (off in tests).
    pub remember_recent: bool,
    /// What each insert (channel id, index) reports: gain reduction, resets.
    pub inserts: HashMap<(String, usize), InsertMeter>,
    /// Insert editors open, as (channel id, index).
    pub editors: Vec<(String, usize)>,
    /// When audio last played (egui time, seconds): meters animate until a
    /// few seconds after.
    pub last_playing: f64,
}

/// An insert's reading as the console shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct InsertMeter {
    /// Gain reduction with meter ballistics: instant rise, ~300 ms fall.
    pub reduction_db: f32,
    /// Resets after non-finite samples since the session was opened.
    pub resets: u32,
}

impl InsertMeter {
    pub fn update(&mut self, r: crate::fx::InsertReading, dt: f32) {
        let fall = (dt / 0.3).min(1.0);
        self.reduction_db = if r.reduction_db >= self.reduction_db {
            r.reduction_db
        } else {
            self.reduction_db + (r.reduction_db - self.reduction_db) * fall
        };
        self.resets += r.resets;
    }
}

pub struct ConsoleApp {
    pub doc: Document,
    pub port: Box<dyn AudioPort>,
    pub view: View,
}

impl ConsoleApp {
    pub fn new(session: Session, path: Option<PathBuf>, port: Box<dyn AudioPort>) -> Self {
        let loaded_tracks = tracks_of(&session);
        let view = View {
            dark: true,
            zoom: 1.0,
            loaded_tracks,
            ..View::default()
        };
        ConsoleApp {
            doc: Document::new(session, path),
            port,
            view,
        }
    }

    /// Applies one edit: records it for undo, marks the session changed and
    /// tells the audio side. A refused edit is reported, not applied.
    pub fn apply(&mut self, edit: Edit) {
        let channel = edit.channel().map(str::to_owned);
        match self.doc.history.apply(&mut self.doc.session, edit) {
            Ok(effect) => {
                self.doc.generation += 1;
                self.port
                    .changed(&self.doc.session, effect, channel.as_deref());
                if effect == Effect::Structure {
                    self.sync_tracks();
                }
            }
            Err(e) => self.view.message = Some(e.to_string()),
        }
    }

    /// Starts an undo group (a drag) or ends it.
    pub fn group(&mut self, begin: bool) {
        if begin {
            self.doc.history.begin_group();
        } else {
            self.doc.history.end_group();
        }
    }

    pub fn undo(&mut self) {
        if let Some(effect) = self.doc.history.undo(&mut self.doc.session) {
            self.after_history(effect);
        }
    }

    pub fn redo(&mut self) {
        if let Some(effect) = self.doc.history.redo(&mut self.doc.session) {
            self.after_history(effect);
        }
    }

    fn after_history(&mut self, effect: Effect) {
        self.doc.generation += 1;
        // Undo may touch several channels: refresh everything it could affect.
        let effect = if effect == Effect::Channel {
            Effect::AllChannels
        } else {
            effect
        };
        self.port.changed(&self.doc.session, effect, None);
        self.sync_tracks();
    }

    /// Reopens the sources when the tracks or their files are no longer
    /// what the audio side plays (a track was added, removed, or undone).
    fn sync_tracks(&mut self) {
        let now = tracks_of(&self.doc.session);
        if now != self.view.loaded_tracks {
            self.view.loaded_tracks = now;
            self.port.reload(&self.doc.session, &self.doc.anchor());
        }
    }

    pub fn save_to(&mut self, path: &Path) {
        match session::save(&self.doc.session, path) {
            Ok(()) => {
                self.doc.path = Some(path.to_owned());
                self.doc.saved_generation = self.doc.generation;
                self.view.message = Some(format!("saved {}", path.display()));
                self.remember(path);
            }
            Err(e) => self.view.message = Some(e.to_string()),
        }
    }

    pub fn save(&mut self) {
        match self.doc.path.clone() {
            Some(p) => self.save_to(&p),
            None => {
                self.view.dialog = Some(Dialog::SaveAs {
                    path: "session.json".into(),
                })
            }
        }
    }

    /// Opens a session file, replacing the current one (ask first if dirty).
    pub fn open(&mut self, path: &Path) {
        match session::load(path) {
            Ok(s) => {
                self.doc = Document::new(s, Some(path.to_owned()));
                self.view.meters.clear();
                self.view.loaded_tracks = tracks_of(&self.doc.session);
                self.port.reload(&self.doc.session, path);
                self.remember(path);
                self.view.message = self.port.offline().first().cloned();
            }
            Err(e) => self.view.message = Some(e.to_string()),
        }
    }

    fn remember(&mut self, path: &Path) {
        if self.view.remember_recent {
            super::recent::remember(&mut self.view.recent, path);
        }
    }

    pub fn new_session(&mut self) {
        self.doc = Document::new(Session::new(48_000), None);
        self.view.meters.clear();
        self.view.loaded_tracks = tracks_of(&self.doc.session);
        self.port.reload(&self.doc.session, &self.doc.anchor());
    }

    /// Runs `pending` now, or asks about unsaved changes first.
    pub fn request(&mut self, pending: Pending) {
        if self.doc.dirty() {
            self.view.dialog = Some(Dialog::ConfirmDiscard {
                then: Box::new(pending),
            });
        } else {
            self.perform(pending);
        }
    }

    pub fn perform(&mut self, pending: Pending) {
        match pending {
            Pending::New => self.new_session(),
            Pending::Open(p) => self.open(&p),
            Pending::Quit => self.view.quit_confirmed = true,
        }
    }

    /// Adds a track playing `file` (an audio file), routed to the master.
    pub fn add_track(&mut self, file: &Path) {
        let stem = file
            .file_stem()
            .map_or("track".to_owned(), |s| s.to_string_lossy().into_owned());
        let id = self.unique_id(&stem);
        let mut c = Channel::new(&id, ChannelKind::Track);
        c.name = stem;
        c.source = Some(file.display().to_string());
        let index = self.insert_index(ChannelKind::Track);
        self.apply(Edit::AddChannel { index, channel: c });
        if let Some(problem) = self
            .port
            .offline()
            .into_iter()
            .find(|m| m.contains(&format!("\"{id}\"")))
        {
            self.view.message = Some(problem);
        }
    }

    /// Adds an empty bus or aux.
    pub fn add_channel(&mut self, kind: ChannelKind) {
        let base = match kind {
            ChannelKind::Bus => "Bus",
            ChannelKind::Aux => "Aux",
            _ => "Channel",
        };
        let id = self.unique_id(&base.to_lowercase());
        let mut c = Channel::new(&id, kind);
        c.name = format!(
            "{base} {}",
            self.doc
                .session
                .channels
                .iter()
                .filter(|c| c.kind == kind)
                .count()
                + 1
        );
        let index = self.insert_index(kind);
        self.apply(Edit::AddChannel { index, channel: c });
    }

    pub fn add_vca(&mut self) {
        let id = self.unique_id("vca");
        let n = self.doc.session.vcas.len() + 1;
        let vca = Vca {
            id,
            name: format!("VCA {n}"),
            gain_db: Some(0.0),
            mute: false,
            members: Vec::new(),
        };
        self.apply(Edit::AddVca {
            index: self.doc.session.vcas.len(),
            vca,
        });
    }

    /// New channels go after the last of their kind (tracks, buses, auxes
    /// keep their groups), and always before the master.
    fn insert_index(&self, kind: ChannelKind) -> usize {
        let s = &self.doc.session;
        s.channels.iter().rposition(|c| c.kind == kind).map_or_else(
            || {
                s.channels
                    .iter()
                    .position(|c| c.kind == ChannelKind::Master)
                    .unwrap_or(s.channels.len())
            },
            |i| i + 1,
        )
    }

    fn unique_id(&self, base: &str) -> String {
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let taken = |id: &str| {
            self.doc.session.channel(id).is_some()
                || self.doc.session.vcas.iter().any(|v| v.id == id)
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|id| !taken(id))
            .unwrap_or(base)
    }

    pub fn transport(&mut self, t: Transport) {
        self.port.transport(t);
    }

    /// Once per frame: engine upkeep and meter ballistics.
    pub fn tick(&mut self, dt: f32) {
        self.port.poll();
        if let Some(frame) = self.port.take_meters() {
            let (channels, dry, wet) = (frame.channels, frame.dry, frame.wet);
            for (id, k, reading) in frame.inserts {
                let m = self.view.inserts.entry((id, k)).or_default();
                m.update(reading, dt);
            }
            for (id, reading) in channels {
                let m = self.view.meters.entry(id).or_default();
                for (side, meter) in m.iter_mut().enumerate() {
                    meter.update(reading.peak[side], reading.rms[side], dt);
                }
            }
            // Smooth the dry/wet display like the RMS meters (~300 ms).
            let k = (dt / 0.3).min(1.0);
            if dry.frames > 0 {
                let (d, w) = (
                    (dry.rms[0] + dry.rms[1]) * 0.5,
                    (wet.rms[0] + wet.rms[1]) * 0.5,
                );
                self.view.dry += (d - self.view.dry) * k;
                self.view.wet += (w - self.view.wet) * k;
            }
        } else {
            for m in self.view.meters.values_mut() {
                for side in m.iter_mut() {
                    side.update(0.0, 0.0, dt);
                }
            }
        }
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
