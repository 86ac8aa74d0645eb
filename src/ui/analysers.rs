//! The UI side of the engine's analysis tap: one drain per frame feeds the
//! loudness meter and the stereo image (always the mix) and the spectrum
//! analyser (the mix, or the channel it probes). When nothing arrives (the
//! transport stopped), the stereo image and the spectrum fall as they
//! would for silence, by wall-clock time.
//!
//! ```text
//!  AudioPort::drain_analysis (mix L/R, probe L/R) ─┬─► LiveLoudness (mix)
//!                                                  ├─► StereoImage  (mix)
//!                                                  └─► Spectrum     (mix or probe)
//! ```

use super::loudness::LiveLoudness;
use crate::analysis::{Spectrum, SpectrumSettings, StereoImage};

/// Channels in the analysis tap: mix L/R, then the probe's L/R.
pub const TAP_CHANNELS: usize = 4;

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
