//! The transport bar: play/pause/stop, loop, position, tempo, and the
//! state of the audio device. Reads what it shows, emits `Action`s.

use egui::{Color32, RichText, Ui};

use super::action::{Action, Transport};
use super::timecode::{bars_beats, minutes_seconds};
use super::timeline_ui::{TimelineDrag, TimelineView, UNKNOWN_LENGTH, timeline};
use crate::live::Telemetry;
use crate::session::Edit;
use crate::session::effects::TEMPO_RANGE_BPM;

/// What the transport bar shows.
pub struct TransportView<'a> {
    pub telemetry: Option<&'a Telemetry>,
    pub looping: bool,
    pub loop_range: Option<(f64, f64)>,
    /// Time as bars:beats rather than minutes:seconds.
    pub bars: bool,
    /// Where playback ends (the longest source plus effect tails), seconds.
    pub length: Option<f64>,
    pub tempo_bpm: f32,
}

pub fn transport_bar(
    ui: &mut Ui,
    v: &TransportView,
    drag: &mut Option<TimelineDrag>,
    out: &mut Vec<Action>,
) {
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
        let range = v
            .loop_range
            .unwrap_or((0.0, v.length.unwrap_or(UNKNOWN_LENGTH)));
        if ui
            .toggle_value(&mut looping, "Loop")
            .on_hover_text(format!(
                "Loop from {} to {} (L); Shift-drag on the timeline to choose",
                minutes_seconds(range.0),
                minutes_seconds(range.1)
            ))
            .changed()
        {
            out.push(Action::Transport(Transport::Loop(looping.then_some(range))));
        }
        let pos = v.telemetry.map_or(0.0, |t| t.position_seconds);
        let time = if v.bars {
            format!("{:>9}", bars_beats(pos, v.tempo_bpm))
        } else {
            minutes_seconds(pos)
        };
        if ui
            .add(egui::Button::new(RichText::new(time).monospace()).frame(false))
            .on_hover_text("Play position; click for bars:beats or minutes:seconds")
            .clicked()
        {
            out.push(Action::SetBars(!v.bars));
        }
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
    let tl = TimelineView {
        position: v.telemetry.map_or(0.0, |t| t.position_seconds),
        length: v.length.unwrap_or(UNKNOWN_LENGTH),
        loop_range: v.loop_range,
        looping: v.looping,
        bars: v.bars,
        tempo_bpm: v.tempo_bpm,
    };
    timeline(ui, &tl, drag, out);
}

fn device_status(ui: &mut Ui, t: Option<&Telemetry>) {
    match t {
        Some(t) if t.device.ok => {
            let d = &t.device;
            let buffer = d.buffer_frames.map_or("default buffer".to_owned(), |b| {
                format!(
                    "{b} frames ({:.1} ms)",
                    f64::from(b) * 1000.0 / f64::from(d.sample_rate.max(1))
                )
            });
            ui.label(format!("{} · {} Hz · {buffer}", d.device, d.sample_rate))
                .on_hover_text(format!(
                    "{} \"{}\", {} channels",
                    d.host, d.device, d.channels
                ));
            // The DSP load over the last second, as DAWs show it; a late
            // callback on a busy machine shows as an xrun, not as 1000 %.
            let load = d.dsp_load * 100.0;
            let colour = if load > 90.0 {
                Color32::LIGHT_RED
            } else {
                ui.visuals().text_color()
            };
            if d.idle {
                ui.label(RichText::new("idle").weak()).on_hover_text(
                    "Nothing plays, so the device stream is paused; Play wakes it at once",
                );
            } else {
                ui.label(RichText::new(format!("DSP {load:.0} %")).color(colour))
                    .on_hover_text(
                        "Time spent mixing against the time played, over the last second",
                    );
            }
            let trouble = d.xruns > 0 || t.underruns > 0;
            let text = format!("xruns {} · underruns {}", d.xruns, t.underruns);
            let text = if trouble {
                RichText::new(text).color(Color32::from_rgb(235, 170, 60))
            } else {
                RichText::new(text).weak()
            };
            ui.label(text).on_hover_text(
                "xruns: the device ran dry (a gap was heard); underruns: a file could not be read in time",
            );
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
            .on_hover_text(format!("{why}. auxbus reconnects when a device appears."));
        }
        None => {
            ui.label(RichText::new("audio off").weak());
        }
    }
}
