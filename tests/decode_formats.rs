//! Decodes real files of every supported format, generated at test time with command-line
//! encoders (sox, flac, lame, oggenc, ffmpeg) so no audio is committed. A missing tool is a
//! test failure, not a skip: the formats must actually be exercised.
//!
//! Every file holds a 1 kHz sine at -6 dBFS in the left (or only) channel and a 500 Hz sine
//! in the right channel, so channel order is checked along with pitch, level and length.

use std::path::{Path, PathBuf};
use std::process::Command;

use auxbus::io::decode::{SourceError, SourceReader};

const SECONDS: f64 = 2.0;
const AMP: f64 = 0.5;
const LEFT_HZ: f64 = 1000.0;
const RIGHT_HZ: f64 = 500.0;

/// Runs a tool, failing the test with a clear message if it is missing or fails.
fn run(tool: &str, args: &[&str]) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("required tool `{tool}` could not be run ({e}); install it (apt: sox libsox-fmt-all flac lame vorbis-tools ffmpeg)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// Generates the test sine with sox. `encoding` is e.g. `["-e", "floating-point", "-b", "32"]`.
fn sox_sine(dir: &Path, name: &str, rate: u32, channels: u32, encoding: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let rate = rate.to_string();
    let ch = channels.to_string();
    let secs = SECONDS.to_string();
    let mut args = vec!["-n", "-r", &rate, "-c", &ch];
    args.extend_from_slice(encoding);
    args.extend_from_slice(&[p(&out), "synth", &secs, "sine", "1000"]);
    if channels == 2 {
        args.extend_from_slice(&["sine", "500"]);
    }
    // -6.02 dB = amplitude 0.5; sox synth produces full scale.
    args.extend_from_slice(&["gain", "-6.0206"]);
    run("sox", &args);
    out
}

/// Encodes a 48 kHz 16-bit master with the tool that owns the format, chosen by `name`'s
/// extension; for ffmpeg containers the stem names the codec ("alac.m4a", "pcm.caf").
fn encode(dir: &Path, channels: u32, name: &str) -> PathBuf {
    let src = sox_sine(
        dir,
        &format!("master{channels}.wav"),
        48_000,
        channels,
        &["-b", "16"],
    );
    let out = dir.join(format!("{channels}ch_{name}"));
    let (i, o) = (p(&src), p(&out));
    let (stem, ext) = name.rsplit_once('.').expect("name has an extension");
    match ext {
        "flac" => run("flac", &["-s", "-f", "-o", o, i]),
        "mp3" => run("lame", &["--quiet", "-b", "192", i, o]),
        "ogg" => run("oggenc", &["-Q", "-q", "6", "-o", o, i]),
        _ => {
            let codec = if stem == "pcm" { "pcm_s16be" } else { stem };
            let q = ["-hide_banner", "-loglevel", "error", "-y"];
            run(
                "ffmpeg",
                &[&q[..], &["-i", i, "-c:a", codec, "-b:a", "192k", o]].concat(),
            );
        }
    }
    out
}

fn read_all(path: &Path, target_rate: u32, block_frames: usize) -> (SourceReader, Vec<f32>) {
    let mut r = SourceReader::open(path, target_rate)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let ch = r.info().channels;
    let mut buf = vec![0.0f32; block_frames * ch];
    let mut all = Vec::new();
    loop {
        let n = r.read(&mut buf).unwrap_or_else(|e| panic!("read: {e}"));
        if n == 0 {
            break;
        }
        all.extend_from_slice(&buf[..n * ch]);
    }
    (r, all)
}

/// Frequency of one channel from rising zero crossings over the steady middle part.
fn frequency(samples: &[f32], ch: usize, which: usize, rate: u32) -> f64 {
    let x: Vec<f32> = samples.iter().skip(which).step_by(ch).copied().collect();
    let (a, b) = (x.len() / 5, x.len() * 4 / 5);
    let crossings: Vec<usize> = (a + 1..b)
        .filter(|&i| x[i - 1] < 0.0 && x[i] >= 0.0)
        .collect();
    assert!(
        crossings.len() > 10,
        "no sine found (only {} crossings)",
        crossings.len()
    );
    let (first, last) = (crossings[0], crossings[crossings.len() - 1]);
    (crossings.len() - 1) as f64 * f64::from(rate) / (last - first) as f64
}

fn rms(samples: &[f32], ch: usize, which: usize) -> f64 {
    let x: Vec<f64> = samples
        .iter()
        .skip(which)
        .step_by(ch)
        .map(|&s| f64::from(s))
        .collect();
    let mid = &x[x.len() / 5..x.len() * 4 / 5];
    (mid.iter().map(|s| s * s).sum::<f64>() / mid.len() as f64).sqrt()
}

/// Phase of channel 0 against a 1 kHz sine starting at phase 0, as a delay in samples
/// (modulo one period). Zero means sample 0 of the file is sample 0 of the output.
fn delay_samples(samples: &[f32], ch: usize, rate: u32) -> f64 {
    let w = 2.0 * std::f64::consts::PI * LEFT_HZ / f64::from(rate);
    let x: Vec<f64> = samples.iter().step_by(ch).map(|&s| f64::from(s)).collect();
    let (mut s_corr, mut c_corr) = (0.0, 0.0);
    for (n, v) in x.iter().enumerate().take(x.len() * 4 / 5).skip(x.len() / 5) {
        s_corr += v * (w * n as f64).sin();
        c_corr += v * (w * n as f64).cos();
    }
    -c_corr.atan2(s_corr) / w
}

/// What a decoded file must look like.
struct Expect {
    /// Allowed difference between frames read and the nominal length.
    len_tol: u64,
    /// Allowed difference between `info().frames` and frames read.
    info_tol: u64,
    /// Relative RMS level tolerance.
    level_tol: f64,
    /// Check that the output is not shifted (false for codecs with untrimmed priming).
    aligned: bool,
}

/// Lossless: exact length, exact start, level within 1%.
const LOSSLESS: Expect = Expect {
    len_tol: 0,
    info_tol: 0,
    level_tol: 0.01,
    aligned: true,
};

/// Checks channel count, length, alignment, pitch and level of a decoded file.
fn check(path: &Path, channels: usize, target: u32, exp: &Expect) -> Vec<f32> {
    let (r, all) = read_all(path, target, 4096);
    let info = r.info().clone();
    let name = path.display();
    assert_eq!(info.channels, channels, "{name}: channels ({info:?})");
    assert_eq!(info.target_rate, target);
    let frames = (all.len() / channels) as u64;
    let expected = (SECONDS * f64::from(target)).round() as u64;
    assert!(
        frames.abs_diff(expected) <= exp.len_tol,
        "{name}: {frames} frames, expected {expected} ± {} ({info:?})",
        exp.len_tol
    );
    if let Some(n) = info.frames {
        assert!(
            n.abs_diff(frames) <= exp.info_tol,
            "{name}: info says {n} frames, read {frames}"
        );
    }
    if exp.aligned {
        let d = delay_samples(&all, channels, target);
        assert!(d.abs() < 0.05, "{name}: output shifted by {d:.3} samples");
    }
    for (c, want_hz) in [LEFT_HZ, RIGHT_HZ].into_iter().enumerate().take(channels) {
        let f = frequency(&all, channels, c, target);
        assert!(
            (f - want_hz).abs() < want_hz * 0.002,
            "{name}: ch{c} at {f:.2} Hz, want {want_hz}"
        );
        let level = rms(&all, channels, c);
        let want_rms = AMP / 2f64.sqrt();
        assert!(
            (level - want_rms).abs() < want_rms * exp.level_tol,
            "{name}: ch{c} rms {level:.4}, want {want_rms:.4}"
        );
    }
    all
}

/// Lossy codecs with exact gapless info: as lossless, level within 5%.
const LOSSY: Expect = Expect {
    level_tol: 0.05,
    ..LOSSLESS
};

/// Encodes mono and stereo versions of the sine as `name` and checks both.
fn check_format(name: &str, exp: &Expect) {
    let dir = tempfile::tempdir().unwrap();
    for ch in [1, 2] {
        check(&encode(dir.path(), ch, name), ch as usize, 48_000, exp);
    }
}

#[test]
fn wav_pcm_and_float_all_depths() {
    let dir = tempfile::tempdir().unwrap();
    let encodings: [(&str, &[&str]); 6] = [
        ("u8", &["-e", "unsigned-integer", "-b", "8"]),
        ("i16", &["-e", "signed-integer", "-b", "16"]),
        ("i24", &["-e", "signed-integer", "-b", "24"]),
        ("i32", &["-e", "signed-integer", "-b", "32"]),
        ("f32", &["-e", "floating-point", "-b", "32"]),
        ("f64", &["-e", "floating-point", "-b", "64"]),
    ];
    for ch in [1, 2] {
        for (name, enc) in encodings {
            let f = sox_sine(dir.path(), &format!("{name}_{ch}.wav"), 48_000, ch, enc);
            let level_tol = if name == "u8" { 0.03 } else { 0.01 };
            let exp = Expect {
                level_tol,
                ..LOSSLESS
            };
            check(&f, ch as usize, 48_000, &exp);
        }
    }
    let (r, _) = read_all(&dir.path().join("f32_2.wav"), 48_000, 1024);
    assert_eq!(r.info().format, "WAV float32");
}

#[test]
fn aiff() {
    let dir = tempfile::tempdir().unwrap();
    for ch in [1, 2] {
        let f = sox_sine(dir.path(), &format!("{ch}.aiff"), 48_000, ch, &["-b", "24"]);
        check(&f, ch as usize, 48_000, &LOSSLESS);
    }
}

#[test]
fn flac() {
    check_format("x.flac", &LOSSLESS);
}

#[test]
fn mp3() {
    // The LAME header carries encoder delay/padding, so the length is exact.
    check_format("x.mp3", &LOSSY);
}

#[test]
fn ogg_vorbis() {
    // Ogg granule positions make Vorbis sample exact.
    check_format("x.ogg", &LOSSY);
}

#[test]
fn aac_m4a() {
    // The MP4 edit list drops the encoder's 1024 priming frames and its end padding.
    check_format("aac.m4a", &LOSSY);
}

#[test]
fn alac_m4a() {
    check_format("alac.m4a", &LOSSLESS);
}

#[test]
fn caf() {
    check_format("pcm.caf", &LOSSLESS);
    // ALAC in CAF: the audio is exact, but symphonia reports the length rounded up to
    // whole 4096-frame packets (it ignores the packet table's valid-frame count).
    check_format(
        "alac.caf",
        &Expect {
            info_tol: 4096,
            ..LOSSLESS
        },
    );
}

#[test]
fn mkv() {
    check_format("flac.mkv", &LOSSLESS);
}

#[test]
fn resamples_44k1_to_48k_with_right_pitch_and_length() {
    let dir = tempfile::tempdir().unwrap();
    for ch in [1, 2] {
        let wav = sox_sine(dir.path(), &format!("r{ch}.wav"), 44_100, ch, &["-b", "16"]);
        // Exact length (ceil(88200 * 48000 / 44100)), no shift: delay trimmed, tail flushed.
        let all = check(&wav, ch as usize, 48_000, &LOSSLESS);
        // The first samples are the rising sine, not the resampler's startup silence.
        let first_peak = all
            .iter()
            .step_by(ch as usize)
            .take(20)
            .fold(0.0f32, |m, s| m.max(*s));
        assert!(
            first_peak > 0.45,
            "start of resampled output is silent or late: {first_peak}"
        );
        // ...and the tail is not lost: the last 10 ms still carry the sine.
        let tail = &all[all.len() - 480 * ch as usize..];
        assert!(
            tail.iter().fold(0.0f32, |m, s| m.max(s.abs())) > 0.45,
            "tail lost"
        );
        // Lossy input through the same path.
        let mp3 = dir.path().join(format!("r{ch}.mp3"));
        run("lame", &["--quiet", "-b", "192", p(&wav), p(&mp3)]);
        check(&mp3, ch as usize, 48_000, &LOSSY);
        // Downsampling, and an irregular rate that needs the sinc resampler (alignment there
        // is within half a sample, so only pitch, level and length are checked).
        let down = sox_sine(dir.path(), &format!("d{ch}.wav"), 96_000, ch, &["-b", "24"]);
        check(&down, ch as usize, 48_000, &LOSSLESS);
        let odd = sox_sine(dir.path(), &format!("o{ch}.wav"), 44_101, ch, &["-b", "16"]);
        check(
            &odd,
            ch as usize,
            48_000,
            &Expect {
                aligned: false,
                ..LOSSLESS
            },
        );
    }
}

#[test]
fn small_and_odd_block_sizes_give_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let wav = sox_sine(dir.path(), "a.wav", 44_100, 2, &["-b", "24"]);
    let flac = encode(dir.path(), 2, "b.flac");
    for (path, rate) in [
        (&wav, 44_100),
        (&wav, 48_000),
        (&flac, 48_000),
        (&flac, 96_000),
    ] {
        let (_, big) = read_all(path, rate, 65_536);
        let (_, small) = read_all(path, rate, 17);
        assert_eq!(big, small, "{} at {rate}", path.display());
    }
}

fn read_rest(r: &mut SourceReader) -> Vec<f32> {
    let ch = r.info().channels;
    let mut buf = vec![0.0f32; 1000 * ch];
    let mut all = Vec::new();
    loop {
        let n = r.read(&mut buf).unwrap();
        if n == 0 {
            return all;
        }
        all.extend_from_slice(&buf[..n * ch]);
    }
}

#[test]
fn seek_matches_continuous_read() {
    let dir = tempfile::tempdir().unwrap();
    let float = ["-e", "floating-point", "-b", "32"];
    let wav = sox_sine(dir.path(), "s.wav", 48_000, 2, &float);
    let [flac, mp3, ogg, m4a, mkv] =
        ["s.flac", "s.mp3", "s.ogg", "aac.m4a", "flac.mkv"].map(|n| encode(dir.path(), 2, n));
    let odd = sox_sine(dir.path(), "odd.wav", 44_101, 2, &["-b", "16"]);
    // (file, target rate, max allowed sample difference). WAV must be bit exact; the
    // decoders pre-roll before the target so lossy codecs match continuous decoding too.
    // symphonia's AAC decoder does not restore every bit of state on reset (its noise
    // substitution differs slightly), hence a small tolerance there.
    let cases = [
        (&wav, 48_000, 0.0),
        (&flac, 48_000, 0.0),
        (&mp3, 48_000, 0.0),
        (&ogg, 48_000, 0.0),
        (&m4a, 48_000, 0.02),
        (&mkv, 48_000, 0.0),
        (&wav, 44_100, 1e-5),
        (&odd, 48_000, 1e-3),
    ];
    for (path, rate, tol) in cases {
        let (_, all) = read_all(path, rate, 4096);
        for n in [0u64, 1, 12_345, 50_000] {
            let mut r = SourceReader::open(path, rate).unwrap();
            r.seek(n).unwrap();
            let rest = read_rest(&mut r);
            let expect = &all[n as usize * 2..];
            assert_eq!(
                rest.len(),
                expect.len(),
                "{} seek {n}: length",
                path.display()
            );
            let worst = rest
                .iter()
                .zip(expect)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(
                worst <= tol,
                "{} at {rate}: seek {n} differs by {worst}",
                path.display()
            );
        }
        // Seeking back after reading, and past the end.
        let mut r = SourceReader::open(path, rate).unwrap();
        read_rest(&mut r);
        r.seek(0).unwrap();
        assert_eq!(read_rest(&mut r).len(), all.len());
        r.seek(10_000_000).unwrap();
        let mut buf = [0.0f32; 64];
        assert_eq!(
            r.read(&mut buf).unwrap(),
            0,
            "past the end is end of stream"
        );
    }
}

fn assert_err_names_file(path: &Path, what: &str) -> SourceError {
    let err = match SourceReader::open(path, 48_000) {
        Ok(_) => panic!("{what}: opening {} should fail", path.display()),
        Err(e) => e,
    };
    let msg = err.to_string();
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(
        msg.contains(name),
        "{what}: message {msg:?} does not name {name}"
    );
    assert!(
        !msg.contains('\n'),
        "{what}: message is not one line: {msg:?}"
    );
    err
}

#[test]
fn corrupt_inputs_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();

    // Deterministic pseudo-random bytes.
    let mut x = 0x1234_5678u32;
    let noise: Vec<u8> = (0..50_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let random = dir.path().join("random.mp3");
    std::fs::write(&random, &noise).unwrap();
    let e = assert_err_names_file(&random, "random bytes");
    assert!(e.to_string().contains("not a recognised audio file"), "{e}");

    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    let e = assert_err_names_file(&empty, "empty file");
    assert!(matches!(e, SourceError::Empty { .. }), "{e}");

    let full = sox_sine(dir.path(), "full.wav", 48_000, 2, &["-b", "16"]);
    let bytes = std::fs::read(&full).unwrap();
    let cut = dir.path().join("cut.wav");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    // Issue #13: a truncated file plays what it holds and says what is missing.
    let r = SourceReader::open(&cut, 48_000).expect("a truncated wav plays");
    let (held, declared) = (r.info().frames.unwrap_or(0), r.info().declared_frames);
    assert!(
        declared.is_some_and(|d| d > 2 * held),
        "{held} {declared:?}"
    );

    let header_only = dir.path().join("header_only.wav");
    std::fs::write(&header_only, &bytes[..44]).unwrap();
    assert_err_names_file(&header_only, "wav header without data");

    let missing = dir.path().join("does_not_exist.flac");
    let e = assert_err_names_file(&missing, "missing file");
    assert!(matches!(e, SourceError::NotFound { .. }), "{e}");
    assert!(e.to_string().ends_with("file not found"), "{e}");

    let flac = encode(dir.path(), 2, "whole.flac");
    let bytes = std::fs::read(&flac).unwrap();
    let flac_cut = dir.path().join("header_cut.flac");
    std::fs::write(&flac_cut, &bytes[..30]).unwrap();
    assert_err_names_file(&flac_cut, "flac cut inside its header");
}

#[test]
fn more_than_eight_channels_is_rejected() {
    // Up to 8 channels (7.1) are folded down to stereo (tests/decode_sources.rs).
    let dir = tempfile::tempdir().unwrap();
    let wav = sox_sine(dir.path(), "ten.wav", 48_000, 10, &["-b", "16"]);
    let e = assert_err_names_file(&wav, "10 channels");
    assert!(
        e.to_string()
            .contains("has 10 channels; auxbus plays mono and stereo sources"),
        "{e}"
    );
}
