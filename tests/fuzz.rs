//! The fuzz harness (issue #13), as property tests on stable Rust: mutated
//! and generated session files through the loader, the validator, the cost
//! estimate, the routing tree and the compiler; mutated audio files of every
//! format family through opening, measuring, reading and seeking. Nothing
//! may panic, abort or hang (each input has a deadline).
//!
//! The seed corpus is made here, not stored: a few sessions built in code
//! plus the demo, and a tenth of a second of audio per format encoded with
//! ffmpeg (installed by tools/setup-debian).
//!
//! `cargo test` runs a light pass; `.ci/run` runs the long one:
//! `AUXBUS_FUZZ_SESSIONS=100000 AUXBUS_FUZZ_AUDIO=10000 cargo test --release --test fuzz`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use auxbus::graph;
use auxbus::io::decode::SourceReader;
use auxbus::session::{self, EffectKind, Insert, Session};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

/// Longest any one input may take.
const DEADLINE: Duration = Duration::from_secs(10);

fn cases(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `f` on another thread and fails if it takes longer than `DEADLINE`
/// (or panics).
fn within_deadline<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| TestCaseError::fail(format!("thread: {e}")))?;
    match rx.recv_timeout(DEADLINE) {
        Ok(v) => Ok(v),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "{what}: still running after {DEADLINE:?}"
        ))),
        Err(_) => Err(TestCaseError::fail(format!("{what}: panicked"))),
    }
}

// ---------------------------------------------------------------- sessions

fn seed_sessions() -> Vec<String> {
    let demo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json"))
            .expect("demo");
    let mut s = Session::new(48_000);
    let mut bus = session::Channel::new("drums", session::ChannelKind::Bus);
    bus.inserts = EffectKind::ALL
        .iter()
        .map(|k| Insert::new(k.default_params(false)))
        .collect();
    s.channels.push(bus);
    let mut aux = session::Channel::new("verb", session::ChannelKind::Aux);
    aux.inserts = vec![Insert::new(EffectKind::Reverb.default_params(true))];
    s.channels.push(aux);
    let mut t = session::Channel::new("kick", session::ChannelKind::Track);
    t.source = Some("kick.wav".into());
    t.output = Some("drums".into());
    t.sends = vec![session::Send::new("verb")];
    s.channels.push(t);
    s.vcas.push(session::Vca {
        id: "v".into(),
        name: String::new(),
        gain_db: Some(-3.0),
        mute: false,
        members: vec!["kick".into()],
    });
    // A scene of this mix, and one naming what is not there (any more).
    let mut stale = session::Scene::capture(&s, "Old");
    let gone = stale.channels["kick"].clone();
    stale.channels.insert("gone".into(), gone);
    s.scenes = vec![session::Scene::capture(&s, "Now"), stale];
    let built = serde_json::to_string_pretty(&s).expect("json");
    vec![demo, built]
}

/// A session generated from parts: ids that collide and carry control
/// characters, outputs and sends naming anything, effects with any numbers.
fn generated_session() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        Just("master".to_owned()),
        Just("a".to_owned()),
        Just("b\n".to_owned()),
        Just(String::new()),
        "[a-c]{1,2}",
        "\\PC{0,6}",
    ];
    let kind = prop_oneof![
        Just("track"),
        Just("bus"),
        Just("aux"),
        Just("master"),
        Just("vca")
    ];
    let number = prop_oneof![
        Just(json!(0.0)),
        Just(json!(-1e30)),
        Just(json!(1e30)),
        Just(json!(null)),
        Just(json!("x")),
        (-100.0f64..100.0).prop_map(|v| json!(v)),
    ];
    let insert = (
        prop_oneof![
            Just("eq"),
            Just("compressor"),
            Just("reverb"),
            Just("delay"),
            Just("saturation"),
            Just("nope")
        ],
        number.clone(),
        any::<bool>(),
    )
        .prop_map(|(t, v, b)| {
            json!({"type": t, "mix": v, "decay_s": v, "time_ms": v, "ratio": v, "bypass": b})
        });
    let channel = (
        id.clone(),
        kind,
        proptest::option::of(id.clone()),
        number.clone(),
        proptest::collection::vec(id.clone(), 0..3),
        proptest::collection::vec(insert, 0..3),
    )
        .prop_map(|(id, kind, output, gain, sends, inserts)| {
            let sends: Vec<Value> = sends.into_iter().map(|to| json!({"to": to})).collect();
            json!({"id": id, "kind": kind, "output": output, "gain_db": gain, "pan": gain,
                   "source": "x.wav", "sends": sends, "inserts": inserts})
        });
    (
        proptest::collection::vec(channel, 0..12),
        prop_oneof![
            Just(0u64),
            Just(8_000),
            Just(48_000),
            Just(384_000),
            Just(u64::from(u32::MAX))
        ],
        proptest::collection::vec(id, 0..3),
    )
        .prop_map(|(channels, rate, members)| {
            json!({"format": "auxbus-session", "version": 1, "sample_rate": rate,
                   "channels": channels,
                   "vcas": [{"id": "v", "members": members}]})
            .to_string()
        })
}

/// A seed with a handful of byte edits: flips, overwrites, cuts, repeats.
fn mutated(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(at, op, byte) in edits {
        if b.is_empty() {
            break;
        }
        let at = at % b.len();
        match op % 6 {
            0 => b[at] ^= 1 << (byte % 8),
            1 => b[at] = byte,
            2 => b.truncate(at),
            3 => {
                b.insert(at, byte);
            }
            4 => {
                b.remove(at);
            }
            _ => {
                let end = (at + usize::from(byte)).min(b.len());
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
        }
    }
    b
}

/// Everything the console and the CLI do with a session file's text.
fn exercise_session(text: Vec<u8>) {
    let Ok(text) = String::from_utf8(text) else {
        return;
    };
    let path = Path::new("fuzz.json");
    let Ok(s) = session::parse(&text, path) else {
        return;
    };
    let _ = graph::routing_tree(&s, &|_| String::new());
    if session::validate(&s).is_err() {
        return;
    }
    let _ = graph::routing_tree(&s, &|_| String::new());
    // Build the plan only when it is cheap (the cost is checked first).
    if graph::effect_memory(&s).is_ok_and(|bytes| bytes < 64 << 20) {
        let _ = graph::compile(&s, &|_| None);
    }
    let _ = session::differences(&Session::new(48_000), &s);
    // Every stored scene of a valid session recalls (skipping what is gone).
    for name in s.scenes.iter().map(|x| x.name.clone()) {
        let mut recalled = s.clone();
        if let Err(e) = session::recall_scene(&mut recalled, &name) {
            panic!("scene {name:?} of a valid session did not recall: {e}");
        }
    }
}

static SESSION_RUNS: AtomicU64 = AtomicU64::new(0);

#[test]
fn fuzz_session_loader() {
    let n = cases("AUXBUS_FUZZ_SESSIONS", 2_000);
    let seeds: Vec<Vec<u8>> = seed_sessions()
        .into_iter()
        .map(String::into_bytes)
        .collect();
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases: n / 2,
        failure_persistence: None,
        ..Config::default()
    });
    let edits = proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8);
    runner
        .run(&(0..seeds.len(), edits), |(k, edits)| {
            let text = mutated(&seeds[k], &edits);
            SESSION_RUNS.fetch_add(1, Ordering::Relaxed);
            within_deadline("mutated session", move || exercise_session(text))
        })
        .expect("mutated sessions");
    let mut runner = TestRunner::new(Config {
        cases: n - n / 2,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&generated_session(), |text| {
            SESSION_RUNS.fetch_add(1, Ordering::Relaxed);
            within_deadline("generated session", move || {
                exercise_session(text.into_bytes())
            })
        })
        .expect("generated sessions");
    eprintln!(
        "fuzz: {} session inputs in {:.1} s, no panic, hang or abort",
        SESSION_RUNS.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}

// ------------------------------------------------------------------- audio

/// A tenth of a second of stereo sine per format family, made once.
fn seed_audio() -> &'static Vec<(String, Vec<u8>)> {
    static SEEDS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tmp");
        let families: [(&str, &[&str]); 9] = [
            ("wav", &[]),
            ("adpcm.wav", &["-c:a", "adpcm_ima_wav"]),
            ("aiff", &[]),
            ("caf", &[]),
            ("flac", &[]),
            ("mp3", &["-c:a", "libmp3lame"]),
            ("ogg", &["-c:a", "libvorbis"]),
            ("m4a", &["-c:a", "aac"]),
            ("mkv", &["-c:a", "flac"]),
        ];
        families
            .iter()
            .map(|(ext, codec)| {
                let out = dir.path().join(format!("seed.{ext}"));
                let ok = std::process::Command::new("ffmpeg")
                    .args(["-loglevel", "error", "-y", "-f", "lavfi", "-i"])
                    .arg("sine=frequency=440:duration=0.1:sample_rate=44100")
                    .args(["-ac", "2"])
                    .args(*codec)
                    .arg(&out)
                    .status()
                    .expect("ffmpeg must be installed (apt install ffmpeg)");
                assert!(ok.success(), "ffmpeg {ext}");
                ((*ext).to_owned(), std::fs::read(&out).expect("seed"))
            })
            .collect()
    })
}

/// Opens, measures, reads (at most 30 s) and seeks a mutated file.
fn exercise_audio(path: PathBuf, seek: u64) {
    let Ok(mut r) = SourceReader::open_measured(&path, 44_100) else {
        return;
    };
    let _ = r.info().truncation(&path);
    let mut buf = vec![0f32; 4096];
    let mut left = 44_100u64 * 30;
    while left > 0 {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n as u64),
        }
    }
    if r.seek(seek % 8192).is_ok() {
        let _ = r.read(&mut buf);
    }
}

static AUDIO_RUNS: AtomicU64 = AtomicU64::new(0);

#[test]
fn fuzz_decoders() {
    let per_family = cases("AUXBUS_FUZZ_AUDIO", 150);
    let seeds = seed_audio();
    let dir = tempfile::tempdir().expect("tmp");
    let started = Instant::now();
    for (ext, seed) in seeds {
        let t = Instant::now();
        let mut runner = TestRunner::new(Config {
            cases: per_family,
            failure_persistence: None,
            ..Config::default()
        });
        // Edits land in the first 512 bytes (the headers) three times in four.
        let at = prop_oneof![3 => 0usize..512, 1 => any::<usize>()];
        let edits = proptest::collection::vec((at, any::<u8>(), any::<u8>()), 1..6);
        let file = dir.path().join(format!("case.{ext}"));
        runner
            .run(&(edits, any::<u64>()), |(edits, seek)| {
                std::fs::write(&file, mutated(seed, &edits)).expect("write case");
                AUDIO_RUNS.fetch_add(1, Ordering::Relaxed);
                let path = file.clone();
                within_deadline(ext, move || exercise_audio(path, seek))
            })
            .unwrap_or_else(|e| panic!("{ext}: {e}"));
        eprintln!(
            "fuzz: {per_family} mutated .{ext} files in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "fuzz: {} audio inputs in {:.1} s, no panic, hang or abort",
        AUDIO_RUNS.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}
