//! The session document as it is stored on disk (format v1).
//!
//! These types mirror the JSON one to one; defaults follow sessions/FORMAT.md.
//! `None` in a `*_db` field means −inf (the JSON `null`).

use serde::{Deserialize, Serialize};

use super::effects::{DEFAULT_TEMPO_BPM, Insert};
use super::scene::Scene;

/// The value of the `format` field; anything else is not an auxbus session.
pub const FORMAT_NAME: &str = "auxbus-session";
/// The newest format version this build reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;
/// The id every session uses for its master channel's default output target.
pub const DEFAULT_OUTPUT: &str = "master";
/// Pan laws a session may name, in dB at centre for a mono source.
pub const PAN_LAWS_DB: [f32; 4] = [-3.0, -4.5, -6.0, 0.0];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub format: String,
    pub version: u32,
    #[serde(default = "default_sample_rate")]
    pub sample_rate: u32,
    #[serde(default = "default_pan_law")]
    pub pan_law_db: f32,
    /// Quarter notes per minute, for tempo-synced delays.
    #[serde(default = "default_tempo", skip_serializing_if = "is_default_tempo")]
    pub tempo_bpm: f32,
    pub channels: Vec<Channel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vcas: Vec<Vca>,
    /// Stored snapshots of the mix (at most `MAX_SCENES`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenes: Vec<Scene>,
    /// Linked (relative) groups: members' faders move together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<LinkGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// Plays an audio file.
    Track,
    /// Sums the channels whose `output` names it: moves signal, groups.
    Bus,
    /// Sums the sends that name it: receives copies, helps (FX return).
    Aux,
    /// The one channel that goes to the device or the render file.
    Master,
}

impl ChannelKind {
    pub fn label(self) -> &'static str {
        match self {
            ChannelKind::Track => "track",
            ChannelKind::Bus => "bus",
            ChannelKind::Aux => "aux",
            ChannelKind::Master => "master",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub kind: ChannelKind,
    /// Audio file for a track: relative to the session file's folder, or absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The fader; `None` is −inf.
    #[serde(default = "unity_db")]
    pub gain_db: Option<f32>,
    #[serde(default)]
    pub trim_db: f32,
    /// −1 (left) … 1 (right); a balance for stereo signals.
    #[serde(default)]
    pub pan: f32,
    #[serde(default)]
    pub mute: bool,
    #[serde(default)]
    pub solo: bool,
    #[serde(default)]
    pub solo_safe: bool,
    /// A bus or the master; `None` leaves the channel unrouted (heard only via
    /// its sends). Ignored for the master itself.
    #[serde(default = "default_output")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sends: Vec<Send>,
    /// Insert effects, in signal order (after trim, before the pre-fader tap).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inserts: Vec<Insert>,
}

impl Channel {
    /// A channel with every field at its default.
    pub fn new(id: &str, kind: ChannelKind) -> Self {
        Channel {
            id: id.to_owned(),
            name: String::new(),
            kind,
            source: None,
            gain_db: Some(0.0),
            trim_db: 0.0,
            pan: 0.0,
            mute: false,
            solo: false,
            solo_safe: false,
            output: (kind != ChannelKind::Master).then(|| DEFAULT_OUTPUT.to_owned()),
            sends: Vec::new(),
            inserts: Vec::new(),
        }
    }

    /// The name to show: the `name` field, or the id when it is empty.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Send {
    /// The id of an aux.
    pub to: String,
    /// `None` is −inf.
    #[serde(default = "unity_db")]
    pub level_db: Option<f32>,
    /// Tapped before the fader (after trim and inserts) instead of after fader and pan.
    #[serde(default)]
    pub pre_fader: bool,
}

impl Send {
    /// What a send added from the console starts as: post-fader at −12 dB,
    /// a moderate amount of effect that follows the fader.
    pub fn new(to: &str) -> Self {
        Send {
            to: to.to_owned(),
            level_db: Some(-12.0),
            pre_fader: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vca {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Added to each member's fader; `None` is −inf.
    #[serde(default = "unity_db")]
    pub gain_db: Option<f32>,
    #[serde(default)]
    pub mute: bool,
    #[serde(default)]
    pub members: Vec<String>,
}

/// A linked (relative) group: moving one member's fader moves every
/// member's by the same number of dB, so their offsets stay (see
/// `session::groups`). Optionally mutes, solos and send levels move together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkGroup {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub members: Vec<String>,
    /// Muting one member mutes them all (and unmuting unmutes them all).
    #[serde(default, skip_serializing_if = "is_false")]
    pub link_mute: bool,
    /// Soloing one member solos them all.
    #[serde(default, skip_serializing_if = "is_false")]
    pub link_solo: bool,
    /// A send level moved on one member moves the same aux's send on every
    /// member that has one, relatively.
    #[serde(default, skip_serializing_if = "is_false")]
    pub link_sends: bool,
}

impl LinkGroup {
    /// The name to show: the `name` field, or the id when it is empty.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

impl Session {
    /// An empty session: just a master at 0 dB.
    pub fn new(sample_rate: u32) -> Self {
        Session {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            sample_rate,
            pan_law_db: default_pan_law(),
            tempo_bpm: default_tempo(),
            channels: vec![Channel::new("master", ChannelKind::Master)],
            vcas: Vec::new(),
            scenes: Vec::new(),
            groups: Vec::new(),
        }
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    pub fn channel_index(&self, id: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.id == id)
    }

    pub fn scene(&self, name: &str) -> Option<&Scene> {
        self.scenes.iter().find(|x| x.name == name)
    }
}

/// The device output pair an `output` names, as a pair index: `"hw:3-4"` is
/// pair 1 (pair 0, outputs 1–2, is the master's). `None` for anything else.
pub fn hw_output_pair(output: &str) -> Option<usize> {
    let (a, b) = output.strip_prefix("hw:")?.split_once('-')?;
    let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a >= 3 && a % 2 == 1 && b == a + 1 && b <= 64).then_some(a / 2)
}

/// The `output` value for a device pair index (1 → `"hw:3-4"`).
pub fn hw_output_name(pair: usize) -> String {
    format!("hw:{}-{}", 2 * pair + 1, 2 * pair + 2)
}

fn default_sample_rate() -> u32 {
    48_000
}
fn default_pan_law() -> f32 {
    -3.0
}
fn default_tempo() -> f32 {
    DEFAULT_TEMPO_BPM
}
fn is_default_tempo(t: &f32) -> bool {
    *t == DEFAULT_TEMPO_BPM
}
fn is_false(b: &bool) -> bool {
    !*b
}
fn unity_db() -> Option<f32> {
    Some(0.0)
}
fn default_output() -> Option<String> {
    Some(DEFAULT_OUTPUT.to_owned())
}
