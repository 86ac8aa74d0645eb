//! Measured properties of the console EQ and the saturation effect, checked
//! against analytic expectations (cookbook filter theory, the static tanh
//! curve's Fourier series) rather than recordings of their own output.

use auxbus::fx::eq::Eq;
use auxbus::fx::saturation::Saturation;
use auxbus::session::effects::params::{EqParams, SaturationParams};
use std::f64::consts::TAU;

#[global_allocator]
static A: assert_no_alloc::AllocDisabler = assert_no_alloc::AllocDisabler;

const SR: f32 = 48_000.0;
/// One second: every whole-Hz sine fits a whole number of periods.
const SECOND: usize = 48_000;

fn sine(freq: f64, amp: f64, len: usize) -> Vec<f32> {
    (0..len)
        .map(|n| (amp * (TAU * freq * n as f64 / SR as f64).sin()) as f32)
        .collect()
}

/// Runs `f` over a stereo copy of `x` in engine-sized blocks; returns left.
fn run(mut f: impl FnMut(&mut [f32], &mut [f32]), x: &[f32], block: usize) -> Vec<f32> {
    let (mut l, mut r) = (x.to_vec(), x.to_vec());
    for (l, r) in l.chunks_mut(block).zip(r.chunks_mut(block)) {
        f(l, r);
    }
    assert_eq!(l, r, "left and right must match for identical input");
    l
}

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|&v| v as f64 * v as f64).sum::<f64>() / x.len() as f64).sqrt()
}

fn db(ratio: f64) -> f64 {
    20.0 * ratio.log10()
}

/// Amplitude of the `freq` component over a whole number of its periods.
fn amplitude(y: &[f32], freq: f64) -> f64 {
    let (mut re, mut im) = (0.0, 0.0);
    for (n, &v) in y.iter().enumerate() {
        let ph = TAU * freq * n as f64 / SR as f64;
        re += v as f64 * ph.cos();
        im += v as f64 * ph.sin();
    }
    2.0 * (re * re + im * im).sqrt() / y.len() as f64
}

/// Steady-state EQ gain at a whole-Hz `freq`: RMS out / RMS in over one
/// second after one second of settling.
fn eq_gain_db(p: &EqParams, freq: f64) -> f64 {
    let mut eq = Eq::new(SR, p);
    let x = sine(freq, 0.25, 2 * SECOND);
    let y = run(|l, r| eq.process(l, r), &x, 128);
    db(rms(&y[SECOND..]) / rms(&x[SECOND..]))
}

fn flat() -> EqParams {
    EqParams::default()
}

// ---------------------------------------------------------------- EQ

#[test]
fn eq_peaking_bands_hit_their_gain_at_the_centre() {
    let cases = [
        (12.0, 1000.0, 1.0),
        (-12.0, 250.0, 2.0),
        (6.0, 5000.0, 0.7),
        (-3.0, 120.0, 4.0),
        (12.0, 12000.0, 1.5),
        (-12.0, 60.0, 0.5),
    ];
    for (i, &(gain, freq, q)) in cases.iter().enumerate() {
        let mut p = flat();
        if i % 2 == 0 {
            (p.mid1_gain_db, p.mid1_hz, p.mid1_q) = (gain, freq, q);
        } else {
            (p.mid2_gain_db, p.mid2_hz, p.mid2_q) = (gain, freq, q);
        }
        let g = eq_gain_db(&p, freq as f64);
        assert!(
            (g - gain as f64).abs() < 0.1,
            "{gain} dB at {freq} Hz, Q {q}: measured {g:.3}"
        );
    }
}

#[test]
fn eq_peaking_band_leaves_distant_frequencies_alone() {
    for gain in [12.0, -12.0] {
        let mut p = flat();
        (p.mid1_gain_db, p.mid1_hz, p.mid1_q) = (gain, 1000.0, 1.0);
        for f in [50.0, 15000.0] {
            let g = eq_gain_db(&p, f);
            assert!(
                g.abs() < 0.1,
                "band {gain} dB at 1 kHz: {g:.3} dB at {f} Hz"
            );
        }
    }
}

#[test]
fn eq_high_pass_is_3db_down_at_its_cutoff() {
    for fc in [80.0, 200.0] {
        let (mut p, g3) = (flat(), -3.0103);
        (p.hpf_on, p.hpf_hz) = (true, fc as f32);
        let [below, at, above] = [0.95, 1.0, 1.05].map(|k| eq_gain_db(&p, k * fc));
        // The gain rises through −3.01 dB within ±5 % of the cutoff.
        assert!(below < g3 && g3 < above, "{fc} Hz: {below:.3} / {above:.3}");
        assert!((at - g3).abs() < 0.1, "{fc} Hz: {at:.3} dB at the cutoff");
        // 12 dB/octave: two octaves down is about −24 dB.
        let low = eq_gain_db(&p, fc / 4.0);
        assert!(
            (-25.0..-23.0).contains(&low),
            "{fc} Hz: {low:.2} dB 2 octaves down"
        );
        assert!(eq_gain_db(&p, 10.0 * fc).abs() < 0.1);
    }
}

#[test]
fn eq_shelves_reach_their_gain_far_from_the_corner_and_half_at_it() {
    let (mut low, mut high) = (flat(), flat());
    (low.low_gain_db, low.low_hz) = (9.0, 200.0);
    (high.high_gain_db, high.high_hz) = (-9.0, 2000.0);
    assert!((eq_gain_db(&low, 20.0) - 9.0).abs() < 0.25);
    assert!((eq_gain_db(&low, 200.0) - 4.5).abs() < 0.1);
    assert!(eq_gain_db(&low, 5000.0).abs() < 0.1);

    assert!((eq_gain_db(&high, 20000.0) + 9.0).abs() < 0.25);
    assert!((eq_gain_db(&high, 2000.0) + 4.5).abs() < 0.1);
    assert!(eq_gain_db(&high, 100.0).abs() < 0.1);
}

fn busy_eq() -> EqParams {
    EqParams {
        hpf_on: true,
        hpf_hz: 40.0,
        low_gain_db: 4.0,
        low_hz: 120.0,
        mid1_gain_db: -6.0,
        mid1_hz: 400.0,
        mid1_q: 2.0,
        mid2_gain_db: 5.0,
        mid2_hz: 3000.0,
        mid2_q: 0.8,
        high_gain_db: -3.0,
        high_hz: 9000.0,
    }
}

#[test]
fn eq_response_curve_matches_measured_gain() {
    let p = busy_eq();
    for f in [30.0, 45.0, 120.0, 400.0, 1000.0, 3000.0, 9000.0, 17000.0] {
        let (measured, drawn) = (eq_gain_db(&p, f), Eq::response_db(&p, SR, f as f32) as f64);
        assert!(
            (measured - drawn).abs() < 0.1,
            "{f} Hz: measured {measured:.3}, curve {drawn:.3}"
        );
    }
    // The curve is not trivially flat (so the comparison means something).
    assert!(Eq::response_db(&p, SR, 3000.0) > 4.0);
}

#[test]
fn eq_flat_is_bit_exact_bypass() {
    let x = sine(440.0, 0.5, 4096);
    let mut eq = Eq::new(SR, &flat());
    assert_eq!(run(|l, r| eq.process(l, r), &x, 128), x);
}

#[test]
fn eq_high_pass_switches_without_a_click_and_then_bypasses() {
    // A bass note on a DC offset: bypassing the filter at once would step by the offset.
    let x: Vec<f32> = sine(100.0, 0.5, 3 * SECOND)
        .iter()
        .map(|v| v + 0.3)
        .collect();
    let mut on = flat();
    (on.hpf_on, on.hpf_hz) = (true, 200.0);
    let mut eq = Eq::new(SR, &on);
    let mut n = 0;
    let y = run(
        |l, r| {
            // Off after 1 s, back on at 1.5 s, off again at 2 s.
            let t = n as f32 / SR;
            n += l.len();
            let want_on = !(1.0..1.5).contains(&t) && t < 2.0;
            eq.set_params(&EqParams {
                hpf_on: want_on,
                ..on
            });
            eq.process(l, r);
        },
        &x,
        128,
    );
    let max_step = |s: &[f32]| {
        s.windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0f32, f32::max)
    };
    // The sine alone moves by at most 2π·100/48000·0.5 ≈ 0.0065 per sample.
    let (sig, out) = (max_step(&x), max_step(&y[SECOND / 2..]));
    assert!(out < 1.2 * sig, "step {out} vs signal step {sig}");
    // Once off and settled, the filter is out of the path entirely.
    assert_eq!(&y[5 * SECOND / 2..], &x[5 * SECOND / 2..]);
    // While on, the DC was gone.
    let mean = y[SECOND / 2..SECOND].iter().map(|&v| v as f64).sum::<f64>() / (SECOND / 2) as f64;
    assert!(mean.abs() < 1e-3, "{mean}");
}

/// Subnormals as output or left decaying in state would slow the CPU;
/// tests run without flush-to-zero, so exact zeros must come back.
fn assert_decays_to_exact_zero(mut f: impl FnMut(&mut [f32], &mut [f32])) {
    let mut x = vec![0.0f32; 20 * SECOND];
    x[0] = 1.0;
    x[1] = -0.7;
    let y = run(&mut f, &x, 128);
    let sub = y.iter().filter(|v| v.is_subnormal()).count();
    assert_eq!(sub, 0, "subnormal output samples");
    assert!(
        y[19 * SECOND..].iter().all(|&v| v == 0.0),
        "silence did not become exact zeros"
    );
}

#[test]
fn eq_silence_after_a_sound_becomes_exact_zeros() {
    let p = EqParams {
        hpf_hz: 20.0,
        low_hz: 20.0,
        low_gain_db: 12.0,
        ..busy_eq()
    };
    let mut eq = Eq::new(SR, &p);
    assert_decays_to_exact_zero(|l, r| eq.process(l, r));
}

// ---------------------------------------------------------------- saturation

fn sat(drive_db: f32, tone: f32, output_db: f32) -> SaturationParams {
    SaturationParams {
        drive_db,
        tone,
        output_db,
        mix: 1.0,
    }
}

fn sat_output(p: &SaturationParams, x: &[f32]) -> Vec<f32> {
    let mut s = Saturation::new(SR, p);
    run(|l, r| s.process(l, r), x, 128)
}

/// THD (harmonics 2–10 over the fundamental) of `y`, a 1 kHz tone.
fn thd(y: &[f32]) -> f64 {
    let h: Vec<f64> = (1..=10).map(|k| amplitude(y, 1000.0 * k as f64)).collect();
    h[1..].iter().map(|a| a * a).sum::<f64>().sqrt() / h[0]
}

#[test]
fn saturation_thd_rises_with_drive_and_matches_the_static_curve() {
    let x = sine(1000.0, 0.5, 2 * SECOND);
    let mut last = 0.0;
    for drive in [0.0, 6.0, 12.0, 24.0] {
        let p = sat(drive, 0.0, 0.0);
        let measured = thd(&sat_output(&p, &x)[SECOND..]);
        // Expected: the Fourier series of the static curve over one period,
        // sampled finely enough that nothing aliases.
        let dense: Vec<f32> = (0..SECOND)
            .map(|n| Saturation::transfer(&p, (0.5 * (TAU * n as f64 / 480.0).sin()) as f32))
            .collect();
        let h: Vec<f64> = (1..=10)
            .map(|k| amplitude(&dense, 100.0 * k as f64))
            .collect();
        let expected = h[1..].iter().map(|a| a * a).sum::<f64>().sqrt() / h[0];
        assert!(
            (measured / expected - 1.0).abs() < 0.02,
            "drive {drive}: THD {measured:.5}, static curve says {expected:.5}"
        );
        assert!(
            measured > 1.5 * last,
            "drive {drive}: THD {measured:.5} after {last:.5}"
        );
        last = measured;
    }
}

#[test]
fn saturation_full_scale_maps_to_output_level() {
    for (drive, out) in [(0.0, 0.0), (12.0, -6.0), (36.0, 6.0)] {
        let p = sat(drive, 0.0, out);
        let want = 10f32.powf(out / 20.0);
        assert!((Saturation::transfer(&p, 1.0) - want).abs() < 1e-5 * want.max(1.0));
        assert!((Saturation::transfer(&p, -1.0) + want).abs() < 1e-5 * want.max(1.0));
    }
}

/// The loudest the shaper itself can get (its curve at ±∞), times the
/// tilt's largest gain: what a hot input may reach before band-limiting.
fn ceiling(p: &SaturationParams) -> f32 {
    Saturation::transfer(p, 1e9) * 10f32.powf(3.0 * p.tone.abs() / 20.0)
}

fn peak(y: &[f32]) -> f32 {
    assert!(y.iter().all(|v| v.is_finite()), "non-finite output");
    y.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

#[test]
fn saturation_stays_bounded_for_huge_inputs() {
    for amp in [10.0, 1e6] {
        for f in [100.0, 1000.0, 5000.0, 15000.0] {
            let x = sine(f, amp, SECOND / 4);
            for drive in [0.0, 18.0, 36.0] {
                for out in [-12.0, 0.0, 12.0] {
                    for tone in [-1.0, 0.0, 1.0] {
                        let p = sat(drive, tone, out);
                        // A clipped sine band-limited to its in-band harmonics
                        // peaks up to 4/π above the clip level (at 15 kHz only
                        // the fundamental is left), so allow 1.5× the ceiling.
                        let y = sat_output(&p, &x);
                        let (got, bound) = (peak(&y[480..]), 1.5 * ceiling(&p));
                        assert!(got <= bound, "±{amp} {f} Hz {p:?}: {got} > {bound}");
                        // With drive, the ceiling is the output level itself.
                        if drive >= 18.0 && tone == 0.0 {
                            assert!(got <= 1.5 * 10f32.powf(out / 20.0));
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn saturation_stays_bounded_for_random_full_swings() {
    // The worst case: random ±amp from silence, full of edges that the
    // shaper turns into full-scale steps and the filters then ring on.
    let mut seed = 1u32;
    for amp in [10.0f32, 1e6] {
        let x: Vec<f32> = (0..SECOND / 2)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                if seed >> 31 == 0 { amp } else { -amp }
            })
            .collect();
        for drive in [0.0, 18.0, 36.0] {
            for tone in [-1.0, 0.0, 1.0] {
                let p = sat(drive, tone, -6.0);
                let (got, bound) = (peak(&sat_output(&p, &x)), 2.0 * ceiling(&p));
                assert!(got <= bound, "±{amp} {p:?}: {got} > {bound}");
            }
        }
    }
}

#[test]
fn saturation_oversampling_suppresses_aliasing() {
    // 15 kHz at drive 18 dB: the 3rd harmonic (45 kHz) folds to 3 kHz
    // without oversampling.
    let p = sat(18.0, 0.0, 0.0);
    let x = sine(15000.0, 0.5, 2 * SECOND);
    let naive: Vec<f32> = x.iter().map(|&v| Saturation::transfer(&p, v)).collect();
    let y = sat_output(&p, &x);
    let (reference, alias) = (
        amplitude(&naive[SECOND..], 3000.0),
        amplitude(&y[SECOND..], 3000.0),
    );
    let margin = db(reference / alias);
    eprintln!(
        "alias at 3 kHz: naive {:.1} dB, oversampled {:.1} dB, margin {margin:.1} dB",
        db(reference),
        db(alias)
    );
    assert!(margin >= 30.0, "margin {margin:.1} dB");
}

#[test]
fn saturation_passband_is_flat_and_latency_is_reported() {
    // Small signals see the curve's slope at 0: g/tanh(g), 1/tanh(1) at 0 dB drive.
    let p = sat(0.0, 0.0, 0.0);
    let slope = db(1.0 / 1f64.tanh());
    for f in [50.0, 1000.0, 10000.0, 18000.0] {
        let x = sine(f, 1e-3, 2 * SECOND);
        let g = db(rms(&sat_output(&p, &x)[SECOND..]) / rms(&x[SECOND..]));
        assert!(
            (g - slope).abs() < 0.02,
            "{f} Hz: {g:.4} dB, want {slope:.4}"
        );
    }
    let mut x = vec![0.0f32; 512];
    x[100] = 1e-3;
    let y = sat_output(&p, &x);
    let peak = (0..y.len())
        .max_by(|&a, &b| y[a].abs().total_cmp(&y[b].abs()))
        .unwrap();
    assert_eq!(peak - 100, Saturation::new(SR, &p).latency());
}

#[test]
fn saturation_tone_tilts_6db_about_the_pivot() {
    let gain = |tone: f32, f: f64| {
        let x = sine(f, 1e-3, 2 * SECOND);
        rms(&sat_output(&sat(0.0, tone, 0.0), &x)[SECOND..])
    };
    for (f, want) in [(40.0, -3.0), (1500.0, 0.0), (16000.0, 3.0)] {
        for tone in [1.0f32, -1.0] {
            let tilt = db(gain(tone, f) / gain(0.0, f));
            let want = want * tone as f64;
            assert!(
                (tilt - want).abs() < 0.1,
                "tone {tone} at {f} Hz: {tilt:.3}, want {want}"
            );
        }
    }
}

#[test]
fn saturation_silence_after_a_sound_becomes_exact_zeros() {
    let mut s = Saturation::new(SR, &sat(12.0, -1.0, 0.0));
    assert_decays_to_exact_zero(|l, r| s.process(l, r));
}

// ---------------------------------------------------------------- both

#[test]
fn process_and_set_params_do_not_allocate() {
    let mut eq = Eq::new(SR, &flat());
    let mut s = Saturation::new(SR, &sat(6.0, 0.0, 0.0));
    let (mut eq2, mut s2) = (
        Eq::new(SR, &busy_eq()),
        Saturation::new(SR, &sat(0.0, 0.0, 0.0)),
    );
    let (mut l, mut r) = (sine(300.0, 0.5, 1000), sine(500.0, 0.5, 1000));
    assert_no_alloc::assert_no_alloc(|| {
        for len in [128, 1, 37, 1000, 0] {
            eq.set_params(&busy_eq());
            eq.process(&mut l[..len], &mut r[..len]);
            s.set_params(&sat(24.0, 0.5, -3.0));
            s.process(&mut l[..len], &mut r[..len]);
        }
        eq2.copy_state_from(&eq);
        s2.copy_state_from(&s);
    });
}

#[test]
fn copied_state_gives_bit_identical_output() {
    let x = sine(220.0, 0.8, 10_000);
    let (p1, p2) = (flat(), busy_eq());
    // Copy mid-glide (parameters just changed, HPF fading in).
    let mut a = Eq::new(SR, &p1);
    a.set_params(&p2);
    let _ = run(|l, r| a.process(l, r), &x[..1000], 128);
    let mut b = Eq::new(SR, &p2);
    b.copy_state_from(&a);
    let ya = run(|l, r| a.process(l, r), &x[1000..], 128);
    let yb = run(|l, r| b.process(l, r), &x[1000..], 128);
    assert_eq!(ya, yb);
    assert_ne!(ya, x[1000..].to_vec());

    let (q1, q2) = (sat(0.0, 0.0, 0.0), sat(20.0, -0.5, -6.0));
    let mut a = Saturation::new(SR, &q1);
    a.set_params(&q2);
    let _ = run(|l, r| a.process(l, r), &x[..1000], 128);
    let mut b = Saturation::new(SR, &q2);
    b.copy_state_from(&a);
    let ya = run(|l, r| a.process(l, r), &x[1000..], 128);
    let yb = run(|l, r| b.process(l, r), &x[1000..], 128);
    assert_eq!(ya, yb);
}

#[test]
fn block_length_does_not_change_settled_output() {
    let x = sine(1234.0, 0.7, 5000);
    let chain = |block| {
        let (mut e, mut s) = (
            Eq::new(SR, &busy_eq()),
            Saturation::new(SR, &sat(18.0, 0.7, 0.0)),
        );
        run(|l, r| (e.process(l, r), s.process(l, r)).1, &x, block)
    };
    for (a, b) in chain(128).iter().zip(&chain(37)) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
}
