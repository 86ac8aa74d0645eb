//! Engine behaviour while playing: parameter ramps and plan swaps are
//! click-free and land exactly on their targets.

use std::f32::consts::TAU;
use std::sync::Arc;

use auxbus::engine::{Engine, Feed, MemoryFeed};
use auxbus::graph::{self, FeedInfo};
use auxbus::session::{Channel, ChannelKind, Send, Session};

const RATE: f32 = 48_000.0;
const FREQ: f32 = 100.0;
const AMP: f32 = 0.5;

/// A looping stereo 100 Hz sine: its own largest sample-to-sample step is
/// AMP × 2π × f / fs.
fn sine_feed() -> Box<dyn Feed> {
    let frames = 48_000; // a whole number of periods, so the loop is seamless
    let data: Arc<[f32]> = (0..frames)
        .flat_map(|i| {
            let x = AMP * (TAU * FREQ * i as f32 / RATE).sin();
            [x, x]
        })
        .collect();
    Box::new(MemoryFeed::new(data, 2, true))
}

fn own_step() -> f32 {
    AMP * TAU * FREQ / RATE
}

fn one_track(output: &str) -> Session {
    let mut s = Session::new(48_000);
    let mut t = Channel::new("t", ChannelKind::Track);
    t.source = Some("t.wav".into());
    t.output = Some(output.into());
    s.channels.push(t);
    s
}

fn lookup(id: &str) -> Option<FeedInfo> {
    (id == "t").then_some(FeedInfo {
        slot: 0,
        channels: 2,
    })
}

fn left(stereo: &[f32]) -> Vec<f32> {
    stereo.iter().step_by(2).copied().collect()
}

fn max_step(x: &[f32]) -> f32 {
    x.windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0, f32::max)
}

#[test]
fn fader_change_ramps_without_a_jump_and_lands_exactly() {
    let plan = graph::compile(&one_track("master"), &lookup).expect("valid");
    let mut engine = Engine::new(plan, vec![Some(sine_feed())], 2);
    let mut out = vec![0f32; 4800 * 2];
    engine.process(&mut out); // play a little first
    let before = left(&out);
    let target = 0.1f32; // −20 dB
    engine.set_gains(0, [target, target], 1.0, &[]);
    engine.process(&mut out);
    let after = left(&out);
    // Across the change: no step beyond the signal's own plus the ramp's.
    let joined: Vec<f32> = before[before.len() - 10..]
        .iter()
        .chain(&after)
        .copied()
        .collect();
    let bound = own_step() + AMP * (1.0 - target) / 480.0;
    let step = max_step(&joined);
    assert!(step <= bound * 1.05, "largest step {step} exceeds {bound}");
    assert!(max_step(&joined) > 0.0);
    // After the 10 ms ramp: exactly input × target.
    for (i, &y) in after.iter().enumerate().skip(600) {
        let input = AMP * (TAU * FREQ * (4800 + i) as f32 / RATE).sin();
        assert!(
            (y - input * target).abs() < 1e-5,
            "frame {i}: {} vs {}",
            y,
            input * target
        );
    }
}

#[test]
fn swapping_in_a_new_bus_while_playing_is_continuous() {
    let plan = graph::compile(&one_track("master"), &lookup).expect("valid");
    let mut engine = Engine::new(plan, vec![Some(sine_feed())], 2);
    let mut out = vec![0f32; 4800 * 2];
    engine.process(&mut out);
    let before = left(&out);
    // New structure: the track goes to a new bus at −6.02 dB, plus a
    // post-fader send to a new aux at −inf (so the level is analytic).
    let mut s = one_track("drums");
    let mut bus = Channel::new("drums", ChannelKind::Bus);
    bus.gain_db = Some(-6.0206);
    s.channels.push(bus);
    s.channels.push(Channel::new("fx", ChannelKind::Aux));
    s.channels[1].sends = vec![Send {
        to: "fx".into(),
        level_db: None,
        pre_fader: false,
    }];
    let new = graph::compile(&s, &lookup).expect("valid");
    assert!(engine.swap_plan(Box::new(new)).is_none());
    engine.process(&mut out);
    let after = left(&out);
    let joined: Vec<f32> = before[before.len() - 10..]
        .iter()
        .chain(&after)
        .copied()
        .collect();
    let bound = own_step() + AMP * 0.5 / 480.0;
    let step = max_step(&joined);
    assert!(step <= bound * 1.05, "largest step {step} exceeds {bound}");
    assert!(
        engine.take_retired().is_some(),
        "the old plan is handed back after the fade"
    );
    for (i, &y) in after.iter().enumerate().skip(600) {
        let input = AMP * (TAU * FREQ * (4800 + i) as f32 / RATE).sin();
        assert!(
            (y - input * 0.5).abs() < 1e-5,
            "frame {i}: through the −6.02 dB bus"
        );
    }
}
