//! "Why is this silent?": the reasons, as a list (in the flow page's side
//! panel and in its own window), and the flow page that shows them beside
//! the routing graph.

use egui::Ui;

use super::action::Action;
use super::flow_ui::{FlowState, flow_view};
use super::meters::MeterView;
use super::strip_layout::StripContext;
use crate::session::Session;

/// The reasons channel `id` is silent, one label each.
pub fn why_list(ui: &mut Ui, s: &Session, id: &str, cx: &StripContext) {
    let name = s.channel(id).map_or(id, |c| c.display_name());
    ui.heading(name);
    let offline: Vec<String> = s
        .channels
        .iter()
        .filter(|c| cx.is_offline(&c.id))
        .map(|c| c.id.clone())
        .collect();
    let reasons = crate::graph::why_silent(s, id, &offline);
    if reasons.is_empty() {
        ui.label("Nothing in the routing or the controls keeps it quiet.");
    }
    for r in reasons {
        ui.label(format!("• {r}"));
    }
}

pub fn why_window(
    ctx: &egui::Context,
    s: &Session,
    id: &str,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    let name = s
        .channel(id)
        .map_or(id.to_owned(), |c| c.display_name().to_owned());
    let mut open = true;
    egui::Window::new(format!("Why is {name} silent?"))
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| why_list(ui, s, id, cx));
    if !open {
        out.push(Action::ShowWhy(None));
    }
}

/// The flow page: the routing as a graph, and why the selected channel
/// is (or is not) heard.
pub fn flow_page(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut FlowState,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    let graph = super::flow_session::flow_graph(s, meters);
    egui::Panel::right("flow details")
        .min_size(260.0)
        .show(ui, |ui| match state.selected.clone() {
            Some(id) if s.channel(&id).is_some() => why_list(ui, s, &id, cx),
            _ => {
                ui.label("Click a channel to see every path from it to the master; click the master to see what feeds it.");
            }
        });
    let before = state.selected.clone();
    // The view keeps its own selection as it is clicked; the action makes
    // the choice visible to whoever observes the console.
    flow_view(ui, &graph, state);
    if state.selected != before {
        out.push(Action::SelectFlow(state.selected.clone()));
    }
}
