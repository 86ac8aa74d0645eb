//! The meter's integrated loudness and loudness range (gated from its
//! 100 ms energies) against ebur128's own (`Mode::I | Mode::LRA`, which
//! re-reads the filtered audio for every block) on the same samples: the
//! crate is the reference, and the two must agree to far below anything a
//! display shows. Signals: programme-like level changes, gaps of silence,
//! material near both gates, streams shorter than the windows, two rates,
//! mono and stereo, fed in uneven pieces.

use auxbus::io::loudness::LoudnessMeter;
use ebur128::{EbuR128, Mode};
use proptest::prelude::*;

/// A deterministic test signal: `parts` of (level dBFS, seconds, kind),
/// kind 0 = sine, 1 = noise, 2 = silence.
fn signal(parts: &[(f64, f64, u8)], channels: usize, rate: u32, seed: u64) -> Vec<f32> {
    let mut out = Vec::new();
    let mut state = seed | 1;
    let mut noise = move || {
        // xorshift64*: white noise in [-1, 1).
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    };
    let mut n = 0u64;
    for &(db, secs, kind) in parts {
        let amp = 10f64.powf(db / 20.0);
        for _ in 0..(secs * f64::from(rate)) as u64 {
            let t = n as f64 / f64::from(rate);
            for c in 0..channels {
                let x = match kind {
                    0 => amp * (std::f64::consts::TAU * (440.0 + 220.0 * c as f64) * t).sin(),
                    1 => amp * noise(),
                    _ => 0.0,
                };
                out.push(x as f32);
            }
            n += 1;
        }
    }
    out
}

/// (integrated, range) from the meter and from ebur128 alone.
fn both(samples: &[f32], channels: usize, rate: u32, piece: usize) -> ((f64, f64), (f64, f64)) {
    let mut ours = LoudnessMeter::new(channels, rate).expect("meter");
    let mut crate_meter =
        EbuR128::new(channels as u32, rate, Mode::I | Mode::LRA).expect("ebur128");
    for chunk in samples.chunks(piece * channels) {
        ours.add(chunk);
        crate_meter.add_frames_f32(chunk).expect("frames");
    }
    let l = ours.report();
    let ours = (
        l.integrated_lufs.unwrap_or(f64::NEG_INFINITY),
        l.lra_lu.unwrap_or(f64::NAN),
    );
    let reference = (
        crate_meter.loudness_global().expect("I"),
        crate_meter.loudness_range().expect("LRA"),
    );
    (ours, reference)
}

fn assert_agree(what: &str, parts: &[(f64, f64, u8)], channels: usize, rate: u32, piece: usize) {
    let samples = signal(parts, channels, rate, 7);
    let ((i, lra), (ref_i, ref_lra)) = both(&samples, channels, rate, piece);
    println!("{what}: I {i:.6} vs {ref_i:.6}, LRA {lra:.6} vs {ref_lra:.6}");
    if ref_i.is_finite() {
        assert!((i - ref_i).abs() < 1e-6, "{what}: I {i} vs ebur128 {ref_i}");
    } else {
        assert_eq!(i, ref_i, "{what}: I");
    }
    assert!(
        (lra - ref_lra).abs() < 1e-6,
        "{what}: LRA {lra} vs ebur128 {ref_lra}"
    );
}

#[test]
fn a_programme_with_quiet_and_loud_passages_agrees_with_ebur128() {
    let parts = [
        (-30.0, 4.0, 1),
        (-12.0, 6.5, 0),
        (-45.0, 3.0, 1),
        (-90.0, 2.0, 1),
        (0.0, 0.0, 2),
        (-20.0, 8.25, 1),
        (-60.0, 5.0, 0),
    ];
    assert_agree("stereo 48k", &parts, 2, 48_000, 1234);
    assert_agree("mono 44.1k", &parts, 1, 44_100, 4096);
    assert_agree("stereo 44.1k, small pieces", &parts, 2, 44_100, 37);
}

#[test]
fn silence_and_gaps_agree_with_ebur128() {
    assert_agree("silence", &[(0.0, 10.0, 2)], 2, 48_000, 512);
    assert_agree(
        "below the absolute gate",
        &[(-75.0, 10.0, 1)],
        2,
        48_000,
        512,
    );
    assert_agree(
        "a burst in silence",
        &[(0.0, 5.0, 2), (-18.0, 1.3, 0), (0.0, 6.0, 2)],
        2,
        48_000,
        1000,
    );
}

#[test]
fn streams_shorter_than_the_windows_agree_with_ebur128() {
    for secs in [0.05, 0.35, 0.45, 2.95, 3.05, 4.1] {
        assert_agree(&format!("{secs} s"), &[(-20.0, secs, 1)], 2, 48_000, 256);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random level sequences, piece sizes and layouts.
    #[test]
    fn random_programmes_agree_with_ebur128(
        levels in proptest::collection::vec((-80.0f64..0.0, 0.1f64..4.0, 0u8..3), 1..8),
        stereo in any::<bool>(),
        rate in prop_oneof![Just(44_100u32), Just(48_000u32)],
        piece in 1usize..5000,
        seed in any::<u64>(),
    ) {
        let channels = if stereo { 2 } else { 1 };
        let samples = signal(&levels, channels, rate, seed);
        let ((i, lra), (ref_i, ref_lra)) = both(&samples, channels, rate, piece);
        if ref_i.is_finite() {
            prop_assert!((i - ref_i).abs() < 1e-6, "I {} vs ebur128 {}", i, ref_i);
        } else {
            prop_assert_eq!(i, ref_i);
        }
        prop_assert!((lra - ref_lra).abs() < 1e-6, "LRA {} vs ebur128 {}", lra, ref_lra);
    }
}
