//! Channel strips: one per channel, coloured by kind. Drawing only reads
//! the session and the meters and emits `Action`s; the app applies them.
//!
//! ```text
//!  ┌ TRK      ? ☰ ┐  header: kind, why silent, the strip menu (rename,
//!  │ Kick          │  move, delete); the name (double-click renames)
//!  │ kick.flac     │  the source file, or what the channel is for
//!  │ ▔▔▔▔▔▔▀▀▀     │  what it gives the master: dry / wet / parallel
//!  │ ➡ Drum Bus    │  output
//!  │ ⏺ COMP  ☰     │  inserts (inserts_ui), one row per insert + add
//!  │ ◔ Reverb POST │  sends (sends_ui): the sends it has + add
//!  │   ◯ pan       │  pan (mono) or balance (stereo)
//!  │ ▮▮ fader meter│  (strip_fader_ui): as tall as the window allows
//!  │ -3.0   -6.2pk │  typed gain, peak since reset
//!  └ M  S  safe    ┘
//! ```
//! Every row has the same height on every strip, so rows line up.

use egui::{Color32, RichText, Sense, Ui};

use super::action::Action;
use super::meters::MeterView;
use super::strip_layout::{StripContext, output_label, row, strip_frame};
use super::theme::{
    MUTE_COLOUR, MUTED_BY_OTHER, SAFE_COLOUR, SOLO_COLOUR, STRIP_WIDTH, badge, kind_colour,
};
use super::toggle_ui::toggle;
use super::widgets::{Knob, shares_line};
use crate::graph::{Mute, channel_gains};
use crate::session::{Channel, ChannelKind, Edit, Session, hw_output_name, hw_output_pair};

const LINE: f32 = 18.0;

/// Where a strip and its fader were drawn: the console sizes faders from it.
#[derive(Debug, Clone, Copy)]
pub struct StripRects {
    pub strip: egui::Rect,
    pub fader: egui::Rect,
    /// How far below the top of the strip's contents the fader starts.
    pub fader_offset: f32,
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
) -> StripRects {
    let c = &s.channels[index];
    let solo_muted = cx.solo_muted.get(index).copied().unwrap_or(false);
    let name = c.display_name().to_owned();
    let master = c.kind == ChannelKind::Master;
    let width = if master { STRIP_WIDTH } else { cx.layout.width };
    let mut fader = egui::Rect::NOTHING;
    let mut content_top = 0.0;
    let strip = strip_frame(ui, kind_colour(c.kind), width, |ui| {
        content_top = ui.min_rect().top();
        row(ui, LINE, |ui| header(ui, c, &name, cx.layout.narrow, out));
        row(ui, LINE, |ui| name_row(ui, c, &name, rename, out));
        row(ui, LINE, |ui| source_line(ui, c, cx.is_offline(&c.id)));
        if !master {
            shares(ui, &c.id, &name, meters);
        }
        if !master {
            row(ui, LINE + 2.0, |ui| {
                output_selector(ui, s, c, &name, cx, out)
            });
        }
        super::inserts_ui::insert_section(
            ui,
            c,
            &name,
            cx.layout.insert_rows,
            cx.layout.narrow,
            meters,
            out,
        );
        if !master {
            super::sends_ui::sends(ui, s, c, &name, &cx.layout, out);
        }
        pan_knob(ui, c, &name, cx, out);
        if master && let Some(top) = cx.layout.fader_top {
            // The master's fader starts level with the channel faders.
            ui.add_space((top - (ui.min_rect().bottom() - content_top)).max(0.0));
        }
        fader = super::strip_fader_ui::fader_section(ui, s, index, &name, meters, &cx.layout, out);
        row(ui, LINE, |ui| {
            toggles(ui, s, index, &name, solo_muted, cx, out)
        });
    });
    StripRects {
        strip,
        fader,
        fader_offset: fader.top() - content_top,
    }
}

/// A mono track pans; anything stereo (a stereo file, a bus, an aux, the
/// master) has a balance: the far side is turned down, nothing moves across.
fn pan_knob(ui: &mut Ui, c: &Channel, name: &str, cx: &StripContext, out: &mut Vec<Action>) {
    let mono = c.kind == ChannelKind::Track && cx.mono.iter().any(|m| m == &c.id);
    let mut pan = c.pan;
    let knob = if mono {
        Knob::pan(&mut pan, format!("{name} pan"))
    } else {
        Knob::balance(&mut pan, format!("{name} balance"))
    };
    let diameter = if cx.layout.narrow { 22.0 } else { 26.0 };
    let r = ui
        .vertical_centered(|ui| ui.add(knob.diameter(diameter)))
        .inner;
    let r = if mono {
        r.on_hover_text(format!(
            "{name} pan: places the mono signal between left and right (double-click: centre)"
        ))
    } else {
        r.on_hover_text(format!(
            "{name} balance: turns one side of the stereo signal down (double-click: centre)"
        ))
    };
    Action::from_control(&r, out, || Edit::Pan {
        channel: c.id.clone(),
        pan,
    });
}

fn header(ui: &mut Ui, c: &Channel, name: &str, narrow: bool, out: &mut Vec<Action>) {
    ui.label(
        RichText::new(badge(c.kind))
            .small()
            .strong()
            .color(kind_colour(c.kind)),
    )
    .on_hover_text(match c.kind {
        ChannelKind::Track => "Track: plays an audio file",
        ChannelKind::Bus => "Bus: sums the channels routed to it (a group)",
        ChannelKind::Aux => "Aux: sums the copies that sends deliver (an effect return)",
        ChannelKind::Master => "Master: what leaves the console",
    });
    if c.kind == ChannelKind::Master {
        return;
    }
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        strip_menu(ui, c, name, out);
        if !narrow {
            let why = format!("Why is {name} silent?");
            if toggle(ui, false, "?", &why, Color32::GRAY).clicked() {
                out.push(Action::ShowWhy(Some(c.id.clone())));
            }
        }
    });
}

/// Rename, move, delete, why silent: kept in a menu so no destructive
/// button sits where the pointer lands after a click.
fn strip_menu(ui: &mut Ui, c: &Channel, name: &str, out: &mut Vec<Action>) {
    let menu = ui.menu_button(RichText::new("☰").small(), |ui| {
        if ui.button("Rename…").clicked() {
            out.push(Action::StartRename(c.id.clone()));
        }
        if ui.button("Move left").clicked() {
            out.push(Action::MoveChannel(c.id.clone(), -1));
        }
        if ui.button("Move right").clicked() {
            out.push(Action::MoveChannel(c.id.clone(), 1));
        }
        if ui.button(format!("Why is {name} silent?")).clicked() {
            out.push(Action::ShowWhy(Some(c.id.clone())));
        }
        let mut safe = c.solo_safe;
        if ui
            .checkbox(&mut safe, "Solo-safe")
            .on_hover_text("Never muted by someone else's solo (usual for effect returns)")
            .changed()
        {
            out.push(Action::Edit(Edit::SoloSafe {
                channel: c.id.clone(),
                on: safe,
            }));
        }
        ui.separator();
        if ui
            .button(format!("Delete {name}"))
            .on_hover_text("Its routes fall back to the master; Ctrl+Z brings it back")
            .clicked()
        {
            out.push(Action::RemoveChannel(c.id.clone()));
        }
    });
    menu.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{name} strip menu"))
    });
    menu.response
        .on_hover_text(format!("{name}: rename, move, delete"));
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
            let r = ui.add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY));
            r.request_focus();
            if r.lost_focus() {
                let new = text.trim().to_owned();
                if !new.is_empty() && new != name && !ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
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
                    .sense(Sense::click()),
            );
            if r.on_hover_text(format!("{name} — double-click to rename"))
                .double_clicked()
            {
                out.push(Action::StartRename(c.id.clone()));
            }
        }
    }
}

/// The file a track plays, or what a summing channel is for.
/// A hairline under the source: how much of what this channel gives the
/// master arrives dry, wet and parallel, as the engine measures it.
fn shares(ui: &mut Ui, id: &str, name: &str, meters: &MeterView) {
    let reach = meters.reach(id);
    let text = match reach.wet_to_dry_db() {
        Some(r) => format!("{name}: {} · wet/dry {r:+.1} dB", reach.text()),
        None => format!("{name}: {}", reach.text()),
    };
    shares_line(ui, reach.shares(), &text, name, 3.0);
}

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
            ui.add(egui::Label::new(text.small()).truncate())
                .on_hover_text(if offline {
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
            ui.add(egui::Label::new(RichText::new(role).small().weak()).truncate());
        }
    }
}

fn output_selector(
    ui: &mut Ui,
    s: &Session,
    c: &Channel,
    name: &str,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    let device_pairs = cx.device_pairs;
    let mut choice = c.output.clone();
    // Device pairs the device offers, and any the channel already uses.
    let used = c.output.as_deref().and_then(hw_output_pair).unwrap_or(0);
    egui::ComboBox::from_id_salt(("output", &c.id))
        .width(ui.available_width() - 4.0)
        .truncate()
        .selected_text(if cx.layout.narrow {
            output_label(s, c.output.as_deref())
        } else {
            format!("➡ {}", output_label(s, c.output.as_deref()))
        })
        .show_ui(ui, |ui| {
            for t in s.channels.iter().filter(|t| {
                matches!(t.kind, ChannelKind::Bus | ChannelKind::Master) && t.id != c.id
            }) {
                ui.selectable_value(&mut choice, Some(t.id.clone()), t.display_name());
            }
            for p in 1..=device_pairs.max(used) {
                let id = hw_output_name(p);
                let label = output_label(s, Some(&id));
                ui.selectable_value(&mut choice, Some(id), label)
                    .on_hover_text("straight to these device outputs (a cue or headphone mix), not the master");
            }
            ui.selectable_value(&mut choice, None, "none (sends only)");
        })
        .response
        .on_hover_text(format!(
            "{name} output: where its signal goes — the signal moves there (a bus, the master or device outputs)"
        ));
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
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    let c = &s.channels[index];
    let gains = channel_gains(s, index, false, solo_muted);
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
    if c.kind == ChannelKind::Master {
        return;
    }
    if toggle(ui, c.solo, "S", &format!("Solo {name}"), SOLO_COLOUR).clicked() {
        out.push(Action::Edit(Edit::Solo {
            channel: c.id.clone(),
            on: !c.solo,
        }));
    }
    // Narrow strips have solo-safe in the strip menu.
    let safe = c.solo_safe;
    if !cx.layout.narrow
        && toggle(ui, safe, "safe", &format!("Solo-safe {name}"), SAFE_COLOUR).clicked()
    {
        out.push(Action::Edit(Edit::SoloSafe {
            channel: c.id.clone(),
            on: !safe,
        }));
    }
}
