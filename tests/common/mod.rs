//! Helpers shared by the integration tests: test signals on disk, sessions
//! in a temporary folder, and analytic measurements of the result.
#![allow(dead_code)]

pub mod pulse;
pub mod sabotage;

use std::f64::consts::TAU;
use std::path::{Path, PathBuf};

use auxbus::render::{self, RenderOptions, RenderReport};
use serde_json::{Value, json};

/// A temporary folder holding a session and its sources.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a float WAV sine: `channels` identical channels of `amp × sin(2π f t)`.
    pub fn sine(
        &self,
        name: &str,
        freq: f64,
        amp: f32,
        channels: u16,
        rate: u32,
        seconds: f64,
    ) -> PathBuf {
        let path = self.path(name);
        write_sine(&path, freq, amp, channels, rate, seconds);
        path
    }

    /// Writes `session` (a JSON value) as `name` and returns its path.
    pub fn session(&self, name: &str, session: &Value) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, serde_json::to_string_pretty(session).expect("json"))
            .expect("write session");
        path
    }

    /// Renders the session value and returns interleaved stereo plus the report.
    pub fn render(&self, session: &Value) -> (Vec<f32>, RenderReport) {
        let path = self.session("session.json", session);
        render::render_to_vec(&path, &RenderOptions::default())
            .unwrap_or_else(|e| panic!("render failed: {e}"))
    }
}

pub fn write_sine(path: &Path, freq: f64, amp: f32, channels: u16, rate: u32, seconds: f64) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create wav");
    let frames = (seconds * f64::from(rate)) as usize;
    for i in 0..frames {
        let x = amp * (TAU * freq * i as f64 / f64::from(rate)).sin() as f32;
        for _ in 0..channels {
            w.write_sample(x).expect("write");
        }
    }
    w.finalize().expect("finalize");
}

/// Writes `frames` stereo frames of `sample(frame, side)` as a float WAV
/// named `file` in `dir`, and returns a session whose one track "t" plays
/// it (straight into the master), with the session's path beside it.
pub fn one_track_session(
    dir: &Path,
    file: &str,
    rate: u32,
    frames: usize,
    sample: impl Fn(usize, usize) -> f32,
) -> (auxbus::session::Session, PathBuf) {
    use auxbus::session::{Channel, ChannelKind, Session};
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(dir.join(file), spec).expect("wav");
    for i in 0..frames {
        w.write_sample(sample(i, 0)).expect("write");
        w.write_sample(sample(i, 1)).expect("write");
    }
    w.finalize().expect("finalize");
    let mut s = Session::new(rate);
    let mut t = Channel::new("t", ChannelKind::Track);
    t.source = Some(file.into());
    s.channels.insert(0, t);
    (s, dir.join("s.json"))
}

/// A session with the given channels plus a master (0 dB) and optional VCAs.
pub fn session(mut channels: Vec<Value>, vcas: Vec<Value>) -> Value {
    channels.push(json!({"id": "master", "name": "Master", "kind": "master"}));
    json!({"format": "auxbus-session", "version": 1, "sample_rate": 48000, "channels": channels, "vcas": vcas})
}

/// RMS (both sides) of channel `id`'s post-fader output over a render.
pub fn channel_rms(report: &RenderReport, id: &str) -> f32 {
    let pos = report
        .channel_ids
        .iter()
        .position(|c| c == id)
        .unwrap_or_else(|| panic!("no channel {id}"));
    report.meters.channels[pos].rms_mono()
}

pub fn left(stereo: &[f32]) -> Vec<f32> {
    stereo.iter().step_by(2).copied().collect()
}

pub fn right(stereo: &[f32]) -> Vec<f32> {
    stereo.iter().skip(1).step_by(2).copied().collect()
}

pub fn peak(x: &[f32]) -> f32 {
    x.iter().fold(0f32, |m, v| m.max(v.abs()))
}

pub fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

pub fn db(x: f64) -> f64 {
    20.0 * x.log10()
}

/// Amplitude of the `freq` component of `x` (Goertzel over the whole slice).
pub fn tone_amplitude(x: &[f32], freq: f64, rate: f64) -> f64 {
    let w = TAU * freq / rate;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0f64, 0f64);
    for &v in x {
        let s0 = f64::from(v) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    2.0 * power.max(0.0).sqrt() / x.len() as f64
}

/// Frequency from the count of rising zero crossings (for a clean sine).
pub fn zero_crossing_freq(x: &[f32], rate: f64) -> f64 {
    let mut first = None;
    let mut last = 0;
    let mut count = 0;
    for i in 1..x.len() {
        if x[i - 1] < 0.0 && x[i] >= 0.0 {
            if first.is_none() {
                first = Some(i);
            } else {
                count += 1;
            }
            last = i;
        }
    }
    match first {
        Some(f) if count > 0 => count as f64 * rate / (last - f) as f64,
        _ => 0.0,
    }
}

/// Runs the auxbus binary: (exit code, stdout, stderr).
pub fn run_auxbus(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(args)
        .output()
        .expect("run auxbus");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
