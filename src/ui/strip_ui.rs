//! Channel strips: one per channel and VCA, coloured by kind. Drawing only
//! reads the session and emits `Action`s; the app applies them afterwards.

use egui::{Color32, RichText, Ui};

use super::app::View;
use super::toggle_ui::toggle;
use super::widgets::{Fader, Knob, SEND_MIN_DB, dry_wet_meter, format_db, stereo_meter};
use crate::graph::{Mute, channel_gains};
use crate::session::{Channel, ChannelKind, Edit, Send, Session, Vca};

/// What a strip asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Edit(Edit),
    /// Show why a channel is not heard.
    WhySilent(String),
    /// A drag started (true) or ended (false): one undo step.
    Group(bool),
    ResetClip(String),
    /// Move the channel one place left (−1) or right (+1).
    Move(String, i32),
    Remove(String),
    RemoveVca(String),
    /// Open the editor of insert `index` of a channel.
    OpenInsert(String, usize),
}

pub const STRIP_WIDTH: f32 = 112.0;
/// The master strip is wider: it also carries the dry/wet meter.
const MASTER_WIDTH: f32 = 236.0;
const FADER_HEIGHT: f32 = 240.0;
/// Every send row has the same height, so faders line up across strips.
const SEND_ROW: f32 = 40.0;

pub fn kind_colour(kind: ChannelKind) -> Color32 {
    match kind {
        ChannelKind::Track => Color32::from_rgb(70, 130, 200),
        ChannelKind::Bus => Color32::from_rgb(210, 140, 50),
        ChannelKind::Aux => Color32::from_rgb(60, 170, 120),
        ChannelKind::Master => Color32::from_rgb(190, 70, 70),
    }
}

pub const VCA_COLOUR: Color32 = Color32::from_rgb(150, 100, 200);

fn badge(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Track => "TRK",
        ChannelKind::Bus => "BUS",
        ChannelKind::Aux => "AUX",
        ChannelKind::Master => "MASTER",
    }
}

/// The frame every strip sits in, with its kind's colour along the top.
fn strip_frame(ui: &mut Ui, colour: Color32, width: f32, add: impl FnOnce(&mut Ui)) -> egui::Rect {
    egui::Frame::group(ui.style())
        .inner_margin(4.0)
        .show(ui, |ui| {
            // Strips sit in a horizontal row; their contents stack vertically.
            ui.vertical(|ui| {
                ui.set_width(width);
                let (bar, _) = ui.allocate_exact_size(egui::vec2(width, 4.0), egui::Sense::hover());
                ui.painter().rect_filled(bar, 2.0, colour);
                add(ui);
            });
        })
        .response
        .rect
}

/// What a strip needs to know about the whole session, computed once per
/// frame (solo mutes follow the routing graph: per strip it would be O(n²)).
pub struct StripContext {
    pub solo_muted: Vec<bool>,
    pub offline: Vec<String>,
    /// Insert rows every strip shows: the most inserts on any channel, plus
    /// the row that adds one.
    pub insert_rows: usize,
}

/// A channel strip; returns where it was drawn.
pub fn channel_strip(
    ui: &mut Ui,
    s: &Session,
    index: usize,
    view: &mut View,
    cx: &StripContext,
    out: &mut Vec<Action>,
) -> egui::Rect {
    let c = &s.channels[index];
    let offline = cx
        .offline
        .iter()
        .any(|m| m.contains(&format!("\"{}\"", c.id)));
    let solo_muted = cx.solo_muted.get(index).copied().unwrap_or(false);
    let name = c.display_name().to_owned();
    let width = if c.kind == ChannelKind::Master {
        MASTER_WIDTH
    } else {
        STRIP_WIDTH
    };
    strip_frame(ui, kind_colour(c.kind), width, |ui| {
        header(ui, c, &name, out);
        name_row(ui, c, &name, view, out);
        match &c.source {
            Some(src) => {
                let file = std::path::Path::new(src)
                    .file_name()
                    .map_or(src.clone(), |f| f.to_string_lossy().into_owned());
                let text = if offline {
                    RichText::new(format!("⚠ {file}")).color(Color32::LIGHT_RED)
                } else {
                    RichText::new(file).weak()
                };
                ui.label(text.small()).on_hover_text(if offline {
                    format!("{src}: cannot be played")
                } else {
                    src.clone()
                });
            }
            // Same line on every strip keeps the faders aligned, and says
            // what the channel is for.
            None => {
                let role = match c.kind {
                    ChannelKind::Bus => "sums what is routed here",
                    ChannelKind::Aux => "sums the sends it gets",
                    _ => "goes to the output",
                };
                ui.label(RichText::new(role).small().weak());
            }
        }
        if c.kind != ChannelKind::Master {
            output_selector(ui, s, c, &name, out);
        }
        super::inserts_ui::insert_section(ui, c, &name, cx.insert_rows, view, out);
        if c.kind != ChannelKind::Master {
            sends(ui, s, c, &name, out);
        }
        let mut pan = c.pan;
        let r = ui.add(Knob::pan(&mut pan, format!("{name} pan")).diameter(28.0));
        group_and_edit(&r, out, || Edit::Pan {
            channel: c.id.clone(),
            pan,
        });
        fader_and_meter(ui, s, index, &name, view, out);
        toggles(ui, s, index, &name, solo_muted, out);
        if c.kind == ChannelKind::Master {
            dry_wet_meter(ui, view.dry, view.wet, "Master dry/wet");
        }
    })
}

fn header(ui: &mut Ui, c: &Channel, name: &str, out: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(badge(c.kind))
                .small()
                .strong()
                .color(kind_colour(c.kind)),
        );
        if c.kind != ChannelKind::Master {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("🗙")
                    .on_hover_text(format!("Delete {name}"))
                    .clicked()
                {
                    out.push(Action::Remove(c.id.clone()));
                }
                if ui
                    .small_button("▶")
                    .on_hover_text(format!("Move {name} right"))
                    .clicked()
                {
                    out.push(Action::Move(c.id.clone(), 1));
                }
                if ui
                    .small_button("◀")
                    .on_hover_text(format!("Move {name} left"))
                    .clicked()
                {
                    out.push(Action::Move(c.id.clone(), -1));
                }
                let why = format!("Why is {name} silent?");
                if super::toggle_ui::toggle(ui, false, "?", &why, Color32::GRAY).clicked() {
                    out.push(Action::WhySilent(c.id.clone()));
                }
            });
        }
    });
}

fn name_row(ui: &mut Ui, c: &Channel, name: &str, view: &mut View, out: &mut Vec<Action>) {
    match &mut view.renaming {
        Some((id, text)) if *id == c.id => {
            let r = ui.add(egui::TextEdit::singleline(text).desired_width(STRIP_WIDTH));
            r.request_focus();
            if r.lost_focus() {
                let new = text.trim().to_owned();
                if !new.is_empty() && new != name {
                    out.push(Action::Edit(Edit::Rename {
                        channel: c.id.clone(),
                        name: new,
                    }));
                }
                view.renaming = None;
            }
        }
        _ => {
            let r = ui.add(
                egui::Label::new(RichText::new(name).strong())
                    .truncate()
                    .sense(egui::Sense::click()),
            );
            if r.on_hover_text("Double-click to rename").double_clicked() {
                view.renaming = Some((c.id.clone(), name.to_owned()));
            }
        }
    }
}

fn output_selector(ui: &mut Ui, s: &Session, c: &Channel, name: &str, out: &mut Vec<Action>) {
    let label_of = |o: &Option<String>| match o {
        Some(id) => s
            .channel(id)
            .map_or(id.clone(), |t| t.display_name().to_owned()),
        None => "none".to_owned(),
    };
    let mut choice = c.output.clone();
    egui::ComboBox::from_id_salt(("output", &c.id))
        .width(STRIP_WIDTH - 8.0)
        .selected_text(format!("➡ {}", label_of(&c.output)))
        .show_ui(ui, |ui| {
            for t in s.channels.iter().filter(|t| {
                matches!(t.kind, ChannelKind::Bus | ChannelKind::Master) && t.id != c.id
            }) {
                ui.selectable_value(&mut choice, Some(t.id.clone()), t.display_name());
            }
            ui.selectable_value(&mut choice, None, "none (sends only)");
        })
        .response
        .on_hover_text(format!("{name} output: where its signal goes (moves it)"));
    if choice != c.output {
        out.push(Action::Edit(Edit::Output {
            channel: c.id.clone(),
            output: choice,
        }));
    }
}

fn sends(ui: &mut Ui, s: &Session, c: &Channel, name: &str, out: &mut Vec<Action>) {
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
            Some(send) => {
                ui.horizontal(|ui| {
                    ui.set_min_height(SEND_ROW);
                    let mut level = send.level_db.unwrap_or(SEND_MIN_DB);
                    let label = format!("{name} send to {aux_name}");
                    let r = ui.add(Knob::send_level(&mut level, label.clone()).diameter(22.0));
                    group_and_edit(&r, out, || Edit::SendLevel {
                        channel: c.id.clone(),
                        aux: aux.id.clone(),
                        db: (level > SEND_MIN_DB).then_some(level),
                    });
                    ui.vertical(|ui| {
                        ui.label(RichText::new(aux_name).small());
                        ui.horizontal(|ui| {
                            let pre = send.pre_fader;
                            let face = if pre { "PRE" } else { "POST" };
                            if toggle(
                                ui,
                                pre,
                                face,
                                &format!("{label} pre-fader"),
                                Color32::from_rgb(230, 200, 80),
                            )
                            .clicked()
                            {
                                out.push(Action::Edit(Edit::SendPreFader {
                                    channel: c.id.clone(),
                                    aux: aux.id.clone(),
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
                                    aux: aux.id.clone(),
                                }));
                            }
                        });
                    });
                });
            }
            None => {
                ui.horizontal(|ui| {
                    ui.set_min_height(SEND_ROW);
                    let add = ui.small_button(format!("+ {aux_name}"));
                    let hint = format!("Send a copy of {name} to {aux_name} (post-fader, −12 dB)");
                    if add.on_hover_text(hint).clicked() {
                        let send = Send::new(&aux.id);
                        out.push(Action::Edit(Edit::AddSend {
                            channel: c.id.clone(),
                            send,
                            index: None,
                        }));
                    }
                });
            }
        }
    }
}

fn fader_and_meter(
    ui: &mut Ui,
    s: &Session,
    index: usize,
    name: &str,
    view: &mut View,
    out: &mut Vec<Action>,
) {
    let c = &s.channels[index];
    let in_vca = s.vcas.iter().any(|v| v.members.contains(&c.id));
    let combined = channel_gains(s, index, false, false).combined_db;
    ui.horizontal(|ui| {
        let mut gain = c.gain_db;
        let mut fader = Fader::new(&mut gain, format!("{name} fader")).height(FADER_HEIGHT);
        if in_vca {
            fader = fader.combined(combined);
        }
        let r = ui.add(fader);
        group_and_edit(&r, out, || Edit::Gain {
            channel: c.id.clone(),
            db: gain,
        });
        let meters = view.meters.entry(c.id.clone()).or_default();
        if stereo_meter(ui, meters, FADER_HEIGHT, name).clicked() {
            out.push(Action::ResetClip(c.id.clone()));
        }
    });
    let mut typed = c.gain_db;
    if super::widgets::db_entry(ui, &mut typed, ui.make_persistent_id(("gain entry", &c.id)))
        .changed()
        && typed != c.gain_db
    {
        out.push(Action::Edit(Edit::Gain {
            channel: c.id.clone(),
            db: typed,
        }));
    }
    if in_vca {
        ui.label(
            RichText::new(format!("with VCA {}", format_db(combined)))
                .small()
                .color(VCA_COLOUR),
        );
    }
}

fn toggles(
    ui: &mut Ui,
    s: &Session,
    index: usize,
    name: &str,
    solo_muted: bool,
    out: &mut Vec<Action>,
) {
    let c = &s.channels[index];
    let gains = channel_gains(s, index, false, solo_muted);
    ui.horizontal(|ui| {
        // A mute caused by someone else's solo or a VCA is shown dimmer.
        let muted_by_other = matches!(gains.muted, Mute::Solo | Mute::Vca);
        let mute_colour = if muted_by_other {
            Color32::from_rgb(120, 90, 60)
        } else {
            Color32::from_rgb(230, 120, 40)
        };
        if toggle(
            ui,
            c.mute || muted_by_other,
            "M",
            &format!("Mute {name}"),
            mute_colour,
        )
        .clicked()
        {
            out.push(Action::Edit(Edit::Mute {
                channel: c.id.clone(),
                on: !c.mute,
            }));
        }
        if c.kind != ChannelKind::Master {
            if toggle(
                ui,
                c.solo,
                "S",
                &format!("Solo {name}"),
                Color32::from_rgb(230, 210, 60),
            )
            .clicked()
            {
                out.push(Action::Edit(Edit::Solo {
                    channel: c.id.clone(),
                    on: !c.solo,
                }));
            }
            let safe = c.solo_safe;
            if toggle(
                ui,
                safe,
                "safe",
                &format!("Solo-safe {name}"),
                Color32::from_rgb(120, 200, 230),
            )
            .clicked()
            {
                out.push(Action::Edit(Edit::SoloSafe {
                    channel: c.id.clone(),
                    on: !safe,
                }));
            }
        }
    });
}

/// A VCA strip: a fader that scales its members, a mute, and its members.
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
        group_and_edit(&r, out, || Edit::VcaGain {
            vca: vca.id.clone(),
            db: gain,
        });
        if toggle(
            ui,
            vca.mute,
            "M",
            &format!("Mute {name}"),
            Color32::from_rgb(230, 120, 40),
        )
        .clicked()
        {
            out.push(Action::Edit(Edit::VcaMute {
                vca: vca.id.clone(),
                on: !vca.mute,
            }));
        }
    })
}

/// Turns a drag into one undo step and a change into an edit.
pub(super) fn group_and_edit(
    r: &egui::Response,
    out: &mut Vec<Action>,
    edit: impl FnOnce() -> Edit,
) {
    if r.drag_started() {
        out.push(Action::Group(true));
    }
    if r.changed() {
        out.push(Action::Edit(edit()));
    }
    if r.drag_stopped() {
        out.push(Action::Group(false));
    }
}
