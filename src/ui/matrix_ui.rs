//! The routing matrix: rows are channels, columns are where signal can go.
//! Two visual languages: the main output (⏺ — moves the signal, exactly one
//! per row, like a radio button) and sends (level in dB — copies, any number,
//! each pre or post fader). Cells that would make a loop are disabled and
//! say which loop.
//!
//! ```text
//!            Drum Bus  Master │ Reverb     Delay    │ Out 3-4
//!  Kick         ⏺        ○    │ -12 post    +       │   ○
//!  Reverb       ○        ⏺    │  (self)     +       │   ○
//! ```

use std::collections::BTreeSet;

use egui::{Color32, Response, RichText, Role, Sense, Ui, WidgetInfo};

use super::action::Action;
use super::theme::{PRE_COLOUR, SAFE_COLOUR, kind_colour};
use crate::session::{ChannelKind, Edit, Send, Session, find_loop, hw_output_name};

/// The matrix page's own state: rows selected for "send selected to …".
#[derive(Default)]
pub struct MatrixState {
    pub selected: BTreeSet<String>,
}

impl MatrixState {
    pub fn select(&mut self, id: String, on: bool) {
        if on {
            self.selected.insert(id);
        } else {
            self.selected.remove(&id);
        }
    }
}

/// The loop that routing `from` to `to` (output or send) would create.
pub fn would_loop(s: &Session, from: &str, to: &str, as_send: bool) -> Option<Vec<String>> {
    let mut trial = s.clone();
    let c = trial.channels.iter_mut().find(|c| c.id == from)?;
    if as_send {
        c.sends.push(Send {
            to: to.to_owned(),
            level_db: None,
            pre_fader: false,
        });
    } else {
        c.output = Some(to.to_owned());
    }
    find_loop(&trial)
}

/// One cell: allocate → interact → widget_info → paint.
fn cell(ui: &mut Ui, text: &str, label: &str, on: bool, colour: Color32) -> Response {
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
        ui.painter()
            .rect_stroke(rect, 3.0, v.bg_stroke, egui::StrokeKind::Inside);
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
                                .filter(|row| would_loop(s, row, id, true).is_none())
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
                    if super::toggle_ui::toggle(
                        ui,
                        sel,
                        face,
                        &format!("select {name}"),
                        SAFE_COLOUR,
                    )
                    .clicked()
                    {
                        out.push(Action::SelectRow(c.id.clone(), !sel));
                    }
                    ui.label(RichText::new(name).color(kind_colour(c.kind)));
                    for (id, col) in &outs {
                        output_cell(ui, s, c, id, col, out);
                    }
                    for (id, col) in &auxes {
                        send_cell(ui, s, c, id, col, out);
                    }
                    for &p in &hw {
                        let name = hw_output_name(p);
                        output_cell(
                            ui,
                            s,
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
    let looped = if on {
        None
    } else {
        would_loop(s, &c.id, id, false)
    };
    let colour = kind_colour(c.kind);
    let r = ui
        .add_enabled_ui(looped.is_none(), |ui| {
            cell(ui, if on { "⏺" } else { "○" }, &label, on, colour)
        })
        .inner;
    if let Some(path) = looped {
        r.on_disabled_hover_text(format!("would make a loop: {}", path.join(" ➡ ")));
    } else if r.clicked() {
        // Clicking the current output unroutes the channel (sends only).
        let output = if on { None } else { Some(id.to_owned()) };
        out.push(Action::Edit(Edit::Output {
            channel: c.id.clone(),
            output,
        }));
    } else {
        r.on_hover_text(if on {
            "click to unroute (heard only through sends)"
        } else {
            "click to move the output here"
        });
    }
}

fn send_cell(
    ui: &mut Ui,
    s: &Session,
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
    match c.sends.iter().find(|x| x.to == aux) {
        Some(send) => {
            ui.horizontal(|ui| {
                let text = match send.level_db {
                    Some(db) => format!("{db:+.1}"),
                    None => "-inf".into(),
                };
                let r = cell(ui, &text, &label, true, kind_colour(ChannelKind::Aux));
                let r = r.on_hover_text("click: remove · scroll or drag: level");
                // Scroll and drag change the level; each notch is 1 dB.
                let scroll = ui.input(|i| i.smooth_scroll_delta.y);
                let drag = -r.drag_delta().y / 4.0;
                let steps = if r.hovered() && scroll != 0.0 {
                    scroll.signum()
                } else {
                    0.0
                } + drag;
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
                let t = super::toggle_ui::toggle(
                    ui,
                    pre,
                    face,
                    &format!("{label} pre-fader"),
                    PRE_COLOUR,
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
            let looped = would_loop(s, &c.id, aux, true);
            let r = ui
                .add_enabled_ui(looped.is_none(), |ui| {
                    cell(ui, "+", &label, false, kind_colour(ChannelKind::Aux))
                })
                .inner;
            if let Some(path) = looped {
                r.on_disabled_hover_text(format!("would make a loop: {}", path.join(" ➡ ")));
            } else if r.clicked() {
                let send = Send::new(aux);
                out.push(Action::Edit(Edit::AddSend {
                    channel: c.id.clone(),
                    send,
                    index: None,
                }));
            }
        }
    }
}
