//! Pan laws for mono sources and balance for stereo ones.
//!
//! A pan law is the level of a centred mono source on each side: −3 dB keeps
//! the acoustic power constant across the sweep, −6 dB keeps the *amplitude*
//! sum constant (safe when the mix is summed to mono), −4.5 dB sits between,
//! and 0 dB keeps the centre at full level and only turns the far side down.

use std::f32::consts::FRAC_PI_4;

/// Left/right gains for a mono source at `pan` (−1 left … 1 right) under a
/// law of `law_db` dB at centre (−3, −4.5, −6 or 0).
pub fn pan_gains(pan: f32, law_db: f32) -> [f32; 2] {
    let pan = pan.clamp(-1.0, 1.0);
    if law_db == 0.0 {
        return [(1.0 - pan).min(1.0), (1.0 + pan).min(1.0)];
    }
    // Constant power is cos/sin of the angle; raising it to k = law/−3 gives
    // −3 (k = 1, centre 0.7071), −4.5 (k = 1.5) and −6 dB (k = 2, where
    // cos² + sin² = 1 makes the amplitudes sum to one, centre 0.5). The law
    // names are nominal, as on every console: "−3 dB" is exactly 1/√2.
    let theta = (pan + 1.0) * FRAC_PI_4;
    let k = law_db / -3.0;
    let (l, r) = (theta.cos().max(0.0), theta.sin().max(0.0));
    // Exact ends: cos(π/2) is not quite 0 in floating point.
    let l = if pan >= 1.0 { 0.0 } else { l.powf(k) };
    let r = if pan <= -1.0 { 0.0 } else { r.powf(k) };
    [l, r]
}

/// Left/right gains for a stereo signal: balance turns the far side down and
/// leaves the near side at unity; centre is unity on both.
pub fn balance_gains(pan: f32) -> [f32; 2] {
    let pan = pan.clamp(-1.0, 1.0);
    if pan < 0.0 {
        [1.0, 1.0 + pan]
    } else {
        [1.0 - pan, 1.0]
    }
}
