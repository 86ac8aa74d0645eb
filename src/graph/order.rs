//! Processing order: Kahn's algorithm over output and send edges, so every
//! channel is processed after everything that feeds it.

use std::collections::VecDeque;

use crate::session::{self, Session, SessionError, signal_edges};

/// Channel indices in processing order; ties keep session order so the same
/// session always compiles the same way. A routing loop is refused.
pub(super) fn processing_order(s: &Session) -> session::Result<Vec<usize>> {
    let n = s.channels.len();
    let edges = signal_edges(s);
    let mut indegree = vec![0usize; n];
    let mut next = vec![Vec::new(); n];
    for &(a, b) in &edges {
        indegree[b] += 1;
        next[a].push(b);
    }
    let mut ready: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for &j in &next[i] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push_back(j);
            }
        }
    }
    if order.len() < n {
        let path = session::find_loop(s).unwrap_or_default();
        return Err(SessionError::RoutingLoop { path });
    }
    Ok(order)
}
