//! True peak (ITU-R BS.1770-4 annex 2) through ebur128's own oversampling
//! interpolator, run only on the blocks where the peak can still rise.
//!
//! ```text
//!  block ─► max |x| over the block and the filter's window before it
//!             │ × Σ|h| (the interpolator's largest gain) < peak so far?
//!             ├─ yes: skip it (nothing in it can reach the peak)
//!             └─ no:  ebur128 (TRUE_PEAK) ─► peak = max(peak, block's true peak)
//! ```
//!
//! Exact, not an estimate: an interpolated sample is a sum of at most
//! `taps` input samples weighted by one phase of the filter, so it is never
//! larger than Σ|h| of that phase times the largest input in its window.
//! A block whose bound stays under the peak already found cannot change the
//! result. After a skip the interpolator is reset and fed the `taps` frames
//! before the next block, so every sample of that block is interpolated
//! from exactly the inputs a continuous run would use; what the reset run
//! produces from those frames alone is bounded by the skipped block's own
//! bound. The result equals ebur128's over the whole stream, bit for bit
//! (tested). On a mix, most blocks sit more than the filter's 5.4 dB below
//! the loudest moment, and the interpolator (the costliest part of
//! loudness metering) runs on the rest.

use ebur128::{EbuR128, Mode};

/// Frames per decision: small, so the interpolator runs only around the
/// loud moments (runs of loud blocks go through it without a restart, so
/// the restart's cost is paid once per run), large enough that the
/// bookkeeping is noise. On the demo's mix, 64 took half the time of 512.
const BLOCK: usize = 64;

/// Headroom over the exact Σ|h| for the interpolator's f32 rounding.
const ROUNDING: f64 = 1.001;

/// The interpolator's taps per phase and the largest Σ|h| over its phases,
/// as ebur128 builds it: a 48-tap Hann-windowed sinc, 4× below 96 kHz, 2×
/// below 192 kHz, none above (the true peak is then the sample peak).
fn interpolator(sample_rate: u32) -> (usize, f64) {
    let factor = match sample_rate {
        r if r < 96_000 => 4,
        r if r < 192_000 => 2,
        _ => return (1, 1.0),
    };
    let taps = 48;
    let coeff = |j: usize| {
        let j = j as f64;
        let w = 0.5 * (1.0 - (2.0 * std::f64::consts::PI * j / taps as f64).cos());
        let m = j - taps as f64 / 2.0;
        if m.abs() > 1e-6 {
            let x = m * std::f64::consts::PI / f64::from(factor);
            w * x.sin() / x
        } else {
            w
        }
    };
    let gain = (0..factor as usize)
        .map(|phase| {
            (phase..taps)
                .step_by(factor as usize)
                .map(|j| coeff(j).abs())
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    (taps / factor as usize, gain)
}

/// The highest true peak of an interleaved stream, over all its channels.
pub(crate) struct TruePeak {
    ebu: EbuR128,
    channels: usize,
    /// Input frames each interpolated sample depends on.
    taps: usize,
    /// Bound on |interpolated| / max |input in the window|, with headroom.
    gain: f64,
    /// Linear true peak so far.
    peak: f64,
    /// The last `taps` frames seen (interleaved), oldest first.
    history: Vec<f32>,
    /// A block was skipped since the interpolator last ran.
    stale: bool,
    /// Blocks seen, and blocks the interpolator ran on.
    blocks: u64,
    run: u64,
}

impl TruePeak {
    pub(crate) fn new(channels: usize, sample_rate: u32) -> Result<Self, ebur128::Error> {
        let ebu = EbuR128::new(channels as u32, sample_rate, Mode::TRUE_PEAK)?;
        let (taps, gain) = interpolator(sample_rate);
        Ok(TruePeak {
            ebu,
            channels,
            taps,
            gain: gain * ROUNDING,
            peak: 0.0,
            history: vec![0.0; taps * channels],
            stale: false,
            blocks: 0,
            run: 0,
        })
    }

    /// Adds interleaved frames.
    pub(crate) fn add(&mut self, samples: &[f32]) {
        let whole = samples.len() / self.channels * self.channels;
        for block in samples[..whole].chunks(BLOCK * self.channels) {
            self.add_block(block);
        }
    }

    fn add_block(&mut self, block: &[f32]) {
        let largest = |s: &[f32]| s.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let bound = f64::from(largest(block).max(largest(&self.history))) * self.gain;
        self.blocks += 1;
        if bound < self.peak {
            self.stale = true;
        } else {
            if self.stale {
                // The interpolator's state is from before the skipped
                // frames: start it afresh on the frames just before this block.
                self.ebu.reset();
                let _ = self.ebu.add_frames_f32(&self.history);
                self.stale = false;
            }
            let _ = self.ebu.add_frames_f32(block);
            self.run += 1;
            for c in 0..self.channels as u32 {
                if let Ok(p) = self.ebu.true_peak(c) {
                    self.peak = self.peak.max(p);
                }
            }
        }
        // Keep the last `taps` frames for the next block's window.
        let keep = self.taps * self.channels;
        if block.len() >= keep {
            self.history.copy_from_slice(&block[block.len() - keep..]);
        } else {
            self.history.drain(..block.len());
            self.history.extend_from_slice(block);
        }
    }

    /// The linear true peak so far (0 for silence).
    pub(crate) fn peak(&self) -> f64 {
        self.peak
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reproducible stream: bursts that decay (drum hits) over quiet
    /// noise, with a sine at fs/8 whose samples miss its peak mixed in, and
    /// a few full-scale clicks late on, so the peak rises more than once.
    fn stream(channels: usize, frames: usize) -> Vec<f32> {
        let mut seed = 0x2545_f491_u32;
        let mut noise = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 8) as f32 / (1 << 23) as f32 - 1.0
        };
        let mut out = Vec::with_capacity(frames * channels);
        for i in 0..frames {
            let hit = (i % 9_000) as f32;
            let env = 0.6 * (-hit / 900.0).exp();
            let sine = 0.3 * ((i as f32) * std::f32::consts::FRAC_PI_4 + 0.4).sin();
            for c in 0..channels {
                let click = if i == frames / 2 + 17 * c || i == frames * 3 / 4 {
                    0.97
                } else {
                    0.0
                };
                let quiet = if (i / 20_000) % 3 == 1 { 0.1 } else { 1.0 };
                out.push(quiet * (env * noise() + sine * (c + 1) as f32 / 2.0) + click);
            }
        }
        out
    }

    /// ebur128's true peak over the whole stream, interpolating every frame.
    fn reference(data: &[f32], channels: usize, rate: u32) -> f64 {
        let mut e = EbuR128::new(channels as u32, rate, Mode::TRUE_PEAK).expect("meter");
        e.add_frames_f32(data).expect("frames");
        (0..channels as u32)
            .map(|c| e.true_peak(c).expect("peak"))
            .fold(0.0, f64::max)
    }

    /// `data` through a `TruePeak`, handed over `chunk` frames at a time.
    fn measured(data: &[f32], channels: usize, rate: u32, chunk: usize) -> TruePeak {
        let mut tp = TruePeak::new(channels, rate).expect("meter");
        for part in data.chunks(chunk * channels) {
            tp.add(part);
        }
        tp
    }

    #[test]
    fn equals_ebur128_over_the_whole_stream_bit_for_bit_while_skipping_quiet_blocks() {
        for (channels, rate) in [(2, 48_000), (1, 44_100), (2, 96_000), (2, 192_000)] {
            let data = stream(channels, 200_000);
            let want = reference(&data, channels, rate);
            for chunk in [1, 7, 300, 4096, 65_536] {
                let tp = measured(&data, channels, rate, chunk);
                assert_eq!(
                    tp.peak(),
                    want,
                    "{channels} ch at {rate} Hz, chunks of {chunk}"
                );
                if chunk >= 300 {
                    assert!(
                        tp.run * 2 < tp.blocks,
                        "{channels} ch at {rate} Hz: the interpolator ran on {} of {} blocks",
                        tp.run,
                        tp.blocks
                    );
                }
            }
        }
    }

    /// The cases a skip could get wrong: the running peak set by a sine
    /// whose samples hit its peak; quiet noise (skipped); then, right at a
    /// block start, a short burst whose samples all stay under the running
    /// peak while its true peak rises above it, interpolated over a window
    /// that reaches back into the skipped noise.
    fn edges(channels: usize) -> (Vec<f32>, f32) {
        let frames = 200 * BLOCK;
        let burst = 120 * BLOCK;
        let mut seed = 7u32;
        let mut out = Vec::with_capacity(frames * channels);
        let mut sample_peak = 0.0f32;
        for i in 0..frames {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = 0.01 * ((seed >> 8) as f32 / (1 << 23) as f32 - 1.0);
            let t = i as f32 * std::f32::consts::FRAC_PI_2;
            let x = if i < 40 * BLOCK {
                0.5 * t.sin()
            } else if (burst..burst + 6).contains(&i) {
                0.6 * (t + std::f32::consts::FRAC_PI_4).sin()
            } else {
                noise
            };
            sample_peak = sample_peak.max(x.abs());
            out.extend(std::iter::repeat_n(x, channels));
        }
        (out, sample_peak)
    }

    #[test]
    fn a_peak_between_samples_right_after_a_skip_is_found_exactly() {
        for (channels, rate) in [(2, 48_000), (1, 96_000)] {
            let (data, sample_peak) = edges(channels);
            let want = reference(&data, channels, rate);
            assert!(
                want > f64::from(sample_peak) * 1.05,
                "{want} vs {sample_peak}"
            );
            for chunk in [1, 7, 300, BLOCK, 65_536] {
                let tp = measured(&data, channels, rate, chunk);
                assert_eq!(
                    tp.peak(),
                    want,
                    "{channels} ch at {rate} Hz, chunks of {chunk}"
                );
                assert!(tp.run * 2 < tp.blocks, "{} of {}", tp.run, tp.blocks);
            }
        }
    }

    #[test]
    fn the_bound_is_the_interpolator_s_largest_gain() {
        // Phase 0 of a windowed sinc passes the sample through (gain 1); the
        // others sum to more. 4× below 96 kHz, 2× below 192 kHz.
        let (taps, g4) = interpolator(48_000);
        assert_eq!(taps, 12);
        assert!((g4 - 1.8642).abs() < 1e-3, "{g4}");
        let (taps, g2) = interpolator(96_000);
        assert_eq!(taps, 24);
        assert!((g2 - 2.3068).abs() < 1e-3, "{g2}");
        assert_eq!(interpolator(192_000), (1, 1.0));
    }
}
