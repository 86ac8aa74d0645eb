//! Presets that go with the teaching examples in CONCEPTS.md: glue on a
//! bus, parallel compression on an aux, a plate and a slap on FX returns.

use super::kind::{EffectKind, EffectParams};
use super::params::*;

pub struct Preset {
    pub name: &'static str,
    /// One line for the editor: what it is for.
    pub about: &'static str,
    pub effect: EffectParams,
}

/// Every preset, grouped by effect in `EffectKind::ALL` order.
pub fn all() -> Vec<Preset> {
    vec![
        Preset {
            name: "Vocal clarity",
            about: "Rumble off, a little less mud, some presence and air.",
            effect: EffectParams::Eq(EqParams {
                hpf_on: true,
                hpf_hz: 90.0,
                mid1_gain_db: -2.5,
                mid1_hz: 350.0,
                mid1_q: 1.2,
                mid2_gain_db: 2.0,
                mid2_hz: 3500.0,
                mid2_q: 0.9,
                high_gain_db: 2.5,
                high_hz: 10000.0,
                ..EqParams::default()
            }),
        },
        Preset {
            name: "Drum bus glue",
            about: "Gentle 2:1 bus compression, slow attack so transients pass: \
                    2–4 dB of reduction makes the kit move as one.",
            effect: EffectParams::Compressor(CompressorParams {
                threshold_db: -20.0,
                ratio: 2.0,
                knee_db: 6.0,
                attack_ms: 30.0,
                release_ms: 150.0,
                makeup_db: 2.0,
                detector: Detector::Rms,
                mix: 1.0,
            }),
        },
        Preset {
            name: "Parallel crush",
            about: "Heavy, fast compression for an aux fed by sends: blend the \
                    squashed copy under the untouched drums (New York compression).",
            effect: EffectParams::Compressor(CompressorParams {
                threshold_db: -40.0,
                ratio: 12.0,
                knee_db: 0.0,
                attack_ms: 1.0,
                release_ms: 60.0,
                makeup_db: 18.0,
                detector: Detector::Peak,
                mix: 1.0,
            }),
        },
        Preset {
            name: "Vocal plate",
            about: "A bright, dense plate with a short pre-delay that keeps the \
                    words clear; use it on a reverb aux.",
            effect: EffectParams::Reverb(ReverbParams {
                decay_s: 1.6,
                size: 0.45,
                damping: 0.3,
                predelay_ms: 30.0,
                width: 1.0,
                mix: 1.0,
            }),
        },
        Preset {
            name: "Slap delay",
            about: "One quick, dark repeat (rockabilly vocals, guitars): adds \
                    depth without a wash.",
            effect: EffectParams::Delay(DelayParams {
                time_ms: 110.0,
                note: None,
                feedback: 0.12,
                lowcut_hz: 150.0,
                highcut_hz: 4500.0,
                ping_pong: false,
                mix: 1.0,
            }),
        },
        Preset {
            name: "Tape warmth",
            about: "Soft saturation and a slightly darker top, like a hot tape machine.",
            effect: EffectParams::Saturation(SaturationParams {
                drive_db: 9.0,
                tone: -0.3,
                output_db: -1.0,
                mix: 1.0,
            }),
        },
    ]
}

pub fn find(name: &str) -> Option<Preset> {
    all()
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

pub fn names() -> Vec<&'static str> {
    all().iter().map(|p| p.name).collect()
}

/// The presets for one kind of effect.
pub fn for_kind(kind: EffectKind) -> Vec<Preset> {
    all()
        .into_iter()
        .filter(|p| p.effect.kind() == kind)
        .collect()
}
