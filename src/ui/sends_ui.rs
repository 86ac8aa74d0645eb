//! The send section of a strip: one row per aux, with the send's level,
//! its tap (PRE/POST) and removal, or a button that adds it. Every row has
//! the same height, so faders line up across strips.

use egui::{RichText, Ui};

use super::action::Action;
use super::theme::PRE_COLOUR;
use super::toggle_ui::toggle;
use super::widgets::{Knob, SEND_MIN_DB};
use crate::session::{Channel, ChannelKind, Edit, Send, Session};

const SEND_ROW: f32 = 40.0;

pub fn sends(ui: &mut Ui, s: &Session, c: &Channel, name: &str, out: &mut Vec<Action>) {
    for aux in s.channels.iter().filter(|a| a.kind == ChannelKind::Aux) {
        let aux_name = aux.display_name();
        if aux.id == c.id {
            // Keep this aux's row empty so faders stay aligned across strips.
            ui.horizontal(|ui| {
                ui.set_min_height(SEND_ROW);
                ui.label(RichText::new("(this aux)").small().weak());
            });
            continue;
        }
        match c.sends.iter().find(|x| x.to == aux.id) {
            Some(send) => send_row(ui, c, name, &aux.id, aux_name, send, out),
            None => {
                ui.horizontal(|ui| {
                    ui.set_min_height(SEND_ROW);
                    let add = ui.small_button(format!("+ {aux_name}"));
                    let hint = format!("Send a copy of {name} to {aux_name} (post-fader, −12 dB)");
                    if add.on_hover_text(hint).clicked() {
                        out.push(Action::Edit(Edit::AddSend {
                            channel: c.id.clone(),
                            send: Send::new(&aux.id),
                            index: None,
                        }));
                    }
                });
            }
        }
    }
}

fn send_row(
    ui: &mut Ui,
    c: &Channel,
    name: &str,
    aux: &str,
    aux_name: &str,
    send: &Send,
    out: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.set_min_height(SEND_ROW);
        let mut level = send.level_db.unwrap_or(SEND_MIN_DB);
        let label = format!("{name} send to {aux_name}");
        let r = ui.add(Knob::send_level(&mut level, label.clone()).diameter(22.0));
        Action::from_control(&r, out, || Edit::SendLevel {
            channel: c.id.clone(),
            aux: aux.to_owned(),
            db: (level > SEND_MIN_DB).then_some(level),
        });
        ui.vertical(|ui| {
            ui.label(RichText::new(aux_name).small());
            ui.horizontal(|ui| {
                let pre = send.pre_fader;
                let face = if pre { "PRE" } else { "POST" };
                if toggle(ui, pre, face, &format!("{label} pre-fader"), PRE_COLOUR).clicked() {
                    out.push(Action::Edit(Edit::SendPreFader {
                        channel: c.id.clone(),
                        aux: aux.to_owned(),
                        pre: !pre,
                    }));
                }
                if ui
                    .small_button("🗙")
                    .on_hover_text(format!("Remove {label}"))
                    .clicked()
                {
                    out.push(Action::Edit(Edit::RemoveSend {
                        channel: c.id.clone(),
                        aux: aux.to_owned(),
                    }));
                }
            });
        });
    });
}
