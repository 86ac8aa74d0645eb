//! Output that is never wrong: WAV past 4 GiB becomes RF64 instead of
//! wrapping its header (tested with an injected size limit, read back by
//! ffmpeg); Ctrl-C / SIGTERM leave no partial file; `-o` onto a device, a
//! FIFO or a symlink does not replace the node; endless effect tails are cut.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use auxbus::io::write::{AudioFile, OutputSpec, SampleFormat};
use common::*;
use serde_json::json;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn auxbus(args: &[&str]) -> (i32, String) {
    let (code, _, err) = run_auxbus(args);
    (code, err)
}

#[test]
fn past_the_riff_limit_a_wav_is_rf64_and_ffmpeg_reads_every_sample() {
    let f = Fixture::new();
    let path = f.path("big.wav");
    let spec = OutputSpec::for_path(&path, Some(SampleFormat::F32)).expect("spec");
    let mut w = AudioFile::create(&path, spec, 48_000, 2).expect("create");
    // Pretend 4 GiB is 100 kB: the same decision, on a small file.
    w.set_riff_limit(100_000);
    let frames = 48_000usize;
    let samples: Vec<f32> = (0..frames * 2)
        .map(|i| ((i % 977) as f32 / 977.0) - 0.5)
        .collect();
    w.write(&samples).expect("write");
    w.finish().expect("finish");
    let bytes = std::fs::read(&path).expect("read");
    assert_eq!(&bytes[0..4], b"RF64");
    assert_eq!(&bytes[12..16], b"ds64");
    let data = u64::from_le_bytes(bytes[28..36].try_into().expect("8 bytes"));
    assert_eq!(data, (frames * 2 * 4) as u64, "64-bit data size");
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i", s(&path), "-f", "f32le", "-"])
        .output()
        .expect("ffmpeg must be installed (tools/setup-debian)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back: Vec<f32> = out
        .stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    assert_eq!(back.len(), samples.len(), "ffmpeg sees the whole length");
    assert!(back == samples);
    // Below the limit the same writer makes a plain RIFF file.
    let small = f.path("small.wav");
    let mut w = AudioFile::create(&small, spec, 48_000, 2).expect("create");
    w.write(&samples[..2000]).expect("write");
    w.finish().expect("finish");
    assert_eq!(&std::fs::read(&small).expect("read")[0..4], b"RIFF");
}

/// A session that renders for a long time: a track through a reverb for an hour.
fn long_session(f: &Fixture) -> std::path::PathBuf {
    f.sine("tone.wav", 440.0, 0.3, 1, 48_000, 1.0);
    let sess = session(
        vec![json!({"id": "t", "kind": "track", "source": "tone.wav",
                    "inserts": [{"type": "reverb"}, {"type": "delay"}]})],
        vec![],
    );
    f.session("long.json", &sess)
}

fn interrupt_leaves_nothing(signal: &str, code: i32) {
    let f = Fixture::new();
    let sess = long_session(&f);
    let out = f.path("out.wav");
    let mut child = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(["render", s(&sess), "-o", s(&out), "--duration", "36000"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until the partial file exists and is growing.
    let since = Instant::now();
    let partial = loop {
        let found = std::fs::read_dir(f.dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .find(|e| e.file_name().to_string_lossy().contains("partial"));
        if let Some(e) = found
            && e.metadata().map(|m| m.len()).unwrap_or(0) > 100_000
        {
            break e.path();
        }
        assert!(
            since.elapsed() < Duration::from_secs(30),
            "render never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let kill = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(code), "exit 128 + signal");
    assert!(!partial.exists(), "{} removed", partial.display());
    assert!(!out.exists(), "no output");
}

#[test]
fn sigterm_removes_the_partial_file() {
    interrupt_leaves_nothing("-TERM", 143);
}

#[test]
fn sigint_removes_the_partial_file() {
    interrupt_leaves_nothing("-INT", 130);
}

fn short_session(f: &Fixture) -> std::path::PathBuf {
    f.sine("tone.wav", 440.0, 0.3, 1, 48_000, 0.5);
    f.session(
        "s.json",
        &session(
            vec![json!({"id": "t", "kind": "track", "source": "tone.wav"})],
            vec![],
        ),
    )
}

#[test]
fn a_character_device_is_written_through_not_replaced() {
    let f = Fixture::new();
    let sess = short_session(&f);
    // A copy of /dev/full (needs root, as CI and this project's machines run).
    let full = f.path("full");
    let made = Command::new("mknod")
        .args([s(&full), "c", "1", "7"])
        .status()
        .expect("mknod");
    assert!(made.success(), "mknod needs root");
    let (code, err) = auxbus(&["render", s(&sess), "-o", s(&full)]);
    assert_eq!(code, 1, "writing to a full device fails: {err}");
    assert!(err.contains("No space left"), "{err}");
    let t = std::fs::symlink_metadata(&full)
        .expect("still there")
        .file_type();
    assert!(t.is_char_device(), "the device node is still a device");
    // /dev/null takes the render and stays /dev/null.
    let (code, err) = auxbus(&["render", s(&sess), "-o", "/dev/null"]);
    assert_eq!(code, 0, "{err}");
    let t = std::fs::metadata("/dev/null").expect("null").file_type();
    assert!(t.is_char_device());
}

#[test]
fn a_fifo_is_refused_at_once_and_stays_a_fifo() {
    let f = Fixture::new();
    let sess = short_session(&f);
    let fifo = f.path("pipe.wav");
    assert!(
        Command::new("mkfifo")
            .arg(s(&fifo))
            .status()
            .expect("mkfifo")
            .success()
    );
    let (code, err) = auxbus(&["render", s(&sess), "-o", s(&fifo)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("named pipe"), "{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_symlink_is_written_through() {
    let f = Fixture::new();
    let sess = short_session(&f);
    let real = f.path("real.wav");
    std::fs::write(&real, b"old").expect("old file");
    let link = f.path("link.wav");
    std::os::unix::fs::symlink("real.wav", &link).expect("symlink");
    let (code, err) = auxbus(&["render", s(&sess), "-o", s(&link)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    let bytes = std::fs::read(&real).expect("real");
    assert_eq!(
        &bytes[0..4],
        b"RIFF",
        "the render went to the link's target"
    );
    // A dangling link gets its target created.
    let dangling = f.path("dangling.wav");
    std::os::unix::fs::symlink("made.wav", &dangling).expect("symlink");
    let (code, err) = auxbus(&["render", s(&sess), "-o", s(&dangling)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&dangling)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(f.path("made.wav").is_file());
}

#[test]
fn an_endless_effect_tail_is_cut_with_a_note() {
    let f = Fixture::new();
    f.sine("tone.wav", 440.0, 0.3, 1, 48_000, 0.5);
    let delays: Vec<_> = (0..20)
        .map(|_| json!({"type": "delay", "time_ms": 4000.0, "feedback": 0.95, "mix": 0.5}))
        .collect();
    let sess = f.session(
        "endless.json",
        &session(
            vec![json!({"id": "t", "kind": "track", "source": "tone.wav", "inserts": delays})],
            vec![],
        ),
    );
    let out = f.path("out.wav");
    let (code, err) = auxbus(&["render", s(&sess), "-o", s(&out), "--format", "s16"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("tail was cut at 60 s"), "{err}");
    let len = std::fs::metadata(&out).expect("out").len();
    let seconds = (len - 80) as f64 / (48_000.0 * 4.0);
    assert!(
        (60.4..=60.6).contains(&seconds),
        "0.5 s of source + 60 s of tail: {seconds}"
    );
}
