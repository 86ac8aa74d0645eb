//! `auxbus explain` on the sabotaged sessions: the dry, wet and parallel
//! figures it prints are checked against separate renders of the same
//! session with only that part of one source left (its sends removed; or
//! its output unrouted and only its sends to returns of that kind kept;
//! every other track muted), and its answers name the stops and the paths.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Fixture, sabotage};
use serde_json::{Value, json};

fn explain(session: &Path, more: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .arg("explain")
        .arg(session)
        .args(more)
        .output()
        .expect("run auxbus");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn explain_json(session: &Path) -> Value {
    let (code, out, err) = explain(session, &["--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn energy(x: &[f32]) -> f64 {
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
}

/// `v` with every track but `id` muted, and `id` changed by `f`.
fn isolate(v: &Value, id: &str, f: impl FnOnce(&mut Value)) -> Value {
    let mut v = v.clone();
    let channels = v["channels"].as_array_mut().expect("channels");
    for c in channels.iter_mut() {
        if c["kind"] == "track" && c["id"] != id {
            c["mute"] = json!(true);
        }
    }
    let c = channels
        .iter_mut()
        .find(|c| c["id"] == id)
        .expect("channel");
    f(c);
    v
}

/// The kind of return each aux is, as `explain` reports it (the part of
/// its own output).
fn return_kinds(report: &Value) -> Vec<(String, String)> {
    report["channels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["kind"] == "aux")
        .filter_map(|c| {
            let part = c["paths"][0]["part"].as_str()?.to_owned();
            Some((c["id"].as_str()?.to_owned(), part))
        })
        .collect()
}

fn check_parts(f: &Fixture, name: &str, v: &Value) {
    let path = f.session("s.json", v);
    let report = explain_json(&path);
    let kinds = return_kinds(&report);
    let total = energy(&f.render(v).0).max(1e-12);
    for c in report["channels"].as_array().into_iter().flatten() {
        if c["kind"] != "track" {
            continue;
        }
        let id = c["id"].as_str().unwrap_or_default();
        let measured = &c["measured"]["energy"];
        let renders = [
            ("dry", isolate(v, id, |c| c["sends"] = json!([]))),
            ("wet", only_returns(v, id, &kinds, "wet")),
            ("parallel", only_returns(v, id, &kinds, "parallel")),
        ];
        for (part, alone) in renders {
            let (out, _) = f.render(&alone);
            let rendered = energy(&out);
            let reported = measured[part].as_f64().unwrap_or(f64::NAN);
            if rendered < 1e-9 * total || reported < 1e-9 * total {
                assert!(
                    rendered < 1e-9 * total && reported < 1e-9 * total,
                    "{name}: {id} {part}: reported {reported:e}, rendered {rendered:e}"
                );
                continue;
            }
            let off = 10.0 * (reported / rendered).log10();
            assert!(
                off.abs() < 0.05,
                "{name}: {id} {part}: explain is {off:+.3} dB off the render"
            );
        }
    }
}

/// Only `id`'s sends to returns of kind `part`, its output unrouted.
fn only_returns(v: &Value, id: &str, kinds: &[(String, String)], part: &str) -> Value {
    isolate(v, id, |c| {
        c["output"] = Value::Null;
        let keep: Vec<Value> = c["sends"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|x| {
                kinds
                    .iter()
                    .any(|(aux, p)| x["to"] == aux.as_str() && p == part)
            })
            .cloned()
            .collect();
        c["sends"] = Value::Array(keep);
    })
}

#[test]
fn its_dry_wet_and_parallel_match_renders_of_each_part_alone() {
    let f = Fixture::new();
    sabotage::write_sources(&f);
    for (name, v) in sabotage::all() {
        if name == "offline source" {
            continue; // a render with a missing file fails: checked below
        }
        check_parts(&f, name, &v);
    }
}

#[test]
fn the_answers_name_stops_paths_and_fixes() {
    let f = Fixture::new();
    sabotage::write_sources(&f);
    let path = f.session("bus.json", &sabotage::muted_bus_with_live_sends());
    let (code, text, err) = explain(&path, &["Snare"]);
    assert_eq!(code, 0, "{err}");
    for needle in [
        "Snare (track, id snare)",
        "dry       Snare → Drum Bus → Master",
        "STOPPED: it feeds \"Drum Bus\", which is muted",
        "wet       Snare → Delay → Master",
        "heard through Snare → Delay → Master",
        "→ fix: Unmute Drum Bus",
        "= Snare fader -2.0 dB + Drums VCA 0.0 dB",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert!(
        !text.contains("Kick"),
        "only the channel asked for:\n{text}"
    );

    let path = f.session("offline.json", &sabotage::offline_source());
    let report = explain_json(&path);
    assert_eq!(report["offline"][0]["id"], "pad");
    let pad = report["channels"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "pad"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(pad["verdict"], "silent");
    assert_eq!(pad["stops"][0]["kind"], "offline");
    assert_eq!(pad["measured"]["energy"]["wet"], 0.0);
    let lead = report["channels"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "lead"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(lead["verdict"], "heard");
    assert!(lead["measured"]["energy"]["device"].as_f64() > Some(0.0));

    let path = f.session("vca.json", &sabotage::vca_at_minus_inf());
    let report = explain_json(&path);
    let kick = report["channels"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "kick"))
        .cloned()
        .unwrap_or_default();
    let stop = &kick["stops"][0];
    assert_eq!(stop["kind"], "vca at -inf");
    assert_eq!(
        stop["fix"]["edit"],
        json!({"edit": "vca_gain", "vca": "vdrums", "db": 0.0})
    );
    let open: Vec<&str> = kick["paths"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["open"] == true)
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert_eq!(open, ["Kick → Headphones → outputs 3–4"]);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let f = Fixture::new();
    sabotage::write_sources(&f);
    let good = f.session("good.json", &sabotage::base());
    let bad = f.path("bad.json");
    std::fs::write(&bad, "{ not json").expect("write");
    for (args, needle) in [
        (vec![bad.to_string_lossy().into_owned()], "bad.json"),
        (
            vec![f.path("none.json").to_string_lossy().into_owned()],
            "none.json",
        ),
        (
            vec![good.to_string_lossy().into_owned(), "nobody".into()],
            "no channel \"nobody\"",
        ),
        (vec![], "explain needs SESSION"),
        (
            vec![good.to_string_lossy().into_owned(), "--loud".into()],
            "unknown option --loud",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_auxbus"))
            .arg("explain")
            .args(&args)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.lines().next().map(|l| l.contains(needle)), Some(true));
    }
}

/// A reverb shared by two sources: its output is shared out by what each
/// sent (the engine cannot run the reverb once per source). The shares add
/// up to exactly what the return delivered; each is near, not equal to, a
/// render of that source alone through the reverb, because a reverb does
/// not treat every frequency alike.
#[test]
fn a_shared_reverb_is_shared_out_by_what_each_source_sent() {
    let f = Fixture::new();
    f.sine("low.wav", 220.0, 0.4, 1, 48_000, 1.0);
    f.sine("high.wav", 2000.0, 0.4, 1, 48_000, 1.0);
    let v = common::session(
        vec![
            json!({"id": "low", "kind": "track", "source": "low.wav",
                   "sends": [{"to": "verb", "level_db": -6.0}]}),
            json!({"id": "high", "kind": "track", "source": "high.wav",
                   "sends": [{"to": "verb", "level_db": -6.0}]}),
            json!({"id": "verb", "kind": "aux", "inserts": [{"type": "reverb"}]}),
        ],
        vec![],
    );
    let path = f.session("shared.json", &v);
    let report = explain_json(&path);
    let wet = |id: &str| {
        report["channels"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == id))
            .and_then(|c| c["measured"]["energy"]["wet"].as_f64())
            .unwrap_or(f64::NAN)
    };
    let shares = wet("low") + wet("high");
    assert!(
        (10.0 * (shares / wet("verb")).log10()).abs() < 0.01,
        "the shares add up to the return"
    );
    let kinds = return_kinds(&report);
    for id in ["low", "high"] {
        let (alone, _) = f.render(&only_returns(&v, id, &kinds, "wet"));
        let off = 10.0 * (wet(id) / energy(&alone)).log10();
        eprintln!("shared reverb: {id} is {off:+.2} dB off its render alone");
        assert!(off.abs() < 1.0, "{id}: {off:+.2} dB");
    }
}
