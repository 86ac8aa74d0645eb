//! A strip's fader with its meter beside it and the typed value below;
//! VCA members also show the combined gain.

use egui::{RichText, Ui};

use super::action::Action;
use super::meters::MeterView;
use super::theme::VCA_COLOUR;
use super::widgets::{Fader, db_entry, format_db, stereo_meter};
use crate::graph::channel_gains;
use crate::session::{Edit, Session};

pub const FADER_HEIGHT: f32 = 240.0;

pub fn fader_and_meter(
    ui: &mut Ui,
    s: &Session,
    index: usize,
    name: &str,
    meters: &MeterView,
    out: &mut Vec<Action>,
) {
    let c = &s.channels[index];
    let in_vca = s.vcas.iter().any(|v| v.members.contains(&c.id));
    let combined = channel_gains(s, index, false, false).combined_db;
    ui.horizontal(|ui| {
        let mut gain = c.gain_db;
        let mut fader = Fader::new(&mut gain, format!("{name} fader")).height(FADER_HEIGHT);
        if in_vca {
            fader = fader.combined(combined);
        }
        let r = ui.add(fader);
        Action::from_control(&r, out, || Edit::Gain {
            channel: c.id.clone(),
            db: gain,
        });
        if stereo_meter(ui, &meters.channel(&c.id), FADER_HEIGHT, name).clicked() {
            out.push(Action::ResetClip(c.id.clone()));
        }
    });
    let mut typed = c.gain_db;
    if db_entry(ui, &mut typed, ui.make_persistent_id(("gain entry", &c.id))).changed()
        && typed != c.gain_db
    {
        out.push(Action::Edit(Edit::Gain {
            channel: c.id.clone(),
            db: typed,
        }));
    }
    if in_vca {
        ui.label(
            RichText::new(format!("with VCA {}", format_db(combined)))
                .small()
                .color(VCA_COLOUR),
        );
    }
}
