//! What the console's monitor section asks for, by name: mono, dim, and
//! what to listen to. The handle turns it into engine settings for the plan
//! playing (channel positions change with the plan; the choice follows its
//! channel).

use super::updates::position;
use crate::engine::{MonitorSettings, MonitorSource, PlanLayout};
use crate::session::hw_output_pair;

/// Dim attenuation unless the user chooses another.
pub const DEFAULT_DIM_DB: f32 = 20.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Monitoring {
    /// A channel id, or a device pair (`"hw:3-4"`); `None` is the mix.
    pub listen: Option<String>,
    /// Outputs 1–2 both play (L + R) / 2.
    pub mono: bool,
    pub dim: bool,
    /// How far the dim turns the monitor down, dB (positive).
    pub dim_db: f32,
}

impl Default for Monitoring {
    fn default() -> Self {
        Monitoring {
            listen: None,
            mono: false,
            dim: false,
            dim_db: DEFAULT_DIM_DB,
        }
    }
}

impl Monitoring {
    /// The engine settings for the plan `layout` describes. A channel that
    /// is no longer there means the mix again.
    pub(super) fn settings(&self, layout: &PlanLayout) -> MonitorSettings {
        let source = match self.listen.as_deref() {
            None => MonitorSource::Mix,
            Some(l) => match hw_output_pair(l) {
                Some(p) => MonitorSource::DevicePair(p),
                None => position(layout, l).map_or(MonitorSource::Mix, MonitorSource::Channel),
            },
        };
        MonitorSettings {
            source,
            mono: self.mono,
            dim_db: self.dim.then_some(self.dim_db.clamp(0.0, 60.0)),
        }
    }
}
