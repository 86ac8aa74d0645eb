//! The routing flow view: pure layout and highlight rules, then the egui
//! view driven through egui_kittest (no display, no GPU), finding nodes by
//! their accessible labels as a screen reader would.

use std::collections::HashSet;

use auxbus::ui::flow_ui::{
    EdgeKind, FlowEdge, FlowGraph, FlowNode, FlowState, NodeKind, edge_label, flow_view, highlight,
    layout,
};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn node(id: &str, name: &str, kind: NodeKind) -> FlowNode {
    FlowNode {
        id: id.to_owned(),
        name: name.to_owned(),
        kind,
        level_db: Some(-18.0),
        muted: false,
        ..Default::default()
    }
}

fn edge(from: &str, to: &str, kind: EdgeKind, gain_db: Option<f32>) -> FlowEdge {
    FlowEdge {
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
        gain_db,
        level_db: Some(-20.0),
        ..Default::default()
    }
}

const OUT: EdgeKind = EdgeKind::Output;
const POST: EdgeKind = EdgeKind::Send { pre_fader: false };
const PRE: EdgeKind = EdgeKind::Send { pre_fader: true };

/// A small session: a drum bus, a reverb aux, a headphone mix on its own
/// device outputs, and the master on the main outputs. Nodes are listed in
/// a scrambled order on purpose: layout must not depend on it.
fn demo() -> FlowGraph {
    use NodeKind::*;
    FlowGraph {
        nodes: vec![
            node("master", "Master", Master),
            node("verb", "Verb", Aux),
            node("kick", "Kick", Track),
            node("vox", "Vox", Track),
            node("drums", "Drums", Bus),
            node("snare", "Snare", Track),
            node("bass", "Bass", Track),
            node("phones", "Phones", Aux),
            node("phones_out", "Out 3-4", HwOut),
            node("main_out", "Out 1-2", HwOut),
            node("dead", "Unrouted", Track),
        ],
        edges: vec![
            edge("kick", "drums", OUT, Some(0.0)),
            edge("snare", "drums", OUT, Some(-3.0)),
            edge("drums", "master", OUT, Some(-2.0)),
            edge("bass", "master", OUT, Some(0.0)),
            edge("vox", "master", OUT, Some(1.5)),
            edge("kick", "verb", POST, Some(-12.0)),
            edge("vox", "verb", POST, Some(-8.0)),
            edge("verb", "master", OUT, Some(-6.0)),
            edge("vox", "phones", PRE, None),
            edge("phones", "phones_out", OUT, Some(0.0)),
            edge("master", "main_out", OUT, Some(0.0)),
        ],
        ..Default::default()
    }
}

/// 50 tracks, 8 buses, 8 auxes, a master and 3 outputs: 70 nodes, every
/// track with an output and two sends.
fn big() -> FlowGraph {
    let mut g = FlowGraph::default();
    g.nodes.push(node("master", "Master", NodeKind::Master));
    for o in 0..3 {
        g.nodes.push(node(
            &format!("out{o}"),
            &format!("Out {o}"),
            NodeKind::HwOut,
        ));
    }
    for b in 0..8 {
        g.nodes
            .push(node(&format!("bus{b}"), &format!("Bus {b}"), NodeKind::Bus));
        g.nodes
            .push(node(&format!("aux{b}"), &format!("Aux {b}"), NodeKind::Aux));
        // Buses 6 and 7 are subgroups feeding bus 0.
        let to = if b >= 6 {
            "bus0".to_owned()
        } else {
            "master".to_owned()
        };
        g.edges.push(edge(&format!("bus{b}"), &to, OUT, Some(0.0)));
        let to = if b < 2 {
            format!("out{}", b + 1)
        } else {
            "master".to_owned()
        };
        g.edges.push(edge(&format!("aux{b}"), &to, OUT, Some(-3.0)));
    }
    g.edges.push(edge("master", "out0", OUT, Some(0.0)));
    for t in 0..50 {
        let id = format!("t{t}");
        g.nodes.push(node(
            &id,
            &format!("Track {t} with a long name"),
            NodeKind::Track,
        ));
        // Members scattered across buses so ordering has work to do.
        let to = if t % 5 == 0 {
            "master".to_owned()
        } else {
            format!("bus{}", (t * 7) % 8)
        };
        g.edges.push(edge(&id, &to, OUT, Some(-1.0)));
        g.edges
            .push(edge(&id, &format!("aux{}", t % 8), POST, Some(-10.0)));
        g.edges
            .push(edge(&id, &format!("aux{}", (t + 3) % 8), PRE, None));
    }
    assert_eq!(g.nodes.len(), 70);
    g
}

fn assert_no_shared_cells(g: &FlowGraph) {
    let cells = layout(g);
    assert_eq!(cells.len(), g.nodes.len());
    let distinct: HashSet<_> = cells.values().collect();
    assert_eq!(
        distinct.len(),
        cells.len(),
        "two nodes share a cell: {cells:?}"
    );
}

#[test]
fn layout_runs_tracks_then_buses_then_master() {
    let g = demo();
    let cells = layout(&g);
    let col = |id: &str| cells[id].0;
    for t in ["kick", "snare", "bass", "vox", "dead"] {
        assert_eq!(col(t), 0, "{t}");
    }
    assert!(col("drums") > 0 && col("verb") > 0 && col("phones") > 0);
    for b in ["drums", "verb", "phones"] {
        assert!(col(b) < col("master"), "{b} must sit left of the master");
    }
    // A headphone output shares the master's column; the master's own
    // output sits one further right so its edge still runs forwards.
    assert_eq!(col("phones_out"), col("master"));
    assert_eq!(col("main_out"), col("master") + 1);
    assert_no_shared_cells(&g);
}

#[test]
fn buses_feeding_buses_take_more_columns() {
    let g = big();
    let cells = layout(&g);
    assert!(cells["bus6"].0 < cells["bus0"].0);
    assert!(cells["bus0"].0 < cells["master"].0);
    assert_no_shared_cells(&g);
}

#[test]
fn layout_is_deterministic() {
    for g in [demo(), big()] {
        let first = layout(&g);
        for _ in 0..3 {
            assert_eq!(layout(&g.clone()), first);
        }
    }
}

#[test]
fn rows_untangle_interleaved_groups() {
    // Tracks listed a, b, c, d with a, c -> bus X and b, d -> bus Y: in
    // input order four edges cross; sorted by barycentre none do.
    let mut g = FlowGraph::default();
    for id in ["a", "b", "c", "d"] {
        g.nodes.push(node(id, id, NodeKind::Track));
    }
    g.nodes.push(node("x", "X", NodeKind::Bus));
    g.nodes.push(node("y", "Y", NodeKind::Bus));
    g.nodes.push(node("m", "Master", NodeKind::Master));
    for (from, to) in [
        ("a", "x"),
        ("b", "y"),
        ("c", "x"),
        ("d", "y"),
        ("x", "m"),
        ("y", "m"),
    ] {
        g.edges.push(edge(from, to, OUT, Some(0.0)));
    }
    let cells = layout(&g);
    let row = |id: &str| cells[id].1 as i64;
    let first: Vec<_> = g.edges.iter().filter(|e| cells[&e.from].0 == 0).collect();
    for (i, e1) in first.iter().enumerate() {
        for e2 in &first[i + 1..] {
            let crossed = (row(&e1.from) - row(&e2.from)) * (row(&e1.to) - row(&e2.to)) < 0;
            assert!(
                !crossed,
                "{}->{} crosses {}->{}",
                e1.from, e1.to, e2.from, e2.to
            );
        }
    }
    assert_no_shared_cells(&g);
}

#[test]
fn highlight_track_follows_bus_and_send_to_master() {
    let g = demo();
    let (nodes, edges) = highlight(&g, "kick");
    for id in ["kick", "drums", "master", "verb", "main_out"] {
        assert!(nodes.contains(id), "{id} missing from {nodes:?}");
    }
    for id in ["snare", "vox", "bass", "phones", "dead"] {
        assert!(!nodes.contains(id), "{id} should not light up");
    }
    let pairs: HashSet<(&str, &str)> = edges
        .iter()
        .map(|&e| (g.edges[e].from.as_str(), g.edges[e].to.as_str()))
        .collect();
    for p in [
        ("kick", "drums"),
        ("drums", "master"),
        ("kick", "verb"),
        ("verb", "master"),
    ] {
        assert!(pairs.contains(&p), "{p:?} missing");
    }
    assert!(!pairs.contains(&("snare", "drums")));
    assert!(!pairs.contains(&("vox", "verb")));

    // A pre-fader cue send is a destination too.
    let (vox, _) = highlight(&g, "vox");
    assert!(vox.contains("phones") && vox.contains("phones_out") && vox.contains("verb"));
}

#[test]
fn highlight_master_shows_every_feeder() {
    let g = demo();
    let (nodes, edges) = highlight(&g, "master");
    let want: HashSet<String> = ["master", "kick", "snare", "bass", "vox", "drums", "verb"]
        .map(String::from)
        .into();
    assert_eq!(nodes, want);
    // Every edge into that set, none beyond it (phones, main out).
    let expected: Vec<usize> = (0..g.edges.len())
        .filter(|&e| want.contains(&g.edges[e].to))
        .collect();
    assert_eq!(edges, expected);
}

#[test]
fn highlight_unrouted_and_unknown() {
    let g = demo();
    let (nodes, edges) = highlight(&g, "dead");
    assert_eq!(nodes, HashSet::from(["dead".to_owned()]));
    assert!(edges.is_empty());
    assert!(highlight(&g, "nope").0.is_empty());
}

#[test]
fn edge_labels_show_gain_and_tap_point() {
    let e = |kind, gain| edge_label(&edge("a", "b", kind, gain));
    assert_eq!(e(OUT, Some(-12.0)), "-12.0 dB");
    assert_eq!(e(OUT, Some(-0.01)), "0.0 dB");
    assert_eq!(e(OUT, Some(2.0)), "+2.0 dB");
    assert_eq!(e(OUT, None), "-inf");
    assert_eq!(e(POST, Some(-6.0)), "post -6.0 dB");
    assert_eq!(e(PRE, Some(f32::NEG_INFINITY)), "pre -inf");
}

struct View {
    graph: FlowGraph,
    state: FlowState,
    changes: usize,
}

fn harness(graph: FlowGraph) -> Harness<'static, View> {
    let view = View {
        graph,
        state: FlowState::default(),
        changes: 0,
    };
    Harness::builder()
        .with_size(egui::vec2(900.0, 600.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(
            |ui, v: &mut View| {
                if flow_view(ui, &v.graph, &mut v.state).changed() {
                    v.changes += 1;
                }
            },
            view,
        )
}

#[test]
fn clicking_a_node_selects_it_and_empty_space_clears() {
    let mut h = harness(demo());
    h.run();
    h.get_by_label("Kick node").click();
    h.run();
    assert_eq!(h.state().state.selected.as_deref(), Some("kick"));
    assert_eq!(h.state().changes, 1);

    // Selecting the master instead.
    h.get_by_label("Master node").click();
    h.run();
    assert_eq!(h.state().state.selected.as_deref(), Some("master"));

    // Empty canvas: just below the first row of column 0 and left of
    // column 1 there is nothing but the gap.
    let canvas = h.get_by_label("routing flow").rect();
    let empty = canvas.min + egui::vec2(4.0, 4.0);
    h.hover_at(empty);
    h.run();
    h.drag_at(empty);
    h.drop_at(empty);
    h.run();
    assert_eq!(h.state().state.selected, None);
    assert_eq!(h.state().changes, 3);
}

#[test]
fn selection_of_a_deleted_node_is_dropped() {
    let mut h = harness(demo());
    h.state_mut().state.selected = Some("kick".to_owned());
    h.run();
    h.state_mut().graph.nodes.retain(|n| n.id != "kick");
    h.run();
    assert_eq!(h.state().state.selected, None);
}

#[test]
fn seventy_nodes_render_and_are_all_reachable() {
    let g = big();
    let names: Vec<String> = g.nodes.iter().map(|n| format!("{} node", n.name)).collect();
    let mut h = harness(g);
    // `run` (not `run_steps`) also proves the view requests no repaints.
    h.run();
    h.get_by_label("routing flow");
    for name in &names {
        h.get_by_label(name);
    }
    // Select a track deep down (off screen): the highlight still renders.
    h.get_by_label("Track 42 with a long name node")
        .click_accesskit();
    h.run();
    assert_eq!(h.state().state.selected.as_deref(), Some("t42"));
}
