//! Where track audio enters the engine: a `Feed` hands over the next frames
//! of one source. The engine never waits on a feed; a feed that has nothing
//! ready returns silence and counts an underrun.

use std::sync::Arc;

/// One track's audio, pulled a block at a time on the audio thread. An
/// implementation must not allocate, lock or block in `fill`.
pub trait Feed: Send {
    /// 1 (mono: only `left` is filled) or 2.
    fn channels(&self) -> usize;
    /// Fills `left` (and `right` for stereo) completely; silence past the end
    /// or when data is not ready.
    fn fill(&mut self, left: &mut [f32], right: &mut [f32]);
    /// Whether `frames` frames can be filled without an underrun. The
    /// offline renderer waits for this; the live callback never does.
    fn ready(&self, _frames: usize) -> bool {
        true
    }
    /// The source has ended and everything was played.
    fn finished(&self) -> bool {
        false
    }
}

/// A source held in memory. Stored planar (one slice per side), converted
/// once when made, so `fill` is a plain copy. Used by tests and the benchmark.
pub struct MemoryFeed {
    left: Arc<[f32]>,
    right: Option<Arc<[f32]>>,
    pos: usize,
    looping: bool,
}

impl MemoryFeed {
    /// `data` is interleaved with `channels` (1 or 2) samples per frame.
    pub fn new(data: Arc<[f32]>, channels: usize, looping: bool) -> Self {
        if channels >= 2 {
            let left: Arc<[f32]> = data.chunks_exact(2).map(|f| f[0]).collect();
            let right: Arc<[f32]> = data.chunks_exact(2).map(|f| f[1]).collect();
            MemoryFeed {
                left,
                right: Some(right),
                pos: 0,
                looping,
            }
        } else {
            MemoryFeed {
                left: data,
                right: None,
                pos: 0,
                looping,
            }
        }
    }
}

impl Feed for MemoryFeed {
    fn channels(&self) -> usize {
        if self.right.is_some() { 2 } else { 1 }
    }

    fn finished(&self) -> bool {
        !self.looping && self.pos >= self.left.len()
    }

    fn fill(&mut self, left: &mut [f32], right: &mut [f32]) {
        let total = self.left.len();
        let mut done = 0;
        while done < left.len() {
            if self.pos >= total {
                if self.looping && total > 0 {
                    self.pos = 0;
                } else {
                    left[done..].fill(0.0);
                    if self.right.is_some() {
                        right[done..].fill(0.0);
                    }
                    return;
                }
            }
            let n = (left.len() - done).min(total - self.pos);
            left[done..done + n].copy_from_slice(&self.left[self.pos..self.pos + n]);
            if let Some(r) = &self.right {
                right[done..done + n].copy_from_slice(&r[self.pos..self.pos + n]);
            }
            self.pos += n;
            done += n;
        }
        // The run the next block will read (see `dsp::prefetch`).
        let ahead = self.pos..(self.pos + left.len()).min(total);
        crate::dsp::prefetch::prefetch(&self.left[ahead.clone()]);
        if let Some(r) = &self.right {
            crate::dsp::prefetch::prefetch(&r[ahead]);
        }
    }
}
