//! The settings window: the session's pan law and rate, the display, and
//! the audio output chosen from what the machine offers (hosts, devices,
//! rates, buffer sizes, listed off the UI thread). Emits `Action`s; only
//! the choices being made are its own.

use std::sync::mpsc;

use egui::{RichText, Ui};

use super::action::Action;
use crate::io::output::{HostChoice, OutputConfig, catalog};
use crate::live::Telemetry;
use crate::session::{Edit, PAN_LAWS_DB};

const BUFFERS: [u32; 8] = [32, 64, 128, 256, 512, 1024, 2048, 4096];

/// The audio output being chosen, while the window is open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AudioForm {
    pub host: Option<String>,
    pub device: Option<String>,
    pub rate: u32,
    pub buffer: u32,
}

/// The window's own state: the choices, and the machine's devices.
#[derive(Default)]
pub struct SettingsState {
    pub form: Option<AudioForm>,
    devices: Devices,
}

#[derive(Default)]
enum Devices {
    #[default]
    NotAsked,
    Listing(mpsc::Receiver<Vec<HostChoice>>),
    Listed(Vec<HostChoice>),
}

impl SettingsState {
    /// Forget the choices (the window closed); the device list is asked
    /// for again next time, so a device plugged in since shows up.
    pub fn close(&mut self) {
        *self = SettingsState::default();
    }

    fn hosts(&mut self) -> Option<&[HostChoice]> {
        if let Devices::NotAsked = self.devices {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                let _ = tx.send(catalog());
            });
            self.devices = Devices::Listing(rx);
        }
        if let Devices::Listing(rx) = &self.devices
            && let Ok(list) = rx.try_recv()
        {
            self.devices = Devices::Listed(list);
        }
        match &self.devices {
            Devices::Listed(list) => Some(list),
            _ => None,
        }
    }
}

/// What the settings window shows.
pub struct SettingsView<'a> {
    pub pan_law_db: f32,
    pub sample_rate: u32,
    pub dark: bool,
    pub zoom: f32,
    pub telemetry: Option<&'a Telemetry>,
    pub config: OutputConfig,
}

pub fn settings_window(
    ctx: &egui::Context,
    v: &SettingsView,
    state: &mut SettingsState,
    out: &mut Vec<Action>,
) {
    egui::Window::new("Settings")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            mix_and_display(ui, v, out);
            ui.separator();
            audio(ui, v, state, out);
            ui.separator();
            if ui
                .button("Close")
                .on_hover_text("Close the settings; every change is already applied")
                .clicked()
            {
                out.push(Action::CloseDialog);
            }
        });
    // Keep polling while the device list is being made.
    if matches!(state.devices, Devices::Listing(_)) {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
}

fn mix_and_display(ui: &mut Ui, v: &SettingsView, out: &mut Vec<Action>) {
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
        })
        .response
        .on_hover_text(
            "How much a mono source drops when panned to the centre: the level a \
             centred mono track (and a post-fader send of it) is mixed at",
        );
    if law != v.pan_law_db {
        out.push(Action::Edit(Edit::PanLaw { db: law }));
    }
    ui.heading("Display");
    ui.horizontal(|ui| {
        if ui
            .selectable_label(v.dark, "Dark")
            .on_hover_text("Light text on a dark console (the default)")
            .clicked()
        {
            out.push(Action::SetDark(true));
        }
        if ui
            .selectable_label(!v.dark, "Light")
            .on_hover_text("Dark text on a light console, for bright rooms")
            .clicked()
        {
            out.push(Action::SetDark(false));
        }
    });
    let mut zoom = v.zoom;
    let hover = "How big the whole console is drawn (1 = the system's own scale)";
    let changed = ui
        .horizontal(|ui| {
            let slider = ui
                .add(egui::Slider::new(&mut zoom, 0.75..=2.0).show_value(false))
                .on_hover_text(hover);
            let value = ui
                .add(
                    egui::DragValue::new(&mut zoom)
                        .range(0.75..=2.0)
                        .speed(0.01),
                )
                .on_hover_text(hover);
            ui.label("UI scale");
            slider.changed() || value.changed()
        })
        .inner;
    if changed {
        out.push(Action::SetZoom(zoom));
    }
}

fn audio(ui: &mut Ui, v: &SettingsView, state: &mut SettingsState, out: &mut Vec<Action>) {
    ui.heading("Audio output");
    device_state(ui, v.telemetry);
    let form = state.form.get_or_insert_with(|| AudioForm {
        host: v.config.host.clone(),
        device: v.config.device.clone(),
        rate: v.sample_rate,
        buffer: v.config.buffer_frames,
    });
    let mut form = form.clone();
    let Some(hosts) = state.hosts() else {
        ui.label(RichText::new("Looking for audio devices…").weak());
        return;
    };
    let default_host = hosts.iter().find(|h| h.default).map(|h| h.name.clone());
    let host = hosts
        .iter()
        .find(|h| Some(&h.name) == form.host.as_ref())
        .or_else(|| hosts.iter().find(|h| h.default));
    egui::Grid::new("audio settings").show(ui, |ui| {
        ui.label("Host");
        egui::ComboBox::from_id_salt("host")
            .selected_text(
                form.host
                    .clone()
                    .unwrap_or_else(|| format!("default ({})", default_host.clone().unwrap_or_default())),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.host, None, "default");
                for h in hosts {
                    ui.selectable_value(&mut form.host, Some(h.name.clone()), &h.name);
                }
            })
            .response
            .on_hover_text("The sound system auxbus talks to (PulseAudio, ALSA, JACK…)");
        ui.end_row();
        ui.label("Device");
        let devices = host.map_or(&[][..], |h| h.devices.as_slice());
        let label_of = |id: &Option<String>| match id {
            None => "default".to_owned(),
            Some(id) => devices
                .iter()
                .find(|d| &d.id == id)
                .map_or(id.clone(), |d| d.label.clone()),
        };
        egui::ComboBox::from_id_salt("device")
            .width(280.0)
            .selected_text(label_of(&form.device))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.device, None, "default");
                for d in devices {
                    let text = format!("{} · up to {} ch", d.label, d.max_channels);
                    ui.selectable_value(&mut form.device, Some(d.id.clone()), text);
                }
            })
            .response
            .on_hover_text("The output the master (outputs 1–2) and any cue mixes play on");
        ui.end_row();
        let device = form
            .device
            .as_ref()
            .and_then(|id| devices.iter().find(|d| &d.id == id))
            .or_else(|| devices.iter().find(|d| d.default));
        ui.label("Sample rate");
        let mut rates: Vec<u32> = device.map_or_else(Vec::new, |d| d.rates.clone());
        if !rates.contains(&form.rate) {
            rates.insert(0, form.rate);
        }
        egui::ComboBox::from_id_salt("rate")
            .selected_text(format!("{} Hz", form.rate))
            .show_ui(ui, |ui| {
                for r in rates {
                    ui.selectable_value(&mut form.rate, r, format!("{r} Hz"));
                }
            })
            .response
            .on_hover_text("The session's rate: playback and renders run at it; files at other rates are resampled");
        ui.end_row();
        ui.label("Buffer");
        let (lo, hi) = device.and_then(|d| d.buffer).unwrap_or((16, 8192));
        egui::ComboBox::from_id_salt("buffer")
            .selected_text(buffer_text(form.buffer, form.rate))
            .show_ui(ui, |ui| {
                for b in BUFFERS.into_iter().filter(|b| (lo..=hi).contains(b)) {
                    ui.selectable_value(&mut form.buffer, b, buffer_text(b, form.rate));
                }
            })
            .response
            .on_hover_text("Smaller: less delay, more work per second; larger: safer on a busy machine");
        ui.end_row();
    });
    for h in hosts.iter().filter(|h| h.problem.is_some()) {
        ui.label(
            RichText::new(format!(
                "{}: {}",
                h.name,
                h.problem.as_deref().unwrap_or_default()
            ))
            .small()
            .weak(),
        );
    }
    if ui
        .button("Apply audio settings")
        .on_hover_text("Reopens the device with these settings")
        .clicked()
    {
        out.push(Action::SetAudio(OutputConfig {
            host: form.host.clone(),
            device: form.device.clone(),
            buffer_frames: form.buffer,
            ..v.config.clone()
        }));
        if form.rate != v.sample_rate {
            out.push(Action::Edit(Edit::SampleRate { rate: form.rate }));
        }
    }
    state.form = Some(form);
}

fn buffer_text(frames: u32, rate: u32) -> String {
    format!(
        "{frames} frames ({:.1} ms)",
        f64::from(frames) * 1000.0 / f64::from(rate.max(1))
    )
}

/// The device in use, in words: what it really runs at, or why there is none.
fn device_state(ui: &mut Ui, t: Option<&Telemetry>) {
    match t {
        Some(t) if t.device.ok => {
            let d = &t.device;
            ui.label(format!("Playing on {} \"{}\"", d.host, d.device));
            let buffer = d
                .buffer_frames
                .map_or("the device's default buffer".to_owned(), |b| {
                    buffer_text(b, d.sample_rate)
                });
            ui.label(format!(
                "{} Hz · {} channels · {buffer}",
                d.sample_rate, d.channels
            ));
            if let Some(b) = d.buffer_frames {
                // Two periods are in flight on most hosts.
                ui.label(
                    RichText::new(format!(
                        "output latency about {:.1} ms",
                        2.0 * f64::from(b) * 1000.0 / f64::from(d.sample_rate.max(1))
                    ))
                    .small()
                    .weak(),
                );
            }
        }
        Some(t) => {
            ui.colored_label(
                egui::Color32::LIGHT_RED,
                format!(
                    "No audio device: {}",
                    t.device
                        .last_error
                        .clone()
                        .unwrap_or_else(|| "none was found".into())
                ),
            );
            ui.label(
                RichText::new(
                    "auxbus looks again twice a second and reconnects when one appears; \
                     editing and rendering keep working meanwhile.",
                )
                .small(),
            );
        }
        None => {
            ui.label("Audio is off.");
        }
    }
}
