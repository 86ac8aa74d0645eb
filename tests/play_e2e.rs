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

/// Gap-free stretches of a recorded tone: a dropout (the server played
/// silence while a callback came late, then the audio resumed) is a run of
/// near-zero samples, and the tone's phase jumps across it. Measuring a
/// level across such a jump is what made this test's captures look off by
/// 0.65 or even 24.7 dB now and then: the two sides of the jump cancel.
/// Each stretch is measured on its own instead. Returns (start, len) of
/// stretches of at least 0.1 s, the edges (start-up, end) left out.
fn stretches(x: &[f32]) -> Vec<(usize, usize)> {
    const GAP: usize = 16; // samples; a tone is near zero for ~1 at a crossing
    let loud = |v: &f32| v.abs() > 0.01;
    let (Some(first), Some(last)) = (x.iter().position(loud), x.iter().rposition(loud)) else {
        return Vec::new();
    };
    let (from, to) = (first + RATE / 4, last.saturating_sub(RATE / 4));
    let mut out = Vec::new();
    let (mut start, mut quiet) = (from, 0);
    for (i, v) in x.iter().enumerate().take(to.max(from)).skip(from) {
        if v.abs() < 1e-3 {
            quiet += 1;
            if quiet == GAP {
                out.push((start, i + 1 - GAP - start));
            }
        } else {
            if quiet >= GAP {
                start = i;
            }
            quiet = 0;
        }
    }
    out.push((start, to.max(start) - start));
    out.retain(|&(_, len)| len >= RATE / 10);
    out
}

/// Amplitudes of `freqs` in `x` by least squares (any window length).
fn fit(x: &[f32], freqs: &[f64]) -> Vec<f64> {
    let k = 2 * freqs.len();
    let basis = |i: usize, j: usize| {
        let w = std::f64::consts::TAU * freqs[j / 2] / RATE as f64 * i as f64;
        if j.is_multiple_of(2) {
            w.cos()
        } else {
            w.sin()
        }
    };
    let mut a = vec![vec![0.0; k + 1]; k];
    for (i, &v) in x.iter().enumerate() {
        let b: Vec<f64> = (0..k).map(|j| basis(i, j)).collect();
        for r in 0..k {
            for c in 0..k {
                a[r][c] += b[r] * b[c];
            }
            a[r][k] += b[r] * f64::from(v);
        }
    }
    for col in 0..k {
        let pivot = (col..k)
            .max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        let p = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / p[col];
                for (x, q) in row.iter_mut().zip(&p).skip(col) {
                    *x -= f * q;
                }
            }
        }
    }
    let coef: Vec<f64> = (0..k).map(|j| a[j][k] / a[j][j]).collect();
    coef.chunks(2).map(|p| p[0].hypot(p[1])).collect()
}

/// The level of each of `freqs` in a recorded channel: the median over its
/// gap-free stretches, and the seconds of sound and the gaps found.
fn tone_levels(x: &[f32], freqs: &[f64]) -> (Vec<f64>, f64, usize) {
    let parts = stretches(x);
    let seconds = parts.iter().map(|p| p.1).sum::<usize>() as f64 / RATE as f64;
    let fits: Vec<Vec<f64>> = parts
        .iter()
        .map(|&(s, n)| fit(&x[s..s + n.min(RATE)], freqs))
        .collect();
    let median = |j: usize| {
        let mut v: Vec<f64> = fits.iter().map(|f| f[j]).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    (
        (0..freqs.len()).map(median).collect(),
        seconds,
        parts.len().saturating_sub(1),
    )
}

/// The "dropouts N" figure of `auxbus play`'s report.
fn reported_dropouts(stderr: &str) -> usize {
    stderr
        .split("dropouts ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no dropout count in {stderr}"))
}

/// Amplitude of each tone on each side (440 and 1000 Hz, left then right).
fn levels(stereo: &[f32]) -> ([f64; 4], f64, usize) {
    let (l, sl, gl) = tone_levels(&left(stereo), &[440.0, 1000.0]);
    let (r, sr, gr) = tone_levels(&right(stereo), &[440.0, 1000.0]);
    ([l[0], l[1], r[0], r[1]], sl.min(sr), gl.max(gr))
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
    let (expected, _, _) = levels(&rendered);

    let _pulse = Pulse::start();
    let rec = Recorder::start("play.raw");
    let out = auxbus(&["play", path.to_str().expect("utf8"), "--host", "pulseaudio"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "auxbus play failed: {stderr}");
    assert!(stderr.contains("played"), "a summary line: {stderr}");
    std::thread::sleep(Duration::from_millis(300));
    let recorded = rec.stop();

    let (got, seconds, gaps) = levels(&recorded);
    let dropouts = reported_dropouts(&stderr);
    eprintln!(
        "{seconds:.2} s of sound, {gaps} gaps in the recording, {dropouts} dropouts reported"
    );
    assert!(seconds >= 4.0, "at least 4 s of sound, got {seconds:.2} s");
    assert!(
        gaps <= dropouts,
        "{gaps} gaps in the recording, but auxbus play reported {dropouts} dropouts"
    );
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
    // No server at the socket this process points to, and ALSA given an
    // empty configuration: no device at all, even on a machine with a card.
    let no_alsa = std::env::temp_dir().join(format!("auxbus-no-alsa-{}.conf", std::process::id()));
    std::fs::write(&no_alsa, "").expect("empty ALSA configuration");
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
    let out = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(["play", path.to_str().expect("utf8")])
        .env("ALSA_CONFIG_PATH", &no_alsa)
        .output()
        .expect("run auxbus");
    let took = t.elapsed();
    let _ = std::fs::remove_file(&no_alsa);
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
/// `width`-channel recording (median over its gap-free stretches).
fn channel_tone(rec: &[f32], width: usize, ch: usize) -> (f64, usize) {
    let x: Vec<f32> = rec.iter().skip(ch).step_by(width).copied().collect();
    let (level, seconds, gaps) = tone_levels(&x, &[440.0]);
    assert!(seconds >= 4.0, "channel {ch}: only {seconds:.2} s of sound");
    (level[0], gaps)
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
        let rec = Recorder::with_channels(&format!("phones{}.raw", -db_fader as i32), 4);
        let out = auxbus(&["play", path.to_str().expect("utf8"), "--host", "pulseaudio"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "auxbus play failed: {stderr}");
        std::thread::sleep(Duration::from_millis(300));
        let recorded = rec.stop();
        let measured = [0, 1, 2, 3].map(|ch| channel_tone(&recorded, 4, ch));
        let take = measured.map(|(level, _)| level);
        let gaps = measured.iter().map(|&(_, g)| g).max().unwrap_or(0);
        let dropouts = reported_dropouts(&stderr);
        eprintln!("fader {db_fader} dB: {take:?}, {gaps} gaps, {dropouts} dropouts reported");
        assert!(
            gaps <= dropouts,
            "{gaps} gaps in the recording, {dropouts} dropouts reported"
        );
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

#[test]
fn listening_to_a_cue_mix_plays_it_on_a_stereo_device() {
    // The main mix has the track 20 dB down; the cue aux on outputs 3–4
    // gets a pre-fader send at −3 dB. On a two-channel device, listening
    // to hw:3-4 puts the cue mix on 1–2.
    let _lock = setup();
    let f = Fixture::new();
    f.sine("a.wav", 440.0, 0.5, 2, 48_000, 5.0);
    let path = f.session(
        "cue.json",
        &session(
            vec![
                json!({"id": "a", "kind": "track", "source": "a.wav", "gain_db": -20.0,
                       "sends": [{"to": "phones", "level_db": -3.0, "pre_fader": true}]}),
                json!({"id": "phones", "name": "Headphones", "kind": "aux", "output": "hw:3-4"}),
            ],
            vec![],
        ),
    );
    let _pulse = Pulse::start();
    let rec = Recorder::with_channels("cue.raw", 2);
    let out = auxbus(&[
        "play",
        path.to_str().expect("utf8"),
        "--host",
        "pulseaudio",
        "--channels",
        "2",
        "--listen",
        "hw:3-4",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "auxbus play failed: {stderr}");
    std::thread::sleep(Duration::from_millis(300));
    let recorded = rec.stop();
    let expected = 0.5 * 10f64.powf(-3.0 / 20.0);
    for ch in [0, 1] {
        let (level, gaps) = channel_tone(&recorded, 2, ch);
        let diff = db(level) - db(expected);
        assert!(
            diff.abs() < 0.1,
            "output {}: {level:.4} ({diff:+.2} dB from the cue mix's level)",
            ch + 1
        );
        assert!(gaps <= reported_dropouts(&stderr));
    }
}
