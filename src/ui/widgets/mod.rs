//! auxbus's custom console widgets, built only on egui.
//!
//! Each follows the egui recipe — allocate ➡ interact ➡ `widget_info`
//! (AccessKit, labelled so tests and screen readers find it) ➡ paint — and
//! none touches audio: controls edit a value passed by `&mut` and report
//! through the [`egui::Response`] (`changed()`, `drag_started()`,
//! `drag_stopped()`), so the app can turn a whole drag into one undo step.
//!
//! * [`fader_law`] — position ↔ dB taper, formatting and parsing (pure).
//! * [`Fader`], [`db_entry`] — channel fader and type-in gain.
//! * [`Knob`] — pan and send knobs.
//! * [`MeterBallistics`], [`stereo_meter`] — peak/RMS meters with clip light.
//! * [`dry_wet_meter`] — wet vs dry balance of a source; [`shares_bar`] —
//!   dry / wet / parallel shares of what a source sends to the master.

pub mod dry_wet;
pub mod fader;
pub mod fader_law;
mod interaction;
pub mod knob;
pub mod meter;

pub use dry_wet::{
    DRY_COLOUR, DryWet, PARALLEL_COLOUR, WET_COLOUR, dry_wet_meter, shares_bar, shares_line,
};
pub use fader::{FADER_CAP_HEIGHT, FADER_WIDTH, Fader, db_entry};
pub use fader_law::{FADER_TOP_DB, db_to_position, format_db, parse_db, position_to_db, step_db};
pub use interaction::{
    FINE_FACTOR, WHEEL_LATCH_SECONDS, accesskit_set_value, declare_slider, settle_wheel_latch,
    wheel_notches,
};
pub use knob::{Knob, SEND_MAX_DB, SEND_MIN_DB, format_pan, format_send_db};
pub use meter::{MeterBallistics, stereo_meter};
