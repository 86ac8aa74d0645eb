//! Disk streaming: background threads decode every track ahead of the play
//! head into a lock-free ring per track; the engine reads the rings.
//!
//! ```text
//!  files ─► SourceReader ─► [disk thread] ─► rtrb ring ─► RingFeed ─► Engine
//!                            (may block)      (per track)  (never blocks)
//! ```
//! The audio thread never touches a file: when a ring is empty it plays
//! silence and counts an underrun. Memory is bounded by the ring sizes,
//! whatever the length of the files.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::source::SourceReader;
use crate::engine::Feed;

/// Frames decoded per read: large enough to amortise a syscall, small
/// enough to stay in cache.
const READ_FRAMES: usize = 8192;

/// What a track's disk thread and its feed share.
#[derive(Default)]
struct TrackState {
    /// The reader hit the end of the file (or an error).
    eof: AtomicBool,
    underruns: AtomicU64,
}

/// The audio-thread end of one track's ring.
pub struct RingFeed {
    ring: rtrb::Consumer<f32>,
    channels: usize,
    state: Arc<TrackState>,
}

impl Feed for RingFeed {
    fn channels(&self) -> usize {
        self.channels
    }

    fn fill(&mut self, left: &mut [f32], right: &mut [f32]) {
        let want = left.len();
        let have = (self.ring.slots() / self.channels).min(want);
        if have > 0 {
            if let Ok(chunk) = self.ring.read_chunk(have * self.channels) {
                let (a, b) = chunk.as_slices();
                // Frames never straddle the wrap point (see `fill_ring`).
                let split = a.len() / self.channels;
                let (l1, l2) = left.split_at_mut(split);
                let (r1, r2) = right.split_at_mut(split.min(right.len()));
                deinterleave(a, self.channels, l1, r1);
                deinterleave(b, self.channels, l2, r2);
                chunk.commit_all();
            }
        }
        if have < want {
            left[have..].fill(0.0);
            if self.channels == 2 {
                right[have..].fill(0.0);
            }
            if !self.state.eof.load(Ordering::Acquire) {
                self.state.underruns.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn ready(&self, frames: usize) -> bool {
        self.ring.slots() >= frames * self.channels || self.state.eof.load(Ordering::Acquire)
    }

    fn finished(&self) -> bool {
        self.ring.is_empty() && self.state.eof.load(Ordering::Acquire)
    }
}

/// Splits interleaved `src` into `left` (and `right` when stereo).
fn deinterleave(src: &[f32], channels: usize, left: &mut [f32], right: &mut [f32]) {
    if channels == 1 {
        left[..src.len()].copy_from_slice(src);
    } else {
        for (k, frame) in src.chunks_exact(2).enumerate() {
            left[k] = frame[0];
            right[k] = frame[1];
        }
    }
}

/// A track handed to a disk thread.
struct DiskTrack {
    name: String,
    reader: SourceReader,
    ring: rtrb::Producer<f32>,
    channels: usize,
    state: Arc<TrackState>,
}

/// The disk threads of one set of tracks. Dropping it stops them.
pub struct DiskStreams {
    threads: Vec<(JoinHandle<()>, Arc<AtomicBool>)>,
    states: Vec<Arc<TrackState>>,
    errors: mpsc::Receiver<String>,
}

impl DiskStreams {
    /// Starts `threads` disk threads for `readers` (name for messages, reader)
    /// with rings of `ring_frames` frames, and returns the feeds in the same
    /// order as the readers.
    pub fn start(
        readers: Vec<(String, SourceReader)>,
        ring_frames: usize,
        threads: usize,
    ) -> std::io::Result<(Self, Vec<RingFeed>)> {
        let threads = threads.clamp(1, readers.len().max(1));
        let (err_tx, errors) = mpsc::channel();
        let mut per_thread: Vec<Vec<DiskTrack>> = (0..threads).map(|_| Vec::new()).collect();
        let mut feeds = Vec::with_capacity(readers.len());
        let mut states = Vec::with_capacity(readers.len());
        for (k, (name, reader)) in readers.into_iter().enumerate() {
            let channels = reader.info().channels.clamp(1, 2);
            let (producer, consumer) =
                rtrb::RingBuffer::new(ring_frames.max(READ_FRAMES) * channels);
            let state = Arc::new(TrackState::default());
            states.push(state.clone());
            feeds.push(RingFeed {
                ring: consumer,
                channels,
                state: state.clone(),
            });
            per_thread[k % threads].push(DiskTrack {
                name,
                reader,
                ring: producer,
                channels,
                state,
            });
        }
        let mut streams = DiskStreams {
            threads: Vec::new(),
            states,
            errors,
        };
        for (k, tracks) in per_thread.into_iter().enumerate() {
            let stop = Arc::new(AtomicBool::new(false));
            let stop2 = stop.clone();
            let err_tx = err_tx.clone();
            // On failure `streams` drops here and stops the threads already started.
            let handle = thread::Builder::new()
                .name(format!("auxbus-disk-{k}"))
                .spawn(move || disk_loop(tracks, &stop2, &err_tx))?;
            streams.threads.push((handle, stop));
        }
        Ok((streams, feeds))
    }

    /// Wakes idle disk threads (after the consumer made room).
    pub fn wake(&self) {
        for (h, _) in &self.threads {
            h.thread().unpark();
        }
    }

    /// The first decoding error a disk thread met, naming the file.
    pub fn error(&self) -> Option<String> {
        self.errors.try_recv().ok()
    }

    /// Underruns summed over every track.
    pub fn underruns(&self) -> u64 {
        self.states
            .iter()
            .map(|s| s.underruns.load(Ordering::Relaxed))
            .sum()
    }
}

impl Drop for DiskStreams {
    fn drop(&mut self) {
        for (h, stop) in &self.threads {
            stop.store(true, Ordering::Release);
            h.thread().unpark();
        }
        for (h, _) in self.threads.drain(..) {
            let _ = h.join();
        }
    }
}

fn disk_loop(mut tracks: Vec<DiskTrack>, stop: &AtomicBool, errors: &mpsc::Sender<String>) {
    while !stop.load(Ordering::Acquire) {
        let mut worked = false;
        for t in tracks.iter_mut() {
            if t.state.eof.load(Ordering::Relaxed) || t.ring.is_abandoned() {
                continue;
            }
            let room = t.ring.slots() / t.channels;
            if room < READ_FRAMES.min(t.ring.buffer().capacity() / t.channels / 2) {
                continue;
            }
            let frames = room.min(READ_FRAMES);
            match fill_ring(t, frames) {
                Ok(0) => t.state.eof.store(true, Ordering::Release),
                Ok(_) => {}
                Err(e) => {
                    let _ = errors.send(format!("{}: {e}", t.name));
                    t.state.eof.store(true, Ordering::Release);
                }
            }
            worked = true;
        }
        if !worked {
            // Every ring is full (or finished): sleep until woken or a short
            // timeout, whichever comes first.
            thread::park_timeout(Duration::from_millis(2));
        }
    }
}

/// Decodes up to `frames` frames straight into the ring; returns frames written.
fn fill_ring(t: &mut DiskTrack, frames: usize) -> Result<usize, super::source::SourceError> {
    let Ok(mut chunk) = t.ring.write_chunk(frames * t.channels) else {
        return Ok(frames); // no room after all; try again later
    };
    let (a, b) = chunk.as_mut_slices();
    // Capacity and every advance are whole frames, so the wrap point never
    // splits a frame.
    debug_assert_eq!(a.len() % t.channels, 0);
    let mut written = t.reader.read(a)? * t.channels;
    if written == a.len() && !b.is_empty() {
        written += t.reader.read(b)? * t.channels;
    }
    chunk.commit(written);
    Ok(written / t.channels)
}
