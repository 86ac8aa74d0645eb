//! Live playback end to end: `auxbus play` into a PulseAudio null sink,
//! recorded with `parec`, must carry the same tones at the same levels as
//! `auxbus render` of the same session. Needs pulseaudio and
//! pulseaudio-utils (installed by tools/setup-debian); fails without them.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::pulse::{Pulse, Recorder, setup, socket};
use common::*;
use serde_json::json;

const RATE: usize = 48_000;

fn auxbus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(args)
        .output()
        .expect("run auxbus")
}

/// Start of the longest stretch without a gap (10 ms blocks above −60 dBFS)
/// and its length in frames. The null sink may stall briefly at start.
fn longest_sounding_run(left: &[f32]) -> (usize, usize) {
    let block = RATE / 100;
    let loud: Vec<bool> = left.chunks(block).map(|b| peak(b) > 0.001).collect();
    let (mut best, mut run_start, mut best_len) = (0, 0, 0);
    for (i, &l) in loud.iter().chain([false].iter()).enumerate() {
        if !l {
            if i - run_start > best_len {
                best = run_start;
                best_len = i - run_start;
            }
            run_start = i + 1;
        }
    }
    (best * block, best_len * block)
}

/// Amplitude of each tone on each side over a 2 s window (a whole number
/// of cycles of both tones, so the measure does not depend on phase).
fn levels(stereo: &[f32], from: usize) -> [f64; 4] {
    let window = 2 * RATE;
    let l = &left(stereo)[from..from + window];
    let r = &right(stereo)[from..from + window];
    let rate = RATE as f64;
    [
        tone_amplitude(l, 440.0, rate),
        tone_amplitude(l, 1000.0, rate),
        tone_amplitude(r, 440.0, rate),
        tone_amplitude(r, 1000.0, rate),
    ]
}

#[test]
fn play_sounds_like_render() {
    let _lock = setup();
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, 48_000, 5.0);
    f.sine("b.wav", 1000.0, 0.5, 1, 48_000, 5.0);
    // a: through a bus, with a post-fader send; b: mono, panned, with a
    // pre-fader send; both sends into one aux.
    let s = session(
        vec![
            json!({"id": "a", "kind": "track", "source": "a.wav", "output": "bus",
                   "sends": [{"to": "fx", "level_db": -6.0}]}),
            json!({"id": "b", "kind": "track", "source": "b.wav", "gain_db": -3.0, "pan": 0.4,
                   "sends": [{"to": "fx", "level_db": -10.0, "pre_fader": true}]}),
            json!({"id": "bus", "kind": "bus", "gain_db": -6.0}),
            json!({"id": "fx", "kind": "aux", "gain_db": -2.0}),
        ],
        vec![],
    );
    let (rendered, _) = f.render(&s);
    let path = f.session("play.json", &s);
    let expected = levels(&rendered, RATE / 2);

    let _pulse = Pulse::start();
    let rec = Recorder::start("play.raw");
    let out = auxbus(&["play", path.to_str().expect("utf8"), "--host", "pulseaudio"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "auxbus play failed: {stderr}");
    assert!(stderr.contains("played"), "a summary line: {stderr}");
    std::thread::sleep(Duration::from_millis(300));
    let recorded = rec.stop();

    let (start, len) = longest_sounding_run(&left(&recorded));
    assert!(
        len >= 3 * RATE,
        "at least 3 s of uninterrupted sound, got {:.2} s",
        len as f64 / RATE as f64
    );
    let got = levels(&recorded, start + RATE / 2);
    for (k, (g, e)) in got.iter().zip(&expected).enumerate() {
        let diff = db(*g) - db(*e);
        assert!(
            diff.abs() < 0.1,
            "tone/side {k}: played {g:.5} vs rendered {e:.5} ({diff:+.3} dB)"
        );
    }
}

#[test]
fn play_without_any_audio_device_fails_fast_and_clearly() {
    let _lock = setup();
    // No server at the socket this process points to; CI machines have no card.
    if std::fs::read_to_string("/proc/asound/cards")
        .is_ok_and(|c| !c.contains("no soundcards") && !c.trim().is_empty())
    {
        eprintln!("this machine has a sound card; playing would succeed");
        return;
    }
    assert!(
        std::os::unix::net::UnixStream::connect(socket()).is_err(),
        "no server may run for this test"
    );
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, 48_000, 1.0);
    let path = f.session(
        "s.json",
        &session(
            vec![json!({"id": "a", "kind": "track", "source": "a.wav"})],
            vec![],
        ),
    );
    let t = Instant::now();
    let out = auxbus(&["play", path.to_str().expect("utf8")]);
    let took = t.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "must fail without a device");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        stderr.contains("no audio output device"),
        "clear message: {stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"));
}

/// Amplitude of the 440 Hz tone on device channel `ch` of an interleaved
/// `width`-channel recording, over 2 s of its longest gap-free stretch.
fn channel_tone(rec: &[f32], width: usize, ch: usize) -> f64 {
    let x: Vec<f32> = rec.iter().skip(ch).step_by(width).copied().collect();
    let (start, len) = longest_sounding_run(&x);
    assert!(
        len >= 3 * RATE,
        "channel {ch}: only {:.2} s of uninterrupted sound",
        len as f64 / RATE as f64
    );
    tone_amplitude(
        &x[start + RATE / 2..start + RATE / 2 + 2 * RATE],
        440.0,
        RATE as f64,
    )
}

#[test]
fn headphone_mix_on_outputs_3_4_ignores_the_faders() {
    let _lock = setup();
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, 48_000, 5.0);
    let with_fader = |db: f64| {
        session(
            vec![
                json!({"id": "a", "kind": "track", "source": "a.wav", "gain_db": db,
                       "sends": [{"to": "phones", "level_db": -3.0, "pre_fader": true}]}),
                json!({"id": "phones", "name": "Headphones", "kind": "aux", "output": "hw:3-4"}),
            ],
            vec![],
        )
    };
    let _pulse = Pulse::with_channels(4);
    let mut levels = Vec::new();
    for db_fader in [-6.0, -20.0] {
        let path = f.session(
            &format!("phones{}.json", -db_fader as i32),
            &with_fader(db_fader),
        );
        let expected_main = 0.5 * 10f64.powf(db_fader / 20.0);
        // The null-sink capture is occasionally off (seen twice in CI: the
        // main level 24.7 dB and 0.65 dB from anything the engine produces). Re-record, report
        // every anomaly, and still assert on the take that is kept.
        let mut take = [0.0; 4];
        for attempt in 1..=3 {
            let name = format!("phones{}-{attempt}.raw", -db_fader as i32);
            let rec = Recorder::with_channels(&name, 4);
            let out = auxbus(&["play", path.to_str().expect("utf8"), "--host", "pulseaudio"]);
            assert!(
                out.status.success(),
                "auxbus play failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(300));
            let recorded = rec.stop();
            take = [0, 1, 2, 3].map(|ch| channel_tone(&recorded, 4, ch));
            // Re-record whenever the take is off by more than the assertions
            // below allow (the engine is exact; a capture 0.65 dB off was
            // seen once and passed a looser 1 dB filter).
            if (db(take[0]) - db(expected_main)).abs() < 0.05 {
                break;
            }
            eprintln!(
                "fader {db_fader} dB, attempt {attempt}: unexpected capture {take:?}; recording again"
            );
        }
        levels.push(take);
    }
    let [main_6, main_20] = [levels[0][0], levels[1][0]];
    // Main mix (1–2) follows the fader: −6 → −20 dB is 14 dB down.
    let moved = db(main_20) - db(main_6);
    assert!(
        (moved + 14.0).abs() < 0.1,
        "main mix moved {moved:+.2} dB, expected −14"
    );
    assert!(
        (main_6 - 0.5 * 10f64.powf(-6.0 / 20.0)).abs() < 0.01,
        "main at −6 dB: {main_6}"
    );
    // Headphones (3–4): the pre-fader send, the same whatever the fader does.
    let expected = 0.5 * 10f64.powf(-3.0 / 20.0);
    for run in &levels {
        for ch in [2, 3] {
            let diff = db(run[ch]) - db(expected);
            assert!(
                diff.abs() < 0.1,
                "headphone channel {}: {:.4} ({diff:+.2} dB)",
                ch + 1,
                run[ch]
            );
        }
    }
}
