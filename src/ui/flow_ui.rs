//! "Where does this sound go?" — the session as a left-to-right graph.
//!
//! ```text
//!  ┌──────┐ -5.0 dB  ┌───────┐          ┌────────┐
//!  │ Kick │─────────►│ Drums │─────────►│ Master │
//!  └──────┘ post     └───────┘   ┌─────►└────────┘
//!  ┌ VCA ┐ · ─ ─ ─ ─►┌───────┐   │
//!  └─────┘ ·(control)│ Verb  │───┘   solid = output (moves the signal)
//!                    └───────┘       dashed = send (copies it), dotted = VCA
//! ```
//! Knows nothing about auxbus types: the page adapts its session into a
//! [`FlowGraph`] each frame (labels, live levels, shares, lit taps, a
//! refused loop, a routing preview are all in it). The layout is cached in
//! [`FlowState`] and only recomputed when the structure (ids, kinds, edges)
//! changes, so live levels and gains cost nothing but painting. Labels are
//! placed so that none overlaps another or a box; the hover of an edge says
//! what its label would. Requests no repaints: the app's meter cadence
//! drives it.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use egui::{
    Align2, Color32, FontId, Pos2, Rect, Response, Role, ScrollArea, Sense, Shape, Stroke, Ui,
    Vec2, WidgetInfo, pos2, vec2,
};

use super::flow_edges_ui::{
    EdgeLook, LabelWant, VCA_LINK, anchors_along, curve, distance_to, level_norm, paint_control,
    paint_edge, paint_ghost, place_labels,
};
pub use super::flow_layout::{
    EdgeKind, FlowEdge, FlowGraph, FlowNode, FlowOverlay, NodeKind, highlight, layout,
};
use super::flow_layout::{Placement, control_edges, place, resolved_edges};
use super::flow_nodes_ui::{edge_hover, node_hover, paint_node};
pub use super::flow_nodes_ui::{edge_label, kind_colour};
use super::widgets::{DRY_COLOUR, PARALLEL_COLOUR, WET_COLOUR};
use crate::graph::{Loop, Moving, Preview};

const COL_W: f32 = 200.0;
const ROW_H: f32 = 56.0;
const BOX: Vec2 = vec2(124.0, 40.0);
const MARGIN: f32 = 16.0;
/// Vertical distance between the ports of one box side; small enough that
/// three sends and an output fit on a 40 px box.
const PORT_STEP: f32 = 12.0;
const LABEL_FONT: f32 = 9.5;

/// The flow page's state: the selection and the cached layout, and what
/// the page turns into overlays (the reducer sets `moving` and `refused`;
/// the page sets `preview` while a routing choice is hovered).
#[derive(Clone, Debug, Default)]
pub struct FlowState {
    pub selected: Option<String>,
    /// A fader or VCA being moved: its post-fader taps light up.
    pub moving: Option<Moving>,
    /// The routing loop the session last refused, drawn until dismissed.
    pub refused: Option<Loop>,
    /// What a hovered routing choice would do.
    pub preview: Option<Preview>,
    cache: Option<(u64, Placement)>,
    labels: Vec<(usize, Rect)>,
}

impl FlowState {
    /// Where last frame's edge labels went (edge index, rect): no two
    /// overlap, and none overlaps a box.
    pub fn label_rects(&self) -> &[(usize, Rect)] {
        &self.labels
    }
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
    let mut labels = Vec::new();
    let response = ScrollArea::both()
        .id_salt("flow_view")
        .auto_shrink(false)
        .show(ui, |ui| {
            let cx = Canvas {
                graph,
                place: &place,
                lit: lit.as_ref(),
            };
            cx.draw(ui, &mut state.selected, &mut labels)
        })
        .inner;
    state.labels = labels;
    state.cache = Some((key, place));
    response
}

/// One line above the canvas: the line styles, and what the selection shows.
fn legend(ui: &mut Ui, graph: &FlowGraph, selected: Option<&str>, lit: Option<&Lit>) {
    ui.horizontal_wrapped(|ui| {
        let colour = ui.visuals().text_color();
        let kinds = [
            (0, "output (moves)"),
            (1, "send (copies)"),
            (2, "VCA (control, no audio)"),
        ];
        for (style, text) in kinds {
            let (rect, _) = ui.allocate_exact_size(vec2(26.0, 12.0), Sense::hover());
            let line = [rect.left_center(), rect.right_center()];
            let stroke = Stroke::new(2.0, colour);
            match style {
                0 => {
                    ui.painter().line_segment(line, stroke);
                }
                1 => {
                    ui.painter()
                        .extend(Shape::dashed_line(&line, stroke, 5.0, 3.0));
                }
                _ => {
                    ui.painter()
                        .extend(Shape::dotted_line(&line, VCA_LINK, 5.0, 1.5));
                }
            }
            ui.small(text);
        }
        for (c, text) in [
            (DRY_COLOUR, "dry"),
            (WET_COLOUR, "wet"),
            (PARALLEL_COLOUR, "parallel"),
        ] {
            ui.small(egui::RichText::new(format!("■ {text}")).color(c));
        }
        ui.separator();
        let node = selected.and_then(|id| graph.nodes.iter().find(|n| n.id == id));
        match (node, lit) {
            (Some(n), _) if matches!(n.kind, NodeKind::Master | NodeKind::HwOut) => {
                ui.small(format!("showing what feeds {}", n.name));
            }
            (Some(n), _) if n.kind == NodeKind::Vca => {
                ui.small(format!("showing what {} controls", n.name));
            }
            (Some(n), Some((nodes, _))) if nodes.len() <= 1 => {
                let warn = ui.visuals().warn_fg_color;
                ui.colored_label(
                    warn,
                    format!("{} has no route to master: it is silent", n.name),
                );
            }
            (Some(n), _) => {
                ui.small(format!(
                    "showing where {} goes · Σ = its combined gain up to there",
                    n.name
                ));
            }
            _ => {
                ui.small("click a node to see where its sound goes");
            }
        };
    });
}

type Lit = (HashSet<String>, Vec<usize>);

/// What one frame of the canvas draws from.
struct Canvas<'a> {
    graph: &'a FlowGraph,
    place: &'a Placement,
    lit: Option<&'a Lit>,
}

/// An audio edge's line, resolved to screen points.
struct Line {
    edge: usize,
    a: usize,
    path: Vec<Pos2>,
    tip: Pos2,
}

impl Canvas<'_> {
    fn draw(
        &self,
        ui: &mut Ui,
        selected: &mut Option<String>,
        labels: &mut Vec<(usize, Rect)>,
    ) -> Response {
        let (graph, place) = (self.graph, self.place);
        let cells = &place.cells;
        let lane_cells = place.lanes.values().flatten();
        let (cols, rows) = cells
            .values()
            .chain(lane_cells)
            .fold((0, 0), |(c, r), &(col, row)| {
                (c.max(col + 1), r.max(row + 1))
            });
        // The canvas is as big as the layout (so the scroll area can reach
        // every node) and at least the viewport (so empty space anywhere
        // clears); room above for a loop drawn over the top.
        let want = vec2(
            2.0 * MARGIN + cols.saturating_sub(1) as f32 * COL_W + BOX.x,
            2.0 * MARGIN + rows.saturating_sub(1) as f32 * ROW_H + BOX.y + 20.0,
        );
        let (area, mut response) =
            ui.allocate_exact_size(want.max(ui.available_size()), Sense::click());
        response.widget_info(|| WidgetInfo::labeled(Role::Canvas, ui.is_enabled(), "routing flow"));
        let origin = area.min + vec2(0.0, 20.0);
        let cell_rect = |(c, r): (usize, usize)| {
            let min = origin + vec2(MARGIN + c as f32 * COL_W, MARGIN + r as f32 * ROW_H);
            Rect::from_min_size(min, BOX)
        };
        let rects: Vec<Rect> = graph
            .nodes
            .iter()
            .map(|n| cell_rect(cells.get(&n.id).copied().unwrap_or_default()))
            .collect();
        let lines = self.lines(&rects, &cell_rect);
        let painter = ui.painter_at(area);
        let clip = ui.clip_rect();
        let lit_edges: HashSet<usize> = self
            .lit
            .map(|l| l.1.iter().copied().collect())
            .unwrap_or_default();
        let overlay = &graph.overlay;
        let looped = |a: &str, b: &str| overlay.loop_ids.windows(2).any(|w| w[0] == a && w[1] == b);
        let mut wants = Vec::new();
        let mut wanted_edges = Vec::new();
        for l in &lines {
            if !Rect::from_points(&l.path).expand(8.0).intersects(clip) {
                continue; // off screen: a 70-node session stays cheap to scroll
            }
            let edge = &graph.edges[l.edge];
            let on = self.lit.is_none() || lit_edges.contains(&l.edge);
            let look = EdgeLook {
                colour: kind_colour(graph.nodes[l.a].kind),
                on,
                closed: overlay.closed.contains(&l.edge),
                looped: looped(&edge.from, &edge.to),
            };
            paint_edge(&painter, edge, l.path.clone(), l.tip, &look);
            let text = edge.label.clone().unwrap_or_else(|| edge_label(edge));
            let size = painter
                .layout_no_wrap(text, FontId::proportional(LABEL_FONT), Color32::WHITE)
                .size()
                + vec2(4.0, 2.0);
            let priority = f32::from(u8::from(edge.lit)) * 4.0
                + f32::from(u8::from(on && self.lit.is_some())) * 2.0
                + level_norm(edge.level_db);
            wants.push(LabelWant {
                size,
                anchors: anchors_along(&l.path, &[0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]),
                priority,
            });
            wanted_edges.push((l.edge, on));
        }
        for (a, b, e) in control_edges(graph) {
            let on = self.lit.is_none() || lit_edges.contains(&e);
            paint_control(&painter, rects[a], rects[b], on);
        }
        self.ghosts(&painter, &rects);
        // Nodes: interactive, painted over the lines.
        let mut clicked = None;
        let mut over_node = false;
        for (i, node) in graph.nodes.iter().enumerate() {
            let rect = rects[i];
            let label = format!("{} node", node.name);
            let is_selected = selected.as_deref() == Some(node.id.as_str());
            let r = ui.interact(rect, response.id.with(("node", &node.id)), Sense::click());
            r.widget_info(|| WidgetInfo::selected(Role::Button, true, is_selected, &label));
            if r.clicked() {
                clicked = Some(node.id.clone());
            }
            over_node |= r.hovered();
            if ui.is_rect_visible(rect) {
                let faded = self.lit.is_some_and(|(nodes, _)| !nodes.contains(&node.id));
                paint_node(&painter, node, rect, is_selected, r.hovered(), faded);
            }
            r.on_hover_text(node_hover(node));
        }
        // Labels last, where none overlaps another or a box.
        let placed = place_labels(&wants, &rects);
        for ((edge, on), spot) in wanted_edges.iter().zip(placed) {
            let Some(at) = spot else { continue };
            let e = &graph.edges[*edge];
            let text_colour = if *on {
                ui.visuals().text_color()
            } else {
                ui.visuals().weak_text_color().gamma_multiply(0.4)
            };
            let text = e.label.clone().unwrap_or_else(|| edge_label(e));
            let bg = ui.visuals().extreme_bg_color.gamma_multiply(0.85);
            painter.rect_filled(at, 2.0, bg);
            painter.text(
                at.center(),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(LABEL_FONT),
                text_colour,
            );
            labels.push((*edge, at));
        }
        // The hover of the canvas: the edge under the pointer, in words.
        let pointer = ui.input(|i| i.pointer.hover_pos());
        let near = pointer.filter(|_| !over_node).and_then(|p| {
            lines
                .iter()
                .map(|l| (distance_to(&l.path, p), l.edge))
                .filter(|(d, _)| *d < 6.0)
                .min_by(|x, y| x.0.total_cmp(&y.0))
        });
        let hint = match near {
            Some((_, e)) => edge_hover(&graph.edges[e], graph),
            None => "The routing as a graph: click a box to see every path from it (Σ: its \
                     combined gain up to there); click empty space to clear. Solid lines move \
                     the signal, dashed ones copy it, dotted ones are VCAs; thicker is louder."
                .to_owned(),
        };
        let before = selected.clone();
        if clicked.is_some() {
            *selected = clicked;
        } else if response.clicked() {
            *selected = None;
        }
        if *selected != before {
            response.mark_changed();
        }
        response.on_hover_text_at_pointer(hint)
    }

    /// Every audio edge's line: through its lane cells (straight across
    /// each), curving between; each edge leaves and enters at its own port
    /// height, ordered by where it heads next, so fan-outs do not cross.
    fn lines(&self, rects: &[Rect], cell_rect: &dyn Fn((usize, usize)) -> Rect) -> Vec<Line> {
        let graph = self.graph;
        let edges = resolved_edges(graph);
        let lane = |e: usize| self.place.lanes.get(&e).map_or(&[][..], Vec::as_slice);
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
        edges
            .iter()
            .map(|&(a, b, e)| {
                let p0 = pos2(rects[a].right(), out_y[&e]);
                let tip = pos2(rects[b].left(), in_y[&e]);
                let mut path = Vec::new();
                let mut at = p0;
                for &cell in lane(e) {
                    let r = cell_rect(cell);
                    curve(at, r.left_center(), &mut path);
                    at = r.right_center();
                }
                curve(at, tip, &mut path);
                Line {
                    edge: e,
                    a,
                    path,
                    tip,
                }
            })
            .collect()
    }

    /// A refused loop's missing step and a preview's new routes.
    fn ghosts(&self, painter: &egui::Painter, rects: &[Rect]) {
        let graph = self.graph;
        let index = |id: &str| graph.nodes.iter().position(|n| n.id == id);
        let has = |a: &str, b: &str| graph.edges.iter().any(|e| e.from == a && e.to == b);
        for w in graph.overlay.loop_ids.windows(2) {
            if !has(&w[0], &w[1])
                && let (Some(a), Some(b)) = (index(&w[0]), index(&w[1]))
            {
                paint_ghost(painter, rects[a], rects[b], true);
            }
        }
        for e in &graph.overlay.added {
            if let (Some(a), Some(b)) = (index(&e.from), index(&e.to)) {
                paint_ghost(painter, rects[a], rects[b], false);
            }
        }
    }
}
