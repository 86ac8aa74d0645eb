//! The spectrum analyser window: the master mix or any channel, on a log
//! frequency axis, with the average as a filled curve and the held peaks as
//! a line above it.
//!
//! ```text
//!  Source [Master ▾]  Slope [4.5 dB/oct ▾]  Average [0.3 s ▾]  Hold [2 s ▾]  [Reset peaks]
//!  0 ┤            ╭─╮ peak
//! −24┤  ▁▂▄▆█████▇█▆▅▄▃▂▁  average
//!     20   50  100  200  500  1k  2k  5k  10k  20k
//! ```

use egui::{Align2, Color32, FontId, Pos2, Rect, Role, Sense, Shape, Stroke, Ui, WidgetInfo};

use super::action::Action;
use super::analysers::SpectrumView;
use crate::analysis::{CurvePoint, SpectrumSettings};
use crate::session::{ChannelKind, Session};

/// The frequency axis.
const LO_HZ: f32 = 20.0;
const HI_HZ: f32 = 20_000.0;
/// The level axis, dB (after the slope).
const TOP_DB: f32 = 6.0;
const BOTTOM_DB: f32 = -90.0;
const AVERAGE_COLOUR: Color32 = Color32::from_rgb(70, 150, 220);
const PEAK_COLOUR: Color32 = Color32::from_rgb(240, 190, 70);

const SLOPES: [f32; 4] = [0.0, 3.0, 4.5, 6.0];
const AVERAGES: [f32; 4] = [0.1, 0.3, 1.0, 3.0];
const HOLDS: [Option<f32>; 4] = [Some(0.5), Some(2.0), Some(5.0), None];

fn hold_text(h: Option<f32>) -> String {
    h.map_or("until reset".to_owned(), |s| format!("{s} s"))
}

/// The analyser window, while open.
pub fn spectrum_window(
    ctx: &egui::Context,
    s: &Session,
    view: &SpectrumView,
    out: &mut Vec<Action>,
) {
    let mut open = view.open;
    // First shown low on the screen, over the faders' lower half rather
    // than the transport and the strips' controls.
    let screen = ctx.content_rect();
    let top = (screen.bottom() - 360.0).max(screen.top() + 90.0);
    egui::Window::new("Spectrum analyser")
        .open(&mut open)
        .default_pos(egui::pos2(screen.left() + 24.0, top))
        .default_size([620.0, 300.0])
        .min_size([320.0, 180.0])
        .resizable(true)
        .show(ctx, |ui| {
            controls(ui, s, view, out);
            plot(ui, s, view);
        });
    if !open {
        out.push(Action::ShowAnalyser(false));
    }
}

fn source_name(s: &Session, source: Option<&str>) -> String {
    match source {
        None => "Master".to_owned(),
        Some(id) => s
            .channel(id)
            .map_or_else(|| format!("{id} (gone)"), |c| c.display_name().to_owned()),
    }
}

fn controls(ui: &mut Ui, s: &Session, view: &SpectrumView, out: &mut Vec<Action>) {
    let set = view.spectrum.settings;
    ui.horizontal_wrapped(|ui| {
        ui.label("Source");
        let mut source = view.source.clone();
        egui::ComboBox::from_id_salt("spectrum source")
            .selected_text(source_name(s, source.as_deref()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut source, None, "Master (the mix)");
                for c in s.channels.iter().filter(|c| c.kind != ChannelKind::Master) {
                    ui.selectable_value(&mut source, Some(c.id.clone()), c.display_name());
                }
            })
            .response
            .on_hover_text(
                "What the analyser looks at: the master mix, or one channel's output \
                 (after its fader and pan), heard or not",
            );
        if source != view.source {
            out.push(Action::SetAnalyserSource(source));
        }
        let mut next = set;
        ui.label("Slope");
        egui::ComboBox::from_id_salt("spectrum slope")
            .selected_text(format!("{} dB/oct", set.slope_db_per_octave))
            .show_ui(ui, |ui| {
                for v in SLOPES {
                    ui.selectable_value(&mut next.slope_db_per_octave, v, format!("{v} dB/oct"));
                }
            })
            .response
            .on_hover_text(
                "Tilts the display around 1 kHz: 0 shows white noise flat, 3 pink noise, \
                 4.5 a typical finished mix — so a flat line means a balanced mix",
            );
        ui.label("Average");
        egui::ComboBox::from_id_salt("spectrum average")
            .selected_text(format!("{} s", set.average_seconds))
            .show_ui(ui, |ui| {
                for v in AVERAGES {
                    ui.selectable_value(&mut next.average_seconds, v, format!("{v} s"));
                }
            })
            .response
            .on_hover_text("How slowly the filled average follows the music (its time constant)");
        ui.label("Hold");
        egui::ComboBox::from_id_salt("spectrum hold")
            .selected_text(hold_text(set.hold_seconds))
            .show_ui(ui, |ui| {
                for v in HOLDS {
                    ui.selectable_value(&mut next.hold_seconds, v, hold_text(v));
                }
            })
            .response
            .on_hover_text(
                "How long the peak line holds the loudest level of each frequency \
                 before it falls (20 dB/s)",
            );
        if next != set {
            out.push(Action::SetSpectrum(next));
        }
        if ui
            .button("Reset peaks")
            .on_hover_text("Start the peak line again from the average")
            .clicked()
        {
            out.push(Action::ResetSpectrumPeaks);
        }
    });
}

fn x_of(rect: Rect, hz: f32) -> f32 {
    let t = (hz / LO_HZ).ln() / (HI_HZ / LO_HZ).ln();
    rect.left() + t * rect.width()
}

fn hz_of(rect: Rect, x: f32) -> f32 {
    LO_HZ * ((HI_HZ / LO_HZ).ln() * (x - rect.left()) / rect.width()).exp()
}

fn y_of(rect: Rect, db: f32) -> f32 {
    let t = (TOP_DB - db.clamp(BOTTOM_DB, TOP_DB)) / (TOP_DB - BOTTOM_DB);
    rect.top() + t * rect.height()
}

fn fmt_hz(hz: f32) -> String {
    if hz >= 1000.0 {
        format!("{}k", hz / 1000.0)
    } else {
        format!("{hz}")
    }
}

fn plot(ui: &mut Ui, s: &Session, view: &SpectrumView) {
    let size = ui.available_size().max(egui::vec2(200.0, 120.0));
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let name = source_name(s, view.source.as_deref());
    response.widget_info(|| WidgetInfo::labeled(Role::Image, true, format!("Spectrum of {name}")));
    let set: SpectrumSettings = view.spectrum.settings;
    // One point every two pixels is as fine as the eye reads it.
    let mut points = vec![
        CurvePoint {
            hz: 0.0,
            average_db: 0.0,
            peak_db: 0.0
        };
        ((rect.width() / 2.0) as usize).max(2)
    ];
    let nyquist = view.spectrum.rate() as f32 / 2.0;
    view.spectrum.curve(LO_HZ, HI_HZ.min(nyquist), &mut points);
    let hover = response.hover_pos().map(|p| {
        let hz = hz_of(rect, p.x);
        let near = points
            .iter()
            .min_by(|a, b| (a.hz - hz).abs().total_cmp(&(b.hz - hz).abs()))
            .copied();
        (hz, near)
    });
    response.on_hover_ui(|ui| {
        ui.label(format!(
            "The {name} signal's mid (L + R) / 2 through a {}-point FFT (Hann window). \
             Filled: the average ({} s); line: the held peaks. With the slope at {} dB/oct, \
             levels are tilted around 1 kHz; a full-scale sine reads 0 dB at 1 kHz.",
            view.spectrum.fft_size(),
            set.average_seconds,
            set.slope_db_per_octave,
        ));
        if let Some((hz, Some(p))) = hover {
            ui.label(format!(
                "{:.0} Hz: average {:.1} dB, peak {:.1} dB",
                hz, p.average_db, p.peak_db
            ));
        }
    });
    if !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
    let grid = Stroke::new(1.0, visuals.weak_text_color().gamma_multiply(0.35));
    let label = visuals.weak_text_color();
    let font = FontId::proportional(10.0);
    for hz in [
        20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0, 20_000.0,
    ] {
        let x = x_of(rect, hz);
        painter.line_segment(
            [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
            grid,
        );
        painter.text(
            Pos2::new(x + 2.0, rect.bottom() - 2.0),
            Align2::LEFT_BOTTOM,
            fmt_hz(hz),
            font.clone(),
            label,
        );
    }
    let mut db = 0.0;
    while db > BOTTOM_DB {
        let y = y_of(rect, db);
        painter.line_segment(
            [Pos2::new(rect.left(), y), Pos2::new(rect.right(), y)],
            grid,
        );
        // Levels at the right edge, clear of the frequencies at the bottom.
        painter.text(
            Pos2::new(rect.right() - 2.0, y + 1.0),
            Align2::RIGHT_TOP,
            format!("{db:.0}"),
            font.clone(),
            label,
        );
        db -= 12.0;
    }
    let (avg, peak): (Vec<Pos2>, Vec<Pos2>) = points
        .iter()
        .map(|p| {
            let x = x_of(rect, p.hz);
            (
                Pos2::new(x, y_of(rect, p.average_db)),
                Pos2::new(x, y_of(rect, p.peak_db)),
            )
        })
        .unzip();
    // The average filled down to the floor: one mesh of columns.
    let fill = AVERAGE_COLOUR.gamma_multiply(0.35);
    let mut mesh = egui::Mesh::default();
    for (k, p) in avg.iter().enumerate() {
        mesh.colored_vertex(*p, fill);
        mesh.colored_vertex(Pos2::new(p.x, rect.bottom()), fill);
        if k > 0 {
            let i = 2 * k as u32;
            mesh.add_triangle(i - 2, i - 1, i);
            mesh.add_triangle(i - 1, i, i + 1);
        }
    }
    painter.add(Shape::mesh(mesh));
    painter.add(Shape::line(avg, Stroke::new(1.5, AVERAGE_COLOUR)));
    painter.add(Shape::line(peak, Stroke::new(1.0, PEAK_COLOUR)));
    if let Some((hz, Some(p))) = hover {
        let x = x_of(rect, hz);
        painter.line_segment(
            [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
            Stroke::new(1.0, visuals.text_color()),
        );
        painter.text(
            Pos2::new(rect.right() - 4.0, rect.top() + 4.0),
            Align2::RIGHT_TOP,
            format!("{:.0} Hz  {:.1} dB", hz, p.average_db),
            FontId::monospace(11.0),
            visuals.text_color(),
        );
    }
}
