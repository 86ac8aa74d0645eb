//! What counts as dry, wet and parallel — the one place that decides.
//!
//! ```text
//!  source ──out──► bus ──► master            dry: its own path through buses
//!    └──send──► Reverb / Delay aux ──► master   wet: an effect that adds a
//!    └──send──► Crush aux (compressor) ─► master   sound of its own (time)
//!                                              parallel: a processed copy
//!                                              of the same sound, in time
//! ```
//! An aux return is *wet* when its chain holds a reverb or a delay (or holds
//! nothing: a plain return is where an effect would go), and *parallel* when
//! it holds only dynamics or tone (compressor, saturation, EQ): parallel
//! compression thickens the source itself rather than adding a space, so
//! it is shown in its own colour and never counted as reverb. The output of
//! a reverb or delay *insert* is wet too. Bypass does not change the kind
//! (it is a setting, not a routing). Anything that reaches device outputs
//! other than the master's (a headphone mix) is counted apart.

use crate::engine::{DEVICE, DRY, PARALLEL, PARALLEL_LANE, WET, WET_LANE};
use crate::session::{Channel, ChannelKind};

/// Where a path's sound arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// At the master, on the source's own path through buses.
    Dry,
    /// At the master, through a reverb or delay (return or insert).
    Wet,
    /// At the master, through a parallel (dynamics or tone) return.
    Parallel,
    /// On device outputs other than the master's (a cue or headphone mix).
    Device,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Dry, Part::Wet, Part::Parallel, Part::Device];

    /// Index in the engine's reach readings (`engine::DRY`, …).
    pub fn index(self) -> usize {
        match self {
            Part::Dry => DRY,
            Part::Wet => WET,
            Part::Parallel => PARALLEL,
            Part::Device => DEVICE,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Part::Dry => "dry",
            Part::Wet => "wet",
            Part::Parallel => "parallel",
            Part::Device => "device outputs",
        }
    }
}

/// The kind of return an aux is (`None` for anything but an aux).
pub fn return_part(c: &Channel) -> Option<Part> {
    if c.kind != ChannelKind::Aux {
        return None;
    }
    let time = c.inserts.iter().any(|i| i.kind().is_time_based());
    Some(if time || c.inserts.is_empty() {
        Part::Wet
    } else {
        Part::Parallel
    })
}

/// The engine lane an aux's output goes into.
pub(super) fn return_lane(c: &Channel) -> Option<usize> {
    return_part(c).map(|p| match p {
        Part::Parallel => PARALLEL_LANE,
        _ => WET_LANE,
    })
}

/// An aux whose effects ring on after the input stops (reverb, delay).
pub(super) fn rings(c: &Channel) -> bool {
    c.kind == ChannelKind::Aux && c.inserts.iter().any(|i| i.kind().is_time_based())
}
