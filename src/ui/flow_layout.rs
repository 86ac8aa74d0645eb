//! The plain data of the flow view and the pure parts of it: where each node
//! sits ([`layout`]) and which paths light up when one is selected
//! ([`highlight`]). No egui here, so both are tested without a UI.
//!
//! ```text
//!  column:  0          1            2
//!         Kick  ──►  Drums  ──►  Master   row by barycentre of neighbours
//!         Snare ──►    │           ▲
//!         Vox   ─ ─►  Verb  ───────┘      (dashed = send, a copy)
//! ```

use std::collections::{HashMap, HashSet, VecDeque};

/// What a node is; decides its colour and its column constraints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NodeKind {
    #[default]
    Track,
    Bus,
    Aux,
    Master,
    HwOut,
    /// A VCA: carries no audio, scales its members (drawn apart, with
    /// control links instead of audio edges).
    Vca,
}

#[derive(Clone, Debug, Default)]
pub struct FlowNode {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    /// Live output level; `None` = silent.
    pub level_db: Option<f32>,
    pub muted: bool,
    /// Live shares of what it sends to the master: dry, wet, parallel.
    pub shares: Option<[f32; 3]>,
    /// What the node is and does, for its hover.
    pub note: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The channel's main output: moves the signal (drawn solid).
    #[default]
    Output,
    /// A send: copies the signal (drawn dashed).
    Send { pre_fader: bool },
    /// A VCA scaling a member: control, not audio (drawn dotted, no arrow).
    Control,
}

#[derive(Clone, Debug, Default)]
pub struct FlowEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// Gain of the output or send; `None` = -inf.
    pub gain_db: Option<f32>,
    /// Live signal level on the edge (thickness/brightness).
    pub level_db: Option<f32>,
    /// A send tap that follows a fader being moved right now.
    pub lit: bool,
    /// Text drawn instead of `edge_label` (e.g. the combined gain up to
    /// here from the selected channel).
    pub label: Option<String>,
    /// What the edge is and carries, for its hover.
    pub note: String,
}

/// What is drawn over the graph: a refused loop, a routing preview.
#[derive(Clone, Debug, Default)]
pub struct FlowOverlay {
    /// Node ids round a loop the session refused (first == last).
    pub loop_ids: Vec<String>,
    /// The loop in words.
    pub loop_text: String,
    /// Edges a hovered routing choice would add (drawn ghosted).
    pub added: Vec<FlowEdge>,
    /// Indices in `FlowGraph::edges` of edges whose paths it would close.
    pub closed: Vec<usize>,
    /// The preview in words.
    pub preview_text: String,
}

#[derive(Clone, Debug, Default)]
pub struct FlowGraph {
    pub nodes: Vec<FlowNode>,
    pub edges: Vec<FlowEdge>,
    pub overlay: FlowOverlay,
}

/// Master and hardware outputs are where sound leaves the graph.
fn is_sink(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Master | NodeKind::HwOut)
}

/// Initial row order within a column, before crossing reduction.
fn kind_rank(kind: NodeKind) -> usize {
    kind as usize
}

/// Audio edges as (from index, to index, edge index), skipping unknown ids
/// and self-loops so bad input degrades to a missing line instead of a
/// panic. VCA control links are not audio: see `control_edges`.
pub(super) fn resolved_edges(graph: &FlowGraph) -> Vec<(usize, usize, usize)> {
    resolve(graph, false)
}

/// VCA control links, resolved like `resolved_edges`.
pub(super) fn control_edges(graph: &FlowGraph) -> Vec<(usize, usize, usize)> {
    resolve(graph, true)
}

fn resolve(graph: &FlowGraph, control: bool) -> Vec<(usize, usize, usize)> {
    let index: HashMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, edge)| (edge.kind == EdgeKind::Control) == control)
        .filter_map(|(e, edge)| {
            let (a, b) = (
                *index.get(edge.from.as_str())?,
                *index.get(edge.to.as_str())?,
            );
            (a != b).then_some((a, b, e))
        })
        .collect()
}

/// Column per node: longest path from the sources. Tracks are pinned to 0,
/// buses and auxes start at 1 (an empty bus must not sit among the tracks),
/// masters go one past everything else, hardware outputs join the master
/// column unless the master itself feeds them (then one further right, so
/// that edge still runs left to right).
fn columns(n: usize, kinds: &[NodeKind], edges: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut succ = vec![Vec::new(); n];
    for &(a, b, _) in edges {
        succ[a].push(b);
        indeg[b] += 1;
    }
    let mut col: Vec<usize> = kinds
        .iter()
        .map(|k| usize::from(matches!(k, NodeKind::Bus | NodeKind::Aux)))
        .collect();
    let mut done = vec![false; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    for _ in 0..n {
        // Loops are refused by the session, but if one slips through, break
        // it at the lowest-ranked remaining node rather than drop nodes.
        let v = match queue.pop_front() {
            Some(v) => v,
            None => match (0..n)
                .filter(|&i| !done[i])
                .min_by_key(|&i| (kind_rank(kinds[i]), i))
            {
                Some(v) => v,
                None => break,
            },
        };
        if done[v] {
            continue;
        }
        done[v] = true;
        for &w in &succ[v] {
            if done[w] {
                continue;
            }
            if kinds[w] != NodeKind::Track {
                col[w] = col[w].max(col[v] + 1);
            }
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    let last = (0..n)
        .filter(|&i| !is_sink(kinds[i]))
        .map(|i| col[i] + 1)
        .max()
        .unwrap_or(0);
    for i in 0..n {
        if is_sink(kinds[i]) {
            col[i] = last;
        }
    }
    for &(a, b, _) in edges {
        if kinds[a] == NodeKind::Master && kinds[b] == NodeKind::HwOut {
            col[b] = last + 1;
        }
    }
    col
}

/// Number of crossings between two adjacent layers' segments.
fn crossings(segs: &[(usize, usize)], pos: &[f32]) -> usize {
    let mut count = 0;
    for (i, &(a1, b1)) in segs.iter().enumerate() {
        for &(a2, b2) in &segs[i + 1..] {
            let (da, db) = (pos[a1] - pos[a2], pos[b1] - pos[b2]);
            count += usize::from(da * db < 0.0);
        }
    }
    count
}

/// Node id -> (column, row). Rows are ordered by barycentre sweeps over a
/// layered graph, then each node is placed at the row nearest its feeders
/// that keeps the order — so a bus sits beside its members. Rows may have
/// gaps (lanes of long edges, see [`Placement`]); no two nodes share a
/// cell. Deterministic: only input order and stable sorts decide ties.
pub fn layout(graph: &FlowGraph) -> HashMap<String, (usize, usize)> {
    place(graph).cells
}

/// The full layout the view draws from.
#[derive(Clone, Debug, Default)]
pub(super) struct Placement {
    /// Node id -> (column, row).
    pub cells: HashMap<String, (usize, usize)>,
    /// Edge index -> the (column, row) cells it passes through between its
    /// ends. An edge that skips columns gets a cell of its own in each, so
    /// it is drawn around boxes instead of behind them (where it would look
    /// as if it fed them).
    pub lanes: HashMap<usize, Vec<(usize, usize)>>,
}

pub(super) fn place(graph: &FlowGraph) -> Placement {
    let n = graph.nodes.len();
    let kinds: Vec<NodeKind> = graph.nodes.iter().map(|n| n.kind).collect();
    let edges = resolved_edges(graph);
    let col = columns(n, &kinds, &edges);

    // Layered graph: real vertices 0..n, then one lane vertex per column an
    // edge skips, so long edges take part in the ordering.
    let mut vcol = col.clone();
    let mut lane_of: Vec<usize> = Vec::new(); // edge index of vertex n + i
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, e) in &edges {
        if col[b] <= col[a] {
            continue; // backwards (only after a broken loop): not ordered
        }
        let mut prev = a;
        for c in col[a] + 1..col[b] {
            vcol.push(c);
            lane_of.push(e);
            up.push(vec![prev]);
            down.push(Vec::new());
            let v = vcol.len() - 1;
            down[prev].push(v);
            prev = v;
        }
        down[prev].push(b);
        up[b].push(prev);
    }
    let ncols = vcol.iter().max().map_or(0, |c| c + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ncols];
    for (v, &c) in vcol.iter().enumerate() {
        layers[c].push(v);
    }
    for layer in &mut layers {
        layer.sort_by_key(|&v| (kinds.get(v).map_or(usize::MAX, |&k| kind_rank(k)), v));
    }

    let mut pos = vec![0.0f32; vcol.len()];
    let number = |layers: &[Vec<usize>], pos: &mut [f32]| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i as f32;
            }
        }
    };
    let total_crossings = |pos: &[f32]| -> usize {
        let mut segs_by_col: Vec<Vec<(usize, usize)>> = vec![Vec::new(); ncols];
        for (v, ds) in down.iter().enumerate() {
            segs_by_col[vcol[v]].extend(ds.iter().map(|&w| (v, w)));
        }
        segs_by_col.iter().map(|s| crossings(s, pos)).sum()
    };
    number(&layers, &mut pos);
    let mut best = (total_crossings(&pos), layers.clone());
    for sweep in 0..12 {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..ncols).collect()
        } else {
            (0..ncols.saturating_sub(1)).rev().collect()
        };
        for c in order {
            let nbrs = if downward { &up } else { &down };
            let mut keyed: Vec<(f32, f32, usize)> = layers[c]
                .iter()
                .map(|&v| {
                    let ns = &nbrs[v];
                    // No neighbours on that side: keep the current place.
                    let bary = if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&w| pos[w]).sum::<f32>() / ns.len() as f32
                    };
                    (bary, pos[v], v)
                })
                .collect();
            keyed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
            layers[c] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in layers[c].iter().enumerate() {
                pos[v] = i as f32;
            }
        }
        let cross = total_crossings(&pos);
        if cross < best.0 {
            best = (cross, layers.clone());
        }
    }
    let layers = best.1;

    // Rows: column by column, each vertex goes to the mean row of its
    // neighbours in the column before (straight lines where possible),
    // pushed down to stay below the one above it.
    let mut row = vec![0usize; vcol.len()];
    for layer in &layers {
        let mut next = 0usize;
        for &v in layer {
            let want = if up[v].is_empty() {
                next
            } else {
                let sum: usize = up[v].iter().map(|&p| row[p]).sum();
                (sum as f32 / up[v].len() as f32).round() as usize
            };
            row[v] = want.max(next);
            next = row[v] + 1;
        }
    }
    let mut lanes: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (i, &e) in lane_of.iter().enumerate() {
        // Lane vertices of one edge were created left to right.
        lanes.entry(e).or_default().push((vcol[n + i], row[n + i]));
    }
    let cells = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.id.clone(), (col[i], row[i])))
        .collect();
    Placement { cells, lanes }
}

/// Breadth-first reach over `adj` from every vertex in `start`.
fn reach(adj: &[Vec<usize>], start: impl IntoIterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut queue: VecDeque<usize> = start.into_iter().collect();
    for &s in &queue {
        seen[s] = true;
    }
    while let Some(v) = queue.pop_front() {
        for &w in &adj[v] {
            if !seen[w] {
                seen[w] = true;
                queue.push_back(w);
            }
        }
    }
    seen
}

/// What lights up when `id` is selected. For a master or hardware output:
/// everything feeding it. For a VCA: its members and where they go (and
/// its control links). For anything else: every node on some path from
/// `id` to a master or hardware output (a headphone aux counts — that is
/// also where the sound goes), and the edges on those paths. `id` itself is
/// always included, even when it reaches nothing (a silent track). Unknown
/// id: empty.
pub fn highlight(graph: &FlowGraph, id: &str) -> (HashSet<String>, Vec<usize>) {
    let Some(start) = graph.nodes.iter().position(|n| n.id == id) else {
        return (HashSet::new(), Vec::new());
    };
    if graph.nodes[start].kind == NodeKind::Vca {
        let mut nodes = HashSet::from([id.to_owned()]);
        let mut edges = Vec::new();
        for (_, b, e) in control_edges(graph).into_iter().filter(|c| c.0 == start) {
            let (n, es) = highlight(graph, &graph.nodes[b].id);
            nodes.extend(n);
            edges.extend(es);
            edges.push(e);
        }
        edges.sort_unstable();
        edges.dedup();
        return (nodes, edges);
    }
    let n = graph.nodes.len();
    let edges = resolved_edges(graph);
    let mut succ = vec![Vec::new(); n];
    let mut pred = vec![Vec::new(); n];
    for &(a, b, _) in &edges {
        succ[a].push(b);
        pred[b].push(a);
    }
    let (nodes, on_path): (Vec<bool>, Vec<usize>) = if is_sink(graph.nodes[start].kind) {
        let up = reach(&pred, [start]);
        let es = edges.iter().filter(|e| up[e.1]).map(|e| e.2).collect();
        (up, es)
    } else {
        let fwd = reach(&succ, [start]);
        let sinks = (0..n).filter(|&i| is_sink(graph.nodes[i].kind));
        let to_sink = reach(&pred, sinks);
        // An edge a->b is on such a path iff a is reachable from `id` and
        // b reaches a sink; a node iff both hold for it.
        let es = edges
            .iter()
            .filter(|e| fwd[e.0] && to_sink[e.1])
            .map(|e| e.2)
            .collect();
        let mut on: Vec<bool> = (0..n).map(|i| fwd[i] && to_sink[i]).collect();
        on[start] = true;
        (on, es)
    };
    let set = (0..n)
        .filter(|&i| nodes[i])
        .map(|i| graph.nodes[i].id.clone())
        .collect();
    (set, on_path)
}
