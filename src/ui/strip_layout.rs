//! What every strip of a frame shares: the sizes that keep rows lined up
//! across strips, what each strip needs to know about the whole session,
//! and the frame and fixed-height rows strips are built from.

use egui::{Color32, Sense, Ui, vec2};

use super::theme::{NARROW_WIDTH, STRIP_WIDTH};
use crate::session::{Channel, Session, hw_output_pair};

/// Sizes every strip of the frame shares, so rows line up across strips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StripLayout {
    /// Narrow strips for big sessions: no fader scale, short labels.
    pub narrow: bool,
    pub width: f32,
    pub fader_height: f32,
    /// Insert rows: the most inserts on any channel, plus the row that adds one.
    pub insert_rows: usize,
    /// Send rows: the most sends on any channel (then one row to add one).
    pub send_rows: usize,
    /// Where channel faders start below the top of a strip's contents; the
    /// master lines its fader up with them.
    pub fader_top: Option<f32>,
}

impl StripLayout {
    pub fn new(s: &Session, narrow: bool, fader_height: f32) -> Self {
        let most = |f: fn(&Channel) -> usize| s.channels.iter().map(f).max().unwrap_or(0);
        StripLayout {
            narrow,
            width: if narrow { NARROW_WIDTH } else { STRIP_WIDTH },
            fader_height,
            insert_rows: 1 + most(|c| c.inserts.len()),
            send_rows: most(|c| c.sends.len()),
            fader_top: None,
        }
    }
}

/// What a strip needs to know about the whole session, computed once per
/// frame (solo mutes follow the routing graph: per strip it would be O(n²)).
pub struct StripContext {
    pub solo_muted: Vec<bool>,
    pub offline: Vec<String>,
    /// Tracks whose source is mono (their pan is a pan; stereo signals get
    /// a balance control).
    pub mono: Vec<String>,
    /// Device output pairs beyond the master's that can be chosen (1 = 3–4).
    pub device_pairs: usize,
    pub layout: StripLayout,
    /// What the speakers play (the master strip's monitor section).
    pub monitoring: crate::live::Monitoring,
}

impl StripContext {
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
                let (bar, _) = ui.allocate_exact_size(vec2(width, 4.0), Sense::hover());
                ui.painter().rect_filled(bar, 2.0, colour);
                add(ui);
            });
        })
        .response
        .rect
}

/// A row of exactly `height`, whatever its content, so rows line up.
pub fn row(ui: &mut Ui, height: f32, add: impl FnOnce(&mut Ui)) {
    let width = ui.available_width();
    ui.allocate_ui_with_layout(
        vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_size(vec2(width, height));
            ui.set_max_height(height);
            add(ui);
        },
    );
}

/// Where an output goes, in words: a channel's name or "Outputs 3–4".
pub fn output_label(s: &Session, output: Option<&str>) -> String {
    match output {
        None => "none".to_owned(),
        Some(o) => match hw_output_pair(o) {
            Some(p) => format!("Outputs {}–{}", 2 * p + 1, 2 * p + 2),
            None => s
                .channel(o)
                .map_or(o.to_owned(), |t| t.display_name().to_owned()),
        },
    }
}
