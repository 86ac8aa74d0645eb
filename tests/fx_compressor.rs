//! The compressor against its definition: the static curve on a steady
//! sine, and attack/release as time constants of the gain reduction.

use auxbus::fx::compressor::{Compressor, static_curve};
use auxbus::session::effects::params::{CompressorParams, Detector};

const RATE: f32 = 48_000.0;

fn db(x: f32) -> f32 {
    20.0 * x.log10()
}

fn params(detector: Detector) -> CompressorParams {
    CompressorParams {
        threshold_db: -30.0,
        ratio: 4.0,
        knee_db: 6.0,
        attack_ms: 10.0,
        release_ms: 100.0,
        makeup_db: 0.0,
        detector,
        mix: 1.0,
    }
}

/// Runs `input` (the same on both sides) through `c` in 128-frame blocks.
fn run(c: &mut Compressor, input: &[f32]) -> Vec<f32> {
    let mut out = Vec::with_capacity(input.len());
    for chunk in input.chunks(128) {
        let mut l = chunk.to_vec();
        let mut r = chunk.to_vec();
        c.process(&mut l, &mut r);
        assert_eq!(l, r, "stereo-linked: both sides get the same gain");
        out.extend_from_slice(&l);
    }
    out
}

fn sine(amp: f32, freq: f32, seconds: f32) -> Vec<f32> {
    let n = (seconds * RATE) as usize;
    (0..n)
        .map(|i| amp * (std::f32::consts::TAU * freq * i as f32 / RATE).sin())
        .collect()
}

fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
}

#[test]
fn static_curve_is_threshold_plus_excess_over_ratio() {
    assert_eq!(static_curve(-18.0, -30.0, 4.0, 6.0), -27.0);
    assert_eq!(static_curve(-40.0, -30.0, 4.0, 6.0), -40.0);
    // Inside the knee the curve lies between the two lines, continuous at its edges.
    // At the threshold, half way into a 6 dB knee: x + (1/R − 1)(W/2)²/(2W).
    let inside = static_curve(-30.0, -30.0, 4.0, 6.0);
    assert!(
        (inside - (-30.0 - 0.75 * 9.0 / 12.0)).abs() < 1e-5,
        "{inside}"
    );
    let edge = static_curve(-27.0, -30.0, 4.0, 6.0);
    assert!((edge - (-30.0 + 3.0 / 4.0)).abs() < 1e-5, "{edge}");
}

/// Reduction (dB) of a steady 1 kHz sine of `amp` after 1.3 s, and the
/// compressor's own reading.
fn steady_reduction(detector: Detector, amp: f32) -> (f32, f32) {
    let input = sine(amp, 1000.0, 1.5);
    let mut c = Compressor::new(RATE, &params(detector));
    let out = run(&mut c, &input);
    let tail = input.len() - (0.2 * RATE) as usize;
    (
        db(rms(&input[tail..])) - db(rms(&out[tail..])),
        c.reduction_db(),
    )
}

#[test]
fn peak_mode_reduces_a_sine_12_db_over_threshold_by_9_db() {
    // Peak 12 dB over a −30 dB threshold, 4:1: 12 − 12/4 = 9 dB of reduction.
    let (reduction, reading) = steady_reduction(Detector::Peak, 10f32.powf(-18.0 / 20.0));
    assert!(
        (reduction - 9.0).abs() <= 0.5,
        "reduced by {reduction:.2} dB"
    );
    assert!((reading - 9.0).abs() <= 0.5, "reports {reading:.2} dB");
}

#[test]
fn rms_mode_reduces_a_sine_whose_rms_is_12_db_over_by_9_db() {
    let amp = 10f32.powf(-18.0 / 20.0) * std::f32::consts::SQRT_2;
    let (reduction, _) = steady_reduction(Detector::Rms, amp);
    assert!(
        (reduction - 9.0).abs() <= 0.5,
        "reduced by {reduction:.2} dB"
    );
}

#[test]
fn makeup_gain_and_parallel_mix_are_applied_by_the_compressor_and_slot() {
    let mut p = params(Detector::Peak);
    p.makeup_db = 6.0;
    let amp = 10f32.powf(-40.0 / 20.0); // below threshold: only makeup
    let input = sine(amp, 1000.0, 0.5);
    let out = run(&mut Compressor::new(RATE, &p), &input);
    let gain = db(rms(&out[12_000..])) - db(rms(&input[12_000..]));
    assert!((gain - 6.0).abs() < 0.01, "makeup {gain}");
}

/// Gain reduction (dB) per sample for a constant input that steps from
/// `from` to `to` at `step`.
fn reduction_trace(p: &CompressorParams, from: f32, to: f32, step: usize, len: usize) -> Vec<f32> {
    let input: Vec<f32> = (0..len).map(|i| if i < step { from } else { to }).collect();
    let mut c = Compressor::new(RATE, p);
    let out = run(&mut c, &input);
    input
        .iter()
        .zip(&out)
        .map(|(i, o)| db(*i) - db(*o))
        .collect()
}

/// Milliseconds after `step` until `trace` first crosses `level` (rising or falling).
fn time_to(trace: &[f32], step: usize, level: f32, rising: bool) -> f32 {
    let k = trace[step..]
        .iter()
        .position(|&g| if rising { g >= level } else { g <= level })
        .expect("the reduction crosses the level");
    k as f32 / RATE * 1000.0
}

#[test]
fn attack_and_release_are_the_time_constants_of_the_gain_reduction() {
    for (attack, release) in [(10.0, 100.0), (2.0, 400.0), (50.0, 50.0)] {
        let mut p = params(Detector::Peak);
        p.knee_db = 0.0;
        p.attack_ms = attack;
        p.release_ms = release;
        let over = 10f32.powf(-18.0 / 20.0); // 12 dB over: 9 dB of reduction
        let under = 10f32.powf(-50.0 / 20.0);
        let step = (0.2 * RATE) as usize;
        let up = reduction_trace(&p, under, over, step, step + (0.5 * RATE) as usize);
        let full = 9.0;
        let t_attack = time_to(&up, step, full * (1.0 - (-1.0f32).exp()), true);
        assert!(
            (t_attack - attack).abs() <= 0.1 * attack,
            "attack set {attack} ms, measured {t_attack:.2} ms"
        );
        let down = reduction_trace(
            &p,
            over,
            under,
            (1.0 * RATE) as usize,
            (3.5 * RATE) as usize,
        );
        let step = (1.0 * RATE) as usize;
        assert!(
            (down[step - 1] - full).abs() < 0.05,
            "settled at {}",
            down[step - 1]
        );
        let t_release = time_to(&down, step, full * (-1.0f32).exp(), false);
        eprintln!("attack {attack} ms: {t_attack:.2} ms; release {release} ms: {t_release:.2} ms");
        assert!(
            (t_release - release).abs() <= 0.1 * release,
            "release set {release} ms, measured {t_release:.2} ms"
        );
    }
}

#[test]
fn quiet_input_passes_untouched() {
    let input = sine(0.001, 440.0, 0.2);
    let out = run(&mut Compressor::new(RATE, &params(Detector::Peak)), &input);
    assert_eq!(input, out);
}
