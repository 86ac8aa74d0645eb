//! The console page: every channel and VCA as a strip in a scrolling row,
//! the master on the right. Only strips in view are drawn; the rest keep
//! their place with an empty rect of the same size, so a wide session
//! costs no more per frame than what fits on screen.

use egui::Ui;

use super::action::Action;
use super::meters::MeterView;
use super::strip_ui::{StripContext, channel_strip};
use super::vca_strip_ui::vca_strip;
use crate::session::{ChannelKind, Session};

/// The console page's own state.
#[derive(Debug, Default)]
pub struct ConsoleState {
    /// Size of the largest strip drawn so far: the place an off-screen strip keeps.
    pub strip_size: Option<egui::Vec2>,
    /// Channel being renamed, and the text typed so far.
    pub renaming: Option<(String, String)>,
}

/// The master strip, in its own panel at the right.
pub fn master_panel(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut ConsoleState,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    let Some(m) = s
        .channels
        .iter()
        .position(|c| c.kind == ChannelKind::Master)
    else {
        return;
    };
    egui::Panel::right("master")
        .resizable(false)
        .show(ui, |ui| {
            let rename = rename_of(&mut state.renaming, &s.channels[m].id);
            channel_strip(ui, s, m, meters, rename, cx, out);
        });
}

/// The text being typed when `id` is being renamed.
fn rename_of<'a>(renaming: &'a mut Option<(String, String)>, id: &str) -> Option<&'a mut String> {
    match renaming {
        Some((r, text)) if r == id => Some(text),
        _ => None,
    }
}

/// Every strip but the master's, scrolling sideways.
pub fn strips(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut ConsoleState,
    cx: &StripContext,
    out: &mut Vec<Action>,
) {
    egui::ScrollArea::horizontal().show_viewport(ui, |ui, visible| {
        ui.horizontal_top(|ui| row(ui, s, meters, state, cx, visible, out));
    });
}

fn row(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut ConsoleState,
    cx: &StripContext,
    visible: egui::Rect,
    out: &mut Vec<Action>,
) {
    let gap = ui.spacing().item_spacing.x;
    let channels: Vec<usize> = (0..s.channels.len())
        .filter(|&i| s.channels[i].kind != ChannelKind::Master)
        .collect();
    let count = channels.len() + s.vcas.len();
    let mut x = 0.0;
    for k in 0..count {
        let in_view = match state.strip_size {
            Some(size) => x + size.x >= visible.min.x - size.x && x <= visible.max.x + size.x,
            None => true,
        };
        if in_view {
            let rect = match channels.get(k) {
                Some(&i) => {
                    let rename = rename_of(&mut state.renaming, &s.channels[i].id);
                    channel_strip(ui, s, i, meters, rename, cx, out)
                }
                None => vca_strip(ui, s, &s.vcas[k - channels.len()], out),
            };
            let size = state.strip_size.get_or_insert(rect.size());
            *size = size.max(rect.size());
        } else if let Some(size) = state.strip_size {
            ui.allocate_space(size);
        }
        x += state.strip_size.map_or(0.0, |s| s.x) + gap;
    }
}
