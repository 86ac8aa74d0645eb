//! Fader law: how a position along a fader's travel maps to a gain in dB.
//!
//! A console fader is not linear in dB: most of the travel is spent where mixes
//! are actually balanced (around 0 dB), and the bottom few millimetres fall off
//! to silence. This module is pure arithmetic (no egui) so the taper can be unit
//! tested and reused by anything that draws or automates a fader.
//!
//! Travel runs from `0.0` (bottom, −inf, `None`) to `1.0` (top, [`FADER_TOP_DB`]).
//! 0 dB sits at three quarters of the travel. Between the breakpoints below the
//! law is linear in dB; under −60 dB it becomes linear in *amplitude* so the last
//! stretch reaches −inf continuously instead of jumping.

/// Gain at the top of the travel.
pub const FADER_TOP_DB: f32 = 6.0;

/// Highest gain a typed value may set: the session format's limit. Above
/// [`FADER_TOP_DB`] the cap rests at the top and the number tells the rest.
pub const TYPED_TOP_DB: f32 = 24.0;

/// The lowest marked point of the scale; below it the fader fades to −inf.
pub const SCALE_BOTTOM_DB: f32 = -60.0;

/// Any gain at or below this is treated as −inf (`None`). Also the value
/// AccessKit reports for −inf, since a slider needs a finite number.
pub const FLOOR_DB: f32 = -144.0;

/// Fader position of 0 dB (unity gain).
pub const UNITY_POSITION: f32 = 0.75;

/// `(position, dB)` breakpoints, bottom to top. Steeper in dB per unit of
/// travel near the bottom, finest (6 dB per quarter travel) above unity.
const BREAKPOINTS: [(f32, f32); 6] = [
    (0.05, SCALE_BOTTOM_DB),
    (0.15, -40.0),
    (0.30, -20.0),
    (0.50, -10.0),
    (UNITY_POSITION, 0.0),
    (1.0, FADER_TOP_DB),
];

/// Position of the −60 dB breakpoint: the start of the amplitude-linear tail.
const TAIL_POSITION: f32 = BREAKPOINTS[0].0;

/// Fader position (0..=1) for a gain in dB; `None` is −inf (the bottom).
///
/// Gains above [`FADER_TOP_DB`] pin to the top; NaN is treated as −inf so a
/// corrupt value can never place the cap outside the slot.
pub fn db_to_position(db: Option<f32>) -> f32 {
    let Some(db) = db else { return 0.0 };
    if db.is_nan() || db <= FLOOR_DB {
        return 0.0;
    }
    if db >= FADER_TOP_DB {
        return 1.0;
    }
    if db < SCALE_BOTTOM_DB {
        // Amplitude-linear tail: position proportional to gain below −60 dB.
        return TAIL_POSITION * 10f32.powf((db - SCALE_BOTTOM_DB) / 20.0);
    }
    for pair in BREAKPOINTS.windows(2) {
        let ((p0, d0), (p1, d1)) = (pair[0], pair[1]);
        if db <= d1 {
            return p0 + (db - d0) / (d1 - d0) * (p1 - p0);
        }
    }
    1.0
}

/// Gain in dB for a fader position; `None` (−inf) at or below the bottom.
///
/// Positions outside 0..=1 are clamped; NaN maps to −inf.
pub fn position_to_db(pos: f32) -> Option<f32> {
    if pos.is_nan() || pos <= 0.0 {
        return None;
    }
    let pos = pos.min(1.0);
    if pos < TAIL_POSITION {
        let db = SCALE_BOTTOM_DB + 20.0 * (pos / TAIL_POSITION).log10();
        // Tiny positions would give absurd values like −600 dB: call them −inf.
        return (db > FLOOR_DB).then_some(db);
    }
    for pair in BREAKPOINTS.windows(2) {
        let ((p0, d0), (p1, d1)) = (pair[0], pair[1]);
        if pos <= p1 {
            return Some(d0 + (pos - p0) / (p1 - p0) * (d1 - d0));
        }
    }
    Some(FADER_TOP_DB)
}

/// Text for a gain: `"-inf"`, `"-3.0"`, `"0.0"`, `"+2.5"`.
///
/// One decimal, an explicit `+` above unity so a boost is never mistaken for a
/// cut, and an ASCII minus so the text can be typed back into [`parse_db`].
pub fn format_db(db: Option<f32>) -> String {
    match db {
        None => "-inf".to_owned(),
        Some(d) if d.is_nan() || d <= FLOOR_DB => "-inf".to_owned(),
        Some(d) if d == f32::INFINITY => "+inf".to_owned(),
        Some(d) => {
            let rounded = (d * 10.0).round() / 10.0;
            if rounded > 0.0 {
                format!("+{rounded:.1}")
            } else if rounded == 0.0 {
                // Avoids "-0.0" for tiny negative values.
                "0.0".to_owned()
            } else {
                format!("{rounded:.1}")
            }
        }
    }
}

/// Parse a typed gain. Returns `None` for text that is not a gain (the caller
/// keeps the old value), `Some(None)` for −inf, `Some(Some(db))` otherwise.
///
/// Accepts `-3`, `+2.5`, `-3 dB`, `2,5` (decimal comma), a Unicode minus, and
/// `-inf` / `inf` / `off` / `∞` for silence (a typed "inf" on a fader can only
/// mean "all the way down"). Values above [`TYPED_TOP_DB`] are clamped to it;
/// values at or below [`FLOOR_DB`] become −inf.
pub fn parse_db(text: &str) -> Option<Option<f32>> {
    let lowered = text.trim().to_lowercase().replace('\u{2212}', "-");
    let without_unit = lowered.strip_suffix("db").unwrap_or(&lowered);
    let cleaned = without_unit.trim().replace(',', ".");
    match cleaned.as_str() {
        "" => return None,
        "-inf" | "inf" | "-infinity" | "infinity" | "-∞" | "∞" | "off" => return Some(None),
        _ => {}
    }
    // Rust's float parser also accepts "nan" and "inf" spellings; only finite
    // numbers are gains.
    let value: f32 = cleaned.parse().ok().filter(|v: &f32| v.is_finite())?;
    if value <= FLOOR_DB {
        Some(None)
    } else {
        Some(Some(value.min(TYPED_TOP_DB)))
    }
}

/// Step a gain by `steps` increments of `step_db` (wheel notches, arrow keys),
/// snapping to the step grid so readouts stay round (−3.27 up one 0.5 dB step
/// gives −3.0, not −2.77).
///
/// Stepping up from −inf lands on [`SCALE_BOTTOM_DB`]; stepping down below it
/// gives −inf. The result never exceeds [`FADER_TOP_DB`].
pub fn step_db(db: Option<f32>, steps: i32, step_db: f32) -> Option<f32> {
    let step = if step_db.is_finite() && step_db > 0.0 {
        step_db
    } else {
        0.5
    };
    let mut current = db.filter(|d| d.is_finite() && *d > FLOOR_DB);
    // A small tolerance so a value already on the grid moves a full step.
    let eps = 1e-3;
    for _ in 0..steps.unsigned_abs() {
        current = if steps > 0 {
            match current {
                None => Some(SCALE_BOTTOM_DB),
                Some(d) => Some((((d / step) + eps).floor() + 1.0) * step),
            }
        } else {
            match current {
                None => None,
                Some(d) => {
                    let next = (((d / step) - eps).ceil() - 1.0) * step;
                    (next >= SCALE_BOTTOM_DB).then_some(next)
                }
            }
        };
    }
    current.map(|d| d.min(FADER_TOP_DB))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_points_and_unity() {
        assert_eq!(db_to_position(None), 0.0);
        assert_eq!(db_to_position(Some(FADER_TOP_DB)), 1.0);
        assert!((db_to_position(Some(0.0)) - 0.75).abs() < 0.01);
        assert_eq!(position_to_db(0.0), None);
        assert_eq!(position_to_db(1.0), Some(FADER_TOP_DB));
        assert!(position_to_db(0.75).is_some_and(|d| d.abs() < 1e-4));
        // −60 dB sits just above the bottom, with −inf below it.
        let p60 = db_to_position(Some(-60.0));
        assert!(p60 > 0.0 && p60 < 0.1, "{p60}");
    }

    #[test]
    fn out_of_range_inputs_are_clamped() {
        assert_eq!(db_to_position(Some(20.0)), 1.0);
        assert_eq!(db_to_position(Some(f32::NAN)), 0.0);
        assert_eq!(db_to_position(Some(f32::NEG_INFINITY)), 0.0);
        assert_eq!(db_to_position(Some(-500.0)), 0.0);
        assert_eq!(position_to_db(-0.5), None);
        assert_eq!(position_to_db(f32::NAN), None);
        assert_eq!(position_to_db(3.0), Some(FADER_TOP_DB));
        assert_eq!(position_to_db(1e-12), None);
    }

    #[test]
    fn monotonic_both_ways() {
        let mut last_pos = -1.0;
        let mut db = -140.0;
        while db <= FADER_TOP_DB {
            let p = db_to_position(Some(db));
            assert!(p > last_pos, "not increasing at {db} dB");
            last_pos = p;
            db += 0.25;
        }
        let mut last_db = f32::NEG_INFINITY;
        for i in 1..=1000 {
            let d = position_to_db(i as f32 / 1000.0).unwrap_or(f32::NEG_INFINITY);
            assert!(d > last_db, "not increasing at position {i}/1000");
            last_db = d;
        }
    }

    #[test]
    fn round_trips() {
        let mut db = -140.0;
        while db <= FADER_TOP_DB {
            let back = position_to_db(db_to_position(Some(db)));
            assert!(
                back.is_some_and(|b| (b - db).abs() < 1e-3),
                "{db} -> {back:?}"
            );
            db += 0.1;
        }
        for i in 1..=1000 {
            let p = i as f32 / 1000.0;
            let back = db_to_position(position_to_db(p));
            assert!((back - p).abs() < 1e-4, "{p} -> {back}");
        }
        assert_eq!(position_to_db(db_to_position(None)), None);
    }

    #[test]
    fn finer_near_unity_than_near_bottom() {
        // dB per unit of travel, just below unity vs around −40 dB.
        let near_unity = (0.0 - -1.0) / (db_to_position(Some(0.0)) - db_to_position(Some(-1.0)));
        let low = (-39.0 - -40.0) / (db_to_position(Some(-39.0)) - db_to_position(Some(-40.0)));
        assert!(near_unity < low / 2.0, "{near_unity} vs {low}");
    }

    #[test]
    fn formats() {
        assert_eq!(format_db(None), "-inf");
        assert_eq!(format_db(Some(-3.0)), "-3.0");
        assert_eq!(format_db(Some(2.5)), "+2.5");
        assert_eq!(format_db(Some(0.0)), "0.0");
        assert_eq!(format_db(Some(-0.01)), "0.0");
        assert_eq!(format_db(Some(-12.345)), "-12.3");
        assert_eq!(format_db(Some(f32::NAN)), "-inf");
        assert_eq!(format_db(Some(-200.0)), "-inf");
    }

    #[test]
    fn parses() {
        assert_eq!(parse_db("-3"), Some(Some(-3.0)));
        assert_eq!(parse_db(" +2.5 "), Some(Some(2.5)));
        assert_eq!(parse_db("-3 dB"), Some(Some(-3.0)));
        assert_eq!(parse_db("-4,5dB"), Some(Some(-4.5)));
        assert_eq!(parse_db("\u{2212}6"), Some(Some(-6.0)));
        assert_eq!(parse_db("-inf"), Some(None));
        assert_eq!(parse_db("inf"), Some(None));
        assert_eq!(parse_db("-INF"), Some(None));
        assert_eq!(parse_db("12"), Some(Some(12.0)));
        assert_eq!(parse_db("+30"), Some(Some(TYPED_TOP_DB)));
        assert_eq!(parse_db("-200"), Some(None));
        assert_eq!(parse_db(""), None);
        assert_eq!(parse_db("loud"), None);
        assert_eq!(parse_db("nan"), None);
        assert_eq!(parse_db("3..5"), None);
        // What format_db writes, parse_db reads back.
        for db in [None, Some(-3.0), Some(2.5), Some(0.0)] {
            assert_eq!(parse_db(&format_db(db)), Some(db));
        }
    }

    #[test]
    fn steps_snap_to_grid() {
        assert_eq!(step_db(Some(-3.27), 1, 0.5), Some(-3.0));
        assert_eq!(step_db(Some(-3.0), 1, 0.5), Some(-2.5));
        assert_eq!(step_db(Some(-3.0), -1, 0.5), Some(-3.5));
        assert_eq!(step_db(Some(-3.27), -1, 0.5), Some(-3.5));
        assert_eq!(step_db(Some(5.8), 3, 0.5), Some(FADER_TOP_DB));
        assert_eq!(step_db(None, 1, 0.5), Some(SCALE_BOTTOM_DB));
        assert_eq!(step_db(Some(SCALE_BOTTOM_DB), -1, 0.5), None);
        assert_eq!(step_db(None, -4, 0.5), None);
        assert_eq!(step_db(Some(-1.0), 0, 0.5), Some(-1.0));
    }
}
