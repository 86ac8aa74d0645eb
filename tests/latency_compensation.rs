//! Latency compensation: a saturation insert delays its output by its
//! oversampling filters' group delay (23 samples); every other path into
//! the same sum must wait for it, so parallel paths null exactly against
//! the analytic sum — the wet path computed here with the effect itself,
//! shifted back by its stated latency.

mod common;

use std::path::Path;
use std::sync::Arc;

use auxbus::engine::{Engine, Feed, MemoryFeed};
use auxbus::fx::saturation::{LATENCY, Saturation};
use auxbus::graph::{self, FeedInfo};
use auxbus::session::effects::params::SaturationParams;
use common::*;
use serde_json::{Value, json};

const RATE: usize = 48_000;

/// Deterministic broadband test signal (white-ish noise plus a sine), so a
/// misalignment of even one sample shows in the null and the correlation.
fn signal(frames: usize) -> Vec<f32> {
    let mut seed = 0x1234_5678u32;
    (0..frames)
        .map(|i| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
            0.3 * noise + 0.2 * (i as f32 * 0.031).sin()
        })
        .collect()
}

fn write_stereo(path: &Path, x: &[f32]) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE as u32,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create wav");
    for &v in x {
        w.write_sample(v).expect("write");
        w.write_sample(v).expect("write");
    }
    w.finalize().expect("finalize");
}

fn saturation(drive_db: f32) -> Value {
    json!({"type": "saturation", "drive_db": drive_db, "tone": 0.0, "output_db": 0.0})
}

/// The saturation's output for `x` followed by silence, as it comes out
/// (`LATENCY` samples late).
fn saturate(x: &[f32], drive_db: f32) -> Vec<f32> {
    let p = SaturationParams {
        drive_db,
        tone: 0.0,
        output_db: 0.0,
        mix: 1.0,
    };
    let mut fx = Saturation::new(RATE as f32, &p);
    let mut l: Vec<f32> = x.iter().copied().chain([0.0; 4 * LATENCY]).collect();
    let mut r = l.clone();
    fx.process(&mut l, &mut r);
    l
}

/// `y` moved `samples` earlier: what a path must contribute at time t
/// once its latency is compensated.
fn earlier(mut y: Vec<f32>, samples: usize) -> Vec<f32> {
    y.drain(..samples);
    y
}

/// The saturation's output for `x`, shifted back by its latency.
fn saturated(x: &[f32], drive_db: f32) -> Vec<f32> {
    earlier(saturate(x, drive_db), LATENCY)
}

/// Normalised cross-correlation of `a` against `b` at each lag in ±`max`;
/// returns the lag of the peak.
fn peak_lag(a: &[f32], b: &[f32], max: i64) -> i64 {
    let n = a.len().min(b.len()) as i64;
    (-max..=max)
        .max_by(|&x, &y| {
            let c = |lag: i64| -> f64 {
                (max..n - max)
                    .map(|i| f64::from(a[i as usize]) * f64::from(b[(i + lag) as usize]))
                    .sum()
            };
            c(x).total_cmp(&c(y))
        })
        .unwrap_or(0)
}

/// Renders `channels` (plus a master) over the test signal in `x.wav` and
/// compares the left output with `expected`: correlation peak at lag 0 and
/// the residual of the aligned sum below −90 dB.
fn assert_nulls(channels: Vec<Value>, x: &[f32], expected: &[f32]) -> f64 {
    let f = Fixture::new();
    write_stereo(&f.path("x.wav"), x);
    let (out, report) = f.render(&session(channels, vec![]));
    let (l, r) = (left(&out), right(&out));
    let expected = &expected[..x.len()];
    assert_eq!(l.len(), x.len(), "the bounce is exactly the source long");
    assert_eq!(report.frames as usize, x.len());
    assert_eq!(peak_lag(expected, &l, 40), 0, "correlation peak off lag 0");
    let residual: Vec<f32> = l.iter().zip(expected).map(|(a, b)| a - b).collect();
    let depth = db(rms(&residual)) - db(rms(expected));
    eprintln!("null depth {depth:.1} dB");
    assert!(depth < -90.0, "residual only {depth:.1} dB below the sum");
    assert_eq!(l, r, "both sides alike");
    depth
}

#[test]
fn a_dry_track_and_its_saturated_post_fader_send_meet_aligned() {
    let x = signal(RATE);
    let wet = saturated(&x, 9.0);
    let expected: Vec<f32> = x.iter().zip(&wet).map(|(d, w)| d + w).collect();
    assert_nulls(
        vec![
            json!({"id": "t", "kind": "track", "source": "x.wav",
                   "sends": [{"to": "crush", "level_db": 0.0}]}),
            json!({"id": "crush", "kind": "aux", "inserts": [saturation(9.0)]}),
        ],
        &x,
        &expected,
    );
}

#[test]
fn two_saturations_in_series_against_a_clean_path() {
    let x = signal(RATE);
    let wet = earlier(saturate(&saturate(&x, 6.0), 12.0), 2 * LATENCY);
    let expected: Vec<f32> = x.iter().zip(&wet).map(|(d, w)| d + w).collect();
    assert_nulls(
        vec![
            json!({"id": "t", "kind": "track", "source": "x.wav",
                   "sends": [{"to": "crush", "level_db": 0.0}]}),
            json!({"id": "crush", "kind": "aux",
                   "inserts": [saturation(6.0), saturation(12.0)]}),
        ],
        &x,
        &expected,
    );
}

#[test]
fn a_pre_fader_tap_into_a_clean_aux_waits_for_a_saturated_bus() {
    // t → bus (saturation) → master; t's pre-fader send → aux → master.
    let x = signal(RATE / 2);
    let wet = saturated(&x, 6.0);
    let expected: Vec<f32> = x.iter().zip(&wet).map(|(d, w)| 0.5 * d + w).collect();
    assert_nulls(
        vec![
            json!({"id": "t", "kind": "track", "source": "x.wav", "output": "bus",
                   "gain_db": 0.0,
                   "sends": [{"to": "cue", "level_db": -6.020_6, "pre_fader": true}]}),
            json!({"id": "bus", "kind": "bus", "inserts": [saturation(6.0)]}),
            json!({"id": "cue", "kind": "aux"}),
        ],
        &x,
        &expected,
    );
}

#[test]
fn bypass_and_mix_keep_the_alignment() {
    let x = signal(RATE / 2);
    // Bypassed: the insert delays by its latency, so both paths are x.
    let twice: Vec<f32> = x.iter().map(|v| 2.0 * v).collect();
    let mut bypassed = saturation(9.0);
    bypassed["bypass"] = json!(true);
    assert_nulls(
        vec![
            json!({"id": "t", "kind": "track", "source": "x.wav",
                   "sends": [{"to": "crush"}]}),
            json!({"id": "crush", "kind": "aux", "inserts": [bypassed]}),
        ],
        &x,
        &twice,
    );
    // Half mix: the insert's own dry part is delayed to match its wet part.
    let wet = saturated(&x, 9.0);
    let expected: Vec<f32> = x
        .iter()
        .zip(&wet)
        .map(|(d, w)| d + 0.5 * d + 0.5 * w)
        .collect();
    let mut half = saturation(9.0);
    half["mix"] = json!(0.5);
    assert_nulls(
        vec![
            json!({"id": "t", "kind": "track", "source": "x.wav",
                   "sends": [{"to": "crush"}]}),
            json!({"id": "crush", "kind": "aux", "inserts": [half]}),
        ],
        &x,
        &expected,
    );
}

#[test]
fn latency_is_reported_per_channel_and_at_the_master() {
    let s: auxbus::session::Session = serde_json::from_value(session(
        vec![
            json!({"id": "t", "kind": "track", "source": "x.wav",
                   "sends": [{"to": "crush"}]}),
            json!({"id": "crush", "kind": "aux", "inserts": [saturation(6.0), saturation(6.0)]}),
            json!({"id": "phones", "kind": "aux", "output": "hw:3-4"}),
        ],
        vec![],
    ))
    .expect("session");
    let lat = graph::latency(&s).expect("no loop");
    let of = |id: &str| lat.channels.iter().find(|c| c.id == id).expect(id).clone();
    assert_eq!(lat.output, 2 * LATENCY as u32);
    assert_eq!((of("crush").own, of("crush").compensation), (46, 0));
    assert_eq!((of("t").own, of("t").compensation), (0, 46));
    assert_eq!(of("master").arrival, 46);
    let plan = graph::compile(&s, &|_| None).expect("compile");
    assert_eq!(plan.latency, lat, "the plan carries the same figures");
}

/// Max |second difference| of `x`: a click (a step) shows as a spike.
fn roughness(x: &[f32]) -> f32 {
    x.windows(3)
        .map(|w| (w[2] - 2.0 * w[1] + w[0]).abs())
        .fold(0.0, f32::max)
}

#[test]
fn adding_and_removing_latency_while_playing_does_not_click() {
    // A 100 Hz sine on a track → master, with a post-fader send to an aux;
    // the aux gains and loses a saturation (23 samples) while playing.
    let with = |fx: Vec<Value>| -> auxbus::session::Session {
        serde_json::from_value(session(
            vec![
                json!({"id": "t", "kind": "track", "source": "x.wav",
                       "sends": [{"to": "crush", "level_db": -6.0}]}),
                json!({"id": "crush", "kind": "aux", "inserts": fx}),
            ],
            vec![],
        ))
        .expect("session")
    };
    let plain = with(vec![]);
    let saturated = with(vec![saturation(3.0)]);
    let lookup = |id: &str| {
        (id == "t").then_some(FeedInfo {
            slot: 0,
            channels: 1,
        })
    };
    let sine: Arc<[f32]> = (0..RATE)
        .map(|i| 0.4 * (std::f32::consts::TAU * 100.0 * i as f32 / RATE as f32).sin())
        .collect();
    let feed = Box::new(MemoryFeed::new(sine, 1, true)) as Box<dyn Feed>;
    let plan = graph::compile(&plain, &lookup).expect("compile");
    let mut engine = Engine::new(plan, vec![Some(feed)], 2);
    let mut out = Vec::new();
    let mut block = vec![0f32; 2 * 300];
    let mut steady = 0f32;
    for round in 0..64 {
        if round % 16 == 8 {
            let next = if round % 32 == 8 { &saturated } else { &plain };
            let mut p = graph::compile(next, &lookup).expect("compile");
            graph::link_state(&mut p, &engine.plan().layout());
            assert!(engine.swap_plan(Box::new(p)).is_none());
        }
        engine.process(&mut block);
        let _ = engine.take_retired();
        let l = left(&block);
        if round % 16 == 7 {
            steady = steady.max(roughness(&l)); // each version settled
        }
        out.extend(l);
    }
    let worst = roughness(&out);
    if let Some((i, _)) = out.windows(3).enumerate().max_by(|a, b| {
        let r = |w: &[f32]| (w[2] - 2.0 * w[1] + w[0]).abs();
        r(a.1).total_cmp(&r(b.1))
    }) {
        eprintln!(
            "worst at frame {i} (block {}), {:?}",
            i / 300,
            &out[i.saturating_sub(3)..i + 6]
        );
    }
    eprintln!("roughness: steady {steady:.2e}, whole run {worst:.2e}");
    assert!(
        worst < 1.5 * steady,
        "a swap clicked: {worst:.2e} against {steady:.2e} in steady state"
    );
}

#[test]
fn a_compressor_does_not_lengthen_a_render() {
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, RATE as u32, 3.0);
    let (out, _) = f.render(&session(
        vec![json!({"id": "a", "kind": "track", "source": "a.wav",
                    "inserts": [{"type": "compressor", "release_ms": 1000.0}]})],
        vec![],
    ));
    let frames = out.len() / 2;
    assert!(
        frames.abs_diff(3 * RATE) <= auxbus::dsp::BLOCK,
        "{frames} frames for a 3 s source"
    );
}

#[test]
fn the_demo_crush_return_meets_the_dry_drums_aligned() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    let s = auxbus::session::load(&path).expect("demo loads");
    let lat = graph::latency(&s).expect("no loop");
    let of = |id: &str| lat.channels.iter().find(|c| c.id == id).expect(id).clone();
    // The Crush aux's Tape warmth adds 23 samples; the drum bus, the other
    // returns and every other path into the master wait for it.
    assert_eq!(of("crush").own, LATENCY as u32);
    assert_eq!(of("crush").compensation, 0);
    for id in ["drums", "verb", "delay", "bass", "lead"] {
        assert_eq!(of(id).compensation, LATENCY as u32, "{id}");
    }
    assert_eq!(lat.output, LATENCY as u32);
}
