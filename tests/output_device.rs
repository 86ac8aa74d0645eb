//! Real-device tests for `auxbus::io::output` against a private PulseAudio
//! null sink. Each test starts its own `pulseaudio` (and `parec` to record)
//! and stops them by PID. They FAIL, not skip, if pulseaudio-utils or
//! pulseaudio are missing. Needs no sound card; with a real card the
//! "no server" test only checks timing.
//!
//! Tests are serialised by a lock: they share one server socket path and
//! the process environment (set once, before any audio call).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use auxbus::io::output::{Output, OutputConfig, OutputError, Renderer, RendererCell, list_devices};

const RATE: u32 = 48_000;

// ---------------------------------------------------------------- helpers

use common::pulse::{Pulse, Recorder, setup, socket};

#[derive(Default)]
struct Probe {
    frames: AtomicU64,
    configures: AtomicU32,
}

/// 1 kHz sine at 0.5 on every channel; its phase is a frame counter.
struct Sine {
    frames: u64,
    rate: f64,
    probe: Arc<Probe>,
}

impl Sine {
    fn new() -> (Sine, Arc<Probe>) {
        let probe = Arc::new(Probe::default());
        let sine = Sine {
            frames: 0,
            rate: 0.0,
            probe: probe.clone(),
        };
        (sine, probe)
    }
}

impl Renderer for Sine {
    fn render(&mut self, out: &mut [f32], channels: usize) {
        for frame in out.chunks_mut(channels) {
            let phase = (self.frames as f64 * 1000.0 / self.rate).fract();
            frame.fill((0.5 * (std::f64::consts::TAU * phase).sin()) as f32);
            self.frames += 1;
        }
        self.probe.frames.store(self.frames, Ordering::Relaxed);
    }

    fn configure(&mut self, sample_rate: u32, _channels: usize) {
        self.rate = sample_rate as f64;
        self.probe.configures.fetch_add(1, Ordering::Relaxed);
    }
}

struct Tone {
    seconds: f64,
    rms: f64,
    peak: f32,
    /// From the median period between rising zero crossings (robust to a
    /// dropout, which a loaded 2-core machine can cause).
    hz: f64,
    /// Near-silent runs of >= 0.5 ms inside the tone (underruns).
    gaps: usize,
}

/// Level and frequency of the loud part of a recording (edges trimmed).
fn analyse(x: &[f32]) -> Tone {
    let loud = |v: &f32| v.abs() > 0.25;
    let first = x.iter().position(loud).expect("recording is silent");
    let last = x.len() - x.iter().rev().position(loud).unwrap_or(0);
    let seg = &x[(first + 2400).min(last)..last.saturating_sub(2400).max(first)];
    let rms = (seg.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / seg.len() as f64).sqrt();
    let peak = seg.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let ups: Vec<f64> = (1..seg.len())
        .filter(|&i| seg[i - 1] < 0.0 && seg[i] >= 0.0)
        .map(|i| i as f64 - 1.0 + (-seg[i - 1] / (seg[i] - seg[i - 1])) as f64)
        .collect();
    let mut periods: Vec<f64> = ups.windows(2).map(|w| w[1] - w[0]).collect();
    periods.sort_by(f64::total_cmp);
    let median = periods
        .get(periods.len() / 2)
        .copied()
        .unwrap_or(f64::INFINITY);
    let mut gaps = 0;
    let mut run = 0;
    for v in seg {
        run = if v.abs() < 0.02 { run + 1 } else { 0 };
        gaps += usize::from(run == 24);
    }
    Tone {
        seconds: seg.len() as f64 / RATE as f64,
        rms,
        peak,
        hz: RATE as f64 / median,
        gaps,
    }
}

fn assert_sine(t: &Tone, min_seconds: f64) {
    println!(
        "recorded {:.2}s: rms {:.4} peak {:.4} freq {:.2} Hz, {} dropouts",
        t.seconds, t.rms, t.peak, t.hz, t.gaps
    );
    assert!(t.seconds >= min_seconds, "only {:.2}s of tone", t.seconds);
    assert!((t.rms - 0.5 / 2f64.sqrt()).abs() < 0.02, "rms {}", t.rms);
    assert!((t.peak - 0.5).abs() < 0.02, "peak {}", t.peak);
    assert!((t.hz - 1000.0).abs() < 2.0, "frequency {}", t.hz);
}

/// Poll like the app does (every 500 ms) until `done` or `limit`.
fn poll_until<R: Renderer>(
    out: &mut Output<R>,
    limit: Duration,
    mut done: impl FnMut(&Output<R>) -> bool,
) -> Option<Duration> {
    let t = Instant::now();
    while t.elapsed() < limit {
        out.poll();
        if done(out) {
            return Some(t.elapsed());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn play_for<R: Renderer>(out: &mut Output<R>, secs: f64) {
    let t = Instant::now();
    while t.elapsed().as_secs_f64() < secs {
        std::thread::sleep(Duration::from_millis(500));
        out.poll();
    }
}

/// User+system CPU seconds of this process so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    // fields 14 and 15 of the full line are utime, stime (clock ticks of 1/100 s).
    (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / 100.0
}

fn has_sound_card() -> bool {
    std::fs::read_to_string("/proc/asound/cards").is_ok_and(|s| !s.contains("no soundcards"))
}

// ---------------------------------------------------------------- tests

#[test]
fn plays_a_1khz_sine_into_the_null_sink() {
    let _g = setup();
    let _pulse = Pulse::start();
    let rec = Recorder::start("sine.raw");
    let (sine, probe) = Sine::new();
    let mut out = Output::open(OutputConfig::default(), sine).expect("open");
    play_for(&mut out, 3.0);
    let st = out.status();
    println!("{st:?}");
    assert!(st.ok, "{st:?}");
    assert_eq!(st.host, "PulseAudio");
    assert!(st.device.contains("auxnull"), "{}", st.device);
    assert_eq!((st.sample_rate, st.channels), (RATE, 2));
    assert_eq!(st.buffer_frames, Some(256));
    assert!(st.callbacks > 100, "{st:?}");
    // The load is reported (a measured, positive figure); how high it is
    // depends on what else the machine runs, so no upper bound here.
    assert!(st.load.is_finite() && st.load > 0.0, "load {}", st.load);
    assert_eq!(probe.configures.load(Ordering::Relaxed), 1);
    let sine = out.close().expect("renderer comes back");
    assert!(sine.frames > RATE as u64, "rendered {} frames", sine.frames);
    std::thread::sleep(Duration::from_millis(200));
    assert_sine(&analyse(&rec.stop_left()), 0.8);
}

#[test]
fn an_idle_stream_pauses_and_resumes_without_a_stall_or_a_dropout() {
    let _g = setup();
    let _pulse = Pulse::start();
    let (sine, probe) = Sine::new();
    let mut out = Output::open(OutputConfig::default(), sine).expect("open");
    play_for(&mut out, 1.0);
    out.set_idle(true);
    assert!(out.status().idle);
    std::thread::sleep(Duration::from_millis(300));
    let (frames, callbacks) = (probe.frames.load(Ordering::Relaxed), out.status().callbacks);
    // Past the 4 s stall watch: a paused stream is not a stalled one.
    play_for(&mut out, 5.0);
    let st = out.status();
    assert_eq!(st.rebuilds, 0, "{st:?}");
    assert!(st.ok && st.idle, "{st:?}");
    assert_eq!(st.callbacks, callbacks, "no callbacks while paused");
    assert_eq!(probe.frames.load(Ordering::Relaxed), frames);
    let rec = Recorder::start("resumed.raw");
    out.set_idle(false);
    play_for(&mut out, 2.5);
    let st = out.status();
    assert!(!st.idle && st.callbacks > callbacks + 100, "{st:?}");
    // The 5 s pause is not a dropout (a loaded machine may still drop a
    // few callbacks' worth, far less than a second).
    assert!(st.dropout_frames < u64::from(RATE) / 4, "{st:?}");
    drop(out.close());
    std::thread::sleep(Duration::from_millis(200));
    assert_sine(&analyse(&rec.stop_left()), 1.5);
}

#[test]
fn lists_hosts_devices_and_configs() {
    let _g = setup();
    let _pulse = Pulse::start();
    let text = list_devices();
    println!("{text}");
    assert!(text.contains("PulseAudio (default host)"), "{text}");
    assert!(
        text.contains("Null Output (pulseaudio:auxnull)  [default]"),
        "{text}"
    );
    assert!(text.contains("default: 48000 Hz, 2 ch"), "{text}");
    assert!(text.contains("f32: 1-31 ch"), "{text}");
    assert!(text.contains("ALSA"), "{text}");
}

#[test]
fn picks_host_and_device_by_name_and_explains_mismatches() {
    let _g = setup();
    let _pulse = Pulse::start();
    let config = |host: &str, device: &str| OutputConfig {
        host: Some(host.into()),
        device: Some(device.into()),
        channels: Some(2),
        sample_rate: Some(44_100),
        ..OutputConfig::default()
    };
    let out = Output::open(config("PULSEAUDIO", "AuxNull"), Sine::new().0).expect("open");
    let st = out.status();
    assert_eq!((st.host.as_str(), st.sample_rate), ("PulseAudio", 44_100));
    drop(out);

    let err = Output::open(config("pulseaudio", "nosuchsink"), Sine::new().0)
        .err()
        .unwrap();
    assert!(matches!(err, OutputError::UnknownDevice { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("nosuchsink") && msg.contains("pulseaudio:auxnull"),
        "{msg}"
    );

    let err = Output::open(config("nosuchhost", "x"), Sine::new().0)
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(
        msg.contains("nosuchhost") && msg.contains("PulseAudio"),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
}

#[test]
fn rebuilds_after_a_server_crash_with_the_same_renderer() {
    let _g = setup();
    let pulse = Pulse::start();
    let (sine, probe) = Sine::new();
    let mut out = Output::open(OutputConfig::default(), sine).expect("open");
    poll_until(&mut out, Duration::from_secs(6), |_| {
        probe.frames.load(Ordering::Relaxed) > RATE as u64 / 2
    })
    .expect("audio starts");

    pulse.crash();
    let lost = poll_until(&mut out, Duration::from_secs(6), |o| !o.status().ok)
        .expect("poll notices the dead server");
    let st = out.status();
    println!("lost after {lost:?}: {:?}", st.last_error);
    let err = st.last_error.unwrap_or_default();
    assert!(err.contains("no audio output device"), "{err}");
    let frames_before = probe.frames.load(Ordering::Relaxed);

    // Still down: retries must be cheap and not spin.
    let cpu = cpu_seconds();
    play_for(&mut out, 2.0);
    let spent = cpu_seconds() - cpu;
    println!("CPU while retrying for 2 s: {spent:.2} s");
    assert!(spent < 0.5, "retrying burnt {spent} s of CPU");
    assert!(!out.status().ok);

    let _pulse = Pulse::start();
    let rec = Recorder::start("restart.raw");
    let rebuilt = poll_until(&mut out, Duration::from_secs(5), |o| o.status().ok)
        .expect("stream rebuilt after restart");
    let sounding = poll_until(&mut out, Duration::from_secs(10), |_| {
        probe.frames.load(Ordering::Relaxed) > frames_before + RATE as u64
    })
    .expect("audio resumes");
    let st = out.status();
    println!("rebuilt {rebuilt:?} after restart, 1 s of audio after {sounding:?} more: {st:?}");
    assert_eq!(st.rebuilds, 1);
    assert!(st.errors >= 1);
    play_for(&mut out, 1.0);
    let sine = out.close().expect("renderer comes back");
    // Same instance: phase counter continued, configured only once.
    assert!(sine.frames > frames_before + RATE as u64);
    assert_eq!(probe.configures.load(Ordering::Relaxed), 1);
    std::thread::sleep(Duration::from_millis(200));
    assert_sine(&analyse(&rec.stop_left()), 0.8);
}

#[test]
fn without_a_server_open_fails_fast_and_clearly() {
    let _g = setup();
    assert!(!socket().exists() || std::os::unix::net::UnixStream::connect(socket()).is_err());
    for host in [None, Some("pulseaudio")] {
        let config = OutputConfig {
            host: host.map(String::from),
            ..OutputConfig::default()
        };
        let t = Instant::now();
        let res = Output::open(config.clone(), Sine::new().0);
        let took = t.elapsed();
        println!(
            "host {host:?}: {took:?}: {:?}",
            res.as_ref().err().map(|e| e.to_string())
        );
        assert!(took < Duration::from_secs(5), "took {took:?}");
        if has_sound_card() && host.is_none() {
            continue; // ALSA may legitimately open the card
        }
        let msg = res.err().expect("no device, no stream").to_string();
        assert!(msg.contains("no audio output device"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");

        let mut out = Output::open_retrying(config, Sine::new().0);
        assert!(!out.status().ok);
        let t = Instant::now();
        out.poll();
        assert!(t.elapsed() < Duration::from_secs(3));
        let renderer = out.close().expect("renderer survives a failed open");
        assert_eq!(renderer.probe.configures.load(Ordering::Relaxed), 0);
    }
}

#[test]
fn output_is_send() {
    fn send<T: Send>() {}
    send::<Output<Sine>>();
}

/// Counts renders; counts its own drops.
struct Counter(u64, Arc<AtomicU32>);

impl Renderer for Counter {
    fn render(&mut self, out: &mut [f32], _channels: usize) {
        out.fill(0.25);
        self.0 += 1;
    }
    fn configure(&mut self, _: u32, _: usize) {}
}

impl Drop for Counter {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn renderer_cell_hands_over_without_loss_or_double_free() {
    let drops = Arc::new(AtomicU32::new(0));
    let cell = RendererCell::new(Counter(0, drops.clone()));
    let mut side = cell.audio_side();
    let audio = std::thread::spawn(move || {
        let (mut rendered, mut silent) = (0u64, 0u64);
        let mut buf = [0.0f32; 64];
        for _ in 0..200_000 {
            if side.with(|r| r.render(&mut buf, 2)) {
                rendered += 1;
            } else {
                silent += 1;
            }
        }
        (rendered, silent)
    });
    let mut takes = 0;
    while !audio.is_finished() {
        if let Some(r) = cell.take() {
            takes += 1;
            assert!(cell.put(r).is_ok(), "cell was empty");
        }
    }
    let (rendered, silent) = audio.join().unwrap();
    let r = cell.take().expect("renderer is back in the cell");
    println!("{rendered} renders, {silent} silent, {takes} owner round trips");
    assert_eq!(r.0, rendered);
    assert!(cell.take().is_none());
    drop(r);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    // A full cell frees its renderer when the last handle goes.
    let cell = RendererCell::new(Counter(0, drops.clone()));
    let side = cell.audio_side();
    drop(cell);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(side);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}
