//! Every path a channel's signal takes to an output, and what it really
//! gets on the way: own fader × VCAs × pan × every send and bus downstream,
//! as one figure with its parts.
//!
//! ```text
//!  Kick ─out─► Drum Bus ─out─► Master ─► outputs 1–2     dry
//!    │ −2.0 dB   −3.0 dB (VCA 0.0)    0.0 dB             = −5.0 dB
//!    └─send −6 (post)─► Crush −14 ─► Master              parallel
//!    └─send −6 (pre)──► Headphones ─► outputs 3–4        device outputs
//! ```
//! A post-fader send is tapped after fader, VCAs and pan; a pre-fader send
//! before them (after trim), so the figure of a path through a pre-fader
//! send has no fader and no pan in it. The pan of a mono track counts as
//! its power average over both sides (the pan law: −3.0 dB at centre under
//! the −3 dB law), which is why a centred mono track's send steps by 3 dB
//! when it flips from pre to post. Mutes are not gains: they are stops (see
//! `audibility`).

use super::parts::{Part, return_part};
use crate::dsp::{balance_gains, gain_to_db, pan_gains};
use crate::session::{Channel, ChannelKind, Session, hw_output_pair};

/// Most paths listed for one channel (a guard against pathological graphs).
const MAX_PATHS: usize = 256;

/// One factor of a combined gain.
#[derive(Debug, Clone, PartialEq)]
pub struct GainPart {
    /// What it is, in words: "Kick fader", "Drums VCA", "Kick pan (−3 dB law)".
    pub label: String,
    /// `None` is −inf.
    pub db: Option<f32>,
}

/// A gain along a path, as one figure and as the factors it is made of.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CombinedGain {
    pub parts: Vec<GainPart>,
}

impl CombinedGain {
    /// The sum of the parts in dB (`None` when one of them is −inf).
    pub fn db(&self) -> Option<f32> {
        self.parts
            .iter()
            .try_fold(0.0f32, |sum, p| p.db.map(|d| sum + d))
    }

    /// "−5.0 dB = Kick fader −2.0 + Drum Bus fader −3.0 + …" for a hover.
    pub fn explain(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| format!("{} {}", p.label, db_text(p.db)))
            .collect();
        format!("{} = {}", db_text(self.db()), parts.join(" + "))
    }

    fn push(&mut self, label: String, db: Option<f32>) {
        self.parts.push(GainPart { label, db });
    }
}

/// "−5.0 dB", "+2.0 dB", "−inf dB".
pub fn db_text(db: Option<f32>) -> String {
    match db {
        Some(d) if d.abs() < 0.05 => "0.0 dB".to_owned(),
        Some(d) => format!("{d:+.1} dB"),
        None => "-inf dB".to_owned(),
    }
}

/// How a path leaves a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hop {
    /// Its main output: the signal moves on.
    Output,
    /// A send: a copy, tapped before or after the fader.
    Send { pre_fader: bool },
}

/// Where a path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sink {
    /// The master (outputs 1–2).
    Master,
    /// A device output pair (1 = outputs 3–4).
    Device(usize),
}

/// One way a channel's signal reaches an output.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalPath {
    /// Channel ids from the source to the master (or to the channel whose
    /// output is the device pair).
    pub channels: Vec<String>,
    /// `hops[k]` leads from `channels[k]` to `channels[k + 1]`.
    pub hops: Vec<Hop>,
    pub sink: Sink,
    /// What it arrives as: dry, wet, parallel (the last return on the way
    /// decides) or on other device outputs.
    pub part: Part,
    pub gain: CombinedGain,
}

impl SignalPath {
    /// "Kick → Drum Bus → Master", by name.
    pub fn describe(&self, s: &Session) -> String {
        let mut names: Vec<String> = self.channels.iter().map(|id| name_of(s, id)).collect();
        if let Sink::Device(p) = self.sink {
            names.push(outputs_text(p));
        }
        names.join(" → ")
    }

    /// Whether the path goes from `from` to `to` in one hop.
    pub fn has_step(&self, from: &str, to: &str) -> bool {
        self.channels.windows(2).any(|w| w[0] == from && w[1] == to)
    }
}

/// "outputs 3–4" for device pair 1.
pub fn outputs_text(pair: usize) -> String {
    format!("outputs {}–{}", 2 * pair + 1, 2 * pair + 2)
}

/// A channel's display name, or the id when there is no such channel.
pub fn name_of(s: &Session, id: &str) -> String {
    s.channel(id)
        .map_or(id.to_owned(), |c| c.display_name().to_owned())
}

/// Every path from channel `id` to an output, in a stable order (main
/// output first, then sends in the channel's order, depth first).
/// `mono(id)` says whether a track's source is mono (its pan is a pan law,
/// not a balance). Dead ends (an unrouted aux) are not paths.
pub fn signal_paths(s: &Session, id: &str, mono: &dyn Fn(&str) -> bool) -> Vec<SignalPath> {
    let mut out = Vec::new();
    if s.channel(id).is_none() {
        return out;
    }
    let mut stack = vec![id.to_owned()];
    let mut hops = Vec::new();
    walk(s, mono, &mut stack, &mut hops, &mut out);
    out
}

fn walk(
    s: &Session,
    mono: &dyn Fn(&str) -> bool,
    stack: &mut Vec<String>,
    hops: &mut Vec<Hop>,
    out: &mut Vec<SignalPath>,
) {
    if out.len() >= MAX_PATHS || stack.len() > s.channels.len() + 1 {
        return;
    }
    let Some(c) = stack.last().and_then(|id| s.channel(id)) else {
        return;
    };
    if c.kind == ChannelKind::Master {
        out.push(finish(s, mono, stack, hops, Sink::Master));
        return;
    }
    if let Some(o) = c.output.as_deref() {
        match hw_output_pair(o) {
            Some(pair) => out.push(finish(s, mono, stack, hops, Sink::Device(pair))),
            None if s.channel(o).is_some() && !stack.iter().any(|x| x == o) => {
                step(s, mono, stack, hops, out, o, Hop::Output);
            }
            None => {}
        }
    }
    let sends: Vec<(String, bool)> = c
        .sends
        .iter()
        .map(|x| (x.to.clone(), x.pre_fader))
        .collect();
    for (to, pre_fader) in sends {
        if s.channel(&to).is_some() && !stack.contains(&to) {
            step(s, mono, stack, hops, out, &to, Hop::Send { pre_fader });
        }
    }
}

fn step(
    s: &Session,
    mono: &dyn Fn(&str) -> bool,
    stack: &mut Vec<String>,
    hops: &mut Vec<Hop>,
    out: &mut Vec<SignalPath>,
    to: &str,
    hop: Hop,
) {
    stack.push(to.to_owned());
    hops.push(hop);
    walk(s, mono, stack, hops, out);
    stack.pop();
    hops.pop();
}

fn finish(
    s: &Session,
    mono: &dyn Fn(&str) -> bool,
    channels: &[String],
    hops: &[Hop],
    sink: Sink,
) -> SignalPath {
    let part = match sink {
        Sink::Device(_) => Part::Device,
        Sink::Master => channels
            .iter()
            .rev()
            .filter_map(|id| s.channel(id).and_then(return_part))
            .next()
            .unwrap_or(Part::Dry),
    };
    SignalPath {
        channels: channels.to_vec(),
        hops: hops.to_vec(),
        sink,
        part,
        gain: path_gain(s, mono, channels, hops),
    }
}

/// The combined gain along `channels` joined by `hops`.
pub fn path_gain(
    s: &Session,
    mono: &dyn Fn(&str) -> bool,
    channels: &[String],
    hops: &[Hop],
) -> CombinedGain {
    gain_upto(s, mono, channels, hops, channels.len())
}

/// The combined gain of what leaves the first `upto` channels of a path:
/// what arrives at `channels[upto]` (before its own fader).
pub fn gain_upto(
    s: &Session,
    mono: &dyn Fn(&str) -> bool,
    channels: &[String],
    hops: &[Hop],
    upto: usize,
) -> CombinedGain {
    let mut g = CombinedGain::default();
    for (k, id) in channels.iter().enumerate().take(upto) {
        let Some(c) = s.channel(id) else { continue };
        let leaving = hops.get(k).copied().unwrap_or(Hop::Output);
        if c.trim_db != 0.0 {
            g.push(format!("{} trim", c.display_name()), Some(c.trim_db));
        }
        if leaving != (Hop::Send { pre_fader: true }) {
            fader_parts(s, c, mono(&c.id), &mut g);
        }
        if let Hop::Send { pre_fader } = leaving
            && let Some(to) = channels.get(k + 1)
        {
            let level = c
                .sends
                .iter()
                .find(|x| &x.to == to)
                .and_then(|x| x.level_db);
            let tap = if pre_fader { "pre-fader" } else { "post-fader" };
            g.push(format!("{tap} send to {}", name_of(s, to)), level);
        }
    }
    g
}

/// A channel's fader, its VCAs and its pan or balance (when off centre,
/// or always for a mono track: its pan law applies at centre too).
fn fader_parts(s: &Session, c: &Channel, mono: bool, g: &mut CombinedGain) {
    let name = c.display_name();
    g.push(format!("{name} fader"), c.gain_db);
    for v in s.vcas.iter().filter(|v| v.members.contains(&c.id)) {
        let vname = if v.name.is_empty() { &v.id } else { &v.name };
        let label = if vname.contains("VCA") {
            vname.clone()
        } else {
            format!("VCA {vname}")
        };
        g.push(label, v.gain_db);
    }
    let mono = mono && c.kind == ChannelKind::Track;
    if mono {
        let [l, r] = pan_gains(c.pan, s.pan_law_db);
        let label = format!("{name} pan ({} dB law)", s.pan_law_db);
        g.push(label, power_db(l, r));
    } else if c.pan != 0.0 {
        let [l, r] = balance_gains(c.pan);
        g.push(format!("{name} balance"), power_db(l, r));
    }
}

/// The power average of two side gains, in dB.
fn power_db(l: f32, r: f32) -> Option<f32> {
    gain_to_db(((l * l + r * r) / 2.0).sqrt())
}

/// The path that follows main outputs only (a channel's dry route, or its
/// route to device outputs), if it reaches an output.
pub fn main_path(s: &Session, id: &str, mono: &dyn Fn(&str) -> bool) -> Option<SignalPath> {
    let mut channels = vec![id.to_owned()];
    let mut hops = Vec::new();
    loop {
        let c = s.channel(channels.last()?)?;
        if c.kind == ChannelKind::Master {
            return Some(finish(s, mono, &channels, &hops, Sink::Master));
        }
        let o = c.output.as_deref()?;
        if let Some(pair) = hw_output_pair(o) {
            return Some(finish(s, mono, &channels, &hops, Sink::Device(pair)));
        }
        if channels.iter().any(|x| x == o) || channels.len() > s.channels.len() {
            return None;
        }
        channels.push(o.to_owned());
        hops.push(Hop::Output);
    }
}
