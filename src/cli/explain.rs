//! `auxbus explain SESSION [CHANNEL] [--json]`: for each channel (or the one
//! named), where its signal goes — every path to every output with the
//! combined gain along it —, how much of it arrives dry, wet and parallel,
//! measured by an offline render of the whole session, and, when it is
//! stopped anywhere, where and how to reopen it.
//!
//! ```text
//!  session ──load──► paths + stops (graph::hearing)  ─┐
//!     └──measure_session (offline render) ──► reach ──┴─► text or JSON
//! ```

use std::path::Path;

use auxbus::engine::{DEVICE, DRY, PARALLEL, WET};
use auxbus::graph::{self, Hop, Listen, Verdict};
use auxbus::render::{self, RenderOptions};
use auxbus::session::{self, Channel, Session};
use serde_json::{Value, json};

use super::args::Args;
use super::explain_json::{Entry, channel_json};
use super::{CliError, Result};

pub fn run(a: Args) -> Result<()> {
    let json = a.flag("--json");
    let (path, wanted) = match a.positionals() {
        [session] => (Path::new(session), None),
        [session, channel] => (Path::new(session), Some(channel.as_str())),
        [] => return Err(CliError::Usage("explain needs SESSION".into())),
        [_, _, extra, ..] => return Err(CliError::Usage(format!("unexpected argument {extra}"))),
    };
    // A session that cannot be read is bad input.
    let s = session::load(path).map_err(|e| CliError::Usage(e.to_string()))?;
    let only = match wanted {
        Some(w) => Some(find(&s, w).ok_or_else(|| {
            CliError::Usage(format!(
                "{}: no channel \"{w}\" (channels: {})",
                path.display(),
                s.channels
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let measured = render::measure_session(&s, path, &RenderOptions::default())?;
    let offline: Vec<String> = measured.offline.iter().map(|(id, _)| id.clone()).collect();
    let mono = |id: &str| measured.mono.iter().any(|m| m == id);
    let cx = Listen {
        offline: &offline,
        mono: &mono,
        device_pairs: None,
        level: None,
    };
    let report = &measured.report;
    let entries: Vec<Entry> = s
        .channels
        .iter()
        .filter(|c| only.as_ref().is_none_or(|o| *o == c.id))
        .filter_map(|c| {
            let hearing = graph::hearing(&s, &c.id, &cx)?;
            let pos = report.channel_ids.iter().position(|x| x == &c.id);
            let reach = pos.map_or([0.0; 4], |p| report.meters.reach[p]);
            Some(Entry {
                c,
                hearing,
                reach,
                frames: report.frames,
            })
        })
        .collect();
    let seconds = report.frames as f64 / f64::from(report.sample_rate);
    if json {
        let v = json!({
            "session": path.display().to_string(),
            "seconds": seconds,
            "sample_rate": report.sample_rate,
            "frames": report.frames,
            "offline": measured.offline.iter().map(|(id, why)| json!({"id": id, "reason": why})).collect::<Vec<_>>(),
            "channels": entries.iter().map(|e| channel_json(&s, e)).collect::<Vec<Value>>(),
        });
        let text = serde_json::to_string_pretty(&v).map_err(|e| CliError::Failed(e.to_string()))?;
        return emit(&format!("{text}\n"));
    }
    let mut out = format!(
        "{}: measured over {seconds:.2} s by an offline render (levels are RMS over the render)\n",
        path.display()
    );
    for (id, why) in &measured.offline {
        out.push_str(&format!("offline: track \"{id}\": {why}\n"));
    }
    for e in &entries {
        out.push('\n');
        out.push_str(&text(&s, e));
    }
    emit(&out)
}

/// Writes to stdout; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Failed(format!("cannot write the answer: {e}")))
        }
        _ => Ok(()),
    }
}

/// A channel by id, or by name when no id matches.
fn find(s: &Session, wanted: &str) -> Option<String> {
    s.channel(wanted)
        .or_else(|| {
            s.channels
                .iter()
                .find(|c| c.display_name().eq_ignore_ascii_case(wanted))
        })
        .map(|c| c.id.clone())
}

fn db(v: Option<f64>) -> String {
    v.map_or("-inf dB".to_owned(), |d| format!("{d:.1} dB"))
}

/// The plain-text answer for one channel.
fn text(s: &Session, e: &Entry) -> String {
    let c = e.c;
    let h = &e.hearing;
    let mut out = format!("{} ({}{})\n", c.display_name(), c.kind.label(), id_note(c));
    if h.paths.is_empty() {
        out.push_str("  where it goes: nowhere\n");
    } else {
        out.push_str("  where it goes:\n");
    }
    for (k, p) in h.paths.iter().enumerate() {
        let via = match p.hops.first() {
            Some(Hop::Send { pre_fader: true }) => ", pre-fader send",
            Some(Hop::Send { pre_fader: false }) => ", post-fader send",
            _ => "",
        };
        let state = if h.blocked[k].is_empty() {
            String::new()
        } else {
            let why: Vec<&str> = h.blocked[k]
                .iter()
                .map(|&i| h.stops[i].text.as_str())
                .collect();
            format!("  STOPPED: {}", why.join("; "))
        };
        out.push_str(&format!(
            "    {:<8}  {}  {}{via}{state}\n              {}\n",
            p.part.label().replace("device outputs", "device"),
            p.describe(s),
            graph::db_text(p.gain.db()),
            p.gain.explain()
        ));
    }
    out.push_str(&format!("  measured: {}\n", measured_text(e)));
    let heard: Vec<String> = h.open().map(|p| p.describe(s)).collect();
    let verdict = match h.verdict {
        Verdict::Heard => format!("heard through {}", heard.join("; ")),
        Verdict::Quiet => "open, but nothing plays on it".to_owned(),
        Verdict::Silent => "silent: every path is stopped".to_owned(),
    };
    out.push_str(&format!("  {verdict}\n"));
    if !h.stops.is_empty() {
        out.push_str("  where it stops:\n");
        for st in &h.stops {
            let fix = st
                .fix
                .as_ref()
                .map_or(String::new(), |f| format!("  → fix: {}", f.label));
            out.push_str(&format!("    - {}{fix}\n", st.text));
        }
    }
    out
}

fn id_note(c: &Channel) -> String {
    if c.display_name() == c.id {
        String::new()
    } else {
        format!(", id {}", c.id)
    }
}

/// "dry -20.1 dB · wet -30.0 dB … = dry 91 % · wet 9 % of what reaches the master".
fn measured_text(e: &Entry) -> String {
    let mut parts = Vec::new();
    for (p, name) in [(DRY, "dry"), (WET, "wet"), (PARALLEL, "parallel")] {
        if e.reach[p] > 0.0 {
            parts.push(format!("{name} {}", db(e.level_db(p))));
        }
    }
    let mut text = if parts.is_empty() {
        "nothing reached the master".to_owned()
    } else {
        parts.join(" · ")
    };
    if let Some(sh) = e.shares() {
        let names = ["dry", "wet", "parallel"];
        let pct: Vec<String> = (0..3)
            .filter(|&k| sh[k] > 0.0)
            .map(|k| format!("{} {:.1} %", names[k], sh[k] * 100.0))
            .collect();
        text.push_str(&format!(
            " = {} of what reaches the master",
            pct.join(" · ")
        ));
    }
    if e.reach[DEVICE] > 0.0 {
        text.push_str(&format!(
            "; other device outputs {}",
            db(e.level_db(DEVICE))
        ));
    }
    text
}
