//! A spectrum analyser: the mid signal (L + R) / 2 through a Hann-windowed
//! FFT every hop, an average line and a peak-hold line per bin, read out on
//! a log frequency axis with an adjustable slope. It runs on the UI thread
//! from the analysis tap; nothing here touches the audio thread.
//!
//! ```text
//!  tap ─► (L+R)/2 ─► ring (fft_size) ──every HOP──► × Hann ─► FFT ─► |X|² ─┬─► average (τ)
//!                                                                         └─► peak (hold, fall)
//!  curve(lo, hi, points) ─► max over the bins of each log band + slope·log2(f / 1 kHz)
//! ```
//! Levels are calibrated so a full-scale sine centred on a bin reads 0 dB:
//! the window's coherent gain is divided out. Between bins a Hann window
//! reads up to 1.42 dB low (its scalloping loss); the peak bin of a sine
//! `δ` bins off-centre reads `sinc(δ) / (1 − δ²)` of its amplitude.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

/// Samples between two analyses (about 21 ms at 48 kHz): the analyser
/// updates about 47 times a second whatever the screen's frame rate.
pub const HOP: usize = 1024;
/// The level shown for silence, dB.
pub const FLOOR_DB: f32 = -140.0;
/// How fast a peak falls once its hold time is over, dB per second.
pub const PEAK_FALL_DB_PER_SECOND: f32 = 20.0;
/// The slope pivots here: a 1 kHz level reads the same at every slope.
pub const PIVOT_HZ: f32 = 1000.0;

const FLOOR_POWER: f32 = 1e-14; // FLOOR_DB as power

/// How the analyser shows what it measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpectrumSettings {
    /// Tilt in dB per octave around 1 kHz: 0 shows white noise flat, 3
    /// pink noise, 4.5 a typical finished mix.
    pub slope_db_per_octave: f32,
    /// Time constant of the average line, seconds.
    pub average_seconds: f32,
    /// How long a peak is held before it falls; `None` holds until reset.
    pub hold_seconds: Option<f32>,
}

impl Default for SpectrumSettings {
    fn default() -> Self {
        SpectrumSettings {
            slope_db_per_octave: 4.5,
            average_seconds: 0.3,
            hold_seconds: Some(2.0),
        }
    }
}

/// The FFT length for `rate`: about 85 ms, a power of two (4096 at 44.1
/// and 48 kHz, 8192 at 88.2 and 96 kHz).
pub fn fft_size_for(rate: u32) -> usize {
    ((rate as usize * 85) / 1000)
        .clamp(1024, 32_768)
        .next_power_of_two()
}

/// One point of the displayed curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub hz: f32,
    pub average_db: f32,
    pub peak_db: f32,
}

pub struct Spectrum {
    rate: u32,
    size: usize,
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// Power scale: a full-scale sine on a bin gives power 1.
    scale: f32,
    ring: Vec<f32>,
    write: usize,
    /// Samples in the ring (up to `size`) and since the last analysis.
    filled: usize,
    since_hop: usize,
    input: Vec<f32>,
    output: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    latest: Vec<f32>,
    average: Vec<f32>,
    peak: Vec<f32>,
    /// Seconds since each bin's peak was set.
    peak_age: Vec<f32>,
    pub settings: SpectrumSettings,
}

impl Spectrum {
    pub fn new(rate: u32) -> Self {
        let rate = rate.max(1);
        let size = fft_size_for(rate);
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(size);
        // Periodic Hann: its coherent gain is exactly 1/2.
        let window: Vec<f32> = (0..size)
            .map(|i| {
                let x = std::f32::consts::TAU * i as f32 / size as f32;
                0.5 - 0.5 * x.cos()
            })
            .collect();
        let sum: f32 = window.iter().sum();
        let bins = size / 2 + 1;
        Spectrum {
            rate,
            size,
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            window,
            // Amplitude of a bin-centred sine is 2|X| / Σw.
            scale: (2.0 / sum) * (2.0 / sum),
            ring: vec![0.0; size],
            write: 0,
            filled: 0,
            since_hop: 0,
            latest: vec![FLOOR_POWER; bins],
            average: vec![FLOOR_POWER; bins],
            peak: vec![FLOOR_POWER; bins],
            peak_age: vec![0.0; bins],
            settings: SpectrumSettings::default(),
        }
    }

    pub fn rate(&self) -> u32 {
        self.rate
    }

    pub fn fft_size(&self) -> usize {
        self.size
    }

    /// The centre frequency of bin `k`.
    pub fn bin_hz(&self, k: usize) -> f32 {
        k as f32 * self.rate as f32 / self.size as f32
    }

    pub fn bins(&self) -> usize {
        self.latest.len()
    }

    /// Adds frames of `width`-channel interleaved audio, analysing the mid
    /// of channels `first` and `first + 1`.
    pub fn add_interleaved(&mut self, samples: &[f32], width: usize, first: usize) {
        if width < first + 2 {
            return;
        }
        for frame in samples.chunks_exact(width) {
            let mid = 0.5 * (frame[first] + frame[first + 1]);
            self.ring[self.write] = if mid.is_finite() { mid } else { 0.0 };
            self.write = (self.write + 1) % self.size;
            self.filled = (self.filled + 1).min(self.size);
            self.since_hop += 1;
            if self.since_hop >= HOP && self.filled == self.size {
                self.since_hop = 0;
                self.analyse();
            }
        }
    }

    /// One analysis of the last `size` samples, `HOP` samples after the last.
    fn analyse(&mut self) {
        let (older, newer) = self.ring.split_at(self.write);
        for ((x, s), w) in self
            .input
            .iter_mut()
            .zip(newer.iter().chain(older))
            .zip(&self.window)
        {
            *x = s * w;
        }
        if self
            .fft
            .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch)
            .is_err()
        {
            return;
        }
        let last = self.output.len() - 1;
        for (k, c) in self.output.iter().enumerate() {
            // DC and Nyquist have no mirror image: half the scale.
            let edge = if k == 0 || k == last { 0.25 } else { 1.0 };
            self.latest[k] = (c.norm_sqr() * self.scale * edge).max(FLOOR_POWER);
        }
        self.step(HOP as f32 / self.rate as f32, true);
    }

    /// `seconds` of silence: nothing arrives while the transport is stopped,
    /// and the lines fall as they would for silence.
    pub fn fade(&mut self, seconds: f32) {
        if seconds > 0.0 {
            self.latest.fill(FLOOR_POWER);
            self.step(seconds, false);
        }
    }

    /// Moves the average toward the latest analysis and ages the peaks.
    fn step(&mut self, dt: f32, measured: bool) {
        let k = 1.0 - (-dt / self.settings.average_seconds.max(1e-3)).exp();
        let fall = 10f32.powf(-PEAK_FALL_DB_PER_SECOND * dt / 10.0);
        let hold = self.settings.hold_seconds;
        for ((latest, avg), (peak, age)) in self
            .latest
            .iter()
            .zip(self.average.iter_mut())
            .zip(self.peak.iter_mut().zip(self.peak_age.iter_mut()))
        {
            *avg = (*avg + (latest - *avg) * k).max(FLOOR_POWER);
            // A steady tone keeps its peak held: reaching it within
            // rounding (0.001 dB) counts as reaching it.
            if measured && *latest >= *peak * 0.9998 {
                *peak = peak.max(*latest);
                *age = 0.0;
            } else {
                *age += dt;
                // Only the part of `dt` past the hold time falls.
                let over = hold.map_or(0.0, |h| (*age - h).min(dt));
                if over > 0.0 {
                    let f = if over == dt {
                        fall
                    } else {
                        10f32.powf(-PEAK_FALL_DB_PER_SECOND * over / 10.0)
                    };
                    *peak = (*peak * f).max(*latest).max(FLOOR_POWER);
                }
            }
        }
    }

    /// Clears the peak line.
    pub fn reset_peaks(&mut self) {
        self.peak.copy_from_slice(&self.average);
        self.peak_age.fill(0.0);
    }

    /// The last analysis of bin `k`, dB, without slope.
    pub fn latest_db(&self, k: usize) -> f32 {
        power_db(self.latest[k])
    }

    /// The average line at bin `k`, dB, without slope.
    pub fn average_db(&self, k: usize) -> f32 {
        power_db(self.average[k])
    }

    /// The peak line at bin `k`, dB, without slope.
    pub fn peak_db(&self, k: usize) -> f32 {
        power_db(self.peak[k])
    }

    /// The slope's tilt at `hz`, dB.
    pub fn tilt_db(&self, hz: f32) -> f32 {
        self.settings.slope_db_per_octave * (hz.max(1.0) / PIVOT_HZ).log2()
    }

    /// The curve from `lo` to `hi` Hz at `out.len()` log-spaced points,
    /// slope applied: each point is the loudest bin of its band, or where a
    /// band is narrower than a bin (the low end), the two nearest bins
    /// interpolated.
    pub fn curve(&self, lo: f32, hi: f32, out: &mut [CurvePoint]) {
        let n = out.len();
        if n < 2 || lo <= 0.0 || hi <= lo {
            return;
        }
        let ratio = (hi / lo).ln();
        let at = |i: f32| lo * (ratio * i / (n - 1) as f32).exp();
        let bin_width = self.rate as f32 / self.size as f32;
        let last = self.bins() - 1;
        for (i, p) in out.iter_mut().enumerate() {
            let hz = at(i as f32);
            let (a, b) = (
                at(i as f32 - 0.5) / bin_width,
                at(i as f32 + 0.5) / bin_width,
            );
            let (first, end) = (a.ceil() as usize, (b.floor() as usize).min(last));
            let (avg, peak) = if first <= end {
                (self.average[first..=end].iter())
                    .zip(&self.peak[first..=end])
                    .fold((0.0f32, 0.0f32), |(m, q), (x, y)| (m.max(*x), q.max(*y)))
            } else {
                let x = (hz / bin_width).min(last as f32);
                let k = (x.floor() as usize).min(last.saturating_sub(1));
                let t = x - k as f32;
                let lerp = |v: &[f32]| v[k] + (v[k + 1] - v[k]) * t;
                (lerp(&self.average), lerp(&self.peak))
            };
            let tilt = self.tilt_db(hz);
            *p = CurvePoint {
                hz,
                average_db: power_db(avg) + tilt,
                peak_db: power_db(peak) + tilt,
            };
        }
    }
}

fn power_db(p: f32) -> f32 {
    (10.0 * p.max(FLOOR_POWER).log10()).max(FLOOR_DB)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(hz: f32, amp: f32, rate: u32, frames: usize) -> Vec<f32> {
        (0..frames)
            .flat_map(|i| {
                let x = amp * (std::f32::consts::TAU * hz * i as f32 / rate as f32).sin();
                [x, x]
            })
            .collect()
    }

    #[test]
    fn a_bin_centred_full_scale_sine_reads_zero_db() {
        let mut s = Spectrum::new(48_000);
        let hz = s.bin_hz(100);
        s.add_interleaved(&sine(hz, 1.0, 48_000, 48_000), 2, 0);
        assert!(s.latest_db(100).abs() < 0.01, "{}", s.latest_db(100));
        // Hann leaks into the next bin at −6.02 dB and no further.
        assert!((s.latest_db(101) + 6.02).abs() < 0.05);
        assert!(s.latest_db(103) < -100.0);
    }

    #[test]
    fn peaks_hold_then_fall_and_the_average_fades() {
        let mut s = Spectrum::new(48_000);
        let hz = s.bin_hz(50);
        s.add_interleaved(&sine(hz, 1.0, 48_000, 48_000), 2, 0);
        s.fade(1.0);
        assert!(s.peak_db(50).abs() < 0.01, "held for 2 s");
        assert!(s.average_db(50) < -14.0, "the average fell: e^(-1/0.3)");
        s.fade(2.0); // 1 s past the hold
        assert!((s.peak_db(50) + PEAK_FALL_DB_PER_SECOND).abs() < 0.5);
    }
}
