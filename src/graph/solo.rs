//! Solo-in-place: which channels stay audible while something is soloed.
//!
//! A channel stays audible when it is soloed, feeds a soloed channel (through
//! any number of buses, auxes or sends), is fed by one, or is solo-safe.
//! So soloing the kick keeps the Drum Bus, the master and the reverb return
//! it sends to; soloing the Drum Bus keeps every drum feeding it.

use std::collections::VecDeque;

use crate::session::{Session, signal_edges};

/// `true` for each channel (session order) that solo mutes. All `false` when
/// nothing is soloed.
pub fn implied_mutes(s: &Session) -> Vec<bool> {
    let n = s.channels.len();
    if !s.channels.iter().any(|c| c.solo) {
        return vec![false; n];
    }
    let edges = signal_edges(s);
    let mut down = vec![Vec::new(); n];
    let mut up = vec![Vec::new(); n];
    for &(a, b) in &edges {
        down[a].push(b);
        up[b].push(a);
    }
    let soloed: Vec<usize> = (0..n).filter(|&i| s.channels[i].solo).collect();
    let below = reach(&soloed, &down, n);
    let above = reach(&soloed, &up, n);
    (0..n)
        .map(|i| !(below[i] || above[i] || s.channels[i].solo_safe))
        .collect()
}

/// Every node reachable from `start` (included) along `next`.
fn reach(start: &[usize], next: &[Vec<usize>], n: usize) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut queue: VecDeque<usize> = start.iter().copied().collect();
    for &i in start {
        seen[i] = true;
    }
    while let Some(i) = queue.pop_front() {
        for &j in &next[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}
