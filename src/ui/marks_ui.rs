//! Marks drawn over strips after they are drawn: the strips the current
//! lesson step is about (a glowing outline), and the linked group a
//! channel belongs to (a tag over its colour bar, in the group colour).
//! The lesson panel, drawn before the strips, says which ids to mark.

use std::sync::Arc;

use egui::{Color32, Context, Id, Rect, Stroke, StrokeKind, Ui, vec2};

use crate::session::{Session, group_of};

/// The outline of a strip a lesson step is about.
pub const LESSON_COLOUR: Color32 = Color32::from_rgb(255, 200, 40);
/// Linked groups' tags.
pub const GROUP_COLOUR: Color32 = Color32::from_rgb(40, 180, 190);

fn key() -> Id {
    Id::unique("lesson highlight")
}

/// The ids whose strips this frame marks (empty: none).
pub fn set_highlight(ctx: &Context, ids: Vec<String>) {
    ctx.data_mut(|d| d.insert_temp(key(), Arc::new(ids)));
}

/// Draws the marks of channel or VCA `id`'s strip, drawn at `rect`.
pub fn strip_marks(ui: &Ui, s: &Session, id: &str, rect: Rect) {
    let marked: Option<Arc<Vec<String>>> = ui.ctx().data(|d| d.get_temp(key()));
    let painter = ui.painter();
    if marked.is_some_and(|m| m.iter().any(|x| x == id)) {
        let pulse = (ui.input(|i| i.time) * 2.0).sin() as f32 * 0.5 + 0.5;
        let colour = LESSON_COLOUR.gamma_multiply(0.6 + 0.4 * pulse);
        painter.rect_stroke(
            rect.expand(2.0),
            6.0,
            Stroke::new(3.0, colour),
            StrokeKind::Outside,
        );
    }
    if let Some(g) = group_of(s, id) {
        let text = format!("🔗 {}", g.display_name());
        let font = egui::FontId::proportional(9.5);
        let galley = painter.layout_no_wrap(text, font, Color32::BLACK);
        let size = galley.size() + vec2(8.0, 0.0);
        // Over the strip's colour bar, inside the strip (the row clips
        // anything above it).
        let at = Rect::from_min_size(rect.center_top() - vec2(size.x / 2.0, 0.0), size);
        painter.rect_filled(at, 4.0, GROUP_COLOUR);
        painter.galley(at.min + vec2(4.0, 0.0), galley, Color32::BLACK);
    }
}
