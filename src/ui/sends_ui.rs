//! The send section of a strip: a row for each send the channel has (its
//! level, its tap — PRE or POST — and removal), blank rows up to the most
//! sends any strip has, so faders line up, and one row to add a send.

use egui::{RichText, Ui};

use super::action::Action;
use super::strip_layout::{StripLayout, row};
use super::theme::PRE_COLOUR;
use super::toggle_ui::toggle_explained;
use super::widgets::{Knob, SEND_MIN_DB, format_send_db};
use crate::session::{Channel, ChannelKind, Edit, Send, Session};

/// Height of one send row (a small knob with its value under it).
pub const SEND_ROW: f32 = 36.0;
const ADD_ROW: f32 = 20.0;

pub fn sends(
    ui: &mut Ui,
    s: &Session,
    c: &Channel,
    name: &str,
    layout: &StripLayout,
    out: &mut Vec<Action>,
) {
    for send in &c.sends {
        let aux_name = s
            .channel(&send.to)
            .map_or(send.to.as_str(), |a| a.display_name());
        row(ui, SEND_ROW, |ui| {
            send_row(ui, c, name, aux_name, send, layout.narrow, out)
        });
    }
    for _ in c.sends.len()..layout.send_rows {
        row(ui, SEND_ROW, |_| {});
    }
    row(ui, ADD_ROW, |ui| add_send(ui, s, c, name, out));
}

fn send_row(
    ui: &mut Ui,
    c: &Channel,
    name: &str,
    aux_name: &str,
    send: &Send,
    narrow: bool,
    out: &mut Vec<Action>,
) {
    let mut level = send.level_db.unwrap_or(SEND_MIN_DB);
    let label = format!("{name} send to {aux_name}");
    let r = ui.add(Knob::send_level(&mut level, label.clone()).diameter(20.0));
    let tap = if send.pre_fader {
        "pre-fader: taken before the fader, so the fader does not change it"
    } else {
        "post-fader: follows the fader, so the wet/dry balance stays"
    };
    let r = r.on_hover_text(format!(
        "Send from {name} to {aux_name}: a copy at {} dB, {tap}",
        format_send_db(level)
    ));
    Action::from_control(&r, out, || Edit::SendLevel {
        channel: c.id.clone(),
        aux: send.to.clone(),
        db: (level > SEND_MIN_DB).then_some(level),
    });
    ui.vertical(|ui| {
        if !narrow {
            ui.add(egui::Label::new(RichText::new(aux_name).small()).truncate());
        }
        ui.horizontal(|ui| {
            let pre = send.pre_fader;
            let face = match (pre, narrow) {
                (true, false) => "PRE",
                (false, false) => "POST",
                (true, true) => "P",
                (false, true) => "·",
            };
            let hover = if pre {
                format!(
                    "PRE: the send to {aux_name} is taken before {name}'s fader and pan, \
                     so moving the fader leaves it alone (cue mixes). Click for post-fader"
                )
            } else {
                format!(
                    "POST: the send to {aux_name} follows {name}'s fader and pan, so the \
                     wet/dry balance stays as the fader moves. Click for pre-fader \
                     (a mono track's pre-fader send skips the pan: the pan law's drop at \
                     centre, 3 dB at the usual law, comes back)"
                )
            };
            if toggle_explained(
                ui,
                pre,
                face,
                &format!("{label} pre-fader"),
                &hover,
                PRE_COLOUR,
            )
            .clicked()
            {
                out.push(Action::Edit(Edit::SendPreFader {
                    channel: c.id.clone(),
                    aux: send.to.clone(),
                    pre: !pre,
                }));
            }
            if !narrow
                && ui
                    .small_button("🗙")
                    .on_hover_text(format!("Remove {label}"))
                    .clicked()
            {
                out.push(Action::Edit(Edit::RemoveSend {
                    channel: c.id.clone(),
                    aux: send.to.clone(),
                }));
            }
        });
    });
}

/// A menu of the auxes this channel does not send to yet.
fn add_send(ui: &mut Ui, s: &Session, c: &Channel, name: &str, out: &mut Vec<Action>) {
    let free: Vec<&Channel> = s
        .channels
        .iter()
        .filter(|a| a.kind == ChannelKind::Aux && a.id != c.id)
        .filter(|a| c.sends.iter().all(|x| x.to != a.id))
        .collect();
    if free.is_empty() {
        return;
    }
    let menu = ui.menu_button(RichText::new("+ send").small(), |ui| {
        for aux in free {
            let hint = format!(
                "Send a copy of {name} to {} (post-fader, −12 dB)",
                aux.display_name()
            );
            if ui.button(aux.display_name()).on_hover_text(hint).clicked() {
                out.push(Action::Edit(Edit::AddSend {
                    channel: c.id.clone(),
                    send: Send::new(&aux.id),
                    index: None,
                }));
            }
        }
    });
    menu.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{name} add send"))
    });
    menu.response.on_hover_text(format!(
        "Send a copy of {name} to an aux (a reverb, a delay, a cue mix)"
    ));
}
