//! Measurements a mastering engineer reads off the mix, computed on the UI
//! side from the engine's analysis tap (never on the audio thread): the
//! stereo image (correlation, width, balance) and the spectrum.
//!
//! ```text
//!  engine ──analysis tap (mix L/R, probe L/R)──► StereoImage ─► correlation meter
//!                                           └──► Spectrum    ─► analyser window
//! ```

mod spectrum;
mod stereo;

pub use spectrum::{
    CurvePoint, FLOOR_DB, HOP, PEAK_FALL_DB_PER_SECOND, PIVOT_HZ, Spectrum, SpectrumSettings,
    fft_size_for,
};
pub use stereo::{INTEGRATION_SECONDS, MAX_WIDTH, StereoImage};
