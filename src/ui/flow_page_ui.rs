//! The flow page: the graph, and beside it what the selected channel
//! really gets on the way to each output, its measured dry / wet /
//! parallel balance, why it is (or is not) heard, and routes to try —
//! hovering one draws what it would open and close before the click.
//!
//! ```text
//!  ┌ refused loop banner ───────────────────────────┐┌ Kick ─────────────────┐
//!  │                                                 ││ heard · stops + fixes │
//!  │   flow view (overlays: loop, preview, lit taps) ││ paths + combined gain │
//!  │                                                 ││ dry/wet/parallel bar  │
//!  └─────────────────────────────────────────────────┘│ try: → Bus, + send …  │
//! ```

use egui::{Color32, RichText, Ui};

use super::action::Action;
use super::flow_session::flow_graph;
use super::flow_ui::{FlowState, flow_view};
use super::hearing_ui::{listen_and, why_list};
use super::hints::shown;
use super::meters::MeterView;
use super::strip_layout::StripContext;
use super::widgets::shares_bar;
use crate::graph::{self, Listen, Route, db_text, preview};
use crate::session::{ChannelKind, Edit, Send, Session, hw_output_name, hw_output_pair};

pub fn flow_page(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut FlowState,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    let mono = |id: &str| cx.mono.iter().any(|m| m == id);
    // A hovered choice sets this again below, every frame it is hovered.
    state.preview = None;
    egui::Panel::right("flow details")
        .min_size(300.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("flow details")
                .show(ui, |ui| match state.selected.clone() {
                    Some(id) if s.channel(&id).is_some() => {
                        why_list(ui, s, &id, cx, meters, out);
                        ui.separator();
                        listen_and(s, cx, meters, |l| {
                            details(ui, s, &id, meters, l, state, out);
                        });
                    }
                    _ => {
                        ui.label(
                            "Click a channel to see every path from it to the outputs, what \
                             it really gets on the way and how wet it is; click the master to \
                             see what feeds it; click a VCA to see what it controls.",
                        );
                    }
                });
        });
    if let Some(l) = state.refused.clone() {
        ui.horizontal(|ui| {
            let red = Color32::from_rgb(235, 90, 80);
            ui.colored_label(
                red,
                shown(format!(
                    "⚠ routing loop refused: {} — {}",
                    l.by_name(),
                    l.sentence()
                )),
            );
            if ui
                .small_button("Dismiss")
                .on_hover_text("Stop drawing the refused loop")
                .clicked()
            {
                out.push(Action::DismissLoop);
            }
        });
    }
    let graph = flow_graph(s, meters, state, &mono);
    let before = state.selected.clone();
    // The view keeps its own selection as it is clicked; the action makes
    // the choice visible to whoever observes the console.
    flow_view(ui, &graph, state);
    if state.selected != before {
        out.push(Action::SelectFlow(state.selected.clone()));
    }
}

/// Paths with their combined gains, the measured balance, routes to try.
fn details(
    ui: &mut Ui,
    s: &Session,
    id: &str,
    meters: &MeterView,
    l: &Listen,
    state: &mut FlowState,
    out: &mut Vec<Action>,
) {
    let Some(c) = s.channel(id) else { return };
    let name = c.display_name();
    ui.label(RichText::new("What it really gets on the way").strong());
    let Some(h) = graph::hearing(s, id, l) else {
        return;
    };
    if h.paths.is_empty() {
        ui.label("No path leads to an output.");
    }
    for (k, p) in h.paths.iter().enumerate() {
        let mark = if h.blocked[k].is_empty() {
            "✔"
        } else {
            "✖"
        };
        ui.label(format!(
            "{mark} {} — {} · {}",
            shown(p.describe(s)),
            p.part.label(),
            db_text(p.gain.db())
        ))
        .on_hover_text(format!(
            "Combined gain along this path: {}",
            p.gain.explain()
        ));
    }
    ui.add_space(6.0);
    let reach = meters.reach(id);
    let text = match reach.wet_to_dry_db() {
        Some(r) => format!("{} · wet/dry {r:+.1} dB", reach.text()),
        None => reach.text(),
    };
    ui.label(RichText::new("Measured while playing").strong());
    shares_bar(ui, reach.shares(), &text, name);
    ride(ui, s, c, l, out);
    if c.kind == ChannelKind::Master {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Try a route (hover to see it first)").strong())
        .on_hover_text("Hover a choice: the graph shows the paths it would open (green) and close (red) and the balance it would give; click to do it.");
    try_routes(ui, s, id, l, state, out);
}

/// Output and send choices; hovering one previews it on the graph.
fn try_routes(
    ui: &mut Ui,
    s: &Session,
    id: &str,
    l: &Listen,
    state: &mut FlowState,
    out: &mut Vec<Action>,
) {
    let Some(c) = s.channel(id) else { return };
    let mut targets: Vec<(Option<String>, String)> = s
        .channels
        .iter()
        .filter(|t| matches!(t.kind, ChannelKind::Bus | ChannelKind::Master) && t.id != id)
        .map(|t| (Some(t.id.clone()), t.display_name().to_owned()))
        .collect();
    let used = c.output.as_deref().and_then(hw_output_pair).unwrap_or(0);
    for p in 1..=l.device_pairs.unwrap_or(0).max(used) {
        targets.push((Some(hw_output_name(p)), graph::outputs_text(p)));
    }
    targets.push((None, "none (sends only)".to_owned()));
    ui.horizontal_wrapped(|ui| {
        for (target, label) in targets {
            let current = c.output == target;
            let edit = Edit::Output {
                channel: id.to_owned(),
                output: target.clone(),
            };
            let looped = target
                .as_deref()
                .filter(|t| !t.starts_with("hw:"))
                .and_then(|t| graph::would_loop(s, id, Route::Output(t)));
            let face = format!("➡ {label}");
            choice(ui, s, id, &face, current, looped, edit, l, state, out);
        }
    });
    ui.horizontal_wrapped(|ui| {
        for aux in s
            .channels
            .iter()
            .filter(|a| a.kind == ChannelKind::Aux && a.id != id)
        {
            let has = c.sends.iter().any(|x| x.to == aux.id);
            let (face, edit, looped) = if has {
                (
                    format!("✖ send to {}", aux.display_name()),
                    Edit::RemoveSend {
                        channel: id.to_owned(),
                        aux: aux.id.clone(),
                    },
                    None,
                )
            } else {
                (
                    format!("+ send to {}", aux.display_name()),
                    Edit::AddSend {
                        channel: id.to_owned(),
                        send: Send::new(&aux.id),
                        index: None,
                    },
                    graph::would_loop(s, id, Route::Send(&aux.id)),
                )
            };
            choice(ui, s, id, &face, false, looped, edit, l, state, out);
        }
    });
}

/// One choice button: hover previews, click applies; a choice that would
/// loop is disabled and names the loop.
#[allow(clippy::too_many_arguments)]
fn choice(
    ui: &mut Ui,
    s: &Session,
    id: &str,
    face: &str,
    current: bool,
    looped: Option<graph::Loop>,
    edit: Edit,
    l: &Listen,
    state: &mut FlowState,
    out: &mut Vec<Action>,
) {
    let r = ui.add_enabled(
        looped.is_none() && !current,
        egui::Button::selectable(current, RichText::new(face).small()),
    );
    let hovered = r.contains_pointer() && !current;
    let p = hovered.then(|| preview(s, id, &edit, l));
    let mut text = if current {
        "This is where it goes now.".to_owned()
    } else if let Some(p) = &p {
        let mut lines: Vec<String> = p
            .appear
            .iter()
            .map(|x| {
                format!(
                    "+ {} ({}, {})",
                    x.describe(s),
                    x.part.label(),
                    db_text(x.gain.db())
                )
            })
            .collect();
        lines.extend(p.disappear.iter().map(|x| format!("− {}", x.describe(s))));
        lines.push(format!("balance: {} → {}", p.before.text(), p.after.text()));
        shown(lines.join("\n"))
    } else {
        format!("{face}: hover to see what it would change, click to do it")
    };
    if let Some(lp) = &looped {
        text = shown(format!(
            "Refused: {} would make a loop — {}",
            lp.by_name(),
            lp.sentence()
        ));
    }
    if let Some(p) = p {
        state.preview = Some(p);
    }
    let r = r.on_hover_text(&text);
    let r = r.on_disabled_hover_text(&text);
    if r.clicked() {
        out.push(Action::Edit(edit));
    }
}

/// The selected channel's fader, here beside the graph: riding it lights
/// the send taps that follow it (post-fader), while pre-fader ones stay
/// dark — and the measured balance moves (or not) as it does.
fn ride(ui: &mut Ui, s: &Session, c: &crate::session::Channel, l: &Listen, out: &mut Vec<Action>) {
    let mut db = c.gain_db.unwrap_or(FADER_FLOOR_DB);
    let r = ui
        .horizontal(|ui| {
            let r = ui.add(
                egui::Slider::new(&mut db, FADER_FLOOR_DB..=6.0)
                    .show_value(false)
                    .text(format!("{} fader", c.display_name())),
            );
            ui.label(crate::graph::db_text(c.gain_db));
            r
        })
        .inner;
    let r = r.on_hover_text(format!(
        "{}\nRide it here and watch the graph: the sends that follow the fader light up.",
        super::hints::fader_hint(s, c, (l.mono)(&c.id))
    ));
    Action::from_control(&r, out, || Edit::Gain {
        channel: c.id.clone(),
        db: (db > FADER_FLOOR_DB).then_some(db),
    });
}

/// The bottom of the beside-the-graph fader: −inf.
const FADER_FLOOR_DB: f32 = -60.0;
