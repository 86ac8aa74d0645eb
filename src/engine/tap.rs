//! Taps: a copy of a stereo (or wider) signal leaving the audio thread for
//! analysis on the UI side — loudness today; a spectrum analyser or a
//! correlation meter can read the same tap. The ring is preallocated; the
//! audio side copies whole frames into it and never allocates, locks or
//! waits: what does not fit (a UI that stopped reading) is dropped and counted.
//!
//! ```text
//!  audio thread: TapWriter::push_* ──rtrb<f32> (whole frames)──► TapReader::drain ──► meters
//!                     └──── dropped frames (atomic) ────────────────┘
//! ```
//! A tap carries `channels` interleaved channels: 2 for the master, 4 for
//! an A/B comparison (processed L/R, then unprocessed L/R).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The audio side of a tap.
pub struct TapWriter {
    tx: rtrb::Producer<f32>,
    channels: usize,
    dropped: Arc<AtomicU64>,
}

/// The UI side of a tap.
pub struct TapReader {
    rx: rtrb::Consumer<f32>,
    channels: usize,
    dropped: Arc<AtomicU64>,
}

/// A tap of `channels` channels holding up to `frames` frames.
pub fn tap(channels: usize, frames: usize) -> (TapWriter, TapReader) {
    let channels = channels.max(1);
    // A whole number of frames: a wrap never splits one.
    let (tx, rx) = rtrb::RingBuffer::new(frames.max(1) * channels);
    let dropped = Arc::new(AtomicU64::new(0));
    (
        TapWriter {
            tx,
            channels,
            dropped: dropped.clone(),
        },
        TapReader {
            rx,
            channels,
            dropped,
        },
    )
}

impl TapWriter {
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// How many of `frames` fit; the rest are counted as dropped.
    fn room(&self, frames: usize) -> usize {
        let fit = (self.tx.slots() / self.channels).min(frames);
        if fit < frames {
            self.dropped
                .fetch_add((frames - fit) as u64, Ordering::Relaxed);
        }
        fit
    }

    /// Audio thread: the first `channels` of every frame of `src`, which
    /// has `width` channels per frame.
    pub fn push_interleaved(&mut self, src: &[f32], width: usize) {
        let ch = self.channels;
        if width < ch {
            return;
        }
        let fit = self.room(src.len() / width);
        if fit == 0 {
            return;
        }
        if let Ok(chunk) = self.tx.write_chunk_uninit(fit * ch) {
            let samples = src
                .chunks_exact(width)
                .take(fit)
                .flat_map(|f| f[..ch].iter().copied());
            chunk.fill_from_iter(samples);
        }
    }

    /// Audio thread: frames from planar sides (`sides.len() == channels`,
    /// all the same length).
    pub fn push_planar(&mut self, sides: &[&[f32]]) {
        let ch = self.channels;
        if sides.len() != ch {
            return;
        }
        let fit = self.room(sides[0].len());
        if fit == 0 {
            return;
        }
        if let Ok(chunk) = self.tx.write_chunk_uninit(fit * ch) {
            let samples = (0..fit * ch).map(|k| sides[k % ch][k / ch]);
            chunk.fill_from_iter(samples);
        }
    }
}

impl TapReader {
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Everything tapped since the last call, oldest first, as interleaved
    /// slices of whole frames (two when the ring wraps).
    pub fn drain(&mut self, f: &mut dyn FnMut(&[f32])) {
        let n = self.rx.slots();
        if n == 0 {
            return;
        }
        if let Ok(chunk) = self.rx.read_chunk(n) {
            let (a, b) = chunk.as_slices();
            if !a.is_empty() {
                f(a);
            }
            if !b.is_empty() {
                f(b);
            }
            chunk.commit_all();
        }
    }

    /// Frames the audio side had to drop because the ring was full.
    pub fn dropped_frames(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_arrive_in_order_and_overflow_is_counted() {
        let (mut w, mut r) = tap(2, 4);
        w.push_interleaved(&[1.0, 2.0, 9.0, 3.0, 4.0, 9.0], 3);
        w.push_planar(&[&[5.0, 7.0, 11.0, 13.0], &[6.0, 8.0, 12.0, 14.0]]);
        let mut got = Vec::new();
        r.drain(&mut |s| got.extend_from_slice(s));
        assert_eq!(got, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(r.dropped_frames(), 2);
    }
}
