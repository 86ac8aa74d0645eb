//! "Why is this silent?" in its own window, and the flow page (the routing
//! graph with the same answer beside it); the answer itself is drawn by
//! `hearing_ui`.
//!
//! ```text
//!  strip "?" ──ShowWhy──► why_window ──► hearing_ui::why_list
//!  Flow page ───────────► flow_page_ui::flow_page ──► flow view + why_list
//! ```

use egui::Ui;

use super::action::Action;
use super::flow_ui::FlowState;
use super::hearing_ui::why_list;
use super::meters::MeterView;
use super::strip_layout::StripContext;
use crate::session::Session;

pub fn why_window(
    ctx: &egui::Context,
    s: &Session,
    id: &str,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    why_window_with(ctx, s, id, cx, &MeterView::default(), out);
}

/// The window, with live levels.
pub fn why_window_with(
    ctx: &egui::Context,
    s: &Session,
    id: &str,
    cx: &StripContext,
    meters: &MeterView,
    out: &mut Vec<Action>,
) {
    let name = s
        .channel(id)
        .map_or(id.to_owned(), |c| c.display_name().to_owned());
    let mut open = true;
    egui::Window::new(format!("Why is {name} silent?"))
        .collapsible(false)
        .show(ctx, |ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                if ui
                    .small_button("✖")
                    .on_hover_text("Close this window")
                    .clicked()
                {
                    open = false;
                }
            });
            why_list(ui, s, id, cx, meters, out)
        });
    if !open {
        out.push(Action::ShowWhy(None));
    }
}

/// The flow page: the routing as a graph, and why the selected channel is
/// (or is not) heard, what it really gets, and what a route would change.
pub fn flow_page(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut FlowState,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    super::flow_page_ui::flow_page(ui, s, meters, state, cx, out);
}
