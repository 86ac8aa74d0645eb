//! `auxbus render` to files and `auxbus loudness`, checked with independent
//! tools: ffmpeg's ebur128 filter as the loudness meter, the reference
//! `flac` decoder, and ffmpeg as the WAV/RF64 reader.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::json;

fn auxbus(args: &[&str]) -> (i32, String, String) {
    run_auxbus(args)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// ffmpeg's summary: (integrated LUFS, true peak dBTP).
fn ffmpeg_loudness(path: &Path) -> (f64, f64) {
    let out = Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i", s(path)])
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .expect("ffmpeg must be installed (tools/setup-debian)");
    let text = String::from_utf8_lossy(&out.stderr);
    let summary = &text[text.rfind("Summary:").expect("ebur128 summary")..];
    let value = |key: &str| -> f64 {
        let at = summary
            .find(key)
            .unwrap_or_else(|| panic!("{key} in {summary}"));
        summary[at + key.len()..]
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{key} value in {summary}"))
    };
    (value("I:"), value("Peak:"))
}

/// A file decoded by ffmpeg to raw samples (`fmt`: f32le or s32le).
fn ffmpeg_raw(path: &Path, fmt: &str) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i", s(path), "-f", fmt, "-"])
        .output()
        .expect("ffmpeg must be installed (tools/setup-debian)");
    assert!(
        out.status.success(),
        "ffmpeg could not read {}",
        path.display()
    );
    out.stdout
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Files in the fixture folder whose names show they are leftovers.
fn leftovers(f: &Fixture) -> Vec<String> {
    std::fs::read_dir(f.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n.contains("spool"))
        .collect()
}

/// A session of three sines that come and go (so loudness has a range),
/// a bus with a compressor and a reverb aux.
fn music(f: &Fixture) -> std::path::PathBuf {
    f.sine("low.wav", 110.0, 0.4, 1, 48_000, 6.0);
    f.sine("mid.wav", 1000.0, 0.2, 2, 48_000, 4.0);
    f.sine("high.wav", 5000.0, 0.1, 1, 48_000, 3.0);
    let sess = session(
        vec![
            json!({"id": "low", "name": "Low", "kind": "track", "source": "low.wav", "output": "bus", "pan": -0.4}),
            json!({"id": "mid", "name": "Mid", "kind": "track", "source": "mid.wav",
                   "sends": [{"to": "verb", "level_db": -6.0}]}),
            json!({"id": "high", "name": "High", "kind": "track", "source": "high.wav", "output": "bus"}),
            json!({"id": "bus", "name": "Bus", "kind": "bus", "gain_db": -2.0,
                   "inserts": [{"type": "compressor"}]}),
            json!({"id": "verb", "name": "Verb", "kind": "aux", "inserts": [{"type": "reverb"}]}),
        ],
        vec![],
    );
    f.session("music.json", &sess)
}

#[test]
fn flac_decodes_with_the_reference_decoder_to_the_24_bit_wav() {
    let f = Fixture::new();
    let sess = music(&f);
    let (wav, flac, dec) = (f.path("m.wav"), f.path("m.flac"), f.path("dec.wav"));
    let (code, _, err) = auxbus(&["render", s(&sess), "-o", s(&wav), "--format", "s24"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = auxbus(&["render", s(&sess), "-o", s(&flac)]);
    assert_eq!(code, 0, "{err}");
    let out = Command::new("flac")
        .args(["-d", "-f", "-s", "-o", s(&dec), s(&flac)])
        .output()
        .expect("flac must be installed (tools/setup-debian)");
    assert!(
        out.status.success(),
        "flac -d: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = ffmpeg_raw(&wav, "s32le");
    let b = ffmpeg_raw(&dec, "s32le");
    assert!(a.len() > 48_000 * 8, "a real render");
    assert_eq!(a.len(), b.len(), "same length");
    assert!(a == b, "FLAC decodes to the same samples as the 24-bit WAV");
    // 16 bit too (same dither sequence for both).
    let (wav16, flac16) = (f.path("m16.wav"), f.path("m16.flac"));
    for p in [&wav16, &flac16] {
        let (code, _, err) = auxbus(&["render", s(&sess), "-o", s(p), "--format", "s16"]);
        assert_eq!(code, 0, "{err}");
    }
    assert!(ffmpeg_raw(&wav16, "s32le") == ffmpeg_raw(&flac16, "s32le"));
}

#[test]
fn a_normalised_render_reads_on_target_with_ffmpeg() {
    let f = Fixture::new();
    let sess = music(&f);
    for (ext, target) in [("wav", -16.0), ("flac", -20.0)] {
        let out = f.path(&format!("n.{ext}"));
        let t = format!("{target}");
        let (code, _, err) = auxbus(&["render", s(&sess), "-o", s(&out), "--normalize", &t]);
        assert_eq!(code, 0, "{err}");
        let (i, tp) = ffmpeg_loudness(&out);
        println!("{ext}: target {target} LUFS, ffmpeg reads {i} LUFS, {tp} dBTP; {err}");
        assert!(
            (i - target).abs() <= 0.2,
            "ffmpeg reads {i} LUFS, target {target}"
        );
        assert!(tp <= -1.0 + 0.1, "ceiling holds: {tp} dBTP");
        assert!(err.contains("normalised"), "{err}");
    }
    assert!(leftovers(&f).is_empty(), "{:?}", leftovers(&f));
}

#[test]
fn the_ceiling_stops_the_gain_and_says_so() {
    let f = Fixture::new();
    let sess = music(&f);
    let out = f.path("loud.wav");
    let (code, _, err) = auxbus(&[
        "render",
        s(&sess),
        "-o",
        s(&out),
        "--normalize",
        "-3",
        "--ceiling",
        "-2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ceiling"), "{err}");
    assert!(
        err.contains("-3.0 LUFS") && err.contains("-2.0 dBTP"),
        "both figures: {err}"
    );
    let (i, tp) = ffmpeg_loudness(&out);
    println!("ffmpeg: {i} LUFS, {tp} dBTP; {err}");
    assert!(tp <= -2.0 + 0.1, "true peak {tp} at most the ceiling");
    assert!(i < -3.0, "below the target: {i}");
}

#[test]
fn stems_add_up_to_the_master() {
    let f = Fixture::new();
    let sess = music(&f);
    let (mix, dir) = (f.path("mix.wav"), f.path("stems"));
    let (code, _, err) = auxbus(&["render", s(&sess), "-o", s(&mix), "--stems", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("stems dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["Bus.wav", "Mid.wav", "Verb.wav"],
        "one per channel feeding the master"
    );
    let master = floats(&ffmpeg_raw(&mix, "f32le"));
    let mut sum = vec![0f64; master.len()];
    for n in &names {
        let stem = floats(&ffmpeg_raw(&dir.join(n), "f32le"));
        assert_eq!(stem.len(), master.len(), "{n} as long as the mix");
        for (acc, x) in sum.iter_mut().zip(stem) {
            *acc += f64::from(x);
        }
    }
    let residual = master
        .iter()
        .zip(&sum)
        .map(|(&m, &s)| (f64::from(m) - s).abs())
        .fold(0.0, f64::max);
    let top = master.iter().fold(0f32, |a, x| a.max(x.abs()));
    let depth = db(residual / f64::from(top));
    println!("stems null against the master at {depth:.1} dB (residual {residual:e})");
    assert!(depth < -80.0, "null depth {depth} dB");
}

#[test]
fn loudness_reads_files_and_sessions_like_ffmpeg() {
    let f = Fixture::new();
    let sess = music(&f);
    let wav = f.path("m.wav");
    let (code, _, err) = auxbus(&["render", s(&sess), "-o", s(&wav)]);
    assert_eq!(code, 0, "{err}");
    let (i_ref, tp_ref) = ffmpeg_loudness(&wav);
    for p in [&wav, &sess] {
        let (code, out, err) = auxbus(&["loudness", s(p), "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 6, "{keys:?}");
        let i = v["integrated_lufs"].as_f64().expect("number");
        let tp = v["true_peak_dbtp"].as_f64().expect("number");
        println!(
            "{}: {i} LUFS {tp} dBTP; ffmpeg {i_ref} / {tp_ref}",
            p.display()
        );
        assert!((i - i_ref).abs() <= 0.1, "{i} vs ffmpeg {i_ref}");
        assert!((tp - tp_ref).abs() <= 0.3, "{tp} vs ffmpeg {tp_ref}");
        for key in [
            "lra_lu",
            "max_momentary_lufs",
            "max_short_term_lufs",
            "sample_peak_dbfs",
        ] {
            assert!(v[key].is_number(), "{key}: {v}");
        }
    }
    let (code, out, _) = auxbus(&["loudness", s(&wav)]);
    assert_eq!(code, 0);
    assert!(
        out.contains("LUFS") && out.contains("dBTP") && out.contains("LU"),
        "{out}"
    );
}

/// One clear line, the expected exit code, nothing left behind.
fn expect_clean_failure(f: &Fixture, args: &[&str], code: i32, needle: &str) {
    let (got, _, err) = auxbus(args);
    assert_eq!(got, code, "{args:?}: {err}");
    assert!(
        err.starts_with("auxbus: ") && err.contains(needle),
        "{args:?}: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"));
    assert!(leftovers(f).is_empty(), "{:?}", leftovers(f));
}

#[test]
fn bad_input_is_one_line_and_leaves_nothing() {
    let f = Fixture::new();
    let sess = music(&f);
    let out = f.path("out.wav");
    expect_clean_failure(
        &f,
        &["render", s(&sess), "-o", s(&out), "--normalize", "loud"],
        2,
        "--normalize loud",
    );
    expect_clean_failure(
        &f,
        &["render", s(&sess), "-o", s(&f.path("out.mp3"))],
        2,
        "out.mp3",
    );
    expect_clean_failure(
        &f,
        &[
            "render",
            s(&sess),
            "-o",
            s(&f.path("out.flac")),
            "--format",
            "f32",
        ],
        2,
        "FLAC",
    );
    std::fs::write(f.path("file"), b"x").expect("file");
    let unwritable = f.path("file").join("out.wav");
    expect_clean_failure(
        &f,
        &["render", s(&sess), "-o", s(&unwritable)],
        1,
        "cannot write",
    );
    let silent = f.session(
        "silent.json",
        &session(vec![json!({"id": "bus", "kind": "bus"})], vec![]),
    );
    let args = [
        "render",
        s(&silent),
        "-o",
        s(&out),
        "--duration",
        "2",
        "--normalize",
        "-14",
    ];
    expect_clean_failure(&f, &args, 1, "silent");
    let stems = f.path("stems");
    let args = [
        "render",
        s(&silent),
        "--stems",
        s(&stems),
        "--duration",
        "2",
        "--normalize",
        "-14",
    ];
    expect_clean_failure(&f, &args, 1, "silent");
    assert!(!stems.exists(), "the stems folder it made is gone");
    assert!(!out.exists());
    expect_clean_failure(&f, &["loudness", s(&f.path("nope.wav"))], 1, "nope.wav");
    expect_clean_failure(&f, &["loudness", s(&f.path("file"))], 1, "file");
}
