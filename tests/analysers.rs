//! The master section's analysers against analytic expectations: the phase
//! correlation of identical, inverted and independent signals, and the
//! spectrum of a sine at the level its window predicts.

use auxbus::analysis::{INTEGRATION_SECONDS, Spectrum, StereoImage};

const RATE: u32 = 48_000;

/// Uniform white noise in −1…1 from a fixed seed (xorshift), so the test
/// is the same every run.
fn noise(seed: u64, n: usize) -> Vec<f32> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

fn image(l: &[f32], r: &[f32]) -> StereoImage {
    let frames: Vec<f32> = l.iter().zip(r).flat_map(|(a, b)| [*a, *b]).collect();
    let mut m = StereoImage::default();
    m.add_interleaved(&frames, 2, 0, RATE);
    m
}

#[test]
fn correlation_is_plus_one_minus_one_and_about_zero() {
    // Two seconds: more than six time constants, so the start is forgotten.
    const { assert!(INTEGRATION_SECONDS * 6.0 < 2.0) };
    let n = 2 * RATE as usize;
    let a = noise(1, n);
    let b = noise(2, n);
    let inverted: Vec<f32> = a.iter().map(|x| -x).collect();

    let same = image(&a, &a);
    assert!(
        (same.correlation().unwrap() - 1.0).abs() < 1e-9,
        "identical: +1"
    );
    assert!(same.width().unwrap() < 1e-6, "identical: no width");

    let opposite = image(&a, &inverted);
    assert!(
        (opposite.correlation().unwrap() + 1.0).abs() < 1e-9,
        "inverted: −1"
    );
    assert_eq!(opposite.width(), Some(auxbus::analysis::MAX_WIDTH));

    // Independent noise: the estimate over about 2τ·rate = 28 800 samples
    // has a standard deviation near 1/√28800 ≈ 0.006; allow 0.05.
    let independent = image(&a, &b);
    let c = independent.correlation().unwrap();
    assert!(c.abs() < 0.05, "independent noise: {c}");
    let w = independent.width().unwrap();
    assert!((w - 1.0).abs() < 0.1, "as much side as mid: {w}");
    assert!(independent.balance_db().unwrap().abs() < 0.3);
}

#[test]
fn correlation_is_silent_in_silence_and_follows_within_its_time() {
    let n = RATE as usize;
    let a = noise(3, n);
    let mut m = image(&a, &a);
    m.fade(1.0);
    assert!(
        m.correlation().is_some(),
        "1 s of fade keeps e^(-1/0.3) of it"
    );
    m.fade(5.0);
    assert_eq!(m.correlation(), None, "silence reads nothing");
}

/// The Hann window's response `δ` bins from a sine: sinc(δ) / (1 − δ²).
fn hann_scallop(delta: f64) -> f64 {
    if delta.abs() < 1e-12 {
        return 1.0;
    }
    let x = std::f64::consts::PI * delta;
    (x.sin() / x) / (1.0 - delta * delta)
}

fn sine_spectrum(hz: f64, amplitude: f64, rate: u32) -> Spectrum {
    let mut s = Spectrum::new(rate);
    let frames: Vec<f32> = (0..2 * rate as usize)
        .flat_map(|i| {
            let x = amplitude * (std::f64::consts::TAU * hz * i as f64 / f64::from(rate)).sin();
            [x as f32, x as f32]
        })
        .collect();
    s.add_interleaved(&frames, 2, 0);
    s
}

#[test]
fn a_1_khz_sine_peaks_at_1_khz_at_the_level_the_window_predicts() {
    for rate in [44_100, 48_000, 96_000] {
        let s = sine_spectrum(1000.0, 0.5, rate);
        let width = f64::from(rate) / s.fft_size() as f64;
        let exact = 1000.0 / width;
        let peak = (0..s.bins())
            .max_by(|a, b| s.latest_db(*a).total_cmp(&s.latest_db(*b)))
            .unwrap();
        assert_eq!(
            peak,
            exact.round() as usize,
            "{rate} Hz: the bin nearest 1 kHz"
        );
        let delta = exact - peak as f64;
        let expected = 20.0 * (0.5 * hann_scallop(delta)).log10();
        let got = f64::from(s.latest_db(peak));
        assert!(
            (got - expected).abs() < 0.02,
            "{rate} Hz: {got:.3} dB, expected {expected:.3} dB (δ = {delta:.3} bins)"
        );
        // The neighbour on the other side of 1 kHz, likewise.
        let other = if delta > 0.0 { peak + 1 } else { peak - 1 };
        let expected = 20.0 * (0.5 * hann_scallop(exact - other as f64)).log10();
        assert!((f64::from(s.latest_db(other)) - expected).abs() < 0.05);
        // Far from 1 kHz: the window's sidelobes, more than 90 dB down.
        assert!(s.latest_db(peak + 20) < -90.0 && s.latest_db(peak - 20) < -90.0);
        // The averaged line settles to the same level (2 s ≫ 0.3 s).
        assert!((f64::from(s.average_db(peak)) - f64::from(s.latest_db(peak))).abs() < 0.05);
    }
}

#[test]
fn the_slope_tilts_around_1_khz_and_the_curve_finds_the_peak() {
    let mut s = sine_spectrum(4000.0, 1.0, RATE);
    s.settings.slope_db_per_octave = 3.0;
    assert!((s.tilt_db(1000.0)).abs() < 1e-6);
    assert!(
        (s.tilt_db(4000.0) - 6.0).abs() < 1e-4,
        "two octaves up: +6 dB"
    );
    let mut points = vec![
        auxbus::analysis::CurvePoint {
            hz: 0.0,
            average_db: 0.0,
            peak_db: 0.0,
        };
        400
    ];
    s.curve(20.0, 20_000.0, &mut points);
    let top = points
        .iter()
        .max_by(|a, b| a.average_db.total_cmp(&b.average_db))
        .unwrap();
    assert!(
        (top.hz - 4000.0).abs() < 4000.0 * 0.02,
        "peak at {} Hz",
        top.hz
    );
    // 4 kHz is 341.33 bins: its peak bin reads the scalloping loss, +6 dB slope.
    let expected = 6.0 + 20.0 * hann_scallop(1.0 / 3.0).log10();
    assert!(
        (f64::from(top.average_db) - expected).abs() < 0.05,
        "{}",
        top.average_db
    );
}
