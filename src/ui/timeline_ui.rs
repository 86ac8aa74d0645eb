//! The timeline under the transport: a ruler over the session's length
//! (minutes:seconds or bars:beats), the play head, and the loop range.
//! Click or drag to move the play head (it moves on release; a ghost shows
//! where while dragging); Shift-drag to set the loop range; double-click
//! the loop lane to loop the whole session again.
//!
//! ```text
//!  |0:00    |0:05    |0:10    |0:15    |0:20  ruler
//!      ░░░░░░░░░░░░░░░░░                      loop range (lane at the bottom)
//!                ▼ play head
//! ```

use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, Ui, pos2, vec2};

use super::action::{Action, Transport};
use super::timecode::{bars_beats, minutes_seconds, ruler_step};
use super::widgets::{accesskit_set_value, declare_slider};

const HEIGHT: f32 = 26.0;
/// The span shown when the session's length is not known (nothing loaded).
pub const UNKNOWN_LENGTH: f64 = 60.0;
const LOOP_LANE: f32 = 6.0;
const PLAYHEAD: Color32 = Color32::from_rgb(255, 210, 80);
const LOOP_COLOUR: Color32 = Color32::from_rgb(90, 160, 230);

/// What the timeline shows.
pub struct TimelineView {
    pub position: f64,
    /// Seconds; a short default when nothing is loaded.
    pub length: f64,
    pub loop_range: Option<(f64, f64)>,
    pub looping: bool,
    pub bars: bool,
    pub tempo_bpm: f32,
}

/// A drag in progress: where it began, in seconds, and whether it sets the loop.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimelineDrag {
    pub from: f64,
    pub to: f64,
    pub loop_range: bool,
}

pub fn timeline(
    ui: &mut Ui,
    v: &TimelineView,
    drag: &mut Option<TimelineDrag>,
    out: &mut Vec<Action>,
) {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, HEIGHT), Sense::click_and_drag());
    let length = v.length.max(1.0);
    let to_x = |t: f64| rect.left() + (t / length).clamp(0.0, 1.0) as f32 * rect.width();
    let at = |x: f32| f64::from(((x - rect.left()) / rect.width()).clamp(0.0, 1.0)) * length;
    let format = |t: f64| {
        if v.bars {
            bars_beats(t, v.tempo_bpm)
        } else {
            minutes_seconds(t)
        }
    };

    // --- interact ---
    let shift = ui.input(|i| i.modifiers.shift);
    if response.is_pointer_button_down_on()
        && let Some(p) = response.interact_pointer_pos()
    {
        let t = at(p.x);
        match drag.as_mut() {
            Some(d) => d.to = t,
            None => {
                let in_lane = p.y > rect.bottom() - LOOP_LANE - 2.0;
                *drag = Some(TimelineDrag {
                    from: t,
                    to: t,
                    loop_range: shift || in_lane,
                });
            }
        }
    }
    if response.double_clicked() {
        *drag = None;
        out.push(Action::SetLoopRange(None));
        if v.looping {
            out.push(Action::Transport(Transport::Loop(Some((0.0, length)))));
        }
    } else if response.drag_stopped() || response.clicked() {
        if let Some(d) = drag.take() {
            let wide = (d.to - d.from).abs() * px_per_second(rect, length) > 4.0;
            if d.loop_range && wide {
                let range = (d.from.min(d.to), d.from.max(d.to));
                out.push(Action::SetLoopRange(Some(range)));
                out.push(Action::Transport(Transport::Loop(Some(range))));
            } else if !d.loop_range {
                out.push(Action::Transport(Transport::Seek(d.to)));
            }
        }
    } else if !response.is_pointer_button_down_on() {
        *drag = None;
    }
    // Screen readers and tests: a slider over the session, in seconds.
    let label = "Timeline position";
    response.widget_info(|| egui::WidgetInfo::slider(ui.is_enabled(), v.position, label));
    declare_slider(ui, response.id, v.position, 0.0, length, 1.0);
    if let Some(value) = accesskit_set_value(ui, response.id)
        && value.is_finite()
    {
        out.push(Action::Transport(Transport::Seek(value.clamp(0.0, length))));
    }

    // --- paint ---
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
    let px_per_s = px_per_second(rect, length);
    let step = ruler_step(px_per_s, 64.0, v.bars, v.tempo_bpm);
    let mut t = 0.0;
    while t <= length + 1e-9 {
        let x = to_x(t);
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.top() + 8.0)],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
        painter.text(
            pos2(x + 3.0, rect.top() + 1.0),
            Align2::LEFT_TOP,
            format(t),
            FontId::monospace(10.0),
            visuals.weak_text_color(),
        );
        t += step;
    }
    let lane = Rect::from_x_y_ranges(rect.x_range(), rect.bottom() - LOOP_LANE..=rect.bottom());
    let shown_loop = match drag {
        Some(d) if d.loop_range => Some((d.from.min(d.to), d.from.max(d.to))),
        _ => v.loop_range.or(Some((0.0, length))),
    };
    if let Some((a, b)) = shown_loop {
        let colour = if v.looping || drag.is_some() {
            LOOP_COLOUR
        } else {
            LOOP_COLOUR.gamma_multiply(0.3)
        };
        let r = Rect::from_x_y_ranges(to_x(a)..=to_x(b), lane.y_range());
        painter.rect_filled(r, 1.0, colour);
    }
    let x = to_x(v.position);
    painter.line_segment(
        [pos2(x, rect.top()), pos2(x, rect.bottom())],
        Stroke::new(2.0, PLAYHEAD),
    );
    if let Some(d) = drag
        && !d.loop_range
    {
        let x = to_x(d.to);
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.bottom())],
            Stroke::new(1.0, PLAYHEAD.gamma_multiply(0.6)),
        );
    }
    response.on_hover_text(
        "Click or drag to move the play head · Shift-drag (or drag the bottom lane) to set the loop · double-click to loop everything",
    );
}

fn px_per_second(rect: Rect, length: f64) -> f64 {
    f64::from(rect.width()) / length
}
