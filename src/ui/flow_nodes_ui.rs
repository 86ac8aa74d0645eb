//! The flow view's boxes and hovers: a node painted with its name, its
//! live level and the dry / wet / parallel split of what it sends to the
//! master; what a node or an edge is, in words.
//!
//! ```text
//!  ┌ Kick          trk ┐
//!  │ ▮▮▮▮▮▮▯▯▯▯▯▯▯▯▯▯  │  level
//!  └ ███████████▒▒▒░░ ┘  dry / wet / parallel
//! ```

use egui::text::{LayoutJob, TextWrapping};
use egui::{Align2, Color32, FontId, Rect, Stroke, StrokeKind, pos2, vec2};

use super::flow_edges_ui::{VCA_LINK, level_norm};
use super::flow_layout::{EdgeKind, FlowEdge, FlowGraph, FlowNode, NodeKind};
use super::widgets::{DRY_COLOUR, PARALLEL_COLOUR, WET_COLOUR};

/// Fill colour of a node by what it is.
pub fn kind_colour(kind: NodeKind) -> Color32 {
    match kind {
        NodeKind::Track => Color32::from_rgb(70, 130, 200),
        NodeKind::Bus => Color32::from_rgb(210, 140, 50),
        NodeKind::Aux => Color32::from_rgb(60, 170, 120),
        NodeKind::Master => Color32::from_rgb(190, 70, 70),
        NodeKind::HwOut => Color32::from_rgb(120, 120, 120),
        NodeKind::Vca => VCA_LINK,
    }
}

/// Text on an edge: `"-12.0 dB"`, `"+2.0 dB"`, `"-inf"`; sends get
/// `"pre "`/`"post "` in front so an accidental pre-fader send shows.
pub fn edge_label(edge: &FlowEdge) -> String {
    let gain = match edge.gain_db {
        Some(d) if d.is_finite() && d > -144.0 => {
            let d = (d * 10.0).round() / 10.0;
            if d > 0.0 {
                format!("+{d:.1} dB")
            } else {
                format!("{:.1} dB", d + 0.0) // + 0.0 turns -0.0 into 0.0
            }
        }
        _ => "-inf".to_owned(),
    };
    match edge.kind {
        EdgeKind::Output | EdgeKind::Control => gain,
        EdgeKind::Send { pre_fader: true } => format!("pre {gain}"),
        EdgeKind::Send { pre_fader: false } => format!("post {gain}"),
    }
}

/// A node's hover: what it is, its level and its balance.
pub(super) fn node_hover(node: &FlowNode) -> String {
    let level = node
        .level_db
        .map_or("silent".to_owned(), |d| format!("{d:.1} dB"));
    let mut text = if node.note.is_empty() {
        format!("{}: {:?}", node.name, node.kind)
    } else {
        node.note.clone()
    };
    if node.kind != NodeKind::Vca {
        text.push_str(&format!(
            "\nlevel {level}{}",
            if node.muted { ", muted" } else { "" }
        ));
    }
    text.push_str("\nclick: show every path from it");
    text
}

/// An edge's hover: its note, or what it is.
pub(super) fn edge_hover(e: &FlowEdge, graph: &FlowGraph) -> String {
    let name = |id: &str| {
        graph
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map_or(id.to_owned(), |n| n.name.clone())
    };
    let what = match e.kind {
        EdgeKind::Output => "output: moves the signal",
        EdgeKind::Send { pre_fader: true } => "pre-fader send: a copy the fader does not change",
        EdgeKind::Send { pre_fader: false } => "post-fader send: a copy that follows the fader",
        EdgeKind::Control => "VCA control: scales the member's fader, carries no audio",
    };
    let level = e
        .level_db
        .map_or("nothing right now".to_owned(), |d| format!("{d:.1} dB"));
    let mut text = format!(
        "{} ➡ {}: {what}\nlabel: {}\nlive level: {level}",
        name(&e.from),
        name(&e.to),
        e.label.clone().unwrap_or_else(|| edge_label(e))
    );
    if !e.note.is_empty() {
        text.push('\n');
        text.push_str(&e.note);
    }
    text
}

pub(super) fn paint_node(
    p: &egui::Painter,
    node: &FlowNode,
    rect: Rect,
    selected: bool,
    hovered: bool,
    faded: bool,
) {
    let mut fill = kind_colour(node.kind);
    let mut text = Color32::WHITE;
    if node.muted {
        fill = fill.gamma_multiply(0.4);
        text = text.gamma_multiply(0.6);
    }
    if faded {
        fill = fill.gamma_multiply(0.25);
        text = text.gamma_multiply(0.35);
    }
    p.rect_filled(rect, 6.0, fill);
    let outline = match (selected, hovered) {
        (true, _) => Stroke::new(2.5, Color32::WHITE),
        (false, true) => Stroke::new(1.0, Color32::from_gray(220)),
        _ => Stroke::new(1.0, Color32::from_black_alpha(90)),
    };
    p.rect_stroke(rect, 6.0, outline, StrokeKind::Inside);

    // Name, truncated to the box so long names never spill onto edges.
    let mut job = LayoutJob::simple_singleline(node.name.clone(), FontId::proportional(13.0), text);
    job.wrap = TextWrapping::truncate_at_width(rect.width() - 26.0);
    p.galley(rect.min + vec2(7.0, 5.0), p.layout_job(job), text);
    let tag = match (node.muted, node.kind) {
        (true, _) => "M",
        (_, NodeKind::Track) => "trk",
        (_, NodeKind::Bus) => "bus",
        (_, NodeKind::Aux) => "aux",
        (_, NodeKind::Master) => "mst",
        (_, NodeKind::HwOut) => "out",
        (_, NodeKind::Vca) => "vca",
    };
    p.text(
        rect.right_top() + vec2(-5.0, 5.0),
        Align2::RIGHT_TOP,
        tag,
        FontId::proportional(9.0),
        text,
    );

    // Level bar: green, yellow above -12 dB, red above -3 dB.
    let track = Rect::from_min_max(
        pos2(rect.left() + 7.0, rect.bottom() - 12.0),
        pos2(rect.right() - 7.0, rect.bottom() - 8.0),
    );
    p.rect_filled(track, 1.0, Color32::from_black_alpha(110));
    let dim = if node.muted || faded { 0.4 } else { 1.0 };
    let t = level_norm(node.level_db);
    if t > 0.0 {
        let bar_colour = match node.level_db.unwrap_or(-100.0) {
            d if d > -3.0 => Color32::from_rgb(230, 60, 50),
            d if d > -12.0 => Color32::from_rgb(230, 200, 60),
            _ => Color32::from_rgb(80, 210, 100),
        };
        let bar = Rect::from_min_max(
            track.min,
            pos2(track.left() + track.width() * t, track.bottom()),
        );
        p.rect_filled(bar, 1.0, bar_colour.gamma_multiply(dim));
    }
    // What it sends to the master, split dry / wet / parallel.
    if let Some(shares) = node.shares {
        let strip = Rect::from_min_max(
            pos2(rect.left() + 7.0, rect.bottom() - 6.0),
            pos2(rect.right() - 7.0, rect.bottom() - 3.0),
        );
        let mut x = strip.left();
        for (share, colour) in shares.iter().zip([DRY_COLOUR, WET_COLOUR, PARALLEL_COLOUR]) {
            let w = strip.width() * share.clamp(0.0, 1.0);
            let part = Rect::from_min_max(pos2(x, strip.top()), pos2(x + w, strip.bottom()));
            p.rect_filled(part, 0.0, colour.gamma_multiply(dim));
            x += w;
        }
    }
}
