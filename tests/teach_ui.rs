//! The teaching instruments in the console, driven through egui_kittest:
//! a refused loop named and drawn, labels that never overlap, VCAs as
//! control links, output labels with the real gain, taps lit while a fader
//! moves (pre-fader ones not), hovers that preview a move before the click.

use std::collections::HashSet;

use auxbus::graph::{self, Moving};
use auxbus::session::Edit;
use auxbus::ui::flow_session::flow_graph;
use auxbus::ui::flow_ui::{
    EdgeKind, FlowEdge, FlowGraph, FlowNode, FlowState, NodeKind, flow_view, highlight, layout,
};
use auxbus::ui::{Action, MeterView, Page};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn mono_none(_: &str) -> bool {
    false
}

#[test]
fn a_refused_loop_is_named_and_drawn_in_the_flow_view() {
    let (mut h, _) = console();
    // The reverb returns into the drum bus; then the bus may not feed the
    // reverb's return through… the reverb itself: Drum Bus → Reverb → Drum Bus.
    h.state_mut().dispatch(Action::Edit(Edit::Output {
        channel: "verb".into(),
        output: Some("drums".into()),
    }));
    h.state_mut().dispatch(Action::Edit(Edit::AddSend {
        channel: "drums".into(),
        send: auxbus::session::Send::new("verb"),
        index: None,
    }));
    h.run();
    let app = h.state();
    let refused = app
        .flow
        .refused
        .clone()
        .expect("the loop is kept for the flow view");
    assert_eq!(refused.ids, ["drums", "verb", "drums"]);
    assert_eq!(refused.names, ["Drum Bus", "Reverb", "Drum Bus"]);
    let message = app
        .shell
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        message.contains("Drum Bus ➡ Reverb ➡ Drum Bus")
            && message.contains("Drum Bus would feed Reverb, which feeds Drum Bus again"),
        "{message}"
    );
    assert!(!message.contains("drums"), "no internal ids: {message}");
    // The flow view draws it: its graph carries the loop, and the page
    // says it in words.
    let g = flow_graph(
        app.doc.session(),
        &MeterView::default(),
        &app.flow,
        &mono_none,
    );
    assert_eq!(g.overlay.loop_ids, ["drums", "verb", "drums"]);
    assert!(g.overlay.loop_text.contains("Drum Bus ➡ Reverb ➡ Drum Bus"));
    h.state_mut().dispatch(Action::ShowPage(Page::Flow));
    h.run_steps(4);
    h.get_by_label_contains("routing loop refused: Drum Bus ➡ Reverb ➡ Drum Bus");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().flow.refused.is_none());
}

#[test]
fn one_function_answers_would_loop_for_every_route() {
    let (h, _) = console();
    let mut s = h.state().doc.session().clone();
    Edit::Output {
        channel: "crush".into(),
        output: Some("drums".into()),
    }
    .apply(&mut s)
    .expect("the crush return into the drum bus");
    let l = graph::would_loop(&s, "drums", graph::Route::Send("crush")).expect("loop");
    assert_eq!(l.by_name(), "Drum Bus → Crush → Drum Bus");
    assert_eq!(
        l.sentence(),
        "Drum Bus would feed Crush, which feeds Drum Bus again"
    );
    assert!(graph::would_loop(&s, "drums", graph::Route::Send("verb")).is_none());
    assert!(graph::would_loop(&s, "drums", graph::Route::Output("master")).is_none());
}

fn node(id: &str, kind: NodeKind) -> FlowNode {
    FlowNode {
        id: id.to_owned(),
        name: id.to_owned(),
        kind,
        level_db: Some(-12.0),
        ..Default::default()
    }
}

fn edge(from: &str, to: &str, kind: EdgeKind) -> FlowEdge {
    FlowEdge {
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
        gain_db: Some(-12.0),
        level_db: Some(-20.0),
        ..Default::default()
    }
}

/// A source box with eight sends and an output: labels pile up at its
/// ports unless they are laid out.
fn busy() -> FlowGraph {
    let mut g = FlowGraph::default();
    g.nodes.push(node("src", NodeKind::Track));
    g.nodes.push(node("other", NodeKind::Track));
    g.nodes.push(node("bus", NodeKind::Bus));
    g.nodes.push(node("m", NodeKind::Master));
    g.edges.push(edge("src", "bus", EdgeKind::Output));
    g.edges.push(edge("other", "bus", EdgeKind::Output));
    g.edges.push(edge("bus", "m", EdgeKind::Output));
    for k in 0..8 {
        let aux = format!("aux{k}");
        g.nodes.push(node(&aux, NodeKind::Aux));
        g.edges.push(edge(
            "src",
            &aux,
            EdgeKind::Send {
                pre_fader: k % 3 == 0,
            },
        ));
        g.edges
            .push(edge("other", &aux, EdgeKind::Send { pre_fader: false }));
        g.edges.push(edge(&aux, "m", EdgeKind::Output));
    }
    g
}

#[test]
fn edge_labels_never_overlap_each_other_or_a_box() {
    struct View {
        graph: FlowGraph,
        state: FlowState,
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 700.0))
        .build_ui_state(
            |ui, v: &mut View| {
                flow_view(ui, &v.graph, &mut v.state);
            },
            View {
                graph: busy(),
                state: FlowState::default(),
            },
        );
    h.run();
    for selected in [None, Some("src")] {
        h.state_mut().state.selected = selected.map(str::to_owned);
        h.run();
        let labels = h.state().state.label_rects().to_vec();
        assert!(
            labels.len() >= 10,
            "most labels find a place: {}",
            labels.len()
        );
        for (i, (_, a)) in labels.iter().enumerate() {
            for (_, b) in &labels[i + 1..] {
                assert!(!a.intersects(*b), "labels overlap: {a:?} {b:?}");
            }
        }
        let names: Vec<String> = h
            .state()
            .graph
            .nodes
            .iter()
            .map(|n| n.name.clone())
            .collect();
        for name in names {
            let label = format!("{name} node");
            let r = h.get_by_label(&label).rect();
            for (_, l) in &labels {
                assert!(!l.intersects(r), "a label covers the {name} box");
            }
        }
    }
}

#[test]
fn vcas_are_control_links_and_outputs_carry_the_real_gain() {
    let (mut h, _) = console();
    h.state_mut().dispatch(Action::Edit(Edit::VcaGain {
        vca: "vca_drums".into(),
        db: Some(-4.0),
    }));
    let app = h.state();
    let g = flow_graph(
        app.doc.session(),
        &MeterView::default(),
        &app.flow,
        &mono_none,
    );
    let vca = g
        .nodes
        .iter()
        .find(|n| n.id == "vca_drums")
        .expect("a VCA node");
    assert_eq!(vca.kind, NodeKind::Vca);
    let controls: HashSet<&str> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Control)
        .map(|e| e.to.as_str())
        .collect();
    assert_eq!(controls, HashSet::from(["kick", "snare", "hats"]));
    // Control links are not audio: no path runs through the VCA.
    let (lit, _) = highlight(&g, "master");
    assert!(!lit.contains("vca_drums"));
    let (lit, _) = highlight(&g, "vca_drums");
    assert!(lit.contains("kick") && lit.contains("drums") && lit.contains("master"));
    assert_eq!(layout(&g)["vca_drums"].0, 0, "VCAs sit with the sources");
    // Kick's output label: its fader −2 dB and the VCA −4 dB, not −2 alone.
    let out = g
        .edges
        .iter()
        .find(|e| e.from == "kick" && e.kind == EdgeKind::Output)
        .expect("kick's output");
    assert_eq!(auxbus::ui::flow_ui::edge_label(out), "-6.0 dB");
    // Selecting Kick labels its paths with the combined gain up to there:
    // −6 into the drum bus, −9 (bus −3) into the master.
    h.state_mut().flow.selected = Some("kick".into());
    let app = h.state();
    let g = flow_graph(
        app.doc.session(),
        &MeterView::default(),
        &app.flow,
        &mono_none,
    );
    let label = |from: &str, to: &str| {
        g.edges
            .iter()
            .find(|e| e.from == from && e.to == to)
            .and_then(|e| e.label.clone())
    };
    assert_eq!(label("kick", "drums").as_deref(), Some("Σ -6.0 dB"));
    assert_eq!(label("drums", "master").as_deref(), Some("Σ -9.0 dB"));
    // Into Crush: fader −2, VCA −4, the post-fader send −6.
    assert_eq!(label("kick", "crush").as_deref(), Some("Σ -12.0 dB"));
    h.state_mut().dispatch(Action::ShowPage(Page::Flow));
    h.run_steps(4);
    h.get_by_label("Drums VCA node");
}

#[test]
fn a_moving_fader_lights_its_post_fader_taps_and_not_its_pre_fader_ones() {
    let (mut h, _) = console();
    h.state_mut().dispatch(Action::BeginGesture);
    h.state_mut().dispatch(Action::Edit(Edit::Gain {
        channel: "lead".into(),
        db: Some(-3.0),
    }));
    assert_eq!(h.state().gesture, Some(Moving::Channel("lead".into())));
    let app = h.state();
    let taps = graph::moving_taps(app.doc.session(), &Moving::Channel("lead".into()));
    let lit: Vec<(&str, bool)> = taps.iter().map(|t| (t.aux.as_str(), t.lit)).collect();
    assert_eq!(lit, [("verb", true), ("delay", true), ("phones", false)]);
    let g = flow_graph(
        app.doc.session(),
        &MeterView::default(),
        &app.flow,
        &mono_none,
    );
    let edge_lit = |to: &str| {
        g.edges
            .iter()
            .find(|e| e.from == "lead" && e.to == to)
            .is_some_and(|e| e.lit)
    };
    assert!(edge_lit("verb") && edge_lit("delay") && !edge_lit("phones"));
    assert!(g.edges.iter().filter(|e| e.from != "lead").all(|e| !e.lit));
    // A VCA ride lights every member's post-fader taps.
    h.state_mut().dispatch(Action::Edit(Edit::VcaGain {
        vca: "vca_drums".into(),
        db: Some(-2.0),
    }));
    let app = h.state();
    assert_eq!(app.gesture, Some(Moving::Vca("vca_drums".into())));
    assert_eq!(app.matrix.moving, app.gesture);
    assert!(graph::is_lit(
        app.doc.session(),
        app.gesture.as_ref(),
        "snare",
        "crush"
    ));
    assert!(!graph::is_lit(
        app.doc.session(),
        app.gesture.as_ref(),
        "kick",
        "phones"
    ));
    h.state_mut().dispatch(Action::EndGesture);
    assert_eq!(h.state().gesture, None);
    assert_eq!(h.state().flow.moving, None);
}

#[test]
fn hovering_a_matrix_choice_previews_the_move_before_the_click() {
    let (mut h, _) = console();
    h.state_mut().dispatch(Action::ShowPage(Page::Matrix));
    h.run_steps(12);
    h.get_by_label("Bass output to Drum Bus").hover();
    h.run_steps(90); // tooltips appear once the pointer has rested a moment
    h.get_by_label_contains("+ Bass ➡ Drum Bus ➡ Master (dry, -6.0 dB)");
    h.get_by_label_contains("− Bass ➡ Master");
    assert_eq!(
        h.state()
            .doc
            .session()
            .channel("bass")
            .and_then(|c| c.output.clone()),
        Some("master".into()),
        "nothing changed before the click"
    );
}

#[test]
fn hovering_a_route_in_the_flow_page_draws_it_first() {
    let (mut h, _) = console();
    h.state_mut().dispatch(Action::ShowPage(Page::Flow));
    h.state_mut()
        .dispatch(Action::SelectFlow(Some("pad".into())));
    h.run_steps(4);
    h.get_by_label("+ send to Crush").hover();
    h.run_steps(4);
    let preview = h
        .state()
        .flow
        .preview
        .clone()
        .expect("a preview while hovered");
    assert_eq!(preview.appear.len(), 1);
    assert_eq!(preview.appear[0].channels, ["pad", "crush", "master"]);
    assert!(preview.after.share(graph::Part::Parallel) > Some(0.0));
    let app = h.state();
    let g = flow_graph(
        app.doc.session(),
        &MeterView::default(),
        &app.flow,
        &mono_none,
    );
    assert!(
        g.overlay
            .added
            .iter()
            .any(|e| e.from == "pad" && e.to == "crush")
    );
    assert!(
        app.doc
            .session()
            .channel("pad")
            .is_some_and(|c| c.sends.len() == 1)
    );
}

#[test]
fn the_pan_law_step_is_explained_on_the_tap_toggle() {
    let (h, _) = console();
    let s = h.state().doc.session().clone();
    let lead = s.channel("lead").expect("lead");
    let send = &lead.sends[0];
    // Lead is a mono track: post-fader at centre-ish it is 3 dB down per
    // side under the −3 dB law; pre-fader it reaches both sides at unity.
    let post = auxbus::ui::hints::tap_hint(&s, lead, send, true);
    assert!(post.starts_with("POST"), "{post}");
    assert!(
        post.contains("pan law") && post.contains("3.0 dB step"),
        "{post}"
    );
    let pre = graph::Hop::Send { pre_fader: true };
    let g_pre = graph::path_gain(&s, &|_| true, &["lead".into(), "verb".into()], &[pre]);
    let g_post = graph::path_gain(
        &s,
        &|_| true,
        &["lead".into(), "verb".into()],
        &[graph::Hop::Send { pre_fader: false }],
    );
    let step = g_pre.db().unwrap_or(0.0) - g_post.db().unwrap_or(0.0);
    // Fader −1 dB plus the pan (0.05 right, −3 dB law): 1 + 3.0 dB.
    assert!((step - 4.0).abs() < 0.05, "pre − post = {step}");
}

#[test]
fn riding_a_fader_in_the_matrix_lights_the_cells_that_follow_it() {
    let (mut h, _) = console();
    h.state_mut().dispatch(Action::ShowPage(Page::Matrix));
    h.run_steps(12);
    let at = h.get_by_label("matrix: Snare fader").rect().center();
    h.hover_at(at);
    h.run();
    h.drag_at(at);
    h.run();
    for i in 1..=4 {
        h.hover_at(at + egui::vec2(6.0 * i as f32, 0.0));
        h.run();
    }
    assert_eq!(
        h.state().matrix.moving,
        Some(Moving::Channel("snare".into()))
    );
    let s = h.state().doc.session().clone();
    let moving = h.state().matrix.moving.clone();
    assert!(graph::is_lit(&s, moving.as_ref(), "snare", "crush"));
    assert!(graph::is_lit(&s, moving.as_ref(), "snare", "delay"));
    assert!(!graph::is_lit(&s, moving.as_ref(), "snare", "phones"));
    h.drop_at(at + egui::vec2(24.0, 0.0));
    h.run();
    assert_eq!(h.state().matrix.moving, None);
    assert!(
        s.channel("snare").and_then(|c| c.gain_db) > Some(-4.0),
        "the ride moved it"
    );
}
