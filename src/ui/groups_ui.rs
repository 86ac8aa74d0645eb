//! The linked-groups window (Add › Linked group…): every group with its
//! name, its members and what it links beside the faders; a new group;
//! deleting one. Every change is an edit (undoable).
//!
//! ```text
//!  ┌ Linked groups ─────────────────────────────┐
//!  │ Keys        [x] Pad [x] Pluck [ ] Bass …   │
//!  │             [ ] mute [ ] solo [ ] sends  🗑 │
//!  │ [+ New linked group]                       │
//!  └────────────────────────────────────────────┘
//! ```

use egui::{Context, RichText, Ui};

use super::action::Action;
use super::marks_ui::GROUP_COLOUR;
use crate::session::{ChannelKind, Edit, LinkGroup, Session, group_of};

pub fn groups_window(ctx: &Context, s: &Session, out: &mut Vec<Action>) {
    let mut open = true;
    egui::Window::new("Linked groups")
        .open(&mut open)
        .resizable(true)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(
                "Moving the fader of one member moves every member by the same number of dB: \
                 their offsets stay. Hold Alt to move one member alone. A bus sums audio, \
                 a VCA scales gains without moving faders; a linked group moves the faders.",
            );
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| {
                    for g in &s.groups {
                        group_row(ui, s, g, out);
                        ui.separator();
                    }
                });
            if ui
                .button("+ New linked group")
                .on_hover_text("A group with no members yet: tick the channels it links")
                .clicked()
            {
                out.push(Action::Edit(Edit::add_group(s, Vec::new())));
            }
        });
    if !open {
        out.push(Action::CloseDialog);
    }
}

fn group_row(ui: &mut Ui, s: &Session, g: &LinkGroup, out: &mut Vec<Action>) {
    let set = |group: LinkGroup| Action::Edit(Edit::SetGroup { group });
    ui.horizontal(|ui| {
        ui.label(RichText::new("🔗").color(GROUP_COLOUR));
        let id = ui.make_persistent_id(("group name", &g.id));
        let mut name: String = ui
            .data(|d| d.get_temp(id))
            .unwrap_or_else(|| g.display_name().to_owned());
        let r = ui.add(egui::TextEdit::singleline(&mut name).desired_width(140.0));
        let r = r.on_hover_text("The group's name (Enter to keep it)");
        if r.changed() {
            ui.data_mut(|d| d.insert_temp(id, name.clone()));
        }
        if r.lost_focus() {
            ui.data_mut(|d| d.remove::<String>(id));
            if name != g.display_name() && !name.trim().is_empty() {
                out.push(set(LinkGroup {
                    name: name.trim().to_owned(),
                    ..g.clone()
                }));
            }
        }
        for (on, what, hint) in [
            (g.link_mute, "mute", "Muting one member mutes them all"),
            (g.link_solo, "solo", "Soloing one member solos them all"),
            (
                g.link_sends,
                "sends",
                "A send level moved on one member moves the same aux's send on every member",
            ),
        ] {
            let mut v = on;
            if ui
                .checkbox(&mut v, format!("link {what}"))
                .on_hover_text(hint)
                .changed()
            {
                let mut group = g.clone();
                match what {
                    "mute" => group.link_mute = v,
                    "solo" => group.link_solo = v,
                    _ => group.link_sends = v,
                }
                out.push(set(group));
            }
        }
        if ui
            .button("🗑")
            .on_hover_text(format!(
                "Delete {} (the faders stay where they are)",
                g.display_name()
            ))
            .clicked()
        {
            out.push(Action::Edit(Edit::RemoveGroup { id: g.id.clone() }));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("members:");
        for c in s.channels.iter().filter(|c| c.kind != ChannelKind::Master) {
            let mut member = g.members.contains(&c.id);
            let elsewhere = group_of(s, &c.id).filter(|o| o.id != g.id);
            let r = ui.add_enabled(
                elsewhere.is_none(),
                egui::Checkbox::new(&mut member, c.display_name()),
            );
            let r = match elsewhere {
                Some(o) => r.on_disabled_hover_text(format!(
                    "{} is in {} (a channel is in one linked group at most)",
                    c.display_name(),
                    o.display_name()
                )),
                None => r.on_hover_text(format!(
                    "{} {} {}",
                    if member { "Take" } else { "Put" },
                    c.display_name(),
                    if member {
                        "out of this group"
                    } else {
                        "in this group"
                    }
                )),
            };
            if r.changed() {
                let mut group = g.clone();
                if member {
                    group.members.push(c.id.clone());
                } else {
                    group.members.retain(|m| m != &c.id);
                }
                out.push(set(group));
            }
        }
    });
}
