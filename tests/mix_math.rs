//! The mixer's arithmetic against analytic expectations: gains, sends, pan
//! laws, bus vs VCA, solo. Each test renders a session through the real
//! engine (offline render) from sine files the test writes.

mod common;

use common::*;
use serde_json::json;

const RATE: f64 = 48_000.0;

#[test]
fn fader_at_minus_6_02_db_halves_and_minus_inf_is_silence() {
    let f = Fixture::new();
    f.sine("s.wav", 1000.0, 0.5, 2, 48_000, 0.5);
    let (out, _) = f.render(&session(
        vec![json!({"id": "t", "kind": "track", "source": "s.wav", "gain_db": -6.02})],
        vec![],
    ));
    let p = peak(&out);
    assert!((p - 0.25).abs() < 1e-4, "peak {p}, expected 0.25 ± 1e-4");

    let (out, _) = f.render(&session(
        vec![json!({"id": "t", "kind": "track", "source": "s.wav", "gain_db": null})],
        vec![],
    ));
    assert!(!out.is_empty());
    assert!(
        out.iter().all(|&x| x == 0.0),
        "a −inf fader must give exact silence"
    );
}

fn send_session(fader_db: Option<f64>, pre_fader: bool) -> serde_json::Value {
    session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "gain_db": fader_db, "output": null,
                   "sends": [{"to": "fx", "level_db": -10.0, "pre_fader": pre_fader}]}),
            json!({"id": "fx", "kind": "aux", "gain_db": 0.0}),
        ],
        vec![],
    )
}

#[test]
fn post_fader_send_follows_the_fader() {
    let f = Fixture::new();
    f.sine("s.wav", 1000.0, 0.5, 2, 48_000, 0.5);
    let (at_0, _) = f.render(&send_session(Some(0.0), false));
    let expected = 0.5 * 10f32.powf(-10.0 / 20.0); // source × fader × send
    assert!(
        (peak(&at_0) - expected).abs() < 1e-4,
        "peak {} expected {expected}",
        peak(&at_0)
    );
    let (at_minus_6, _) = f.render(&send_session(Some(-6.0), false));
    let moved = db(rms(&at_minus_6) / rms(&at_0));
    assert!(
        (moved + 6.0).abs() < 0.01,
        "fader −6 dB moved the send output by {moved:.3} dB"
    );
}

#[test]
fn pre_fader_send_ignores_the_fader() {
    let f = Fixture::new();
    f.sine("s.wav", 1000.0, 0.5, 2, 48_000, 0.5);
    let (at_0, _) = f.render(&send_session(Some(0.0), true));
    let (at_inf, _) = f.render(&send_session(None, true));
    let expected = 0.5 * 10f32.powf(-10.0 / 20.0);
    assert!((peak(&at_0) - expected).abs() < 1e-4);
    assert_eq!(
        at_0, at_inf,
        "a pre-fader send must not change when the fader goes to −inf"
    );
}

/// track → bus → master, plus a post-fader send to an aux → master.
fn bus_vca_session(bus_db: f64, vca_db: f64) -> serde_json::Value {
    session(
        vec![
            json!({"id": "t", "kind": "track", "source": "s.wav", "output": "bus",
                   "sends": [{"to": "fx", "level_db": -6.0}]}),
            json!({"id": "bus", "kind": "bus", "gain_db": bus_db}),
            json!({"id": "fx", "kind": "aux"}),
        ],
        vec![json!({"id": "v", "gain_db": vca_db, "members": ["t"]})],
    )
}

fn dry_wet_db(report: &auxbus::render::RenderReport) -> (f64, f64) {
    (
        db(f64::from(report.meters.dry.rms_mono())),
        db(f64::from(report.meters.wet.rms_mono())),
    )
}

#[test]
fn bus_fader_changes_dry_only_but_vca_keeps_the_ratio() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.5);
    let (_, base) = f.render(&bus_vca_session(0.0, 0.0));
    let (dry0, wet0) = dry_wet_db(&base);
    assert!(
        wet0 > -60.0 && dry0 > -60.0,
        "both dry ({dry0}) and wet ({wet0}) must be present"
    );
    // The reverb send was taken before the bus: only the dry part drops.
    let (_, bus) = f.render(&bus_vca_session(-6.0, 0.0));
    let (dry, wet) = dry_wet_db(&bus);
    assert!(
        (dry - dry0 + 6.0).abs() < 0.01,
        "bus −6 dB: dry moved {:.3} dB",
        dry - dry0
    );
    assert!(
        (wet - wet0).abs() < 0.01,
        "bus −6 dB: wet moved {:.3} dB",
        wet - wet0
    );
    let ratio_moved = (dry - wet) - (dry0 - wet0);
    assert!(
        (ratio_moved + 6.0).abs() < 0.01,
        "dry/wet ratio moved {ratio_moved:.3} dB, expected −6"
    );
    // A VCA scales the member's fader: the post-fader send follows.
    let (_, vca) = f.render(&bus_vca_session(0.0, -6.0));
    let (dry, wet) = dry_wet_db(&vca);
    assert!(
        (dry - dry0 + 6.0).abs() < 0.01,
        "VCA −6 dB: dry moved {:.3} dB",
        dry - dry0
    );
    assert!(
        (wet - wet0 + 6.0).abs() < 0.01,
        "VCA −6 dB: wet moved {:.3} dB",
        wet - wet0
    );
    assert!(
        ((dry - wet) - (dry0 - wet0)).abs() < 0.01,
        "VCA must keep the dry/wet ratio"
    );
}

#[test]
fn muted_vca_mutes_its_members_and_their_sends() {
    let f = Fixture::new();
    f.sine("s.wav", 440.0, 0.5, 2, 48_000, 0.3);
    let mut s = bus_vca_session(0.0, 0.0);
    s["vcas"][0]["mute"] = json!(true);
    let (out, _) = f.render(&s);
    assert!(out.iter().all(|&x| x == 0.0));
}

fn pan_session(source: &str, pan: f64) -> serde_json::Value {
    let mut s = session(
        vec![json!({"id": "t", "kind": "track", "source": source, "pan": pan})],
        vec![],
    );
    s["pan_law_db"] = json!(-3.0);
    s
}

#[test]
fn pan_law_minus_3_db() {
    let f = Fixture::new();
    f.sine("mono.wav", 1000.0, 0.5, 1, 48_000, 0.3);
    f.sine("stereo.wav", 1000.0, 0.5, 2, 48_000, 0.3);
    let (hard_left, _) = f.render(&pan_session("mono.wav", -1.0));
    assert!(
        (peak(&left(&hard_left)) - 0.5).abs() < 1e-5,
        "hard left: L = source"
    );
    assert!(
        right(&hard_left).iter().all(|&x| x == 0.0),
        "hard left: R = 0 exactly"
    );
    let (centre, _) = f.render(&pan_session("mono.wav", 0.0));
    for side in [left(&centre), right(&centre)] {
        let gain = peak(&side) / 0.5;
        assert!(
            (gain - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-4,
            "centre gain {gain}, expected 0.7071"
        );
    }
    let (stereo, _) = f.render(&pan_session("stereo.wav", 0.0));
    assert!(
        (peak(&left(&stereo)) - 0.5).abs() < 1e-5 && (peak(&right(&stereo)) - 0.5).abs() < 1e-5,
        "stereo centre is unity"
    );
}

#[test]
fn other_pan_laws_at_centre() {
    let f = Fixture::new();
    f.sine("mono.wav", 1000.0, 0.5, 1, 48_000, 0.3);
    // Law names are nominal, as on every console: −6 is ×0.5 exactly, and
    // −4.5 is halfway in dB between constant power (1/√2) and −6 (0.5).
    let halfway = (std::f32::consts::FRAC_1_SQRT_2 * 0.5).sqrt();
    for (law, gain) in [(-6.0, 0.5f32), (-4.5, halfway), (0.0, 1.0)] {
        let mut s = pan_session("mono.wav", 0.0);
        s["pan_law_db"] = json!(law);
        let (out, _) = f.render(&s);
        let g = peak(&left(&out)) / 0.5;
        assert!(
            (g - gain).abs() < 1e-5,
            "law {law}: centre gain {g}, expected {gain}"
        );
    }
}

/// Two tracks (440 Hz and 1000 Hz), each to the master and sending to one aux.
fn solo_session(solo: &str) -> serde_json::Value {
    let mut s = session(
        vec![
            json!({"id": "a", "kind": "track", "source": "a.wav", "sends": [{"to": "fx", "level_db": -6.0}]}),
            json!({"id": "b", "kind": "track", "source": "b.wav", "sends": [{"to": "fx", "level_db": -6.0}]}),
            json!({"id": "fx", "kind": "aux"}),
        ],
        vec![],
    );
    for c in s["channels"].as_array_mut().expect("channels") {
        if c["id"] == solo {
            c["solo"] = json!(true);
        }
    }
    s
}

#[test]
fn solo_keeps_only_the_soloed_source_and_its_aux_return() {
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, 48_000, 0.5);
    f.sine("b.wav", 1000.0, 0.5, 2, 48_000, 0.5);
    let (out, report) = f.render(&solo_session("a"));
    let l = left(&out);
    let a = tone_amplitude(&l, 440.0, RATE);
    let b = tone_amplitude(&l, 1000.0, RATE);
    // a's dry (0.5) plus its return through the aux (0.5 × −6.02 dB).
    let expected = 0.5 + 0.5 * 10f64.powf(-6.0 / 20.0);
    assert!(
        (a - expected).abs() < 1e-3,
        "440 Hz at {a}, expected {expected}"
    );
    assert!(b < 1e-6, "1000 Hz must be gone, found {b}");
    // The aux return carries a's copy only: 0.5 × −6 dB as RMS of a sine.
    let fx = f64::from(channel_rms(&report, "fx"));
    let expected_fx = 0.5 * 10f64.powf(-6.0 / 20.0) / 2f64.sqrt();
    assert!(
        (fx - expected_fx).abs() < 1e-3,
        "aux return RMS {fx}, expected {expected_fx}"
    );
    assert_eq!(channel_rms(&report, "b"), 0.0, "b is implicitly muted");
}

#[test]
fn soloing_a_bus_keeps_its_feeders() {
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, 48_000, 0.5);
    f.sine("b.wav", 1000.0, 0.5, 2, 48_000, 0.5);
    let s = session(
        vec![
            json!({"id": "a", "kind": "track", "source": "a.wav", "output": "bus"}),
            json!({"id": "b", "kind": "track", "source": "b.wav"}),
            json!({"id": "bus", "kind": "bus", "solo": true}),
        ],
        vec![],
    );
    let (out, _) = f.render(&s);
    let l = left(&out);
    assert!(
        (tone_amplitude(&l, 440.0, RATE) - 0.5).abs() < 1e-3,
        "the bus's feeder stays audible"
    );
    assert!(
        tone_amplitude(&l, 1000.0, RATE) < 1e-6,
        "a track outside the soloed path is muted"
    );
}

#[test]
fn source_at_44_1_khz_renders_at_48_khz_at_the_right_pitch() {
    let f = Fixture::new();
    f.sine("s.wav", 1000.0, 0.5, 2, 44_100, 1.0);
    let (out, report) = f.render(&session(
        vec![json!({"id": "t", "kind": "track", "source": "s.wav"})],
        vec![],
    ));
    assert_eq!(report.sample_rate, 48_000);
    let frames = out.len() / 2;
    assert!(
        (frames as i64 - 48_000).abs() < 100,
        "1 s at 44.1 kHz should give ~48000 frames, got {frames}"
    );
    let l = left(&out);
    let mid = &l[4800..43200];
    let freq = zero_crossing_freq(mid, RATE);
    assert!(
        (freq - 1000.0).abs() < 0.5,
        "measured {freq} Hz, expected 1000"
    );
    assert!(
        (peak(mid) - 0.5).abs() < 0.01,
        "level kept through resampling: peak {}",
        peak(mid)
    );
}

#[test]
fn render_starts_at_session_values_without_fade_in() {
    let f = Fixture::new();
    // A DC-ish step: constant 0.5 (a sine at 0 Hz would be 0); use a square of
    // 1 kHz sampled so that frame 0 already has full value.
    f.sine("s.wav", 12_000.0, 0.5, 2, 48_000, 0.1); // frame 1 = 0.5 × sin(π/2)
    let (out, _) = f.render(&session(
        vec![json!({"id": "t", "kind": "track", "source": "s.wav", "gain_db": -6.0206})],
        vec![],
    ));
    let l = left(&out);
    assert!(
        (l[1] - 0.25).abs() < 1e-5,
        "frame 1 must already be at the session gain, got {}",
        l[1]
    );
}
