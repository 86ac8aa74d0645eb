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

/// A source held in memory, interleaved. Used by tests and the benchmark.
pub struct MemoryFeed {
    data: Arc<[f32]>,
    channels: usize,
    pos: usize,
    looping: bool,
}

impl MemoryFeed {
    /// `data` is interleaved with `channels` (1 or 2) samples per frame.
    pub fn new(data: Arc<[f32]>, channels: usize, looping: bool) -> Self {
        MemoryFeed {
            data,
            channels: channels.clamp(1, 2),
            pos: 0,
            looping,
        }
    }

    fn frames(&self) -> usize {
        self.data.len() / self.channels
    }
}

impl Feed for MemoryFeed {
    fn channels(&self) -> usize {
        self.channels
    }

    fn finished(&self) -> bool {
        !self.looping && self.pos >= self.frames()
    }

    fn fill(&mut self, left: &mut [f32], right: &mut [f32]) {
        let total = self.frames();
        let mut done = 0;
        while done < left.len() {
            if self.pos >= total {
                if self.looping && total > 0 {
                    self.pos = 0;
                } else {
                    left[done..].fill(0.0);
                    if self.channels == 2 {
                        right[done..].fill(0.0);
                    }
                    return;
                }
            }
            let n = (left.len() - done).min(total - self.pos);
            if self.channels == 1 {
                left[done..done + n].copy_from_slice(&self.data[self.pos..self.pos + n]);
            } else {
                let src = &self.data[self.pos * 2..(self.pos + n) * 2];
                for (k, frame) in src.chunks_exact(2).enumerate() {
                    left[done + k] = frame[0];
                    right[done + k] = frame[1];
                }
            }
            self.pos += n;
            done += n;
        }
    }
}
