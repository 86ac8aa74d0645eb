//! A/B controls on a strip with inserts: "A/B" starts a level-matched
//! comparison of the channel with and without its inserts; while it runs,
//! a switch picks what you hear (A processed, B bypassed) and the gain
//! that matches B's short-term loudness to A's is shown.
//!
//! ```text
//!  [+ FX] [A/B]            not comparing
//!  [A/B] [B] +3.2 dB       comparing, listening to B (raised 3.2 dB to match)
//! ```

use egui::{Color32, RichText, Ui};

use super::ab::AbMatch;
use super::action::Action;
use super::toggle_ui::toggle;
use crate::session::Channel;

const AB_COLOUR: Color32 = Color32::from_rgb(250, 170, 60);

/// Draws the A/B controls of `c` (a channel with inserts); returns whether
/// the comparison is running on it.
pub fn ab_controls(
    ui: &mut Ui,
    c: &Channel,
    name: &str,
    ab: &AbMatch,
    out: &mut Vec<Action>,
) -> bool {
    if c.inserts.is_empty() {
        return false;
    }
    let on = ab.comparing(&c.id);
    let label = format!("A/B {name}");
    let hover = format!(
        "Compare {name} with and without its inserts at matched loudness (short-term LUFS), so you hear the processing, not a level change"
    );
    if toggle(ui, on, "A/B", &label, AB_COLOUR)
        .on_hover_text(hover)
        .clicked()
    {
        out.push(Action::AbSelect((!on).then(|| c.id.clone())));
    }
    if !on {
        return false;
    }
    let face = if ab.listen_b { "B" } else { "A" };
    let what = format!(
        "{name} A/B: listening to {face}; click for {}",
        if ab.listen_b {
            "A (processed)"
        } else {
            "B (bypassed, matched)"
        }
    );
    if toggle(
        ui,
        ab.listen_b,
        face,
        &format!("Listen to B on {name}"),
        AB_COLOUR,
    )
    .on_hover_text(what)
    .clicked()
    {
        out.push(Action::AbListen(!ab.listen_b));
    }
    let gain = match ab.loudness() {
        (Some(_), Some(_)) => format!("{:+.1} dB", ab.gain_db),
        _ => "matching…".to_owned(),
    };
    ui.label(RichText::new(gain).small()).on_hover_text(
        "Gain applied to B (the bypassed signal) so its short-term loudness matches A's",
    );
    true
}
