//! Adapts the session (and live meter levels) to the flow view's plain
//! graph: outputs solid and labelled with the real gain on them (fader ×
//! VCAs × pan, not the fader alone), sends dashed with their measured
//! level, VCAs as control links, device outputs as their own nodes; the
//! selected channel's paths labelled with its combined gain up to each
//! point; lit taps, a refused loop and a routing preview as overlays.
//!
//! ```text
//!  Session + MeterView + FlowState ──flow_graph──► FlowGraph ──► flow_view
//! ```

use super::flow_ui::{EdgeKind, FlowEdge, FlowGraph, FlowNode, FlowOverlay, FlowState, NodeKind};
use super::hints::shown;
use super::meters::MeterView;
use crate::graph::{
    self, Hop, Mute, Preview, Sink, channel_gains, db_text, gain_upto, implied_mutes, path_gain,
    signal_paths,
};
use crate::session::{ChannelKind, Session, hw_output_name, hw_output_pair};

/// The level a meter shows, in dB (`None` when silent).
fn level(meters: &MeterView, id: &str) -> Option<f32> {
    let m = meters.channel(id);
    let db = m[0].rms_db().max(m[1].rms_db());
    (db > -90.0).then_some(db)
}

fn node_kind(kind: ChannelKind) -> NodeKind {
    match kind {
        ChannelKind::Track => NodeKind::Track,
        ChannelKind::Bus => NodeKind::Bus,
        ChannelKind::Aux => NodeKind::Aux,
        ChannelKind::Master => NodeKind::Master,
    }
}

/// What a channel is for, in a line.
fn role(s: &Session, kind: ChannelKind, id: &str) -> String {
    match kind {
        ChannelKind::Track => "track: plays a file".to_owned(),
        ChannelKind::Bus => "bus: sums what is routed to it".to_owned(),
        ChannelKind::Aux => {
            let part = s
                .channel(id)
                .and_then(graph::return_part)
                .map_or("", |p| p.label());
            format!("aux: sums the copies sends deliver ({part} return)")
        }
        ChannelKind::Master => "master: what leaves the console".to_owned(),
    }
}

pub fn flow_graph(
    s: &Session,
    meters: &MeterView,
    state: &FlowState,
    mono: &dyn Fn(&str) -> bool,
) -> FlowGraph {
    let mutes = implied_mutes(s);
    let mut nodes: Vec<FlowNode> = s
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let reach = meters.reach(&c.id);
            FlowNode {
                id: c.id.clone(),
                name: c.display_name().to_owned(),
                kind: node_kind(c.kind),
                level_db: level(meters, &c.id),
                muted: channel_gains(s, i, false, mutes[i]).muted != Mute::No,
                shares: reach.shares(),
                note: format!(
                    "{} — {}\nwhat reaches the master: {}",
                    c.display_name(),
                    role(s, c.kind, &c.id),
                    reach.text()
                ),
            }
        })
        .collect();
    let mut edges = Vec::new();
    for c in s.channels.iter().filter(|c| c.kind != ChannelKind::Master) {
        let from_level = level(meters, &c.id);
        let ids = [c.id.clone()];
        if let Some(out) = &c.output {
            let to = match hw_output_pair(out) {
                Some(pair) => {
                    let name = hw_output_name(pair);
                    if !nodes.iter().any(|n| n.id == name) {
                        nodes.push(FlowNode {
                            id: name.clone(),
                            name: format!("Outputs {}-{}", 2 * pair + 1, 2 * pair + 2),
                            kind: NodeKind::HwOut,
                            note: "device outputs beside the master's: a cue or headphone mix"
                                .to_owned(),
                            ..FlowNode::default()
                        });
                    }
                    name
                }
                None => out.clone(),
            };
            let gain = path_gain(s, mono, &ids, &[Hop::Output]);
            edges.push(FlowEdge {
                from: c.id.clone(),
                to,
                kind: EdgeKind::Output,
                gain_db: gain.db(),
                level_db: from_level,
                note: format!("real gain on this output: {}", gain.explain()),
                ..FlowEdge::default()
            });
        }
        for send in &c.sends {
            let hop = Hop::Send {
                pre_fader: send.pre_fader,
            };
            let gain = path_gain(s, mono, &[c.id.clone(), send.to.clone()], &[hop]);
            let lit = graph::is_lit(s, state.moving.as_ref(), &c.id, &send.to);
            let tap = if send.pre_fader {
                "tapped before the fader: riding the fader does not change it"
            } else {
                "tapped after fader and pan: it follows them"
            };
            edges.push(FlowEdge {
                from: c.id.clone(),
                to: send.to.clone(),
                kind: EdgeKind::Send {
                    pre_fader: send.pre_fader,
                },
                gain_db: send.level_db,
                level_db: meters.send_db(&c.id, &send.to),
                lit,
                note: format!("{tap}\ninto the aux: {}", gain.explain()),
                ..FlowEdge::default()
            });
        }
    }
    for v in &s.vcas {
        let name = if v.name.is_empty() { &v.id } else { &v.name };
        let members: Vec<String> = v.members.iter().map(|m| graph::name_of(s, m)).collect();
        nodes.push(FlowNode {
            id: v.id.clone(),
            name: name.clone(),
            kind: NodeKind::Vca,
            muted: v.mute,
            note: format!(
                "VCA {name}: adds {} to the faders of {} (no audio passes through it; \
                 their post-fader sends follow, so their dry/wet balance stays)",
                db_text(v.gain_db),
                members.join(", ")
            ),
            ..FlowNode::default()
        });
        for m in &v.members {
            edges.push(FlowEdge {
                from: v.id.clone(),
                to: m.clone(),
                kind: EdgeKind::Control,
                gain_db: v.gain_db,
                note: format!("{name} scales {}'s fader", graph::name_of(s, m)),
                ..FlowEdge::default()
            });
        }
    }
    let mut g = FlowGraph {
        nodes,
        edges,
        overlay: FlowOverlay::default(),
    };
    if let Some(id) = &state.selected {
        label_sums(s, mono, id, &mut g);
    }
    if let Some(l) = &state.refused {
        g.overlay.loop_ids = l.ids.clone();
        g.overlay.loop_text = shown(format!("{} — {}", l.by_name(), l.sentence()));
    }
    if let Some(p) = &state.preview {
        preview_overlay(s, p, &mut g);
    }
    g
}

/// The graph edge a path step runs along (a → b by `hop`).
fn edge_of(g: &FlowGraph, a: &str, b: &str, hop: Option<Hop>) -> Option<usize> {
    g.edges.iter().position(|e| {
        e.from == a
            && e.to == b
            && matches!(
                (hop, e.kind),
                (Some(Hop::Output) | None, EdgeKind::Output)
                    | (Some(Hop::Send { .. }), EdgeKind::Send { .. })
            )
    })
}

/// Labels every edge on the selected channel's paths with its combined
/// gain up to the end of that edge ("Σ −5.0 dB"), the loudest when paths
/// share an edge.
fn label_sums(s: &Session, mono: &dyn Fn(&str) -> bool, id: &str, g: &mut FlowGraph) {
    let mut best: Vec<Option<Option<f32>>> = vec![None; g.edges.len()];
    for p in signal_paths(s, id, mono) {
        let mut steps: Vec<(String, String, usize)> = (0..p.hops.len())
            .map(|k| (p.channels[k].clone(), p.channels[k + 1].clone(), k + 1))
            .collect();
        if let (Sink::Device(pair), Some(last)) = (p.sink, p.channels.last()) {
            steps.push((last.clone(), hw_output_name(pair), p.channels.len()));
        }
        for (a, b, upto) in steps {
            let Some(e) = edge_of(g, &a, &b, p.hops.get(upto - 1).copied()) else {
                continue;
            };
            let sum = gain_upto(s, mono, &p.channels, &p.hops, upto).db();
            let louder = match best[e] {
                None => true,
                Some(old) => sum.unwrap_or(f32::NEG_INFINITY) > old.unwrap_or(f32::NEG_INFINITY),
            };
            if louder {
                best[e] = Some(sum);
            }
        }
    }
    for (e, sum) in best.into_iter().enumerate() {
        if let Some(sum) = sum {
            g.edges[e].label = Some(format!("Σ {}", db_text(sum)));
        }
    }
}

/// A hovered routing choice: the routes it adds (ghosted) and the edges of
/// the paths it closes, with the preview in words.
fn preview_overlay(s: &Session, p: &Preview, g: &mut FlowGraph) {
    let steps = |path: &graph::SignalPath| -> Vec<(String, String, Option<Hop>)> {
        let mut out: Vec<_> = (0..path.hops.len())
            .map(|k| {
                (
                    path.channels[k].clone(),
                    path.channels[k + 1].clone(),
                    Some(path.hops[k]),
                )
            })
            .collect();
        if let (Sink::Device(pair), Some(last)) = (path.sink, path.channels.last()) {
            out.push((last.clone(), hw_output_name(pair), None));
        }
        out
    };
    let mut text = Vec::new();
    for path in &p.appear {
        text.push(format!(
            "+ {} ({}, {})",
            path.describe(s),
            path.part.label(),
            db_text(path.gain.db())
        ));
        for (a, b, hop) in steps(path) {
            if edge_of(g, &a, &b, hop).is_none() {
                let kind = match hop {
                    Some(Hop::Send { pre_fader }) => EdgeKind::Send { pre_fader },
                    _ => EdgeKind::Output,
                };
                g.overlay.added.push(FlowEdge {
                    from: a,
                    to: b,
                    kind,
                    ..FlowEdge::default()
                });
            }
        }
    }
    let kept: Vec<(String, String)> = p
        .appear
        .iter()
        .flat_map(|x| steps(x).into_iter().map(|(a, b, _)| (a, b)))
        .collect();
    for path in &p.disappear {
        text.push(format!("− {}", path.describe(s)));
        for (a, b, hop) in steps(path) {
            if !kept.contains(&(a.clone(), b.clone()))
                && let Some(e) = edge_of(g, &a, &b, hop)
            {
                g.overlay.closed.push(e);
            }
        }
    }
    if let Some(l) = &p.refused {
        g.overlay.loop_ids = l.ids.clone();
        text.push(format!("refused: {}", l.sentence()));
    }
    text.push(format!("balance: {} → {}", p.before.text(), p.after.text()));
    g.overlay.preview_text = shown(text.join("\n"));
}
