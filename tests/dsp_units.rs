//! DSP kernels against analytic values.

use auxbus::dsp::{MeterAccum, Ramp, balance_gains, db_to_gain, gain_to_db, pan_gains};

#[test]
fn decibels() {
    assert!((db_to_gain(Some(-6.0206)) - 0.5).abs() < 1e-6);
    assert!((db_to_gain(Some(20.0)) - 10.0).abs() < 1e-5);
    assert_eq!(db_to_gain(None), 0.0);
    assert_eq!(gain_to_db(0.0), None);
    assert!((gain_to_db(0.5).expect("finite") + 6.0206).abs() < 1e-3);
}

#[test]
fn ramp_reaches_the_exact_target_in_bounded_steps() {
    let mut r = Ramp::at(1.0);
    r.set(0.5, 480);
    let mut out = vec![0f32; 600];
    r.fill(&mut out);
    let max_step = out
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0f32, f32::max);
    // Rounding accumulates over 480 additions; a click would be orders larger.
    assert!(max_step <= 0.5 / 480.0 * 1.01, "step {max_step}");
    assert!(
        (out[0] - (1.0 - 0.5 / 480.0)).abs() < 1e-6,
        "the ramp starts from where it was"
    );
    assert_eq!(out[479], 0.5, "exactly on target after the ramp");
    assert!(out[480..].iter().all(|&g| g == 0.5));
    assert!(!r.is_ramping());
}

#[test]
fn ramp_skip_matches_fill() {
    let (mut a, mut b) = (Ramp::at(0.0), Ramp::at(0.0));
    a.set(1.0, 100);
    b.set(1.0, 100);
    let mut buf = [0f32; 37];
    a.fill(&mut buf);
    b.skip(37);
    assert!((a.current() - b.current()).abs() < 1e-6);
}

#[test]
fn meter_of_a_full_scale_sine() {
    let x: Vec<f32> = (0..48_000)
        .map(|i| (std::f32::consts::TAU * 1000.0 * i as f32 / 48_000.0).sin())
        .collect();
    let mut m = MeterAccum::default();
    for block in x.chunks(100) {
        m.add(block, block);
    }
    assert!((m.peak[0] - 1.0).abs() < 1e-4);
    assert!((m.rms()[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-4);
    assert!((m.rms_mono() - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-4);
    assert_eq!(m.frames, 48_000);
}

#[test]
fn pan_laws_at_the_ends_and_centre() {
    for law in [-3.0, -4.5, -6.0, 0.0] {
        assert_eq!(pan_gains(-1.0, law), [1.0, 0.0], "law {law} hard left");
        assert_eq!(pan_gains(1.0, law), [0.0, 1.0], "law {law} hard right");
    }
    let [l, r] = pan_gains(0.0, -3.0);
    assert!((l - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6 && (l - r).abs() < 1e-7);
    // Constant power across the sweep.
    for p in [-0.8f32, -0.3, 0.2, 0.7] {
        let [l, r] = pan_gains(p, -3.0);
        assert!((l * l + r * r - 1.0).abs() < 1e-5);
        let [l6, r6] = pan_gains(p, -6.0);
        assert!(
            (l6 + r6 - 1.0).abs() < 1e-5,
            "−6 dB law: amplitudes sum to one"
        );
    }
    assert_eq!(balance_gains(0.0), [1.0, 1.0]);
    assert_eq!(balance_gains(-0.5), [1.0, 0.5]);
    assert_eq!(balance_gains(1.0), [0.0, 1.0]);
}
