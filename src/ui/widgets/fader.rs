//! A vertical console fader, plus a type-in dB field ([`db_entry`]).
//!
//! The fader edits an `Option<f32>` gain in dB (`None` = −inf) using the
//! console taper in [`super::fader_law`]. It never touches audio: it reports
//! through the [`Response`] — `changed()` whenever the value moved,
//! `drag_started()` / `drag_stopped()` around a drag — so the app can turn a
//! whole gesture into one undo step.
//!
//! Interaction, as on a console or DAW:
//! * drag anywhere on the fader: the cap follows the pointer *relatively*
//!   (grabbing it never makes the level jump); Shift = fine (×0.1);
//! * double-click: back to 0 dB;
//! * mouse wheel / arrow keys: 0.5 dB steps (0.1 dB with Shift);
//! * AccessKit: a slider in dB, −144 standing for −inf.

use egui::{
    Align2, Color32, CornerRadius, CursorIcon, FontId, Id, Key, Pos2, Rect, Response, Sense, Shape,
    Stroke, TextEdit, Ui, Widget, WidgetInfo, pos2, vec2,
};

use super::fader_law::{
    FADER_TOP_DB, FLOOR_DB, db_to_position, format_db, parse_db, position_to_db, step_db,
};
use super::interaction::{
    FINE_FACTOR, accesskit_set_value, declare_slider, fine_held, keyboard_steps, wheel_notches,
};

/// Total width: the slot column plus the scale column beside it.
pub const FADER_WIDTH: f32 = 58.0;
/// Height of the cap; the travel is the widget height minus this.
pub const FADER_CAP_HEIGHT: f32 = 14.0;
/// Smallest height that still leaves a usable travel.
const MIN_HEIGHT: f32 = 60.0;
/// Width of the column holding the slot and the cap; the scale is to its right.
const SLOT_COLUMN: f32 = 26.0;
/// Wheel / arrow step in dB, and the fine variant.
const STEP_DB: f32 = 0.5;
/// Scale marks. −inf is drawn at the very bottom.
const TICKS: [Option<f32>; 7] = [
    Some(6.0),
    Some(0.0),
    Some(-6.0),
    Some(-12.0),
    Some(-24.0),
    Some(-48.0),
    None,
];
/// Colour of the marker showing the gain after a VCA.
const COMBINED_COLOUR: Color32 = Color32::from_rgb(255, 165, 60);

/// A vertical fader editing a gain in dB. See the module docs.
///
/// ```ignore
/// let r = ui.add(Fader::new(&mut strip.gain_db, "Kick fader").height(220.0));
/// if r.drag_started() { undo.begin() }
/// if r.changed() { engine.set_gain(strip.gain_db) }
/// ```
pub struct Fader<'a> {
    value: &'a mut Option<f32>,
    label: String,
    height: f32,
    /// Shown (as a second marker) when a VCA applies: own gain × VCA gain.
    combined: Option<Option<f32>>,
    /// Draw the dB scale beside the slot (off for narrow strips).
    scale: bool,
}

impl<'a> Fader<'a> {
    /// `label` is the accessible name (what kittest's `get_by_label` finds);
    /// make it unique in the window, e.g. "Kick fader".
    pub fn new(value: &'a mut Option<f32>, label: impl Into<String>) -> Self {
        Self {
            value,
            label: label.into(),
            height: 200.0,
            combined: None,
            scale: true,
        }
    }

    /// Overall height in points, including half a cap at each end.
    #[must_use]
    pub fn height(mut self, height: f32) -> Self {
        self.height = height;
        self
    }

    /// Whether to draw the dB scale beside the slot; without it the fader is
    /// only the slot column wide.
    #[must_use]
    pub fn scale(mut self, scale: bool) -> Self {
        self.scale = scale;
        self
    }

    /// The effective gain once a VCA is applied (`None` = −inf). The cap still
    /// edits the channel's own gain; the combined gain gets its own marker so
    /// the user sees both, as in Ardour or Logic.
    #[must_use]
    pub fn combined(mut self, combined_db: Option<f32>) -> Self {
        self.combined = Some(combined_db);
        self
    }
}

/// Where things are inside the allocated rect.
struct Geometry {
    rect: Rect,
}

impl Geometry {
    fn slot_x(&self) -> f32 {
        self.rect.left() + SLOT_COLUMN / 2.0
    }

    /// Pixels of travel between the cap centre at −inf and at the top.
    fn travel(&self) -> f32 {
        (self.rect.height() - FADER_CAP_HEIGHT).max(1.0)
    }

    /// Screen y of the cap centre for a travel position (0 bottom, 1 top).
    fn y(&self, position: f32) -> f32 {
        self.rect.bottom() - FADER_CAP_HEIGHT / 2.0 - position.clamp(0.0, 1.0) * self.travel()
    }
}

impl Widget for Fader<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let Fader {
            value,
            label,
            height,
            combined,
            scale,
        } = self;
        let width = if scale { FADER_WIDTH } else { SLOT_COLUMN };
        let size = vec2(width, height.max(MIN_HEIGHT));
        let (rect, mut response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        let geom = Geometry { rect };
        let old = *value;

        // --- interact ---
        if response.dragged() {
            // On the first dragged frame, take the whole motion since the press:
            // egui only decides "drag, not click" after a few points of movement,
            // and those points should not be lost.
            let dy = if response.drag_started() {
                response.total_drag_delta().map_or(0.0, |d| d.y)
            } else {
                response.drag_delta().y
            };
            if dy != 0.0 {
                let scale = if fine_held(ui) { FINE_FACTOR } else { 1.0 };
                let position = db_to_position(*value) - dy / geom.travel() * scale;
                *value = position_to_db(position.clamp(0.0, 1.0));
            }
        }
        if response.double_clicked() {
            *value = Some(0.0);
        }
        let steps = wheel_notches(ui, &response) + keyboard_steps(ui, &response);
        if steps != 0 {
            let step = if fine_held(ui) {
                STEP_DB * FINE_FACTOR
            } else {
                STEP_DB
            };
            *value = step_db(*value, steps, step);
        }
        if let Some(v) = accesskit_set_value(ui, response.id).filter(|v| !v.is_nan()) {
            *value = if v <= f64::from(FLOOR_DB) {
                None
            } else {
                Some((v as f32).min(FADER_TOP_DB))
            };
        }
        // Compare bit patterns so a NaN left in a session does not report a
        // change on every frame.
        if old.map(f32::to_bits) != value.map(f32::to_bits) {
            response.mark_changed();
        }

        // --- accessibility ---
        let ak_value = f64::from(
            value
                .filter(|d| !d.is_nan())
                .map_or(FLOOR_DB, |d| d.clamp(FLOOR_DB, FADER_TOP_DB)),
        );
        let enabled = ui.is_enabled();
        response.widget_info(|| WidgetInfo::slider(enabled, ak_value, &label));
        declare_slider(
            ui,
            response.id,
            ak_value,
            f64::from(FLOOR_DB),
            f64::from(FADER_TOP_DB),
            f64::from(STEP_DB),
        );

        // --- paint ---
        if ui.is_rect_visible(rect) {
            paint(ui, &response, &geom, *value, combined, scale);
        }
        response.on_hover_and_drag_cursor(CursorIcon::ResizeVertical)
    }
}

fn paint(
    ui: &Ui,
    response: &Response,
    geom: &Geometry,
    value: Option<f32>,
    combined: Option<Option<f32>>,
    scale: bool,
) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let x = geom.slot_x();

    // Slot: a dark groove along the whole travel.
    let slot = Rect::from_min_max(pos2(x - 2.0, geom.y(1.0)), pos2(x + 2.0, geom.y(0.0)));
    painter.rect(
        slot,
        CornerRadius::same(2),
        visuals.extreme_bg_color,
        visuals.widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Outside,
    );

    // Scale: tick marks on the right of the slot, labels beside them. Labels
    // closer than a text line to the previous one are skipped on short faders.
    let tick_stroke = Stroke::new(1.0, visuals.weak_text_color());
    let font = FontId::proportional(10.0);
    let mut last_label_y = f32::INFINITY;
    for tick in TICKS.iter().rev().filter(|_| scale) {
        let y = geom.y(db_to_position(*tick));
        let x0 = geom.rect.left() + SLOT_COLUMN - 6.0;
        painter.line_segment([pos2(x0, y), pos2(x0 + 5.0, y)], tick_stroke);
        if last_label_y - y >= 10.0 {
            let text = match tick {
                None => "-inf".to_owned(),
                Some(d) if *d > 0.0 => format!("+{d:.0}"),
                Some(d) => format!("{d:.0}"),
            };
            painter.text(
                pos2(x0 + 8.0, y),
                Align2::LEFT_CENTER,
                text,
                font.clone(),
                visuals.weak_text_color(),
            );
            last_label_y = y;
        }
    }

    let cap_half = vec2((SLOT_COLUMN - 4.0) / 2.0, FADER_CAP_HEIGHT / 2.0);

    // Combined (VCA) gain: a hollow outline with a pointer, behind the cap.
    if let Some(combined) = combined {
        let y = geom.y(db_to_position(combined));
        let ghost = Rect::from_center_size(pos2(x, y), cap_half * 2.0);
        painter.rect_stroke(
            ghost,
            CornerRadius::same(2),
            Stroke::new(1.5, COMBINED_COLOUR),
            egui::StrokeKind::Inside,
        );
        let tip = ghost.left() - 1.0;
        painter.add(Shape::convex_polygon(
            vec![
                pos2(tip, y),
                pos2(tip - 5.0, y - 4.0),
                pos2(tip - 5.0, y + 4.0),
            ],
            COMBINED_COLOUR,
            Stroke::NONE,
        ));
    }

    // Cap, with a centre line marking the exact position.
    let style = ui.style().interact(response);
    let centre = Pos2::new(x, geom.y(db_to_position(value)));
    let cap = Rect::from_center_size(centre, cap_half * 2.0);
    let outline = if response.has_focus() {
        visuals.selection.stroke
    } else {
        style.bg_stroke
    };
    painter.rect(
        cap,
        CornerRadius::same(2),
        style.bg_fill,
        outline,
        egui::StrokeKind::Inside,
    );
    painter.line_segment(
        [
            pos2(cap.left() + 2.0, centre.y),
            pos2(cap.right() - 2.0, centre.y),
        ],
        Stroke::new(1.5, style.fg_stroke.color),
    );
}

/// A small type-in field for a gain: shows the value (`"-3.0"`, `"-inf"`) and
/// accepts `-3`, `+2.5`, `-3 dB`, `-inf`, `inf` … (see
/// [`super::fader_law::parse_db`]).
///
/// The value is committed when the field loses focus (Enter, Tab, click
/// elsewhere); Escape cancels; text that is not a gain is ignored and the old
/// value comes back. `changed()` is set only on the frame a new value is
/// committed, never per keystroke, so the caller can record one undo step.
///
/// The field's accessible name is its hint "dB"; chain
/// `.accessible_name("Kick gain")` on the result to give it a unique one.
pub fn db_entry(ui: &mut Ui, value: &mut Option<f32>, id: Id) -> Response {
    let buffer_id = id.with("db_entry_text");
    // While editing, the text lives in temporary memory; otherwise the field
    // always shows the current value (which a fader drag may have changed).
    let editing = ui.memory(|m| m.has_focus(id));
    let mut text = if editing {
        ui.data(|d| d.get_temp::<String>(buffer_id))
            .unwrap_or_else(|| format_db(*value))
    } else {
        format_db(*value)
    };
    let mut response = ui.add(
        TextEdit::singleline(&mut text)
            .id(id)
            .desired_width(46.0)
            .align(Align2::CENTER_CENTER)
            .hint_text("dB"),
    );
    // TextEdit reports `changed` for every keystroke; the caller should only
    // hear about committed values.
    response.flags.remove(egui::response::Flags::CHANGED);

    if response.has_focus() {
        ui.data_mut(|d| d.insert_temp(buffer_id, text));
    } else if response.lost_focus() {
        ui.data_mut(|d| d.remove::<String>(buffer_id));
        let cancelled = ui.input(|i| i.key_pressed(Key::Escape));
        if !cancelled
            && let Some(new) = parse_db(&text)
            && new.map(f32::to_bits) != value.map(f32::to_bits)
        {
            *value = new;
            response.mark_changed();
        }
    }
    response
}
