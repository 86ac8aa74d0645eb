//! The menu bar: files, undo, adding channels, settings and the pages.

use std::path::PathBuf;

use egui::Ui;

use super::action::{Action, Dialog, Page, Pending, SceneAction};
use crate::session::ChannelKind;

/// What the menus need to know.
pub struct MenuView<'a> {
    pub recent: &'a [PathBuf],
    pub path: Option<&'a std::path::Path>,
    pub can_undo: bool,
    pub can_redo: bool,
    pub page: Page,
    pub narrow: bool,
    pub analyser: bool,
    pub master_section: bool,
    pub lessons: &'a std::cell::RefCell<super::lesson_state::LessonState>,
}

pub fn menu_bar(ui: &mut Ui, v: &MenuView, out: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .button("New (Ctrl+N)")
                .on_hover_text("Start an empty session (asks first if there are unsaved changes)")
                .clicked()
            {
                out.push(Action::Request(Pending::New));
            }
            if ui
                .button("Open… (Ctrl+O)")
                .on_hover_text("Open a session file")
                .clicked()
            {
                out.push(Action::ShowDialog(Dialog::Open {
                    path: String::new(),
                }));
            }
            ui.menu_button("Open recent", |ui| {
                if v.recent.is_empty() {
                    ui.label("none yet");
                }
                for p in v.recent {
                    let name = p.display().to_string();
                    if ui
                        .button(&name)
                        .on_hover_text(format!("Open {name}"))
                        .clicked()
                    {
                        out.push(Action::Request(Pending::Open(p.clone())));
                    }
                }
            })
            .response
            .on_hover_text("Sessions opened or saved lately");
            if ui
                .button("Save (Ctrl+S)")
                .on_hover_text("Save the session to its file")
                .clicked()
            {
                out.push(Action::Save);
            }
            if ui
                .button("Save as…")
                .on_hover_text("Save the session to a new file")
                .clicked()
            {
                let path = v
                    .path
                    .map_or("session.json".into(), |p| p.display().to_string());
                out.push(Action::ShowDialog(Dialog::SaveAs { path }));
            }
            if ui
                .button("Export… (mix, stems)")
                .on_hover_text("Bounce the mix and/or stems to WAV or FLAC, optionally normalised")
                .clicked()
            {
                out.push(Action::ShowExport);
            }
            ui.separator();
            if ui
                .button("Quit")
                .on_hover_text("Close auxbus (asks first if there are unsaved changes)")
                .clicked()
            {
                out.push(Action::Request(Pending::Quit));
            }
        })
        .response
        .on_hover_text("New, open, save and quit sessions");
        ui.menu_button("Edit", |ui| {
            if ui
                .add_enabled(v.can_undo, egui::Button::new("Undo (Ctrl+Z)"))
                .on_hover_text("Take back the last change (a whole fader drag is one step)")
                .clicked()
            {
                out.push(Action::Undo);
            }
            if ui
                .add_enabled(v.can_redo, egui::Button::new("Redo (Ctrl+Shift+Z)"))
                .on_hover_text("Do again what undo took back")
                .clicked()
            {
                out.push(Action::Redo);
            }
            ui.separator();
            if ui
                .button("Scenes… (A/B: Ctrl+B)")
                .on_hover_text("Store the mix as a scene, see what recalling one would change, recall it")
                .clicked()
            {
                out.push(Action::Scene(SceneAction::Show(true)));
            }
        })
        .response
        .on_hover_text("Undo and redo every change to the mix; store and recall scenes");
        ui.menu_button("Add", |ui| {
            if ui
                .button("Track from audio file…")
                .on_hover_text("A track that plays an audio file (you can also drop files on the window)")
                .clicked()
            {
                out.push(Action::ShowDialog(Dialog::AddTrack {
                    path: String::new(),
                }));
            }
            if ui
                .button("Bus (groups: moves signal)")
                .on_hover_text("A bus: channels whose output you route here are summed and controlled as one")
                .clicked()
            {
                out.push(Action::AddChannel(ChannelKind::Bus));
            }
            if ui
                .button("Aux (FX return: receives copies)")
                .on_hover_text("An aux: receives copies through sends, processes them and returns them to the mix")
                .clicked()
            {
                out.push(Action::AddChannel(ChannelKind::Aux));
            }
            if ui
                .button("VCA (scales faders, no audio)")
                .on_hover_text("A VCA: scales its members' faders together; no audio passes through it")
                .clicked()
            {
                out.push(Action::AddVca);
            }
            if ui
                .button("Linked group… (faders move together)")
                .on_hover_text("A linked group: moving one member's fader moves the others by as many dB")
                .clicked()
            {
                out.push(Action::ShowDialog(Dialog::Groups));
            }
        })
        .response
        .on_hover_text("Add a track from a file, a bus, an aux, a VCA or a linked group");
        super::lesson_ui::lessons_menu(ui, v.lessons, out);
        ui.menu_button("View", |ui| {
            let mut narrow = v.narrow;
            if ui
                .checkbox(&mut narrow, "Narrow strips")
                .on_hover_text("Slimmer strips for big sessions (automatic from 48 channels)")
                .changed()
            {
                out.push(Action::SetNarrow(narrow));
            }
            let mut section = v.master_section;
            if ui
                .checkbox(&mut section, "Master section")
                .on_hover_text(
                    "Dry/wet, loudness, the stereo image and the monitor beside the master \
                     (automatic: shown in windows from 1200 points wide)",
                )
                .changed()
            {
                out.push(Action::ShowMasterSection(section));
            }
            let mut analyser = v.analyser;
            if ui
                .checkbox(&mut analyser, "Spectrum analyser")
                .on_hover_text("The spectrum of the master, or of any channel, in a window")
                .changed()
            {
                out.push(Action::ShowAnalyser(analyser));
            }
        })
        .response
        .on_hover_text("How the console is shown");
        if ui
            .button("Settings")
            .on_hover_text("Pan law, sample rate, display and the audio device")
            .clicked()
        {
            out.push(Action::ShowDialog(Dialog::Settings));
        }
        ui.separator();
        for (page, name) in [
            (Page::Console, "Console"),
            (Page::Matrix, "Matrix"),
            (Page::Flow, "Flow"),
        ] {
            let hint = match page {
                Page::Console => "The mixing console: a strip per channel",
                Page::Matrix => "The routing matrix: outputs and sends of every channel",
                Page::Flow => "The signal flow: where every sound goes, and why one is silent",
            };
            if ui
                .selectable_label(v.page == page, name)
                .on_hover_text(hint)
                .clicked()
            {
                out.push(Action::ShowPage(page));
            }
        }
    });
}
