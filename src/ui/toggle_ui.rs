//! A small latching button (M, S, safe, pre/post) whose accessible label
//! names what it does to which channel ("Mute Kick"), while the face shows
//! a short letter. allocate ➡ interact ➡ widget_info ➡ paint.

use egui::{Color32, Response, Role, Sense, Ui, Vec2, WidgetInfo};

pub fn toggle(ui: &mut Ui, on: bool, face: &str, label: &str, lit: Color32) -> Response {
    toggle_explained(ui, on, face, label, label, lit)
}

/// Like `toggle`, with a hover text of its own: what the button does in
/// its current state ("Post-fader send: follows Lead's fader…") rather
/// than its name.
pub fn toggle_hint(
    ui: &mut Ui,
    on: bool,
    face: &str,
    label: &str,
    lit: Color32,
    hint: &str,
) -> Response {
    toggle_explained(ui, on, face, label, hint, lit)
}

/// A toggle whose hover text (`hover`) says more than its accessible label.
pub fn toggle_explained(
    ui: &mut Ui,
    on: bool,
    face: &str,
    label: &str,
    hover: &str,
    lit: Color32,
) -> Response {
    let size = Vec2::new((face.len() as f32 * 7.0 + 10.0).max(22.0), 18.0);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| WidgetInfo::selected(Role::CheckBox, ui.is_enabled(), on, label));
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact(&response);
        let fill = if on { lit } else { visuals.bg_fill };
        ui.painter().rect_filled(rect, 3.0, fill);
        ui.painter()
            .rect_stroke(rect, 3.0, visuals.bg_stroke, egui::StrokeKind::Inside);
        let text = if on {
            Color32::BLACK
        } else {
            visuals.text_color()
        };
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            face,
            egui::FontId::proportional(11.0),
            text,
        );
    }
    response.on_hover_text(hover)
}
