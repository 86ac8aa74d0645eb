//! The gain of a normalised export: gain only, never a limiter. The mix is
//! scaled so its integrated loudness lands on the target, unless that would
//! put its true peak above the ceiling — then the gain stops at the ceiling
//! and the result says where the peak would have gone.

use crate::io::loudness::Loudness;

/// What normalising decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normalized {
    pub target_lufs: f64,
    /// Integrated loudness of the mix as rendered.
    pub measured_lufs: f64,
    pub gain_db: f64,
    pub ceiling_dbtp: f64,
    /// When the ceiling stopped the gain: the true peak the target gain
    /// would have produced (above the ceiling).
    pub peak_at_target_dbtp: Option<f64>,
}

impl Normalized {
    pub fn linear_gain(&self) -> f32 {
        10f64.powf(self.gain_db / 20.0) as f32
    }

    /// Whether the ceiling kept the mix below the target.
    pub fn limited(&self) -> bool {
        self.peak_at_target_dbtp.is_some()
    }

    /// One line for the command and the export summary.
    pub fn describe(&self) -> String {
        match self.peak_at_target_dbtp {
            None => format!(
                "normalised {:.1} to {:.1} LUFS (gain {:+.2} dB)",
                self.measured_lufs, self.target_lufs, self.gain_db
            ),
            Some(tp) => format!(
                "ceiling reached: {:.1} LUFS would put the true peak at {:+.1} dBTP, above the ceiling of {:.1} dBTP; gain stopped at {:+.2} dB, so the mix is at {:.1} LUFS",
                self.target_lufs,
                tp,
                self.ceiling_dbtp,
                self.gain_db,
                self.measured_lufs + self.gain_db
            ),
        }
    }
}

/// The gain taking `measured` to `target_lufs` without its true peak
/// passing `ceiling_dbtp`; `None` when the mix has no integrated loudness
/// (silence) to scale.
pub fn normalize_gain(
    measured: &Loudness,
    target_lufs: f64,
    ceiling_dbtp: f64,
) -> Option<Normalized> {
    let lufs = measured.integrated_lufs?;
    let wanted = target_lufs - lufs;
    let (gain_db, peak_at_target_dbtp) = match measured.true_peak_dbtp {
        Some(tp) if tp + wanted > ceiling_dbtp => (ceiling_dbtp - tp, Some(tp + wanted)),
        _ => (wanted, None),
    };
    Some(Normalized {
        target_lufs,
        measured_lufs: lufs,
        gain_db,
        ceiling_dbtp,
        peak_at_target_dbtp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loud(i: f64, tp: f64) -> Loudness {
        Loudness {
            integrated_lufs: Some(i),
            true_peak_dbtp: Some(tp),
            ..Default::default()
        }
    }

    #[test]
    fn the_gain_reaches_the_target_below_the_ceiling() {
        let n = normalize_gain(&loud(-20.0, -8.0), -14.0, -1.0).expect("gain");
        assert!((n.gain_db - 6.0).abs() < 1e-9);
        assert!(!n.limited());
    }

    #[test]
    fn the_ceiling_stops_the_gain_and_says_where_the_peak_would_be() {
        let n = normalize_gain(&loud(-20.0, -3.0), -14.0, -1.0).expect("gain");
        assert!((n.gain_db - 2.0).abs() < 1e-9);
        assert_eq!(n.peak_at_target_dbtp, Some(3.0));
        assert!(n.describe().contains("+3.0 dBTP"), "{}", n.describe());
    }

    #[test]
    fn silence_cannot_be_normalised() {
        assert!(normalize_gain(&Loudness::default(), -14.0, -1.0).is_none());
    }
}
