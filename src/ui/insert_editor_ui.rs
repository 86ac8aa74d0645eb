//! One insert's editor: a picture of what the effect does (EQ curve,
//! compressor transfer curve and gain reduction, delay repeats, reverb
//! decay, saturation curve), a knob per parameter, presets, bypass, moves
//! and removal. Emits `Action`s only.

use egui::{Color32, RichText, Ui};

use super::action::Action;
use super::effect_pictures_ui::{
    compressor_picture, delay_picture, eq_picture, reduction_meter, reverb_picture,
    saturation_picture,
};
use super::meters::InsertMeter;
use super::widgets::Knob;
use crate::session::Edit;
use crate::session::effects::params::*;
use crate::session::effects::{EffectParams, Insert, presets};

pub struct InsertEditor<'a> {
    pub channel: &'a str,
    pub index: usize,
    pub insert: &'a Insert,
    /// Inserts on the channel.
    pub count: usize,
    pub prefix: String,
    pub sample_rate: f32,
    pub tempo: f32,
}

impl InsertEditor<'_> {
    fn edit(&self, effect: EffectParams) -> Edit {
        Edit::SetInsert {
            channel: self.channel.to_owned(),
            index: self.index,
            insert: Insert {
                effect,
                ..self.insert.clone()
            },
        }
    }

    pub fn show(&self, ui: &mut Ui, meter: InsertMeter, out: &mut Vec<Action>) {
        self.top_row(ui, out);
        ui.separator();
        match self.insert.effect {
            EffectParams::Eq(p) => {
                eq_picture(ui, &p, self.sample_rate);
                let mut on = p.hpf_on;
                if ui
                    .checkbox(&mut on, "High-pass in")
                    .on_hover_text("Turn the high-pass filter (low cut) on or off")
                    .changed()
                {
                    out.push(Action::Edit(
                        self.edit(EffectParams::Eq(EqParams { hpf_on: on, ..p })),
                    ));
                }
                self.knobs(ui, &EQ_PARAMS, &p, EffectParams::Eq, out);
            }
            EffectParams::Compressor(p) => {
                ui.horizontal(|ui| {
                    compressor_picture(ui, &p, meter.reduction_db);
                    reduction_meter(ui, meter.reduction_db, &self.prefix);
                });
                ui.horizontal(|ui| {
                    ui.label("Detector");
                    for (d, name, hint) in [
                        (
                            Detector::Peak,
                            "Peak",
                            "React to every peak: fast, catches transients",
                        ),
                        (
                            Detector::Rms,
                            "RMS",
                            "React to the average level: smoother, like the ear",
                        ),
                    ] {
                        let r = ui
                            .selectable_label(p.detector == d, name)
                            .on_hover_text(hint);
                        if r.clicked() && p.detector != d {
                            let q = CompressorParams { detector: d, ..p };
                            out.push(Action::Edit(self.edit(EffectParams::Compressor(q))));
                        }
                    }
                });
                self.knobs(ui, &COMPRESSOR_PARAMS, &p, EffectParams::Compressor, out);
            }
            EffectParams::Reverb(p) => {
                reverb_picture(ui, &p);
                self.knobs(ui, &REVERB_PARAMS, &p, EffectParams::Reverb, out);
            }
            EffectParams::Delay(p) => {
                delay_picture(ui, &p, self.tempo, self.sample_rate);
                self.delay_controls(ui, &p, out);
                self.knobs(ui, &DELAY_PARAMS, &p, EffectParams::Delay, out);
            }
            EffectParams::Saturation(p) => {
                saturation_picture(ui, &p);
                self.knobs(ui, &SATURATION_PARAMS, &p, EffectParams::Saturation, out);
            }
        }
        if meter.resets > 0 {
            ui.colored_label(
                Color32::LIGHT_RED,
                format!(
                    "Reset {} time(s) after an invalid (non-finite) sample.",
                    meter.resets
                ),
            );
        }
    }

    /// Bypass, preset, move and remove.
    fn top_row(&self, ui: &mut Ui, out: &mut Vec<Action>) {
        let insert = self.insert;
        ui.horizontal(|ui| {
            let mut on = !insert.bypass;
            if ui
                .checkbox(&mut on, "On")
                .on_hover_text("Off = bypassed")
                .changed()
            {
                out.push(Action::Edit(Edit::SetInsert {
                    channel: self.channel.to_owned(),
                    index: self.index,
                    insert: Insert {
                        bypass: !on,
                        ..insert.clone()
                    },
                }));
            }
            let edited = insert
                .preset
                .as_deref()
                .and_then(presets::find)
                .is_some_and(|p| p.effect != insert.effect);
            let shown = match (&insert.preset, edited) {
                (Some(name), false) => name.clone(),
                (Some(name), true) => format!("{name} (edited)"),
                (None, _) => "Preset…".to_owned(),
            };
            egui::ComboBox::new(("preset", self.channel, self.index), "Preset")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for p in presets::for_kind(insert.kind()) {
                        if ui.button(p.name).on_hover_text(p.about).clicked() {
                            out.push(Action::Edit(Edit::SetInsert {
                                channel: self.channel.to_owned(),
                                index: self.index,
                                insert: Insert {
                                    effect: p.effect,
                                    bypass: insert.bypass,
                                    preset: Some(p.name.to_owned()),
                                },
                            }));
                        }
                    }
                })
                .response
                .on_hover_text(
                    "Start from a preset: settings made for a job (hover each to read it)",
                );
            let moves = [
                ("Earlier", self.index.checked_sub(1)),
                ("Later", Some(self.index + 1).filter(|&k| k < self.count)),
            ];
            for (text, to) in moves {
                if let Some(to) = to
                    && ui
                        .button(text)
                        .on_hover_text(format!(
                            "Move this insert {} in the chain",
                            text.to_lowercase()
                        ))
                        .clicked()
                {
                    out.push(Action::Edit(Edit::MoveInsert {
                        channel: self.channel.to_owned(),
                        from: self.index,
                        to,
                    }));
                }
            }
            if ui
                .button("Remove")
                .on_hover_text("Take this effect out of the chain (Ctrl+Z brings it back)")
                .clicked()
            {
                out.push(Action::Edit(Edit::RemoveInsert {
                    channel: self.channel.to_owned(),
                    index: self.index,
                }));
            }
        });
    }

    fn delay_controls(&self, ui: &mut Ui, p: &DelayParams, out: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            let shown = p.note.map_or("off (ms)".to_owned(), |n| n.to_string());
            egui::ComboBox::new(("note", self.channel, self.index), "Sync")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    let mut choices = vec![None];
                    for d in NoteValue::DIVISIONS {
                        for feel in [Feel::Straight, Feel::Dotted, Feel::Triplet] {
                            choices.push(Some(NoteValue { division: d, feel }));
                        }
                    }
                    for note in choices {
                        let text = note.map_or("off (ms)".to_owned(), |n| n.to_string());
                        if ui.selectable_label(p.note == note, text).clicked()
                            && p.note != note
                        {
                            let q = DelayParams { note, ..*p };
                            out.push(Action::Edit(self.edit(EffectParams::Delay(q))));
                        }
                    }
                })
                .response
                .on_hover_text("Lock the delay time to a note value at the session's tempo, or off to set it in ms");
            let mut pp = p.ping_pong;
            if ui
                .checkbox(&mut pp, "Ping-pong")
                .on_hover_text("Repeats alternate between left and right")
                .changed()
            {
                let q = DelayParams {
                    ping_pong: pp,
                    ..*p
                };
                out.push(Action::Edit(self.edit(EffectParams::Delay(q))));
            }
        });
    }

    /// A knob per number in `table`, in rows of five.
    fn knobs<P: Copy + 'static>(
        &self,
        ui: &mut Ui,
        table: &'static [Param<P>],
        p: &P,
        wrap: fn(P) -> EffectParams,
        out: &mut Vec<Action>,
    ) {
        for row in table.chunks(5) {
            ui.horizontal(|ui| {
                for param in row {
                    ui.vertical(|ui| {
                        ui.set_width(58.0);
                        let mut u = to_travel(param, (param.get)(p));
                        let r = ui.add(
                            Knob::new(
                                &mut u,
                                0.0..=1.0,
                                format!("{} {}", self.prefix, param.label),
                            )
                            .default_value(to_travel(param, param.default))
                            .format(move |u| param.format(from_travel(param, u)))
                            .step(0.01)
                            .diameter(30.0),
                        );
                        let r = r.on_hover_text(format!(
                            "{}: {} (default {}). Drag up or down (Shift: fine), wheel, \
                             double-click for the default",
                            param.label,
                            param.format((param.get)(p)),
                            param.format(param.default)
                        ));
                        let mut q = *p;
                        (param.set)(&mut q, from_travel(param, u));
                        Action::from_control(&r, out, || self.edit(wrap(q)));
                        ui.label(RichText::new(param.label).small());
                    });
                }
            });
        }
    }
}

/// Knob travel (0–1) for a value, along the parameter's taper.
fn to_travel<P>(p: &Param<P>, v: f32) -> f32 {
    let t = match p.taper {
        Taper::Log if p.min > 0.0 => (v / p.min).ln() / (p.max / p.min).ln(),
        _ => (v - p.min) / (p.max - p.min),
    };
    t.clamp(0.0, 1.0)
}

fn from_travel<P>(p: &Param<P>, t: f32) -> f32 {
    let v = match p.taper {
        Taper::Log if p.min > 0.0 => p.min * (p.max / p.min).powf(t),
        _ => p.min + t * (p.max - p.min),
    };
    v.clamp(p.min, p.max)
}
