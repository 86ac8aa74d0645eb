//! An insert as the session file stores it:
//! `{"type": "compressor", "threshold_db": -18.0, …, "bypass": false}`.
//!
//! A `"preset"` name fills in every parameter the entry leaves out, so a
//! hand-written `{"type": "reverb", "preset": "Vocal plate"}` is a plate.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::params::*;
use super::presets;

/// Which effect an insert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EffectKind {
    Eq,
    Compressor,
    Reverb,
    Delay,
    Saturation,
}

impl EffectKind {
    pub const ALL: [EffectKind; 5] = [
        EffectKind::Eq,
        EffectKind::Compressor,
        EffectKind::Reverb,
        EffectKind::Delay,
        EffectKind::Saturation,
    ];

    /// Reverb and delay: everything they put out is an added, "wet" sound,
    /// metered as wet on the master like an aux return.
    pub fn is_time_based(self) -> bool {
        matches!(self, EffectKind::Reverb | EffectKind::Delay)
    }

    /// The `type` value in the session file.
    pub fn key(self) -> &'static str {
        match self {
            EffectKind::Eq => "eq",
            EffectKind::Compressor => "compressor",
            EffectKind::Reverb => "reverb",
            EffectKind::Delay => "delay",
            EffectKind::Saturation => "saturation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EffectKind::Eq => "EQ",
            EffectKind::Compressor => "Compressor",
            EffectKind::Reverb => "Reverb",
            EffectKind::Delay => "Delay",
            EffectKind::Saturation => "Saturation",
        }
    }

    /// A short name for an insert slot on a narrow strip.
    pub fn short(self) -> &'static str {
        match self {
            EffectKind::Eq => "EQ",
            EffectKind::Compressor => "COMP",
            EffectKind::Reverb => "VERB",
            EffectKind::Delay => "DLY",
            EffectKind::Saturation => "SAT",
        }
    }

    /// The effect with default parameters. Time effects start fully wet on
    /// an aux (the aux's fader is the return level) and at a moderate mix
    /// when inserted on a track or bus, where dry and wet share a channel.
    pub fn default_params(self, on_aux: bool) -> EffectParams {
        match self {
            EffectKind::Eq => EffectParams::Eq(EqParams::default()),
            EffectKind::Compressor => EffectParams::Compressor(CompressorParams::default()),
            EffectKind::Reverb => EffectParams::Reverb(ReverbParams {
                mix: if on_aux { 1.0 } else { 0.25 },
                ..ReverbParams::default()
            }),
            EffectKind::Delay => EffectParams::Delay(DelayParams {
                mix: if on_aux { 1.0 } else { 0.3 },
                ..DelayParams::default()
            }),
            EffectKind::Saturation => EffectParams::Saturation(SaturationParams::default()),
        }
    }
}

/// The parameters of one effect, tagged by `type` in the file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum EffectParams {
    Eq(EqParams),
    Compressor(CompressorParams),
    Reverb(ReverbParams),
    Delay(DelayParams),
    Saturation(SaturationParams),
}

impl EffectParams {
    pub fn kind(&self) -> EffectKind {
        match self {
            EffectParams::Eq(_) => EffectKind::Eq,
            EffectParams::Compressor(_) => EffectKind::Compressor,
            EffectParams::Reverb(_) => EffectKind::Reverb,
            EffectParams::Delay(_) => EffectKind::Delay,
            EffectParams::Saturation(_) => EffectKind::Saturation,
        }
    }

    /// The dry/wet share, for effects that have one (1 = fully processed).
    pub fn mix(&self) -> f32 {
        match self {
            EffectParams::Eq(_) => 1.0,
            EffectParams::Compressor(p) => p.mix,
            EffectParams::Reverb(p) => p.mix,
            EffectParams::Delay(p) => p.mix,
            EffectParams::Saturation(p) => p.mix,
        }
    }

    /// Checks every number against its range: `Err` names the parameter,
    /// the value and the range in the parameter's unit.
    pub fn check(&self) -> Result<(), String> {
        match self {
            EffectParams::Eq(p) => check_table(&EQ_PARAMS, p),
            EffectParams::Compressor(p) => check_table(&COMPRESSOR_PARAMS, p),
            EffectParams::Reverb(p) => check_table(&REVERB_PARAMS, p),
            EffectParams::Delay(p) => check_table(&DELAY_PARAMS, p),
            EffectParams::Saturation(p) => check_table(&SATURATION_PARAMS, p),
        }
    }
}

fn check_table<P>(table: &[Param<P>], p: &P) -> Result<(), String> {
    for param in table {
        let v = (param.get)(p);
        if !param.contains(v) {
            let unit = match param.unit {
                "%" => " (0 to 1 is 0 to 100 %)".to_owned(),
                "" => String::new(),
                u => format!(" {u}"),
            };
            return Err(format!(
                "{} {v} is out of range ({} to {}{unit})",
                param.key, param.min, param.max
            ));
        }
    }
    Ok(())
}

/// One slot of a channel's insert chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    pub effect: EffectParams,
    /// Passes the signal through untouched (the effect keeps its settings).
    pub bypass: bool,
    /// The preset this insert started from, shown in the editor.
    pub preset: Option<String>,
}

impl Insert {
    pub fn new(effect: EffectParams) -> Self {
        Insert {
            effect,
            bypass: false,
            preset: None,
        }
    }

    pub fn kind(&self) -> EffectKind {
        self.effect.kind()
    }
}

#[derive(Serialize)]
struct InsertOut<'a> {
    #[serde(flatten)]
    effect: &'a EffectParams,
    bypass: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    preset: &'a Option<String>,
}

impl Serialize for Insert {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InsertOut {
            effect: &self.effect,
            bypass: self.bypass,
            preset: &self.preset,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Insert {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let bypass = match map.remove("bypass") {
            None => false,
            Some(serde_json::Value::Bool(b)) => b,
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "bypass: expected true or false, found {other}"
                )));
            }
        };
        let preset = match map.remove("preset") {
            None => None,
            Some(serde_json::Value::String(name)) => Some(name),
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "preset: expected a preset name, found {other}"
                )));
            }
        };
        if let Some(name) = &preset {
            let Some(base) = presets::find(name) else {
                return Err(D::Error::custom(format!(
                    "unknown preset {name:?} (known: {})",
                    presets::names().join(", ")
                )));
            };
            // The preset's values under the entry's own: fields written in
            // the file win, and `type` may be left out.
            let serde_json::Value::Object(mut merged) =
                serde_json::to_value(base.effect).map_err(D::Error::custom)?
            else {
                return Err(D::Error::custom("preset is not an object"));
            };
            if let Some(t) = map.get("type")
                && Some(t) != merged.get("type")
            {
                return Err(D::Error::custom(format!(
                    "preset {name:?} is a {}, not a {t}",
                    base.effect.kind().key()
                )));
            }
            merged.extend(map);
            map = merged;
        }
        if !map.contains_key("type") {
            return Err(D::Error::custom(
                "missing field `type` (eq, compressor, reverb, delay or saturation)",
            ));
        }
        let effect: EffectParams = serde_path_to_error::deserialize(serde_json::Value::Object(map))
            .map_err(|e| {
                let path = e.path().to_string();
                if path == "." || path.is_empty() {
                    D::Error::custom(e.inner())
                } else {
                    D::Error::custom(format!("{path}: {}", e.inner()))
                }
            })?;
        Ok(Insert {
            effect,
            bypass,
            preset,
        })
    }
}
