//! Numbers from rendered audio (interleaved stereo): level, difference,
//! hits against body, and how much one signal's level swings against another's.

/// Below this a level counts as silence (−120 dB).
pub const SILENT_DB: f64 = -120.0;

/// Mean square over both sides.
pub fn power(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len() as f64
}

/// A power as dB (RMS level re full scale); `−inf` for silence.
pub fn db(power: f64) -> f64 {
    if power > 0.0 {
        10.0 * power.log10()
    } else {
        f64::NEG_INFINITY
    }
}

/// RMS level in dB.
pub fn level_db(x: &[f32]) -> f64 {
    db(power(x))
}

pub fn is_silent(level_db: f64) -> bool {
    level_db < SILENT_DB
}

/// `a − b`, sample by sample (the shorter length).
pub fn difference(a: &[f32], b: &[f32]) -> Vec<f32> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// How different `a` is from `b`: the level of `a − b` relative to `b`'s,
/// in dB (`−inf` when identical).
pub fn residual_db(a: &[f32], b: &[f32]) -> f64 {
    let p = power(&difference(a, b));
    db(p) - db(power(b))
}

/// The wet share of a sound: wet power over dry plus wet.
pub fn share(dry_power: f64, wet_power: f64) -> f64 {
    let total = dry_power + wet_power;
    if total > 0.0 { wet_power / total } else { 0.0 }
}

/// Power in windows of `frames` frames.
pub fn envelope(x: &[f32], frames: usize) -> Vec<f64> {
    x.chunks(frames.max(1) * 2).map(power).collect()
}

/// How much `x`'s level swings against `reference`'s (the same sound on its
/// own): the spread (95th minus 5th percentile) of their level difference
/// in dB over 20 ms windows, counting the windows where the reference is
/// within 20 dB of its loudest. 0 when `x` follows `reference` exactly.
pub fn swing_db(x: &[f32], reference: &[f32], rate: u32) -> f64 {
    let frames = (rate as usize / 50).max(1);
    let (ex, er) = (envelope(x, frames), envelope(reference, frames));
    let loudest = er.iter().cloned().fold(0.0, f64::max);
    let mut diffs: Vec<f64> = ex
        .iter()
        .zip(&er)
        .filter(|&(_, &r)| r > 0.0 && r >= loudest * 0.01)
        .map(|(&a, &r)| db(a.max(1e-30)) - db(r))
        .collect();
    if diffs.len() < 2 {
        return 0.0;
    }
    diffs.sort_by(f64::total_cmp);
    let at = |q: f64| diffs[((diffs.len() - 1) as f64 * q).round() as usize];
    at(0.95) - at(0.05)
}

/// `−12.3 dB`, or `−inf dB`.
pub fn show_db(db: f64) -> String {
    if is_silent(db) {
        "−inf dB".to_owned()
    } else {
        format!("{} dB", signed(db))
    }
}

/// A change in dB with its sign (`+1.5`, `−10.0`, `0.0`).
pub fn signed(db: f64) -> String {
    let v = if db.abs() < 0.05 { 0.0 } else { db };
    if v > 0.0 {
        format!("+{v:.1}")
    } else if v < 0.0 {
        format!("−{:.1}", -v)
    } else {
        "0.0".to_owned()
    }
}

/// A share as a percentage: one decimal below 10 %, whole above.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p < 9.95 && p > 0.0 {
        format!("{p:.1} %")
    } else {
        format!("{p:.0} %")
    }
}

/// The level of a sound's hits and of its body, in dB: the 95th and the
/// 50th percentile of the levels of its 20 ms windows, counting the
/// windows within 50 dB of the loudest (the near-silence between notes
/// left out). Parallel compression lifts the body more than the hits.
pub fn hits_and_body(x: &[f32], rate: u32) -> (f64, f64) {
    let frames = (rate as usize / 50).max(1);
    let mut levels: Vec<f64> = envelope(x, frames)
        .into_iter()
        .filter(|&p| p > 0.0)
        .map(db)
        .collect();
    levels.sort_by(f64::total_cmp);
    let Some(&top) = levels.last() else {
        return (f64::NEG_INFINITY, f64::NEG_INFINITY);
    };
    levels.retain(|&l| l > top - 50.0);
    let at = |q: f64| levels[((levels.len() - 1) as f64 * q).round() as usize];
    (at(0.95), at(0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_known_signals() {
        let sine: Vec<f32> = (0..96_000).map(|i| (i as f32 * 0.05).sin() * 0.5).collect();
        // A sine's RMS is its peak / √2: 0.5 → −9.03 dB.
        assert!((level_db(&sine) - (-9.03)).abs() < 0.02);
        assert_eq!(residual_db(&sine, &sine), f64::NEG_INFINITY);
        let half: Vec<f32> = sine.iter().map(|v| v * 0.5).collect();
        // a − b = −b/2 → −6.02 dB relative to b.
        assert!((residual_db(&half, &sine) - (-6.02)).abs() < 0.01);
        assert!(
            swing_db(&half, &sine, 48_000).abs() < 1e-9,
            "a constant ratio does not swing"
        );
        assert_eq!(level_db(&[0.0; 8]), f64::NEG_INFINITY);
        assert!((share(3.0, 1.0) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn swing_sees_a_level_that_pumps() {
        let rate = 48_000;
        let steady: Vec<f32> = (0..rate * 2 * 2)
            .map(|i| ((i / 2) as f32 * 0.03).sin())
            .collect();
        // Every other 100 ms, 6 dB down.
        let pumped: Vec<f32> = steady
            .iter()
            .enumerate()
            .map(|(i, v)| if (i / 2 / 4800) % 2 == 0 { *v } else { v * 0.5 })
            .collect();
        let s = swing_db(&pumped, &steady, rate as u32);
        assert!((s - 6.02).abs() < 0.1, "{s}");
    }
}
