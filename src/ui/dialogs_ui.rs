//! Dialog windows: open / save as / add track (a typed path always works;
//! "Browse…" uses the system file dialog when there is one), unsaved-changes
//! confirmation, and settings.

use std::path::PathBuf;

use egui::Context;

use super::app::{ConsoleApp, Dialog};
use crate::session::{Edit, PAN_LAWS_DB};

/// What a path dialog decided this frame.
enum PathChoice {
    Keep,
    Cancel,
    Accept(PathBuf),
}

/// A window with a path field, Browse… and OK/Cancel.
fn path_dialog(
    ctx: &Context,
    title: &str,
    path: &mut String,
    save: bool,
    filter: (&str, &[&str]),
) -> PathChoice {
    let mut choice = PathChoice::Keep;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label("Path:");
                let r = ui.add(egui::TextEdit::singleline(path).desired_width(360.0));
                if r.lost_focus()
                    && ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && !path.trim().is_empty()
                {
                    choice = PathChoice::Accept(PathBuf::from(path.trim()));
                }
                if ui.button("Browse…").clicked() {
                    // With no portal running this returns None at once; the typed
                    // path keeps working either way.
                    let dialog = rfd::FileDialog::new().add_filter(filter.0, filter.1);
                    let picked = if save {
                        dialog.save_file()
                    } else {
                        dialog.pick_file()
                    };
                    if let Some(p) = picked {
                        *path = p.display().to_string();
                    }
                }
            });
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() && !path.trim().is_empty() {
                    choice = PathChoice::Accept(PathBuf::from(path.trim()));
                }
                if ui.button("Cancel").clicked() {
                    choice = PathChoice::Cancel;
                }
            });
        });
    choice
}

const AUDIO: (&str, &[&str]) = (
    "Audio",
    &[
        "wav", "flac", "mp3", "ogg", "m4a", "aiff", "aif", "caf", "mkv",
    ],
);
const SESSION: (&str, &[&str]) = ("auxbus session", &["json"]);

impl ConsoleApp {
    pub(super) fn dialogs(&mut self, ctx: &Context) {
        let Some(mut dialog) = self.view.dialog.take() else {
            return;
        };
        let mut keep = true;
        match &mut dialog {
            Dialog::Open { path } => match path_dialog(ctx, "Open session", path, false, SESSION) {
                PathChoice::Keep => {}
                PathChoice::Cancel => keep = false,
                PathChoice::Accept(p) => {
                    // `request` may open a confirmation dialog in its place.
                    self.request(super::app::Pending::Open(p));
                    return;
                }
            },
            Dialog::SaveAs { path } => {
                match path_dialog(ctx, "Save session as", path, true, SESSION) {
                    PathChoice::Keep => {}
                    PathChoice::Cancel => keep = false,
                    PathChoice::Accept(p) => {
                        keep = false;
                        self.save_to(&p);
                    }
                }
            }
            Dialog::AddTrack { path } => {
                match path_dialog(ctx, "Add a track from an audio file", path, false, AUDIO) {
                    PathChoice::Keep => {}
                    PathChoice::Cancel => keep = false,
                    PathChoice::Accept(p) => {
                        keep = false;
                        self.add_track(&p);
                    }
                }
            }
            Dialog::ConfirmDiscard { then } => {
                let then = (**then).clone();
                egui::Window::new("Unsaved changes")
                    .collapsible(false)
                    .resizable(false)
                    .show(ctx, |ui| {
                        ui.label("This session has changes that are not saved.");
                        ui.horizontal(|ui| {
                            if ui.button("Save").clicked() {
                                keep = false;
                                self.save();
                                if !self.doc.dirty() {
                                    self.perform(then.clone());
                                }
                            }
                            if ui.button("Discard changes").clicked() {
                                keep = false;
                                self.doc.force_clean();
                                self.perform(then.clone());
                            }
                            if ui.button("Cancel").clicked() {
                                keep = false;
                            }
                        });
                    });
            }
            Dialog::Settings => {
                egui::Window::new("Settings")
                    .collapsible(false)
                    .resizable(false)
                    .show(ctx, |ui| {
                        self.settings(ui);
                        if ui.button("Close").clicked() {
                            keep = false;
                        }
                    });
            }
        }
        if keep && self.view.dialog.is_none() {
            self.view.dialog = Some(dialog);
        }
    }

    fn settings(&mut self, ui: &mut egui::Ui) {
        ui.heading("Mix");
        let mut law = self.doc.session.pan_law_db;
        egui::ComboBox::from_label("Pan law (mono sources, level at centre)")
            .selected_text(format!("{law} dB"))
            .show_ui(ui, |ui| {
                for l in PAN_LAWS_DB {
                    let what = match l {
                        -3.0 => "constant power",
                        -6.0 => "linear, mono-safe",
                        0.0 => "no drop at centre",
                        _ => "between −3 and −6",
                    };
                    ui.selectable_value(&mut law, l, format!("{l} dB ({what})"));
                }
            });
        if law != self.doc.session.pan_law_db {
            self.apply(Edit::PanLaw { db: law });
        }
        ui.heading("Display");
        ui.horizontal(|ui| {
            if ui.selectable_label(self.view.dark, "Dark").clicked() {
                self.view.dark = true;
            }
            if ui.selectable_label(!self.view.dark, "Light").clicked() {
                self.view.dark = false;
            }
        });
        ui.add(egui::Slider::new(&mut self.view.zoom, 0.75..=2.0).text("UI scale"));
        ui.ctx().set_visuals(if self.view.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        ui.ctx().set_zoom_factor(self.view.zoom);
        ui.heading("Audio");
        match self.port.telemetry() {
            Some(t) if t.device.ok => {
                ui.label(format!(
                    "playing on {} \"{}\"",
                    t.device.host, t.device.device
                ));
                ui.label(format!(
                    "{} Hz · buffer {:?} frames",
                    t.device.sample_rate, t.device.buffer_frames
                ));
            }
            Some(t) => {
                ui.label(
                    t.device
                        .last_error
                        .unwrap_or_else(|| "no audio output device".into()),
                );
            }
            None => {
                ui.label("audio is off");
            }
        }
        let form = self.view.audio_form.get_or_insert_with(|| {
            let c = self.port.output_config();
            super::app::AudioForm {
                host: c.host.unwrap_or_default(),
                device: c.device.unwrap_or_default(),
                buffer: c.buffer_frames.to_string(),
            }
        });
        egui::Grid::new("audio settings").show(ui, |ui| {
            ui.label("Host");
            ui.text_edit_singleline(&mut form.host)
                .on_hover_text("e.g. pulseaudio or alsa; empty = default");
            ui.end_row();
            ui.label("Device");
            ui.text_edit_singleline(&mut form.device)
                .on_hover_text("part of a device name; empty = default");
            ui.end_row();
            ui.label("Buffer (frames)");
            ui.text_edit_singleline(&mut form.buffer);
            ui.end_row();
        });
        ui.label(
            egui::RichText::new("`auxbus devices` lists hosts and devices.")
                .small()
                .weak(),
        );
        if ui.button("Apply audio settings").clicked() {
            let form = form.clone();
            match form.buffer.trim().parse::<u32>() {
                Ok(buffer) if (16..=8192).contains(&buffer) => {
                    let nonempty = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_owned());
                    let config = crate::io::output::OutputConfig {
                        host: nonempty(&form.host),
                        device: nonempty(&form.device),
                        buffer_frames: buffer,
                        ..self.port.output_config()
                    };
                    let anchor = self.doc.anchor();
                    self.port
                        .set_output_config(&self.doc.session, &anchor, config);
                }
                _ => {
                    self.view.message = Some(format!(
                        "buffer {:?}: use a number of frames from 16 to 8192",
                        form.buffer
                    ))
                }
            }
        }
    }
}
