//! The settings window: the session's pan law, the display, and the audio
//! output. Emits `Action`s; only the typed audio fields are its own.

use egui::Ui;

use super::action::Action;
use crate::io::output::OutputConfig;
use crate::live::Telemetry;
use crate::session::{Edit, PAN_LAWS_DB};

/// The audio settings being typed, while the window is open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AudioForm {
    pub host: String,
    pub device: String,
    pub buffer: String,
}

/// What the settings window shows.
pub struct SettingsView<'a> {
    pub pan_law_db: f32,
    pub dark: bool,
    pub zoom: f32,
    pub telemetry: Option<&'a Telemetry>,
    pub config: OutputConfig,
}

/// The window; `form` holds the audio fields while it is open.
pub fn settings_window(
    ctx: &egui::Context,
    v: &SettingsView,
    form: &mut Option<AudioForm>,
    out: &mut Vec<Action>,
) {
    egui::Window::new("Settings")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            settings(ui, v, form, out);
            if ui.button("Close").clicked() {
                *form = None;
                out.push(Action::CloseDialog);
            }
        });
}

fn settings(ui: &mut Ui, v: &SettingsView, form: &mut Option<AudioForm>, out: &mut Vec<Action>) {
    ui.heading("Mix");
    let mut law = v.pan_law_db;
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
    if law != v.pan_law_db {
        out.push(Action::Edit(Edit::PanLaw { db: law }));
    }
    ui.heading("Display");
    ui.horizontal(|ui| {
        if ui.selectable_label(v.dark, "Dark").clicked() {
            out.push(Action::SetDark(true));
        }
        if ui.selectable_label(!v.dark, "Light").clicked() {
            out.push(Action::SetDark(false));
        }
    });
    let mut zoom = v.zoom;
    if ui
        .add(egui::Slider::new(&mut zoom, 0.75..=2.0).text("UI scale"))
        .changed()
    {
        out.push(Action::SetZoom(zoom));
    }
    ui.heading("Audio");
    match v.telemetry {
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
                    .clone()
                    .unwrap_or_else(|| "no audio output device".into()),
            );
        }
        None => {
            ui.label("audio is off");
        }
    }
    let form = form.get_or_insert_with(|| AudioForm {
        host: v.config.host.clone().unwrap_or_default(),
        device: v.config.device.clone().unwrap_or_default(),
        buffer: v.config.buffer_frames.to_string(),
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
        let nonempty = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_owned());
        match form.buffer.trim().parse::<u32>() {
            Ok(buffer) if (16..=8192).contains(&buffer) => {
                out.push(Action::SetAudio(OutputConfig {
                    host: nonempty(&form.host),
                    device: nonempty(&form.device),
                    buffer_frames: buffer,
                    ..v.config.clone()
                }));
            }
            _ => out.push(Action::ShowMessage(format!(
                "buffer {:?}: use a number of frames from 16 to 8192",
                form.buffer
            ))),
        }
    }
}
