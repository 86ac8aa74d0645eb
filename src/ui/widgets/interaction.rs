//! Input plumbing shared by the fader and the knob: wheel notches, arrow keys,
//! AccessKit slider actions and the "fine" modifier.
//!
//! Kept in one place so both controls behave identically: a user who learns
//! Shift-for-fine on a fader gets the same on a send knob. Every helper does
//! nothing in a disabled `Ui` (egui already blocks pointer interaction there,
//! but not wheel events or AccessKit requests).

use egui::{Event, EventFilter, Id, MouseWheelUnit, Response, Ui, Vec2, accesskit};

/// Scale factor applied to drags and wheel steps while Shift is held.
pub const FINE_FACTOR: f32 = 0.1;

/// Trackpads report wheel motion in points; this many points count as one
/// notch of a clicky mouse wheel.
const POINTS_PER_NOTCH: f32 = 40.0;

/// A wheel gesture belongs to what it started on for this long after its
/// last event: scrolling a page of strips does not turn the knobs and
/// faders that pass under the pointer, and wheeling a fader does not
/// scroll the page when the pointer slips off it (what browsers and macOS
/// call scroll latching).
pub const WHEEL_LATCH_SECONDS: f64 = 0.4;

/// Who the current wheel gesture belongs to: a widget, or (`None`) the
/// page's scroll areas; and when it last moved.
#[derive(Clone, Copy, Debug, PartialEq)]
struct WheelLatch {
    owner: Option<Id>,
    time: f64,
}

fn latch_id() -> Id {
    Id::unique("auxbus wheel latch")
}

fn wheel_this_frame(ui_ctx: &egui::Context) -> f32 {
    ui_ctx.input(|i| {
        i.events
            .iter()
            .map(|event| match event {
                Event::MouseWheel { unit, delta, .. } => match unit {
                    MouseWheelUnit::Line => delta.y,
                    MouseWheelUnit::Point => delta.y / POINTS_PER_NOTCH,
                    // A page of scrolling is a big gesture: a few notches.
                    MouseWheelUnit::Page => delta.y * 4.0,
                },
                _ => 0.0,
            })
            .sum()
    })
}

/// Whether the wheel events of this frame may go to widget `id`: no
/// gesture is running, or it is this widget's. Claiming refreshes it.
fn claim_wheel(ctx: &egui::Context, id: Id) -> bool {
    let now = ctx.input(|i| i.time);
    let free = !gesture_elsewhere(ctx, id);
    if free {
        ctx.data_mut(|d| {
            d.insert_temp(
                latch_id(),
                WheelLatch {
                    owner: Some(id),
                    time: now,
                },
            )
        });
    }
    free
}

fn gesture_elsewhere(ctx: &egui::Context, id: Id) -> bool {
    let now = ctx.input(|i| i.time);
    ctx.data(|d| d.get_temp::<WheelLatch>(latch_id()))
        .is_some_and(|l| now - l.time < WHEEL_LATCH_SECONDS && l.owner != Some(id))
}

/// Once per frame, after every widget: wheel events no widget claimed
/// scrolled the page, so the gesture belongs to the page until it pauses.
pub fn settle_wheel_latch(ctx: &egui::Context) {
    if wheel_this_frame(ctx) == 0.0 {
        return;
    }
    let now = ctx.input(|i| i.time);
    let claimed_now = ctx
        .data(|d| d.get_temp::<WheelLatch>(latch_id()))
        .is_some_and(|l| l.time == now && l.owner.is_some());
    if !claimed_now {
        ctx.data_mut(|d| {
            d.insert_temp(
                latch_id(),
                WheelLatch {
                    owner: None,
                    time: now,
                },
            )
        });
    }
}

/// Is the fine modifier (Shift) held right now?
pub fn fine_held(ui: &Ui) -> bool {
    ui.input(|i| i.modifiers.shift)
}

/// Whole wheel notches over this widget this frame (+ = wheel up).
///
/// Reads the raw wheel events rather than `smooth_scroll_delta`, which is
/// spread over several frames and would make one notch land as several tiny
/// steps. Fractional trackpad motion is accumulated per widget so slow swipes
/// still add up to steps. While the pointer is over the widget the scroll is
/// also taken away from any enclosing `ScrollArea`, so the strip does not
/// scroll away under the control being adjusted. A wheel gesture that
/// started elsewhere (scrolling the page) passes over the widget untouched
/// until it pauses for [`WHEEL_LATCH_SECONDS`].
pub fn wheel_notches(ui: &Ui, response: &Response) -> i32 {
    if !ui.is_enabled() || !response.hovered() {
        return 0;
    }
    let raw = wheel_this_frame(ui.ctx());
    let ours = if raw != 0.0 {
        claim_wheel(ui.ctx(), response.id)
    } else {
        // No new events, but the page may still be gliding from its last
        // ones: leave that glide alone unless the gesture is this widget's.
        !gesture_elsewhere(ui.ctx(), response.id)
    };
    if !ours {
        return 0;
    }
    ui.ctx().input_mut(|i| i.smooth_scroll_delta = Vec2::ZERO);
    if raw == 0.0 || !raw.is_finite() {
        return 0;
    }
    let acc_id = response.id.with("wheel_accumulator");
    let acc = ui.data(|d| d.get_temp::<f32>(acc_id)).unwrap_or(0.0) + raw;
    let whole = acc.trunc();
    ui.data_mut(|d| d.insert_temp(acc_id, acc - whole));
    // Saturating float-to-int cast: a wild value cannot overflow.
    whole as i32
}

/// Arrow-key steps (when focused) plus AccessKit Increment/Decrement requests.
/// Up = +1. Locks vertical arrows to the widget so they do not move focus.
pub fn keyboard_steps(ui: &Ui, response: &Response) -> i32 {
    if !ui.is_enabled() {
        return 0;
    }
    let mut steps = 0i64;
    if response.has_focus() {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                response.id,
                EventFilter {
                    vertical_arrows: true,
                    ..Default::default()
                },
            );
        });
        ui.input(|i| {
            steps += i.num_presses(egui::Key::ArrowUp) as i64;
            steps -= i.num_presses(egui::Key::ArrowDown) as i64;
        });
    }
    ui.input(|i| {
        use accesskit::Action;
        steps += i.num_accesskit_action_requests(response.id, Action::Increment) as i64;
        steps -= i.num_accesskit_action_requests(response.id, Action::Decrement) as i64;
    });
    steps.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// The last AccessKit "set value" request for this widget this frame, if any
/// (screen readers, and `set_value_accesskit` in kittest).
pub fn accesskit_set_value(ui: &Ui, id: Id) -> Option<f64> {
    if !ui.is_enabled() {
        return None;
    }
    ui.input(|i| {
        i.accesskit_action_requests(id, accesskit::Action::SetValue)
            .filter_map(|request| match request.data {
                Some(accesskit::ActionData::NumericValue(v)) => Some(v),
                _ => None,
            })
            .last()
    })
}

/// Tell AccessKit the numeric range and which actions the slider accepts.
/// Call after `Response::widget_info`.
pub fn declare_slider(ui: &Ui, id: Id, value: f64, min: f64, max: f64, step: f64) {
    ui.ctx().accesskit_node_builder(id, |node| {
        use accesskit::Action;
        node.set_min_numeric_value(min);
        node.set_max_numeric_value(max);
        node.set_numeric_value_step(step);
        node.add_action(Action::SetValue);
        if value < max {
            node.add_action(Action::Increment);
        }
        if value > min {
            node.add_action(Action::Decrement);
        }
    });
}
