//! Inserts in the session format and in the engine: parsing, presets,
//! range errors, trim before the chain, pre-fader taps after it, bypass,
//! state kept across plan swaps, and the non-finite guard.

mod common;

use std::sync::Arc;

use auxbus::engine::{Engine, Feed, MemoryFeed};
use auxbus::graph::{self, FeedInfo};
use auxbus::session::effects::params::*;
use auxbus::session::effects::{EffectKind, EffectParams, Insert, presets};
use auxbus::session::{self, Channel, ChannelKind, Send, Session};
use serde_json::json;

fn parse(v: &serde_json::Value) -> session::Result<Session> {
    let s = session::parse(&v.to_string(), std::path::Path::new("t.json"))?;
    session::validate(&s)?;
    Ok(s)
}

fn with_inserts(inserts: serde_json::Value) -> serde_json::Value {
    json!({"format": "auxbus-session", "version": 1, "channels": [
        {"id": "drums", "kind": "bus", "inserts": inserts},
        {"id": "master", "kind": "master"}]})
}

#[test]
fn inserts_parse_with_defaults_and_save_back_the_same() {
    let s = parse(&with_inserts(json!([
        {"type": "compressor", "threshold_db": -24.0, "ratio": 3.0, "detector": "rms"},
        {"type": "eq", "hpf_on": true, "mid1_gain_db": -3.0, "bypass": true},
        {"type": "delay", "note": "1/8d", "feedback": 0.4},
        {"type": "reverb"},
        {"type": "saturation", "drive_db": 12.0}
    ])))
    .expect("valid");
    let ins = &s.channels[0].inserts;
    assert_eq!(ins.len(), 5);
    let EffectParams::Compressor(c) = ins[0].effect else {
        panic!("compressor")
    };
    assert_eq!(
        (c.threshold_db, c.ratio, c.detector),
        (-24.0, 3.0, Detector::Rms)
    );
    assert_eq!(c.attack_ms, CompressorParams::default().attack_ms);
    assert!(ins[1].bypass && !ins[0].bypass);
    let EffectParams::Delay(d) = ins[2].effect else {
        panic!("delay")
    };
    assert_eq!(d.effective_ms(120.0), 375.0); // a dotted eighth at 120 bpm
    let text = serde_json::to_string(&s).expect("serialises");
    let back = session::parse(&text, std::path::Path::new("t.json")).expect("reads back");
    assert_eq!(back, s);
}

#[test]
fn a_preset_fills_what_the_entry_leaves_out() {
    let s = parse(&with_inserts(json!([
        {"type": "compressor", "preset": "Drum bus glue", "makeup_db": 4.0},
        {"preset": "Vocal plate"}
    ])))
    .expect("valid");
    let glue = presets::find("Drum bus glue").expect("preset");
    let EffectParams::Compressor(want) = glue.effect else {
        panic!()
    };
    let EffectParams::Compressor(got) = s.channels[0].inserts[0].effect else {
        panic!()
    };
    assert_eq!(got.makeup_db, 4.0);
    assert_eq!((got.ratio, got.attack_ms), (want.ratio, want.attack_ms));
    assert_eq!(s.channels[0].inserts[1].kind(), EffectKind::Reverb);
    assert_eq!(
        s.channels[0].inserts[1].preset.as_deref(),
        Some("Vocal plate")
    );
}

#[test]
fn bad_inserts_get_messages_that_name_the_problem() {
    let cases = [
        (
            json!([{"type": "compressor", "ratio": 0.5}]),
            "ratio 0.5 is out of range (1 to 20 :1)",
        ),
        (
            json!([{"type": "eq", "mid1_hz": 30000.0}]),
            "mid1_hz 30000 is out of range",
        ),
        (
            json!([{"type": "compressor", "tresh": -3}]),
            "unknown field `tresh`",
        ),
        (json!([{"type": "flanger"}]), "unknown variant `flanger`"),
        (
            json!([{"type": "delay", "note": "1/7"}]),
            "\"1/7\" is not a note value",
        ),
        (
            json!([{"preset": "Nope"}]),
            "unknown preset \"Nope\" (known: ",
        ),
        (
            json!([{"type": "eq", "preset": "Slap delay"}]),
            "is a delay, not a \"eq\"",
        ),
        (json!([{"threshold_db": -3}]), "missing field `type`"),
    ];
    for (inserts, want) in cases {
        let err = parse(&with_inserts(inserts.clone()))
            .expect_err("refused")
            .to_string();
        assert!(err.contains(want), "{inserts}: {err}");
        assert!(
            err.contains("inserts[0]") || err.contains("inserts"),
            "{err}"
        );
    }
    let err = parse(&with_inserts(json!([{"type": "compressor", "ratio": 0.5}])))
        .expect_err("refused")
        .to_string();
    assert!(err.contains("Compressor on \"drums\""), "{err}");
}

#[test]
fn format_md_documents_every_parameter_with_its_range_and_default() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/sessions/FORMAT.md"))
        .expect("FORMAT.md");
    let mut rows = Vec::new();
    macro_rules! rows {
        ($table:expr) => {
            for p in $table.iter() {
                rows.push((p.key, p.min, p.max, p.default));
            }
        };
    }
    rows!(EQ_PARAMS);
    rows!(COMPRESSOR_PARAMS);
    rows!(REVERB_PARAMS);
    rows!(DELAY_PARAMS);
    rows!(SATURATION_PARAMS);
    for (key, min, max, default) in rows {
        let line = doc
            .lines()
            .find(|l| l.contains(&format!("`{key}`")))
            .unwrap_or_else(|| panic!("FORMAT.md does not mention `{key}`"));
        for v in [min, max, default] {
            assert!(
                line.contains(&format!("{v}")),
                "`{key}`: {v} missing in: {line}"
            );
        }
    }
    for name in presets::names() {
        assert!(
            doc.contains(name),
            "FORMAT.md does not list preset {name:?}"
        );
    }
}

// ---------------------------------------------------------------- engine

const RATE: u32 = 48_000;

/// One stereo track "t" (channel 1; the master is 0) playing a looping
/// 1 kHz sine into the master, with a pre-fader send to aux "fx".
fn track_session(inserts: Vec<Insert>, trim_db: f32) -> Session {
    let mut s = Session::new(RATE);
    let mut t = Channel::new("t", ChannelKind::Track);
    t.source = Some("t.wav".into());
    t.trim_db = trim_db;
    t.inserts = inserts;
    t.sends = vec![Send {
        to: "fx".into(),
        level_db: Some(0.0),
        pre_fader: true,
    }];
    s.channels.push(t);
    s.channels.push(Channel::new("fx", ChannelKind::Aux));
    s
}

fn engine_for(s: &Session, amp: f32) -> Engine {
    let data: Arc<[f32]> = (0..RATE as usize)
        .flat_map(|i| {
            let x = amp * (std::f32::consts::TAU * 1000.0 * i as f32 / RATE as f32).sin();
            [x, x]
        })
        .collect();
    let feeds = vec![Some(
        Box::new(MemoryFeed::new(data, 2, true)) as Box<dyn Feed>
    )];
    let plan = graph::compile(s, &|id| {
        (id == "t").then_some(FeedInfo {
            slot: 0,
            channels: 2,
        })
    })
    .expect("valid");
    Engine::new(plan, feeds, 2)
}

fn render(engine: &mut Engine, seconds: f32) -> Vec<f32> {
    let mut out = vec![0.0; (seconds * RATE as f32) as usize * 2];
    engine.process(&mut out);
    out
}

fn level_db(stereo: &[f32]) -> f64 {
    common::db(common::rms(&common::left(stereo)))
}

fn comp(threshold_db: f32, makeup_db: f32) -> Insert {
    Insert::new(EffectParams::Compressor(CompressorParams {
        threshold_db,
        ratio: 4.0,
        knee_db: 0.0,
        makeup_db,
        ..Default::default()
    }))
}

#[test]
fn trim_comes_before_the_inserts() {
    // A −18 dBFS-peak sine against a −24 dB threshold: compressed when the
    // trim is 0, untouched when a −12 dB trim brings it under the threshold.
    let amp = 10f32.powf(-18.0 / 20.0);
    let no_send = |trim| {
        let mut s = track_session(vec![comp(-24.0, 0.0)], trim);
        s.channels[1].sends.clear();
        s
    };
    let mut hot = engine_for(&no_send(0.0), amp);
    let mut trimmed = engine_for(&no_send(-12.0), amp);
    let hot = level_db(&render(&mut hot, 1.0)[RATE as usize..]);
    let trimmed = level_db(&render(&mut trimmed, 1.0)[RATE as usize..]);
    let dry = common::db(f64::from(amp) / 2f64.sqrt());
    assert!(
        (hot - (dry - 4.5)).abs() < 0.3,
        "6 dB over at 4:1: −4.5 dB, got {}",
        hot - dry
    );
    assert!(
        (trimmed - (dry - 12.0)).abs() < 0.05,
        "trim only: {}",
        trimmed - dry
    );
}

#[test]
fn pre_fader_sends_tap_after_the_inserts_and_bypass_returns_to_dry() {
    let amp = 0.01;
    let mut s = track_session(vec![comp(-10.0, 6.0)], 0.0);
    s.channels[1].gain_db = None; // fader down: only the pre-fader send is heard
    let mut e = engine_for(&s, amp);
    let wet = level_db(&render(&mut e, 0.5)[RATE as usize / 2..]);
    let dry = common::db(f64::from(amp) / 2f64.sqrt());
    assert!(
        (wet - (dry + 6.0)).abs() < 0.05,
        "makeup reaches the send: {}",
        wet - dry
    );
    let pos = e.plan().position("t").expect("t");
    let insert = &s.channels[1].inserts[0];
    e.set_insert(pos, 0, &insert.effect, true, 120.0);
    let bypassed = level_db(&render(&mut e, 0.5)[RATE as usize / 2..]);
    assert!(
        (bypassed - dry).abs() < 0.05,
        "bypassed: {}",
        bypassed - dry
    );
}

#[test]
fn a_plan_swap_keeps_the_compressor_where_it_was() {
    // A fresh compressor would let the first milliseconds through at full
    // level; the swapped-in plan continues the settled gain reduction.
    let amp = 10f32.powf(-6.0 / 20.0);
    let s = track_session(vec![comp(-30.0, 0.0)], 0.0);
    let mut e = engine_for(&s, amp);
    let settled = level_db(&render(&mut e, 1.0)[RATE as usize / 2..]);
    let next = graph::compile(&s, &|id| {
        (id == "t").then_some(FeedInfo {
            slot: 0,
            channels: 2,
        })
    })
    .expect("valid");
    let mut next = next;
    graph::link_state(&mut next, &e.plan().layout());
    let _ = e.swap_plan(Box::new(next));
    let after = render(&mut e, 0.01);
    let peak = common::db(f64::from(common::peak(&common::left(&after))));
    let settled_peak = settled + 3.0103;
    assert!(
        (peak - settled_peak).abs() < 0.3,
        "peak after the swap {peak:.2} dB, settled {settled_peak:.2} dB"
    );
}

#[test]
fn a_non_finite_sample_never_leaves_an_effect() {
    let mut s = track_session(vec![comp(-20.0, 0.0)], 0.0);
    s.channels[1].sends.clear();
    let data: Arc<[f32]> = (0..4800)
        .flat_map(|i| {
            if i == 1000 {
                [f32::NAN, f32::INFINITY]
            } else {
                [0.1, 0.1]
            }
        })
        .collect();
    let feeds = vec![Some(
        Box::new(MemoryFeed::new(data, 2, false)) as Box<dyn Feed>
    )];
    let plan = graph::compile(&s, &|id| {
        (id == "t").then_some(FeedInfo {
            slot: 0,
            channels: 2,
        })
    })
    .expect("valid");
    let bank = plan.published.clone();
    let mut e = Engine::new(plan, feeds, 2);
    let out = render(&mut e, 0.1);
    e.publish_meters();
    assert!(
        out.iter().all(|x| x.is_finite()),
        "every output sample is finite"
    );
    assert!(bank.inserts[0].take().resets >= 1, "the reset is reported");
    // And the effect recovers: the signal is back after the bad block.
    assert!(common::peak(&common::left(&out[4000..8000])) > 0.05);
}

#[test]
fn a_render_runs_on_for_the_delay_tail() {
    // A 0.1 s tone into a delay aux (250 ms, feedback 0.5): the render ends
    // when the repeats have died away, not when the source does.
    let f = common::Fixture::new();
    f.sine("tone.wav", 440.0, 0.5, 2, RATE, 0.1);
    let delay = DelayParams {
        time_ms: 250.0,
        feedback: 0.5,
        ..DelayParams::default()
    };
    let s = common::session(
        vec![
            json!({"id": "t", "kind": "track", "source": "tone.wav", "output": null,
                   "sends": [{"to": "dly", "level_db": 0.0}]}),
            json!({"id": "dly", "kind": "aux", "inserts": [serde_json::to_value(
                Insert::new(EffectParams::Delay(delay))).expect("json")]}),
        ],
        vec![],
    );
    let (out, report) = f.render(&s);
    let tail = auxbus::fx::delay::Delay::tail_seconds(&delay, 120.0);
    let want = ((0.1 + f64::from(tail)) * f64::from(RATE)).ceil() as u64;
    assert!(
        report.frames.abs_diff(want) <= 1,
        "{} frames, expected {want} (0.1 s + a {tail:.2} s tail)",
        report.frames
    );
    let left = common::left(&out);
    let rate = RATE as usize;
    // Only echoes: the k-th at k × 250 ms, at 0.5^(k−1); the fourth at 1 s.
    let echo4 = common::peak(&left[rate + rate / 50..rate + rate * 8 / 100]);
    assert!((common::db(f64::from(echo4)) - common::db(0.5 * 0.125)).abs() < 0.5);
    let end = common::peak(&left[left.len() - rate / 20..]);
    assert!(
        common::db(f64::from(end)) < -90.0,
        "the tail is down to {end}"
    );
}

#[test]
fn a_corrupt_sample_in_a_file_is_silenced_before_it_reaches_the_effects() {
    // Sources map NaN to silence on decoding, so a damaged file never trips
    // an effect's guard (the guard is tested above with a NaN fed straight
    // into the engine); the render stays finite and reports no resets.
    let f = common::Fixture::new();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(f.path("bad.wav"), spec).expect("wav");
    for i in 0..RATE / 2 {
        let x = if i == 1000 { f32::NAN } else { 0.1 };
        w.write_sample(x).expect("sample");
    }
    w.finalize().expect("finalize");
    let s = common::session(
        vec![json!({"id": "kick", "kind": "track", "source": "bad.wav",
                    "inserts": [{"type": "eq", "mid1_gain_db": 3.0}]})],
        vec![],
    );
    let (out, report) = f.render(&s);
    assert!(
        out.iter().all(|x| x.is_finite()),
        "nothing non-finite reaches the file"
    );
    assert!(
        report.effect_resets.is_empty(),
        "{:?}",
        report.effect_resets
    );
    assert!(
        common::peak(&common::left(&out)) > 0.05,
        "the rest of the file plays"
    );
}

#[test]
fn an_effect_is_not_run_on_silence_once_its_tail_has_died_away() {
    use auxbus::fx::InsertSlot;
    use auxbus::fx::reverb::Reverb;
    let p = ReverbParams {
        decay_s: 0.5,
        ..ReverbParams::default()
    };
    let insert = Insert::new(EffectParams::Reverb(p));
    let mut slot = InsertSlot::new(&insert, RATE, 120.0);
    let mut raw = Reverb::new(RATE as f32, &p);
    let tail = (Reverb::tail_seconds(&p) * RATE as f32) as usize;
    let blocks = (tail + RATE as usize) / 128;
    let (mut last_sound, mut differs) = (0, false);
    for b in 0..blocks {
        let mut block = [0.0f32; 128];
        if b == 0 {
            block[0] = 1.0;
        }
        let (mut sl, mut sr) = (block, block);
        let (mut rl, mut rr) = (block, block);
        slot.process(&mut sl, &mut sr);
        raw.process(&mut rl, &mut rr);
        if sl.iter().any(|&x| x != 0.0) {
            last_sound = b * 128;
        }
        // Identical while the tail rings; afterwards the slot is silent.
        if b * 128 < tail && (sl != rl || sr != rr) {
            differs = true;
        }
    }
    assert!(!differs, "the skip never changes a ringing tail");
    assert!(
        last_sound < tail + 256 && last_sound > tail / 4,
        "the tail rang to {last_sound} of {tail} frames, then stopped being computed"
    );
    // Input again: the effect runs again.
    let (mut l, mut r) = ([0.5f32; 128], [0.5f32; 128]);
    for _ in 0..40 {
        slot.process(&mut l, &mut r);
    }
    assert!(l.iter().any(|&x| x != 0.0));
}

#[test]
fn an_insert_reverb_counts_as_wet_on_the_master_and_the_rest_as_dry() {
    // A reverb at 50 % mix on a track: what is left of the direct sound is
    // exactly half of it (dry), everything the reverb adds is wet.
    let amp = 0.25;
    let verb = Insert::new(EffectParams::Reverb(ReverbParams {
        mix: 0.5,
        ..ReverbParams::default()
    }));
    let mut s = track_session(vec![verb], 0.0);
    s.channels[1].sends.clear();
    let mut e = engine_for(&s, amp);
    render(&mut e, 1.0);
    e.clear_meters();
    render(&mut e, 1.0);
    let m = e.meters();
    let sine_rms = amp / 2f32.sqrt();
    let dry = m.dry.rms();
    for side in dry {
        assert!(
            (common::db(f64::from(side)) - common::db(f64::from(0.5 * sine_rms))).abs() < 0.01,
            "dry {side}, expected {}",
            0.5 * sine_rms
        );
    }
    let wet = m.wet.rms_mono();
    assert!(
        common::db(f64::from(wet / sine_rms)) > -30.0,
        "the reverb is metered wet: {wet}"
    );
    // Bypassed, the reverb adds nothing: all dry again.
    let pos = e.plan().position("t").expect("t");
    e.set_insert(pos, 0, &verb_params(0.5), true, 120.0);
    render(&mut e, 3.0);
    e.clear_meters();
    render(&mut e, 0.5);
    let m = e.meters();
    assert!((common::db(f64::from(m.dry.rms()[0])) - common::db(f64::from(sine_rms))).abs() < 0.01);
    assert!(
        m.wet.rms_mono() < 1e-4 * sine_rms,
        "wet {}",
        m.wet.rms_mono()
    );
}

fn verb_params(mix: f32) -> EffectParams {
    EffectParams::Reverb(ReverbParams {
        mix,
        ..ReverbParams::default()
    })
}
