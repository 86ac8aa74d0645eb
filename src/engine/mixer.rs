//! The engine: feeds in, one plan (two while a swap crossfades) rendered
//! block by block, the master and device pairs out, interleaved.

use super::ab::AbCompare;
use super::buffers::{Capture, Scratch};
use super::feed::Feed;
use super::monitor::{Monitor, MonitorSettings, MonitorSource};
use super::plan::RenderPlan;
use super::process::render_plan;
use super::tap::TapWriter;
use crate::dsp::BLOCK;
use crate::dsp::Meters;
use crate::session::EffectParams;

/// Feed slots an engine has room for unless asked for more: input buffers
/// are allocated once, so adding a track never allocates on the audio thread.
pub const DEFAULT_FEED_SLOTS: usize = 128;

/// A set of feeds indexed by slot.
pub type Feeds = Vec<Option<Box<dyn Feed>>>;

pub struct Engine {
    plan: Box<RenderPlan>,
    /// The previous plan while it fades out after a swap.
    fading: Option<Box<RenderPlan>>,
    fade_pos: u32,
    fade_len: u32,
    /// Frames the new plan renders unheard before its fade starts, so its
    /// compensation lines hold real signal when it is first heard.
    fade_wait: u32,
    /// A plan that finished fading, waiting to be collected off the audio thread.
    retired: Option<Box<RenderPlan>>,
    feeds: Box<Feeds>,
    /// One stereo block per feed slot: `2 * BLOCK` floats each.
    inputs: Vec<f32>,
    /// Output device width; the master goes to the first two.
    out_channels: usize,
    ramp_samples: u32,
    frames_rendered: u64,
    scratch: Scratch,
    master: [[f32; BLOCK]; 2],
    master_old: [[f32; BLOCK]; 2],
    /// The monitor path (live only: a render never sets it).
    monitor: Monitor,
    monitored: [[f32; BLOCK]; 2],
    /// Level-matched A/B of one channel's inserts.
    ab: AbCompare,
    /// Position of the channel the analyser looks at, if any.
    probe: Option<usize>,
    /// The mix (before the monitor path), the probed channel and outputs
    /// 1–2 as heard, for the UI's meters and analyser (live only).
    analysis: Option<TapWriter>,
    /// Whether each block works out where every channel's sound arrived
    /// (the per-source dry / wet / parallel the console and `explain`
    /// show). On by default; a render nobody reads it from turns it off.
    ledger: bool,
}

impl Engine {
    /// An engine for `plan`, taking `feeds` indexed by feed slot.
    pub fn new(plan: RenderPlan, feeds: Feeds, out_channels: usize) -> Self {
        Engine::with_slots(plan, feeds, out_channels, DEFAULT_FEED_SLOTS)
    }

    /// Like `new`, with room for at least `slots` feeds.
    pub fn with_slots(
        plan: RenderPlan,
        mut feeds: Feeds,
        out_channels: usize,
        slots: usize,
    ) -> Self {
        let slots = slots.max(feeds.len());
        feeds.resize_with(slots, || None);
        let ramp_samples = (plan.sample_rate / 100).max(1); // 10 ms
        Engine {
            plan: Box::new(plan),
            fading: None,
            fade_pos: 0,
            fade_len: ramp_samples,
            fade_wait: 0,
            retired: None,
            feeds: Box::new(feeds),
            inputs: vec![0.0; slots * 2 * BLOCK],
            out_channels: out_channels.max(2),
            ramp_samples,
            frames_rendered: 0,
            scratch: Scratch::new(),
            master: [[0.0; BLOCK]; 2],
            master_old: [[0.0; BLOCK]; 2],
            monitor: Monitor::new(ramp_samples),
            monitored: [[0.0; BLOCK]; 2],
            ab: AbCompare::new(2 * ramp_samples),
            probe: None,
            analysis: None,
            ledger: true,
        }
    }

    pub fn plan(&self) -> &RenderPlan {
        &self.plan
    }

    pub fn out_channels(&self) -> usize {
        self.out_channels
    }

    /// Sets the device width (the master goes to the first two channels).
    /// Called when the stream is (re)configured, never while rendering.
    pub fn set_out_channels(&mut self, channels: usize) {
        self.out_channels = channels.max(2);
    }

    pub fn feed_slots(&self) -> usize {
        self.feeds.len()
    }

    pub fn frames_rendered(&self) -> u64 {
        self.frames_rendered
    }

    /// Levels accumulated in the current plan since the last `clear_meters`.
    pub fn meters(&self) -> &Meters {
        &self.plan.meters
    }

    pub fn clear_meters(&mut self) {
        self.plan.meters.clear();
    }

    /// Moves channel `pos`'s gains toward new values with a ramp, so a change
    /// while playing never clicks. `out` is per side; `sends` per send.
    /// `trim` is the trim before the inserts (1 for a channel without any).
    pub fn set_gains(&mut self, pos: usize, out: [f32; 2], trim: f32, sends: &[f32]) {
        let ramp = self.ramp_samples;
        if let Some(ch) = self.plan.channels.get_mut(pos) {
            ch.out_gain[0].set(out[0], ramp);
            ch.out_gain[1].set(out[1], ramp);
            ch.trim.set(trim, ramp);
            for (send, &g) in ch.sends.iter_mut().zip(sends) {
                send.gain.set(g, ramp);
            }
        }
    }

    /// Moves one send's gain toward `gain` with a ramp.
    pub fn set_send_gain(&mut self, pos: usize, send: usize, gain: f32) {
        let ramp = self.ramp_samples;
        if let Some(s) = self
            .plan
            .channels
            .get_mut(pos)
            .and_then(|c| c.sends.get_mut(send))
        {
            s.gain.set(gain, ramp);
        }
    }

    /// New settings for insert `index` of the channel at `pos` (same kind
    /// of effect): parameters glide, bypass and mix crossfade.
    pub fn set_insert(
        &mut self,
        pos: usize,
        index: usize,
        effect: &EffectParams,
        bypass: bool,
        tempo_bpm: f32,
    ) {
        if let Some(slot) = self
            .plan
            .channels
            .get_mut(pos)
            .and_then(|c| c.inserts.get_mut(index))
        {
            slot.update(effect, bypass, tempo_bpm);
        }
    }

    /// The level-matched A/B comparison (see `AbCompare`).
    pub fn ab_mut(&mut self) -> &mut AbCompare {
        &mut self.ab
    }

    /// Inserts of the current plan that were reset after a non-finite
    /// sample since the last call: (channel id, insert number from 1,
    /// times). Allocates: for offline renders, not the audio thread.
    pub fn take_insert_resets(&mut self) -> Vec<(String, usize, u32)> {
        let mut out = Vec::new();
        for ch in &mut self.plan.channels {
            for (k, slot) in ch.inserts.iter_mut().enumerate() {
                let r = slot.take_reading();
                if r.resets > 0 {
                    out.push((ch.id.clone(), k + 1, r.resets));
                }
            }
        }
        out
    }

    /// Audio thread: hands the current plan's meters and insert readings to
    /// the UI and starts new ones.
    pub fn publish_meters(&mut self) {
        self.plan.publish();
        self.plan.meters.clear();
    }

    /// Starts rendering `plan`, crossfading from the current one over ~10 ms.
    /// Returns a plan to drop off the audio thread, if one is done with (a
    /// swap during a running fade retires the oldest plan at once).
    #[must_use]
    pub fn swap_plan(&mut self, mut plan: Box<RenderPlan>) -> Option<Box<RenderPlan>> {
        plan.take_state_from(&self.plan);
        self.fade_wait = plan.warmup_frames() as u32;
        let previous = std::mem::replace(&mut self.plan, plan);
        self.fade_pos = 0;
        self.fading.replace(previous)
    }

    /// A plan that has finished fading out; drop it off the audio thread.
    pub fn take_retired(&mut self) -> Option<Box<RenderPlan>> {
        self.retired.take()
    }

    /// Whether a plan swap is still crossfading.
    pub fn is_fading(&self) -> bool {
        self.fading.is_some()
    }

    /// Puts `feed` into `slot` and returns what was there (drop it off the
    /// audio thread). Slots beyond the engine's capacity are refused: the
    /// feed comes back.
    pub fn set_feed(&mut self, slot: usize, feed: Option<Box<dyn Feed>>) -> Option<Box<dyn Feed>> {
        match self.feeds.get_mut(slot) {
            Some(s) => std::mem::replace(s, feed),
            None => feed,
        }
    }

    /// Replaces every feed (after a seek); the old set comes back to be
    /// dropped off the audio thread. The new set is padded or cut to the
    /// engine's slot count by the caller (see `feed_slots`).
    pub fn replace_feeds(&mut self, mut feeds: Box<Feeds>) -> Box<Feeds> {
        if feeds.len() > self.feeds.len() {
            // Never grow the input buffers here; extra feeds are not played.
            feeds.truncate(self.feeds.len());
        }
        std::mem::swap(&mut self.feeds, &mut feeds);
        feeds
    }

    /// Whether every feed can deliver `frames` frames without an underrun.
    pub fn feeds_ready(&self, frames: usize) -> bool {
        self.feeds.iter().flatten().all(|f| f.ready(frames))
    }

    /// Whether every feed has played to its end.
    pub fn feeds_finished(&self) -> bool {
        self.feeds.iter().flatten().all(|f| f.finished())
    }

    /// What outputs 1–2 play: the mix, mono, dimmed, or another source
    /// (see `MonitorSettings`). Changes crossfade; renders never call this.
    pub fn set_monitor(&mut self, settings: MonitorSettings) {
        self.monitor.set(settings);
    }

    /// Copies, every block, the mix as a render writes it (before mono, dim
    /// or "listen to"), the probed channel's output and what outputs 1–2
    /// play into `tap`: six channels, mix L/R, probe L/R, heard L/R.
    pub fn set_analysis_tap(&mut self, tap: TapWriter) {
        self.analysis = Some(tap);
    }

    /// Whether to keep the per-source ledger (on by default): where each
    /// channel's sound arrives, in `Meters::reach` and `Meters::sends`.
    /// Off, those stay at zero and a block costs less; the mix and every
    /// other meter are the same.
    pub fn set_ledger(&mut self, on: bool) {
        self.ledger = on;
    }

    /// The channel (plan position) whose output the analysis tap carries
    /// as its probe; none: silence there.
    pub fn set_probe(&mut self, pos: Option<usize>) {
        self.probe = pos;
        self.scratch.probe = [[0.0; BLOCK]; 2];
    }

    /// Renders `out.len() / out_channels` frames into `out`, interleaved.
    pub fn process(&mut self, out: &mut [f32]) {
        let width = self.out_channels;
        let frames = out.len() / width;
        let mut done = 0;
        while done < frames {
            let n = (frames - done).min(BLOCK);
            self.render_block(n);
            let block = &mut out[done * width..(done + n) * width];
            let plan = &self.plan;
            // Outputs 1–2: the mix as it is (to the bit), or the monitor's.
            let heard = if self.monitor.is_plain() {
                &self.master
            } else {
                let silence = [0.0f32; BLOCK];
                let src: [&[f32]; 2] = match self.monitor.source() {
                    MonitorSource::Mix => [&self.master[0], &self.master[1]],
                    MonitorSource::DevicePair(p) if (1..=plan.hw_pairs).contains(&p) => {
                        let base = (plan.hw_base + p - 1) * 2 * BLOCK;
                        let (l, r) = plan.buffers[base..base + 2 * BLOCK].split_at(BLOCK);
                        [l, r]
                    }
                    MonitorSource::DevicePair(_) => [&silence, &silence],
                    MonitorSource::Channel(_) => {
                        [&self.scratch.listen[0][..], &self.scratch.listen[1][..]]
                    }
                };
                self.monitor.process(src, &mut self.monitored, n);
                &self.monitored
            };
            if let Some(tap) = self.analysis.as_mut() {
                let p = &self.scratch.probe;
                tap.push_planar(&[
                    &self.master[0][..n],
                    &self.master[1][..n],
                    &p[0][..n],
                    &p[1][..n],
                    &heard[0][..n],
                    &heard[1][..n],
                ]);
            }
            // Device pairs beyond the master's (headphone mixes), as far as
            // the device has channels for them.
            let pairs = plan.hw_pairs.min(width / 2 - 1);
            for (k, frame) in block.chunks_exact_mut(width).enumerate() {
                frame[0] = heard[0][k];
                frame[1] = heard[1][k];
                frame[2..].fill(0.0);
                for p in 1..=pairs {
                    let base = (plan.hw_base + p - 1) * 2 * BLOCK;
                    frame[2 * p] = plan.buffers[base + k];
                    frame[2 * p + 1] = plan.buffers[base + BLOCK + k];
                }
            }
            done += n;
        }
        self.frames_rendered += frames as u64;
    }

    /// Like `process`, also handing out the stems of a plan that keeps them
    /// (`RenderPlan::enable_stems`): stem k's interleaved stereo goes to
    /// `stems[k * 2 * frames..(k + 1) * 2 * frames]`.
    pub fn process_with_stems(&mut self, out: &mut [f32], stems: &mut [f32]) {
        let width = self.out_channels;
        let frames = out.len() / width;
        let count = self.plan.stems.channels.len();
        let mut done = 0;
        while done < frames {
            let n = (frames - done).min(BLOCK);
            self.process(&mut out[done * width..(done + n) * width]);
            let taps = &self.plan.stems.buffers;
            for k in 0..count.min(stems.len() / (2 * frames.max(1))) {
                let (l, r) = taps[k * 2 * BLOCK..(k + 1) * 2 * BLOCK].split_at(BLOCK);
                let dst = &mut stems[k * 2 * frames + 2 * done..k * 2 * frames + 2 * (done + n)];
                for (i, frame) in dst.chunks_exact_mut(2).enumerate() {
                    frame[0] = l[i];
                    frame[1] = r[i];
                }
            }
            done += n;
        }
    }

    /// Renders one block of at most `BLOCK` frames into `self.master`.
    fn render_block(&mut self, n: usize) {
        // Every feed advances every block, whatever the plan does with it,
        // so tracks stay in time through mutes and plan swaps.
        for (slot, feed) in self.feeds.iter_mut().enumerate() {
            if let Some(feed) = feed {
                let (l, r) =
                    self.inputs[slot * 2 * BLOCK..(slot + 1) * 2 * BLOCK].split_at_mut(BLOCK);
                feed.fill(&mut l[..n], &mut r[..n]);
            }
        }
        let capture = Capture {
            listen: match self.monitor.source() {
                MonitorSource::Channel(pos) => Some(pos),
                _ => None,
            },
            probe: self.probe,
            ledger: self.ledger,
        };
        render_plan(
            &mut self.plan,
            &self.inputs,
            &mut self.scratch,
            &mut self.master,
            capture,
            n,
            Some(&mut self.ab),
        );
        if let Some(old) = self.fading.as_mut() {
            let end = self.fade_wait + self.fade_len;
            if self.fade_pos < end {
                render_plan(
                    old,
                    &self.inputs,
                    &mut self.scratch,
                    &mut self.master_old,
                    Capture::default(),
                    n,
                    None,
                );
                // Raised-cosine crossfade: both plans play the same
                // material, so amplitudes (not powers) sum to one; its slope
                // starts and ends at zero, so even two versions a few
                // samples apart in time (a latency change) join smoothly.
                let len = self.fade_len as f32;
                let from = self.fade_pos as f32 - self.fade_wait as f32;
                for i in 0..n {
                    let t = ((from + i as f32 + 1.0) / len).clamp(0.0, 1.0);
                    let g = 0.5 - 0.5 * (std::f32::consts::PI * t).cos();
                    for side in 0..2 {
                        self.master[side][i] =
                            self.master[side][i] * g + self.master_old[side][i] * (1.0 - g);
                    }
                }
                self.fade_pos += n as u32;
            }
            if self.fade_pos >= end && self.retired.is_none() {
                self.retired = self.fading.take();
            }
        }
    }
}
