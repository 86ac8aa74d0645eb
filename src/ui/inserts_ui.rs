//! The insert section of a channel strip: one row per insert (bypass, name
//! with a gain-reduction bar, a menu to move or remove it) and a row to add
//! one. Clicking an insert's name opens its editor. Emits `Action`s only.

use egui::{Color32, RichText, Ui, vec2};

use super::action::Action;
use super::meters::MeterView;
use super::strip_layout::row;
use super::toggle_ui::toggle;
use crate::session::effects::{EffectKind, Insert, presets};
use crate::session::{Channel, ChannelKind, Edit};

/// Height of one insert row; every strip shows as many rows as the busiest
/// strip needs, so faders stay aligned.
pub const INSERT_ROW: f32 = 20.0;

const ACTIVE: Color32 = Color32::from_rgb(120, 200, 255);

/// `rows` rows: the channel's inserts, then the "+ FX" row, then blanks.
pub fn insert_section(
    ui: &mut Ui,
    c: &Channel,
    name: &str,
    rows: usize,
    narrow: bool,
    meters: &MeterView,
    out: &mut Vec<Action>,
) {
    for k in 0..c.inserts.len() {
        row(ui, INSERT_ROW, |ui| {
            insert_row(ui, c, name, k, narrow, meters, out)
        });
    }
    row(ui, INSERT_ROW, |ui| {
        if !meters.ab.comparing(&c.id) {
            add_menu(ui, c, name, out);
        }
        super::ab_ui::ab_controls(ui, c, name, &meters.ab, out);
    });
    for _ in c.inserts.len() + 1..rows {
        row(ui, INSERT_ROW, |_| {});
    }
}

fn insert_row(
    ui: &mut Ui,
    c: &Channel,
    name: &str,
    k: usize,
    narrow: bool,
    meters: &MeterView,
    out: &mut Vec<Action>,
) {
    let insert = &c.inserts[k];
    let kind = insert.kind();
    let label = format!("{name} insert {} {}", k + 1, kind.label());
    {
        let on = !insert.bypass;
        if toggle(ui, on, "⏺", &format!("{label} on"), ACTIVE).clicked() {
            out.push(Action::Edit(Edit::SetInsert {
                channel: c.id.clone(),
                index: k,
                insert: Insert {
                    bypass: on,
                    ..insert.clone()
                },
            }));
        }
        let meter = meters.insert(&c.id, k);
        let text = RichText::new(kind.short()).small().strong();
        let text = if insert.bypass { text.weak() } else { text };
        let button = ui
            .add(egui::Button::new(text).min_size(vec2(44.0, INSERT_ROW - 4.0)))
            .on_hover_text(match &insert.preset {
                Some(p) => format!("{label} ({p}): click to edit"),
                None => format!("{label}: click to edit"),
            });
        // Gain reduction as a bar growing down from the button's top edge.
        if kind == EffectKind::Compressor && meter.reduction_db > 0.05 {
            let r = button.rect;
            let h = (meter.reduction_db / 20.0).min(1.0) * r.height();
            let bar = egui::Rect::from_min_size(r.right_top() - vec2(4.0, 0.0), vec2(3.0, h));
            ui.painter()
                .rect_filled(bar, 0.0, Color32::from_rgb(240, 170, 60));
        }
        if meter.resets > 0 {
            ui.label(RichText::new("⚠").color(Color32::LIGHT_RED))
                .on_hover_text(format!("{label} produced an invalid sample and was reset"));
        }
        // The accessible name says which insert this is, not just "COMP".
        button.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{label} edit"))
        });
        if button.clicked() {
            out.push(Action::OpenEditor(c.id.clone(), k));
        }
        // Narrow strips move and remove inserts from the editor.
        if narrow {
            return;
        }
        ui.menu_button(RichText::new("☰").small(), |ui| {
            ui.set_min_width(120.0);
            if ui.button("Edit…").clicked() {
                out.push(Action::OpenEditor(c.id.clone(), k));
            }
            if k > 0 && ui.button("Move up").clicked() {
                out.push(move_insert(c, k, k - 1));
            }
            if k + 1 < c.inserts.len() && ui.button("Move down").clicked() {
                out.push(move_insert(c, k, k + 1));
            }
            if ui.button("Remove").clicked() {
                out.push(Action::Edit(Edit::RemoveInsert {
                    channel: c.id.clone(),
                    index: k,
                }));
            }
        })
        .response
        .on_hover_text(format!("{label}: move or remove"));
    }
}

fn move_insert(c: &Channel, from: usize, to: usize) -> Action {
    Action::Edit(Edit::MoveInsert {
        channel: c.id.clone(),
        from,
        to,
    })
}

/// The "+ FX" menu: every effect, and every preset under its effect.
fn add_menu(ui: &mut Ui, c: &Channel, name: &str, out: &mut Vec<Action>) {
    let on_aux = c.kind == ChannelKind::Aux;
    let index = c.inserts.len();
    let menu = ui.menu_button(RichText::new("+ FX").small(), |ui| {
        ui.set_min_width(150.0);
        for kind in EffectKind::ALL {
            let presets = presets::for_kind(kind);
            if ui.button(kind.label()).clicked() {
                out.push(add(c, index, Insert::new(kind.default_params(on_aux))));
            }
            for p in presets {
                if ui
                    .button(RichText::new(format!("   {}", p.name)).small())
                    .on_hover_text(p.about)
                    .clicked()
                {
                    let insert = Insert {
                        preset: Some(p.name.to_owned()),
                        ..Insert::new(p.effect)
                    };
                    out.push(add(c, index, insert));
                }
            }
        }
    });
    menu.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{name} add insert"))
    });
    menu.response
        .on_hover_text(format!("Add an insert effect to {name}"));
}

fn add(c: &Channel, index: usize, insert: Insert) -> Action {
    Action::Edit(Edit::AddInsert {
        channel: c.id.clone(),
        index,
        insert,
    })
}
