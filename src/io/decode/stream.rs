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
//!
//! Seeking hands every track a fresh ring positioned at the new frame (the
//! readers are reused); the caller swaps the new feeds in once they are
//! filled, and the old rings are dropped off the audio thread. Loops are
//! made here: at the loop end the disk thread seeks back to the loop start,
//! so the ring holds the looped audio seamlessly.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::error::SourceError;
use super::reader::SourceReader;
use crate::engine::Feed;

/// Frames decoded per read: large enough to amortise a syscall, small
/// enough to stay in cache.
const READ_FRAMES: usize = 8192;

/// How long an idle disk thread sleeps between looks at its rings: from
/// `NAP_MIN` right after work, doubling up to `NAP_MAX` (a live ring holds
/// 1.5 s, so refilling up to 50 ms late never runs it dry).
const NAP_MIN: Duration = Duration::from_millis(2);
const NAP_MAX: Duration = Duration::from_millis(50);

/// What one ring's disk thread and its feed share.
#[derive(Default)]
struct RingState {
    /// The reader hit the end of the file (or an error) for this ring.
    eof: AtomicBool,
}

/// The audio-thread end of one track's ring.
pub struct RingFeed {
    ring: rtrb::Consumer<f32>,
    channels: usize,
    state: Arc<RingState>,
    underruns: Arc<AtomicU64>,
}

impl Feed for RingFeed {
    fn channels(&self) -> usize {
        self.channels
    }

    fn fill(&mut self, left: &mut [f32], right: &mut [f32]) {
        let want = left.len();
        let ready = self.ring.slots() / self.channels;
        let have = ready.min(want);
        // This block's frames and, when there, the next block's, which are
        // only hinted to the cache (`dsp::prefetch`) and stay in the ring.
        let span = ready.min(2 * want) * self.channels;
        if have > 0
            && let Ok(chunk) = self.ring.read_chunk(span)
        {
            let (a, b) = chunk.as_slices();
            let now = have * self.channels;
            let (a_now, a_next) = a.split_at(now.min(a.len()));
            let (b_now, b_next) = b.split_at(now - a_now.len());
            // Frames never straddle the wrap point (see `fill_ring`).
            let split = a_now.len() / self.channels;
            let (l1, l2) = left.split_at_mut(split);
            let (r1, r2) = right.split_at_mut(split.min(right.len()));
            deinterleave(a_now, self.channels, l1, r1);
            deinterleave(b_now, self.channels, l2, r2);
            crate::dsp::prefetch::prefetch(a_next);
            crate::dsp::prefetch::prefetch(b_next);
            chunk.commit(now);
        }
        if have < want {
            left[have..].fill(0.0);
            if self.channels == 2 {
                right[have..].fill(0.0);
            }
            if !self.state.eof.load(Ordering::Acquire) {
                self.underruns.fetch_add(1, Ordering::Relaxed);
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

/// A track as its disk thread sees it.
struct DiskTrack {
    name: String,
    reader: SourceReader,
    channels: usize,
    ring: rtrb::Producer<f32>,
    state: Arc<RingState>,
    /// Next frame the reader will deliver.
    next_frame: u64,
    looping: Option<(u64, u64)>,
}

/// New rings for a disk thread's tracks, in its own track order.
struct Reposition {
    rings: Vec<(rtrb::Producer<f32>, Arc<RingState>)>,
    frame: u64,
    looping: Option<(u64, u64)>,
}

struct Worker {
    handle: JoinHandle<()>,
    stop: Arc<AtomicBool>,
    tx: mpsc::Sender<Reposition>,
    /// Global indices of this worker's tracks.
    tracks: Vec<usize>,
}

/// The disk threads of one set of tracks. Dropping it stops them.
pub struct DiskStreams {
    workers: Vec<Worker>,
    channels: Vec<usize>,
    ring_frames: usize,
    underruns: Arc<AtomicU64>,
    errors: mpsc::Receiver<String>,
}

impl DiskStreams {
    /// Starts `threads` disk threads for `readers` (name for messages, reader)
    /// with rings of `ring_frames` frames (the read-ahead), and returns the
    /// feeds in the same order as the readers, starting where each reader is.
    pub fn start(
        readers: Vec<(String, SourceReader)>,
        ring_frames: usize,
        threads: usize,
    ) -> std::io::Result<(Self, Vec<RingFeed>)> {
        let threads = threads.clamp(1, readers.len().max(1));
        let (err_tx, errors) = mpsc::channel();
        let ring_frames = ring_frames.max(READ_FRAMES);
        let underruns = Arc::new(AtomicU64::new(0));
        let channels: Vec<usize> = readers
            .iter()
            .map(|(_, r)| r.info().channels.clamp(1, 2))
            .collect();
        let mut per_thread: Vec<Vec<DiskTrack>> = (0..threads).map(|_| Vec::new()).collect();
        let mut indices: Vec<Vec<usize>> = vec![Vec::new(); threads];
        let mut feeds = Vec::with_capacity(readers.len());
        for (k, (name, reader)) in readers.into_iter().enumerate() {
            let (feed, ring, state) = new_ring(channels[k], ring_frames, &underruns);
            feeds.push(feed);
            indices[k % threads].push(k);
            per_thread[k % threads].push(DiskTrack {
                name,
                reader,
                channels: channels[k],
                ring,
                state,
                next_frame: 0,
                looping: None,
            });
        }
        let mut streams = DiskStreams {
            workers: Vec::new(),
            channels,
            ring_frames,
            underruns,
            errors,
        };
        for (k, (tracks, idx)) in per_thread.into_iter().zip(indices).enumerate() {
            let stop = Arc::new(AtomicBool::new(false));
            let stop2 = stop.clone();
            let err_tx = err_tx.clone();
            let (tx, rx) = mpsc::channel();
            // On failure `streams` drops here and stops the threads already started.
            let handle = thread::Builder::new()
                .name(format!("auxbus-disk-{k}"))
                .spawn(move || disk_loop(tracks, &rx, &stop2, &err_tx))?;
            streams.workers.push(Worker {
                handle,
                stop,
                tx,
                tracks: idx,
            });
        }
        Ok((streams, feeds))
    }

    /// New feeds for every track, starting at `frame` and looping over
    /// `looping` (start, end) if given. The old feeds keep whatever they had
    /// and then run dry; swap the new ones in once `ready`.
    pub fn reposition(&self, frame: u64, looping: Option<(u64, u64)>) -> Vec<RingFeed> {
        let looping = looping.filter(|(a, b)| b > a);
        let mut feeds: Vec<Option<RingFeed>> = (0..self.channels.len()).map(|_| None).collect();
        for w in &self.workers {
            let mut rings = Vec::with_capacity(w.tracks.len());
            for &k in &w.tracks {
                let (feed, ring, state) =
                    new_ring(self.channels[k], self.ring_frames, &self.underruns);
                feeds[k] = Some(feed);
                rings.push((ring, state));
            }
            // A worker that is gone has already reported why; its tracks stay silent.
            let _ = w.tx.send(Reposition {
                rings,
                frame,
                looping,
            });
        }
        self.wake();
        feeds.into_iter().flatten().collect()
    }

    /// Wakes idle disk threads (after the consumer made room).
    pub fn wake(&self) {
        for w in &self.workers {
            w.handle.thread().unpark();
        }
    }

    /// The next decoding error a disk thread met, naming the file.
    pub fn error(&self) -> Option<String> {
        self.errors.try_recv().ok()
    }

    /// Underruns summed over every track since the start.
    pub fn underruns(&self) -> u64 {
        self.underruns.load(Ordering::Relaxed)
    }

    /// Read-ahead per track, in frames.
    pub fn ring_frames(&self) -> usize {
        self.ring_frames
    }
}

impl Drop for DiskStreams {
    fn drop(&mut self) {
        for w in &self.workers {
            w.stop.store(true, Ordering::Release);
            w.handle.thread().unpark();
        }
        for w in self.workers.drain(..) {
            let _ = w.handle.join();
        }
    }
}

fn new_ring(
    channels: usize,
    frames: usize,
    underruns: &Arc<AtomicU64>,
) -> (RingFeed, rtrb::Producer<f32>, Arc<RingState>) {
    let (producer, consumer) = rtrb::RingBuffer::new(frames * channels);
    let state = Arc::new(RingState::default());
    let feed = RingFeed {
        ring: consumer,
        channels,
        state: state.clone(),
        underruns: underruns.clone(),
    };
    (feed, producer, state)
}

fn disk_loop(
    mut tracks: Vec<DiskTrack>,
    rx: &mpsc::Receiver<Reposition>,
    stop: &AtomicBool,
    errors: &mpsc::Sender<String>,
) {
    let mut nap = NAP_MIN;
    for t in tracks.iter_mut() {
        prefill(&mut t.ring);
    }
    while !stop.load(Ordering::Acquire) {
        // Only the newest position matters.
        if let Some(msg) = rx.try_iter().last() {
            for (t, (ring, state)) in tracks.iter_mut().zip(msg.rings) {
                t.ring = ring;
                prefill(&mut t.ring);
                t.state = state;
                t.looping = msg.looping;
                t.next_frame = msg.frame;
                if let Err(e) = t.reader.seek(msg.frame) {
                    let _ = errors.send(format!("{}: {e}", t.name));
                    t.state.eof.store(true, Ordering::Release);
                }
            }
        }
        let mut worked = false;
        for t in tracks.iter_mut() {
            if t.state.eof.load(Ordering::Relaxed) || t.ring.is_abandoned() {
                continue;
            }
            let room = t.ring.slots() / t.channels;
            if room < READ_FRAMES.min(t.ring.buffer().capacity() / t.channels / 2) {
                continue;
            }
            match fill_ring(t, room.min(READ_FRAMES)) {
                Ok(0) => t.state.eof.store(true, Ordering::Release),
                Ok(_) => {}
                Err(e) => {
                    let _ = errors.send(format!("{}: {e}", t.name));
                    t.state.eof.store(true, Ordering::Release);
                }
            }
            worked = true;
        }
        if worked {
            nap = NAP_MIN;
        } else {
            // Every ring is full (or finished): sleep until woken (a seek,
            // the console's next frame, a render waiting for audio) or a
            // timeout that grows while nothing is taken, so a stopped
            // console's disk threads wake 20 times a second, not 500.
            thread::park_timeout(nap);
            nap = (nap * 2).min(NAP_MAX);
        }
    }
}

/// Writes every slot of a fresh ring once, without handing anything over
/// (nothing is committed), so the disk thread can decode straight into the
/// ring's memory (`fill_ring`) instead of zeroing each chunk first, which
/// cost a tenth of a render's CPU. Done on the disk thread when it takes
/// the ring, so a seek on the UI thread does not touch 1.5 s × every track.
fn prefill(ring: &mut rtrb::Producer<f32>) {
    if let Ok(mut chunk) = ring.write_chunk_uninit(ring.slots()) {
        let (a, b) = chunk.as_mut_slices();
        a.fill(std::mem::MaybeUninit::new(0.0));
        b.fill(std::mem::MaybeUninit::new(0.0));
    }
}

/// The ring's free slots as plain floats. Sound because the disk thread
/// `prefill`ed every slot before writing any, and a slot of a `Copy` type
/// keeps its last value when it is read and released: the memory is always
/// initialised, `MaybeUninit` only says the type system cannot see it.
fn initialised(slots: &mut [std::mem::MaybeUninit<f32>]) -> &mut [f32] {
    // SAFETY: see above; `MaybeUninit<f32>` has the layout of `f32`.
    unsafe { std::slice::from_raw_parts_mut(slots.as_mut_ptr().cast::<f32>(), slots.len()) }
}

/// Decodes up to `frames` frames straight into the ring; returns frames
/// written (0 only at the end of a source that is not looping).
fn fill_ring(t: &mut DiskTrack, frames: usize) -> Result<usize, SourceError> {
    let mut frames = frames;
    if let Some((start, end)) = t.looping {
        if t.next_frame >= end {
            t.reader.seek(start)?;
            t.next_frame = start;
        }
        frames = frames.min((end - t.next_frame) as usize);
    }
    let Ok(mut chunk) = t.ring.write_chunk_uninit(frames * t.channels) else {
        return Ok(frames); // no room after all; try again later
    };
    let (a, b) = chunk.as_mut_slices();
    let (a, b) = (initialised(a), initialised(b));
    // Capacity and every advance are whole frames, so the wrap point never
    // splits a frame.
    debug_assert_eq!(a.len() % t.channels, 0);
    let mut written = t.reader.read(a)? * t.channels;
    if written == a.len() && !b.is_empty() {
        written += t.reader.read(b)? * t.channels;
    }
    if t.looping.is_some() {
        // A source shorter than the loop plays silence up to the loop end,
        // so every track wraps at the same frame.
        let (a_len, end) = (a.len(), frames * t.channels);
        a[written.min(a_len)..].fill(0.0);
        b[written.saturating_sub(a_len)..end.saturating_sub(a_len)].fill(0.0);
        written = end;
    }
    // SAFETY: every slot of the ring holds a valid f32 (see `initialised`).
    unsafe { chunk.commit(written) };
    let done = written / t.channels;
    t.next_frame += done as u64;
    Ok(done)
}
