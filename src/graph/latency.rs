//! Latency compensation: every insert reports how late its output is; for
//! every summing point (buses, auxes, the master, device output pairs) the
//! latest path into it sets its arrival time, and every earlier path is
//! delayed by the difference, so all paths meet sample-aligned.
//!
//! ```text
//!  kick ─────────────(delay 23)──────────────┐
//!    └─send─► Crush aux ─► [saturation 23] ──┴─► master ─► device
//! ```
//! Outputs, sends (pre- and post-fader: both tap after the inserts) and
//! device pairs are all edges; a channel's own latency is the sum of its
//! inserts' (bypassed ones too: a bypassed insert delays by as much, so a
//! bypass never moves a path). Device outputs are lined up with each other
//! too; their common latency is the master's overall latency, which an
//! offline render removes.

use super::order::processing_order;
use crate::engine::{ChannelLatency, PlanLatency};
use crate::fx;
use crate::session::{self, ChannelKind, Session, hw_output_pair};

/// Where a path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// A channel, by position in processing order.
    Channel(usize),
    /// A device output: 0 = the master's outputs 1–2, p = outputs 2p+1–2p+2.
    Device(usize),
}

/// One channel, in processing order, as latency sees it.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub own: u32,
    pub main: Option<Target>,
    /// Send destinations, positions in processing order.
    pub sends: Vec<usize>,
}

/// The compensation worked out for a graph.
#[derive(Debug, Clone, Default)]
pub(super) struct Solved {
    pub arrival: Vec<u32>,
    /// Delay on each channel's main output.
    pub out_delay: Vec<u32>,
    /// Delay on each send, per channel in send order.
    pub send_delay: Vec<Vec<u32>>,
    /// Latency at every device output once aligned.
    pub output: u32,
    /// Delay of each device output (0 = master) to meet `output`.
    pub device_delay: Vec<u32>,
}

/// The nodes of `s` in `order` (`position` maps a session index to it).
pub(super) fn nodes_of(s: &Session, order: &[usize], position: &[usize]) -> Vec<Node> {
    order
        .iter()
        .map(|&i| {
            let c = &s.channels[i];
            let own = c.inserts.iter().map(fx::insert_latency).sum::<usize>() as u32;
            let main = match c.kind {
                ChannelKind::Master => Some(Target::Device(0)),
                _ => c.output.as_deref().and_then(|o| {
                    hw_output_pair(o)
                        .map(Target::Device)
                        .or_else(|| s.channel_index(o).map(|j| Target::Channel(position[j])))
                }),
            };
            let sends = c
                .sends
                .iter()
                .filter_map(|send| s.channel_index(&send.to).map(|j| position[j]))
                .collect();
            Node { own, main, sends }
        })
        .collect()
}

/// Arrival time at every node and the delay on every edge. `nodes` must be
/// in processing order (feeders first).
pub(super) fn solve(nodes: &[Node]) -> Solved {
    let devices = nodes
        .iter()
        .filter_map(|n| match n.main {
            Some(Target::Device(p)) => Some(p + 1),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    let mut arrival = vec![0u32; nodes.len()];
    let mut device_in: Vec<Option<u32>> = vec![None; devices];
    for (pos, n) in nodes.iter().enumerate() {
        let out = arrival[pos] + n.own;
        let targets = n
            .main
            .into_iter()
            .chain(n.sends.iter().map(|&d| Target::Channel(d)));
        for t in targets {
            match t {
                Target::Channel(d) => arrival[d] = arrival[d].max(out),
                Target::Device(p) => device_in[p] = Some(device_in[p].unwrap_or(0).max(out)),
            }
        }
    }
    let output = device_in.iter().flatten().copied().max().unwrap_or(0);
    let meet = |t: Target| match t {
        Target::Channel(d) => arrival[d],
        Target::Device(p) => device_in[p].unwrap_or(0),
    };
    let mut out_delay = Vec::with_capacity(nodes.len());
    let mut send_delay = Vec::with_capacity(nodes.len());
    for (pos, n) in nodes.iter().enumerate() {
        let out = arrival[pos] + n.own;
        out_delay.push(n.main.map_or(0, |t| meet(t) - out));
        send_delay.push(n.sends.iter().map(|&d| arrival[d] - out).collect());
    }
    let device_delay = device_in
        .iter()
        .map(|d| d.map_or(0, |d| output - d))
        .collect();
    Solved {
        arrival,
        out_delay,
        send_delay,
        output,
        device_delay,
    }
}

/// The latency report of a solved graph (`ids` and `nodes` in plan order).
pub(super) fn report(ids: &[&str], nodes: &[Node], solved: &Solved) -> PlanLatency {
    PlanLatency {
        channels: ids
            .iter()
            .zip(nodes)
            .enumerate()
            .map(|(pos, (id, n))| ChannelLatency {
                id: id.to_string(),
                own: n.own,
                arrival: solved.arrival[pos],
                compensation: solved.out_delay[pos],
            })
            .collect(),
        output: solved.output,
    }
}

/// The latency of every channel of `s` and at its outputs, in samples:
/// what the console shows, without compiling a plan. Refuses a loop.
pub fn latency(s: &Session) -> session::Result<PlanLatency> {
    let order = processing_order(s)?;
    let mut position = vec![0usize; s.channels.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos;
    }
    let nodes = nodes_of(s, &order, &position);
    let ids: Vec<&str> = order.iter().map(|&i| s.channels[i].id.as_str()).collect();
    Ok(report(&ids, &nodes, &solve(&nodes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(own: u32, main: Option<Target>, sends: Vec<usize>) -> Node {
        Node { own, main, sends }
    }

    #[test]
    fn the_dry_path_waits_for_the_saturated_send() {
        // 0 track → master (2), send → aux (1) with 23 → master.
        let nodes = [
            node(0, Some(Target::Channel(2)), vec![1]),
            node(23, Some(Target::Channel(2)), vec![]),
            node(0, Some(Target::Device(0)), vec![]),
        ];
        let s = solve(&nodes);
        assert_eq!(s.arrival, [0, 0, 23]);
        assert_eq!(s.out_delay, [23, 0, 0]);
        assert_eq!(s.send_delay[0], [0]);
        assert_eq!((s.output, s.device_delay.as_slice()), (23, &[0][..]));
    }

    #[test]
    fn device_pairs_are_aligned_with_the_master() {
        let nodes = [
            node(46, Some(Target::Device(1)), vec![]),
            node(5, Some(Target::Device(0)), vec![]),
        ];
        let s = solve(&nodes);
        assert_eq!((s.output, s.device_delay.as_slice()), (46, &[41, 0][..]));
    }
}
