//! How often the console draws. The UI is time-based, so frames can come
//! at any rate; this only decides how soon the next one is wanted: ~30 Hz
//! while audio plays and a few seconds after (meters fall, peak holds
//! drop), twice a second while anything a stopped console shows can change
//! by itself (the device, a message, a seek), and every few seconds once
//! all is quiet — with software rendering every frame costs, and a still
//! console should cost nothing.

use std::time::Duration;

use super::status::StatusMessage;
use crate::live::Telemetry;

/// What the stopped console shows that can change by itself.
#[derive(Debug, Clone, PartialEq)]
struct Quiet {
    device: Option<Device>,
    message: Option<StatusMessage>,
    dialog: bool,
}

/// The device line: working, its error, xruns, underruns, the position in
/// tenths of a second, the last file error.
type Device = (bool, Option<String>, u64, u64, i64, Option<String>);

#[derive(Debug, Default)]
pub struct Pacer {
    /// Time of the last frame (egui time, seconds), for the next frame's `dt`.
    last_frame: Option<f64>,
    /// When audio last played.
    last_playing: Option<f64>,
    quiet: Option<Quiet>,
    last_change: f64,
}

impl Pacer {
    /// Wall-clock seconds since the last frame, unclamped: ballistics and
    /// timers must run as fast at 2 frames per second as at 144 (egui's
    /// `stable_dt` is clamped and would slow them down).
    pub fn frame_dt(&mut self, now: f64) -> f32 {
        let dt = self.last_frame.map_or(0.0, |t| (now - t).max(0.0)) as f32;
        self.last_frame = Some(now);
        dt
    }

    /// How long until the next frame is wanted.
    pub fn repaint_after(
        &mut self,
        now: f64,
        t: Option<Telemetry>,
        message: Option<&StatusMessage>,
        dialog: bool,
    ) -> Duration {
        if t.as_ref().is_some_and(|t| t.playing) {
            self.last_playing = Some(now);
        }
        let device = t.map(|t| {
            let d = t.device;
            (
                d.ok,
                d.last_error,
                d.xruns,
                t.underruns,
                (t.position_seconds * 10.0).round() as i64,
                t.last_disk_error,
            )
        });
        let quiet = Quiet {
            device,
            message: message.cloned(),
            dialog,
        };
        if self.quiet.as_ref() != Some(&quiet) {
            self.quiet = Some(quiet);
            self.last_change = now;
        }
        let ms = if self.last_playing.is_some_and(|p| now - p < 4.0) {
            33
        } else if now - self.last_change < 10.0 || message.is_some() {
            500
        } else {
            5000
        };
        Duration::from_millis(ms)
    }
}
