//! Gated loudness from the energy of each 100 ms: integrated loudness
//! (ITU-R BS.1770-4: 400 ms blocks every 100 ms, absolute gate −70 LUFS,
//! relative gate −10 LU) and loudness range (EBU Tech 3342: 3 s blocks every
//! second, gates −70 LUFS and −20 LU, 10th to 95th percentile).
//!
//! ```text
//!  ebur128 (K-weighting, channel weights) ─► energy of each 100 ms ─► Gating::add_hop
//!      last 4 hops ─► momentary ─► block (≥ −70 LUFS) ─► integrated
//!      last 30 hops ─► short-term ─► every 10th hop (≥ −70 LUFS) ─► loudness range
//! ```
//!
//! The statistics are ebur128's own (its queue history: the same blocks,
//! the same gates, the same percentile indices), fed from the 100 ms
//! energies the meter reads anyway for the momentary and short-term maxima.
//! Asked for integrated loudness and range itself, the crate re-sums the
//! last 400 ms of filtered audio every 100 ms and the last 3 s every second:
//! seven more passes over every sample, a third of a render's metering.
//! Tests hold the results to the crate's own (`tests/loudness_gating.rs`).
//!
//! Memory: one `f64` per 100 ms and one per second above −70 LUFS (as the
//! crate keeps), about 7.6 MB for a 24-hour programme.

use std::collections::VecDeque;

use ebur128::energy_to_loudness;

/// Hops (100 ms) in a momentary window and a short-term window.
const MOMENTARY_HOPS: usize = 4;
const SHORT_TERM_HOPS: usize = 30;
/// Short-term blocks for the range are taken every second (ebur128's hop).
const RANGE_EVERY_HOPS: u64 = 10;

/// The absolute gate, −70 LUFS, as an energy: 10^((−70 + 0.691) / 10).
const ABSOLUTE_GATE: f64 = 1.172_465_304_582_298_1e-7;
/// The relative gates as energy factors: −10 LU (integrated), −20 LU (range).
const RELATIVE_GATE_I: f64 = 0.1;
const RELATIVE_GATE_LRA: f64 = 0.01;

/// Running gate statistics; see the module docs.
#[derive(Debug, Default)]
pub(crate) struct Gating {
    /// Energies of the last `SHORT_TERM_HOPS` hops, newest last.
    recent: VecDeque<f64>,
    /// Hops seen.
    hops: u64,
    /// Energies of the 400 ms blocks above the absolute gate.
    blocks: Vec<f64>,
    /// Energies of the 3 s blocks (one a second) above the absolute gate.
    short_terms: Vec<f64>,
}

/// What one hop completed: the momentary and short-term energies, once
/// their windows are full.
pub(crate) struct Windows {
    pub momentary: Option<f64>,
    pub short_term: Option<f64>,
}

impl Gating {
    pub(crate) fn new() -> Self {
        Gating {
            recent: VecDeque::with_capacity(SHORT_TERM_HOPS + 1),
            ..Gating::default()
        }
    }

    /// Takes the mean-square (K-weighted, channel-weighted) energy of the
    /// next 100 ms.
    pub(crate) fn add_hop(&mut self, energy: f64) -> Windows {
        if self.recent.len() == SHORT_TERM_HOPS {
            self.recent.pop_front();
        }
        self.recent.push_back(energy);
        self.hops += 1;
        let n = self.recent.len();
        let mean = |k: usize| self.recent.iter().skip(n - k).sum::<f64>() / k as f64;
        let momentary = (n >= MOMENTARY_HOPS).then(|| mean(MOMENTARY_HOPS));
        let short_term = (n == SHORT_TERM_HOPS).then(|| mean(SHORT_TERM_HOPS));
        if let Some(m) = momentary.filter(|&m| m >= ABSOLUTE_GATE) {
            self.blocks.push(m);
        }
        // At 3 s, 4 s, 5 s … (the window is full from the 30th hop on).
        let range_block = self
            .hops
            .checked_sub(SHORT_TERM_HOPS as u64)
            .is_some_and(|h| h.is_multiple_of(RANGE_EVERY_HOPS));
        if let Some(s) = short_term.filter(|&s| s >= ABSOLUTE_GATE && range_block) {
            self.short_terms.push(s);
        }
        Windows {
            momentary,
            short_term,
        }
    }

    /// Integrated loudness (LUFS): −∞ with no block above the gates.
    pub(crate) fn integrated(&self) -> f64 {
        if self.blocks.is_empty() {
            return f64::NEG_INFINITY;
        }
        let mean = self.blocks.iter().sum::<f64>() / self.blocks.len() as f64;
        let gate = mean * RELATIVE_GATE_I;
        let (count, sum) = self
            .blocks
            .iter()
            .filter(|&&e| e >= gate)
            .fold((0u64, 0.0f64), |(c, s), &e| (c + 1, s + e));
        if count == 0 {
            return f64::NEG_INFINITY;
        }
        energy_to_loudness(sum / count as f64)
    }

    /// Loudness range (LU): 0 when nothing passes the gates.
    pub(crate) fn range(&self) -> f64 {
        let mut q = self.short_terms.clone();
        if q.is_empty() {
            return 0.0;
        }
        q.sort_unstable_by(f64::total_cmp);
        let mean = q.iter().sum::<f64>() / q.len() as f64;
        let gate = mean * RELATIVE_GATE_LRA;
        let below = q.iter().take_while(|&&e| e < gate).count();
        let Some(last) = (q.len() - below).checked_sub(1) else {
            return 0.0;
        };
        let at = |p: f64| q[below + (last as f64 * p + 0.5) as usize];
        energy_to_loudness(at(0.95)) - energy_to_loudness(at(0.1))
    }
}
