//! Time as the transport shows it: minutes:seconds, or bars:beats at the
//! session tempo (4/4), and the spacing of ruler marks. Pure arithmetic.

/// `12:03.45` (minutes, seconds, hundredths).
pub fn minutes_seconds(seconds: f64) -> String {
    let s = seconds.max(0.0);
    let hundredths = (s * 100.0).round() as u64;
    format!(
        "{:02}:{:02}.{:02}",
        hundredths / 6000,
        (hundredths / 100) % 60,
        hundredths % 100
    )
}

/// Beats (quarter notes) at `tempo_bpm` from the start.
pub fn beats(seconds: f64, tempo_bpm: f32) -> f64 {
    seconds.max(0.0) * f64::from(tempo_bpm) / 60.0
}

/// `5.2.3`: bar 5, beat 2, sixteenth 3 (all counted from 1, in 4/4).
pub fn bars_beats(seconds: f64, tempo_bpm: f32) -> String {
    // A hair of tolerance so 2.0 s at 120 bpm reads 2.1.1, not 1.4.4.
    let sixteenths = (beats(seconds, tempo_bpm) * 4.0 + 1e-6).floor() as u64;
    let bar = sixteenths / 16 + 1;
    let beat = (sixteenths / 4) % 4 + 1;
    let sixteenth = sixteenths % 4 + 1;
    format!("{bar}.{beat}.{sixteenth}")
}

/// Seconds at the start of bar `bar` (counted from 1).
pub fn bar_seconds(bar: u64, tempo_bpm: f32) -> f64 {
    (bar.saturating_sub(1) * 4) as f64 * 60.0 / f64::from(tempo_bpm)
}

/// A step between ruler marks, in seconds, so marks are at least `min_px`
/// apart at `px_per_second`: round seconds, or whole bars.
pub fn ruler_step(px_per_second: f64, min_px: f64, bars: bool, tempo_bpm: f32) -> f64 {
    let bar = 4.0 * 60.0 / f64::from(tempo_bpm);
    let steps: &[f64] = if bars {
        &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]
    } else {
        &[1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0]
    };
    let unit = if bars { bar } else { 1.0 };
    steps
        .iter()
        .map(|k| k * unit)
        .find(|step| step * px_per_second >= min_px)
        .unwrap_or(steps[steps.len() - 1] * unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(minutes_seconds(0.0), "00:00.00");
        assert_eq!(minutes_seconds(83.456), "01:23.46");
        assert_eq!(minutes_seconds(-3.0), "00:00.00");
    }

    #[test]
    fn bars_and_beats_at_the_tempo() {
        assert_eq!(bars_beats(0.0, 120.0), "1.1.1");
        assert_eq!(bars_beats(0.5, 120.0), "1.2.1");
        assert_eq!(bars_beats(2.0, 120.0), "2.1.1");
        assert_eq!(bars_beats(2.125, 120.0), "2.1.2");
        assert_eq!(bar_seconds(3, 120.0), 4.0);
        assert_eq!(bars_beats(bar_seconds(9, 96.0), 96.0), "9.1.1");
    }

    #[test]
    fn ruler_marks_keep_their_distance() {
        assert_eq!(ruler_step(100.0, 60.0, false, 120.0), 1.0);
        assert_eq!(ruler_step(20.0, 60.0, false, 120.0), 5.0);
        // 2 s bars at 120 bpm, 20 px per second: 40 px a bar, so two bars.
        assert_eq!(ruler_step(20.0, 60.0, true, 120.0), 4.0);
    }
}
