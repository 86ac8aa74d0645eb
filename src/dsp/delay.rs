//! A stereo block delay with several read points: the latency-compensation
//! line of one channel. Each block is written once; every path leaving the
//! channel then reads it back as many samples late as it needs.
//!
//! ```text
//!  line: [ history (max) | this block (≤ BLOCK) ]
//!                  ▲ a read `d` samples late starts `d` before the block
//! ```
//! Allocated with its largest delay (off the audio thread); `write` and
//! `view` never allocate.

use super::BLOCK;

#[derive(Debug, Clone)]
pub struct BlockDelay {
    /// Longest delay any reader asks for.
    max: usize,
    /// Left and right: `max` history samples, then room for one block.
    lines: [Vec<f32>; 2],
    /// Frames of the block written last; shifted into the history by the
    /// next write.
    pending: usize,
}

impl BlockDelay {
    /// A silent line for delays of up to `max` samples.
    pub fn new(max: usize) -> Self {
        BlockDelay {
            max,
            lines: [
                super::prefaulted(max + BLOCK),
                super::prefaulted(max + BLOCK),
            ],
            pending: 0,
        }
    }

    /// The longest delay this line serves.
    pub fn max_delay(&self) -> usize {
        self.max
    }

    fn shift(&mut self) {
        let (n, max) = (self.pending, self.max);
        if n > 0 {
            for line in &mut self.lines {
                line.copy_within(n..n + max, 0);
            }
            self.pending = 0;
        }
    }

    /// Appends one block (at most `BLOCK` frames) to the line.
    pub fn write(&mut self, l: &[f32], r: &[f32]) {
        self.shift();
        let n = l.len().min(r.len()).min(BLOCK);
        let max = self.max;
        self.lines[0][max..max + n].copy_from_slice(&l[..n]);
        self.lines[1][max..max + n].copy_from_slice(&r[..n]);
        self.pending = n;
    }

    /// Appends `n` frames of silence.
    pub fn write_silence(&mut self, n: usize) {
        self.shift();
        let (n, max) = (n.min(BLOCK), self.max);
        for line in &mut self.lines {
            line[max..max + n].fill(0.0);
        }
        self.pending = n;
    }

    /// The block written last, `delay` samples late (`delay ≤ max`).
    pub fn view(&self, delay: usize) -> [&[f32]; 2] {
        let start = self.max - delay.min(self.max);
        let n = self.pending;
        [
            &self.lines[0][start..start + n],
            &self.lines[1][start..start + n],
        ]
    }

    /// The newest `max` samples of each side, oldest first.
    fn history(&self) -> [&[f32]; 2] {
        let (n, max) = (self.pending, self.max);
        [&self.lines[0][n..n + max], &self.lines[1][n..n + max]]
    }

    /// Continues where `other` is: its newest samples become this line's
    /// history (as many as both hold), so a plan swap keeps every delayed
    /// path continuous.
    pub fn copy_state_from(&mut self, other: &BlockDelay) {
        self.pending = 0;
        let k = self.max.min(other.max);
        let max = self.max;
        let from = other.history();
        for (line, src) in self.lines.iter_mut().zip(from) {
            line[..max - k].fill(0.0);
            line[max - k..max].copy_from_slice(&src[src.len() - k..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_delayed_by_exactly_their_delay() {
        let mut d = BlockDelay::new(5);
        let input: Vec<f32> = (1..=40).map(|i| i as f32).collect();
        let mut out3 = Vec::new();
        for chunk in input.chunks(7) {
            d.write(chunk, chunk);
            out3.extend_from_slice(d.view(3)[0]);
            assert_eq!(d.view(0)[1], chunk);
        }
        let want: Vec<f32> = [0.0; 3].iter().chain(&input[..37]).copied().collect();
        assert_eq!(out3, want);
    }

    #[test]
    fn state_carries_over_to_a_shorter_or_longer_line() {
        let mut a = BlockDelay::new(4);
        a.write(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[0.0; 6]);
        let mut b = BlockDelay::new(2);
        b.copy_state_from(&a);
        b.write(&[7.0], &[0.0]);
        assert_eq!(b.view(2)[0], &[5.0]);
        let mut c = BlockDelay::new(8);
        c.copy_state_from(&a);
        c.write(&[7.0], &[0.0]);
        assert_eq!(c.view(4)[0], &[3.0]);
        assert_eq!(c.view(8)[0], &[0.0]);
    }
}
