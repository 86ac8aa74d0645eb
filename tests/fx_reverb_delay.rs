//! Measured properties of the reverb and the delay, each against an analytic
//! expectation: echo arrival, feedback ratio, loop filtering, ping-pong,
//! RT60 (Schroeder integration), damping, tail length, denormal safety,
//! realtime safety and state copying.

use assert_no_alloc::{AllocDisabler, assert_no_alloc};
use auxbus::dsp::BLOCK;
use auxbus::fx::delay::Delay;
use auxbus::fx::reverb::Reverb;
use auxbus::session::effects::params::{DelayParams, Feel, NoteValue, ReverbParams};

#[global_allocator]
static ALLOC: AllocDisabler = AllocDisabler;

const FS: f32 = 48_000.0;

/// Runs `f` over a stereo signal in blocks of `BLOCK`, as the engine does.
fn blocks(l: &mut [f32], r: &mut [f32], mut f: impl FnMut(&mut [f32], &mut [f32])) {
    for (l, r) in l.chunks_mut(BLOCK).zip(r.chunks_mut(BLOCK)) {
        f(l, r);
    }
}

/// Response to a unit impulse on both sides, `secs` long.
fn reverb_ir(p: &ReverbParams, secs: f32) -> (Vec<f32>, Vec<f32>) {
    let n = (secs * FS) as usize;
    let (mut l, mut r) = (vec![0.0; n], vec![0.0; n]);
    l[0] = 1.0;
    r[0] = 1.0;
    let mut verb = Reverb::new(FS, p);
    blocks(&mut l, &mut r, |l, r| verb.process(l, r));
    (l, r)
}

fn delay_ir(p: &DelayParams, tempo: f32, n: usize, left_only: bool) -> (Vec<f32>, Vec<f32>) {
    let (mut l, mut r) = (vec![0.0; n], vec![0.0; n]);
    l[0] = 1.0;
    r[0] = if left_only { 0.0 } else { 1.0 };
    let mut d = Delay::new(FS, p, tempo);
    blocks(&mut l, &mut r, |l, r| d.process(l, r));
    (l, r)
}

/// A unit sine, its phase computed in f64 so it stays clean for minutes.
fn sine(freq: f64, n: usize) -> Vec<f32> {
    let step = freq / f64::from(FS);
    (0..n)
        .map(|i| ((i as f64 * step).fract() * std::f64::consts::TAU).sin() as f32)
        .collect()
}

/// Small deterministic noise (xorshift), −1…1.
fn noise(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.max(1);
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s as f32 / u32::MAX as f32 * 2.0 - 1.0
        })
        .collect()
}

/// RT60 from T30: Schroeder backward integration of the energy, a least
/// squares line through −5…−35 dB, extrapolated to 60 dB.
fn rt60(x: &[f32]) -> f64 {
    let mut edc: Vec<f64> = x.iter().map(|&v| f64::from(v) * f64::from(v)).collect();
    for i in (0..edc.len() - 1).rev() {
        edc[i] += edc[i + 1];
    }
    let total = edc[0];
    let db: Vec<f64> = edc.iter().map(|&e| 10.0 * (e / total).log10()).collect();
    let start = db.iter().position(|&d| d <= -5.0).expect("reaches -5 dB");
    let end = db.iter().position(|&d| d <= -35.0).expect("reaches -35 dB");
    // Least squares slope (dB per sample) of db[start..=end].
    let xs = start as f64..=end as f64;
    let mx = (xs.start() + xs.end()) / 2.0;
    let (num, den) = (start..=end).fold((0.0, 0.0), |(a, b), i| {
        let dx = i as f64 - mx;
        (a + dx * db[i], b + dx * dx)
    });
    -60.0 / (num / den * f64::from(FS))
}

fn sum(l: &[f32], r: &[f32]) -> Vec<f32> {
    l.iter().zip(r).map(|(a, b)| a + b).collect()
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

fn peak(x: &[f32]) -> f32 {
    x.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

fn energy(x: &[f32]) -> f64 {
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
}

fn db(ratio: f64) -> f64 {
    20.0 * ratio.log10()
}

fn dry_delay(time_ms: f32, feedback: f32) -> DelayParams {
    DelayParams {
        time_ms,
        feedback,
        ..DelayParams::default()
    }
}

// ---------------------------------------------------------------- delay

#[test]
fn first_echo_arrives_at_exactly_the_rounded_time() {
    for ms in [250.0, 123.4, 1.0, 3999.9] {
        let p = dry_delay(ms, 0.0);
        let want = (ms * FS / 1000.0).round() as usize;
        assert_eq!(Delay::new(FS, &p, 120.0).delay_samples(), want);
        let (l, r) = delay_ir(&p, 120.0, want + 1000, false);
        for x in [&l, &r] {
            let first = x.iter().position(|v| *v != 0.0);
            assert_eq!(first, Some(want), "{ms} ms");
            assert_eq!(x[want], 1.0, "the echo is the impulse, unscaled");
            assert_eq!(peak(&x[want + 1..]), 0.0, "no feedback, no smear");
        }
    }
}

#[test]
fn a_dotted_eighth_at_120_bpm_is_18000_samples() {
    let p = DelayParams {
        note: Some(NoteValue {
            division: 8,
            feel: Feel::Dotted,
        }),
        feedback: 0.0,
        ..DelayParams::default()
    };
    assert_eq!(Delay::new(FS, &p, 120.0).delay_samples(), 18_000);
    let (l, _) = delay_ir(&p, 120.0, 20_000, false);
    assert_eq!(l.iter().position(|v| *v != 0.0), Some(18_000));
}

#[test]
fn each_repeat_is_the_last_times_the_feedback() {
    for fb in [0.3f32, 0.5, 0.9] {
        let p = dry_delay(100.0, fb);
        let (l, _) = delay_ir(&p, 120.0, 4800 * 7, false);
        let peaks: Vec<f32> = (1..=6).map(|k| l[k * 4800].abs()).collect();
        for w in peaks.windows(2) {
            let got = db(f64::from(w[1] / w[0]));
            assert!((got - db(f64::from(fb))).abs() < 0.1, "fb {fb}: {peaks:?}");
        }
    }
}

/// Repeats of a tone burst through the loop filters: dB lost per repeat.
fn loss_per_repeat(freq: f32, p: &DelayParams) -> f64 {
    let d = 4800; // 100 ms
    let burst = 960; // 20 ms, Hann-windowed
    let n = d * 6;
    let mut l: Vec<f32> = (0..n)
        .map(|i| {
            if i >= burst {
                return 0.0;
            }
            let w = 0.5 - 0.5 * (std::f32::consts::TAU * i as f32 / burst as f32).cos();
            w * (std::f32::consts::TAU * freq * i as f32 / FS).sin()
        })
        .collect();
    let mut r = l.clone();
    let mut dl = Delay::new(FS, p, 120.0);
    blocks(&mut l, &mut r, |l, r| dl.process(l, r));
    let rms = |k: usize| energy(&l[k * d..(k + 1) * d]).sqrt();
    // Repeats 2→5: the first echo never passes through the loop.
    let drops: Vec<f64> = (2..5).map(|k| db(rms(k) / rms(k + 1))).collect();
    drops.iter().sum::<f64>() / drops.len() as f64
}

#[test]
fn the_high_cut_darkens_each_repeat() {
    let p = DelayParams {
        highcut_hz: 2000.0,
        ..dry_delay(100.0, 0.8)
    };
    let high = loss_per_repeat(10_000.0, &p);
    let low = loss_per_repeat(200.0, &p);
    let fb_loss = -db(0.8);
    // At 200 Hz the low-pass is transparent; at 10 kHz a one-pole at 2 kHz
    // takes about 12 dB more per pass.
    eprintln!("high cut: 10 kHz {high:.2} dB, 200 Hz {low:.2} dB per repeat");
    assert!((low - fb_loss).abs() < 0.3, "200 Hz loses {low:.2} dB");
    assert!(
        high > low + 8.0,
        "10 kHz {high:.2} dB vs 200 Hz {low:.2} dB"
    );
    // With the filter off, both lose just the feedback.
    let off = dry_delay(100.0, 0.8);
    let flat = loss_per_repeat(10_000.0, &off);
    assert!(
        (flat - fb_loss).abs() < 0.1,
        "10 kHz unfiltered {flat:.2} dB"
    );
}

#[test]
fn the_low_cut_thins_each_repeat() {
    let p = DelayParams {
        lowcut_hz: 1000.0,
        ..dry_delay(100.0, 0.8)
    };
    let high = loss_per_repeat(10_000.0, &p);
    let low = loss_per_repeat(200.0, &p);
    assert!(
        low > high + 8.0,
        "200 Hz {low:.2} dB vs 10 kHz {high:.2} dB"
    );
}

#[test]
fn ping_pong_alternates_sides_from_a_mono_sum() {
    let p = DelayParams {
        ping_pong: true,
        ..dry_delay(50.0, 0.5)
    };
    let d = 2400;
    // A right-only impulse still starts on the first side: input is summed.
    let (l, r) = delay_ir(&p, 120.0, d * 4 + 10, false);
    let (l1, r1) = delay_ir(&p, 120.0, d * 4 + 10, true);
    for (l, r) in [(&l, &r), (&l1, &r1)] {
        let near = |x: &[f32], k: usize| peak(&x[k * d - 100..k * d + 100]);
        assert!(near(l, 1) > 0.4 && near(r, 1) == 0.0, "echo 1 left only");
        assert!(near(r, 2) > 0.1 && near(l, 2) == 0.0, "echo 2 right only");
        assert!(near(l, 3) > 0.05 && near(r, 3) == 0.0, "echo 3 left again");
        assert!((near(r, 2) / near(l, 1) - 0.5).abs() < 1e-6);
    }
}

#[test]
fn a_time_change_glides_without_a_click() {
    // No feedback: the output is the input read by one moving head.
    let p = dry_delay(200.0, 0.0);
    let mut d = Delay::new(FS, &p, 120.0);
    let freq = 440.0;
    let n = FS as usize * 3;
    let mut l = sine(f64::from(freq), n);
    let mut r = l.clone();
    let mut done = 0;
    blocks(&mut l, &mut r, |l, r| {
        done += l.len();
        // Longer (the pitch bends down), then shorter (it bends up).
        if done == FS as usize {
            d.set_params(&dry_delay(450.0, 0.0), 120.0);
        } else if done == 2 * FS as usize {
            d.set_params(&dry_delay(300.0, 0.0), 120.0);
        }
        d.process(l, r);
    });
    // Steady, the largest step between samples of a sine of peak A is about
    // A·2πf/fs; the head's speed stays within 0.5×…1.5×, so the pitch (and
    // the step) is at most 1.5× that. A jump in the read would be larger.
    let steady = peak(&l[FS as usize - 4800..FS as usize]);
    let max_step = l[FS as usize / 2..]
        .windows(2)
        .fold(0.0f32, |m, w| m.max((w[1] - w[0]).abs()));
    let bound = 1.5 * 1.001 * steady * std::f32::consts::TAU * freq / FS;
    eprintln!("time change: largest step {max_step:.5}, bound {bound:.5}");
    assert!(max_step < bound, "step {max_step} vs bound {bound}");
}

// ---------------------------------------------------------------- reverb

fn verb(decay_s: f32, damping: f32) -> ReverbParams {
    ReverbParams {
        decay_s,
        damping,
        ..ReverbParams::default()
    }
}

#[test]
fn rt60_matches_the_decay_setting() {
    for decay in [0.5f32, 2.0, 5.0] {
        let (l, r) = reverb_ir(&verb(decay, 0.0), decay * 1.5 + 0.5);
        let t = rt60(&sum(&l, &r));
        eprintln!("decay {decay} s: measured RT60 {t:.3} s");
        assert!(
            (t / f64::from(decay) - 1.0).abs() < 0.2,
            "{decay} s → {t:.3} s"
        );
    }
}

/// RT60 of the low band (one-pole low-pass at 300 Hz) and of the high band
/// (two first differences: +12 dB/octave, so the top octaves dominate).
fn band_rt60s(p: &ReverbParams) -> (f64, f64) {
    let (l, r) = reverb_ir(p, 4.0);
    let x = sum(&l, &r);
    let c = 1.0 - (-std::f32::consts::TAU * 300.0 / FS).exp();
    let mut s = 0.0;
    let low: Vec<f32> = x
        .iter()
        .map(|&v| {
            s += c * (v - s);
            s
        })
        .collect();
    let diff = |x: &[f32]| -> Vec<f32> { x.windows(2).map(|w| w[1] - w[0]).collect() };
    let high = diff(&diff(&x));
    (rt60(&low), rt60(&high))
}

#[test]
fn damping_shortens_the_high_frequency_decay() {
    let (low0, high0) = band_rt60s(&verb(2.0, 0.0));
    let (low1, high1) = band_rt60s(&verb(2.0, 1.0));
    eprintln!(
        "damping 0: low {low0:.3} s high {high0:.3} s; damping 1: low {low1:.3} s high {high1:.3} s"
    );
    // Undamped, the bands decay alike; damped, the highs die several times
    // faster (1/5 at Nyquist) while the lows keep the set RT60.
    assert!(
        (high0 / low0 - 1.0).abs() < 0.15,
        "undamped {low0:.3} vs {high0:.3}"
    );
    assert!(high1 < 0.45 * low1, "damped {low1:.3} vs {high1:.3}");
    assert!(
        (low1 / 2.0 - 1.0).abs() < 0.2,
        "damped low band {low1:.3} s"
    );
}

#[test]
fn the_tail_is_90_db_down_by_tail_seconds_and_never_subnormal() {
    let cases = [
        ReverbParams::default(),
        verb(0.3, 1.0),
        ReverbParams {
            size: 1.0,
            predelay_ms: 250.0,
            ..verb(4.0, 0.0)
        },
    ];
    for p in cases {
        let tail = Reverb::tail_seconds(&p);
        let (l, r) = reverb_ir(&p, tail + 1.0);
        let first = peak(&l).max(peak(&r));
        let at = (tail * FS) as usize;
        let late = peak(&l[at..]).max(peak(&r[at..]));
        assert!(first > 0.0);
        eprintln!("tail {tail:.2} s: {:.1} dB", db(f64::from(late / first)));
        assert!(
            db(f64::from(late / first)) < -90.0,
            "{p:?}: {:.1} dB at {tail:.2} s",
            db(f64::from(late / first))
        );

        // Long after, every state value is exactly zero or normal.
        let mut v = Reverb::new(FS, &p);
        let mut n = noise(FS as usize, 7);
        let mut m = n.clone();
        blocks(&mut n, &mut m, |l, r| v.process(l, r));
        let (mut l, mut r) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        for _ in 0..(tail * 8.0 * FS) as usize / BLOCK {
            l.fill(0.0);
            r.fill(0.0);
            v.process(&mut l, &mut r);
        }
        assert!(!v.has_subnormal_state(), "{p:?}");
        assert_eq!(peak(&l), 0.0, "fully flushed");
    }
}

#[test]
fn the_delay_loop_never_goes_subnormal() {
    for p in [
        dry_delay(30.0, 0.9),
        DelayParams {
            lowcut_hz: 200.0,
            highcut_hz: 3000.0,
            ping_pong: true,
            ..dry_delay(7.0, 0.95)
        },
    ] {
        let mut d = Delay::new(FS, &p, 120.0);
        let mut n = noise(FS as usize / 2, 3);
        let mut m = n.clone();
        blocks(&mut n, &mut m, |l, r| d.process(l, r));
        let secs = Delay::tail_seconds(&p, 120.0) * 3.0;
        let (mut l, mut r) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        for _ in 0..(secs * FS) as usize / BLOCK {
            l.fill(0.0);
            r.fill(0.0);
            d.process(&mut l, &mut r);
        }
        assert!(!d.has_subnormal_state(), "{p:?}");
    }
}

/// A 300 Hz sine through the reverb for 4 s; `change` (if any) takes effect
/// at 2 s. Returns the left output.
fn sine_through(p: &ReverbParams, change: Option<&ReverbParams>) -> Vec<f32> {
    let mut v = Reverb::new(FS, p);
    let n = FS as usize * 4;
    let mut l = sine(300.0, n);
    let mut r = l.clone();
    let mut done = 0;
    blocks(&mut l, &mut r, |l, r| {
        if done == 2 * FS as usize
            && let Some(c) = change
        {
            v.set_params(c);
        }
        done += l.len();
        v.process(l, r);
    });
    l
}

/// The worst high-frequency content over 2–4 s: per 2048-sample window, the
/// peak third difference (which passes 300 Hz 84 dB down but a step in full)
/// relative to the window's peak level.
fn roughness(x: &[f32]) -> f32 {
    let s = 2 * FS as usize;
    x[s..]
        .chunks(2048)
        .map(|w| {
            let d3 = w.windows(4).fold(0.0f32, |m, w| {
                m.max((w[3] - 3.0 * w[2] + 3.0 * w[1] - w[0]).abs())
            });
            d3 / peak(w)
        })
        .fold(0.0, f32::max)
}

#[test]
fn a_size_change_bends_the_tail_without_a_click() {
    let from = ReverbParams {
        size: 0.0,
        ..verb(3.0, 0.0)
    };
    let to = ReverbParams {
        size: 1.0,
        predelay_ms: 120.0,
        ..from
    };
    // A sine through a linear reverb is a sine, plus what remains of the
    // onset. A jump of s (relative to the level) in any read makes a third
    // difference of 2s; moving heads instead bend the pitch and add only
    // faint interpolation noise. Allow nothing like a step above −54 dB.
    let changed = roughness(&sine_through(&from, Some(&to)));
    let steady = roughness(&sine_through(&from, None)).max(roughness(&sine_through(&to, None)));
    eprintln!("size change: roughness {changed:.4}, steady {steady:.4}");
    assert!(steady < 0.0005, "the reverb alone is smooth: {steady:.4}");
    assert!(changed < 0.004, "{changed:.4} vs steady {steady:.4}");
}

// ---------------------------------------------------------------- both

#[test]
fn process_and_set_params_never_allocate() {
    let mut v = Reverb::new(FS, &ReverbParams::default());
    let mut d = Delay::new(FS, &DelayParams::default(), 120.0);
    let mut l = noise(4096, 11);
    let mut r = noise(4096, 12);
    assert_no_alloc(|| {
        for (i, len) in [1usize, 37, 128, 300, 0, 128].into_iter().enumerate() {
            let k = i as f32;
            v.set_params(&ReverbParams {
                size: k / 5.0,
                decay_s: 0.5 + k,
                damping: 1.0 - k / 5.0,
                predelay_ms: 10.0 * k,
                width: k / 5.0,
                mix: 1.0,
            });
            d.set_params(
                &DelayParams {
                    time_ms: 50.0 + 100.0 * k,
                    feedback: k / 6.0,
                    lowcut_hz: 20.0 + 100.0 * k,
                    highcut_hz: 20_000.0 - 3000.0 * k,
                    ping_pong: i % 2 == 0,
                    ..DelayParams::default()
                },
                90.0 + k,
            );
            for _ in 0..4 {
                v.process(&mut l[..len], &mut r[..len]);
                d.process(&mut l[..len], &mut r[..len]);
            }
        }
        v.reset();
        d.reset();
    });
}

#[test]
fn a_copied_reverb_continues_the_tail_bit_for_bit() {
    let p = ReverbParams::default();
    let mut a = Reverb::new(FS, &p);
    let (mut l, mut r) = (noise(20_000, 1), noise(20_000, 2));
    blocks(&mut l, &mut r, |l, r| a.process(l, r));
    // Copy mid-glide so the glides' positions must come across too.
    let moved = ReverbParams {
        size: 0.9,
        decay_s: 3.0,
        ..p
    };
    a.set_params(&moved);
    a.process(&mut [0.0; 64], &mut [0.0; 64]);
    let mut b = Reverb::new(FS, &moved);
    assert_no_alloc(|| b.copy_state_from(&a));
    let input = noise(30_000, 3);
    let (mut la, mut ra) = (input.clone(), vec![0.0; 30_000]);
    let (mut lb, mut rb) = (la.clone(), ra.clone());
    blocks(&mut la, &mut ra, |l, r| a.process(l, r));
    blocks(&mut lb, &mut rb, |l, r| b.process(l, r));
    assert!(peak(&la[20_000..]) > 1e-3, "there is a tail to compare");
    assert!(same_bits(&la, &lb) && same_bits(&ra, &rb));
}

#[test]
fn a_copied_delay_continues_the_echoes_bit_for_bit() {
    let p = DelayParams {
        highcut_hz: 5000.0,
        ..dry_delay(300.0, 0.6)
    };
    let mut a = Delay::new(FS, &p, 120.0);
    let (mut l, mut r) = (noise(20_000, 4), noise(20_000, 5));
    blocks(&mut l, &mut r, |l, r| a.process(l, r));
    let moved = DelayParams {
        time_ms: 280.0,
        ..p
    };
    a.set_params(&moved, 120.0);
    a.process(&mut [0.0; 64], &mut [0.0; 64]);
    let mut b = Delay::new(FS, &moved, 120.0);
    assert_no_alloc(|| b.copy_state_from(&a));
    let (mut la, mut ra) = (vec![0.0; 40_000], vec![0.0; 40_000]);
    let (mut lb, mut rb) = (la.clone(), ra.clone());
    blocks(&mut la, &mut ra, |l, r| a.process(l, r));
    blocks(&mut lb, &mut rb, |l, r| b.process(l, r));
    assert!(peak(&la) > 1e-3, "there are echoes to compare");
    assert!(same_bits(&la, &lb) && same_bits(&ra, &rb));
}
