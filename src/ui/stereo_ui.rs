//! The master strip's stereo section: a phase correlation meter, the
//! stereo width and the left/right balance of the mix, and the switch for
//! the spectrum analyser.
//!
//! ```text
//!  STEREO                         spectrum
//!  −1 [▒▒▒▒▒▒▒▒|▒▒▒▒▒▒▒▒▒▒▒▌▒▒] +1   +0.82
//!  Width  64 %   Bal  L 0.4 dB
//! ```

use egui::{Color32, Pos2, Rect, RichText, Role, Sense, Stroke, Ui, WidgetInfo, vec2};

use super::action::Action;
use crate::analysis::{INTEGRATION_SECONDS, MAX_WIDTH, StereoImage};

const IN_PHASE: Color32 = Color32::from_rgb(80, 190, 110);
const OUT_OF_PHASE: Color32 = Color32::from_rgb(225, 80, 60);

pub fn stereo_section(
    ui: &mut Ui,
    image: &StereoImage,
    analyser_open: bool,
    out: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("STEREO").small().strong())
            .on_hover_text("The stereo image of the mix: phase correlation, width and balance");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let label = if analyser_open {
                "hide spectrum"
            } else {
                "spectrum"
            };
            if ui
                .small_button(label)
                .on_hover_text("Open the spectrum analyser (the master or any channel)")
                .clicked()
            {
                out.push(Action::ShowAnalyser(!analyser_open));
            }
        });
    });
    let value = image.correlation();
    ui.horizontal(|ui| {
        let text = value.map_or("  -- ".to_owned(), |c| format!("{c:+.2}"));
        let width = ui.available_width() - 44.0;
        correlation_bar(ui, value, width.max(60.0));
        ui.label(RichText::new(text).monospace()).on_hover_text(
            "Phase correlation: +1 both sides the same (mono), 0 unrelated, \
             below 0 the sides work against each other and cancel in mono",
        );
    });
    ui.horizontal(|ui| {
        let width = image.width().map_or("  --".to_owned(), |w| {
            if w >= MAX_WIDTH {
                ">999".to_owned()
            } else {
                format!("{:4.0}", w * 100.0)
            }
        });
        ui.label(RichText::new(format!("Width {width} %")).monospace())
            .on_hover_text(
                "Side level over mid level: 0 % mono, 100 % as much side as middle \
                 (two unrelated channels); above 100 % the mix thins out in mono",
            );
        let balance = image.balance_db().map_or("  --".to_owned(), |b| {
            if b.abs() < 0.05 {
                "   C".to_owned()
            } else {
                format!("{}{:.1}", if b > 0.0 { "L" } else { "R" }, b.abs())
            }
        });
        ui.label(RichText::new(format!("Bal {balance}")).monospace())
            .on_hover_text(
                "Balance: how much louder the left is than the right (or the reverse), dB",
            );
    });
}

/// The correlation meter: −1 at the left, +1 at the right, a marker at the
/// reading (none in silence).
fn correlation_bar(ui: &mut Ui, value: Option<f64>, width: f32) {
    let (rect, response) = ui.allocate_exact_size(vec2(width, 14.0), Sense::hover());
    let response = response.on_hover_text(format!(
        "Phase correlation meter, −1 … +1, integrated over {:.0} ms",
        INTEGRATION_SECONDS * 1000.0
    ));
    response.widget_info(|| {
        let reading = value.map_or("silent".to_owned(), |c| format!("{c:+.2}"));
        WidgetInfo::labeled(
            Role::Meter,
            true,
            format!("Master phase correlation {reading}"),
        )
    });
    if !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let mid = rect.center().x;
    let half = |from: f32, to: f32, colour: Color32| {
        let r = Rect::from_x_y_ranges(from..=to, rect.y_range()).shrink2(vec2(0.0, 4.0));
        painter.rect_filled(r, 1.0, colour.gamma_multiply(0.25));
    };
    half(rect.left(), mid, OUT_OF_PHASE);
    half(mid, rect.right(), IN_PHASE);
    let tick = Stroke::new(1.0, ui.visuals().weak_text_color());
    painter.line_segment(
        [Pos2::new(mid, rect.top()), Pos2::new(mid, rect.bottom())],
        tick,
    );
    if let Some(c) = value {
        let x = mid + c as f32 * rect.width() / 2.0;
        let colour = if c < 0.0 { OUT_OF_PHASE } else { IN_PHASE };
        let marker =
            Rect::from_center_size(Pos2::new(x, rect.center().y), vec2(4.0, rect.height()));
        painter.rect_filled(marker.intersect(rect), 1.0, colour);
    }
}
