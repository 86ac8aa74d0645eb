//! Issue #13: sources whose header promises more than the file holds — cut
//! short (a copy that stopped) or with a damaged header (bit flips) — play
//! what is there, the same way in every format, with one warning naming the
//! file and how much is missing; `check` and `render` end in seconds, never
//! rendering silence for the missing part. Files are made at test time
//! (ffmpeg, installed by tools/setup-debian).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// 10 s of 440 Hz mono at 44.1 kHz in `name` (the extension picks the format).
fn encode(dir: &Path, name: &str, codec: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let ok = Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-f", "lavfi", "-i"])
        .arg("sine=frequency=440:duration=10:sample_rate=44100")
        .args(["-ac", "1"])
        .args(codec)
        .arg(&out)
        .status()
        .expect("ffmpeg must be installed (apt install ffmpeg)");
    assert!(ok.success(), "ffmpeg {name}");
    out
}

fn cut(from: &Path, percent: usize) -> PathBuf {
    let bytes = std::fs::read(from).expect("read");
    let name = format!(
        "cut{percent}_{}",
        from.file_name().expect("name").to_string_lossy()
    );
    let to = from.with_file_name(name);
    std::fs::write(&to, &bytes[..bytes.len() * percent / 100]).expect("write");
    to
}

fn session_of(source: &Path) -> PathBuf {
    let p = source.with_extension("json");
    let v = serde_json::json!({"format": "auxbus-session", "version": 1, "channels": [
        {"id": "t", "kind": "track", "source": source.to_str().expect("utf8")},
        {"id": "master", "kind": "master"}]});
    std::fs::write(&p, v.to_string()).expect("write");
    p
}

/// `auxbus check SESSION`: (exit code, stdout, stderr).
fn check(session: &Path) -> (i32, String, String) {
    common::run_auxbus(&["check", session.to_str().expect("utf8")])
}

/// Renders `source` alone; returns (seconds rendered, stderr).
fn render(source: &Path) -> (f64, String) {
    let session = session_of(source);
    let out = source.with_extension("out.wav");
    let t = Instant::now();
    let (code, _, err) = common::run_auxbus(&[
        "render",
        session.to_str().expect("utf8"),
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 0, "{}: {err}", source.display());
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "{}",
        source.display()
    );
    let r = hound::WavReader::open(&out).expect("output");
    (
        f64::from(r.duration()) / f64::from(r.spec().sample_rate),
        err,
    )
}

fn warnings(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.contains("truncated")).collect()
}

#[test]
fn every_format_cut_short_plays_what_is_there_with_one_warning() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let files = [
        encode(d, "pcm.wav", &[]),
        encode(d, "adpcm.wav", &["-c:a", "adpcm_ima_wav"]),
        encode(d, "s.aiff", &[]),
        encode(d, "s.caf", &[]),
        encode(d, "s.flac", &[]),
        encode(d, "s.mp3", &["-c:a", "libmp3lame", "-b:a", "128k"]),
    ];
    for full in &files {
        for percent in [10, 90] {
            let cut = cut(full, percent);
            let (seconds, err) = render(&cut);
            let w = warnings(&err);
            assert_eq!(w.len(), 1, "{}: {err}", cut.display());
            assert!(w[0].contains(cut.to_str().expect("utf8")), "{err}");
            assert!(w[0].contains("s missing"), "{err}");
            // What is there, not the header's 10 s (a few packets of slack:
            // compressed formats lose the packet the cut went through).
            let held = percent as f64 / 10.0;
            assert!(
                seconds > held - 1.3 && seconds < held + 0.3,
                "{}: rendered {seconds} s",
                cut.display()
            );
            eprintln!("{}: {seconds:.2} s, {}", cut.display(), w[0]);
        }
        // The whole file: no warning, the full length.
        let (seconds, err) = render(full);
        assert!(warnings(&err).is_empty(), "{err}");
        assert!(
            (seconds - 10.0).abs() < 0.1,
            "{}: {seconds}",
            full.display()
        );
    }
}

#[test]
fn an_mp4_cut_before_its_index_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let m4a = encode(dir.path(), "s.m4a", &["-c:a", "aac"]);
    let cut = cut(&m4a, 90);
    let session = session_of(&cut);
    let (code, _, err) = check(&session);
    assert_ne!(code, 0);
    assert!(err.contains("index (moov)"), "{err}");
    assert!(!err.contains("random bytes"), "{err}");
}

/// Bit flips in the length fields of an MP3's Info header and a CAF's data
/// chunk: the header claims days of audio for 2 s of it.
#[test]
fn a_damaged_length_in_a_header_is_corrected_to_what_the_file_holds() {
    let dir = tempfile::tempdir().expect("tmp");
    let mp3 = encode(dir.path(), "s.mp3", &["-t", "2", "-c:a", "libmp3lame"]);
    let mut b = std::fs::read(&mp3).expect("read");
    let at = b
        .windows(4)
        .position(|w| w == b"Info" || w == b"Xing")
        .expect("lame writes an Info header");
    b[at + 8] |= 0x10; // the frame count's top byte
    std::fs::write(&mp3, &b).expect("write");
    let caf = encode(dir.path(), "s.caf", &["-t", "2"]);
    let mut b = std::fs::read(&caf).expect("read");
    let at = b.windows(4).position(|w| w == b"data").expect("data chunk");
    b[at + 5] |= 0x40; // the data size's second byte
    std::fs::write(&caf, &b).expect("write");
    for f in [&mp3, &caf] {
        let session = session_of(f);
        let t = Instant::now();
        let (code, out, err) = check(&session);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("mono, 2.0 s"),
            "check reports what is there: {out}"
        );
        assert_eq!(warnings(&err).len(), 1, "{err}");
        assert!(t.elapsed() < Duration::from_secs(10));
        let (seconds, _) = render(f);
        assert!((seconds - 2.0).abs() < 0.1, "{}: {seconds} s", f.display());
    }
}

/// A bit flip in a CAF's frames-per-packet field (desc chunk): every
/// 2-byte packet then claims 4.7 million frames, so a length read from the
/// packets themselves is days long too. Each packet counts for no more
/// than its bytes can hold.
#[test]
fn packets_that_claim_more_frames_than_their_bytes_hold_count_what_they_hold() {
    let dir = tempfile::tempdir().expect("tmp");
    let caf = encode(dir.path(), "p.caf", &["-t", "2"]);
    let mut b = std::fs::read(&caf).expect("read");
    let at = b.windows(4).position(|w| w == b"desc").expect("desc chunk");
    // "desc", size (8), rate (8), format id (4), flags (4), bytes per
    // packet (4), then frames per packet: 1 becomes 0x00480001.
    let frames_per_packet = at + 4 + 8 + 8 + 4 + 4 + 4;
    assert_eq!(b[frames_per_packet..frames_per_packet + 4], [0, 0, 0, 1]);
    b[frames_per_packet + 1] = 0x48;
    std::fs::write(&caf, &b).expect("write");
    let session = session_of(&caf);
    let t = Instant::now();
    let (code, out, err) = check(&session);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("mono, 2.0 s"),
        "check reports what is there: {out}"
    );
    assert!(t.elapsed() < Duration::from_secs(10));
    let (seconds, err) = render(&caf);
    assert!((seconds - 2.0).abs() < 0.1, "{seconds} s: {err}");
}
