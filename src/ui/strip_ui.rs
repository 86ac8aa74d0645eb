//! Channel strips: one per channel, coloured by kind. Drawing only reads
//! the session and the meters and emits `Action`s; the app applies them.
//!
//! ```text
//!  ┌ TRK  ? ◀ ▶ 🗙 ┐  header: kind, why silent, move, delete
//!  │ Kick          │  name (double-click renames) and source file
//!  │ ➡ Drum Bus    │  output
//!  │ ⏺ COMP  ☰     │  inserts (inserts_ui)
//!  │ ◔ Reverb POST │  sends (sends_ui)
//!  │   ◯ pan       │
//!  │ ▮▮ fader meter│  (strip_fader_ui)
//!  └ M  S  safe    ┘
//! ```

use egui::{Color32, RichText, Ui};

use super::action::Action;
use super::meters::MeterView;
use super::theme::{
    MASTER_WIDTH, MUTE_COLOUR, MUTED_BY_OTHER, SAFE_COLOUR, SOLO_COLOUR, STRIP_WIDTH, badge,
    kind_colour,
};
use super::toggle_ui::toggle;
use super::widgets::{Knob, dry_wet_meter};
use crate::graph::{Mute, channel_gains};
use crate::session::{Channel, ChannelKind, Edit, Session};

/// What a strip needs to know about the whole session, computed once per
/// frame (solo mutes follow the routing graph: per strip it would be O(n²)).
pub struct StripContext {
    pub solo_muted: Vec<bool>,
    pub offline: Vec<String>,
    /// Insert rows every strip shows: the most inserts on any channel, plus
    /// the row that adds one.
    pub insert_rows: usize,
}

impl StripContext {
    pub fn new(s: &Session, offline: Vec<String>) -> Self {
        StripContext {
            solo_muted: crate::graph::implied_mutes(s),
            offline,
            insert_rows: 1 + s
                .channels
                .iter()
                .map(|c| c.inserts.len())
                .max()
                .unwrap_or(0),
        }
    }

    /// Whether channel `id`'s source cannot be played.
    pub fn is_offline(&self, id: &str) -> bool {
        self.offline
            .iter()
            .any(|m| m.contains(&format!("\"{id}\"")))
    }
}

/// The frame every strip sits in, with its kind's colour along the top.
pub fn strip_frame(
    ui: &mut Ui,
    colour: Color32,
    width: f32,
    add: impl FnOnce(&mut Ui),
) -> egui::Rect {
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

/// A channel strip; returns where it was drawn. `rename` is the name being
/// typed, when this channel is being renamed.
pub fn channel_strip(
    ui: &mut Ui,
    s: &Session,
    index: usize,
    meters: &MeterView,
    rename: Option<&mut String>,
    cx: &StripContext,
    out: &mut Vec<Action>,
) -> egui::Rect {
    let c = &s.channels[index];
    let solo_muted = cx.solo_muted.get(index).copied().unwrap_or(false);
    let name = c.display_name().to_owned();
    let width = if c.kind == ChannelKind::Master {
        MASTER_WIDTH
    } else {
        STRIP_WIDTH
    };
    strip_frame(ui, kind_colour(c.kind), width, |ui| {
        header(ui, c, &name, out);
        name_row(ui, c, &name, rename, out);
        source_line(ui, c, cx.is_offline(&c.id));
        if c.kind != ChannelKind::Master {
            output_selector(ui, s, c, &name, out);
        }
        super::inserts_ui::insert_section(ui, c, &name, cx.insert_rows, meters, out);
        if c.kind != ChannelKind::Master {
            super::sends_ui::sends(ui, s, c, &name, out);
        }
        let mut pan = c.pan;
        let r = ui.add(Knob::pan(&mut pan, format!("{name} pan")).diameter(28.0));
        Action::from_control(&r, out, || Edit::Pan {
            channel: c.id.clone(),
            pan,
        });
        super::strip_fader_ui::fader_and_meter(ui, s, index, &name, meters, out);
        toggles(ui, s, index, &name, solo_muted, out);
        if c.kind == ChannelKind::Master {
            dry_wet_meter(ui, meters.dry, meters.wet, "Master dry/wet");
            super::loudness_ui::loudness_section(ui, &meters.loudness, out);
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
                    out.push(Action::RemoveChannel(c.id.clone()));
                }
                if ui
                    .small_button("▶")
                    .on_hover_text(format!("Move {name} right"))
                    .clicked()
                {
                    out.push(Action::MoveChannel(c.id.clone(), 1));
                }
                if ui
                    .small_button("◀")
                    .on_hover_text(format!("Move {name} left"))
                    .clicked()
                {
                    out.push(Action::MoveChannel(c.id.clone(), -1));
                }
                let why = format!("Why is {name} silent?");
                if toggle(ui, false, "?", &why, Color32::GRAY).clicked() {
                    out.push(Action::ShowWhy(Some(c.id.clone())));
                }
            });
        }
    });
}

fn name_row(
    ui: &mut Ui,
    c: &Channel,
    name: &str,
    rename: Option<&mut String>,
    out: &mut Vec<Action>,
) {
    match rename {
        Some(text) => {
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
                out.push(Action::EndRename);
            }
        }
        None => {
            let r = ui.add(
                egui::Label::new(RichText::new(name).strong())
                    .truncate()
                    .sense(egui::Sense::click()),
            );
            if r.on_hover_text("Double-click to rename").double_clicked() {
                out.push(Action::StartRename(c.id.clone()));
            }
        }
    }
}

/// The file a track plays, or what a summing channel is for. The same line
/// on every strip keeps the faders aligned.
fn source_line(ui: &mut Ui, c: &Channel, offline: bool) {
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
        None => {
            let role = match c.kind {
                ChannelKind::Bus => "sums what is routed here",
                ChannelKind::Aux => "sums the sends it gets",
                _ => "goes to the output",
            };
            ui.label(RichText::new(role).small().weak());
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
            MUTED_BY_OTHER
        } else {
            MUTE_COLOUR
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
            if toggle(ui, c.solo, "S", &format!("Solo {name}"), SOLO_COLOUR).clicked() {
                out.push(Action::Edit(Edit::Solo {
                    channel: c.id.clone(),
                    on: !c.solo,
                }));
            }
            let safe = c.solo_safe;
            if toggle(ui, safe, "safe", &format!("Solo-safe {name}"), SAFE_COLOUR).clicked() {
                out.push(Action::Edit(Edit::SoloSafe {
                    channel: c.id.clone(),
                    on: !safe,
                }));
            }
        }
    });
}
