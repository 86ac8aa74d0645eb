//! A lesson file as it is stored (`sessions/lessons/NN-name.lesson.json`,
//! documented in sessions/lessons/README.md): a title, the goal in one
//! sentence, the session it runs on, and steps, each with its checks.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::session::EffectKind;

/// The value of a lesson file's `format` field.
pub const LESSON_FORMAT: &str = "auxbus-lesson";
/// The lesson format version this build reads.
pub const LESSON_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub format: String,
    pub version: u32,
    pub title: String,
    /// What the learner will be able to do, in one sentence.
    pub goal: String,
    /// The session the lesson starts from, relative to the lesson file.
    pub session: String,
    /// The stretch of the session that measured checks render.
    #[serde(default)]
    pub measure: Window,
    pub steps: Vec<Step>,
    /// The file's name without `.lesson.json` (`01-bus`); set when loaded.
    #[serde(skip)]
    pub id: String,
    /// Where the lesson file is; set when loaded.
    #[serde(skip)]
    pub path: PathBuf,
}

impl Lesson {
    /// The lesson's number: the digits its id starts with (0 when none).
    pub fn number(&self) -> u32 {
        let digits: String = self.id.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap_or(0)
    }

    /// The path of the session the lesson ships with.
    pub fn session_path(&self) -> PathBuf {
        crate::session::resolve_source(&self.path, &self.session)
    }
}

/// Seconds of the session a measured check renders.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(default)]
    pub start: f64,
    #[serde(default = "default_seconds")]
    pub seconds: f64,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            start: 0.0,
            seconds: default_seconds(),
        }
    }
}

fn default_seconds() -> f64 {
    4.8
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    /// What to do, in a few sentences.
    pub text: String,
    /// Shown one at a time, on request.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Ids of the channels and VCAs whose strips the console highlights.
    #[serde(default)]
    pub highlight: Vec<String>,
    pub checks: Vec<Check>,
}

/// Where a `routed` check wants the channels to go: `"any bus"`,
/// `"master"`, `"nowhere"`, or a channel id or device pair (`"hw:3-4"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Route {
    /// One bus, the same for every channel named.
    AnyBus,
    /// Straight to the master.
    Master,
    /// Nowhere (`output: null`).
    Nowhere,
    /// This channel id, or a device pair such as `hw:3-4`.
    To(String),
}

impl From<String> for Route {
    fn from(s: String) -> Self {
        match s.as_str() {
            "any bus" => Route::AnyBus,
            "master" => Route::Master,
            "nowhere" => Route::Nowhere,
            _ => Route::To(s),
        }
    }
}

impl From<Route> for String {
    fn from(r: Route) -> Self {
        match r {
            Route::AnyBus => "any bus".into(),
            Route::Master => "master".into(),
            Route::Nowhere => "nowhere".into(),
            Route::To(s) => s,
        }
    }
}

/// An effect kind by its session-file name (`"reverb"`, `"compressor"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kind(pub EffectKind);

impl TryFrom<String> for Kind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        EffectKind::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .map(Kind)
            .ok_or_else(|| {
                format!("\"{s}\" is not an effect (eq, compressor, reverb, delay, saturation)")
            })
    }
}

impl From<Kind> for String {
    fn from(k: Kind) -> Self {
        k.0.key().to_owned()
    }
}

/// An aux named by id, or any aux running an effect of a kind
/// (`{"with": "reverb"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AuxRef {
    Id(String),
    With { with: Kind },
}

/// Which part of a source's sound a `heard` check listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Its own path (output, buses), without its sends.
    #[default]
    Own,
    /// Only what its sends bring back through aux returns.
    Wet,
    /// Everything it contributes.
    Any,
}

/// One check. Document checks read the session; measured checks render it
/// (the lesson's `measure` window) and compare numbers. `why` is the
/// lesson's explanation, added to the evidence when the check fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    // ---- document checks
    /// Each channel's output goes to `to`.
    Routed {
        channels: Vec<String>,
        to: Route,
        #[serde(default)]
        why: String,
    },
    /// Faders (channels or VCAs): at −inf (`silent`), and/or moved from the
    /// shipped session by an amount within `moved_db` [low, high].
    Fader {
        channels: Vec<String>,
        #[serde(default)]
        silent: bool,
        #[serde(default)]
        moved_db: Option<[f32; 2]>,
        #[serde(default)]
        why: String,
    },
    /// Each of `from` sends to the same aux (`to`), above −inf, pre- or
    /// post-fader when `pre_fader` says.
    Send {
        from: Vec<String>,
        to: AuxRef,
        #[serde(default)]
        pre_fader: Option<bool>,
        #[serde(default)]
        why: String,
    },
    /// An aux runs an effect of this kind (not bypassed) and reaches the master.
    Aux {
        with: Kind,
        #[serde(default)]
        why: String,
    },
    /// None of these channels runs an effect of this kind.
    NoInsert {
        channels: Vec<String>,
        kind: Kind,
        #[serde(default)]
        why: String,
    },
    /// These channels are exactly as shipped.
    Unchanged {
        channels: Vec<String>,
        #[serde(default)]
        why: String,
    },
    // ---- measured checks
    /// Each source, soloed, changed level against the shipped session by an
    /// amount within `db`; with `together_within`, all by the same amount.
    LevelChange {
        sources: Vec<String>,
        db: [f32; 2],
        #[serde(default)]
        together_within: Option<f32>,
        #[serde(default)]
        why: String,
    },
    /// The sources soloed together: their dry and their wet (through aux
    /// returns) each changed against the shipped session within a range.
    DryWetChange {
        sources: Vec<String>,
        dry_db: [f32; 2],
        wet_db: [f32; 2],
        #[serde(default)]
        why: String,
    },
    /// Each source's wet share (wet / (dry + wet) power) within [min, max].
    WetShare {
        sources: Vec<String>,
        min: f32,
        max: f32,
        #[serde(default)]
        why: String,
    },
    /// The source's dry path sounds exactly as shipped (difference below
    /// `residual_db` relative to it).
    DryUnchanged {
        source: String,
        residual_db: f32,
        #[serde(default)]
        why: String,
    },
    /// The source is heard (`min_db` RMS at least) or `silent`; in the mix as
    /// it stands, or soloed (`alone`).
    Heard {
        source: String,
        #[serde(default)]
        path: Via,
        #[serde(default)]
        alone: bool,
        #[serde(default)]
        min_db: Option<f32>,
        #[serde(default)]
        silent: bool,
        #[serde(default)]
        why: String,
    },
    /// The mix on this aux (a cue) moves less than `within_db` when every
    /// other fader moves by `ride_db`.
    CueSteady {
        aux: String,
        ride_db: f32,
        within_db: f32,
        #[serde(default)]
        why: String,
    },
    /// In the mix on this aux, `source` is at least as loud as each of `among`.
    Loudest {
        aux: String,
        source: String,
        among: Vec<String>,
        #[serde(default)]
        why: String,
    },
    /// The channels stand left to right from the driest to the wettest.
    RankWet {
        channels: Vec<String>,
        #[serde(default)]
        why: String,
    },
    /// `source`'s wet share is within `within` (a fraction) of `like`'s.
    ShareMatch {
        source: String,
        like: String,
        within: f32,
        #[serde(default)]
        why: String,
    },
    /// How much the source's level swings in the mix because of the others
    /// (a shared compressor pumping it), at most `max_db`.
    Pumping {
        source: String,
        max_db: f32,
        #[serde(default)]
        why: String,
    },
    /// The sources soloed together are as loud as in the shipped session,
    /// within `within_db`.
    MatchedLevel {
        sources: Vec<String>,
        within_db: f32,
        #[serde(default)]
        why: String,
    },
    /// Parallel processing through `aux`: the sources soloed with the
    /// return against without it: their body (the level between the hits)
    /// rises at least `denser_db` more than their hits, and the return
    /// alone sits `blend` [low, high] dB relative to the dry (negative: under).
    Parallel {
        sources: Vec<String>,
        aux: AuxRef,
        denser_db: f32,
        blend: [f32; 2],
        #[serde(default)]
        why: String,
    },
    /// At most `at_most` effects of this kind run; the evidence compares
    /// the render time of the shipped session and this one.
    EffectsRunning {
        kind: Kind,
        at_most: usize,
        #[serde(default)]
        why: String,
    },
}

impl Check {
    /// Whether the check renders audio.
    pub fn is_measured(&self) -> bool {
        !matches!(
            self,
            Check::Routed { .. }
                | Check::Fader { .. }
                | Check::Send { .. }
                | Check::Aux { .. }
                | Check::NoInsert { .. }
                | Check::Unchanged { .. }
        )
    }

    /// The lesson's explanation for a failure.
    pub fn why(&self) -> &str {
        match self {
            Check::Routed { why, .. }
            | Check::Fader { why, .. }
            | Check::Send { why, .. }
            | Check::Aux { why, .. }
            | Check::NoInsert { why, .. }
            | Check::Unchanged { why, .. }
            | Check::LevelChange { why, .. }
            | Check::DryWetChange { why, .. }
            | Check::WetShare { why, .. }
            | Check::DryUnchanged { why, .. }
            | Check::Heard { why, .. }
            | Check::CueSteady { why, .. }
            | Check::Loudest { why, .. }
            | Check::RankWet { why, .. }
            | Check::ShareMatch { why, .. }
            | Check::Pumping { why, .. }
            | Check::MatchedLevel { why, .. }
            | Check::Parallel { why, .. }
            | Check::EffectsRunning { why, .. } => why,
        }
    }

    /// Every channel id the check names (checked against the shipped session).
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            Check::Routed { channels, to, .. } => {
                out.extend(channels.iter().map(String::as_str));
                if let Route::To(id) = to
                    && !id.starts_with("hw:")
                {
                    out.push(id);
                }
            }
            Check::Fader { channels, .. }
            | Check::NoInsert { channels, .. }
            | Check::Unchanged { channels, .. }
            | Check::RankWet { channels, .. } => out.extend(channels.iter().map(String::as_str)),
            Check::Send { from, to, .. } => {
                out.extend(from.iter().map(String::as_str));
                if let AuxRef::Id(id) = to {
                    out.push(id);
                }
            }
            Check::LevelChange { sources, .. }
            | Check::DryWetChange { sources, .. }
            | Check::WetShare { sources, .. }
            | Check::MatchedLevel { sources, .. } => out.extend(sources.iter().map(String::as_str)),
            Check::Parallel { sources, aux, .. } => {
                out.extend(sources.iter().map(String::as_str));
                if let AuxRef::Id(id) = aux {
                    out.push(id);
                }
            }
            Check::DryUnchanged { source, .. }
            | Check::Heard { source, .. }
            | Check::Pumping { source, .. } => out.push(source),
            Check::CueSteady { aux, .. } => out.push(aux),
            Check::Loudest {
                aux, source, among, ..
            } => {
                out.push(aux);
                out.push(source);
                out.extend(among.iter().map(String::as_str));
            }
            Check::ShareMatch { source, like, .. } => {
                out.push(source);
                out.push(like);
            }
            Check::Aux { .. } | Check::EffectsRunning { .. } => {}
        }
        out
    }
}
