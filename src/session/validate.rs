//! Checks a parsed session for consistency. Every error names the field
//! (`channels[3].output`) and says what is wrong in plain words.

use std::collections::{HashMap, HashSet};

use super::effects::Insert;
use super::error::{Result, SessionError};
use super::model::{ChannelKind, PAN_LAWS_DB, Session};
use super::scene::{MAX_SCENES, check_scene_name};

/// Fader and send values above this are refused as typos (+24 dB is already
/// far beyond any console's fader top).
const MAX_GAIN_DB: f32 = 24.0;
const MAX_TRIM_DB: f32 = 48.0;
/// The most channels a session may have (each costs a few kilobytes of
/// mixing buffers and a strip; a large film mix has a few hundred).
pub const MAX_CHANNELS: usize = 10_000;
/// The most VCAs a session may have.
pub const MAX_VCAS: usize = 1_000;
/// The most inserts on one channel.
pub const MAX_INSERTS: usize = 64;

/// Channel id → index, for lookups in loops (a linear search per route
/// would make validating a large session quadratic).
pub fn channel_index_map(s: &Session) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity(s.channels.len());
    for (i, c) in s.channels.iter().enumerate() {
        map.entry(c.id.as_str()).or_insert(i);
    }
    map
}

pub fn validate(s: &Session) -> Result<()> {
    check_sample_rate(s.sample_rate)?;
    check_pan_law(s.pan_law_db)?;
    check_tempo(s.tempo_bpm)?;
    check_count("channels", s.channels.len(), MAX_CHANNELS)?;
    check_count("vcas", s.vcas.len(), MAX_VCAS)?;
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut masters = Vec::new();
    for (i, c) in s.channels.iter().enumerate() {
        let field = format!("channels[{i}]");
        check_id(&mut ids, &c.id, &format!("{field}.id"))?;
        if c.kind == ChannelKind::Master {
            masters.push(i);
        }
        check_gain(c.gain_db, &format!("{field}.gain_db"))?;
        check_trim(c.trim_db, &format!("{field}.trim_db"))?;
        check_pan(c.pan, &format!("{field}.pan"))?;
        match (c.kind, &c.source) {
            (ChannelKind::Track, None) => {
                return Err(SessionError::invalid(
                    format!("{field}.source"),
                    format!("track \"{}\" needs an audio file", c.id),
                ));
            }
            (ChannelKind::Track, Some(src)) if src.trim().is_empty() => {
                return Err(SessionError::invalid(
                    format!("{field}.source"),
                    "the audio file name is empty",
                ));
            }
            (kind, Some(_)) if kind != ChannelKind::Track => {
                return Err(SessionError::invalid(
                    format!("{field}.source"),
                    format!("only tracks play files; \"{}\" is a {}", c.id, kind.label()),
                ));
            }
            _ => {}
        }
        check_count(&format!("{field}.inserts"), c.inserts.len(), MAX_INSERTS)?;
        for (k, insert) in c.inserts.iter().enumerate() {
            check_insert(insert, &c.id, &format!("{field}.inserts[{k}]"))?;
        }
    }
    match masters.len() {
        1 => {}
        0 => {
            return Err(SessionError::invalid(
                "channels",
                "the session has no master channel (kind \"master\")",
            ));
        }
        _ => {
            let names: Vec<_> = masters.iter().map(|&i| s.channels[i].id.as_str()).collect();
            return Err(SessionError::invalid(
                "channels",
                format!("only one master is allowed, found {}", names.join(", ")),
            ));
        }
    }
    let index = channel_index_map(s);
    for i in 0..s.channels.len() {
        check_routes(s, &index, i)?;
    }
    for (v, vca) in s.vcas.iter().enumerate() {
        let field = format!("vcas[{v}]");
        check_id(&mut ids, &vca.id, &format!("{field}.id"))?;
        check_gain(vca.gain_db, &format!("{field}.gain_db"))?;
        let mut seen = HashSet::new();
        for (m, member) in vca.members.iter().enumerate() {
            let mfield = format!("{field}.members[{m}]");
            if !index.contains_key(member.as_str()) {
                return Err(SessionError::invalid(
                    mfield,
                    format!("\"{member}\" is not a channel"),
                ));
            }
            if !seen.insert(member) {
                return Err(SessionError::invalid(
                    mfield,
                    format!("\"{member}\" is listed twice"),
                ));
            }
        }
    }
    super::groups::check_groups(s, &index, &mut |id, field| check_id(&mut ids, id, field))?;
    if let Some(path) = find_loop(s) {
        return Err(SessionError::RoutingLoop { path });
    }
    check_scenes(s)
}

/// Stored scenes: at most eight, named uniquely, every value in range.
/// Their ids may name channels, sends and VCAs that no longer exist (a
/// recall skips those).
fn check_scenes(s: &Session) -> Result<()> {
    check_count("scenes", s.scenes.len(), MAX_SCENES)?;
    let mut names = HashSet::new();
    for (k, scene) in s.scenes.iter().enumerate() {
        let field = format!("scenes[{k}]");
        let name = &scene.name;
        check_scene_name(name).map_err(|m| SessionError::invalid(format!("{field}.name"), m))?;
        if !names.insert(name) {
            return Err(SessionError::invalid(
                format!("{field}.name"),
                format!("a second scene called \"{name}\""),
            ));
        }
        check_count(
            &format!("{field}.channels"),
            scene.channels.len(),
            MAX_CHANNELS,
        )?;
        check_count(&format!("{field}.vcas"), scene.vcas.len(), MAX_VCAS)?;
        for (id, c) in &scene.channels {
            let field = format!("{field}.channels.{id}");
            check_gain(c.gain_db, &format!("{field}.gain_db"))?;
            check_pan(c.pan, &format!("{field}.pan"))?;
            check_count(&format!("{field}.sends"), c.sends.len(), MAX_CHANNELS)?;
            for (aux, send) in &c.sends {
                check_gain(send.level_db, &format!("{field}.sends.{aux}.level_db"))?;
            }
            check_count(&format!("{field}.inserts"), c.inserts.len(), MAX_INSERTS)?;
            for (i, insert) in c.inserts.iter().enumerate() {
                check_insert(insert, id, &format!("{field}.inserts[{i}]"))?;
            }
        }
        for (id, v) in &scene.vcas {
            check_gain(v.gain_db, &format!("{field}.vcas.{id}.gain_db"))?;
        }
    }
    Ok(())
}

fn check_pan(pan: f32, field: &str) -> Result<()> {
    if (-1.0..=1.0).contains(&pan) {
        return Ok(());
    }
    Err(SessionError::invalid(
        field,
        "pan must be from -1 (left) to 1 (right)",
    ))
}

fn check_count(field: &str, n: usize, max: usize) -> Result<()> {
    if n > max {
        return Err(SessionError::invalid(
            field,
            format!("{n} entries; a session may have at most {max}"),
        ));
    }
    Ok(())
}

fn check_id<'a>(ids: &mut HashMap<&'a str, String>, id: &'a str, field: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(SessionError::invalid(field, "an id must not be empty"));
    }
    if let Some(first) = ids.get(id) {
        return Err(SessionError::invalid(
            field,
            format!("id \"{id}\" is already used by {first}"),
        ));
    }
    ids.insert(id, field.trim_end_matches(".id").to_owned());
    Ok(())
}

/// A fader, VCA or send level: −inf (`None`) up to +24 dB.
pub fn check_gain(db: Option<f32>, field: &str) -> Result<()> {
    check_db(db, -f32::INFINITY, MAX_GAIN_DB, field)
}

pub fn check_trim(db: f32, field: &str) -> Result<()> {
    check_db(Some(db), -MAX_TRIM_DB, MAX_TRIM_DB, field)
}

pub fn check_sample_rate(rate: u32) -> Result<()> {
    if (8_000..=384_000).contains(&rate) {
        return Ok(());
    }
    Err(SessionError::invalid(
        "sample_rate",
        format!("{rate} Hz is not a usable sample rate (8000 to 384000)"),
    ))
}

pub fn check_pan_law(db: f32) -> Result<()> {
    if PAN_LAWS_DB.contains(&db) {
        return Ok(());
    }
    Err(SessionError::invalid(
        "pan_law_db",
        format!("{db} dB is not a supported pan law (use -3, -4.5, -6 or 0)"),
    ))
}

pub fn check_tempo(bpm: f32) -> Result<()> {
    if super::effects::TEMPO_RANGE_BPM.contains(&bpm) {
        return Ok(());
    }
    Err(SessionError::invalid(
        "tempo_bpm",
        format!("{bpm} bpm is not a usable tempo (20 to 300)"),
    ))
}

/// Every number of an insert within its parameter's range.
pub fn check_insert(insert: &Insert, channel: &str, field: &str) -> Result<()> {
    insert.effect.check().map_err(|message| {
        SessionError::invalid(
            field,
            format!("{} on \"{channel}\": {message}", insert.kind().label()),
        )
    })
}

fn check_db(value: Option<f32>, min: f32, max: f32, field: &str) -> Result<()> {
    match value {
        None => Ok(()),
        Some(db) if db.is_finite() && db >= min && db <= max => Ok(()),
        Some(db) => Err(SessionError::invalid(
            field,
            format!("{db} dB is out of range (up to +{max} dB; null for -inf)"),
        )),
    }
}

fn check_routes(s: &Session, index: &HashMap<&str, usize>, i: usize) -> Result<()> {
    let c = &s.channels[i];
    let field = format!("channels[{i}]");
    if c.kind != ChannelKind::Master {
        if let Some(out) = &c.output {
            if out.starts_with("hw:") {
                if super::model::hw_output_pair(out).is_none() {
                    return Err(SessionError::invalid(
                        format!("{field}.output"),
                        format!(
                            "\"{out}\" is not a device output pair (use \"hw:3-4\", \"hw:5-6\", …; 1-2 is the master)"
                        ),
                    ));
                }
                return check_sends(s, index, i);
            }
            let Some(target) = index.get(out.as_str()).map(|&j| &s.channels[j]) else {
                return Err(SessionError::invalid(
                    format!("{field}.output"),
                    format!("\"{out}\" is not a channel (an output names a bus or the master)"),
                ));
            };
            if !matches!(target.kind, ChannelKind::Bus | ChannelKind::Master) {
                return Err(SessionError::invalid(
                    format!("{field}.output"),
                    format!(
                        "\"{out}\" is a {}; an output names a bus or the master (use a send to feed an aux)",
                        target.kind.label()
                    ),
                ));
            }
        }
    } else if c.output.is_some() {
        return Err(SessionError::invalid(
            format!("{field}.output"),
            "the master goes to the device; leave its output out",
        ));
    }
    check_sends(s, index, i)
}

fn check_sends(s: &Session, index: &HashMap<&str, usize>, i: usize) -> Result<()> {
    let c = &s.channels[i];
    let field = format!("channels[{i}]");
    let mut seen = HashSet::new();
    for (k, send) in c.sends.iter().enumerate() {
        let sfield = format!("{field}.sends[{k}]");
        match index.get(send.to.as_str()).map(|&j| &s.channels[j]) {
            None => {
                return Err(SessionError::invalid(
                    format!("{sfield}.to"),
                    format!("\"{}\" is not a channel", send.to),
                ));
            }
            Some(t) if t.kind != ChannelKind::Aux => {
                return Err(SessionError::invalid(
                    format!("{sfield}.to"),
                    format!(
                        "\"{}\" is a {}; sends go to an aux",
                        send.to,
                        t.kind.label()
                    ),
                ));
            }
            _ => {}
        }
        if !seen.insert(&send.to) {
            return Err(SessionError::invalid(
                format!("{sfield}.to"),
                format!("a second send to \"{}\"", send.to),
            ));
        }
        check_gain(send.level_db, &format!("{sfield}.level_db"))?;
    }
    if c.kind == ChannelKind::Master && !c.sends.is_empty() {
        return Err(SessionError::invalid(
            format!("{field}.sends"),
            "the master cannot send (it would feed itself)",
        ));
    }
    Ok(())
}

/// Every signal edge of the session, by channel index: outputs and sends.
/// Edges to unknown ids are left out (validation reports those).
pub fn signal_edges(s: &Session) -> Vec<(usize, usize)> {
    let index = channel_index_map(s);
    let lookup = |id: &str| index.get(id).copied();
    let mut edges = Vec::new();
    for (i, c) in s.channels.iter().enumerate() {
        if c.kind == ChannelKind::Master {
            continue;
        }
        if let Some(j) = c.output.as_deref().and_then(lookup) {
            edges.push((i, j));
        }
        for send in &c.sends {
            if let Some(j) = lookup(&send.to) {
                edges.push((i, j));
            }
        }
    }
    edges
}

/// The first routing cycle in the session, as ids from a channel back to
/// itself (`["drums", "fx", "drums"]`), or `None` when the routing is a DAG.
pub fn find_loop(s: &Session) -> Option<Vec<String>> {
    let n = s.channels.len();
    let mut next = vec![Vec::new(); n];
    for (a, b) in signal_edges(s) {
        next[a].push(b);
    }
    // Iterative DFS with colours: 0 new, 1 on the stack, 2 done.
    let mut colour = vec![0u8; n];
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut k)) = stack.last_mut() {
            if let Some(&m) = next[node].get(*k) {
                *k += 1;
                match colour[m] {
                    0 => {
                        colour[m] = 1;
                        stack.push((m, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&(x, _)| x == m).unwrap_or(0);
                        let mut path: Vec<String> = stack[from..]
                            .iter()
                            .map(|&(x, _)| s.channels[x].id.clone())
                            .collect();
                        path.push(s.channels[m].id.clone());
                        return Some(path);
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    None
}
