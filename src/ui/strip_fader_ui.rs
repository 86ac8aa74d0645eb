//! A strip's fader with its meter beside it, the typed gain and the peak
//! since the last reset below, and a line for the VCA's combined gain (kept
//! on every strip, so the rows under it line up).

use egui::{RichText, Ui};

use super::action::Action;
use super::meters::MeterView;
use super::strip_layout::{StripLayout, row};
use super::theme::VCA_COLOUR;
use super::widgets::{Fader, MeterBallistics, db_entry, format_db, stereo_meter};
use crate::graph::channel_gains;
use crate::session::{Edit, Session};

/// Fader heights: the console shrinks faders to this before it scrolls.
pub const MIN_FADER: f32 = 120.0;
const LINE: f32 = 18.0;

pub fn fader_section(
    ui: &mut Ui,
    s: &Session,
    index: usize,
    name: &str,
    meters: &MeterView,
    layout: &StripLayout,
    out: &mut Vec<Action>,
) -> egui::Rect {
    let c = &s.channels[index];
    let vcas: Vec<&str> = s
        .vcas
        .iter()
        .filter(|v| v.members.contains(&c.id))
        .map(|v| {
            if v.name.is_empty() {
                v.id.as_str()
            } else {
                v.name.as_str()
            }
        })
        .collect();
    let combined = channel_gains(s, index, false, false).combined_db;
    let shown = meters.channel(&c.id);
    let fader = ui.horizontal(|ui| {
        let mut gain = c.gain_db;
        let mut fader = Fader::new(&mut gain, format!("{name} fader"))
            .height(layout.fader_height)
            .scale(!layout.narrow);
        if !vcas.is_empty() {
            fader = fader.combined(combined);
        }
        let r = ui.add(fader).on_hover_text(format!(
            "{name} fader: {} dB. Drag (Shift: fine), wheel, double-click for 0 dB",
            format_db(c.gain_db)
        ));
        Action::from_control(&r, out, || Edit::Gain {
            channel: c.id.clone(),
            db: gain,
        });
        let r = stereo_meter(ui, &shown, layout.fader_height, name);
        if r.clicked() {
            out.push(Action::ResetClip(c.id.clone()));
        }
    });
    let fader = fader.response.rect;
    row(ui, LINE + 2.0, |ui| {
        let mut typed = c.gain_db;
        let r = db_entry(ui, &mut typed, ui.make_persistent_id(("gain entry", &c.id)))
            .accessible_name(format!("{name} gain"));
        if r.on_hover_text(format!(
            "{name} gain: type a value in dB (up to +24, or -inf)"
        ))
        .changed()
            && typed != c.gain_db
        {
            out.push(Action::Edit(Edit::Gain {
                channel: c.id.clone(),
                db: typed,
            }));
        }
        // Narrow strips keep the peak number in the meter's hover and clip light.
        if !layout.narrow && peak_readout(ui, &shown, name).clicked() {
            out.push(Action::ResetClip(c.id.clone()));
        }
    });
    row(ui, LINE - 4.0, |ui| {
        if !vcas.is_empty() {
            let text = if layout.narrow {
                format_db(combined)
            } else {
                format!("VCA: {}", format_db(combined))
            };
            ui.label(RichText::new(text).small().color(VCA_COLOUR))
                .on_hover_text(format!(
                    "{name} plays at {} dB: its fader {} dB plus {} (the VCA moves no fader, it adds its gain)",
                    format_db(combined),
                    format_db(c.gain_db),
                    vcas.join(" and ")
                ));
        }
    });
    fader
}

/// The highest sample peak since the last reset, in dB; red once it
/// reached full scale. A click resets it (and the clip lights).
pub fn peak_readout(ui: &mut Ui, meters: &[MeterBallistics; 2], name: &str) -> egui::Response {
    let peak = meters[0].max_peak_db().max(meters[1].max_peak_db());
    let text = if peak <= -144.0 {
        "-inf".to_owned()
    } else {
        format!("{peak:.1}")
    };
    let colour = if peak >= 0.0 {
        egui::Color32::from_rgb(235, 50, 40)
    } else {
        ui.visuals().weak_text_color()
    };
    let r = ui.add(
        egui::Button::new(
            RichText::new(text.clone())
                .small()
                .monospace()
                .color(colour),
        )
        .frame(false),
    );
    r.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{name} peak {text} dB"))
    });
    r.on_hover_text(format!(
        "{name}: highest peak since the last reset, {text} dB. Click to reset it and the clip light"
    ))
}
