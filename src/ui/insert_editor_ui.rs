//! Insert editors: one window per open insert, with a picture of what the
//! effect does (EQ curve, compressor transfer curve and gain reduction,
//! delay repeats, reverb decay, saturation curve), a knob per parameter,
//! presets, bypass and removal. Emits `Action`s only.

use egui::{Color32, Pos2, Rect, RichText, Sense, Shape, Stroke, Ui, pos2, vec2};

use super::app::{ConsoleApp, InsertMeter};
use super::strip_ui::{Action, group_and_edit};
use super::widgets::Knob;
use crate::fx::compressor::static_curve;
use crate::fx::eq::Eq;
use crate::fx::params::*;
use crate::fx::saturation::Saturation;
use crate::fx::{EffectParams, Insert, presets};
use crate::session::Edit;

const CURVE: Color32 = Color32::from_rgb(120, 200, 255);
const GRID: Color32 = Color32::from_gray(70);
const PICTURE: egui::Vec2 = egui::vec2(320.0, 130.0);

impl ConsoleApp {
    /// Every open insert editor; closes editors whose insert is gone.
    pub(super) fn insert_editors(&mut self, ctx: &egui::Context, out: &mut Vec<Action>) {
        let s = &self.doc.session;
        let mut keep = Vec::new();
        for (id, k) in &self.view.editors {
            let Some(c) = s.channel(id) else { continue };
            let Some(insert) = c.inserts.get(*k) else {
                continue;
            };
            let mut open = true;
            let title = format!(
                "{} · insert {} · {}",
                c.display_name(),
                k + 1,
                insert.kind().label()
            );
            let meter = self
                .view
                .inserts
                .get(&(id.clone(), *k))
                .copied()
                .unwrap_or_default();
            let ed = InsertEditor {
                channel: id,
                index: *k,
                insert,
                count: c.inserts.len(),
                prefix: format!("{} insert {}", c.display_name(), k + 1),
                sample_rate: s.sample_rate as f32,
                tempo: s.tempo_bpm,
            };
            egui::Window::new(title)
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| ed.show(ui, meter, out));
            if open {
                keep.push((id.clone(), *k));
            }
        }
        self.view.editors = keep;
    }
}

struct InsertEditor<'a> {
    channel: &'a str,
    index: usize,
    insert: &'a Insert,
    /// Inserts on the channel.
    count: usize,
    prefix: String,
    sample_rate: f32,
    tempo: f32,
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

    fn show(&self, ui: &mut Ui, meter: InsertMeter, out: &mut Vec<Action>) {
        self.top_row(ui, out);
        ui.separator();
        match self.insert.effect {
            EffectParams::Eq(p) => {
                eq_picture(ui, &p, self.sample_rate);
                let mut on = p.hpf_on;
                if ui.checkbox(&mut on, "High-pass in").changed() {
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
                    for (d, name) in [(Detector::Peak, "Peak"), (Detector::Rms, "RMS")] {
                        if ui.selectable_label(p.detector == d, name).clicked() && p.detector != d {
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
                });
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
            if ui.button("Remove").clicked() {
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
                        if ui.selectable_label(p.note == note, text).clicked() && p.note != note {
                            let q = DelayParams { note, ..*p };
                            out.push(Action::Edit(self.edit(EffectParams::Delay(q))));
                        }
                    }
                });
            let mut pp = p.ping_pong;
            if ui.checkbox(&mut pp, "Ping-pong").changed() {
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
                        let mut q = *p;
                        (param.set)(&mut q, from_travel(param, u));
                        group_and_edit(&r, out, || self.edit(wrap(q)));
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

// ---------------------------------------------------------------- pictures

/// A framed plot area; `map` turns (x, y) in the given ranges into points.
fn plot_area(ui: &mut Ui, size: egui::Vec2) -> (Rect, egui::Painter) {
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, Color32::from_gray(24));
    (rect, painter)
}

fn map(rect: Rect, x: f32, y: f32) -> Pos2 {
    pos2(
        rect.left() + x * rect.width(),
        rect.bottom() - y * rect.height(),
    )
}

fn label(painter: &egui::Painter, at: Pos2, text: impl ToString) {
    painter.text(
        at,
        egui::Align2::LEFT_TOP,
        text.to_string(),
        egui::FontId::proportional(10.0),
        Color32::GRAY,
    );
}

fn eq_picture(ui: &mut Ui, p: &EqParams, rate: f32) {
    let (rect, painter) = plot_area(ui, PICTURE);
    let (lo, hi) = (20f32.ln(), 20_000f32.ln());
    let y = |db: f32| ((db + 20.0) / 40.0).clamp(0.0, 1.0);
    for f in [100.0f32, 1000.0, 10_000.0] {
        let x = (f.ln() - lo) / (hi - lo);
        painter.line_segment(
            [map(rect, x, 0.0), map(rect, x, 1.0)],
            Stroke::new(1.0, GRID),
        );
    }
    for db in [-12.0, 0.0, 12.0] {
        painter.line_segment(
            [map(rect, 0.0, y(db)), map(rect, 1.0, y(db))],
            Stroke::new(1.0, GRID),
        );
    }
    let points: Vec<Pos2> = (0..=160)
        .map(|i| {
            let x = i as f32 / 160.0;
            let f = (lo + x * (hi - lo)).exp();
            map(rect, x, y(Eq::response_db(p, rate, f)))
        })
        .collect();
    painter.add(Shape::line(points, Stroke::new(2.0, CURVE)));
    label(&painter, rect.left_top() + vec2(4.0, 2.0), "+20 dB");
    label(
        &painter,
        rect.left_bottom() - vec2(-4.0, 14.0),
        "20 Hz        response        20 kHz",
    );
}

fn compressor_picture(ui: &mut Ui, p: &CompressorParams, reduction: f32) {
    let (rect, painter) = plot_area(ui, vec2(PICTURE.y, PICTURE.y));
    let y = |db: f32| ((db + 60.0) / 60.0).clamp(0.0, 1.0);
    painter.line_segment(
        [map(rect, 0.0, 0.0), map(rect, 1.0, 1.0)],
        Stroke::new(1.0, GRID),
    );
    let t = y(p.threshold_db);
    painter.line_segment(
        [map(rect, t, 0.0), map(rect, t, 1.0)],
        Stroke::new(1.0, GRID),
    );
    let points: Vec<Pos2> = (0..=120)
        .map(|i| {
            let input = -60.0 + i as f32 * 0.5;
            let output = static_curve(input, p.threshold_db, p.ratio, p.knee_db) + p.makeup_db;
            map(rect, y(input), y(output))
        })
        .collect();
    painter.add(Shape::line(points, Stroke::new(2.0, CURVE)));
    label(
        &painter,
        rect.left_top() + vec2(4.0, 2.0),
        format!("{:.1}:1", p.ratio),
    );
    label(
        &painter,
        rect.left_bottom() - vec2(-4.0, 14.0),
        format!("in ➡   GR {reduction:.1} dB"),
    );
}

/// Live gain reduction: a bar growing down from the top, 0 to 20 dB.
fn reduction_meter(ui: &mut Ui, reduction: f32, prefix: &str) {
    let (rect, response) = ui.allocate_exact_size(vec2(14.0, PICTURE.y), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Meter,
            true,
            format!("{prefix} gain reduction {reduction:.1} dB"),
        )
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, Color32::from_gray(24));
    let h = (reduction / 20.0).clamp(0.0, 1.0) * rect.height();
    let bar = Rect::from_min_size(rect.left_top(), vec2(rect.width(), h));
    painter.rect_filled(bar, 2.0, Color32::from_rgb(240, 170, 60));
}

fn delay_picture(ui: &mut Ui, p: &DelayParams, tempo: f32, rate: f32) {
    let (rect, painter) = plot_area(ui, PICTURE);
    let ms = p.effective_ms(tempo);
    let span = (ms * 8.0).clamp(500.0, 8000.0);
    painter.line_segment(
        [map(rect, 0.0, 0.02), map(rect, 0.0, 0.9)],
        Stroke::new(3.0, Color32::GRAY),
    );
    let mut level = 1.0f32;
    let mut k = 1;
    while (k as f32 * ms) < span && level > 0.001 {
        let x = k as f32 * ms / span;
        let side = if p.ping_pong && k % 2 == 0 { 0.35 } else { 0.0 };
        painter.line_segment(
            [
                map(rect, x, 0.02 + side * 0.0),
                map(rect, x, 0.02 + 0.88 * level),
            ],
            Stroke::new(
                3.0,
                if side > 0.0 {
                    Color32::from_rgb(255, 170, 120)
                } else {
                    CURVE
                },
            ),
        );
        level *= p.feedback;
        k += 1;
    }
    let samples = (ms * rate / 1000.0).round();
    let sync = p
        .note
        .map_or(String::new(), |n| format!("{n} at {tempo:.0} bpm = "));
    label(
        &painter,
        rect.left_top() + vec2(8.0, 2.0),
        format!("{sync}{ms:.1} ms ({samples:.0} samples)"),
    );
}

fn reverb_picture(ui: &mut Ui, p: &ReverbParams) {
    let (rect, painter) = plot_area(ui, PICTURE);
    let span = (p.predelay_ms * 0.001 + p.decay_s * 1.2).max(0.2);
    let y = |db: f32| ((db + 70.0) / 70.0).clamp(0.0, 1.0);
    let hf = p.decay_s * (1.0 - 0.8 * p.damping);
    for (rt, colour) in [(p.decay_s, CURVE), (hf, Color32::from_rgb(255, 170, 120))] {
        let points: Vec<Pos2> = (0..=120)
            .map(|i| {
                let t = span * i as f32 / 120.0;
                let after = t - p.predelay_ms * 0.001;
                let db = if after < 0.0 {
                    -70.0
                } else {
                    -60.0 * after / rt
                };
                map(rect, t / span, y(db))
            })
            .collect();
        painter.add(Shape::line(points, Stroke::new(2.0, colour)));
    }
    label(
        &painter,
        rect.left_top() + vec2(8.0, 2.0),
        format!(
            "decay {:.2} s (lows, blue) · {:.2} s (highs, orange)",
            p.decay_s, hf
        ),
    );
}

fn saturation_picture(ui: &mut Ui, p: &SaturationParams) {
    let (rect, painter) = plot_area(ui, vec2(PICTURE.y, PICTURE.y));
    let v = |x: f32| ((x + 1.5) / 3.0).clamp(0.0, 1.0);
    painter.line_segment(
        [map(rect, 0.0, 0.0), map(rect, 1.0, 1.0)],
        Stroke::new(1.0, GRID),
    );
    let points: Vec<Pos2> = (0..=120)
        .map(|i| {
            let x = -1.5 + 3.0 * i as f32 / 120.0;
            map(rect, v(x), v(Saturation::transfer(p, x)))
        })
        .collect();
    painter.add(Shape::line(points, Stroke::new(2.0, CURVE)));
    label(
        &painter,
        rect.left_top() + vec2(4.0, 2.0),
        format!("drive {:.0} dB", p.drive_db),
    );
}
