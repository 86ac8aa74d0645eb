//! Adapts the session (and live meter levels) to the flow view's plain
//! graph: outputs solid, sends dashed, device outputs as their own nodes.

use super::flow_ui::{EdgeKind, FlowEdge, FlowGraph, FlowNode, NodeKind};
use super::meters::MeterView;
use crate::graph::{Mute, channel_gains, implied_mutes};
use crate::session::{ChannelKind, Session, hw_output_name, hw_output_pair};

/// The level a meter shows, in dB (`None` when silent).
fn level(meters: &MeterView, id: &str) -> Option<f32> {
    let m = meters.channel(id);
    let db = m[0].rms_db().max(m[1].rms_db());
    (db > -90.0).then_some(db)
}

pub fn flow_graph(s: &Session, meters: &MeterView) -> FlowGraph {
    let mutes = implied_mutes(s);
    let mut nodes: Vec<FlowNode> = s
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| FlowNode {
            id: c.id.clone(),
            name: c.display_name().to_owned(),
            kind: match c.kind {
                ChannelKind::Track => NodeKind::Track,
                ChannelKind::Bus => NodeKind::Bus,
                ChannelKind::Aux => NodeKind::Aux,
                ChannelKind::Master => NodeKind::Master,
            },
            level_db: level(meters, &c.id),
            muted: channel_gains(s, i, false, mutes[i]).muted != Mute::No,
        })
        .collect();
    let mut edges = Vec::new();
    for c in s.channels.iter().filter(|c| c.kind != ChannelKind::Master) {
        let from_level = level(meters, &c.id);
        if let Some(out) = &c.output {
            let to = match hw_output_pair(out) {
                Some(pair) => {
                    let name = hw_output_name(pair);
                    if !nodes.iter().any(|n| n.id == name) {
                        let label = format!("Outputs {}-{}", 2 * pair + 1, 2 * pair + 2);
                        nodes.push(FlowNode {
                            id: name.clone(),
                            name: label,
                            kind: NodeKind::HwOut,
                            level_db: None,
                            muted: false,
                        });
                    }
                    name
                }
                None => out.clone(),
            };
            edges.push(FlowEdge {
                from: c.id.clone(),
                to,
                kind: EdgeKind::Output,
                gain_db: c.gain_db,
                level_db: from_level,
            });
        }
        for send in &c.sends {
            edges.push(FlowEdge {
                from: c.id.clone(),
                to: send.to.clone(),
                kind: EdgeKind::Send {
                    pre_fader: send.pre_fader,
                },
                gain_db: send.level_db,
                level_db: from_level.zip(send.level_db).map(|(l, g)| l + g),
            });
        }
    }
    FlowGraph { nodes, edges }
}
