//! The transport bar: play/pause/stop, loop, position, tempo, and the
//! state of the audio device. Reads what it shows, emits `Action`s.

use egui::{Color32, RichText, Ui};

use super::action::{Action, Transport};
use crate::live::Telemetry;
use crate::session::Edit;
use crate::session::effects::TEMPO_RANGE_BPM;

/// What the transport bar shows.
pub struct TransportView<'a> {
    pub telemetry: Option<&'a Telemetry>,
    pub looping: bool,
    /// Length of the longest source, seconds.
    pub length: Option<f64>,
    pub tempo_bpm: f32,
}

pub fn transport_bar(ui: &mut Ui, v: &TransportView, out: &mut Vec<Action>) {
    let playing = v.telemetry.is_some_and(|t| t.playing);
    ui.horizontal(|ui| {
        if ui
            .button("■ Stop")
            .on_hover_text("Stop and return to the start")
            .clicked()
        {
            out.push(Action::Transport(Transport::Stop));
        }
        let play = if playing { "⏸ Pause" } else { "▶ Play" };
        if ui
            .button(play)
            .on_hover_text("Play / pause (Space)")
            .clicked()
        {
            out.push(Action::Transport(if playing {
                Transport::Pause
            } else {
                Transport::Play
            }));
        }
        let mut looping = v.looping;
        if ui
            .toggle_value(&mut looping, "Loop")
            .on_hover_text("Loop the whole session")
            .changed()
        {
            let end = v.length.unwrap_or(0.0);
            out.push(Action::Transport(Transport::Loop(
                looping.then_some((0.0, end)),
            )));
        }
        let pos = v.telemetry.map_or(0.0, |t| t.position_seconds);
        ui.monospace(format!("{:02}:{:05.2}", (pos / 60.0) as u32, pos % 60.0));
        ui.separator();
        // The session tempo: tempo-synced delays follow it.
        let mut bpm = v.tempo_bpm;
        let r = ui
            .add(
                egui::DragValue::new(&mut bpm)
                    .range(TEMPO_RANGE_BPM)
                    .speed(0.5)
                    .fixed_decimals(1)
                    .suffix(" bpm"),
            )
            .on_hover_text("Session tempo, for delays set to a note value");
        if r.drag_started() {
            out.push(Action::BeginGesture);
        }
        if r.changed() && bpm != v.tempo_bpm {
            out.push(Action::Edit(Edit::Tempo { bpm }));
        }
        if r.drag_stopped() {
            out.push(Action::EndGesture);
        }
        ui.separator();
        device_status(ui, v.telemetry);
    });
}

fn device_status(ui: &mut Ui, t: Option<&Telemetry>) {
    match t {
        Some(t) if t.device.ok => {
            let d = &t.device;
            let buffer = d
                .buffer_frames
                .map_or("default".to_owned(), |b| b.to_string());
            ui.label(format!(
                "{} · {} Hz · buffer {buffer}",
                d.device, d.sample_rate
            ));
            let load = d.load * 100.0;
            let colour = if load > 70.0 {
                Color32::LIGHT_RED
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(format!("load {load:.0} %")).color(colour));
            ui.label(format!("xruns {} · underruns {}", d.xruns, t.underruns));
        }
        Some(t) => {
            let why = t
                .device
                .last_error
                .clone()
                .unwrap_or_else(|| "no audio output device".into());
            ui.label(
                RichText::new("⚠ no audio output — editing and rendering still work")
                    .color(Color32::LIGHT_RED),
            )
            .on_hover_text(why);
        }
        None => {
            ui.label(RichText::new("audio off").weak());
        }
    }
}
