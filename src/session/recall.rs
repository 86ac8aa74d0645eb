//! Storing and recalling scenes. A recall is worked out against the mix as
//! it is now: one line per value that would change (`Kick fader -2.0 →
//! -6.0 dB`), the ordinary edits that change them (applied as one
//! `Edit::Batch`, so one undo step, and click-free: gains ramp, insert
//! settings glide, a pre/post change crossfades to a new plan), and what
//! the scene stores that has no place any more (a channel, send, insert or
//! VCA removed since), which is skipped. The console and `auxbus render
//! --scene` both recall through `recall`.
//!
//! Inserts are matched by kind: the scene's second compressor on a channel
//! goes to the channel's second compressor, wherever it now sits in the
//! chain. Channels, sends and inserts the scene does not know keep their
//! settings.

use std::collections::HashMap;

use super::edit::Edit;
use super::effects::params::{
    COMPRESSOR_PARAMS, DELAY_PARAMS, EQ_PARAMS, Param, REVERB_PARAMS, SATURATION_PARAMS,
};
use super::effects::{EffectKind, EffectParams, Insert};
use super::error::{Result, SessionError};
use super::model::{Channel, Session, Vca};
use super::scene::{Scene, SceneChannel, SceneSend, SceneVca};

impl Scene {
    /// The mix of `s` as it is now, as a scene called `name`.
    pub fn capture(s: &Session, name: &str) -> Scene {
        let channel = |c: &Channel| SceneChannel {
            gain_db: c.gain_db,
            pan: c.pan,
            mute: c.mute,
            solo_safe: c.solo_safe,
            sends: c
                .sends
                .iter()
                .map(|x| {
                    let send = SceneSend {
                        level_db: x.level_db,
                        pre_fader: x.pre_fader,
                    };
                    (x.to.clone(), send)
                })
                .collect(),
            inserts: c.inserts.clone(),
        };
        let vca = |v: &Vca| SceneVca {
            gain_db: v.gain_db,
            mute: v.mute,
        };
        Scene {
            name: name.to_owned(),
            channels: s
                .channels
                .iter()
                .map(|c| (c.id.clone(), channel(c)))
                .collect(),
            vcas: s.vcas.iter().map(|v| (v.id.clone(), vca(v))).collect(),
        }
    }
}

impl Session {
    /// The scene called `name`, or an error naming it and the scenes there are.
    pub fn find_scene(&self, name: &str) -> Result<&Scene> {
        self.scene(name).ok_or_else(|| SessionError::UnknownScene {
            name: name.to_owned(),
            known: self.scenes.iter().map(|x| x.name.clone()).collect(),
        })
    }
}

/// What recalling a scene onto the mix as it is would do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recall {
    /// One line per value that would change, in strip order.
    pub changes: Vec<String>,
    /// The edits that make those changes.
    pub edits: Vec<Edit>,
    /// What the scene stores that no longer exists, so is left out.
    pub skipped: Vec<String>,
}

impl Recall {
    /// The edits as one undo step; `None` when nothing would change.
    pub fn edit(&self) -> Option<Edit> {
        (!self.edits.is_empty()).then(|| Edit::Batch(self.edits.clone()))
    }

    /// One line naming what was skipped, if anything was.
    pub fn skipped_line(&self, scene: &str) -> Option<String> {
        (!self.skipped.is_empty()).then(|| {
            format!(
                "scene \"{scene}\": skipped what no longer exists: {}",
                self.skipped.join(", ")
            )
        })
    }
}

/// What recalling `scene` onto `s` would change, and how.
pub fn recall(s: &Session, scene: &Scene) -> Recall {
    let mut r = Recall::default();
    for c in &s.channels {
        if let Some(stored) = scene.channels.get(&c.id) {
            recall_channel(&mut r, s, c, stored);
        }
    }
    for id in scene.channels.keys() {
        if s.channel(id).is_none() {
            r.skipped.push(format!("channel \"{id}\""));
        }
    }
    for v in &s.vcas {
        let Some(stored) = scene.vcas.get(&v.id) else {
            continue;
        };
        let name = vca_name(v);
        if stored.gain_db != v.gain_db {
            let what = format!("{name} fader {} dB", db_change(v.gain_db, stored.gain_db));
            r.changes.push(what);
            r.edits.push(Edit::VcaGain {
                vca: v.id.clone(),
                db: stored.gain_db,
            });
        }
        if stored.mute != v.mute {
            r.changes
                .push(format!("{name} mute {} → {}", on(v.mute), on(stored.mute)));
            r.edits.push(Edit::VcaMute {
                vca: v.id.clone(),
                on: stored.mute,
            });
        }
    }
    for id in scene.vcas.keys() {
        if !s.vcas.iter().any(|v| &v.id == id) {
            r.skipped.push(format!("VCA \"{id}\""));
        }
    }
    r
}

/// Recalls the stored scene `name` onto `s` in memory, with the same edits
/// the console applies, and says what it did. An unknown name is an error
/// that lists the scenes there are.
pub fn recall_scene(s: &mut Session, name: &str) -> Result<Recall> {
    let r = recall(s, s.find_scene(name)?);
    if let Some(edit) = r.edit() {
        edit.apply(s)?;
    }
    Ok(r)
}

fn recall_channel(r: &mut Recall, s: &Session, c: &Channel, stored: &SceneChannel) {
    let name = c.display_name();
    let id = || c.id.clone();
    if stored.gain_db != c.gain_db {
        let db = stored.gain_db;
        r.changes
            .push(format!("{name} fader {} dB", db_change(c.gain_db, db)));
        r.edits.push(Edit::Gain { channel: id(), db });
    }
    if stored.pan != c.pan {
        let (a, b) = distinct(|d| pan_text(c.pan, d), |d| pan_text(stored.pan, d));
        r.changes.push(format!("{name} pan {a} → {b}"));
        r.edits.push(Edit::Pan {
            channel: id(),
            pan: stored.pan,
        });
    }
    if stored.mute != c.mute {
        r.changes
            .push(format!("{name} mute {} → {}", on(c.mute), on(stored.mute)));
        r.edits.push(Edit::Mute {
            channel: id(),
            on: stored.mute,
        });
    }
    if stored.solo_safe != c.solo_safe {
        let (a, b) = (on(c.solo_safe), on(stored.solo_safe));
        r.changes.push(format!("{name} solo-safe {a} → {b}"));
        r.edits.push(Edit::SoloSafe {
            channel: id(),
            on: stored.solo_safe,
        });
    }
    for (aux, send) in &stored.sends {
        let aux_name = s.channel(aux).map_or(aux.as_str(), Channel::display_name);
        let what = format!("{name} send to {aux_name}");
        let Some(now) = c.sends.iter().find(|x| &x.to == aux) else {
            r.skipped.push(what);
            continue;
        };
        if now.level_db != send.level_db {
            let change = db_change(now.level_db, send.level_db);
            r.changes.push(format!("{what} {change} dB"));
            r.edits.push(Edit::SendLevel {
                channel: id(),
                aux: aux.clone(),
                db: send.level_db,
            });
        }
        if now.pre_fader != send.pre_fader {
            let (a, b) = (tap(now.pre_fader), tap(send.pre_fader));
            r.changes.push(format!("{what} {a} → {b}"));
            r.edits.push(Edit::SendPreFader {
                channel: id(),
                aux: aux.clone(),
                pre: send.pre_fader,
            });
        }
    }
    let mut nth: HashMap<EffectKind, usize> = HashMap::new();
    for insert in &stored.inserts {
        let kind = insert.kind();
        let n = nth.entry(kind).or_default();
        let k = *n;
        *n += 1;
        let several = |list: &[Insert]| list.iter().filter(|i| i.kind() == kind).count() > 1;
        let label = if several(&stored.inserts) || several(&c.inserts) {
            format!("{name} {} {}", kind.label(), k + 1)
        } else {
            format!("{name} {}", kind.label())
        };
        let mut found = c
            .inserts
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind() == kind);
        let Some((index, now)) = found.nth(k) else {
            r.skipped.push(label);
            continue;
        };
        if now != insert {
            for line in insert_changes(now, insert) {
                r.changes.push(format!("{label}: {line}"));
            }
            r.edits.push(Edit::SetInsert {
                channel: id(),
                index,
                insert: insert.clone(),
            });
        }
    }
}

/// One phrase per setting that differs between two inserts of one kind:
/// `Threshold -18.0 dB → -24.0 dB`, `bypass off → on`.
fn insert_changes(now: &Insert, stored: &Insert) -> Vec<String> {
    use serde_json::Value;
    let object = |i: &Insert| match serde_json::to_value(i) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (object(now), object(stored));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "none".to_owned(),
        Some(Value::Bool(x)) => on(*x).to_owned(),
        Some(Value::String(x)) => x.clone(),
        Some(other) => other.to_string(),
    };
    let mut out = Vec::new();
    for key in keys {
        let (x, y) = (a.get(key), b.get(key));
        if x == y {
            continue;
        }
        let numbers = (
            x.and_then(Value::as_f64).map(|v| v as f32),
            y.and_then(Value::as_f64).map(|v| v as f32),
        );
        out.push(match (numbers, param_format(&stored.effect, key)) {
            ((Some(p), Some(q)), Some((label, format))) => {
                let (p, q) = match (format(p), format(q)) {
                    (x, y) if x == y => (p.to_string(), q.to_string()),
                    shown => shown,
                };
                format!("{label} {p} → {q}")
            }
            _ => format!("{key} {} → {}", show(x), show(y)),
        });
    }
    if out.is_empty() {
        out.push("settings".to_owned());
    }
    out
}

/// Shows a parameter's value in its unit.
type Formatter = Box<dyn Fn(f32) -> String>;

/// The label and value format of parameter `key` of `effect`'s kind.
fn param_format(effect: &EffectParams, key: &str) -> Option<(&'static str, Formatter)> {
    fn find<P>(table: &'static [Param<P>], key: &str) -> Option<(&'static str, Formatter)> {
        let p = table.iter().find(|p| p.key == key)?;
        Some((p.label, Box::new(move |v| p.format(v))))
    }
    match effect {
        EffectParams::Eq(_) => find(&EQ_PARAMS, key),
        EffectParams::Compressor(_) => find(&COMPRESSOR_PARAMS, key),
        EffectParams::Reverb(_) => find(&REVERB_PARAMS, key),
        EffectParams::Delay(_) => find(&DELAY_PARAMS, key),
        EffectParams::Saturation(_) => find(&SATURATION_PARAMS, key),
    }
}

/// `"-2.0 → -6.0"`, with more decimals when one would hide the change.
fn db_change(a: Option<f32>, b: Option<f32>) -> String {
    let (a, b) = distinct(|d| db_text(a, d), |d| db_text(b, d));
    format!("{a} → {b}")
}

/// The two texts at the fewest decimals (1 to 4) that tell them apart.
fn distinct(a: impl Fn(usize) -> String, b: impl Fn(usize) -> String) -> (String, String) {
    (1..=4)
        .map(|d| (a(d), b(d)))
        .find(|(x, y)| x != y)
        .unwrap_or_else(|| (a(4), b(4)))
}

/// A gain as the console shows it: `-inf`, `-3.0`, `0.0`, `+2.5`.
fn db_text(db: Option<f32>, decimals: usize) -> String {
    let Some(d) = db else {
        return "-inf".to_owned();
    };
    let text = format!("{d:.decimals$}");
    if text
        .trim_start_matches('-')
        .trim_matches(['0', '.'])
        .is_empty()
    {
        format!("{:.decimals$}", 0.0)
    } else if d > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// A pan as the console shows it: `C`, `L37`, `R20`.
fn pan_text(pan: f32, decimals: usize) -> String {
    let d = decimals.saturating_sub(1);
    let percent = format!("{:.d$}", (pan * 100.0).abs());
    if percent.trim_matches(['0', '.']).is_empty() {
        "C".to_owned()
    } else if pan < 0.0 {
        format!("L{percent}")
    } else {
        format!("R{percent}")
    }
}

fn on(x: bool) -> &'static str {
    if x { "on" } else { "off" }
}

fn tap(pre: bool) -> &'static str {
    if pre { "PRE" } else { "POST" }
}

/// `Drums VCA`, or `VCA Vocals` when the name does not say it is one.
fn vca_name(v: &Vca) -> String {
    let name = if v.name.is_empty() { &v.id } else { &v.name };
    if name.to_lowercase().contains("vca") {
        name.clone()
    } else {
        format!("VCA {name}")
    }
}
