//! The picture in each insert editor: what the effect does, drawn from its
//! settings (and, for the compressor, its live gain reduction).

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, pos2, vec2};

use crate::fx::compressor::static_curve;
use crate::fx::eq::Eq;
use crate::fx::saturation::Saturation;
use crate::session::effects::params::*;

const CURVE: Color32 = Color32::from_rgb(120, 200, 255);
const GRID: Color32 = Color32::from_gray(70);
pub const PICTURE: egui::Vec2 = egui::vec2(320.0, 130.0);

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

pub fn eq_picture(ui: &mut Ui, p: &EqParams, rate: f32) {
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

pub fn compressor_picture(ui: &mut Ui, p: &CompressorParams, reduction: f32) {
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
pub fn reduction_meter(ui: &mut Ui, reduction: f32, prefix: &str) {
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

pub fn delay_picture(ui: &mut Ui, p: &DelayParams, tempo: f32, rate: f32) {
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

pub fn reverb_picture(ui: &mut Ui, p: &ReverbParams) {
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

pub fn saturation_picture(ui: &mut Ui, p: &SaturationParams) {
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
