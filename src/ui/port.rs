//! The console's one door to the audio side. The UI never touches engine
//! internals: after an edit it tells the port what changed, and the port
//! (an `EngineHandle`, or a recorder in tests) turns that into commands.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use super::action::Transport;
use crate::graph::Change;
use crate::io::output::OutputConfig;
use crate::live::{EngineHandle, Monitoring, Telemetry};
use crate::session::Session;

/// Levels since the last reading: per channel id, then master dry and wet.
pub use crate::live::MeterFrame;

pub trait AudioPort {
    /// The session changed by `change` (on `channel` for per-channel edits;
    /// see `graph::change_of`).
    fn changed(&mut self, s: &Session, change: Change, channel: Option<&str>);
    /// The set of tracks or their files changed: reopen the sources.
    fn reload(&mut self, s: &Session, session_path: &Path);
    fn transport(&mut self, t: Transport);
    /// Called once per UI frame.
    fn poll(&mut self);
    fn telemetry(&self) -> Option<Telemetry>;
    fn take_meters(&mut self) -> Option<MeterFrame>;
    /// Tracks whose source could not be opened, one message each.
    fn offline(&self) -> Vec<String>;
    /// Tracks whose source is mono (the rest are stereo).
    fn mono_tracks(&self) -> Vec<String> {
        Vec::new()
    }
    /// Length of the longest source in seconds, when known.
    fn length_seconds(&self) -> Option<f64> {
        None
    }
    /// The output settings in use.
    fn output_config(&self) -> OutputConfig {
        OutputConfig::default()
    }
    /// What outputs 1–2 play (mono, dim, listen to); never part of a render.
    fn set_monitoring(&mut self, _m: &Monitoring) {}
    /// Reopens the audio output with new settings (host, device, buffer).
    fn set_output_config(&mut self, _s: &Session, _session_path: &Path, _config: OutputConfig) {}
    /// What played since the last call, at the session rate: 6 interleaved
    /// channels, the mix L/R (as a render writes it), the probed channel's
    /// L/R and outputs 1–2 as heard — for the loudness meter, the analysers
    /// and the speaker meter.
    fn drain_analysis(&mut self, _f: &mut dyn FnMut(&[f32])) {}
    /// The channel the analysis tap probes (none: silence there).
    fn set_probe(&mut self, _channel: Option<&str>) {}
    /// Level-matched A/B of `channel`'s inserts (none: off); B is scaled by `gain`.
    fn set_ab(&mut self, _channel: Option<&str>, _listen_b: bool, _gain: f32) {}
    /// Both sides of the A/B comparison (4 interleaved channels: A L/R, B L/R).
    fn drain_ab(&mut self, _f: &mut dyn FnMut(&[f32])) {}
}

/// Live playback through `EngineHandle`.
pub struct LivePort {
    handle: Option<EngineHandle>,
    config: OutputConfig,
    /// The monitor section's choice, kept across reloads.
    monitoring: Monitoring,
    /// The analyser's source, kept across reloads.
    probe: Option<String>,
    /// Why the engine could not start, if it could not.
    pub error: Option<String>,
}

impl LivePort {
    pub fn start(s: &Session, session_path: &Path, config: OutputConfig) -> Self {
        let mut port = LivePort {
            handle: None,
            monitoring: Monitoring::default(),
            probe: None,
            config,
            error: None,
        };
        port.reload(s, session_path);
        port
    }
}

impl AudioPort for LivePort {
    fn changed(&mut self, s: &Session, change: Change, channel: Option<&str>) {
        if let Some(h) = self.handle.as_mut()
            && let Err(e) = h.apply(s, change, channel)
        {
            self.error = Some(e.to_string());
        }
    }

    fn reload(&mut self, s: &Session, session_path: &Path) {
        let (position, playing) = self
            .handle
            .as_ref()
            .map(|h| (h.telemetry().position_seconds, h.telemetry().playing))
            .unwrap_or((0.0, false));
        // Let go of the old device stream before opening a new one.
        self.handle = None;
        match EngineHandle::start(s, session_path, self.config.clone()) {
            Ok(mut h) => {
                h.set_monitoring(&self.monitoring);
                h.set_probe(self.probe.as_deref());
                if position > 0.0 {
                    h.seek(position);
                }
                if playing {
                    h.play();
                }
                self.handle = Some(h);
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn set_monitoring(&mut self, m: &Monitoring) {
        self.monitoring = m.clone();
        if let Some(h) = self.handle.as_mut() {
            h.set_monitoring(m);
        }
    }

    fn transport(&mut self, t: Transport) {
        let Some(h) = self.handle.as_mut() else {
            return;
        };
        match t {
            Transport::Play => h.play(),
            Transport::Pause => h.pause(),
            Transport::Stop => h.stop(),
            Transport::Seek(s) => h.seek(s),
            Transport::Loop(r) => h.set_loop(r),
        }
    }

    fn poll(&mut self) {
        if let Some(h) = self.handle.as_mut() {
            h.poll();
        }
    }

    fn telemetry(&self) -> Option<Telemetry> {
        self.handle.as_ref().map(EngineHandle::telemetry)
    }

    fn take_meters(&mut self) -> Option<MeterFrame> {
        self.handle.as_ref().map(EngineHandle::take_meters)
    }

    fn offline(&self) -> Vec<String> {
        self.handle
            .as_ref()
            .map(|h| h.offline.clone())
            .unwrap_or_default()
    }

    fn mono_tracks(&self) -> Vec<String> {
        self.handle
            .as_ref()
            .map(EngineHandle::mono_tracks)
            .unwrap_or_default()
    }

    fn length_seconds(&self) -> Option<f64> {
        let h = self.handle.as_ref()?;
        h.end_frame().map(|f| f as f64 / f64::from(h.sample_rate()))
    }

    fn output_config(&self) -> OutputConfig {
        self.config.clone()
    }

    fn set_output_config(&mut self, s: &Session, session_path: &Path, config: OutputConfig) {
        self.config = config;
        self.reload(s, session_path);
    }

    fn drain_analysis(&mut self, f: &mut dyn FnMut(&[f32])) {
        if let Some(h) = self.handle.as_mut() {
            h.drain_analysis_tap(f);
        }
    }

    fn set_probe(&mut self, channel: Option<&str>) {
        self.probe = channel.map(str::to_owned);
        if let Some(h) = self.handle.as_mut() {
            h.set_probe(channel);
        }
    }

    fn set_ab(&mut self, channel: Option<&str>, listen_b: bool, gain: f32) {
        if let Some(h) = self.handle.as_mut() {
            h.set_ab(channel, listen_b, gain);
        }
    }

    fn drain_ab(&mut self, f: &mut dyn FnMut(&[f32])) {
        if let Some(h) = self.handle.as_mut() {
            h.drain_ab_tap(f);
        }
    }
}

/// What a `RecordingPort` was asked.
#[derive(Debug, Default)]
pub struct PortLog {
    pub changes: Vec<(Change, Option<String>)>,
    pub transports: Vec<Transport>,
    pub reloads: usize,
    pub monitoring: Vec<Monitoring>,
    pub probes: Vec<Option<String>>,
    /// Samples handed out by the next `drain_analysis` (6 interleaved
    /// channels), as if they had just played.
    pub analysis: Vec<f32>,
    /// Meter frames handed out by `take_meters`, one per UI frame, first
    /// first (none left: `None`, as with no audio side).
    pub meters: std::collections::VecDeque<MeterFrame>,
}

/// A port that plays nothing and remembers every request: for tests, and
/// for a console started without audio. Clones share one log.
#[derive(Debug, Default, Clone)]
pub struct RecordingPort {
    pub log: Rc<RefCell<PortLog>>,
}

impl AudioPort for RecordingPort {
    fn changed(&mut self, _s: &Session, change: Change, channel: Option<&str>) {
        self.log
            .borrow_mut()
            .changes
            .push((change, channel.map(str::to_owned)));
    }
    fn reload(&mut self, _s: &Session, _session_path: &Path) {
        self.log.borrow_mut().reloads += 1;
    }
    fn transport(&mut self, t: Transport) {
        self.log.borrow_mut().transports.push(t);
    }
    fn set_monitoring(&mut self, m: &Monitoring) {
        self.log.borrow_mut().monitoring.push(m.clone());
    }
    fn set_probe(&mut self, channel: Option<&str>) {
        self.log
            .borrow_mut()
            .probes
            .push(channel.map(str::to_owned));
    }
    fn drain_analysis(&mut self, f: &mut dyn FnMut(&[f32])) {
        let samples = std::mem::take(&mut self.log.borrow_mut().analysis);
        if !samples.is_empty() {
            f(&samples);
        }
    }
    fn poll(&mut self) {}
    fn telemetry(&self) -> Option<Telemetry> {
        None
    }
    fn take_meters(&mut self) -> Option<MeterFrame> {
        self.log.borrow_mut().meters.pop_front()
    }
    fn offline(&self) -> Vec<String> {
        Vec::new()
    }
}
