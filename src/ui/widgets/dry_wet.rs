//! Dry/wet meter: how much of what you hear is the effect.
//!
//! The lesson it serves: riding a *bus* fader changes the dry signal but not
//! the post-fader sends taken before the bus, so the group gets wetter; a VCA
//! keeps the ratio. A single number — wet relative to dry, in dB — plus a bar
//! split by energy share makes that visible while you move the fader.

use egui::{
    Align2, Color32, CornerRadius, FontId, Rect, Response, Role, Sense, Ui, WidgetInfo, pos2, vec2,
};

use super::fader_law::{FLOOR_DB, format_db};

const BAR_HEIGHT: f32 = 10.0;
const TEXT_HEIGHT: f32 = 14.0;
pub const DRY_COLOUR: Color32 = Color32::from_rgb(90, 140, 210);
pub const WET_COLOUR: Color32 = Color32::from_rgb(190, 110, 220);
/// Parallel returns (compression, saturation): not reverb, not dry.
pub const PARALLEL_COLOUR: Color32 = Color32::from_rgb(230, 150, 60);

/// Levels derived from the two RMS values; pure, so it can be tested.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DryWet {
    /// Dry RMS in dB (`None` = silent).
    pub dry_db: Option<f32>,
    /// Wet RMS in dB (`None` = silent).
    pub wet_db: Option<f32>,
    /// Wet's share of the total energy, 0..=1 (`None` when both are silent).
    pub wet_share: Option<f32>,
}

impl DryWet {
    /// From linear RMS amplitudes (1.0 = 0 dBFS). NaN or negative counts as silence.
    pub fn from_rms(dry_rms: f32, wet_rms: f32) -> Self {
        let clean = |x: f32| if x.is_finite() { x.abs() } else { 0.0 };
        let (dry, wet) = (clean(dry_rms), clean(wet_rms));
        let to_db = |x: f32| {
            let db = 20.0 * x.log10();
            (x > 0.0 && db > FLOOR_DB).then_some(db)
        };
        // Energy (power) share, not amplitude: it is what adds up in the mix.
        let (dry_e, wet_e) = (dry * dry, wet * wet);
        let total = dry_e + wet_e;
        Self {
            dry_db: to_db(dry),
            wet_db: to_db(wet),
            wet_share: (total > 0.0 && total.is_finite()).then(|| wet_e / total),
        }
    }

    /// Wet relative to dry in dB (`None` if either side is silent).
    pub fn wet_to_dry_db(&self) -> Option<f32> {
        Some(self.wet_db? - self.dry_db?)
    }

    /// "dry -3.1 dB / wet -14.0 dB, wet/dry -10.9 dB".
    pub fn text(&self) -> String {
        let ratio = match (self.dry_db, self.wet_db) {
            (Some(_), Some(_)) => format!("{} dB", format_db(self.wet_to_dry_db())),
            (None, Some(_)) => "wet only".to_owned(),
            (Some(_), None) => "-inf dB".to_owned(),
            (None, None) => "silent".to_owned(),
        };
        format!(
            "dry {} dB / wet {} dB, wet/dry {ratio}",
            format_db(self.dry_db),
            format_db(self.wet_db)
        )
    }
}

/// A horizontal bar split dry (left, blue) / wet (right, violet) by energy
/// share, with the levels and the wet/dry ratio written under it. Takes the
/// available width (at least 120 points).
///
/// Accessibility: a `Meter` node labelled "{label} dry/wet" whose value is the
/// same text and whose numeric value is the wet share (0..1).
pub fn dry_wet_meter(ui: &mut Ui, dry_rms: f32, wet_rms: f32, label: &str) -> Response {
    let levels = DryWet::from_rms(dry_rms, wet_rms);
    let text = levels.text();
    let width = ui.available_width().max(120.0);
    let (rect, response) =
        ui.allocate_exact_size(vec2(width, BAR_HEIGHT + TEXT_HEIGHT), Sense::hover());

    let enabled = ui.is_enabled();
    response.widget_info(|| {
        let mut info = WidgetInfo::labeled(Role::Meter, enabled, format!("{label} dry/wet"));
        info.current_text_value = Some(text.clone());
        info.value = levels.wet_share.map(f64::from);
        info
    });

    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        let bar = Rect::from_min_size(rect.min, vec2(width, BAR_HEIGHT));
        painter.rect_filled(bar, CornerRadius::same(2), ui.visuals().extreme_bg_color);
        if let Some(share) = levels.wet_share {
            let split = bar.left() + bar.width() * (1.0 - share);
            let dry = Rect::from_min_max(bar.min, pos2(split, bar.bottom()));
            let wet = Rect::from_min_max(pos2(split, bar.top()), bar.max);
            painter.rect_filled(dry, CornerRadius::ZERO, DRY_COLOUR);
            painter.rect_filled(wet, CornerRadius::ZERO, WET_COLOUR);
        }
        painter.text(
            pos2(rect.left(), rect.bottom()),
            Align2::LEFT_BOTTOM,
            text,
            FontId::proportional(11.0),
            ui.visuals().text_color(),
        );
    }
    response
}

/// A bar split three ways by energy share — dry (blue), wet (violet),
/// parallel (orange) — with `text` under it: what one source contributes
/// to the master. `shares` is `None` when nothing is measured. The hover
/// says what each colour is.
///
/// Accessibility: a `Meter` labelled "{label} dry/wet/parallel" whose value
/// is `text` and whose numeric value is the dry share.
pub fn shares_bar(ui: &mut Ui, shares: Option<[f32; 3]>, text: &str, label: &str) -> Response {
    let width = ui.available_width().max(80.0);
    let (rect, response) =
        ui.allocate_exact_size(vec2(width, BAR_HEIGHT + TEXT_HEIGHT), Sense::hover());
    let enabled = ui.is_enabled();
    response.widget_info(|| {
        let mut info =
            WidgetInfo::labeled(Role::Meter, enabled, format!("{label} dry/wet/parallel"));
        info.current_text_value = Some(text.to_owned());
        info.value = shares.map(|s| f64::from(s[0]));
        info
    });
    if ui.is_rect_visible(rect) {
        let bar = Rect::from_min_size(rect.min, vec2(width, BAR_HEIGHT));
        paint_shares(ui, bar, shares);
        ui.painter().text(
            pos2(rect.left(), rect.bottom()),
            Align2::LEFT_BOTTOM,
            text,
            FontId::proportional(11.0),
            ui.visuals().text_color(),
        );
    }
    response.on_hover_text(shares_hover(label))
}

fn shares_hover(label: &str) -> String {
    format!(
        "{label}: how much of what it sends to the master arrives dry (blue: its own path \
         through buses), wet (violet: through reverb and delay) and parallel (orange: \
         through compression returns), by energy, as the engine measures it"
    )
}

/// The dry / wet / parallel split as a bar filling `bar` from the left.
fn paint_shares(ui: &Ui, bar: Rect, shares: Option<[f32; 3]>) {
    let painter = ui.painter();
    painter.rect_filled(bar, CornerRadius::same(1), ui.visuals().extreme_bg_color);
    if let Some(sh) = shares {
        let mut x = bar.left();
        for (share, colour) in sh.iter().zip([DRY_COLOUR, WET_COLOUR, PARALLEL_COLOUR]) {
            let w = bar.width() * share.clamp(0.0, 1.0);
            let part = Rect::from_min_max(pos2(x, bar.top()), pos2(x + w, bar.bottom()));
            painter.rect_filled(part, CornerRadius::ZERO, colour);
            x += w;
        }
    }
}

/// The strip's thin version of [`shares_bar`]: a hairline bar of the
/// available width, `height` points tall, the numbers on hover. The same
/// kind of accessibility node as the bar's, named "{label} dry/wet/parallel
/// on the strip" so the two stay apart.
pub fn shares_line(
    ui: &mut Ui,
    shares: Option<[f32; 3]>,
    text: &str,
    label: &str,
    height: f32,
) -> Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let enabled = ui.is_enabled();
    response.widget_info(|| {
        let name = format!("{label} dry/wet/parallel on the strip");
        let mut info = WidgetInfo::labeled(Role::Meter, enabled, name);
        info.current_text_value = Some(text.to_owned());
        info.value = shares.map(|s| f64::from(s[0]));
        info
    });
    if ui.is_rect_visible(rect) {
        paint_shares(ui, rect, shares);
    }
    response.on_hover_text(format!("{text}\n\n{}", shares_hover(label)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_ratio() {
        let dry = 10f32.powf(-3.1 / 20.0);
        let wet = 10f32.powf(-14.0 / 20.0);
        let dw = DryWet::from_rms(dry, wet);
        assert_eq!(dw.text(), "dry -3.1 dB / wet -14.0 dB, wet/dry -10.9 dB");
        let share = dw.wet_share.unwrap_or(f32::NAN);
        // −10.9 dB of power ratio ≈ 0.0813 ➡ share ≈ 0.075.
        assert!((share - 0.0752).abs() < 0.002, "{share}");
    }

    #[test]
    fn silence_and_garbage() {
        let both = DryWet::from_rms(0.0, 0.0);
        assert_eq!(both.wet_share, None);
        assert_eq!(both.text(), "dry -inf dB / wet -inf dB, wet/dry silent");
        let wet_only = DryWet::from_rms(f32::NAN, 0.5);
        assert_eq!(wet_only.wet_share, Some(1.0));
        assert!(wet_only.text().ends_with("wet only"));
        let dry_only = DryWet::from_rms(0.5, -0.0);
        assert_eq!(dry_only.wet_share, Some(0.0));
        assert_eq!(dry_only.wet_to_dry_db(), None);
    }
}
