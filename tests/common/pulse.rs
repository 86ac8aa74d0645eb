//! A private PulseAudio server with a null sink, and `parec` recording its
//! monitor: real playback with no sound card. Tests using it FAIL (not skip)
//! when pulseaudio or pulseaudio-utils are missing.
//!
//! Tests share one server socket path and the process environment (set once,
//! before any audio call, and inherited by child processes such as the
//! `auxbus` binary), so they run one at a time under `setup()`'s lock.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

static LOCK: Mutex<()> = Mutex::new(());
static ENV: Once = Once::new();

pub fn dir() -> PathBuf {
    std::env::temp_dir().join(format!("auxbus-pulse-test-{}", std::process::id()))
}

pub fn socket() -> PathBuf {
    dir().join("xdg/pulse/native")
}

/// Takes the test lock and points this process at the private server.
pub fn setup() -> MutexGuard<'static, ()> {
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    ENV.call_once(|| {
        let d = dir();
        for sub in ["home", "xdg"] {
            std::fs::create_dir_all(d.join(sub)).expect("test dirs");
        }
        // SAFETY: runs once, under LOCK, before any test thread touches audio
        // or the environment (every test calls `setup` first).
        unsafe {
            std::env::set_var("HOME", d.join("home"));
            std::env::set_var("XDG_RUNTIME_DIR", d.join("xdg"));
            std::env::set_var("PULSE_SERVER", format!("unix:{}", socket().display()));
        }
    });
    guard
}

/// A pulseaudio daemon with the `auxnull` null sink; killed on drop.
pub struct Pulse(Child);

impl Pulse {
    /// A stereo null sink.
    pub fn start() -> Pulse {
        Pulse::with_channels(2)
    }

    /// A null sink with `channels` outputs (4 for a headphone pair on 3–4).
    pub fn with_channels(channels: u32) -> Pulse {
        let d = dir();
        let config = d.join(format!("null{channels}.pa"));
        // Name the positions: PulseAudio's default map for 4 channels
        // (FL, FC, FR, RC) differs from what clients send (FL, FR, RL, RR)
        // and it would remix between them.
        let map = match channels {
            4 => " channel_map=front-left,front-right,rear-left,rear-right",
            _ => "",
        };
        std::fs::write(
            &config,
            format!(
                "load-module module-native-protocol-unix auth-anonymous=1\n\
                 load-module module-null-sink sink_name=auxnull rate=48000 channels={channels}{map}\n\
                 set-default-sink auxnull\n\
                 set-default-source auxnull.monitor\n"
            ),
        )
        .expect("write null.pa");
        let log = File::create(d.join("pulse.log")).expect("pulse log");
        let child = Command::new("pulseaudio")
            .args(["--daemonize=no", "--exit-idle-time=-1", "-n", "-F"])
            .arg(&config)
            .arg("--log-target=stderr")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("pulseaudio must be installed (apt install pulseaudio)");
        let p = Pulse(child);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            let out = Command::new("pactl")
                .args(["list", "short", "sinks"])
                .output()
                .expect("pactl must be installed (apt install pulseaudio-utils)");
            if String::from_utf8_lossy(&out.stdout).contains("auxnull") {
                return p;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "pulseaudio did not come up; see {}",
            d.join("pulse.log").display()
        );
    }

    /// SIGKILL, as if the server crashed (leaves a stale socket behind).
    pub fn crash(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `parec` recording the null sink's monitor as raw interleaved f32.
pub struct Recorder {
    child: Child,
    path: PathBuf,
    channels: usize,
}

impl Recorder {
    /// Records a stereo monitor.
    pub fn start(name: &str) -> Recorder {
        Recorder::with_channels(name, 2)
    }

    pub fn with_channels(name: &str, channels: usize) -> Recorder {
        let path = dir().join(name);
        let mut cmd = Command::new("parec");
        if channels == 4 {
            // The same positions as the sink, so nothing is remixed.
            cmd.arg("--channel-map=front-left,front-right,rear-left,rear-right");
        }
        let child = cmd
            .args(["-d", "auxnull.monitor", "--latency-msec=10", "--raw"])
            .args([
                "--format=float32le",
                "--rate=48000",
                &format!("--channels={channels}"),
            ])
            .stdout(File::create(&path).expect("recording file"))
            .spawn()
            .expect("parec must be installed (apt install pulseaudio-utils)");
        std::thread::sleep(Duration::from_millis(300)); // let it connect
        Recorder {
            child,
            path,
            channels,
        }
    }

    /// Stops and returns every channel, interleaved.
    pub fn stop(mut self) -> Vec<f32> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let bytes = std::fs::read(&self.path).expect("read recording");
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    }

    /// Stops and returns channel 1 only.
    pub fn stop_left(self) -> Vec<f32> {
        let channels = self.channels;
        self.stop().into_iter().step_by(channels).collect()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
