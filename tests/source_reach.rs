//! Dry, wet and parallel per source, measured by the engine, against
//! analytic figures and against independent renders of the same session
//! with only the dry path (sends removed) or only the returns (output
//! unrouted) left for that source.
//!
//! The analytic case: a track routed to the master at 0 dB with a
//! post-fader send at −6.02 dB to an aux at 0 dB. The send copies the
//! track at gain 10^(−6.02/20) = 0.49977, so the wet energy is 0.24977 of
//! the dry: wet/dry = −6.02 dB, and the wet share of the two is
//! 0.24977 / 1.24977 = 19.98 % (one fifth).

mod common;

use auxbus::engine::{DEVICE, DRY, PARALLEL, WET};
use auxbus::render::RenderReport;
use common::{Fixture, db, session};
use serde_json::{Value, json};

/// Energy (both sides) per part that channel `id` delivered over a render.
fn reach(report: &RenderReport, id: &str) -> [f64; 4] {
    let pos = report
        .channel_ids
        .iter()
        .position(|c| c == id)
        .unwrap_or_else(|| panic!("no channel {id}"));
    report.meters.reach[pos]
}

/// Energy of a rendered stereo buffer (both sides).
fn energy(x: &[f32]) -> f64 {
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
}

fn edit(v: &Value, f: impl FnOnce(&mut Vec<Value>)) -> Value {
    let mut v = v.clone();
    if let Some(channels) = v["channels"].as_array_mut() {
        f(channels);
    }
    v
}

fn channel<'a>(channels: &'a mut [Value], id: &str) -> &'a mut Value {
    channels
        .iter_mut()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no channel {id}"))
}

/// Only `id`'s own path: its sends removed, every other track muted.
fn dry_only(v: &Value, id: &str) -> Value {
    edit(v, |chs| {
        for c in chs.iter_mut() {
            if c["kind"] == "track" && c["id"] != id {
                c["mute"] = json!(true);
            }
        }
        channel(chs, id)["sends"] = json!([]);
    })
}

/// Only `id`'s returns: its output unrouted, every other track muted.
fn wet_only(v: &Value, id: &str) -> Value {
    edit(v, |chs| {
        for c in chs.iter_mut() {
            if c["kind"] == "track" && c["id"] != id {
                c["mute"] = json!(true);
            }
        }
        channel(chs, id)["output"] = Value::Null;
    })
}

fn ratio_db(a: f64, b: f64) -> f64 {
    10.0 * (a / b).log10()
}

/// track → master, post-fader send at `send_db` → plain aux → master.
fn one_send(send_db: f64) -> Value {
    session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav",
                   "sends": [{"to": "fx", "level_db": send_db}]}),
            json!({"id": "fx", "kind": "aux"}),
        ],
        vec![],
    )
}

#[test]
fn a_post_fader_send_at_minus_6_02_db_is_one_fifth_wet() {
    let f = Fixture::new();
    f.sine("s.wav", 1000.0, 0.5, 2, 48_000, 1.0);
    let v = one_send(-6.02);
    let (_, report) = f.render(&v);
    let r = reach(&report, "t");
    let wet_to_dry = ratio_db(r[WET], r[DRY]);
    assert!(
        (wet_to_dry + 6.02).abs() < 0.005,
        "wet/dry {wet_to_dry:.4} dB, expected -6.02"
    );
    let share = r[WET] / (r[DRY] + r[WET]);
    assert!((share - 0.2).abs() < 0.0005, "wet share {share}");
    assert_eq!((r[PARALLEL], r[DEVICE]), (0.0, 0.0));
    // What the render gives with only one path left.
    let (dry, _) = f.render(&dry_only(&v, "t"));
    let (wet, _) = f.render(&wet_only(&v, "t"));
    assert!(ratio_db(r[DRY], energy(&dry)).abs() < 0.01, "dry vs render");
    assert!(ratio_db(r[WET], energy(&wet)).abs() < 0.01, "wet vs render");
    // The aux's own figure: all of it wet.
    let fx = reach(&report, "fx");
    assert!(ratio_db(fx[WET], energy(&wet)).abs() < 0.01);
    assert_eq!(fx[DRY], 0.0);
    // The master's: its dry and wet parts.
    let m = reach(&report, "master");
    assert!(ratio_db(m[DRY], r[DRY]).abs() < 0.01);
    assert!(ratio_db(m[WET], r[WET]).abs() < 0.01);
}

/// Two tracks → bus (`bus_db`) → master, each with a post-fader send at
/// −6 dB to a plain aux → master; a VCA (`vca_db`) on both tracks.
fn group(bus_db: f64, vca_db: f64) -> Value {
    session(
        vec![
            json!({"id": "a", "kind": "track", "source": "a.wav", "output": "bus",
                   "sends": [{"to": "fx", "level_db": -6.0}]}),
            json!({"id": "b", "kind": "track", "source": "b.wav", "output": "bus", "pan": 0.4,
                   "sends": [{"to": "fx", "level_db": -6.0}]}),
            json!({"id": "bus", "kind": "bus", "gain_db": bus_db}),
            json!({"id": "fx", "kind": "aux"}),
        ],
        vec![json!({"id": "v", "gain_db": vca_db, "members": ["a", "b"]})],
    )
}

/// Wet/dry in dB of `id`: as reported, and as separate renders measure it.
fn reported_and_rendered(f: &Fixture, v: &Value, id: &str) -> (f64, f64) {
    let (_, report) = f.render(v);
    let r = reach(&report, id);
    let (dry, _) = f.render(&dry_only(v, id));
    let (wet, _) = f.render(&wet_only(v, id));
    (
        ratio_db(r[WET], r[DRY]),
        ratio_db(energy(&wet), energy(&dry)),
    )
}

#[test]
fn a_bus_ride_makes_its_members_wetter_by_what_the_render_measures() {
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.4, 1, 48_000, 1.0);
    f.sine("b.wav", 660.0, 0.3, 2, 48_000, 1.0);
    for id in ["a", "b"] {
        let (before, before_rendered) = reported_and_rendered(&f, &group(0.0, 0.0), id);
        let (after, after_rendered) = reported_and_rendered(&f, &group(-10.0, 0.0), id);
        assert!(
            (before - before_rendered).abs() < 0.05,
            "{id} {before} vs {before_rendered}"
        );
        assert!(
            (after - after_rendered).abs() < 0.05,
            "{id} {after} vs {after_rendered}"
        );
        // The sends were taken before the bus: only the dry part drops.
        assert!(
            (after - before - 10.0).abs() < 0.05,
            "{id}: wet/dry rose {:.3} dB, the render says {:.3}",
            after - before,
            after_rendered - before_rendered
        );
    }
}

#[test]
fn a_vca_ride_keeps_its_members_dry_wet_balance() {
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.4, 1, 48_000, 1.0);
    f.sine("b.wav", 660.0, 0.3, 2, 48_000, 1.0);
    for id in ["a", "b"] {
        let (before, _) = reported_and_rendered(&f, &group(0.0, 0.0), id);
        let (after, rendered) = reported_and_rendered(&f, &group(0.0, -10.0), id);
        assert!((after - before).abs() < 0.05, "{id}: {before} → {after}");
        assert!(
            (after - rendered).abs() < 0.05,
            "{id}: {after} vs {rendered}"
        );
    }
}

#[test]
fn a_compressor_return_is_parallel_and_a_reverb_return_is_wet_tail_and_all() {
    let f = Fixture::new();
    f.sine("s.wav", 500.0, 0.3, 2, 48_000, 1.0);
    let v = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav",
                   "sends": [{"to": "crush", "level_db": -6.0}, {"to": "verb", "level_db": -10.0}]}),
            json!({"id": "crush", "kind": "aux", "gain_db": -3.0,
                   "inserts": [{"type": "compressor", "preset": "Parallel crush"}]}),
            json!({"id": "verb", "kind": "aux", "inserts": [{"type": "reverb"}]}),
        ],
        vec![],
    );
    let (_, report) = f.render(&v);
    let r = reach(&report, "t");
    assert!(r[PARALLEL] > 0.0 && r[WET] > 0.0 && r[DRY] > 0.0);
    // The master splits the same way, and only one source feeds it.
    assert!(
        ratio_db(
            f64::from(report.meters.parallel.rms_mono()).powi(2),
            r[PARALLEL] / (2.0 * report.frames as f64)
        )
        .abs()
            < 0.05
    );
    // Each return against a render of that return alone (the reverb's
    // tail is in both: the render runs to its end).
    let alone = |keep: &str| {
        edit(&v, |chs| {
            let t = channel(chs, "t");
            t["output"] = Value::Null;
            let sends: Vec<Value> = t["sends"]
                .as_array()
                .map(|s| s.iter().filter(|x| x["to"] == keep).cloned().collect())
                .unwrap_or_default();
            t["sends"] = Value::Array(sends);
        })
    };
    let (crush, _) = f.render(&alone("crush"));
    let (verb, _) = f.render(&alone("verb"));
    assert!(
        ratio_db(r[PARALLEL], energy(&crush)).abs() < 0.05,
        "parallel vs render"
    );
    assert!(
        ratio_db(r[WET], energy(&verb)).abs() < 0.05,
        "wet vs render"
    );
    let _ = db(1.0);
}

#[test]
fn a_headphone_mix_arrives_on_device_outputs_not_at_the_master() {
    let f = Fixture::new();
    f.sine("s.wav", 300.0, 0.5, 1, 48_000, 0.5);
    let v = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "gain_db": null,
                   "sends": [{"to": "phones", "level_db": 0.0, "pre_fader": true}]}),
            json!({"id": "phones", "kind": "aux", "output": "hw:3-4"}),
        ],
        vec![],
    );
    let (_, report) = f.render(&v);
    let r = reach(&report, "t");
    assert_eq!((r[DRY], r[WET], r[PARALLEL]), (0.0, 0.0, 0.0));
    // A mono source's pre-fader tap reaches both sides at unity: twice
    // the file's energy.
    let file: f64 = (0..24_000)
        .map(|i| (0.5 * (std::f64::consts::TAU * 300.0 * i as f64 / 48_000.0).sin()).powi(2))
        .sum();
    assert!(
        ratio_db(r[DEVICE], 2.0 * file).abs() < 0.01,
        "{} vs {}",
        r[DEVICE],
        2.0 * file
    );
}

/// A bounce that nobody asks where each source went (files, lessons,
/// `auxbus bench`) skips the ledger: the same audio to the bit and the same
/// channel and master meters, with nothing in `reach` and `sends`.
#[test]
fn a_render_without_the_ledger_is_the_same_mix_and_meters() {
    use auxbus::render::{RenderOptions, render_to_vec};
    let f = Fixture::new();
    f.sine("s.wav", 1000.0, 0.5, 2, 48_000, 1.0);
    let v = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "output": "bus",
                   "sends": [{"to": "fx", "level_db": -6.0},
                             {"to": "cue", "level_db": -12.0, "pre_fader": true}]}),
            json!({"id": "bus", "kind": "bus", "inserts": [{"type": "compressor"}]}),
            json!({"id": "fx", "kind": "aux", "inserts": [{"type": "reverb"}]}),
            json!({"id": "cue", "kind": "aux", "output": "hw:3-4"}),
        ],
        vec![],
    );
    let path = f.session("ledger.json", &v);
    let with = RenderOptions::default();
    let without = RenderOptions {
        ledger: false,
        ..RenderOptions::default()
    };
    let (a, ra) = render_to_vec(&path, &with).expect("render");
    let (b, rb) = render_to_vec(&path, &without).expect("render");
    assert!(a == b, "the audio is the same to the bit");
    assert_eq!(ra.meters.channels, rb.meters.channels);
    assert_eq!(
        (ra.meters.dry, ra.meters.wet, ra.meters.parallel),
        (rb.meters.dry, rb.meters.wet, rb.meters.parallel)
    );
    assert!(reach(&ra, "t").iter().sum::<f64>() > 0.0, "the ledger ran");
    assert!(ra.meters.sends.iter().any(|&e| e > 0.0));
    assert!(rb.meters.reach.iter().flatten().all(|&e| e == 0.0));
    assert!(rb.meters.sends.iter().all(|&e| e == 0.0));
}
