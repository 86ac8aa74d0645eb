//! Level-matched A/B of a channel's inserts, through the real engine: the
//! A/B tap carries the processed (A) and bypassed (B) signal, the UI-side
//! matcher finds the gain from their short-term loudness, and listening to
//! B then plays the unprocessed signal at A's loudness.

mod common;

use std::sync::Arc;

use auxbus::engine::{Engine, Feed, MemoryFeed, tap};
use auxbus::graph::{self, FeedInfo};
use auxbus::ui::AbMatch;
use common::*;
use serde_json::json;

const RATE: f64 = 48_000.0;

/// 1 kHz at 0.1 plus 100 Hz at 0.1, stereo.
fn two_tones(seconds: f64) -> Arc<[f32]> {
    let n = (seconds * RATE) as usize;
    (0..n)
        .flat_map(|i| {
            let t = i as f64 / RATE;
            let x = (0.1 * (std::f64::consts::TAU * 1000.0 * t).sin()
                + 0.1 * (std::f64::consts::TAU * 100.0 * t).sin()) as f32;
            [x, x]
        })
        .collect()
}

fn render(engine: &mut Engine, seconds: f64) -> Vec<f32> {
    let mut out = vec![0f32; (seconds * RATE) as usize * 2];
    for chunk in out.chunks_mut(512 * 2) {
        engine.process(chunk);
    }
    out
}

#[test]
fn b_plays_the_unprocessed_signal_at_the_loudness_of_a() {
    let f = Fixture::new();
    // An EQ boosting 1 kHz by 12 dB: A is louder and brighter than B.
    let sess = session(
        vec![
            json!({"id": "t", "name": "Tone", "kind": "track", "source": "t.wav",
            "inserts": [{"type": "eq", "mid1_hz": 1000.0, "mid1_gain_db": 12.0, "mid1_q": 2.0}]}),
        ],
        vec![],
    );
    let path = f.session("ab.json", &sess);
    let s = auxbus::session::load(&path).expect("session");
    let lookup = |id: &str| {
        (id == "t").then_some(FeedInfo {
            slot: 0,
            channels: 2,
        })
    };
    let plan = graph::compile(&s, &lookup).expect("plan");
    let pos = plan.position("t").expect("t");
    let feed = MemoryFeed::new(two_tones(1.0), 2, true);
    let mut engine = Engine::new(plan, vec![Some(Box::new(feed) as Box<dyn Feed>)], 2);
    let (tx, mut rx) = tap(4, 48_000 * 8);
    engine.ab_mut().set_tap(tx);
    engine.ab_mut().set(Some(pos), false, 1.0);

    // Listening to A: the master is the processed signal; the matcher
    // learns the gain from both sides of the tap.
    let mut ab = AbMatch::default();
    ab.select(Some("t".into()));
    let mut a_out = Vec::new();
    for _ in 0..12 {
        a_out = render(&mut engine, 0.5);
        rx.drain(&mut |x| ab.add(x, 48_000));
        ab.update(0.5);
    }
    let (la, lb) = ab.loudness();
    let (la, lb) = (la.expect("A loudness"), lb.expect("B loudness"));
    println!(
        "A {la:.2} LUFS, B {lb:.2} LUFS, matching gain {:+.2} dB",
        ab.gain_db
    );
    assert!(la > lb + 3.0, "the boost makes A louder");
    assert!(
        (f64::from(ab.gain_db) - (la - lb)).abs() < 0.3,
        "gain follows A − B"
    );

    // Listening to B, matched.
    engine.ab_mut().set(Some(pos), true, ab.linear_gain());
    render(&mut engine, 0.5); // the switch ramps
    let b_out = render(&mut engine, 1.0);
    let mut meter = auxbus::io::loudness::LoudnessMeter::new(2, 48_000).expect("meter");
    meter.add(&b_out);
    let mut meter_a = auxbus::io::loudness::LoudnessMeter::new(2, 48_000).expect("meter");
    meter_a.add(&a_out);
    let (ib, ia) = (
        meter.report().integrated_lufs,
        meter_a.report().integrated_lufs,
    );
    let (ib, ia) = (ib.expect("B"), ia.expect("A"));
    println!("heard: A {ia:.2} LUFS, B matched {ib:.2} LUFS");
    assert!((ia - ib).abs() < 0.5, "B is as loud as A: {ia} vs {ib}");
    // …but it is B: the two tones in their original balance.
    let l = left(&b_out);
    let hi = tone_amplitude(&l, 1000.0, RATE);
    let lo = tone_amplitude(&l, 100.0, RATE);
    assert!(
        (db(hi / lo)).abs() < 0.5,
        "unprocessed balance: {:.2} dB",
        db(hi / lo)
    );
    let la_ = left(&a_out);
    let boost = db(tone_amplitude(&la_, 1000.0, RATE) / tone_amplitude(&la_, 100.0, RATE));
    assert!(boost > 8.0, "A has the boost: {boost:.2} dB");
}
