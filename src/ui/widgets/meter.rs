//! Level meters: ballistics (how the display moves) and a stereo bar widget.
//!
//! The engine hands the UI a raw sample peak and an RMS per channel for each
//! UI frame. Shown raw they flicker unreadably, so [`MeterBallistics`] gives
//! them the behaviour engineers expect:
//! * the peak bar jumps up instantly and falls back at a constant speed along
//!   its scale: the whole height in [`FULL_FALL_SECONDS`], so any level reaches
//!   the floor within that time of silence (about 20 dB/s near 0 dB, faster
//!   lower down, where the scale is compressed);
//! * a peak-hold line stays put for [`HOLD_SECONDS`], then falls the same way;
//! * RMS is smoothed in the power domain with a [`RMS_TIME_CONSTANT`] (~300 ms),
//!   close to how loud the signal sounds, and never shows above the peak bar
//!   (an RMS can't exceed the peak), so it too is gone with the signal;
//! * the maximum peak since the last reset is kept as a number, and the clip
//!   light latches at 0 dBFS; a click resets both — a clip that happened
//!   while you were looking elsewhere must still be visible.
//!
//! All of it runs on the seconds elapsed (`dt`), never on a frame count, so
//! the meter moves the same at 2 frames per second as at 144.
//!
//! The bars deflect with the same law as the fader ([`super::fader_law`]) and
//! with the same vertical insets, so a meter placed beside a fader of the same
//! height lines up with the fader's dB scale — one scale serves both.
//!
//! [`stereo_meter`] only reads ballistics; the app owns them, calls
//! [`MeterBallistics::update`] once per frame and asks for a repaint about
//! every 33 ms while audio runs (a per-frame `request_repaint` would also make
//! kittest's `Harness::run` fail).

use egui::{Color32, CornerRadius, Rect, Response, Role, Sense, Stroke, Ui, WidgetInfo, vec2};

use super::fader::FADER_CAP_HEIGHT;
use super::fader_law::{FADER_TOP_DB, FLOOR_DB, db_to_position, position_to_db};
/// How long the peak-hold line stays before falling.
pub const HOLD_SECONDS: f32 = 1.5;
/// Seconds the peak bar (and the hold line, after its hold) takes to fall
/// the whole height of the scale.
pub const FULL_FALL_SECONDS: f32 = 1.2;
/// RMS smoothing time constant in seconds.
pub const RMS_TIME_CONSTANT: f32 = 0.3;

/// Colour zones: green below −12 dB, yellow up to 0 dBFS, red above (an over).
const YELLOW_FROM_DB: f32 = -12.0;
const RED_FROM_DB: f32 = 0.0;
const GREEN: Color32 = Color32::from_rgb(60, 200, 90);
const YELLOW: Color32 = Color32::from_rgb(235, 200, 40);
const RED: Color32 = Color32::from_rgb(235, 50, 40);

const BAR_WIDTH: f32 = 7.0;
const BAR_GAP: f32 = 2.0;
/// The scale's +6 dB sits half a fader cap below the top, as on the fader;
/// the clip light lives in that margin.
const SCALE_INSET: f32 = FADER_CAP_HEIGHT / 2.0;
const CLIP_HEIGHT: f32 = SCALE_INSET - 1.0;
/// Highest level kept, so an infinite sample cannot poison the arithmetic.
const CEILING_DB: f32 = 40.0;

/// Display state of one meter channel. All levels are in dB (≥ −144).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeterBallistics {
    /// Position of the peak-hold line, dB.
    peak_hold: f32,
    /// Seconds since the hold line was last pushed up.
    hold_age: f32,
    /// Top of the (falling) peak bar, dB.
    display_peak: f32,
    /// Smoothed RMS, dB.
    display_rms: f32,
    /// Latched when a sample reached 0 dBFS.
    clip: bool,
    /// Highest sample peak since the last reset, dB.
    max_peak: f32,
}

impl Default for MeterBallistics {
    fn default() -> Self {
        Self {
            peak_hold: FLOOR_DB,
            hold_age: 0.0,
            display_peak: FLOOR_DB,
            display_rms: FLOOR_DB,
            clip: false,
            max_peak: FLOOR_DB,
        }
    }
}

/// Linear amplitude to dB, clamped to the finite range the meter works in.
fn amp_to_db(amp: f32) -> f32 {
    if amp.is_nan() || amp <= 0.0 {
        FLOOR_DB
    } else {
        (20.0 * amp.log10()).clamp(FLOOR_DB, CEILING_DB)
    }
}

impl MeterBallistics {
    /// A silent meter with no clip.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed one UI frame: the sample `peak` and `rms` (linear, 1.0 = 0 dBFS)
    /// measured since the last call, and the seconds elapsed `dt`.
    ///
    /// Garbage in (NaN, negative, infinite `dt`) is tolerated: NaN levels count
    /// as silence, a bad `dt` as no time passing.
    pub fn update(&mut self, peak: f32, rms: f32, dt: f32) {
        let dt = if dt.is_finite() && dt > 0.0 { dt } else { 0.0 };
        let peak = peak.abs();
        if peak >= 1.0 {
            self.clip = true;
        }
        let peak_db = amp_to_db(peak);
        self.max_peak = self.max_peak.max(peak_db);

        // Bar: instant attack, a constant fall along the scale.
        self.display_peak = peak_db.max(fall(self.display_peak, dt));

        // Hold line: restart the hold on a new maximum; otherwise only the part
        // of `dt` past the hold time makes it fall. It never sits below the bar.
        if peak_db >= self.peak_hold {
            self.peak_hold = peak_db;
            self.hold_age = 0.0;
        } else {
            let before = (self.hold_age - HOLD_SECONDS).max(0.0);
            self.hold_age += dt;
            let after = (self.hold_age - HOLD_SECONDS).max(0.0);
            self.peak_hold = fall(self.peak_hold, after - before);
        }
        self.peak_hold = self.peak_hold.max(self.display_peak);

        // RMS: one-pole smoothing of power (mean square), not of dB, so the
        // reading is an energy average like an integrating meter.
        let alpha = 1.0 - (-dt / RMS_TIME_CONSTANT).exp();
        let power = 10f32.powf(self.display_rms / 10.0);
        let target = 10f32.powf(amp_to_db(rms.abs()) / 10.0);
        self.display_rms = (10.0 * (power + (target - power) * alpha).log10())
            .clamp(FLOOR_DB, CEILING_DB)
            .min(self.display_peak);
    }

    /// Clear the clip light and the peak number (the user clicked it).
    pub fn reset_clip(&mut self) {
        self.clip = false;
        self.max_peak = FLOOR_DB;
    }

    /// Highest sample peak since the last reset, dB (the strip's number).
    pub fn max_peak_db(&self) -> f32 {
        self.max_peak
    }

    /// Back to silence (e.g. when the transport stops and meters should drop).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Top of the peak bar, dB.
    pub fn peak_db(&self) -> f32 {
        self.display_peak
    }

    /// Peak-hold line, dB.
    pub fn hold_db(&self) -> f32 {
        self.peak_hold
    }

    /// Smoothed RMS, dB.
    pub fn rms_db(&self) -> f32 {
        self.display_rms
    }

    /// Has a sample reached 0 dBFS since the last [`Self::reset_clip`]?
    pub fn clipped(&self) -> bool {
        self.clip
    }
}

/// `db` moved down the scale by `dt` seconds of fall.
fn fall(db: f32, dt: f32) -> f32 {
    let position = db_to_position(Some(db)) - dt / FULL_FALL_SECONDS;
    if position <= 0.0 {
        FLOOR_DB
    } else {
        position_to_db(position).map_or(FLOOR_DB, |d| d.min(db))
    }
}

/// Meter text for one level: "-6.0", or "-inf" below the scale.
fn level_text(db: f32) -> String {
    if db <= FLOOR_DB {
        "-inf".to_owned()
    } else {
        format!("{db:.1}")
    }
}

/// Two meter bars (left, right) with RMS inner bars, hold lines and clip
/// lights. `height` includes the clip lights; give it the fader's height and
/// place it beside the fader so the fader's scale reads for the meter too.
///
/// Accessibility: a `Meter` node labelled "{label} meter" whose value text is
/// e.g. "L -6.0 dB, R -7.2 dB", and a `Button` "{label} clip".
///
/// The returned response is `clicked()` when the clip light was clicked; the
/// caller then calls [`MeterBallistics::reset_clip`] on both channels.
pub fn stereo_meter(
    ui: &mut Ui,
    meters: &[MeterBallistics; 2],
    height: f32,
    label: &str,
) -> Response {
    let width = 2.0 * BAR_WIDTH + BAR_GAP;
    let height = height.max(60.0);
    let (rect, response) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let clip_rect = Rect::from_min_size(rect.min, vec2(width, CLIP_HEIGHT));
    // The light is small; let the click target reach a little into the bars.
    let clip_target = clip_rect.with_max_y(clip_rect.bottom() + 4.0);
    let clip_response = ui.interact(clip_target, response.id.with("clip"), Sense::click());
    let enabled = ui.is_enabled();
    let clipped = meters.iter().any(MeterBallistics::clipped);

    // --- accessibility ---
    let summary = format!(
        "L {} dB, R {} dB{}",
        level_text(meters[0].peak_db()),
        level_text(meters[1].peak_db()),
        if clipped { ", clipped" } else { "" }
    );
    let loudest = f64::from(meters[0].peak_db().max(meters[1].peak_db()));
    response.widget_info(|| {
        let mut info = WidgetInfo::labeled(Role::Meter, enabled, format!("{label} meter"));
        info.current_text_value = Some(summary.clone());
        info.value = Some(loudest);
        info
    });
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_min_numeric_value(f64::from(FLOOR_DB));
        node.set_max_numeric_value(f64::from(CEILING_DB));
    });
    clip_response.widget_info(|| {
        let mut info = WidgetInfo::labeled(Role::Button, enabled, format!("{label} clip"));
        info.current_text_value = Some(if clipped { "clipped" } else { "no clip" }.to_owned());
        info
    });
    let clip_response = clip_response.on_hover_text(if clipped {
        "Clip light: a sample reached full scale since it was last reset; click to reset"
    } else {
        "Clip light: lights and stays lit when a sample reaches full scale; click to reset"
    });

    // --- paint ---
    if ui.is_rect_visible(rect) {
        // `scale` spans −inf..+6 dB exactly like the fader's travel.
        let scale = rect.shrink2(vec2(0.0, SCALE_INSET));
        for (i, meter) in meters.iter().enumerate() {
            let x = rect.left() + i as f32 * (BAR_WIDTH + BAR_GAP);
            let bar = Rect::from_x_y_ranges(x..=x + BAR_WIDTH, scale.y_range());
            let well = Rect::from_x_y_ranges(x..=x + BAR_WIDTH, scale.top()..=rect.bottom());
            paint_bar(ui, bar, well, meter);
            let light = Rect::from_x_y_ranges(x..=x + BAR_WIDTH, clip_rect.y_range());
            let colour = if meter.clipped() {
                RED
            } else {
                RED.gamma_multiply(0.2)
            };
            ui.painter()
                .rect_filled(light, CornerRadius::same(1), colour);
        }
        if clip_response.hovered() {
            ui.painter().rect_stroke(
                clip_rect.expand(1.0),
                CornerRadius::same(1),
                ui.visuals().widgets.hovered.fg_stroke,
                egui::StrokeKind::Inside,
            );
        }
    }
    let response = response.on_hover_text(format!(
        "{label} meter: L {} dB, R {} dB — the bar is the sample peak, the inner bar \
         the RMS (how loud it sounds), the line holds the peak for {HOLD_SECONDS} s",
        level_text(meters[0].peak_db()),
        level_text(meters[1].peak_db())
    ));
    let clip_response = clip_response.on_hover_text(if clipped {
        "A sample reached full scale (0 dBFS): the light stays on until you click it"
    } else {
        "Clip light: turns red and stays red when a sample reaches full scale"
    });
    response.union(clip_response)
}

/// Screen y for a level inside `bar` (bottom = −inf, top = +6 dB), using the
/// fader law so meter and fader scales coincide.
fn level_y(bar: Rect, db: f32) -> f32 {
    bar.bottom() - db_to_position(Some(db)) * bar.height()
}

fn zone_colour(db: f32) -> Color32 {
    if db >= RED_FROM_DB {
        RED
    } else if db >= YELLOW_FROM_DB {
        YELLOW
    } else {
        GREEN
    }
}

/// Fill from the bottom of `bar` up to `db`, coloured by zone. `inset` narrows
/// the fill (the RMS sits inside the peak bar); `dim` mutes it.
fn paint_level(ui: &Ui, bar: Rect, db: f32, inset: f32, dim: bool) {
    let zones = [
        (FLOOR_DB, YELLOW_FROM_DB, GREEN),
        (YELLOW_FROM_DB, RED_FROM_DB, YELLOW),
        (RED_FROM_DB, FADER_TOP_DB, RED),
    ];
    for (lo, hi, colour) in zones {
        if db <= lo {
            break;
        }
        let top = level_y(bar, db.min(hi));
        let bottom = level_y(bar, lo);
        let rect = Rect::from_x_y_ranges(bar.left() + inset..=bar.right() - inset, top..=bottom);
        let colour = if dim {
            colour.gamma_multiply(0.45)
        } else {
            colour
        };
        ui.painter().rect_filled(rect, CornerRadius::ZERO, colour);
    }
}

/// `bar` is the scale's extent; `well` the dark background behind it.
fn paint_bar(ui: &Ui, bar: Rect, well: Rect, meter: &MeterBallistics) {
    let painter = ui.painter();
    painter.rect_filled(well, CornerRadius::same(1), ui.visuals().extreme_bg_color);
    // Peak muted, RMS bright and narrower on top of it: the eye reads the
    // loudness body first and the transient overshoot second.
    paint_level(ui, bar, meter.peak_db(), 0.0, true);
    paint_level(ui, bar, meter.rms_db(), 1.5, false);
    // Scale references: 0 dBFS clearly, −12/−24/−48 faintly.
    for (db, alpha) in [(0.0, 0.6), (-12.0, 0.25), (-24.0, 0.25), (-48.0, 0.25)] {
        let y = level_y(bar, db);
        painter.hline(
            bar.x_range(),
            y,
            Stroke::new(1.0, ui.visuals().text_color().gamma_multiply(alpha)),
        );
    }
    // No hold line lying at the very bottom when there is no signal.
    if db_to_position(Some(meter.hold_db())) > 0.01 {
        let y = level_y(bar, meter.hold_db());
        painter.hline(
            bar.x_range(),
            y,
            Stroke::new(2.0, zone_colour(meter.hold_db())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DT: f32 = 1.0 / 60.0;

    fn run(m: &mut MeterBallistics, peak: f32, rms: f32, seconds: f32) {
        let frames = (seconds / DT).round() as usize;
        for _ in 0..frames {
            m.update(peak, rms, DT);
        }
    }

    #[test]
    fn hold_then_fall_along_the_scale() {
        let mut m = MeterBallistics::new();
        m.update(0.5, 0.0, DT); // −6.02 dB
        let start = amp_to_db(0.5);
        assert!((m.hold_db() - start).abs() < 1e-3);
        run(&mut m, 0.0, 0.0, 0.3);
        // The bar falls a quarter of the travel per 0.3 s of 1.2 s.
        let expected = position_to_db(db_to_position(Some(start)) - 0.3 / FULL_FALL_SECONDS)
            .expect("above the floor");
        assert!((m.peak_db() - expected).abs() < 0.5, "{}", m.peak_db());
        run(&mut m, 0.0, 0.0, 1.1);
        assert!((m.hold_db() - start).abs() < 1e-3, "held: {}", m.hold_db());
        assert_eq!(m.peak_db(), FLOOR_DB, "the bar is down within 1.2 s");
        run(&mut m, 0.0, 0.0, 0.4); // 0.3 s past the hold
        let expected = position_to_db(db_to_position(Some(start)) - 0.3 / FULL_FALL_SECONDS)
            .expect("above the floor");
        assert!(
            (m.hold_db() - expected).abs() < 0.5,
            "{} vs {expected}",
            m.hold_db()
        );
        assert_eq!(m.max_peak_db(), start, "the number keeps the peak");
        // A new, higher peak restarts the hold.
        m.update(0.9, 0.0, DT);
        assert!((m.hold_db() - amp_to_db(0.9)).abs() < 1e-3);
        assert!(!m.clipped());
        m.reset_clip();
        assert_eq!(m.max_peak_db(), FLOOR_DB);
    }

    #[test]
    fn rms_is_smoothed() {
        let mut m = MeterBallistics::new();
        run(&mut m, 0.5, 0.5, RMS_TIME_CONSTANT);
        // One time constant: 63 % of the power ➡ about −8 dB for a −6 dB signal.
        assert!((m.rms_db() - -8.0).abs() < 0.3, "{}", m.rms_db());
        run(&mut m, 0.5, 0.5, 3.0);
        assert!((m.rms_db() - amp_to_db(0.5)).abs() < 0.05);
        run(&mut m, 0.0, 0.0, 1.5);
        assert_eq!(m.rms_db(), FLOOR_DB, "RMS is gone with the peak bar");
    }

    #[test]
    fn clip_latches_until_reset() {
        let mut m = MeterBallistics::new();
        m.update(0.99, 0.5, DT);
        assert!(!m.clipped());
        m.update(1.0, 0.5, DT);
        assert!(m.clipped());
        run(&mut m, 0.0, 0.0, 10.0);
        assert!(m.clipped(), "clip must stay lit");
        m.reset_clip();
        assert!(!m.clipped());
        m.update(-1.2, 0.5, DT); // negative full-scale sample
        assert!(m.clipped());
    }

    #[test]
    fn garbage_input_is_harmless() {
        let mut m = MeterBallistics::new();
        m.update(f32::NAN, f32::NAN, DT);
        m.update(f32::INFINITY, f32::INFINITY, f32::NAN);
        m.update(0.1, 0.1, -1.0);
        assert!(m.peak_db().is_finite() && m.hold_db().is_finite() && m.rms_db().is_finite());
        assert!(m.clipped());
        m.reset();
        assert_eq!(m, MeterBallistics::default());
    }
}
