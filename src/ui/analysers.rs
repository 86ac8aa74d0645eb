//! The UI side of the engine's analysis tap: one drain per frame feeds the
//! loudness meter and the stereo image (always the mix), the spectrum
//! analyser (the mix, or the channel it probes) and the speaker meter
//! (outputs 1–2 as the monitor plays them). When nothing arrives (the
//! transport stopped), they fall as they would for silence, by wall-clock
//! time.
//!
//! ```text
//!  AudioPort::drain_analysis ─┬─► LiveLoudness (mix L/R)
//!   (mix, probe, heard)       ├─► StereoImage  (mix L/R)
//!                             ├─► Spectrum     (mix or probe L/R)
//!                             └─► speakers     (heard L/R: mono, dim, listen)
//! ```

use super::loudness::LiveLoudness;
use super::widgets::MeterBallistics;
use crate::analysis::{Spectrum, SpectrumSettings, StereoImage};

/// Channels in the analysis tap: mix L/R, probe L/R, heard L/R.
const TAP_CHANNELS: usize = crate::live::ANALYSIS_TAP_CHANNELS;

/// The spectrum analyser's state: what it shows and how.
pub struct SpectrumView {
    pub spectrum: Spectrum,
    /// The channel it looks at; `None` is the master mix.
    pub source: Option<String>,
    /// Whether its window is open.
    pub open: bool,
}

impl Default for SpectrumView {
    fn default() -> Self {
        SpectrumView {
            spectrum: Spectrum::new(48_000),
            source: None,
            open: false,
        }
    }
}

#[derive(Default)]
pub struct Analysers {
    pub stereo: StereoImage,
    pub spectrum: SpectrumView,
    /// What outputs 1–2 play, after mono, dim and "listen to".
    pub speakers: [MeterBallistics; 2],
    /// Peak and mean square of the heard signal since the last `tick`.
    heard_peak: [f32; 2],
    heard_square: [f64; 2],
    heard_frames: usize,
    /// The mix as interleaved stereo, for the loudness meter.
    stereo_mix: Vec<f32>,
    /// Whether audio arrived since the last `tick`.
    fed: bool,
}

impl Analysers {
    /// Adds what the tap delivered (`TAP_CHANNELS` interleaved at `rate`);
    /// the mix also goes to `loudness`.
    pub fn add(&mut self, samples: &[f32], rate: u32, loudness: &mut LiveLoudness) {
        if samples.len() < TAP_CHANNELS {
            return;
        }
        self.fed = true;
        self.stereo_mix.clear();
        self.stereo_mix.extend(
            samples
                .chunks_exact(TAP_CHANNELS)
                .flat_map(|f| [f[0], f[1]]),
        );
        loudness.add(&self.stereo_mix, rate);
        for frame in samples.chunks_exact(TAP_CHANNELS) {
            for side in 0..2 {
                let x = frame[4 + side];
                self.heard_peak[side] = self.heard_peak[side].max(x.abs());
                self.heard_square[side] += f64::from(x) * f64::from(x);
            }
        }
        self.heard_frames += samples.len() / TAP_CHANNELS;
        self.stereo.add_interleaved(samples, TAP_CHANNELS, 0, rate);
        let view = &mut self.spectrum;
        if view.spectrum.rate() != rate {
            let settings = view.spectrum.settings;
            view.spectrum = Spectrum::new(rate);
            view.spectrum.settings = settings;
        }
        // Closed, the analyser costs nothing.
        if view.open {
            let first = if view.source.is_some() { 2 } else { 0 };
            view.spectrum.add_interleaved(samples, TAP_CHANNELS, first);
        }
    }

    /// Once per frame, `dt` seconds after the last: silence when nothing came.
    pub fn tick(&mut self, dt: f32) {
        if !self.fed {
            self.stereo.fade(f64::from(dt));
            self.spectrum.spectrum.fade(dt);
        }
        let frames = self.heard_frames.max(1) as f64;
        for side in 0..2 {
            let rms = (self.heard_square[side] / frames).sqrt() as f32;
            self.speakers[side].update(self.heard_peak[side], rms, dt);
        }
        self.heard_peak = [0.0; 2];
        self.heard_square = [0.0; 2];
        self.heard_frames = 0;
        self.fed = false;
    }

    pub fn set_spectrum_settings(&mut self, settings: SpectrumSettings) {
        self.spectrum.spectrum.settings = settings;
    }

    /// Looks at another source: the lines start again from silence.
    pub fn set_source(&mut self, source: Option<String>) {
        let view = &mut self.spectrum;
        if view.source != source {
            let settings = view.spectrum.settings;
            view.spectrum = Spectrum::new(view.spectrum.rate());
            view.spectrum.settings = settings;
            view.source = source;
        }
    }
}
