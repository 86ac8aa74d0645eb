//! Which effect an insert is, and its parameters tagged by `type` as the
//! session file stores them. Every number is checked against the one table
//! per effect in `params`.

use serde::{Deserialize, Serialize};

use super::params::*;

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
