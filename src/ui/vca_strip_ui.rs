//! A VCA strip: a fader that scales its members' gains (carrying no audio),
//! a mute, and the list of members.

use egui::{RichText, Ui};

use super::action::Action;
use super::strip_fader_ui::FADER_HEIGHT;
use super::strip_ui::strip_frame;
use super::theme::{MUTE_COLOUR, STRIP_WIDTH, VCA_COLOUR};
use super::toggle_ui::toggle;
use super::widgets::Fader;
use crate::session::{ChannelKind, Edit, Session, Vca};

pub fn vca_strip(ui: &mut Ui, s: &Session, vca: &Vca, out: &mut Vec<Action>) -> egui::Rect {
    let name = if vca.name.is_empty() {
        vca.id.clone()
    } else {
        vca.name.clone()
    };
    strip_frame(ui, VCA_COLOUR, STRIP_WIDTH, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new("VCA").small().strong().color(VCA_COLOUR));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("🗙")
                    .on_hover_text(format!("Delete {name}"))
                    .clicked()
                {
                    out.push(Action::RemoveVca(vca.id.clone()));
                }
            });
        });
        ui.label(RichText::new(&name).strong());
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
        });
        ui.label(
            RichText::new("scales members; carries no audio")
                .small()
                .weak(),
        );
        let mut gain = vca.gain_db;
        let r = ui.add(Fader::new(&mut gain, format!("{name} fader")).height(FADER_HEIGHT));
        Action::from_control(&r, out, || Edit::VcaGain {
            vca: vca.id.clone(),
            db: gain,
        });
        if toggle(ui, vca.mute, "M", &format!("Mute {name}"), MUTE_COLOUR).clicked() {
            out.push(Action::Edit(Edit::VcaMute {
                vca: vca.id.clone(),
                on: !vca.mute,
            }));
        }
    })
}
