//! A VCA strip: a fader that scales its members' gains (carrying no audio),
//! its own value, a mute, and the list of members. Its fader sits level
//! with the channel faders.

use egui::{RichText, Ui};

use super::action::Action;
use super::strip_layout::{StripLayout, row, strip_frame};
use super::theme::{MUTE_COLOUR, VCA_COLOUR};
use super::toggle_ui::toggle;
use super::widgets::{Fader, db_entry, format_db};
use crate::session::{ChannelKind, Edit, Session, Vca};

const LINE: f32 = 18.0;

/// `fader_top` is how far below the top of a strip's contents the channel
/// faders start.
pub fn vca_strip(
    ui: &mut Ui,
    s: &Session,
    vca: &Vca,
    layout: &StripLayout,
    fader_top: Option<f32>,
    out: &mut Vec<Action>,
) -> egui::Rect {
    let name = if vca.name.is_empty() {
        vca.id.clone()
    } else {
        vca.name.clone()
    };
    strip_frame(ui, VCA_COLOUR, layout.width, |ui| {
        let top = ui.min_rect().top();
        row(ui, LINE, |ui| {
            ui.label(RichText::new("VCA").small().strong().color(VCA_COLOUR))
                .on_hover_text("VCA: carries no audio; adds its gain to each member's fader");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let menu = ui.menu_button(RichText::new("☰").small(), |ui| {
                    if ui.button(format!("Delete {name}")).clicked() {
                        out.push(Action::RemoveVca(vca.id.clone()));
                    }
                });
                menu.response.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("{name} strip menu"),
                    )
                });
                menu.response.on_hover_text(format!("{name}: delete"));
            });
        });
        row(ui, LINE, |ui| {
            ui.add(egui::Label::new(RichText::new(&name).strong()).truncate());
        });
        row(ui, LINE + 2.0, |ui| members_menu(ui, s, vca, &name, out));
        row(ui, LINE, |ui| {
            ui.add(
                egui::Label::new(RichText::new("scales members; no audio").small().weak())
                    .truncate(),
            );
        });
        // Down to where the channel faders start, so all faders line up.
        if let Some(offset) = fader_top {
            let used = ui.min_rect().bottom() - top;
            ui.add_space((offset - used).max(0.0));
        }
        let mut gain = vca.gain_db;
        let r = ui
            .add(
                Fader::new(&mut gain, format!("{name} fader"))
                    .height(layout.fader_height)
                    .scale(!layout.narrow),
            )
            .on_hover_text(format!(
                "{name}: {} dB added to every member's own fader",
                format_db(vca.gain_db)
            ));
        Action::from_control(&r, out, || Edit::VcaGain {
            vca: vca.id.clone(),
            db: gain,
        });
        row(ui, LINE + 2.0, |ui| {
            let mut typed = vca.gain_db;
            if db_entry(
                ui,
                &mut typed,
                ui.make_persistent_id(("vca entry", &vca.id)),
            )
            .accessible_name(format!("{name} gain"))
            .on_hover_text(format!("{name} gain: type a value in dB"))
            .changed()
                && typed != vca.gain_db
            {
                out.push(Action::Edit(Edit::VcaGain {
                    vca: vca.id.clone(),
                    db: typed,
                }));
            }
        });
        row(ui, LINE - 4.0, |_| {});
        row(ui, LINE, |ui| {
            if toggle(ui, vca.mute, "M", &format!("Mute {name}"), MUTE_COLOUR).clicked() {
                out.push(Action::Edit(Edit::VcaMute {
                    vca: vca.id.clone(),
                    on: !vca.mute,
                }));
            }
        });
    })
}

fn members_menu(ui: &mut Ui, s: &Session, vca: &Vca, name: &str, out: &mut Vec<Action>) {
    ui.menu_button(format!("members ({})", vca.members.len()), |ui| {
        for c in s.channels.iter().filter(|c| c.kind != ChannelKind::Master) {
            let mut on = vca.members.contains(&c.id);
            if ui.checkbox(&mut on, c.display_name()).changed() {
                let mut members: Vec<String> = vca
                    .members
                    .iter()
                    .filter(|m| **m != c.id)
                    .cloned()
                    .collect();
                if on {
                    members.push(c.id.clone());
                }
                out.push(Action::Edit(Edit::VcaMembers {
                    vca: vca.id.clone(),
                    members,
                }));
            }
        }
    })
    .response
    .on_hover_text(format!("The channels {name} scales"));
}
