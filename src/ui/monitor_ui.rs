//! The monitor section of the master strip: what the speakers play, never
//! what a render writes. Mono check, dim, and "listen to" any device pair's
//! mix (a cue mix on outputs 3–4, heard here even on a stereo device) or
//! any channel's output without soloing anything.
//!
//! ```text
//!  MONITOR  [MONO] [DIM −20]
//!  Listen   [Mix ▾]   (Mix · Outputs 3–4 · Drum Bus · Reverb …)
//!  Speakers ▬▬▬▬▬▬▬▬▬▬▬▬▬▬▬|  −23.4   (what outputs 1–2 play)
//! ```

use egui::{Color32, Pos2, Rect, RichText, Role, Sense, Stroke, Ui, WidgetInfo, vec2};

use super::action::Action;
use super::strip_layout::output_label;
use super::theme::{MUTE_COLOUR, SAFE_COLOUR};
use super::toggle_ui::toggle_explained;
use super::widgets::{MeterBallistics, format_db};
use crate::live::Monitoring;

/// The speaker meter's scale, dB.
const SPEAKER_FLOOR_DB: f32 = -60.0;
use crate::session::{ChannelKind, Session, hw_output_name, hw_output_pair};

pub fn monitor_section(
    ui: &mut Ui,
    s: &Session,
    m: &Monitoring,
    speakers: &[MeterBallistics; 2],
    out: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("MONITOR").small().strong())
            .on_hover_text("What the speakers play; renders and exports are never affected");
        let mono = toggle_explained(
            ui,
            m.mono,
            "MONO",
            "Monitor mono",
            "Mono check: both speakers play (L + R) / 2. A sound in the centre keeps its \
             level, one panned hard to a side is 6 dB lower, and anything that cancels \
             in mono (out-of-phase stereo) is heard to cancel. Renders stay stereo",
            SAFE_COLOUR,
        );
        if mono.clicked() {
            out.push(Action::SetMonitoring(Monitoring {
                mono: !m.mono,
                ..m.clone()
            }));
        }
        let dim = toggle_explained(
            ui,
            m.dim,
            "DIM",
            "Monitor dim",
            &format!(
                "Dim: the speakers play {:.0} dB quieter (a conversation, a phone call); \
                 the mix and its meters are unchanged",
                m.dim_db
            ),
            MUTE_COLOUR,
        );
        if dim.clicked() {
            out.push(Action::SetMonitoring(Monitoring {
                dim: !m.dim,
                ..m.clone()
            }));
        }
        let mut db = -m.dim_db;
        let r = ui
            .add(
                egui::DragValue::new(&mut db)
                    .range(-60.0..=0.0)
                    .speed(0.5)
                    .fixed_decimals(0)
                    .suffix(" dB"),
            )
            .on_hover_text("How far the dim turns the speakers down");
        if r.changed() {
            out.push(Action::SetMonitoring(Monitoring {
                dim_db: -db,
                ..m.clone()
            }));
        }
    });
    ui.horizontal(|ui| {
        ui.label(RichText::new("Listen").small());
        let shown = match m.listen.as_deref() {
            None => "the mix".to_owned(),
            Some(l) => output_label(s, Some(l)),
        };
        let mut choice = m.listen.clone();
        egui::ComboBox::from_id_salt("monitor listen")
            .selected_text(shown)
            .width(ui.available_width() - 8.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut choice, None, "the mix (what a render writes)");
                // Device pairs the session uses: a cue mix, heard here.
                let pairs = s
                    .channels
                    .iter()
                    .filter_map(|c| c.output.as_deref().and_then(hw_output_pair))
                    .max()
                    .unwrap_or(0);
                for p in 1..=pairs {
                    let id = hw_output_name(p);
                    let label = output_label(s, Some(&id));
                    ui.selectable_value(&mut choice, Some(id), label);
                }
                for c in s
                    .channels
                    .iter()
                    .filter(|c| matches!(c.kind, ChannelKind::Bus | ChannelKind::Aux))
                {
                    ui.selectable_value(&mut choice, Some(c.id.clone()), c.display_name());
                }
            })
            .response
            .on_hover_text(
                "Listen to: the speakers play this instead of the mix, without soloing \
                 anything — a cue mix on other outputs, or one bus or aux alone",
            );
        if choice != m.listen {
            out.push(Action::SetMonitoring(Monitoring {
                listen: choice,
                ..m.clone()
            }));
        }
    });
    ui.horizontal(|ui| {
        ui.label(RichText::new("Speakers").small());
        let peak = speakers[0].peak_db().max(speakers[1].peak_db());
        let width = ui.available_width() - 48.0;
        speaker_meter(ui, speakers, peak, width.max(60.0));
        ui.label(RichText::new(format_db(Some(peak))).monospace().small())
            .on_hover_text("Peak level reaching the speakers, dBFS");
    });
}

/// What outputs 1–2 play (after mono, dim and "listen to"), left above
/// right: the monitor's changes seen as well as heard.
fn speaker_meter(ui: &mut Ui, m: &[MeterBallistics; 2], peak: f32, width: f32) {
    let (rect, response) = ui.allocate_exact_size(vec2(width, 12.0), Sense::hover());
    let response = response.on_hover_text(
        "What the speakers (outputs 1–2) play now: the mix, or its mono check, dim or \
         listen-to source. The mix's own meters and loudness do not change with these",
    );
    response.widget_info(|| {
        WidgetInfo::labeled(
            Role::Meter,
            true,
            format!("Speakers {}", format_db(Some(peak))),
        )
    });
    if !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let x_of = |db: f32| {
        let t = ((db - SPEAKER_FLOOR_DB) / -SPEAKER_FLOOR_DB).clamp(0.0, 1.0);
        rect.left() + t * rect.width()
    };
    for (side, meter) in m.iter().enumerate() {
        let top = rect.top() + 1.0 + side as f32 * 5.5;
        let bar = Rect::from_x_y_ranges(rect.left()..=x_of(meter.peak_db()), top..=top + 4.5);
        let colour = if meter.peak_db() > -0.1 {
            Color32::from_rgb(235, 50, 40)
        } else {
            Color32::from_rgb(80, 190, 110)
        };
        painter.rect_filled(bar, 1.0, colour);
        let hold = x_of(meter.hold_db());
        painter.line_segment(
            [Pos2::new(hold, top), Pos2::new(hold, top + 4.5)],
            Stroke::new(1.0, ui.visuals().text_color()),
        );
    }
}
