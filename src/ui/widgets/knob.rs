//! A rotary knob, used for pan and send levels.
//!
//! Like the fader it only edits a value passed by `&mut` and reports through
//! the [`Response`] (`changed`, `drag_started`, `drag_stopped`).
//!
//! * vertical drag: up = more (a circular drag is hard to do precisely with a
//!   mouse, so every DAW settled on up/down); Shift = fine (×0.1);
//! * double-click: back to the default (pan centre, send unity);
//! * mouse wheel / arrow keys: one step (a tenth with Shift);
//! * the coloured arc starts at a reference value (the default, or
//!   [`Knob::arc_origin`]) so a centred pan shows no arc, a pan left shows an
//!   arc to the left, and a send at −inf shows nothing at all.

use std::ops::RangeInclusive;

use egui::{
    Align2, CursorIcon, FontId, Pos2, Response, Sense, Shape, Stroke, Ui, Widget, WidgetInfo, pos2,
    vec2,
};

use super::fader_law::format_db;
use super::interaction::{
    FINE_FACTOR, accesskit_set_value, declare_slider, fine_held, keyboard_steps, wheel_notches,
};

/// Lowest send level; the knob's minimum means −inf (no send).
pub const SEND_MIN_DB: f32 = -60.0;
/// Highest send level.
pub const SEND_MAX_DB: f32 = 6.0;

/// Pixels of vertical drag for the full range (at normal speed).
const DRAG_PIXELS: f32 = 200.0;
/// Half of the 270° sweep, in radians; the gap of the dial is at the bottom.
const HALF_SWEEP: f32 = 135.0 * std::f32::consts::PI / 180.0;
/// Height of the value text under the dial.
const TEXT_HEIGHT: f32 = 13.0;

/// A rotary control for an `f32` in `range`. See the module docs.
pub struct Knob<'a> {
    value: &'a mut f32,
    range: RangeInclusive<f32>,
    default: f32,
    label: String,
    format: Box<dyn Fn(f32) -> String + 'a>,
    arc_origin: Option<f32>,
    step: Option<f32>,
    diameter: f32,
}

impl<'a> Knob<'a> {
    /// A knob over `range`; the default (double-click) is the range start
    /// until [`Self::default_value`] says otherwise. `label` is the accessible
    /// name, e.g. "Kick pan"; make it unique in the window.
    pub fn new(value: &'a mut f32, range: RangeInclusive<f32>, label: impl Into<String>) -> Self {
        let default = *range.start();
        Self {
            value,
            range,
            default,
            label: label.into(),
            format: Box::new(|v| format!("{v:.2}")),
            arc_origin: None,
            step: None,
            diameter: 32.0,
        }
    }

    /// A pan knob: −1 (left) ..= 1 (right), default centre, shown as "L37",
    /// "C", "R20".
    pub fn pan(value: &'a mut f32, label: impl Into<String>) -> Self {
        Self::new(value, -1.0..=1.0, label)
            .default_value(0.0)
            .format(format_pan)
            .step(0.05)
    }

    /// A balance knob for a stereo signal: −1 (left side only) ..= 1 (right
    /// side only), shown as "Bal C", "Bal L37" (the right side is turned
    /// down 37 %).
    pub fn balance(value: &'a mut f32, label: impl Into<String>) -> Self {
        Self::new(value, -1.0..=1.0, label)
            .default_value(0.0)
            .format(|v| format!("Bal {}", format_pan(v)))
            .step(0.05)
    }

    /// A send level in dB: [`SEND_MIN_DB`] (meaning −inf) ..= [`SEND_MAX_DB`].
    /// Double-click gives unity (0 dB); the arc grows from −inf.
    pub fn send_level(value: &'a mut f32, label: impl Into<String>) -> Self {
        Self::new(value, SEND_MIN_DB..=SEND_MAX_DB, label)
            .default_value(0.0)
            .arc_origin(SEND_MIN_DB)
            .format(format_send_db)
            .step(0.5)
    }

    /// Value restored by a double-click; also where the arc starts unless
    /// [`Self::arc_origin`] is set.
    #[must_use]
    pub fn default_value(mut self, default: f32) -> Self {
        self.default = default;
        self
    }

    /// How the value is shown under the dial.
    #[must_use]
    pub fn format(mut self, format: impl Fn(f32) -> String + 'a) -> Self {
        self.format = Box::new(format);
        self
    }

    /// Where the coloured arc starts, if not at the default.
    #[must_use]
    pub fn arc_origin(mut self, origin: f32) -> Self {
        self.arc_origin = Some(origin);
        self
    }

    /// Wheel / arrow-key step (default: a fortieth of the range).
    #[must_use]
    pub fn step(mut self, step: f32) -> Self {
        self.step = Some(step);
        self
    }

    /// Dial diameter in points.
    #[must_use]
    pub fn diameter(mut self, diameter: f32) -> Self {
        self.diameter = diameter;
        self
    }
}

/// Pan text: `"C"` in the middle, else the side and percentage (`"L37"`, `"R20"`).
pub fn format_pan(pan: f32) -> String {
    let percent = (pan.clamp(-1.0, 1.0) * 100.0).round();
    if percent.is_nan() || percent == 0.0 {
        "C".to_owned()
    } else if percent < 0.0 {
        format!("L{:.0}", -percent)
    } else {
        format!("R{percent:.0}")
    }
}

/// Send level text: the minimum shows `"-inf"`, anything else like a fader.
pub fn format_send_db(db: f32) -> String {
    if db.is_nan() || db <= SEND_MIN_DB {
        "-inf".to_owned()
    } else {
        format_db(Some(db))
    }
}

impl Widget for Knob<'_> {
    fn ui(self, ui: &mut Ui) -> Response {
        let Knob {
            value,
            range,
            default,
            label,
            format,
            arc_origin,
            step,
            diameter,
        } = self;
        // Tolerate a reversed or NaN range rather than panicking in clamp().
        let (a, b) = (*range.start(), *range.end());
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (lo, hi) = if lo.is_nan() || hi.is_nan() {
            (0.0, 1.0)
        } else {
            (lo, hi)
        };
        let span = hi - lo;
        let clamp = |v: f32| if v.is_nan() { lo } else { v.clamp(lo, hi) };
        let default = clamp(default);
        let step = step
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(span / 40.0);

        let diameter = diameter.max(16.0);
        let size = vec2(diameter.max(40.0), diameter + TEXT_HEIGHT);
        let (rect, mut response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        let old = *value;

        // --- interact ---
        if response.dragged() {
            // As in the fader: include the motion that preceded the drag decision.
            let dy = if response.drag_started() {
                response.total_drag_delta().map_or(0.0, |d| d.y)
            } else {
                response.drag_delta().y
            };
            if dy != 0.0 && span > 0.0 {
                let scale = if fine_held(ui) { FINE_FACTOR } else { 1.0 };
                *value = clamp(clamp(*value) - dy / DRAG_PIXELS * span * scale);
            }
        }
        if response.double_clicked() {
            *value = default;
        }
        let steps = wheel_notches(ui, &response) + keyboard_steps(ui, &response);
        if steps != 0 {
            let step = if fine_held(ui) {
                step * FINE_FACTOR
            } else {
                step
            };
            *value = clamp(clamp(*value) + steps as f32 * step);
        }
        if let Some(v) = accesskit_set_value(ui, response.id).filter(|v| !v.is_nan()) {
            *value = clamp(v as f32);
        }
        if old.to_bits() != value.to_bits() {
            response.mark_changed();
        }

        // --- accessibility ---
        let shown = clamp(*value);
        let enabled = ui.is_enabled();
        response.widget_info(|| WidgetInfo::slider(enabled, f64::from(shown), &label));
        declare_slider(
            ui,
            response.id,
            f64::from(shown),
            f64::from(lo),
            f64::from(hi),
            f64::from(step),
        );

        // --- paint ---
        if ui.is_rect_visible(rect) {
            let fraction = |v: f32| if span > 0.0 { (v - lo) / span } else { 0.0 };
            let centre = pos2(rect.center().x, rect.top() + diameter / 2.0);
            let radius = diameter / 2.0 - 2.0;
            let origin = clamp(arc_origin.unwrap_or(default));
            paint_dial(
                ui,
                &response,
                centre,
                radius,
                fraction(origin),
                fraction(shown),
            );
            ui.painter().text(
                pos2(rect.center().x, rect.bottom()),
                Align2::CENTER_BOTTOM,
                format(shown),
                FontId::proportional(10.0),
                ui.visuals().text_color(),
            );
        }
        response.on_hover_and_drag_cursor(CursorIcon::ResizeVertical)
    }
}

/// Point on a circle for a dial fraction (0 = fully left/down, 1 = fully right).
fn dial_point(centre: Pos2, radius: f32, fraction: f32) -> Pos2 {
    // Angle measured clockwise from straight up; y grows downwards on screen.
    let angle = -HALF_SWEEP + fraction.clamp(0.0, 1.0) * 2.0 * HALF_SWEEP;
    pos2(
        centre.x + radius * angle.sin(),
        centre.y - radius * angle.cos(),
    )
}

/// Polyline along the dial between two fractions (in either order).
fn arc_points(centre: Pos2, radius: f32, from: f32, to: f32) -> Vec<Pos2> {
    let (a, b) = if from <= to { (from, to) } else { (to, from) };
    // About one segment per 4° of sweep keeps the arc smooth at any size.
    let segments = (((b - a) * 270.0 / 4.0).ceil() as usize).max(1);
    (0..=segments)
        .map(|i| dial_point(centre, radius, a + (b - a) * i as f32 / segments as f32))
        .collect()
}

fn paint_dial(ui: &Ui, response: &Response, centre: Pos2, radius: f32, origin: f32, value: f32) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let style = ui.style().interact(response);

    // Full track, then the value arc from the reference point.
    painter.add(Shape::line(
        arc_points(centre, radius, 0.0, 1.0),
        Stroke::new(3.0, visuals.extreme_bg_color),
    ));
    if (value - origin).abs() > 1e-4 {
        painter.add(Shape::line(
            arc_points(centre, radius, origin, value),
            Stroke::new(3.0, visuals.selection.bg_fill),
        ));
    }
    // A small tick at the reference point (pan centre, send −inf).
    painter.line_segment(
        [
            dial_point(centre, radius + 2.0, origin),
            dial_point(centre, radius - 3.0, origin),
        ],
        Stroke::new(1.0, visuals.weak_text_color()),
    );

    // Body and pointer.
    let body_stroke = if response.has_focus() {
        visuals.selection.stroke
    } else {
        style.bg_stroke
    };
    painter.circle(centre, radius - 4.0, style.bg_fill, body_stroke);
    painter.line_segment(
        [
            dial_point(centre, (radius - 4.0) * 0.3, value),
            dial_point(centre, radius - 4.0, value),
        ],
        Stroke::new(2.0, style.fg_stroke.color),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_text() {
        assert_eq!(format_pan(0.0), "C");
        assert_eq!(format_pan(-0.004), "C");
        assert_eq!(format_pan(-0.37), "L37");
        assert_eq!(format_pan(0.2), "R20");
        assert_eq!(format_pan(-1.5), "L100");
        assert_eq!(format_pan(f32::NAN), "C");
    }

    #[test]
    fn send_text() {
        assert_eq!(format_send_db(SEND_MIN_DB), "-inf");
        assert_eq!(format_send_db(-12.0), "-12.0");
        assert_eq!(format_send_db(3.0), "+3.0");
    }

    #[test]
    fn dial_ends_are_at_the_bottom() {
        let c = pos2(0.0, 0.0);
        let left = dial_point(c, 10.0, 0.0);
        let top = dial_point(c, 10.0, 0.5);
        let right = dial_point(c, 10.0, 1.0);
        assert!(left.x < 0.0 && left.y > 0.0);
        assert!(top.x.abs() < 1e-4 && top.y < 0.0);
        assert!(right.x > 0.0 && right.y > 0.0);
    }
}
