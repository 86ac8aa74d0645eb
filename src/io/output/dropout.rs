//! Dropouts the host does not report. PulseAudio never reports an xrun:
//! when a callback comes too late the server plays silence and carries on.
//! The stream's own timestamps tell: a callback's `playback` instant is
//! when its first frame will be heard, so `playback − callback` is the
//! audio still queued ahead of the device. A callback that finds nothing
//! queued came late — the device has run dry and is playing silence.
//!
//! ```text
//!   callback k   ──[queued_k + frames_k]──►            (what is left to play)
//!   callback k+1 ── playback ≤ callback: queue empty ⇒ a dropout of about
//!                   (interval − queued after k) frames
//! ```
//! Counting starts once the stream has queued anything at all (its first
//! callbacks, and hosts that report no latency, find an empty queue by
//! design). Measured on a PulseAudio null sink, every such callback matched
//! a gap in a recording of the sink, and no other callback did. Pure
//! arithmetic: no allocation, safe on the audio thread.

/// Queued audio below this counts as none (ns): timestamps are estimates.
const EMPTY_NS: u128 = 100_000;

#[derive(Debug, Clone, Default)]
pub struct DropoutDetector {
    /// The stream has queued audio at least once.
    primed: bool,
    /// Start of the previous callback and the audio queued after it (ns).
    previous: Option<(u128, u128)>,
}

impl DropoutDetector {
    /// One callback: its start and the time its first frame plays (ns on
    /// the stream's clock), and how many frames it delivers at `rate`.
    /// Returns `Some(frames of silence, estimated)` for a late callback.
    pub fn observe(
        &mut self,
        callback: u128,
        playback: u128,
        frames: usize,
        rate: u32,
    ) -> Option<u64> {
        let rate = u128::from(rate.max(1));
        let period = frames as u128 * 1_000_000_000 / rate;
        let queued = playback.saturating_sub(callback);
        let empty = queued <= EMPTY_NS;
        let late = (self.primed && empty).then(|| match self.previous {
            Some((at, left)) => {
                let gap = callback.saturating_sub(at).saturating_sub(left);
                (gap * rate / 1_000_000_000) as u64
            }
            None => 0,
        });
        self.primed |= !empty;
        self.previous = Some((callback, queued + period));
        late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: u128 = 1_000_000;
    const PERIOD: u128 = 16 * MS / 3; // 256 frames at 48 kHz

    fn steady(d: &mut DropoutDetector, from: u128, n: u128, latency: u128) -> usize {
        (0..n)
            .filter_map(|k| {
                let t = from + k * PERIOD;
                d.observe(t, t + latency, 256, 48_000)
            })
            .count()
    }

    #[test]
    fn a_steady_stream_and_its_start_have_no_dropouts() {
        let mut d = DropoutDetector::default();
        // The first callbacks fill an empty queue; then a stall before the
        // server starts playing; then steady, with a jittery estimate.
        assert_eq!(steady(&mut d, 0, 2, 0), 0);
        assert_eq!(steady(&mut d, 1400 * MS, 50, 10 * MS), 0);
        assert_eq!(steady(&mut d, 1700 * MS, 50, 2 * MS), 0);
    }

    #[test]
    fn a_callback_that_finds_the_queue_empty_counts_the_silence() {
        let mut d = DropoutDetector::default();
        steady(&mut d, 0, 10, 5 * MS);
        // 20 ms after the last callback, which left 5 + 5.33 ms queued:
        // about 9.7 ms (464 frames) of silence.
        let late = 9 * PERIOD + 20 * MS;
        let missing = d.observe(late, late, 256, 48_000).expect("a dropout");
        assert!((455..=470).contains(&missing), "{missing}");
        assert_eq!(steady(&mut d, late + PERIOD, 10, 5 * MS), 0);
    }

    #[test]
    fn a_host_without_latency_reports_never_counts() {
        let mut d = DropoutDetector::default();
        assert_eq!(steady(&mut d, 0, 100, 0), 0);
    }
}
