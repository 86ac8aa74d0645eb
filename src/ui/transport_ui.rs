//! The transport bar and status line: play/pause/stop, loop, position,
//! and the state of the audio device.

use egui::{Color32, RichText, Ui};

use super::app::ConsoleApp;
use super::port::Transport;

pub fn transport_bar(ui: &mut Ui, app: &mut ConsoleApp) {
    let t = app.port.telemetry();
    let playing = t.as_ref().is_some_and(|t| t.playing);
    ui.horizontal(|ui| {
        if ui
            .button("■ Stop")
            .on_hover_text("Stop and return to the start")
            .clicked()
        {
            app.transport(Transport::Stop);
        }
        let play = if playing { "⏸ Pause" } else { "▶ Play" };
        if ui
            .button(play)
            .on_hover_text("Play / pause (Space)")
            .clicked()
        {
            app.transport(if playing {
                Transport::Pause
            } else {
                Transport::Play
            });
        }
        let mut looping = app.view.looping;
        if ui
            .toggle_value(&mut looping, "Loop")
            .on_hover_text("Loop the whole session")
            .changed()
        {
            app.view.looping = looping;
            let end = app.port.length_seconds().unwrap_or(0.0);
            app.transport(Transport::Loop(looping.then_some((0.0, end))));
        }
        let pos = t.as_ref().map_or(0.0, |t| t.position_seconds);
        ui.monospace(format!("{:02}:{:05.2}", (pos / 60.0) as u32, pos % 60.0));
        ui.separator();
        // The session tempo: tempo-synced delays follow it.
        let mut bpm = app.doc.session.tempo_bpm;
        let r = ui
            .add(
                egui::DragValue::new(&mut bpm)
                    .range(crate::fx::TEMPO_RANGE_BPM)
                    .speed(0.5)
                    .fixed_decimals(1)
                    .suffix(" bpm"),
            )
            .on_hover_text("Session tempo, for delays set to a note value");
        if r.drag_started() {
            app.group(true);
        }
        if r.changed() && bpm != app.doc.session.tempo_bpm {
            app.apply(crate::session::Edit::Tempo { bpm });
        }
        if r.drag_stopped() {
            app.group(false);
        }
        ui.separator();
        match &t {
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
    });
}
