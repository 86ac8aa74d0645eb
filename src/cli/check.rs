//! `auxbus check SESSION`: validate, open every source, print the routing.

use std::collections::HashMap;
use std::path::Path;

use auxbus::graph;
use auxbus::io::decode::SourceInfo;
use auxbus::io::decode::open_tracks_measured;
use auxbus::session::{self, ChannelKind, escape_controls};

use super::args::Args;
use super::{CliError, Result};

pub fn run(a: Args) -> Result<()> {
    let path = Path::new(a.one_positional("SESSION")?);
    let s = session::load(path)?;
    // The effects' memory is costed before anything is built (one line naming
    // the insert when it is too much).
    graph::effect_memory(&s)?;
    // Open every source and report all the bad ones, not just the first.
    let opened = open_tracks_measured(&s, path, 0);
    let infos: HashMap<String, SourceInfo> = opened
        .slots
        .iter()
        .map(|(id, f)| (id.clone(), opened.readers[f.slot].1.info().clone()))
        .collect();
    let problems: Vec<String> = opened
        .errors
        .iter()
        .map(|(id, e)| format!("track \"{}\": {e}", escape_controls(id)))
        .collect();
    let tracks = s
        .channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Track)
        .count();
    println!(
        "{}: {} channels ({tracks} tracks), {} VCAs, {} Hz, pan law {} dB",
        escape_controls(&path.display().to_string()),
        s.channels.len(),
        s.vcas.len(),
        s.sample_rate,
        s.pan_law_db
    );
    println!();
    let annotate = |c: &session::Channel| -> String {
        let Some(src) = &c.source else {
            return String::new();
        };
        match infos.get(&c.id) {
            Some(i) => {
                let width = match (&i.layout, i.channels) {
                    (Some(layout), _) => layout.as_str(),
                    (None, 1) => "mono",
                    (None, _) => "stereo",
                };
                let len = i.frames.map_or("length unknown".to_owned(), |f| {
                    format!("{:.1} s", f as f64 / f64::from(s.sample_rate))
                });
                let rate = if i.source_rate != s.sample_rate {
                    format!(", resampled from {} Hz", i.source_rate)
                } else {
                    String::new()
                };
                format!("[{src}: {}, {width}, {len}{rate}]", i.format)
            }
            None => format!("[{src}: UNAVAILABLE]"),
        }
    };
    print!("{}", graph::routing_tree(&s, &annotate));
    for w in &opened.warnings {
        eprintln!("auxbus: warning: {}", escape_controls(w));
    }
    // Inserts with a latency (saturation) delay the other paths to match.
    if let Ok(latency) = graph::latency(&s)
        && latency.output > 0
    {
        println!(
            "\nlatency: {} samples ({:.2} ms) from sources to outputs; other paths are delayed to match",
            latency.output,
            f64::from(latency.output) * 1000.0 / f64::from(s.sample_rate)
        );
    }
    if problems.is_empty() {
        println!("\nok: every source opens and the routing is valid");
        Ok(())
    } else {
        for p in &problems {
            eprintln!("auxbus: {}", escape_controls(p));
        }
        Err(CliError::Failed(format!(
            "{} of {tracks} sources cannot be played",
            problems.len()
        )))
    }
}
