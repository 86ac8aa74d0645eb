//! Level-matched A/B of one channel's inserts: A is the channel as
//! processed, B the same signal with the inserts bypassed, scaled by a
//! matching gain so both are equally loud. The inserts keep running during
//! B (switching back is seamless), and both versions go out on a 4-channel
//! tap (A L/R, unmatched B L/R) so the UI can measure their short-term
//! loudness and send the matching gain back.
//!
//! ```text
//!  trim ─┬─► inserts ─► A ─┐
//!        └─► (copy) ─► B ──┴─► blend (A ↔ B×gain, 20 ms) ─► fader … ; A, B ─► tap
//! ```

use super::tap::TapWriter;
use crate::dsp::{BLOCK, Ramp};

/// The comparison the engine runs (one channel at a time).
pub struct AbCompare {
    /// Plan position of the compared channel.
    pos: Option<usize>,
    /// 0 = A (processed), 1 = B (bypassed, matched).
    blend: Ramp,
    /// The matching gain applied to B.
    gain: Ramp,
    ramp: u32,
    pre: Box<[[f32; BLOCK]; 2]>,
    blend_buf: Box<[f32; BLOCK]>,
    gain_buf: Box<[f32; BLOCK]>,
    tap: Option<TapWriter>,
}

impl AbCompare {
    /// Off; `ramp` samples for switching and gain changes.
    pub fn new(ramp: u32) -> Self {
        AbCompare {
            pos: None,
            blend: Ramp::at(0.0),
            gain: Ramp::at(1.0),
            ramp,
            pre: Box::new([[0.0; BLOCK]; 2]),
            blend_buf: Box::new([0.0; BLOCK]),
            gain_buf: Box::new([0.0; BLOCK]),
            tap: None,
        }
    }

    pub fn set_tap(&mut self, tap: TapWriter) {
        self.tap = Some(tap);
    }

    /// Compares the channel at `pos` (none: off), listening to B or A,
    /// with B scaled by `gain`.
    pub fn set(&mut self, pos: Option<usize>, listen_b: bool, gain: f32) {
        if pos != self.pos {
            self.pos = pos;
            self.blend.jump(0.0);
            self.gain.jump(gain);
        }
        self.blend.set(if listen_b { 1.0 } else { 0.0 }, self.ramp);
        self.gain.set(gain, self.ramp);
    }

    /// The compared channel's plan position.
    pub fn position(&self) -> Option<usize> {
        self.pos
    }

    /// Keeps the trimmed input before the inserts run.
    pub(super) fn keep_input(&mut self, l: &[f32], r: &[f32]) {
        let n = l.len();
        self.pre[0][..n].copy_from_slice(l);
        self.pre[1][..n].copy_from_slice(r);
    }

    /// After the inserts: taps A and B, then plays the blend in place.
    pub(super) fn blend(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len();
        if let Some(tap) = self.tap.as_mut() {
            tap.push_planar(&[l, r, &self.pre[0][..n], &self.pre[1][..n]]);
        }
        if !self.blend.is_ramping() && self.blend.current() == 0.0 {
            return;
        }
        self.blend.fill(&mut self.blend_buf[..n]);
        self.gain.fill(&mut self.gain_buf[..n]);
        for side in 0..2 {
            let out = if side == 0 { &mut *l } else { &mut *r };
            let pre = &self.pre[side][..n];
            for i in 0..n {
                let m = self.blend_buf[i];
                out[i] = out[i] * (1.0 - m) + pre[i] * self.gain_buf[i] * m;
            }
        }
    }
}
