//! An insert as the session file stores it:
//! `{"type": "compressor", "threshold_db": -18.0, …, "bypass": false}`.
//!
//! A `"preset"` name fills in every parameter the entry leaves out, so a
//! hand-written `{"type": "reverb", "preset": "Vocal plate"}` is a plate.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::kind::{EffectKind, EffectParams};
use super::presets;

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
