//! The console's shared look: colours by kind of channel and strip sizes,
//! so every page speaks the same visual language.

use egui::Color32;

use crate::session::ChannelKind;

pub const STRIP_WIDTH: f32 = 112.0;
/// Strips in narrow mode, for big sessions.
pub const NARROW_WIDTH: f32 = 66.0;
/// The master section beside the master strip: dry/wet, loudness, the
/// stereo image and the monitor controls.
pub const SECTION_WIDTH: f32 = 226.0;
/// The master section folded away: a tab to bring it back.
pub const SECTION_TAB_WIDTH: f32 = 18.0;

pub fn kind_colour(kind: ChannelKind) -> Color32 {
    match kind {
        ChannelKind::Track => Color32::from_rgb(70, 130, 200),
        ChannelKind::Bus => Color32::from_rgb(210, 140, 50),
        ChannelKind::Aux => Color32::from_rgb(60, 170, 120),
        ChannelKind::Master => Color32::from_rgb(190, 70, 70),
    }
}

pub const VCA_COLOUR: Color32 = Color32::from_rgb(150, 100, 200);
pub const MUTE_COLOUR: Color32 = Color32::from_rgb(230, 120, 40);
/// A mute caused by someone else's solo or a VCA: the same, dimmer.
pub const MUTED_BY_OTHER: Color32 = Color32::from_rgb(120, 90, 60);
pub const SOLO_COLOUR: Color32 = Color32::from_rgb(230, 210, 60);
pub const SAFE_COLOUR: Color32 = Color32::from_rgb(120, 200, 230);
pub const PRE_COLOUR: Color32 = Color32::from_rgb(230, 200, 80);

/// The short tag at the top of a strip.
pub fn badge(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Track => "TRK",
        ChannelKind::Bus => "BUS",
        ChannelKind::Aux => "AUX",
        ChannelKind::Master => "MASTER",
    }
}
