//! Mixer scenes: up to eight stored snapshots of the mix — every fader,
//! pan, mute, solo-safe, send level, pre/post tap and insert setting, and
//! every VCA fader and mute — kept in the session under `"scenes"`.
//! Routing is not part of a scene: which outputs, sends, inserts and VCA
//! members exist stays as it is when a scene is recalled (see `recall`).
//!
//! ```text
//!  Session ──capture──► Scene ──(Edit::AddScene, in Session.scenes)──► recall ──► Edit::Batch
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::effects::Insert;

/// The most scenes a session keeps.
pub const MAX_SCENES: usize = 8;
/// The longest scene name, in characters.
pub const MAX_SCENE_NAME: usize = 64;

/// One stored snapshot of the mix, by channel and VCA id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    pub name: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub channels: BTreeMap<String, SceneChannel>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub vcas: BTreeMap<String, SceneVca>,
}

/// What a scene stores of one channel. Defaults as in a channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneChannel {
    /// The fader; `None` is −inf.
    #[serde(default = "unity_db")]
    pub gain_db: Option<f32>,
    #[serde(default)]
    pub pan: f32,
    #[serde(default)]
    pub mute: bool,
    #[serde(default)]
    pub solo_safe: bool,
    /// Send settings by the id of the aux they feed.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub sends: BTreeMap<String, SceneSend>,
    /// Insert settings in the channel's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inserts: Vec<Insert>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneSend {
    #[serde(default = "unity_db")]
    pub level_db: Option<f32>,
    #[serde(default)]
    pub pre_fader: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneVca {
    #[serde(default = "unity_db")]
    pub gain_db: Option<f32>,
    #[serde(default)]
    pub mute: bool,
}

/// Whether `name` can name a scene: why not, in words, or `Ok`.
pub fn check_scene_name(name: &str) -> std::result::Result<(), String> {
    if name.trim().is_empty() {
        return Err("a scene needs a name".into());
    }
    if name.chars().count() > MAX_SCENE_NAME {
        return Err(format!(
            "a scene name has at most {MAX_SCENE_NAME} characters"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("a scene name cannot contain control characters".into());
    }
    Ok(())
}

fn unity_db() -> Option<f32> {
    Some(0.0)
}

/// A JSON object as a map, refusing a key written twice (serde would
/// silently keep the last).
fn unique_keys<'de, D, V>(d: D) -> std::result::Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of ids")
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "\"{}\" is listed twice",
                        key.escape_debug()
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(PhantomData))
}
