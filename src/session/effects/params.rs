//! Effect parameters as the session stores them, with one table per effect
//! that says each number's unit, range and default. The tables drive
//! validation, the editors' knobs and the tests that keep sessions/FORMAT.md
//! honest, so a parameter is described in exactly one place.

use serde::{Deserialize, Serialize};

/// How a knob maps its travel to the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taper {
    Linear,
    /// Equal travel per octave or decade (frequencies, times, ratios).
    Log,
}

/// One number of an effect: its JSON key, unit, range and default, and how
/// to read or write it in the parameter struct `P`.
pub struct Param<P: 'static> {
    pub key: &'static str,
    pub label: &'static str,
    /// "dB", "Hz", "ms", "s", ":1", "%" (stored 0–1) or "" for a plain number.
    pub unit: &'static str,
    pub min: f32,
    pub max: f32,
    pub default: f32,
    pub taper: Taper,
    pub get: fn(&P) -> f32,
    pub set: fn(&mut P, f32),
}

impl<P> Param<P> {
    pub fn contains(&self, v: f32) -> bool {
        v.is_finite() && v >= self.min && v <= self.max
    }

    /// The value as an editor shows it ("-18.0 dB", "4.0:1", "35 %").
    pub fn format(&self, v: f32) -> String {
        match self.unit {
            "%" => format!("{:.0} %", v * 100.0),
            ":1" => format!("{v:.1}:1"),
            "Hz" if v >= 1000.0 => format!("{:.2} kHz", v / 1000.0),
            "Hz" => format!("{v:.0} Hz"),
            "ms" if v < 10.0 => format!("{v:.1} ms"),
            "ms" => format!("{v:.0} ms"),
            "s" => format!("{v:.2} s"),
            "" => format!("{v:.2}"),
            unit => format!("{v:.1} {unit}"),
        }
    }
}

macro_rules! param {
    ($field:ident, $label:expr, $unit:expr, $min:expr, $max:expr, $default:expr, $taper:ident) => {
        Param {
            key: stringify!($field),
            label: $label,
            unit: $unit,
            min: $min,
            max: $max,
            default: $default,
            taper: Taper::$taper,
            get: |p| p.$field,
            set: |p, v| p.$field = v,
        }
    };
}

/// Default value of field `key` in `table` (for `Default` impls).
const fn default_of<P>(table: &[Param<P>], i: usize) -> f32 {
    table[i].default
}

// ---------------------------------------------------------------- EQ

/// A five-band console EQ: high-pass, low shelf, two peaking bands, high shelf.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EqParams {
    /// The high-pass filter is in (12 dB/octave, Butterworth).
    pub hpf_on: bool,
    pub hpf_hz: f32,
    pub low_gain_db: f32,
    pub low_hz: f32,
    pub mid1_gain_db: f32,
    pub mid1_hz: f32,
    pub mid1_q: f32,
    pub mid2_gain_db: f32,
    pub mid2_hz: f32,
    pub mid2_q: f32,
    pub high_gain_db: f32,
    pub high_hz: f32,
}

pub static EQ_PARAMS: [Param<EqParams>; 11] = [
    param!(hpf_hz, "HPF", "Hz", 20.0, 1000.0, 80.0, Log),
    param!(low_gain_db, "Low", "dB", -18.0, 18.0, 0.0, Linear),
    param!(low_hz, "Low freq", "Hz", 20.0, 1000.0, 100.0, Log),
    param!(mid1_gain_db, "Mid 1", "dB", -18.0, 18.0, 0.0, Linear),
    param!(mid1_hz, "Mid 1 freq", "Hz", 40.0, 16000.0, 400.0, Log),
    param!(mid1_q, "Mid 1 Q", "", 0.1, 10.0, 1.0, Log),
    param!(mid2_gain_db, "Mid 2", "dB", -18.0, 18.0, 0.0, Linear),
    param!(mid2_hz, "Mid 2 freq", "Hz", 40.0, 16000.0, 2500.0, Log),
    param!(mid2_q, "Mid 2 Q", "", 0.1, 10.0, 1.0, Log),
    param!(high_gain_db, "High", "dB", -18.0, 18.0, 0.0, Linear),
    param!(high_hz, "High freq", "Hz", 1000.0, 20000.0, 8000.0, Log),
];

impl Default for EqParams {
    fn default() -> Self {
        let d = |i| default_of(&EQ_PARAMS, i);
        EqParams {
            hpf_on: false,
            hpf_hz: d(0),
            low_gain_db: d(1),
            low_hz: d(2),
            mid1_gain_db: d(3),
            mid1_hz: d(4),
            mid1_q: d(5),
            mid2_gain_db: d(6),
            mid2_hz: d(7),
            mid2_q: d(8),
            high_gain_db: d(9),
            high_hz: d(10),
        }
    }
}

// ---------------------------------------------------------------- compressor

/// What the compressor's level detector follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detector {
    /// The sample peak of either side (stereo-linked).
    #[default]
    Peak,
    /// The power of both sides over a 10 ms window.
    Rms,
}

/// A feed-forward, stereo-linked compressor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompressorParams {
    pub threshold_db: f32,
    pub ratio: f32,
    pub knee_db: f32,
    pub attack_ms: f32,
    pub release_ms: f32,
    pub makeup_db: f32,
    pub detector: Detector,
    /// Compressed share of the output (below 1: parallel compression).
    pub mix: f32,
}

pub static COMPRESSOR_PARAMS: [Param<CompressorParams>; 7] = [
    param!(threshold_db, "Threshold", "dB", -60.0, 0.0, -18.0, Linear),
    param!(ratio, "Ratio", ":1", 1.0, 20.0, 4.0, Log),
    param!(knee_db, "Knee", "dB", 0.0, 24.0, 6.0, Linear),
    param!(attack_ms, "Attack", "ms", 0.1, 200.0, 10.0, Log),
    param!(release_ms, "Release", "ms", 5.0, 2000.0, 100.0, Log),
    param!(makeup_db, "Makeup", "dB", 0.0, 24.0, 0.0, Linear),
    param!(mix, "Mix", "%", 0.0, 1.0, 1.0, Linear),
];

impl Default for CompressorParams {
    fn default() -> Self {
        let d = |i| default_of(&COMPRESSOR_PARAMS, i);
        CompressorParams {
            threshold_db: d(0),
            ratio: d(1),
            knee_db: d(2),
            attack_ms: d(3),
            release_ms: d(4),
            makeup_db: d(5),
            detector: Detector::Peak,
            mix: d(6),
        }
    }
}

// ---------------------------------------------------------------- reverb

/// A stereo algorithmic reverb (feedback delay network).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReverbParams {
    /// RT60: seconds for the tail to fall by 60 dB (at low frequencies).
    pub decay_s: f32,
    /// Room size: scales the delay lines (0 small … 1 large).
    pub size: f32,
    /// High-frequency damping: 0 none … 1 high frequencies die 5× faster.
    pub damping: f32,
    pub predelay_ms: f32,
    /// Stereo width of the tail: 0 mono … 1 full.
    pub width: f32,
    pub mix: f32,
}

pub static REVERB_PARAMS: [Param<ReverbParams>; 6] = [
    param!(decay_s, "Decay", "s", 0.1, 20.0, 1.8, Log),
    param!(size, "Size", "%", 0.0, 1.0, 0.6, Linear),
    param!(damping, "Damping", "%", 0.0, 1.0, 0.4, Linear),
    param!(predelay_ms, "Pre-delay", "ms", 0.0, 250.0, 20.0, Linear),
    param!(width, "Width", "%", 0.0, 1.0, 1.0, Linear),
    param!(mix, "Mix", "%", 0.0, 1.0, 1.0, Linear),
];

impl Default for ReverbParams {
    fn default() -> Self {
        let d = |i| default_of(&REVERB_PARAMS, i);
        ReverbParams {
            decay_s: d(0),
            size: d(1),
            damping: d(2),
            predelay_ms: d(3),
            width: d(4),
            mix: d(5),
        }
    }
}

// ---------------------------------------------------------------- delay

/// A delay time as a note value at the session tempo: "1/4", "1/8d" (dotted),
/// "1/8t" (triplet); from "1/1" to "1/32".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NoteValue {
    /// 1, 2, 4, 8, 16 or 32.
    pub division: u8,
    pub feel: Feel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feel {
    Straight,
    Dotted,
    Triplet,
}

impl NoteValue {
    pub const DIVISIONS: [u8; 6] = [1, 2, 4, 8, 16, 32];

    /// Length in milliseconds at `tempo_bpm` quarter notes per minute.
    pub fn ms(self, tempo_bpm: f32) -> f32 {
        let quarter = 60_000.0 / tempo_bpm;
        let base = quarter * 4.0 / f32::from(self.division);
        match self.feel {
            Feel::Straight => base,
            Feel::Dotted => base * 1.5,
            Feel::Triplet => base * 2.0 / 3.0,
        }
    }
}

impl std::fmt::Display for NoteValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let suffix = match self.feel {
            Feel::Straight => "",
            Feel::Dotted => "d",
            Feel::Triplet => "t",
        };
        write!(f, "1/{}{suffix}", self.division)
    }
}

impl TryFrom<String> for NoteValue {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || {
            format!(
                "{s:?} is not a note value (use 1/4, 1/8d for dotted, 1/8t for triplet; 1/1 to 1/32)"
            )
        };
        let rest = s.trim().strip_prefix("1/").ok_or_else(bad)?;
        let (digits, feel) = match rest.strip_suffix('d') {
            Some(d) => (d, Feel::Dotted),
            None => match rest.strip_suffix('t') {
                Some(t) => (t, Feel::Triplet),
                None => (rest, Feel::Straight),
            },
        };
        let division: u8 = digits.parse().map_err(|_| bad())?;
        if !Self::DIVISIONS.contains(&division) {
            return Err(bad());
        }
        Ok(NoteValue { division, feel })
    }
}

impl From<NoteValue> for String {
    fn from(n: NoteValue) -> String {
        n.to_string()
    }
}

/// A stereo delay with a filtered feedback loop.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DelayParams {
    /// Used when `note` is not set.
    pub time_ms: f32,
    /// Tempo-synced time; overrides `time_ms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteValue>,
    /// Level of each repeat relative to the one before (0–0.95).
    pub feedback: f32,
    /// High-pass in the feedback loop; 20 Hz is off.
    pub lowcut_hz: f32,
    /// Low-pass in the feedback loop; 20 kHz is off.
    pub highcut_hz: f32,
    /// Repeats alternate left and right.
    pub ping_pong: bool,
    pub mix: f32,
}

/// Longest delay time, whatever a note value at a slow tempo asks for.
pub const MAX_DELAY_MS: f32 = 4000.0;

pub static DELAY_PARAMS: [Param<DelayParams>; 5] = [
    param!(time_ms, "Time", "ms", 1.0, MAX_DELAY_MS, 250.0, Log),
    param!(feedback, "Feedback", "%", 0.0, 0.95, 0.3, Linear),
    param!(lowcut_hz, "Low cut", "Hz", 20.0, 2000.0, 20.0, Log),
    param!(highcut_hz, "High cut", "Hz", 1000.0, 20000.0, 20000.0, Log),
    param!(mix, "Mix", "%", 0.0, 1.0, 1.0, Linear),
];

impl Default for DelayParams {
    fn default() -> Self {
        let d = |i| default_of(&DELAY_PARAMS, i);
        DelayParams {
            time_ms: d(0),
            note: None,
            feedback: d(1),
            lowcut_hz: d(2),
            highcut_hz: d(3),
            ping_pong: false,
            mix: d(4),
        }
    }
}

impl DelayParams {
    /// The delay time in ms: the note value at `tempo_bpm`, or `time_ms`.
    pub fn effective_ms(&self, tempo_bpm: f32) -> f32 {
        match self.note {
            Some(n) => n.ms(tempo_bpm).min(MAX_DELAY_MS),
            None => self.time_ms,
        }
    }
}

// ---------------------------------------------------------------- saturation

/// Tape/tube-style soft clipping, 2× oversampled.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SaturationParams {
    pub drive_db: f32,
    /// Tilt after the shaper: −1 dark … 0 neutral … 1 bright.
    pub tone: f32,
    pub output_db: f32,
    pub mix: f32,
}

pub static SATURATION_PARAMS: [Param<SaturationParams>; 4] = [
    param!(drive_db, "Drive", "dB", 0.0, 36.0, 6.0, Linear),
    param!(tone, "Tone", "", -1.0, 1.0, 0.0, Linear),
    param!(output_db, "Output", "dB", -24.0, 12.0, 0.0, Linear),
    param!(mix, "Mix", "%", 0.0, 1.0, 1.0, Linear),
];

impl Default for SaturationParams {
    fn default() -> Self {
        let d = |i| default_of(&SATURATION_PARAMS, i);
        SaturationParams {
            drive_db: d(0),
            tone: d(1),
            output_db: d(2),
            mix: d(3),
        }
    }
}

/// Session tempo when a session names none (quarter notes per minute).
pub const DEFAULT_TEMPO_BPM: f32 = 120.0;
pub const TEMPO_RANGE_BPM: std::ops::RangeInclusive<f32> = 20.0..=300.0;
