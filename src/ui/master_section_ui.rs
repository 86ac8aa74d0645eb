//! The master section, beside the master strip: what leaves the console
//! (dry/wet), how loud it is, its stereo image, and what the speakers play.
//! It folds away to a tab on small screens (automatic below
//! `SECTION_FROM_WIDTH`), so the channel strips keep their room.
//!
//! ```text
//!  ┌ MASTER ┐┌ MASTER SECTION        ▶ ┐
//!  │ strip  ││ dry/wet                 │
//!  │        ││ LOUDNESS  M  S  I  TP   │
//!  │ fader  ││ STEREO    correlation   │
//!  │        ││ MONITOR   mono dim listen│
//!  │        ││ SCENES    Verse Chorus  │
//!  └────────┘└─────────────────────────┘
//! ```

use egui::{RichText, Role, Sense, Ui, WidgetInfo, vec2};

use super::action::{Action, SceneAction};
use super::meters::MeterView;
use super::strip_layout::StripContext;
use super::theme::{SECTION_TAB_WIDTH, SECTION_WIDTH};
use super::widgets::dry_wet_meter;
use crate::session::Session;

/// With at least this many points for the strips and the master (the
/// window, less a lesson's panel), the master section shows unless the
/// user folded it.
pub const SECTION_FROM_WIDTH: f32 = 1200.0;

/// The unfolded section.
pub fn master_section(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    ui.set_width(SECTION_WIDTH);
    ui.horizontal(|ui| {
        ui.label(RichText::new("MASTER SECTION").small().strong())
            .on_hover_text("Checks on the mix before it leaves; none of it changes the mix");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("▶")
                .on_hover_text("Fold the master section away (View › Master section)")
                .clicked()
            {
                out.push(Action::ShowMasterSection(false));
            }
        });
    });
    ui.label(RichText::new("What leaves the console").small().weak());
    dry_wet_meter(ui, meters.dry, meters.wet, "Master");
    super::loudness_ui::loudness_section(ui, &meters.loudness, out);
    ui.separator();
    let analysers = &meters.analysers;
    super::stereo_ui::stereo_section(ui, &analysers.stereo, analysers.spectrum.open, out);
    ui.separator();
    super::monitor_ui::monitor_section(ui, s, &cx.monitoring, &analysers.speakers, out);
    ui.separator();
    scenes_row(ui, s, out);
}

/// The stored scenes as buttons: one opens the scenes window with what
/// recalling it would change (nothing is recalled unseen).
fn scenes_row(ui: &mut Ui, s: &Session, out: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("SCENES").small().strong())
            .on_hover_text(
                "Snapshots of every fader, pan, mute, send and insert setting \
             (not the routing), to compare versions of the mix",
            );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("A/B")
                .on_hover_text("Switch between the two scenes recalled or stored last (Ctrl+B)")
                .clicked()
            {
                out.push(Action::Scene(SceneAction::Toggle));
            }
            if ui
                .small_button("Scenes…")
                .on_hover_text("Store the mix as a scene, or see and recall one (Edit › Scenes…)")
                .clicked()
            {
                out.push(Action::Scene(SceneAction::Show(true)));
            }
        });
    });
    if s.scenes.is_empty() {
        ui.label(RichText::new("none stored yet").small().weak());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for scene in &s.scenes {
            let name = super::scenes::drawable(&scene.name);
            // The ellipsis says a window opens (and keeps the label apart
            // from the scene in that window).
            if ui
                .small_button(format!("{name}…"))
                .on_hover_text(format!(
                    "See what recalling {name} would change, then recall it"
                ))
                .clicked()
            {
                out.push(Action::Scene(SceneAction::Select(Some(scene.name.clone()))));
                out.push(Action::Scene(SceneAction::Show(true)));
            }
        }
    });
}

/// The folded section: a slim tab that unfolds it.
pub fn section_tab(ui: &mut Ui, out: &mut Vec<Action>) {
    let height = ui.available_height().min(160.0);
    let (rect, response) = ui.allocate_exact_size(vec2(SECTION_TAB_WIDTH, height), Sense::click());
    let response = response.on_hover_text(
        "Show the master section: dry/wet, loudness, the stereo image and the monitor \
         (View › Master section)",
    );
    response.widget_info(|| WidgetInfo::labeled(Role::Button, true, "Show the master section"));
    if response.clicked() {
        out.push(Action::ShowMasterSection(true));
    }
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact(&response);
        ui.painter().rect_filled(rect, 3.0, visuals.bg_fill);
        let mut y = rect.top() + 10.0;
        for ch in "◀ LOUDNESS".chars() {
            ui.painter().text(
                egui::pos2(rect.center().x, y),
                egui::Align2::CENTER_CENTER,
                ch,
                egui::FontId::monospace(10.0),
                visuals.text_color(),
            );
            y += 12.0;
        }
    }
}
