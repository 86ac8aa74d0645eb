//! `auxbus render SESSION --scene NAME` through the real binary: two
//! scenes that differ by one fader render two mixes that differ by exactly
//! that gain on that channel (a null test), and a scene name that is not
//! there is refused with one line listing the ones that are.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::json;

/// `auxbus render SESSION -o OUT [--scene SCENE]`: exit code and stderr.
fn auxbus_render(session: &Path, out: &Path, scene: Option<&str>) -> (i32, String) {
    let mut args = vec![
        "render",
        session.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ];
    args.extend(scene.iter().flat_map(|name| ["--scene", name]));
    let out = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(args)
        .output()
        .expect("run auxbus");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(path: &Path) -> Vec<f32> {
    hound::WavReader::open(path)
        .expect("a wav")
        .into_samples::<f32>()
        .map(|x| x.expect("sample"))
        .collect()
}

/// Renders `session` with `--scene scene` (or none) and returns the samples.
fn render(f: &Fixture, session: &Path, scene: Option<&str>) -> Vec<f32> {
    let out = f.path(&format!("{}.wav", scene.unwrap_or("none")));
    let (code, err) = auxbus_render(session, &out, scene);
    assert_eq!(code, 0, "{err}");
    read(&out)
}

/// The fader of track "lead" in scenes A and B (6.02 dB apart, so B's lead
/// is half of A's), and −inf in C; everything else is the same in all three.
const LEAD_A: f32 = 0.0;
const LEAD_B: f32 = -6.0206;

fn session_with_scenes(f: &Fixture) -> std::path::PathBuf {
    f.sine("lead.wav", 440.0, 0.5, 1, 48_000, 0.5);
    f.sine("pad.wav", 311.0, 0.4, 2, 48_000, 0.5);
    let mut s = session(
        vec![
            // The session's own faders differ from every scene's.
            json!({"id": "lead", "name": "Lead", "kind": "track", "source": "lead.wav",
                   "gain_db": -20.0, "pan": 0.3,
                   "sends": [{"to": "verb", "level_db": -6.0}]}),
            json!({"id": "pad", "name": "Pad", "kind": "track", "source": "pad.wav",
                   "gain_db": -20.0, "sends": [{"to": "verb", "level_db": -10.0}]}),
            json!({"id": "verb", "name": "Reverb", "kind": "aux",
                   "inserts": [{"type": "reverb", "preset": "Vocal plate"}]}),
        ],
        vec![],
    );
    let scene = |name: &str, lead: Option<f32>| {
        json!({"name": name, "channels": {
            "lead": {"gain_db": lead, "pan": -0.25, "sends": {"verb": {"level_db": -8.0}}},
            "pad": {"gain_db": -4.0, "pan": 0.5},
            "verb": {"gain_db": -3.0}}})
    };
    s["scenes"] = json!([
        scene("A", Some(LEAD_A)),
        scene("B", Some(LEAD_B)),
        scene("C", None)
    ]);
    f.session("scenes.json", &s)
}

#[test]
fn two_scenes_differing_by_one_fader_null_after_that_gain() {
    let f = Fixture::new();
    let path = session_with_scenes(&f);
    let (a, b, c) = (
        render(&f, &path, Some("A")),
        render(&f, &path, Some("B")),
        render(&f, &path, Some("C")),
    );
    let own = render(&f, &path, None);
    assert_eq!(a.len(), b.len());
    assert_eq!(a.len(), c.len());
    // C is the mix without the lead (its fader at −inf): what A and B add
    // to it is the lead alone, dry and through its post-fader reverb send.
    let lead_a: Vec<f32> = a.iter().zip(&c).map(|(x, y)| x - y).collect();
    let lead_b: Vec<f32> = b.iter().zip(&c).map(|(x, y)| x - y).collect();
    assert!(rms(&lead_a) > 0.05, "the lead is in A: {}", rms(&lead_a));
    assert!(rms(&c) > 0.02, "the rest of the mix plays: {}", rms(&c));
    let gain = 10f64.powf(f64::from(LEAD_B - LEAD_A) / 20.0) as f32;
    assert!((gain - 0.5).abs() < 1e-5);
    let residual = lead_a
        .iter()
        .zip(&lead_b)
        .map(|(x, y)| (x * gain - y).abs())
        .fold(0f32, f32::max);
    assert!(
        residual < 2e-6,
        "B's lead is A's × {gain} to float precision: residual {residual}"
    );
    // The scenes were recalled: the session's own faders sound different.
    let apart = own
        .iter()
        .zip(&a)
        .map(|(x, y)| (x - y).abs())
        .fold(0f32, f32::max);
    assert!(apart > 0.05, "render without --scene is the session's mix");
}

#[test]
fn an_unknown_scene_is_refused_with_one_line_listing_the_scenes() {
    let f = Fixture::new();
    let path = session_with_scenes(&f);
    let out = f.path("out.wav");
    let (code, err) = auxbus_render(&path, &out, Some("Chorus"));
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("no scene \"Chorus\"; the scenes are \"A\", \"B\", \"C\""),
        "{err}"
    );
    assert!(err.contains("scenes.json"), "names the session: {err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_scene_that_no_longer_fits_renders_what_fits_and_says_what_was_skipped() {
    let f = Fixture::new();
    f.sine("lead.wav", 440.0, 0.5, 1, 48_000, 0.2);
    let mut s = session(
        vec![json!({"id": "lead", "kind": "track", "source": "lead.wav", "gain_db": -20.0})],
        vec![],
    );
    s["scenes"] = json!([{"name": "Old", "channels": {
        "lead": {"gain_db": 0.0},
        "bass": {"gain_db": -3.0}}}]);
    let path = f.session("old.json", &s);
    let out = f.path("old.wav");
    let (code, err) = auxbus_render(&path, &out, Some("Old"));
    assert_eq!(code, 0, "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(
        warnings,
        ["warning: scene \"Old\": skipped what no longer exists: channel \"bass\""]
    );
    // The lead at 0 dB (not the session's −20): a centred mono sine of
    // peak 0.5 at −3 dB pan law.
    let x = read(&out);
    let expected = 0.5 * 10f32.powf(-3.0 / 20.0);
    assert!((peak(&left(&x)) - expected).abs() < 1e-3, "{}", peak(&x));
}
