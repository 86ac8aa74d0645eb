//! Bad input through the real binary: every failure is a non-zero exit, one
//! clear line naming the culprit, no output file, and never a panic.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::json;

use common::run_auxbus as auxbus;

/// Renders `session` and expects a clean failure mentioning every `needle`.
fn expect_render_failure(f: &Fixture, session: &Path, needles: &[&str]) {
    let out = f.path("out.wav");
    let (code, _, err) = auxbus(&[
        "render",
        session.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_ne!(code, 0, "render must fail; stderr: {err}");
    assert!(!err.contains("panicked"), "no panic: {err}");
    for n in needles {
        assert!(err.contains(n), "message should name {n:?}: {err}");
    }
    assert_eq!(err.trim().lines().count(), 1, "one clear line: {err}");
    assert!(!out.exists(), "no output file on failure");
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "no partial file left behind");
    // `check` must fail on the same input too.
    let (code, _, err) = auxbus(&["check", session.to_str().expect("utf8")]);
    assert_ne!(code, 0, "check must fail too");
    assert!(!err.contains("panicked"));
}

fn one_track(source: &str) -> serde_json::Value {
    session(
        vec![json!({"id": "kick", "kind": "track", "source": source})],
        vec![],
    )
}

#[test]
fn routing_loop_is_named() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.1);
    let s = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "output": "drums"}),
            json!({"id": "drums", "kind": "bus", "output": "fx"}),
            json!({"id": "fx", "kind": "bus", "output": "drums"}),
        ],
        vec![],
    );
    let p = f.session("loop.json", &s);
    expect_render_failure(&f, &p, &["routing loop: drums → fx → drums"]);
}

#[test]
fn loop_through_an_aux_send_is_named() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.1);
    let s = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "output": "drums"}),
            json!({"id": "drums", "kind": "bus", "sends": [{"to": "verb"}]}),
            json!({"id": "verb", "kind": "aux", "output": "drums"}),
        ],
        vec![],
    );
    let p = f.session("loop.json", &s);
    expect_render_failure(&f, &p, &["routing loop: drums → verb → drums"]);
}

#[test]
fn unknown_field_is_named_with_position() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.1);
    let mut s = one_track("s.wav");
    s["channels"][0]["gian_db"] = json!(-3.0);
    let p = f.session("typo.json", &s);
    expect_render_failure(&f, &p, &["gian_db", "channels[0]", "typo.json:"]);
}

#[test]
fn wrong_type_is_named() {
    let f = Fixture::new();
    let mut s = one_track("s.wav");
    s["channels"][0]["gain_db"] = json!("loud");
    let p = f.session("bad.json", &s);
    expect_render_failure(&f, &p, &["channels[0].gain_db"]);
}

#[test]
fn newer_version_is_refused() {
    let f = Fixture::new();
    let mut s = one_track("s.wav");
    s["version"] = json!(2);
    s["some_future_field"] = json!(true);
    let p = f.session("future.json", &s);
    expect_render_failure(&f, &p, &["version 2", "newer"]);
}

#[test]
fn broken_json_gives_line_and_column() {
    let f = Fixture::new();
    let p = f.path("broken.json");
    std::fs::write(
        &p,
        "{\n  \"format\": \"auxbus-session\",\n  \"version\": 1,\n  \"channels\": [\n",
    )
    .expect("write");
    expect_render_failure(&f, &p, &["broken.json:"]);
}

#[test]
fn missing_source_is_named() {
    let f = Fixture::new();
    let p = f.session("s.json", &one_track("audio/nope.wav"));
    expect_render_failure(&f, &p, &["nope.wav"]);
}

#[test]
fn random_bytes_named_mp3_are_refused() {
    let f = Fixture::new();
    let bytes: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(f.path("noise.mp3"), bytes).expect("write");
    let p = f.session("s.json", &one_track("noise.mp3"));
    expect_render_failure(&f, &p, &["noise.mp3"]);
}

#[test]
fn empty_file_is_refused() {
    let f = Fixture::new();
    std::fs::write(f.path("empty.wav"), b"").expect("write");
    let p = f.session("s.json", &one_track("empty.wav"));
    expect_render_failure(&f, &p, &["empty.wav"]);
}

/// Issue #13 changed this contract: a truncated file plays what it holds,
/// with one warning line naming it and what is missing (it used to be refused).
#[test]
fn truncated_wav_plays_what_is_there_with_a_warning() {
    let f = Fixture::new();
    let full = f.sine("full.wav", 440.0, 0.5, 2, 48_000, 1.0);
    let bytes = std::fs::read(&full).expect("read");
    std::fs::write(f.path("cut.wav"), &bytes[..bytes.len() / 3]).expect("write");
    let p = f.session("s.json", &one_track("cut.wav"));
    let out = f.path("out.wav");
    let (code, _, err) = auxbus(&[
        "render",
        p.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 0, "{err}");
    let warning: Vec<&str> = err.lines().filter(|l| l.contains("truncated")).collect();
    assert_eq!(warning.len(), 1, "{err}");
    assert!(
        warning[0].contains("cut.wav") && warning[0].contains("missing"),
        "{err}"
    );
}

#[test]
fn send_to_a_bus_and_output_to_an_aux_are_refused() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.1);
    let s = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "sends": [{"to": "grp"}]}),
            json!({"id": "grp", "kind": "bus"}),
        ],
        vec![],
    );
    let p = f.session("s.json", &s);
    expect_render_failure(&f, &p, &["channels[0].sends[0].to", "grp"]);
    let s = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "output": "fx"}),
            json!({"id": "fx", "kind": "aux"}),
        ],
        vec![],
    );
    let p = f.session("s2.json", &s);
    expect_render_failure(&f, &p, &["channels[0].output", "fx"]);
}

#[test]
fn unknown_vca_member_and_duplicate_ids_are_refused() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.1);
    let s = session(
        vec![json!({"id": "t", "kind": "track", "source": "s.wav"})],
        vec![json!({"id": "v", "members": ["ghost"]})],
    );
    expect_render_failure(
        &f,
        &f.session("a.json", &s),
        &["vcas[0].members[0]", "ghost"],
    );
    let s = session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav"}),
            json!({"id": "t", "kind": "bus"}),
        ],
        vec![],
    );
    expect_render_failure(&f, &f.session("b.json", &s), &["channels[1].id", "\"t\""]);
}

#[test]
fn an_insert_out_of_range_is_named() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 1, 48_000, 0.1);
    let mut s = one_track("s.wav");
    s["channels"][0]["inserts"] = json!([{"type": "eq"}, {"type": "compressor", "attack_ms": 900}]);
    let p = f.session("bad.json", &s);
    expect_render_failure(
        &f,
        &p,
        &[
            "channels[0].inserts[1]",
            "Compressor on \"kick\"",
            "attack_ms 900",
            "0.1 to 200 ms",
        ],
    );
}

#[test]
fn bad_command_lines_are_usage_errors() {
    for args in [
        vec!["render"],
        vec!["render", "x.json"],
        vec!["render", "x.json", "-o", "o.wav", "--format", "mp3"],
        vec!["render", "x.json", "-o", "o.wav", "--start", "soon"],
        vec!["bench", "--tracks", "0"],
        vec!["--frobnicate"],
    ] {
        let (code, _, err) = auxbus(&args);
        assert_eq!(code, 2, "{args:?} → {err}");
        assert!(err.starts_with("auxbus: "), "{err}");
    }
}

#[test]
fn render_and_check_succeed_on_a_good_session() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 1, 48_000, 0.5);
    let s = session(
        vec![
            json!({"id": "kick", "name": "Kick", "kind": "track", "source": "s.wav", "output": "drums",
                   "sends": [{"to": "verb", "level_db": -12.0}]}),
            json!({"id": "drums", "name": "Drum Bus", "kind": "bus", "gain_db": -3.0}),
            json!({"id": "verb", "name": "Reverb", "kind": "aux",
                   "inserts": [{"type": "reverb", "preset": "Vocal plate"},
                               {"type": "eq", "bypass": true}]}),
        ],
        vec![],
    );
    let p = f.session("good.json", &s);
    let (code, out, err) = auxbus(&["check", p.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{err}");
    for needle in [
        "Master (master)",
        "Drum Bus (bus) -3.0 dB",
        "Kick (track)",
        "send → Reverb -12.0 dB post-fader",
        "inserts: Reverb \"Vocal plate\" → EQ (bypassed)",
        "mono",
    ] {
        assert!(
            out.contains(needle),
            "check output lacks {needle:?}:\n{out}"
        );
    }
    for (fmt, bits) in [("f32", 32), ("s24", 24), ("s16", 16)] {
        let o = f.path(&format!("out-{fmt}.wav"));
        let (code, _, err) = auxbus(&[
            "render",
            p.to_str().expect("utf8"),
            "-o",
            o.to_str().expect("utf8"),
            "--format",
            fmt,
            "--duration",
            "0.25",
        ]);
        assert_eq!(code, 0, "{err}");
        let r = hound::WavReader::open(&o).expect("a valid wav");
        assert_eq!(r.spec().bits_per_sample, bits);
        assert_eq!(r.spec().sample_rate, 48_000);
        assert_eq!(r.duration(), 12_000);
    }
}

/// An AIFF whose header makes symphonia's reader overflow (20,000 channels
/// of 32 bits: a frame size past u16, which panics in a build with overflow
/// checks, as the tests are): one clean line naming the file, not a
/// "thread panicked" message and a backtrace before it.
#[test]
fn a_decoder_that_panics_inside_symphonia_stays_one_line() {
    let f = Fixture::new();
    let aiff = f.path("wide.aiff");
    let ok = Command::new("sox")
        .args(["-n", "-r", "48000", "-c", "2", "-b", "16"])
        .arg(&aiff)
        .args(["synth", "0.1", "sine", "440"])
        .status()
        .expect("sox must be installed (apt install sox)");
    assert!(ok.success());
    let mut b = std::fs::read(&aiff).expect("read");
    let at = b.windows(4).position(|w| w == b"COMM").expect("COMM chunk");
    b[at + 8..at + 10].copy_from_slice(&20_000i16.to_be_bytes()); // channels
    b[at + 14..at + 16].copy_from_slice(&32i16.to_be_bytes()); // bits
    std::fs::write(&aiff, &b).expect("write");
    let session = f.session(
        "wide.json",
        &session(
            vec![json!({"id": "t", "kind": "track", "source": "wide.aiff"})],
            vec![],
        ),
    );
    let (code, _, err) = auxbus(&["check", session.to_str().expect("utf8")]);
    assert_ne!(code, 0);
    assert!(!err.contains("panicked"), "no panic message: {err}");
    assert!(!err.contains("backtrace"), "no backtrace: {err}");
    assert!(err.contains("wide.aiff"), "names the file: {err}");
    expect_render_failure(&f, &session, &["wide.aiff"]);
}
