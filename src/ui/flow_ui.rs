//! "Where does this sound go?" — the session as a left-to-right graph.
//!
//! ```text
//!  ┌──────┐ -3.0 dB  ┌───────┐          ┌────────┐
//!  │ Kick │─────────►│ Drums │─────────►│ Master │
//!  └──────┘ post     └───────┘   ┌─────►└────────┘
//!      └ ─ ─ ─ ─ ─ ─►┌───────┐   │
//!                    │ Verb  │───┘   solid = output (moves the signal)
//!                    └───────┘       dashed = send (copies it)
//! ```
//! Knows nothing about auxbus types: the app adapts its session into a
//! [`FlowGraph`] each frame. The layout is cached in [`FlowState`] and only
//! recomputed when the structure (ids, kinds, edges) changes, so live
//! levels and gains cost nothing but painting. Requests no repaints: the
//! app's meter cadence drives it.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use egui::epaint::CubicBezierShape;
use egui::text::{LayoutJob, TextWrapping};
use egui::{
    Align2, Color32, FontId, Pos2, Rect, Response, Role, ScrollArea, Sense, Shape, Stroke,
    StrokeKind, Ui, Vec2, WidgetInfo, pos2, vec2,
};

pub use super::flow_layout::{
    EdgeKind, FlowEdge, FlowGraph, FlowNode, NodeKind, highlight, layout,
};
use super::flow_layout::{Placement, place, resolved_edges};

const COL_W: f32 = 200.0;
const ROW_H: f32 = 56.0;
const BOX: Vec2 = vec2(124.0, 40.0);
const MARGIN: f32 = 16.0;
/// Vertical distance between the ports of one box side; small enough that
/// three sends and an output fit on a 40 px box.
const PORT_STEP: f32 = 12.0;

/// Selection plus the cached layout.
#[derive(Clone, Debug, Default)]
pub struct FlowState {
    pub selected: Option<String>,
    cache: Option<(u64, Placement)>,
}

/// Fill colour of a node by what it is.
pub fn kind_colour(kind: NodeKind) -> Color32 {
    match kind {
        NodeKind::Track => Color32::from_rgb(70, 130, 200),
        NodeKind::Bus => Color32::from_rgb(210, 140, 50),
        NodeKind::Aux => Color32::from_rgb(60, 170, 120),
        NodeKind::Master => Color32::from_rgb(190, 70, 70),
        NodeKind::HwOut => Color32::from_rgb(120, 120, 120),
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
        EdgeKind::Output => gain,
        EdgeKind::Send { pre_fader: true } => format!("pre {gain}"),
        EdgeKind::Send { pre_fader: false } => format!("post {gain}"),
    }
}

/// -60..0 dB → 0..1; silence is 0.
fn level_norm(level_db: Option<f32>) -> f32 {
    level_db.map_or(0.0, |d| ((d + 60.0) / 60.0).clamp(0.0, 1.0))
}

/// Layout depends only on structure, not on levels or gains.
fn structure_key(graph: &FlowGraph) -> u64 {
    let mut h = DefaultHasher::new();
    for n in &graph.nodes {
        (&n.id, n.kind).hash(&mut h);
    }
    for e in &graph.edges {
        (&e.from, &e.to, e.kind).hash(&mut h);
    }
    h.finish()
}

/// Draws the graph; clicking a node selects it, clicking empty space clears
/// the selection. Returns the canvas response (`changed()` when the
/// selection changed).
pub fn flow_view(ui: &mut Ui, graph: &FlowGraph, state: &mut FlowState) -> Response {
    let key = structure_key(graph);
    let place = match state.cache.take() {
        Some((k, place)) if k == key => place,
        _ => place(graph),
    };
    if let Some(sel) = &state.selected
        && !graph.nodes.iter().any(|n| &n.id == sel)
    {
        state.selected = None; // the node was deleted
    }
    let lit = state.selected.as_deref().map(|id| highlight(graph, id));
    legend(ui, graph, state.selected.as_deref(), lit.as_ref());
    let response = ScrollArea::both()
        .id_salt("flow_view")
        .auto_shrink(false)
        .show(ui, |ui| {
            canvas(ui, graph, &place, lit.as_ref(), &mut state.selected)
        })
        .inner;
    state.cache = Some((key, place));
    response
}

/// One line above the canvas: the line styles, and what the selection shows.
fn legend(ui: &mut Ui, graph: &FlowGraph, selected: Option<&str>, lit: Option<&Lit>) {
    ui.horizontal(|ui| {
        let colour = ui.visuals().text_color();
        for (dashed, text) in [(false, "output (moves)"), (true, "send (copies)")] {
            let (rect, _) = ui.allocate_exact_size(vec2(26.0, 12.0), Sense::hover());
            let line = [rect.left_center(), rect.right_center()];
            let stroke = Stroke::new(2.0, colour);
            if dashed {
                ui.painter()
                    .extend(Shape::dashed_line(&line, stroke, 5.0, 3.0));
            } else {
                ui.painter().line_segment(line, stroke);
            }
            ui.small(text);
        }
        ui.separator();
        let node = selected.and_then(|id| graph.nodes.iter().find(|n| n.id == id));
        match (node, lit) {
            (Some(n), _) if matches!(n.kind, NodeKind::Master | NodeKind::HwOut) => {
                ui.small(format!("showing what feeds {}", n.name));
            }
            (Some(n), Some((nodes, _))) if nodes.len() <= 1 => {
                let warn = ui.visuals().warn_fg_color;
                ui.colored_label(
                    warn,
                    format!("{} has no route to master: it is silent", n.name),
                );
            }
            (Some(n), _) => {
                ui.small(format!("showing where {} goes", n.name));
            }
            _ => {
                ui.small("click a node to see where its sound goes");
            }
        };
    });
}

type Lit = (HashSet<String>, Vec<usize>);

fn canvas(
    ui: &mut Ui,
    graph: &FlowGraph,
    place: &Placement,
    lit: Option<&Lit>,
    selected: &mut Option<String>,
) -> Response {
    let cells = &place.cells;
    let lane_cells = place.lanes.values().flatten();
    let (cols, rows) = cells
        .values()
        .chain(lane_cells)
        .fold((0, 0), |(c, r), &(col, row)| {
            (c.max(col + 1), r.max(row + 1))
        });
    // The canvas is as big as the layout (so the scroll area can reach every
    // node) and at least the viewport (so empty space anywhere clears).
    let want = vec2(
        2.0 * MARGIN + cols.saturating_sub(1) as f32 * COL_W + BOX.x,
        2.0 * MARGIN + rows.saturating_sub(1) as f32 * ROW_H + BOX.y,
    );
    let (area, mut response) =
        ui.allocate_exact_size(want.max(ui.available_size()), Sense::click());
    response.widget_info(|| WidgetInfo::labeled(Role::Canvas, ui.is_enabled(), "routing flow"));

    let cell_rect = |(c, r): (usize, usize)| {
        let min = area.min + vec2(MARGIN + c as f32 * COL_W, MARGIN + r as f32 * ROW_H);
        Rect::from_min_size(min, BOX)
    };
    let rects: Vec<Rect> = graph
        .nodes
        .iter()
        .map(|n| cell_rect(cells.get(&n.id).copied().unwrap_or_default()))
        .collect();
    let edges = resolved_edges(graph);
    let lane = |e: usize| place.lanes.get(&e).map_or(&[][..], Vec::as_slice);
    let is_lit_node = |i: usize| lit.is_none_or(|(nodes, _)| nodes.contains(&graph.nodes[i].id));
    let lit_edges: HashSet<usize> = lit
        .map(|l| l.1.iter().copied().collect())
        .unwrap_or_default();

    // Ports: each edge leaves and enters at its own height, ordered by where
    // it heads next, so fan-outs do not cross right at the box.
    let port_y = |i: usize, mut others: Vec<(f32, usize)>| -> HashMap<usize, f32> {
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let k = others.len();
        let step = if k > 1 {
            PORT_STEP.min((BOX.y - 10.0) / (k - 1) as f32)
        } else {
            0.0
        };
        let first = rects[i].center().y - step * (k.saturating_sub(1)) as f32 / 2.0;
        others
            .iter()
            .enumerate()
            .map(|(j, o)| (o.1, first + j as f32 * step))
            .collect()
    };
    let mut out_y = HashMap::new();
    let mut in_y = HashMap::new();
    for i in 0..graph.nodes.len() {
        let outs = edges.iter().filter(|e| e.0 == i).map(|&(_, b, e)| {
            let next = lane(e).first().map_or(rects[b], |&c| cell_rect(c));
            (next.center().y, e)
        });
        out_y.extend(port_y(i, outs.collect()));
        let ins = edges.iter().filter(|e| e.1 == i).map(|&(a, _, e)| {
            let prev = lane(e).last().map_or(rects[a], |&c| cell_rect(c));
            (prev.center().y, e)
        });
        in_y.extend(port_y(i, ins.collect()));
    }

    let painter = ui.painter_at(area);
    let clip = ui.clip_rect();
    let label_bg = ui.visuals().extreme_bg_color.gamma_multiply(0.8);
    for &(a, b, e) in &edges {
        let edge = &graph.edges[e];
        let p0 = pos2(rects[a].right(), out_y[&e]);
        let p3 = pos2(rects[b].left(), in_y[&e]);
        // Through its lane cells (straight across each), curving between.
        let mut path = Vec::new();
        let mut at = p0;
        for &cell in lane(e) {
            let r = cell_rect(cell);
            curve(at, r.left_center(), &mut path);
            at = r.right_center();
        }
        curve(at, p3, &mut path);
        if !Rect::from_points(&path).expand(8.0).intersects(clip) {
            continue; // off screen: a 70-node session stays cheap to scroll
        }
        let t = level_norm(edge.level_db);
        let on = lit.is_none() || lit_edges.contains(&e);
        // Silent edges stay visible; a highlighted path is bright regardless.
        let bright = if lit.is_some() && on {
            1.0
        } else {
            0.35 + 0.65 * t
        };
        let mut colour = kind_colour(graph.nodes[a].kind).gamma_multiply(bright);
        if !on {
            colour = colour.gamma_multiply(0.15);
        }
        let stroke = Stroke::new(1.0 + 3.0 * t, colour);
        if matches!(edge.kind, EdgeKind::Send { .. }) {
            // egui strokes have no dash pattern; cut the flattened curve.
            painter.extend(Shape::dashed_line(&path, stroke, 7.0, 4.0));
        } else {
            painter.add(Shape::line(path, stroke));
        }
        // Arrowhead: the direction matters more than the curve.
        painter.add(Shape::convex_polygon(
            vec![p3, p3 + vec2(-7.0, -4.0), p3 + vec2(-7.0, 4.0)],
            colour,
            Stroke::NONE,
        ));
        let text_colour = if on {
            ui.visuals().text_color()
        } else {
            ui.visuals().weak_text_color().gamma_multiply(0.4)
        };
        let galley =
            painter.layout_no_wrap(edge_label(edge), FontId::proportional(9.5), text_colour);
        let at = Align2::LEFT_BOTTOM.anchor_size(p0 + vec2(6.0, -1.0), galley.size());
        painter.rect_filled(at.expand(1.0), 2.0, label_bg);
        painter.galley(at.min, galley, text_colour);
    }

    let mut clicked = None;
    for (i, node) in graph.nodes.iter().enumerate() {
        let rect = rects[i];
        let label = format!("{} node", node.name);
        let is_selected = selected.as_deref() == Some(node.id.as_str());
        let r = ui.interact(rect, response.id.with(("node", &node.id)), Sense::click());
        r.widget_info(|| WidgetInfo::selected(Role::Button, true, is_selected, &label));
        if r.clicked() {
            clicked = Some(node.id.clone());
        }
        if ui.is_rect_visible(rect) {
            paint_node(
                &painter,
                node,
                rect,
                is_selected,
                r.hovered(),
                !is_lit_node(i),
            );
        }
        r.on_hover_ui(|ui| {
            ui.strong(&node.name);
            let level = node
                .level_db
                .map_or("silent".to_owned(), |d| format!("{d:.1} dB"));
            ui.label(format!(
                "{:?}, level {level}{}",
                node.kind,
                if node.muted { ", muted" } else { "" }
            ));
        });
    }

    let before = selected.clone();
    if clicked.is_some() {
        *selected = clicked;
    } else if response.clicked() {
        *selected = None;
    }
    if *selected != before {
        response.mark_changed();
    }
    response
}

/// Appends a left-to-right S-curve from `from` to `to` as a polyline.
fn curve(from: Pos2, to: Pos2, path: &mut Vec<Pos2>) {
    let dx = ((to.x - from.x) * 0.5).max(40.0);
    let points = [from, from + vec2(dx, 0.0), to - vec2(dx, 0.0), to];
    let bezier =
        CubicBezierShape::from_points_stroke(points, false, Color32::TRANSPARENT, Stroke::NONE);
    path.extend(bezier.flatten(Some(0.5)));
}

fn paint_node(
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
        pos2(rect.left() + 7.0, rect.bottom() - 10.0),
        pos2(rect.right() - 7.0, rect.bottom() - 6.0),
    );
    p.rect_filled(track, 1.0, Color32::from_black_alpha(110));
    let t = level_norm(node.level_db);
    if t > 0.0 {
        let bar_colour = match node.level_db.unwrap_or(-100.0) {
            d if d > -3.0 => Color32::from_rgb(230, 60, 50),
            d if d > -12.0 => Color32::from_rgb(230, 200, 60),
            _ => Color32::from_rgb(80, 210, 100),
        };
        let dim = if node.muted || faded { 0.4 } else { 1.0 };
        let bar = Rect::from_min_max(
            track.min,
            pos2(track.left() + track.width() * t, track.bottom()),
        );
        p.rect_filled(bar, 1.0, bar_colour.gamma_multiply(dim));
    }
}
