//! The console page: every channel and VCA as a strip in a scrolling row,
//! the master in its own panel on the right. Faders take the height the
//! window has (down to a minimum, then the row scrolls vertically too), so
//! the console fits any screen from 1024×700 up. Only strips in view are
//! drawn; the rest keep their place with an empty rect of the same size, so
//! a wide session costs no more per frame than what fits on screen.
//!
//! ```text
//!  available height ─┬─ fixed rows (measured last frame, the same on every strip)
//!                    └─ fader = what is left (≥ MIN_FADER)
//! ```

use egui::Ui;

use super::action::Action;
use super::master_section_ui::{SECTION_FROM_WIDTH, master_section, section_tab};
use super::meters::MeterView;
use super::strip_fader_ui::MIN_FADER;
use super::strip_layout::{StripContext, StripLayout};
use super::strip_ui::channel_strip;
use super::theme::{SECTION_TAB_WIDTH, SECTION_WIDTH, STRIP_WIDTH};
use super::vca_strip_ui::vca_strip;
use crate::session::{ChannelKind, Session};

/// Sessions with this many channels or more start with narrow strips.
pub const NARROW_FROM: usize = 48;
/// Tallest fader: past this, a taller screen just leaves room.
const MAX_FADER: f32 = 900.0;
/// Room left for the horizontal scroll bar under the strips.
const SCROLLBAR: f32 = 12.0;

/// The console page's own state.
#[derive(Debug, Default)]
pub struct ConsoleState {
    /// Size of the largest strip drawn so far: the place an off-screen strip keeps.
    pub strip_size: Option<egui::Vec2>,
    /// Channel being renamed, and the text typed so far.
    pub renaming: Option<(String, String)>,
    /// Narrow strips: chosen by the user, or `None` for automatic.
    pub narrow: Option<bool>,
    /// The master section unfolded: chosen by the user, or `None` for
    /// automatic (by the window's width).
    pub master_section: Option<bool>,
    /// Whether the master section showed last frame (for the View menu).
    pub section_shown: bool,
    /// Height of everything on a strip but its fader, measured last frame.
    fixed: Option<f32>,
    /// Where faders start below the top of a strip's contents.
    fader_offset: Option<f32>,
    /// The channel strips' fader height last frame: the master's matches it.
    channel_fader: Option<f32>,
}

impl ConsoleState {
    /// Whether the master section shows with `width` points for the master
    /// panel and the strips.
    pub fn shows_master_section(&self, width: f32) -> bool {
        self.master_section.unwrap_or(width >= SECTION_FROM_WIDTH)
    }

    /// Whether strips are narrow for a session of `channels` channels.
    pub fn is_narrow(&self, channels: usize) -> bool {
        self.narrow.unwrap_or(channels >= NARROW_FROM)
    }
}

/// The fader height that fits `available` with `fixed` rows around it.
fn fader_height(available: f32, fixed: Option<f32>) -> f32 {
    // Before the first measurement, a guess that errs small.
    let fixed = fixed.unwrap_or(460.0);
    (available - fixed).clamp(MIN_FADER, MAX_FADER)
}

/// Remembers a measurement; a change asks for another frame, so the
/// layout settles on the next one.
fn settle(slot: &mut Option<f32>, measured: f32, ui: &Ui) {
    if slot.is_none_or(|old| (old - measured).abs() > 0.5) {
        *slot = Some(measured);
        ui.ctx().request_repaint();
    }
}

/// The text being typed when `id` is being renamed.
fn rename_of<'a>(renaming: &'a mut Option<(String, String)>, id: &str) -> Option<&'a mut String> {
    match renaming {
        Some((r, text)) if r == id => Some(text),
        _ => None,
    }
}

/// The master strip, in its own panel at the right.
pub fn master_panel(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut ConsoleState,
    cx: &mut StripContext,
    out: &mut Vec<Action>,
) {
    let Some(m) = s
        .channels
        .iter()
        .position(|c| c.kind == ChannelKind::Master)
    else {
        return;
    };
    // The width left beside the panels already placed (a lesson's panel).
    let section = state.shows_master_section(ui.available_width());
    state.section_shown = section;
    let side = if section {
        SECTION_WIDTH
    } else {
        SECTION_TAB_WIDTH
    };
    egui::Panel::right("master")
        .resizable(false)
        .exact_size(STRIP_WIDTH + side + 36.0)
        .show(ui, |ui| {
            // The same fader height and top as the channel strips, so the
            // master's fader sits level with theirs.
            let available = ui.available_height() - SCROLLBAR;
            ui.horizontal_top(|ui| {
                egui::ScrollArea::vertical()
                    .id_salt("master strip")
                    .max_width(STRIP_WIDTH + 14.0)
                    .show(ui, |ui| {
                        cx.layout.fader_height = state
                            .channel_fader
                            .unwrap_or_else(|| fader_height(available, state.fixed));
                        cx.layout.fader_top = state.fader_offset;
                        let rename = rename_of(&mut state.renaming, &s.channels[m].id);
                        channel_strip(ui, s, m, meters, rename, cx, out);
                        cx.layout.fader_top = None;
                    });
                if section {
                    egui::ScrollArea::vertical()
                        .id_salt("master section")
                        .max_width(SECTION_WIDTH + 14.0)
                        .show(ui, |ui| {
                            ui.vertical(|ui| master_section(ui, s, meters, cx, out))
                        });
                } else {
                    section_tab(ui, out);
                }
            });
        });
}

/// Every strip but the master's, scrolling sideways (and down, when even
/// the shortest faders don't fit).
pub fn strips(
    ui: &mut Ui,
    s: &Session,
    meters: &MeterView,
    state: &mut ConsoleState,
    cx: &mut StripContext,
    out: &mut Vec<Action>,
) {
    let available = ui.available_height() - SCROLLBAR;
    cx.layout = StripLayout {
        fader_height: fader_height(available, state.fixed),
        ..cx.layout
    };
    settle(&mut state.channel_fader, cx.layout.fader_height, ui);
    egui::ScrollArea::both()
        .id_salt("strips")
        .auto_shrink(false)
        .show_viewport(ui, |ui, visible| {
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
    let mut fixed: Option<f32> = None;
    for k in 0..count {
        let in_view = match state.strip_size {
            Some(size) => x + size.x >= visible.min.x - size.x && x <= visible.max.x + size.x,
            None => true,
        };
        if in_view {
            match channels.get(k) {
                Some(&i) => {
                    let rename = rename_of(&mut state.renaming, &s.channels[i].id);
                    let r = channel_strip(ui, s, i, meters, rename, cx, out);
                    super::marks_ui::strip_marks(ui, s, &s.channels[i].id, r.strip);
                    let f = r.strip.height() - r.fader.height();
                    fixed = Some(fixed.map_or(f, |g| g.max(f)));
                    settle(&mut state.fader_offset, r.fader_offset, ui);
                    // Every channel strip has the same size; off-screen
                    // strips keep that place.
                    state.strip_size = Some(r.strip.size());
                }
                None => {
                    let vca = &s.vcas[k - channels.len()];
                    let r = vca_strip(ui, s, vca, &cx.layout, state.fader_offset, out);
                    super::marks_ui::strip_marks(ui, s, &vca.id, r);
                    state.strip_size.get_or_insert(r.size());
                }
            }
        } else if let Some(size) = state.strip_size {
            ui.allocate_space(size);
        }
        x += state.strip_size.map_or(0.0, |s| s.x) + gap;
    }
    if let Some(f) = fixed {
        settle(&mut state.fixed, f, ui);
    }
}
