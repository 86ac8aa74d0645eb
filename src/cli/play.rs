//! `auxbus play SESSION`: live playback on a device, headless.

use std::path::Path;
use std::time::{Duration, Instant};

use auxbus::io::output::OutputConfig;
use auxbus::live::{DEFAULT_DIM_DB, EngineHandle, Monitoring};
use auxbus::session::{self, Session, escape_controls, hw_output_pair};

use super::args::Args;
use super::{CliError, Result};

/// How long to wait for a device before giving up (the contract is < 5 s).
const DEVICE_WAIT: Duration = Duration::from_secs(3);

pub fn run(a: Args) -> Result<()> {
    let path = Path::new(a.one_positional("SESSION")?);
    let buffer_frames = a.count_up_to("--buffer", 65_536)?.map_or(256, |n| n as u32);
    let s = session::load(path)?;
    let channels = a.count_up_to("--channels", 64)?.map(|n| n.max(2) as u16);
    let monitoring = monitoring(&a, &s)?;
    let config = OutputConfig {
        host: a.value("--host").map(str::to_owned),
        device: a.value("--device").map(str::to_owned),
        buffer_frames,
        channels,
        // This command reports the device state itself, once.
        log_to_stderr: false,
        ..OutputConfig::default()
    };
    let mut handle = EngineHandle::start(&s, path, config)?;
    handle.set_monitoring(&monitoring);
    if let Some(first) = handle.offline.first() {
        // Headless, a silent track would go unnoticed: refuse.
        return Err(CliError::Failed(first.clone()));
    }
    let waited = Instant::now();
    while !handle.telemetry().device.ok {
        if waited.elapsed() > DEVICE_WAIT {
            let why = handle
                .telemetry()
                .device
                .last_error
                .unwrap_or_else(|| "no audio output device".into());
            return Err(CliError::Failed(why));
        }
        std::thread::sleep(Duration::from_millis(50));
        handle.poll();
    }
    let rate = f64::from(handle.sample_rate());
    let start = a.seconds("--start")?.unwrap_or(0.0);
    let seconds = match a.seconds("--seconds")? {
        Some(sec) => sec,
        None => handle
            .longest
            .map_or(0.0, |f| f as f64 / rate - start)
            .max(0.0),
    };
    if start > 0.0 {
        let t = Instant::now();
        handle.seek(start);
        while handle.seeking() {
            std::thread::sleep(Duration::from_millis(1));
            handle.poll();
        }
        eprintln!(
            "seek to {start} s: audio ready in {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    let t = handle.telemetry().device;
    eprintln!(
        "playing {} on {} \"{}\" at {} Hz, {} channels, buffer {}, latency {} samples",
        path.display(),
        t.host,
        t.device,
        t.sample_rate,
        t.channels,
        t.buffer_frames
            .map_or("device default".into(), |b| format!("{b} frames")),
        handle.latency().output
    );
    handle.play();
    // Play by the engine's position, not the wall clock: a device may take a
    // moment to start, and the whole span must be heard.
    let began = Instant::now();
    let limit = Duration::from_secs_f64(seconds + 15.0);
    let mut peak_load = 0f32;
    while handle.telemetry().position_seconds < start + seconds {
        if began.elapsed() > limit {
            return Err(CliError::Failed(format!(
                "playback stalled at {:.2} s (the audio device stopped asking for audio)",
                handle.telemetry().position_seconds
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
        handle.poll();
        peak_load = peak_load.max(handle.telemetry().device.load);
    }
    handle.pause();
    handle.poll();
    let t = handle.telemetry();
    eprintln!(
        "played {:.2} s (to {:.2} s): callback load peak {:.1} %, xruns {}, dropouts {} ({:.1} ms), stream errors {}, underruns {}, rebuilds {}; {}",
        t.position_seconds - start,
        t.position_seconds,
        peak_load * 100.0,
        t.device.xruns,
        t.dropouts,
        t.device.dropout_frames as f64 * 1000.0 / f64::from(t.device.sample_rate.max(1)),
        t.device.errors,
        t.underruns,
        t.device.rebuilds,
        t.device.priority
    );
    if let Some(e) = t.last_disk_error {
        return Err(CliError::Failed(e));
    }
    Ok(())
}

/// `--listen NAME|hw:3-4`, `--mono`, `--dim [DB]`: what outputs 1–2 play.
fn monitoring(a: &Args, s: &Session) -> Result<Monitoring> {
    let listen = match a.value("--listen") {
        None => None,
        Some(l) if hw_output_pair(l).is_some() || s.channel(l).is_some() => Some(l.to_owned()),
        Some(l) => {
            return Err(CliError::Usage(format!(
                "--listen {}: not a channel of the session or a device pair (hw:3-4, hw:5-6 …)",
                escape_controls(l)
            )));
        }
    };
    let dim_db = a.decibels("--dim", "a number of dB to dim by, e.g. 20")?;
    Ok(Monitoring {
        listen,
        mono: a.flag("--mono"),
        dim: dim_db.is_some(),
        dim_db: dim_db.map_or(DEFAULT_DIM_DB, |d| d.abs() as f32),
    })
}
