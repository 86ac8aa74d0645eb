//! The master strip's loudness section: momentary, short-term and
//! integrated loudness (EBU R 128), the highest true peak, and an over light
//! that latches when the true peak passes −1 dBTP until it is clicked.
//!
//! ```text
//!  LOUDNESS          reset
//!  M -14.2 S -15.0 I -16.1 LUFS
//!  TP -2.3 dBTP         [OVER]
//! ```

use egui::{Color32, RichText, Role, Sense, Ui, WidgetInfo, vec2};

use super::action::Action;
use super::loudness::{LiveLoudness, OVER_DBTP};

const OVER_COLOUR: Color32 = Color32::from_rgb(235, 50, 40);

fn lufs(v: Option<f64>) -> String {
    v.map_or("  -- ".to_owned(), |x| format!("{x:5.1}"))
}

fn readout(ui: &mut Ui, tag: &str, value: Option<f64>, hover: &str) {
    ui.label(RichText::new(format!("{tag} {}", lufs(value))).monospace())
        .on_hover_text(hover);
}

pub fn loudness_section(ui: &mut Ui, l: &LiveLoudness, out: &mut Vec<Action>) {
    ui.separator();
    ui.horizontal(|ui| {
        ui.label(RichText::new("LOUDNESS").small().strong())
            .on_hover_text("EBU R 128 loudness of the master while it plays");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("reset")
                .on_hover_text("Reset the integrated loudness, the true peak and the over light")
                .clicked()
            {
                out.push(Action::ResetLoudness);
            }
            ui.label(
                RichText::new(format!("{:.0} s", l.seconds()))
                    .small()
                    .weak(),
            )
            .on_hover_text("Time the integrated loudness covers");
        });
    });
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        readout(
            ui,
            "M",
            l.momentary(),
            "Momentary loudness, LUFS (last 400 ms)",
        );
        readout(
            ui,
            "S",
            l.short_term(),
            "Short-term loudness, LUFS (last 3 s)",
        );
        readout(
            ui,
            "I",
            l.integrated(),
            "Integrated loudness, LUFS, since play started or the last reset (gated)",
        );
        ui.label(RichText::new("LUFS").small().weak())
            .on_hover_text("Loudness units relative to full scale (EBU R 128)");
    });
    ui.horizontal(|ui| {
        let tp = l.true_peak_dbtp();
        let text = tp.map_or("TP   -- dBTP".to_owned(), |x| format!("TP {x:5.1} dBTP"));
        let colour = if tp.is_some_and(|x| x > OVER_DBTP) {
            OVER_COLOUR
        } else {
            ui.visuals().text_color()
        };
        ui.label(RichText::new(text).monospace().color(colour))
            .on_hover_text("Highest true peak (4× oversampled) since play or the last reset");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if over_light(ui, l.over()).clicked() {
                out.push(Action::ResetLoudness);
            }
        });
    });
}

/// A light that shows a latched true-peak over; clicking it resets.
fn over_light(ui: &mut Ui, on: bool) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(vec2(44.0, 16.0), Sense::click());
    let response = response.on_hover_text(format!(
        "True-peak over: lights when the master passes {OVER_DBTP} dBTP and stays lit; click to reset"
    ));
    response
        .widget_info(|| WidgetInfo::selected(Role::CheckBox, true, on, "Master true-peak over"));
    if ui.is_rect_visible(rect) {
        let fill = if on {
            OVER_COLOUR
        } else {
            ui.visuals().widgets.inactive.bg_fill
        };
        ui.painter().rect_filled(rect, 3.0, fill);
        let text = if on { Color32::WHITE } else { Color32::GRAY };
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "OVER",
            egui::FontId::monospace(10.0),
            text,
        );
    }
    response
}
