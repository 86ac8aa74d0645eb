//! The routing matrix: rows are channels, columns are where signal can go.
//! Two visual languages: the main output (⏺ — moves the signal, exactly one
//! per row, like a radio button) and sends (level in dB — copies, any number,
//! each pre or post fader). Cells that would make a loop are disabled and
//! say which loop (by name). Every cell's hover says what a click would do
//! to the channel's paths and balance; send cells glow while a fader they
//! follow moves (pre-fader ones do not).
//!
//! ```text
//!            Drum Bus  Master │ Reverb     Delay    │ Out 3-4
//!  Kick         ⏺        ○    │ -12 post    +       │   ○
//!  Reverb       ○        ⏺    │  (self)     +       │   ○
//! ```

use std::collections::BTreeSet;

use egui::{Color32, Response, RichText, Role, Sense, Ui, WidgetInfo};

use super::action::Action;
use super::hints;
use super::theme::{PRE_COLOUR, SAFE_COLOUR, kind_colour};
use super::widgets::wheel_notches;
use crate::graph::{self, Loop, Moving, Route};
use crate::session::{ChannelKind, Edit, Send, Session, hw_output_name};

/// The matrix page's own state: rows selected for "send selected to …",
/// what a drag is moving (its post-fader taps light up), and which tracks
/// are mono (their pan law shows in the hovers).
#[derive(Default)]
pub struct MatrixState {
    pub selected: BTreeSet<String>,
    pub moving: Option<Moving>,
    pub mono: Vec<String>,
}

impl MatrixState {
    pub fn select(&mut self, id: String, on: bool) {
        if on {
            self.selected.insert(id);
        } else {
            self.selected.remove(&id);
        }
    }

    fn is_mono(&self, id: &str) -> bool {
        self.mono.iter().any(|m| m == id)
    }
}

/// The hover of a cell that would loop: the loop by id (as the session
/// names it) and in words, by name.
fn loop_hint(l: &Loop) -> String {
    format!("would make a loop: {} — {}", l.by_id(), l.sentence())
}

/// One cell: allocate → interact → widget_info → paint.
fn cell(ui: &mut Ui, text: &str, label: &str, on: bool, colour: Color32) -> Response {
    lit_cell(ui, text, label, on, colour, false)
}

/// A cell that glows while a fader it follows moves.
fn lit_cell(
    ui: &mut Ui,
    text: &str,
    label: &str,
    on: bool,
    colour: Color32,
    lit: bool,
) -> Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(78.0, 22.0), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::selected(Role::Button, ui.is_enabled(), on, label));
    if ui.is_rect_visible(rect) {
        let v = ui.style().interact(&response);
        let fill = if on {
            colour.gamma_multiply(0.55)
        } else {
            v.bg_fill
        };
        let fill = if ui.is_enabled() {
            fill
        } else {
            ui.visuals().extreme_bg_color
        };
        ui.painter().rect_filled(rect, 3.0, fill);
        let stroke = if lit {
            egui::Stroke::new(2.5, Color32::from_rgb(250, 230, 90))
        } else {
            v.bg_stroke
        };
        ui.painter()
            .rect_stroke(rect, 3.0, stroke, egui::StrokeKind::Inside);
        let text_colour = if ui.is_enabled() {
            v.text_color()
        } else {
            ui.visuals().weak_text_color()
        };
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            text,
            egui::FontId::proportional(12.0),
            text_colour,
        );
    }
    response
}

pub fn matrix(
    ui: &mut Ui,
    s: &Session,
    state: &MatrixState,
    device_pairs: usize,
    out: &mut Vec<Action>,
) {
    let outs: Vec<(String, String)> = s
        .channels
        .iter()
        .filter(|c| matches!(c.kind, ChannelKind::Bus | ChannelKind::Master))
        .map(|c| (c.id.clone(), c.display_name().to_owned()))
        .collect();
    let auxes: Vec<(String, String)> = s
        .channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Aux)
        .map(|c| (c.id.clone(), c.display_name().to_owned()))
        .collect();
    // Device pairs the device offers, plus any the session already uses.
    let used = s
        .channels
        .iter()
        .filter_map(|c| c.output.as_deref().and_then(crate::session::hw_output_pair))
        .max()
        .unwrap_or(0);
    let hw: Vec<usize> = (1..=device_pairs.max(used)).collect();
    ui.label(
        RichText::new(
            "⏺ output: moves the signal (one per row)   ·   level: a send, copies it (any number)",
        )
        .small(),
    );
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("routing matrix")
            .striped(true)
            .spacing([4.0, 4.0])
            .show(ui, |ui| {
                ui.label("");
                ui.label("");
                ui.label(RichText::new("fader").strong()).on_hover_text(
                    "Ride a fader here: the send cells that follow it (post-fader) light up",
                );
                for (_, name) in &outs {
                    ui.label(RichText::new(format!("➡ {name}")).strong())
                        .on_hover_text("main output (moves the signal)");
                }
                for (id, name) in &auxes {
                    ui.vertical(|ui| {
                        ui.label(
                            RichText::new(format!("↪ {name}"))
                                .strong()
                                .color(kind_colour(ChannelKind::Aux)),
                        );
                        let r = cell(
                            ui,
                            "send selected",
                            &format!("send selected to {name}"),
                            false,
                            kind_colour(ChannelKind::Aux),
                        );
                        if r.on_hover_text(format!(
                            "add a post-fader send to {name} on every selected row (one undo step)"
                        ))
                        .clicked()
                        {
                            let steps: Vec<Edit> = state
                                .selected
                                .iter()
                                .filter(|row| *row != id)
                                .filter(|row| {
                                    s.channel(row)
                                        .is_some_and(|c| c.sends.iter().all(|x| &x.to != id))
                                })
                                .filter(|row| graph::would_loop(s, row, Route::Send(id)).is_none())
                                .map(|row| Edit::AddSend {
                                    channel: row.clone(),
                                    send: Send::new(id),
                                    index: None,
                                })
                                .collect();
                            if !steps.is_empty() {
                                out.push(Action::Edit(Edit::Batch(steps)));
                            }
                        }
                    });
                }
                for p in &hw {
                    ui.label(RichText::new(format!("🔈 Out {}-{}", 2 * p + 1, 2 * p + 2)).strong());
                }
                ui.end_row();
                for c in s.channels.iter().filter(|c| c.kind != ChannelKind::Master) {
                    let name = c.display_name();
                    let sel = state.selected.contains(&c.id);
                    let face = if sel { "✔" } else { " " };
                    let hint = format!(
                        "{} {name} for \"send selected to …\" (a send to one aux from several rows in one step)",
                        if sel { "Deselect" } else { "Select" }
                    );
                    if super::toggle_ui::toggle_hint(
                        ui,
                        sel,
                        face,
                        &format!("select {name}"),
                        SAFE_COLOUR,
                        &hint,
                    )
                    .clicked()
                    {
                        out.push(Action::SelectRow(c.id.clone(), !sel));
                    }
                    ui.label(RichText::new(name).color(kind_colour(c.kind)));
                    fader_cell(ui, s, state, c, out);
                    for (id, col) in &outs {
                        output_cell(ui, s, state, c, id, col, out);
                    }
                    for (id, col) in &auxes {
                        send_cell(ui, s, state, c, id, col, out);
                    }
                    for &p in &hw {
                        let name = hw_output_name(p);
                        output_cell(
                            ui,
                            s,
                            state,
                            c,
                            &name,
                            &format!("Out {}-{}", 2 * p + 1, 2 * p + 2),
                            out,
                        );
                    }
                    ui.end_row();
                }
            });
    });
}

fn output_cell(
    ui: &mut Ui,
    s: &Session,
    state: &MatrixState,
    c: &crate::session::Channel,
    id: &str,
    col: &str,
    out: &mut Vec<Action>,
) {
    let name = c.display_name();
    let label = format!("{name} output to {col}");
    if id == c.id {
        ui.label("");
        return;
    }
    let on = c.output.as_deref() == Some(id);
    let looped = if on || id.starts_with("hw:") {
        None
    } else {
        graph::would_loop(s, &c.id, Route::Output(id))
    };
    let colour = kind_colour(c.kind);
    let r = ui
        .add_enabled_ui(looped.is_none(), |ui| {
            cell(ui, if on { "⏺" } else { "○" }, &label, on, colour)
        })
        .inner;
    if let Some(l) = looped {
        let text = loop_hint(&l);
        r.on_hover_text(&text).on_disabled_hover_text(text);
        return;
    }
    let mono = state.is_mono(&c.id);
    // Clicking the current output unroutes the channel (sends only).
    let target = if on { None } else { Some(id) };
    let hint = if r.contains_pointer() {
        let what = if on {
            "click to unroute (heard only through its sends)".to_owned()
        } else {
            format!("click to move {name}'s output here")
        };
        format!("{what}\n{}", hints::output_hint(s, c, target, mono))
    } else {
        format!("{name}'s output: click to move it to {col}")
    };
    if r.on_hover_text(hint).clicked() {
        out.push(Action::Edit(Edit::Output {
            channel: c.id.clone(),
            output: target.map(str::to_owned),
        }));
    }
}

fn send_cell(
    ui: &mut Ui,
    s: &Session,
    state: &MatrixState,
    c: &crate::session::Channel,
    aux: &str,
    col: &str,
    out: &mut Vec<Action>,
) {
    let name = c.display_name();
    if aux == c.id {
        ui.label(RichText::new("(self)").weak());
        return;
    }
    let label = format!("matrix: {name} send to {col}");
    let mono = state.is_mono(&c.id);
    match c.sends.iter().find(|x| x.to == aux) {
        Some(send) => {
            ui.horizontal(|ui| {
                let text = match send.level_db {
                    Some(db) => format!("{db:+.1}"),
                    None => "-inf".into(),
                };
                let lit = graph::is_lit(s, state.moving.as_ref(), &c.id, aux);
                let r = lit_cell(ui, &text, &label, true, kind_colour(ChannelKind::Aux), lit);
                let r = r.on_hover_text(format!(
                    "{}\nclick: remove · scroll or drag: level",
                    hints::send_hint(s, c, send, mono)
                ));
                // Scroll and drag change the level; each notch is 1 dB.
                // (A page scroll passing over the cell leaves it alone.)
                let drag = -r.drag_delta().y / 4.0;
                let steps = wheel_notches(ui, &r) as f32 + drag;
                if r.drag_started() {
                    out.push(Action::BeginGesture);
                }
                if steps != 0.0 {
                    let db = (send.level_db.unwrap_or(-60.0) + steps).clamp(-60.0, 6.0);
                    let db = (db > -60.0).then_some((db * 2.0).round() / 2.0);
                    out.push(Action::Edit(Edit::SendLevel {
                        channel: c.id.clone(),
                        aux: aux.to_owned(),
                        db,
                    }));
                }
                if r.drag_stopped() {
                    out.push(Action::EndGesture);
                }
                if r.clicked() {
                    out.push(Action::Edit(Edit::RemoveSend {
                        channel: c.id.clone(),
                        aux: aux.to_owned(),
                    }));
                }
                let pre = send.pre_fader;
                let face = if pre { "pre" } else { "post" };
                let t = super::toggle_ui::toggle_hint(
                    ui,
                    pre,
                    face,
                    &format!("{label} pre-fader"),
                    PRE_COLOUR,
                    &hints::tap_hint(s, c, send, mono),
                );
                if t.clicked() {
                    out.push(Action::Edit(Edit::SendPreFader {
                        channel: c.id.clone(),
                        aux: aux.to_owned(),
                        pre: !pre,
                    }));
                }
            });
        }
        None => {
            let looped = graph::would_loop(s, &c.id, Route::Send(aux));
            let r = ui
                .add_enabled_ui(looped.is_none(), |ui| {
                    cell(ui, "+", &label, false, kind_colour(ChannelKind::Aux))
                })
                .inner;
            if let Some(l) = looped {
                let text = loop_hint(&l);
                r.on_hover_text(&text).on_disabled_hover_text(text);
                return;
            }
            let send = Send::new(aux);
            let hint = if r.contains_pointer() {
                let edit = Edit::AddSend {
                    channel: c.id.clone(),
                    send: send.clone(),
                    index: None,
                };
                hints::edit_preview(
                    s,
                    c,
                    &edit,
                    mono,
                    &format!("Add a post-fader send at -12 dB from {name} to {col}"),
                )
            } else {
                format!("Add a send from {name} to {col}")
            };
            if r.on_hover_text(hint).clicked() {
                out.push(Action::Edit(Edit::AddSend {
                    channel: c.id.clone(),
                    send,
                    index: None,
                }));
            }
        }
    }
}

/// A row's fader as a number to drag: riding it lights the send cells that
/// follow it, so post- and pre-fader sends tell themselves apart.
fn fader_cell(
    ui: &mut Ui,
    s: &Session,
    state: &MatrixState,
    c: &crate::session::Channel,
    out: &mut Vec<Action>,
) {
    const FLOOR: f32 = -60.0;
    let mut db = c.gain_db.unwrap_or(FLOOR);
    let r = ui.add(
        egui::DragValue::new(&mut db)
            .range(FLOOR..=6.0)
            .speed(0.2)
            .fixed_decimals(1)
            .suffix(" dB"),
    );
    let label = format!("matrix: {} fader", c.display_name());
    ui.ctx()
        .accesskit_node_builder(r.id, |n| n.set_label(label));
    let r = r.on_hover_text(format!(
        "{}\nDrag here: the send cells that follow {} light up.",
        hints::fader_hint(s, c, state.is_mono(&c.id)),
        c.display_name()
    ));
    Action::from_control(&r, out, || Edit::Gain {
        channel: c.id.clone(),
        db: (db > FLOOR).then_some(db),
    });
}
