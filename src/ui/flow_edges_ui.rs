//! The flow view's lines: where each edge runs, how it is painted (live
//! level as thickness and brightness, a glow on send taps that follow a
//! moving fader, control links for VCAs, a refused loop and a routing
//! preview on top), and where its label goes so that no two labels — and
//! no label and a box — ever overlap. A label with no room is left out; the
//! edge's hover still says everything.
//!
//! ```text
//!  candidates along the curve:  ──●────●────●────●──►   (middle first)
//!  first one that hits no box and no label already placed wins
//! ```

use egui::epaint::CubicBezierShape;
use egui::{Color32, Painter, Pos2, Rect, Shape, Stroke, Vec2, vec2};

use super::flow_layout::{EdgeKind, FlowEdge};

/// Violet of VCAs, as on the console.
pub const VCA_LINK: Color32 = Color32::from_rgb(150, 100, 200);
const LOOP_RED: Color32 = Color32::from_rgb(235, 70, 60);
const ADDED_GREEN: Color32 = Color32::from_rgb(90, 220, 120);
const LIT_GLOW: Color32 = Color32::from_rgba_premultiplied(120, 110, 20, 120);

/// A label that wants a place: its size, where it may go (in order of
/// preference) and how much it matters (highest placed first).
#[derive(Debug, Clone)]
pub struct LabelWant {
    pub size: Vec2,
    pub anchors: Vec<Pos2>,
    pub priority: f32,
}

/// Places each label centred on the first of its anchors where it overlaps
/// no obstacle (the boxes) and no label placed before it; the most
/// important first. `None`: nowhere to go.
pub fn place_labels(wants: &[LabelWant], obstacles: &[Rect]) -> Vec<Option<Rect>> {
    let mut order: Vec<usize> = (0..wants.len()).collect();
    order.sort_by(|&a, &b| {
        wants[b]
            .priority
            .total_cmp(&wants[a].priority)
            .then(a.cmp(&b))
    });
    let mut placed: Vec<Rect> = Vec::new();
    let mut out = vec![None; wants.len()];
    for k in order {
        let w = &wants[k];
        let spot = w.anchors.iter().find_map(|&at| {
            let r = Rect::from_center_size(at, w.size);
            let room = r.expand(1.0);
            let free = !obstacles.iter().any(|o| o.intersects(room))
                && !placed.iter().any(|p| p.intersects(room));
            free.then_some(r)
        });
        if let Some(r) = spot {
            placed.push(r);
            out[k] = Some(r);
        }
    }
    out
}

/// Points along a polyline at `fractions` of its length, each also a few
/// pixels above and below (more places for a label to fit).
pub fn anchors_along(path: &[Pos2], fractions: &[f32]) -> Vec<Pos2> {
    let lengths: Vec<f32> = path.windows(2).map(|w| w[0].distance(w[1])).collect();
    let total: f32 = lengths.iter().sum();
    let mut out = Vec::new();
    for &f in fractions {
        let mut left = total * f;
        for (w, &len) in path.windows(2).zip(&lengths) {
            if left <= len && len > 0.0 {
                let p = w[0] + (w[1] - w[0]) * (left / len);
                out.extend([p, p + vec2(0.0, -9.0), p + vec2(0.0, 9.0)]);
                break;
            }
            left -= len;
        }
    }
    out
}

/// The shortest distance from `p` to the polyline `path`.
pub fn distance_to(path: &[Pos2], p: Pos2) -> f32 {
    path.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let ab = b - a;
            let t = if ab.length_sq() > 0.0 {
                ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
            } else {
                0.0
            };
            p.distance(a + ab * t)
        })
        .fold(f32::INFINITY, f32::min)
}

/// Appends a left-to-right S-curve from `from` to `to` as a polyline.
pub fn curve(from: Pos2, to: Pos2, path: &mut Vec<Pos2>) {
    let dx = ((to.x - from.x) * 0.5).max(40.0);
    let points = [from, from + vec2(dx, 0.0), to - vec2(dx, 0.0), to];
    let bezier =
        CubicBezierShape::from_points_stroke(points, false, Color32::TRANSPARENT, Stroke::NONE);
    path.extend(bezier.flatten(Some(0.5)));
}

/// -60..0 dB → 0..1; silence is 0.
pub fn level_norm(level_db: Option<f32>) -> f32 {
    level_db.map_or(0.0, |d| ((d + 60.0) / 60.0).clamp(0.0, 1.0))
}

/// How one audio edge is to be painted.
pub struct EdgeLook {
    pub colour: Color32,
    /// Part of the highlighted selection (or nothing is selected).
    pub on: bool,
    /// A hovered choice would close the path it is on.
    pub closed: bool,
    /// Round a refused loop.
    pub looped: bool,
}

/// Paints one audio edge along `path`, ending at `tip`.
pub fn paint_edge(p: &Painter, edge: &FlowEdge, path: Vec<Pos2>, tip: Pos2, look: &EdgeLook) {
    let t = level_norm(edge.level_db);
    let mut colour = look
        .colour
        .gamma_multiply(if look.on { 0.35 + 0.65 * t } else { 0.15 });
    if look.closed {
        colour = LOOP_RED.gamma_multiply(0.6);
    }
    if edge.lit {
        // A tap that follows the moving fader: a glow under the line.
        p.add(Shape::line(path.clone(), Stroke::new(10.0, LIT_GLOW)));
        colour = Color32::from_rgb(250, 230, 90);
    }
    if look.looped {
        p.add(Shape::line(
            path.clone(),
            Stroke::new(8.0, LOOP_RED.gamma_multiply(0.4)),
        ));
    }
    // Live level: the louder, the thicker.
    let stroke = Stroke::new(1.0 + 3.0 * t, colour);
    match edge.kind {
        EdgeKind::Send { .. } => p.extend(Shape::dashed_line(&path, stroke, 7.0, 4.0)),
        _ => {
            p.add(Shape::line(path, stroke));
        }
    }
    // Arrowhead: the direction matters more than the curve.
    arrow(p, tip, colour);
}

fn arrow(p: &Painter, tip: Pos2, colour: Color32) {
    p.add(Shape::convex_polygon(
        vec![tip, tip + vec2(-7.0, -4.0), tip + vec2(-7.0, 4.0)],
        colour,
        Stroke::NONE,
    ));
}

/// A VCA's control link to a member: dotted, violet, no arrow (no audio
/// goes along it), run through the margin left of the boxes so it never
/// crosses another box or an audio line.
pub fn paint_control(p: &Painter, from: Rect, to: Rect, on: bool) {
    let x = from.left().min(to.left()) - 8.0;
    let (a, b) = (from.left_center(), to.left_center());
    let path = [a, Pos2::new(x, a.y), Pos2::new(x, b.y), b];
    let colour = VCA_LINK.gamma_multiply(if on { 1.0 } else { 0.35 });
    p.extend(Shape::dotted_line(&path, colour, 5.0, 1.4));
}

/// A route a hovered choice would add, or the step a refused loop tried:
/// a straight dashed line with an arrow.
pub fn paint_ghost(p: &Painter, from: Rect, to: Rect, refused: bool) {
    let a = from.right_center();
    let b = to.left_center();
    let mut path = Vec::new();
    if b.x > a.x + 20.0 {
        curve(a, b, &mut path);
    } else {
        // Backwards (a loop closes to the left): over the top.
        let up = from.top().min(to.top()) - 18.0;
        path = vec![a, Pos2::new(a.x + 14.0, up), Pos2::new(b.x - 14.0, up), b];
    }
    let colour = if refused { LOOP_RED } else { ADDED_GREEN };
    p.extend(Shape::dashed_line(
        &path,
        Stroke::new(3.0, colour),
        9.0,
        5.0,
    ));
    arrow(p, b, colour);
}
