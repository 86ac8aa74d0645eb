//! One frame of the whole window: menus and transport on top, the status
//! line below, the master at the right, the page in the middle, and the
//! windows (editors, why-silent, dialogs) on top. Keys and dropped files
//! become actions here too. Nothing is applied: `draw` returns the actions.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::action::{Action, Dialog, Page, Pending, Transport};
use super::console_ui::{ConsoleState, master_panel, strips};
use super::document::Document;
use super::editors_ui::{EditorsState, editor_windows};
use super::flow_ui::FlowState;
use super::matrix_ui::{MatrixState, matrix};
use super::menu_ui::{MenuView, menu_bar};
use super::meters::MeterView;
use super::settings_ui::{SettingsState, SettingsView, settings_window};
use super::status::StatusMessage;
use super::strip_fader_ui::MIN_FADER;
use super::strip_layout::{StripContext, StripLayout};
use super::timeline_ui::TimelineDrag;
use super::transport_ui::{TransportView, transport_bar};
use crate::io::output::OutputConfig;
use crate::live::Telemetry;

/// The window's own state: what is shown around the pages.
#[derive(Default)]
pub struct Shell {
    pub page: Page,
    pub dialog: Option<Dialog>,
    /// The last problem to show in the status line (a refused route, a bad file).
    pub message: Option<StatusMessage>,
    /// The channel whose "why is it silent?" window is open.
    pub why: Option<String>,
    pub recent: Vec<PathBuf>,
    pub looping: bool,
    /// The loop range chosen on the timeline (`None`: the whole session).
    pub loop_range: Option<(f64, f64)>,
    /// Time as bars:beats.
    pub bars: bool,
    /// A drag on the timeline in progress.
    pub timeline_drag: Option<TimelineDrag>,
    pub dark: bool,
    pub zoom: f32,
    /// The settings window's own state.
    pub settings: SettingsState,
    /// The monitor section's choice: what the speakers play.
    pub monitoring: crate::live::Monitoring,
    /// The built-in file browser, while one is open.
    pub browser: Option<egui_file::FileDialog>,
    /// The scenes window and the two scenes A/B switches between.
    pub scenes: super::scenes::ScenesState,
}

/// Everything one frame reads, and the page states it may scroll or type into.
pub struct FrameParts<'a> {
    pub doc: &'a Document,
    pub meters: &'a MeterView,
    pub shell: &'a mut Shell,
    pub console: &'a mut ConsoleState,
    pub matrix: &'a MatrixState,
    pub flow: &'a mut FlowState,
    pub editors: &'a EditorsState,
    pub telemetry: Option<Telemetry>,
    pub offline: Vec<String>,
    /// Tracks whose source is mono.
    pub mono: Vec<String>,
    pub length: Option<f64>,
    pub config: OutputConfig,
    pub lessons: &'a std::cell::RefCell<super::lesson_state::LessonState>,
}

pub fn draw(ui: &mut Ui, p: FrameParts) -> Vec<Action> {
    let mut out = Vec::new();
    let ctx = ui.ctx().clone();
    keyboard(&ctx, &p, &mut out);
    dropped_files(&ctx, &mut out);
    if ctx.input(|i| i.viewport().close_requested()) && p.doc.dirty() {
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        out.push(Action::Request(Pending::Quit));
    }
    let s = p.doc.session();
    egui::Panel::top("menu").show(ui, |ui| {
        let menu = MenuView {
            recent: &p.shell.recent,
            path: p.doc.path.as_deref(),
            can_undo: p.doc.can_undo(),
            can_redo: p.doc.can_redo(),
            page: p.shell.page,
            narrow: p.console.is_narrow(s.channels.len() + s.vcas.len()),
            analyser: p.meters.analysers.spectrum.open,
            master_section: p.console.section_shown,
            lessons: p.lessons,
        };
        menu_bar(ui, &menu, &mut out);
        let transport = TransportView {
            telemetry: p.telemetry.as_ref(),
            looping: p.shell.looping,
            loop_range: p.shell.loop_range,
            bars: p.shell.bars,
            length: p.length,
            tempo_bpm: s.tempo_bpm,
        };
        transport_bar(ui, &transport, &mut p.shell.timeline_drag, &mut out);
    });
    egui::Panel::bottom("status").show(ui, |ui| {
        if p.shell.message.as_ref().is_some_and(|m| m.is_stale(&p.offline)) {
            out.push(Action::DismissMessage);
        }
        let text = p.shell.message.as_ref().map(|m| super::scenes::drawable(&m.text)).unwrap_or_else(|| {
            "Double-click a name to rename · Shift-drag for fine moves · double-click a fader for 0 dB".into()
        });
        ui.horizontal(|ui| {
            ui.label(RichText::new(text).small());
            if p.shell.message.is_some() && ui.small_button("🗙").clicked() {
                out.push(Action::DismissMessage);
            }
        });
    });
    let device_pairs = p
        .telemetry
        .as_ref()
        .map_or(0, |t| (t.device.channels as usize / 2).saturating_sub(1));
    let narrow = p.console.is_narrow(s.channels.len() + s.vcas.len());
    let mut cx = StripContext {
        solo_muted: crate::graph::implied_mutes(s),
        offline: p.offline.clone(),
        mono: p.mono.clone(),
        device_pairs,
        layout: StripLayout::new(s, narrow, MIN_FADER),
        monitoring: p.shell.monitoring.clone(),
    };
    super::lesson_ui::lesson_panel(ui, p.lessons, p.doc, &mut out);
    master_panel(ui, s, p.meters, p.console, &mut cx, &mut out);
    egui::CentralPanel::default().show(ui, |ui| match p.shell.page {
        Page::Console => strips(ui, s, p.meters, p.console, &mut cx, &mut out),
        Page::Matrix => matrix(ui, s, p.matrix, device_pairs, &mut out),
        Page::Flow => super::why_ui::flow_page(ui, s, p.meters, p.flow, &cx, &mut out),
    });
    if let Some(id) = &p.shell.why {
        super::why_ui::why_window(&ctx, s, id, &cx, &mut out);
    }
    editor_windows(&ctx, s, p.editors, p.meters, &mut out);
    if p.meters.analysers.spectrum.open {
        super::spectrum_ui::spectrum_window(&ctx, s, &p.meters.analysers.spectrum, &mut out);
    }
    super::scenes_ui::scenes_window(&ctx, s, &mut p.shell.scenes, &mut out);
    match &mut p.shell.dialog {
        Some(Dialog::Settings) => {
            let v = SettingsView {
                pan_law_db: s.pan_law_db,
                sample_rate: s.sample_rate,
                dark: p.shell.dark,
                zoom: p.shell.zoom,
                telemetry: p.telemetry.as_ref(),
                config: p.config.clone(),
            };
            settings_window(&ctx, &v, &mut p.shell.settings, &mut out);
        }
        Some(Dialog::Groups) => super::groups_ui::groups_window(&ctx, s, &mut out),
        Some(d) => super::dialogs_ui::dialog(&ctx, d, &mut p.shell.browser, &mut out),
        None => {}
    }
    out
}

fn keyboard(ctx: &egui::Context, p: &FrameParts, out: &mut Vec<Action>) {
    // Shortcuts only when no text field has the keyboard.
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    let none = egui::Modifiers::NONE;
    let cmd = egui::Modifiers::COMMAND;
    let cmd_shift = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
    let keys = ctx.input_mut(|i| Keys {
        space: i.consume_key(none, egui::Key::Space),
        // Redo first: Ctrl+Z also matches Ctrl+Shift+Z "logically".
        redo: i.consume_key(cmd_shift, egui::Key::Z),
        undo: i.consume_key(cmd, egui::Key::Z),
        save: i.consume_key(cmd, egui::Key::S),
        open: i.consume_key(cmd, egui::Key::O),
        new: i.consume_key(cmd, egui::Key::N),
        home: i.consume_key(none, egui::Key::Home),
        end: i.consume_key(none, egui::Key::End),
        left: i.consume_key(none, egui::Key::ArrowLeft),
        right: i.consume_key(none, egui::Key::ArrowRight),
        looping: i.consume_key(none, egui::Key::L),
        ab: i.consume_key(cmd, egui::Key::B),
    });
    let t = p.telemetry.as_ref();
    let here = t.map_or(0.0, |t| t.position_seconds);
    let length = p.length.unwrap_or(super::timeline_ui::UNKNOWN_LENGTH);
    if keys.space {
        let playing = t.is_some_and(|t| t.playing);
        out.push(Action::Transport(if playing {
            Transport::Pause
        } else {
            Transport::Play
        }));
    }
    // Home and End: the loop's ends while looping, else the session's.
    let (start, stop) = match (p.shell.looping, p.shell.loop_range) {
        (true, Some(r)) => r,
        _ => (0.0, length),
    };
    if keys.home {
        out.push(Action::Transport(Transport::Seek(start)));
    }
    if keys.end {
        out.push(Action::Transport(Transport::Seek(stop)));
    }
    // Arrows: a bar at a time in bars:beats, a second otherwise.
    let step = if p.shell.bars {
        super::timecode::bar_seconds(2, p.doc.session().tempo_bpm)
    } else {
        1.0
    };
    if keys.left {
        out.push(Action::Transport(Transport::Seek((here - step).max(0.0))));
    }
    if keys.right {
        out.push(Action::Transport(Transport::Seek(
            (here + step).min(length.max(here)),
        )));
    }
    if keys.looping {
        let range = p.shell.loop_range.unwrap_or((0.0, length));
        out.push(Action::Transport(Transport::Loop(
            (!p.shell.looping).then_some(range),
        )));
    }
    if keys.redo {
        out.push(Action::Redo);
    } else if keys.undo {
        out.push(Action::Undo);
    }
    if keys.save {
        out.push(Action::Save);
    }
    if keys.open {
        out.push(Action::ShowDialog(Dialog::Open {
            path: String::new(),
        }));
    }
    if keys.new {
        out.push(Action::Request(Pending::New));
    }
    if keys.ab {
        out.push(Action::Scene(super::action::SceneAction::Toggle));
    }
}

struct Keys {
    space: bool,
    redo: bool,
    undo: bool,
    save: bool,
    open: bool,
    new: bool,
    home: bool,
    end: bool,
    left: bool,
    right: bool,
    looping: bool,
    ab: bool,
}

fn dropped_files(ctx: &egui::Context, out: &mut Vec<Action>) {
    let files: Vec<_> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    for f in files {
        if f.extension().is_some_and(|e| e == "json") {
            out.push(Action::Request(Pending::Open(f)));
        } else {
            out.push(Action::AddTrack(f));
        }
    }
}
