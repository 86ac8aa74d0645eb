//! The reference graph used by `auxbus bench` and the criterion benches:
//!
//! ```text
//!  N stereo tracks (gain, pan) ──► 4 buses [compressor] ──► master
//!        ├── post-fader send ──► Reverb aux [reverb] ────────┘
//!        └── every 4th track: send ──► Delay aux [delay] ────┘
//! ```
//! `with_effects = false` keeps the routing and drops the inserts, to show
//! what the effects cost. `run_memory` renders as a bounce does, without
//! the per-source ledger unless asked (`ledger`: what live playback, with
//! the console showing each source's dry / wet / parallel, costs).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::{Engine, Feed, MemoryFeed};
use crate::graph::{self, FeedInfo};
use crate::session::{Channel, ChannelKind, Send, Session};

pub const BUSES: usize = 4;

/// The reference session with `tracks` tracks; `source(k)` names track k's file.
pub fn reference_session(
    tracks: usize,
    sample_rate: u32,
    source: &dyn Fn(usize) -> String,
) -> Session {
    let mut s = Session::new(sample_rate);
    for k in 0..tracks {
        let mut c = Channel::new(&format!("t{k}"), ChannelKind::Track);
        c.name = format!("Track {}", k + 1);
        c.source = Some(source(k));
        c.gain_db = Some(-6.0 - (k % 7) as f32);
        c.pan = ((k % 9) as f32 - 4.0) / 4.0;
        c.output = Some(format!("bus{}", k % BUSES));
        c.sends = vec![Send {
            to: "fx".into(),
            level_db: Some(-12.0),
            pre_fader: false,
        }];
        s.channels.push(c);
    }
    for b in 0..BUSES {
        let mut c = Channel::new(&format!("bus{b}"), ChannelKind::Bus);
        c.name = format!("Bus {}", b + 1);
        c.gain_db = Some(-3.0);
        s.channels.push(c);
    }
    let mut fx = Channel::new("fx", ChannelKind::Aux);
    fx.name = "FX".into();
    s.channels.push(fx);
    let mut delay = Channel::new("delay", ChannelKind::Aux);
    delay.name = "Delay".into();
    s.channels.push(delay);
    for (k, c) in s.channels.iter_mut().enumerate() {
        if c.kind == ChannelKind::Track && k % 4 == 0 {
            c.sends.push(Send {
                to: "delay".into(),
                level_db: Some(-18.0),
                pre_fader: false,
            });
        }
    }
    s
}

/// Puts the reference effects in: a compressor on every bus ("Drum bus
/// glue"), a plate on the FX aux, a tempo-synced delay on the delay aux.
pub fn add_effects(s: &mut Session) {
    use crate::session::effects::params::{DelayParams, Feel, NoteValue};
    use crate::session::effects::{EffectParams, Insert, presets};
    let preset = |name: &str| {
        let p = presets::find(name).expect("built-in preset");
        Insert {
            preset: Some(p.name.to_owned()),
            ..Insert::new(p.effect)
        }
    };
    for c in &mut s.channels {
        match c.id.as_str() {
            id if id.starts_with("bus") => c.inserts = vec![preset("Drum bus glue")],
            "fx" => c.inserts = vec![preset("Vocal plate")],
            "delay" => {
                c.inserts = vec![Insert::new(EffectParams::Delay(DelayParams {
                    note: Some(NoteValue {
                        division: 8,
                        feel: Feel::Dotted,
                    }),
                    feedback: 0.4,
                    highcut_hz: 6000.0,
                    ..DelayParams::default()
                }))]
            }
            _ => {}
        }
    }
}

/// A deterministic, non-trivial test signal: a few partials and some noise.
pub fn test_signal(seed: usize, frames: usize, sample_rate: u32) -> Vec<f32> {
    let mut out = Vec::with_capacity(frames * 2);
    let f = 55.0 * (1.0 + seed as f32 * 0.37);
    let mut noise = 0x1234_5678u32 ^ (seed as u32).wrapping_mul(0x9E37_79B9);
    for i in 0..frames {
        let t = i as f32 / sample_rate as f32;
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let n = (noise as f32 / u32::MAX as f32 - 0.5) * 0.05;
        let x = 0.3 * (std::f32::consts::TAU * f * t).sin()
            + 0.1 * (std::f32::consts::TAU * 3.0 * f * t).sin();
        out.push(x + n);
        out.push(0.9 * x - n);
    }
    out
}

/// An engine for the reference graph with every source in memory (one
/// looping second each), so the figure measures mixing, not decoding.
pub fn memory_engine(tracks: usize, sample_rate: u32, with_effects: bool) -> Engine {
    let mut s = reference_session(tracks, sample_rate, &|k| format!("t{k}.wav"));
    if with_effects {
        add_effects(&mut s);
    }
    let plan = graph::compile(&s, &track_feed).expect("the reference session is valid");
    let feeds = (0..tracks)
        .map(|k| {
            let data: Arc<[f32]> = test_signal(k, sample_rate as usize, sample_rate).into();
            Some(Box::new(MemoryFeed::new(data, 2, true)) as Box<dyn Feed>)
        })
        .collect();
    Engine::new(plan, feeds, 2)
}

pub struct BenchResult {
    pub tracks: usize,
    pub seconds: f64,
    pub elapsed: Duration,
}

impl BenchResult {
    pub fn realtime_factor(&self) -> f64 {
        self.seconds / self.elapsed.as_secs_f64()
    }
}

/// Renders `seconds` of the in-memory reference graph in device-sized
/// blocks of `block` frames on this thread.
pub fn run_memory(
    tracks: usize,
    seconds: f64,
    block: usize,
    with_effects: bool,
    ledger: bool,
) -> BenchResult {
    let rate = 48_000;
    let mut engine = memory_engine(tracks, rate, with_effects);
    engine.set_ledger(ledger);
    crate::dsp::enable_flush_to_zero();
    let mut out = vec![0f32; block.max(1) * 2];
    let total = (seconds * f64::from(rate)) as usize;
    let start = Instant::now();
    let mut done = 0;
    while done < total {
        engine.process(&mut out);
        done += block;
    }
    BenchResult {
        tracks,
        seconds,
        elapsed: start.elapsed(),
    }
}

/// Writes the reference session and its stems (stereo float WAV) into `dir`,
/// for measuring renders from disk. Returns the session path.
pub fn write_stems(dir: &Path, tracks: usize, seconds: f64) -> std::io::Result<PathBuf> {
    let rate = 48_000;
    std::fs::create_dir_all(dir)?;
    let frames = (seconds * f64::from(rate)) as usize;
    for k in 0..tracks {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: rate,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut w = hound::WavWriter::create(dir.join(format!("t{k}.wav")), spec)
            .map_err(std::io::Error::other)?;
        // One second of signal, repeated: generating 60 s per stem is slow
        // and the content does not matter to the measurement.
        let second = test_signal(k, rate as usize, rate);
        let mut left = frames * 2;
        while left > 0 {
            let n = left.min(second.len());
            for &x in &second[..n] {
                w.write_sample(x).map_err(std::io::Error::other)?;
            }
            left -= n;
        }
        w.finalize().map_err(std::io::Error::other)?;
    }
    let mut s = reference_session(tracks, rate, &|k| format!("t{k}.wav"));
    add_effects(&mut s);
    let path = dir.join("session.json");
    crate::session::save(&s, &path).map_err(std::io::Error::other)?;
    Ok(path)
}

/// `tracks` stereo tracks straight to the master, each with four inserts
/// (EQ, compressor, EQ, saturation): the shape that makes a plan swap carry
/// the most effect state. `shifted` puts a new EQ in front of every chain,
/// so each old insert continues one place later.
pub fn insert_heavy_session(tracks: usize, shifted: bool) -> Session {
    use crate::session::effects::{EffectKind, Insert};
    let mut s = Session::new(48_000);
    let insert = |k: EffectKind| Insert::new(k.default_params(false));
    for k in 0..tracks {
        let mut c = Channel::new(&format!("t{k}"), ChannelKind::Track);
        c.source = Some(format!("t{k}.wav"));
        c.inserts = vec![
            insert(EffectKind::Eq),
            insert(EffectKind::Compressor),
            insert(EffectKind::Eq),
            insert(EffectKind::Saturation),
        ];
        if shifted {
            c.inserts.insert(0, insert(EffectKind::Eq));
        }
        s.channels.insert(k, c);
    }
    s
}

/// The feed of track `t{k}` of the sessions above: slot k, stereo.
pub fn track_feed(id: &str) -> Option<FeedInfo> {
    id.strip_prefix('t')?
        .parse()
        .ok()
        .map(|slot| FeedInfo { slot, channels: 2 })
}
