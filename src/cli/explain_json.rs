//! `auxbus explain --json`: the same answer as data, for tools and tests.
//!
//! ```text
//!  {"channels": [{"id", "verdict", "paths": [{"route", "part", "gain_db",
//!     "gain_parts", "open", "stopped_by"}], "measured": {"energy", "level_db",
//!     "shares"}, "stops": [{"at", "kind", "text", "fix": {"label", "edit"}}]}]}
//! ```

use auxbus::engine::{DEVICE, DRY, PARALLEL, WET};
use auxbus::graph::{self, Hearing, Hop, Part, SignalPath, Sink, StopKind, Verdict};
use auxbus::session::{Channel, Edit, Session};
use serde_json::{Value, json};

pub(super) fn channel_json(s: &Session, e: &Entry) -> Value {
    let h = &e.hearing;
    let parts = [
        (DRY, "dry"),
        (WET, "wet"),
        (PARALLEL, "parallel"),
        (DEVICE, "device"),
    ];
    let energy: serde_json::Map<String, Value> = parts
        .iter()
        .map(|&(p, name)| (name.to_owned(), json!(e.reach[p])))
        .collect();
    let level: serde_json::Map<String, Value> = parts
        .iter()
        .map(|&(p, name)| (name.to_owned(), json!(e.level_db(p))))
        .collect();
    let shares = e
        .shares()
        .map(|sh| json!({"dry": sh[0], "wet": sh[1], "parallel": sh[2]}));
    json!({
        "id": e.c.id,
        "name": e.c.display_name(),
        "kind": e.c.kind.label(),
        "verdict": match h.verdict {
            Verdict::Heard => "heard",
            Verdict::Quiet => "quiet",
            Verdict::Silent => "silent",
        },
        "paths": h.paths.iter().enumerate().map(|(k, p)| {
            let mut v = path_json(s, p);
            v["open"] = json!(h.blocked[k].is_empty());
            v["stopped_by"] = json!(h.blocked[k]);
            v
        }).collect::<Vec<_>>(),
        "measured": {
            "energy": energy,
            "level_db": level,
            "shares": shares,
        },
        "stops": h.stops.iter().map(|st| json!({
            "at": st.at,
            "kind": kind_name(&st.kind),
            "text": st.text,
            "fix": st.fix.as_ref().map(|f| json!({"label": f.label, "edit": edit_json(&f.edit)})),
            "paths": st.paths,
        })).collect::<Vec<_>>(),
    })
}

pub(super) fn path_json(s: &Session, p: &SignalPath) -> Value {
    json!({
        "route": p.channels,
        "names": p.channels.iter().map(|id| auxbus::graph::name_of(s, id)).collect::<Vec<_>>(),
        "hops": p.hops.iter().map(|h| match h {
            Hop::Output => "output",
            Hop::Send { pre_fader: true } => "pre-fader send",
            Hop::Send { pre_fader: false } => "post-fader send",
        }).collect::<Vec<_>>(),
        "sink": sink_name(p.sink),
        "part": part_name(p.part),
        "gain_db": p.gain.db(),
        "gain_parts": p.gain.parts.iter().map(|g| json!({"label": g.label, "db": g.db})).collect::<Vec<_>>(),
        "text": p.describe(s),
    })
}

fn kind_name(k: &StopKind) -> &'static str {
    match k {
        StopKind::Offline => "offline",
        StopKind::Muted => "muted",
        StopKind::VcaMuted(_) => "vca muted",
        StopKind::SoloMuted => "muted by solo",
        StopKind::FaderInf => "fader at -inf",
        StopKind::VcaInf(_) => "vca at -inf",
        StopKind::SendInf(_) => "send at -inf",
        StopKind::NoOutput => "no output",
        StopKind::NoRoute => "no route",
        StopKind::NoDevice(_) => "no such device outputs",
    }
}

/// An edit as data a tool can apply (the fixes `graph::hearing` offers).
pub(super) fn edit_json(e: &Edit) -> Value {
    match e {
        Edit::Mute { channel, on } => json!({"edit": "mute", "channel": channel, "on": on}),
        Edit::Solo { channel, on } => json!({"edit": "solo", "channel": channel, "on": on}),
        Edit::SoloSafe { channel, on } => {
            json!({"edit": "solo_safe", "channel": channel, "on": on})
        }
        Edit::Gain { channel, db } => json!({"edit": "gain", "channel": channel, "db": db}),
        Edit::VcaGain { vca, db } => json!({"edit": "vca_gain", "vca": vca, "db": db}),
        Edit::VcaMute { vca, on } => json!({"edit": "vca_mute", "vca": vca, "on": on}),
        Edit::SendLevel { channel, aux, db } => {
            json!({"edit": "send_level", "channel": channel, "aux": aux, "db": db})
        }
        Edit::Output { channel, output } => {
            json!({"edit": "output", "channel": channel, "output": output})
        }
        Edit::Batch(steps) => {
            json!({"edit": "batch", "steps": steps.iter().map(edit_json).collect::<Vec<_>>()})
        }
        other => json!({"edit": "other", "debug": format!("{other:?}")}),
    }
}

/// One channel, explained.
pub(super) struct Entry<'a> {
    pub c: &'a Channel,
    pub hearing: Hearing,
    /// Energy (both sides, whole render) at the master dry, wet, parallel
    /// and at other device outputs.
    pub reach: [f64; 4],
    pub frames: u64,
}

impl Entry<'_> {
    /// Mean-square level of a part over the render, in dB (`None`: nothing).
    pub fn level_db(&self, part: usize) -> Option<f64> {
        let e = self.reach[part];
        (e > 1e-20 && self.frames > 0).then(|| 10.0 * (e / (2 * self.frames) as f64).log10())
    }

    /// Share of what reaches the master, per part (dry, wet, parallel).
    pub fn shares(&self) -> Option<[f64; 3]> {
        let total: f64 = self.reach[..3].iter().sum();
        (total > 0.0).then(|| [DRY, WET, PARALLEL].map(|p| self.reach[p] / total))
    }
}

/// Where a path ends, for JSON.
pub(super) fn sink_name(sink: Sink) -> String {
    match sink {
        Sink::Master => "master".to_owned(),
        Sink::Device(p) => graph::outputs_text(p).replace('–', "-"),
    }
}

/// A part's name, for JSON.
pub(super) fn part_name(p: Part) -> &'static str {
    match p {
        Part::Dry => "dry",
        Part::Wet => "wet",
        Part::Parallel => "parallel",
        Part::Device => "device",
    }
}
