//! Soak test of live playback: plays a session (looped) for a number of
//! minutes with a random parameter edit every 10 ms, and reports callback
//! load, xruns, underruns and RSS every 10 s. Run it through `tools/soak`,
//! which starts a PulseAudio null sink.
//!
//! usage: soak SESSION [--minutes M] [--buffer N] [--host NAME]

use std::path::Path;
use std::time::{Duration, Instant};

use auxbus::graph::Change;
use auxbus::io::output::OutputConfig;
use auxbus::live::EngineHandle;
use auxbus::session::effects::{EffectKind, EffectParams, Insert};
use auxbus::session::{self, ChannelKind};

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// xorshift: enough randomness for choosing edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() % 1_000_000) as f32 / 1_000_000.0
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = Path::new(
        args.first()
            .ok_or("usage: soak SESSION [--minutes M] [--buffer N] [--host NAME]")?,
    );
    let minutes: f64 = arg(&args, "--minutes").map_or(Ok(10.0), |m| m.parse())?;
    let buffer: u32 = arg(&args, "--buffer").map_or(Ok(128), |b| b.parse())?;
    let mut s = session::load(path)?;
    let config = OutputConfig {
        host: arg(&args, "--host"),
        buffer_frames: buffer,
        ..OutputConfig::default()
    };
    let mut handle = EngineHandle::start(&s, path, config)?;
    let waited = Instant::now();
    while !handle.telemetry().device.ok {
        if waited.elapsed() > Duration::from_secs(5) {
            return Err(handle
                .telemetry()
                .device
                .last_error
                .unwrap_or_else(|| "no audio output device".into())
                .into());
        }
        std::thread::sleep(Duration::from_millis(20));
        handle.poll();
    }
    let length = handle.longest.unwrap_or(0) as f64 / f64::from(handle.sample_rate());
    handle.set_loop(Some((0.0, length.max(1.0))));
    while handle.seeking() {
        std::thread::sleep(Duration::from_millis(2));
        handle.poll();
    }
    handle.play();
    let d = handle.telemetry().device;
    println!(
        "soak: {} on {} \"{}\", buffer {:?}, {minutes} min, an edit every 10 ms",
        path.display(),
        d.host,
        d.device,
        d.buffer_frames
    );
    let rss_start = rss_kb();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let ids: Vec<String> = s
        .channels
        .iter()
        .filter(|c| c.kind != ChannelKind::Master)
        .map(|c| c.id.clone())
        .collect();
    let began = Instant::now();
    let mut next_report = Duration::from_secs(10);
    let (mut edits, mut peak_load) = (0u64, 0f32);
    while began.elapsed().as_secs_f64() < minutes * 60.0 {
        std::thread::sleep(Duration::from_millis(10));
        let id = &ids[(rng.next() % ids.len() as u64) as usize];
        let Some(i) = s.channel_index(id) else {
            continue;
        };
        let c = &mut s.channels[i];
        let mut structural = false;
        match rng.next() % 6 {
            0 => c.gain_db = Some(-30.0 + 36.0 * rng.unit()),
            1 => c.pan = rng.unit() * 2.0 - 1.0,
            2 => {
                if let Some(send) = c.sends.first_mut() {
                    send.level_db = Some(-30.0 + 30.0 * rng.unit());
                }
            }
            3 => c.mute = rng.next().is_multiple_of(8),
            // A knob on an insert: glides on the audio thread.
            4 => {
                if let Some(insert) = c.inserts.first_mut() {
                    nudge(&mut insert.effect, rng.unit());
                }
            }
            // Now and then an insert comes or goes: a new plan, effect
            // state carried over, crossfaded.
            _ => {
                if rng.next().is_multiple_of(16) {
                    if c.inserts.len() < 3 {
                        c.inserts
                            .push(Insert::new(EffectKind::Eq.default_params(false)));
                    } else {
                        c.inserts.pop();
                    }
                    structural = true;
                }
            }
        }
        // Gains and insert settings of one channel, or a new plan.
        let change = if structural {
            (Change::Structure, None)
        } else {
            (Change::Insert, Some(id.as_str()))
        };
        if let Err(e) = handle.apply(&s, change.0, change.1) {
            eprintln!("rebuild refused: {e}");
        }
        handle.poll();
        edits += 1;
        let t = handle.telemetry();
        peak_load = peak_load.max(t.device.load);
        if began.elapsed() >= next_report {
            next_report += Duration::from_secs(10);
            println!(
                "{:>5.0} s  load {:>5.1} % (peak {:>5.1} %)  xruns {}  stream errors {}  underruns {}  RSS {} KB",
                began.elapsed().as_secs_f64(),
                t.device.load * 100.0,
                peak_load * 100.0,
                t.device.xruns,
                t.device.errors,
                t.underruns,
                rss_kb()
            );
        }
    }
    let t = handle.telemetry();
    println!(
        "done: {edits} edits, peak load {:.1} %, xruns {}, stream errors {}, underruns {}, rebuilds {}, RSS start {rss_start} KB end {} KB",
        peak_load * 100.0,
        t.device.xruns,
        t.device.errors,
        t.underruns,
        t.device.rebuilds,
        rss_kb()
    );
    Ok(())
}

/// Moves the main knob of an effect to `u` (0–1) of its travel.
fn nudge(effect: &mut EffectParams, u: f32) {
    match effect {
        EffectParams::Eq(p) => p.mid1_gain_db = -12.0 + 24.0 * u,
        EffectParams::Compressor(p) => p.threshold_db = -40.0 + 30.0 * u,
        EffectParams::Reverb(p) => p.decay_s = 0.5 + 4.0 * u,
        EffectParams::Delay(p) => {
            p.feedback = 0.8 * u;
            p.time_ms = 50.0 + 500.0 * u;
        }
        EffectParams::Saturation(p) => p.drive_db = 24.0 * u,
    }
}
