//! Sources users have, checked against an independent reference (ffmpeg,
//! sox) with files made at test time: gapless AAC (MP4 edit list), Opus,
//! 6-channel WAV folded down by the documented coefficients, RF64 and
//! Wave64 against their WAV twin, and an odd source rate against soxr.
//! A missing tool is a failure, not a skip.

use std::f64::consts::TAU;
use std::path::{Path, PathBuf};
use std::process::Command;

use auxbus::io::decode::SourceReader;

const RATE: u32 = 48_000;

fn run(tool: &str, args: &[&str]) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("required tool `{tool}` could not be run ({e}); run tools/setup-debian")
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

/// Decodes `path` at `rate` with auxbus: interleaved stereo (or mono).
fn decode(path: &Path, rate: u32) -> (usize, Vec<f32>) {
    let mut r = SourceReader::open(path, rate).unwrap_or_else(|e| panic!("{e}"));
    let ch = r.info().channels;
    let mut all = Vec::new();
    let mut buf = vec![0f32; 1000 * ch];
    loop {
        let n = r.read(&mut buf).unwrap_or_else(|e| panic!("{e}"));
        if n == 0 {
            break;
        }
        all.extend_from_slice(&buf[..n * ch]);
    }
    (ch, all)
}

/// Decodes `path` with ffmpeg to interleaved stereo f32 at 48 kHz (`extra`
/// filters before the output options).
fn ffmpeg_decode(dir: &Path, path: &Path, extra: &[&str]) -> Vec<f32> {
    let out = dir.join(format!(
        "{}.ref.raw",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    let mut args = vec!["-hide_banner", "-loglevel", "error", "-y", "-i", p(path)];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-ac", "2", "-f", "f32le", "-c:a", "pcm_f32le", p(&out)]);
    run("ffmpeg", &args);
    std::fs::read(&out)
        .expect("ffmpeg output")
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// A 2 s stereo master: 1 kHz left, 500 Hz right, −6 dBFS, 16-bit (sox).
fn master(dir: &Path, rate: u32) -> PathBuf {
    let out = dir.join(format!("master{rate}.wav"));
    let r = rate.to_string();
    run(
        "sox",
        &[
            "-n",
            "-r",
            &r,
            "-c",
            "2",
            "-b",
            "16",
            p(&out),
            "synth",
            "2",
            "sine",
            "1000",
            "sine",
            "500",
            "gain",
            "-6.0206",
        ],
    );
    out
}

fn side(x: &[f32], ch: usize, which: usize) -> Vec<f64> {
    x.iter()
        .skip(which)
        .step_by(ch)
        .map(|&v| f64::from(v))
        .collect()
}

/// Phase of the `hz` component of `x` (least squares fit over the middle).
fn phase(x: &[f64], hz: f64) -> f64 {
    let w = TAU * hz / f64::from(RATE);
    let (mut cc, mut ss, mut cs, mut xc, mut xs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let (c, s) = ((w * i as f64).cos(), (w * i as f64).sin());
        cc += c * c;
        ss += s * s;
        cs += c * s;
        xc += v * c;
        xs += v * s;
    }
    let det = cc * ss - cs * cs;
    let a = (xc * ss - xs * cs) / det;
    let b = (xs * cc - xc * cs) / det;
    b.atan2(a)
}

/// How many samples `x` lags `reference` at `hz` (fractional), over the
/// middle of both (edges skipped).
fn lag(x: &[f64], reference: &[f64], hz: f64) -> f64 {
    let n = x.len().min(reference.len());
    let (a, b) = (&x[4000..n - 4000], &reference[4000..n - 4000]);
    let mut d = phase(b, hz) - phase(a, hz);
    d = (d + std::f64::consts::PI).rem_euclid(TAU) - std::f64::consts::PI;
    d / (TAU * hz / f64::from(RATE))
}

/// Residual of `x` against `reference` over their common length, in dB
/// below the reference.
fn null_db(x: &[f64], reference: &[f64]) -> f64 {
    let n = x.len().min(reference.len());
    let (mut e, mut r) = (0.0, 0.0);
    for i in 0..n {
        e += (x[i] - reference[i]).powi(2);
        r += reference[i].powi(2);
    }
    10.0 * (e / r).log10()
}

#[test]
fn aac_in_mp4_honours_the_edit_list() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = master(dir.path(), RATE);
    let m4a = dir.path().join("x.m4a");
    run(
        "ffmpeg",
        &[
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            p(&src),
            "-c:a",
            "aac",
            "-b:a",
            "192k",
            p(&m4a),
        ],
    );
    let (_, original) = decode(&src, RATE);
    let (ch, ours) = decode(&m4a, RATE);
    let reference = ffmpeg_decode(dir.path(), &m4a, &[]);
    assert_eq!(ch, 2);
    assert_eq!(ours.len(), original.len(), "the edit list gives the length");
    assert!(reference.len() >= ours.len(), "ffmpeg pads, we do not");
    for (c, hz) in [(0, 1000.0), (1, 500.0)] {
        let (o, x) = (side(&original, 2, c), side(&ours, 2, c));
        let l = lag(&x, &o, hz);
        let vs_ffmpeg = null_db(&x, &side(&reference, 2, c));
        let vs_pcm = null_db(&x, &o);
        eprintln!(
            "AAC side {c}: lag {l:+.4} samples, null vs PCM {vs_pcm:.1} dB, vs ffmpeg {vs_ffmpeg:.1} dB"
        );
        // Against the PCM the codec's own phase error shows (a tenth of a
        // sample at most); against ffmpeg, which applies the same edit, the
        // decode nulls to float rounding.
        assert!(l.abs() < 0.25, "AAC side {c} is {l:.3} samples late");
        assert!(
            vs_pcm < -30.0,
            "AAC side {c} against the PCM: {vs_pcm:.1} dB"
        );
        assert!(
            vs_ffmpeg < -60.0,
            "AAC side {c} against ffmpeg: {vs_ffmpeg:.1} dB"
        );
    }
}

#[test]
fn opus_decodes_in_ogg_and_webm() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = master(dir.path(), RATE);
    let (_, original) = decode(&src, RATE);
    for name in ["x.opus", "x.webm"] {
        let f = dir.path().join(name);
        run(
            "ffmpeg",
            &[
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-i",
                p(&src),
                "-c:a",
                "libopus",
                "-b:a",
                "128k",
                p(&f),
            ],
        );
        let (ch, ours) = decode(&f, RATE);
        assert_eq!(ch, 2, "{name}");
        let reference = ffmpeg_decode(dir.path(), &f, &[]);
        // Ogg's granule positions are exact; Matroska's duration is in
        // milliseconds and its last block's padding is not read: within
        // one 20 ms Opus frame.
        let slack = if name.ends_with(".opus") { 0 } else { 960 * 2 };
        assert!(
            ours.len().abs_diff(original.len()) <= slack,
            "{name}: {} frames for {}",
            ours.len() / 2,
            original.len() / 2
        );
        for (c, hz) in [(0, 1000.0), (1, 500.0)] {
            let (o, x) = (side(&original, 2, c), side(&ours, 2, c));
            let l = lag(&x, &o, hz);
            let vs_pcm = null_db(&x, &o);
            let vs_ffmpeg = null_db(&x, &side(&reference, 2, c));
            eprintln!(
                "{name} side {c}: lag {l:+.4}, null vs PCM {vs_pcm:.1} dB, vs ffmpeg {vs_ffmpeg:.1} dB"
            );
            assert!(l.abs() < 0.25, "{name} side {c} is {l:.3} samples late");
            // A 128 kbit/s Opus of a pure tone: the codec's error is some
            // 30 dB down; the two decoders agree far better than that.
            assert!(
                vs_pcm < -25.0,
                "{name} side {c} against the PCM: {vs_pcm:.1} dB"
            );
            assert!(
                vs_ffmpeg < -40.0,
                "{name} side {c} against ffmpeg: {vs_ffmpeg:.1} dB"
            );
        }
    }
}

/// Six channels of distinct deterministic noise, as a float WAV (hound
/// writes WAVE_FORMAT_EXTENSIBLE with the 5.1 mask for six channels).
fn six_channels(path: &Path) -> Vec<[f32; 6]> {
    let spec = hound::WavSpec {
        channels: 6,
        sample_rate: RATE,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("wav");
    let mut seed = 7u32;
    let frames: Vec<[f32; 6]> = (0..RATE / 2)
        .map(|_| {
            std::array::from_fn(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
        })
        .collect();
    for f in &frames {
        for &v in f {
            w.write_sample(v).expect("write");
        }
    }
    w.finalize().expect("finalize");
    frames
}

#[test]
fn six_channels_fold_down_by_the_documented_coefficients() {
    let dir = tempfile::tempdir().expect("tmp");
    let wav = dir.path().join("six.wav");
    let frames = six_channels(&wav);
    let flac = dir.path().join("six.flac");
    run(
        "ffmpeg",
        &[
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            p(&wav),
            "-sample_fmt",
            "s32",
            p(&flac),
        ],
    );
    let a = std::f32::consts::FRAC_1_SQRT_2;
    // L = FL + 0.7071·C + 0.7071·Lb, R = FR + 0.7071·C + 0.7071·Rb; LFE out.
    let expected: Vec<f32> = frames
        .iter()
        .flat_map(|c| [c[0] + a * c[2] + a * c[4], c[1] + a * c[2] + a * c[5]])
        .collect();
    for (f, tolerance) in [(&wav, 1e-6), (&flac, 1e-5)] {
        let r = SourceReader::open(f, RATE).expect("opens");
        let layout = r.info().layout.clone().unwrap_or_default();
        assert!(
            layout.starts_with("5.1 (L R C LFE"),
            "{}: {layout}",
            f.display()
        );
        let (ch, got) = decode(f, RATE);
        assert_eq!(ch, 2);
        assert_eq!(got.len(), expected.len());
        let worst = got
            .iter()
            .zip(&expected)
            .map(|(g, e)| (g - e).abs())
            .fold(0.0, f32::max);
        assert!(worst < tolerance, "{}: off by {worst}", f.display());
    }
}

#[test]
fn rf64_and_wave64_are_bit_exact_against_their_wav_twin() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = master(dir.path(), RATE);
    let (_, twin) = decode(&src, RATE);
    let q = ["-hide_banner", "-loglevel", "error", "-y", "-i"];
    for (name, opts) in [
        ("x.rf64.wav", &["-rf64", "always"][..]),
        ("x.w64", &["-f", "w64"][..]),
    ] {
        let f = dir.path().join(name);
        run("ffmpeg", &[&q[..], &[p(&src)], opts, &[p(&f)]].concat());
        let (ch, got) = decode(&f, RATE);
        assert_eq!(ch, 2, "{name}");
        assert!(got == twin, "{name} differs from its WAV twin");
    }
}

#[test]
fn an_odd_rate_lines_up_with_soxr() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = master(dir.path(), 44_101);
    let (_, ours) = decode(&src, RATE);
    let reference = ffmpeg_decode(
        dir.path(),
        &src,
        &[
            "-af",
            "aresample=resampler=soxr:precision=28",
            "-ar",
            "48000",
        ],
    );
    assert_eq!(ours.len(), 2 * 96_000, "2 s at 48 kHz");
    for (c, hz) in [(0, 1000.0), (1, 500.0)] {
        let (x, r) = (side(&ours, 2, c), side(&reference, 2, c));
        let l = lag(&x, &r, hz);
        let n = null_db(&x[4000..x.len() - 4000], &r[4000..x.len() - 4000]);
        eprintln!("44101 Hz side {c}: lag {l:+.4} samples, null vs soxr {n:.1} dB");
        assert!(l.abs() < 0.02, "side {c} is {l:.3} samples off soxr");
        assert!(n < -60.0, "side {c}: only {n:.1} dB against soxr");
    }
}

#[test]
fn check_shows_the_channel_layout_of_a_surround_source() {
    let dir = tempfile::tempdir().expect("tmp");
    six_channels(&dir.path().join("six.wav"));
    let session = dir.path().join("s.json");
    std::fs::write(
        &session,
        r#"{"format": "auxbus-session", "version": 1, "channels": [
            {"id": "surround", "kind": "track", "source": "six.wav"},
            {"id": "master", "kind": "master"}]}"#,
    )
    .expect("session");
    let out = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(["check", p(&session)])
        .output()
        .expect("run auxbus");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("5.1 (L R C LFE Lb Rb), downmixed to stereo"),
        "{text}"
    );
}
