//! Scroll latching: a wheel gesture belongs to what it started on. A page
//! scroll that passes over a fader or a knob leaves it alone; once the
//! wheel has paused, the same fader takes the wheel again.

use auxbus::ui::widgets::WHEEL_LATCH_SECONDS;
use egui::{Event, Modifiers, MouseWheelSource, MouseWheelUnit, TouchPhase, vec2};
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn wheel(dy: f32) -> Event {
    Event::MouseWheel {
        unit: MouseWheelUnit::Line,
        delta: vec2(0.0, dy),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    }
}

fn hats_gain(h: &egui_kittest::Harness<'_, auxbus::ui::ConsoleApp>) -> Option<f32> {
    h.state()
        .doc
        .session()
        .channel("hats")
        .and_then(|c| c.gain_db)
}

#[test]
fn a_page_scroll_passing_over_a_fader_leaves_it_alone() {
    let (mut h, _) = console();
    let before = hats_gain(&h);
    let name = h.get_by_label("Hats").rect().center();
    let fader = h.get_by_label("Hats fader").rect().center();
    // The gesture starts over the strip's name (nothing there takes the
    // wheel: it scrolls the page) ...
    h.hover_at(name);
    h.step();
    for _ in 0..3 {
        h.event(wheel(-1.0));
        h.step();
    }
    // ... and goes on over the fader, without a pause.
    h.hover_at(fader);
    h.step();
    for _ in 0..6 {
        h.event(wheel(-1.0));
        h.step();
    }
    assert_eq!(hats_gain(&h), before, "the page scroll moved the fader");

    // After a pause the fader is the wheel's again: a notch is half a dB.
    let frames = (WHEEL_LATCH_SECONDS * 60.0) as usize + 6;
    h.run_steps(frames);
    h.event(wheel(-1.0));
    h.run_steps(4);
    let expected = before.map(|db| db - 0.5);
    assert_eq!(hats_gain(&h), expected, "the wheel over a resting pointer");
}

#[test]
fn a_wheel_gesture_on_a_fader_stays_with_it() {
    let (mut h, _) = console();
    let before = hats_gain(&h);
    let fader = h.get_by_label("Hats fader").rect().center();
    h.hover_at(fader);
    h.step();
    for _ in 0..4 {
        h.event(wheel(1.0));
        h.step();
    }
    let moved = before.map(|db| db + 2.0);
    assert_eq!(hats_gain(&h), moved);
    // The pointer slips onto the Kick fader mid-gesture: Kick stays put.
    let kick_before = h
        .state()
        .doc
        .session()
        .channel("kick")
        .and_then(|c| c.gain_db);
    let kick = h.get_by_label("Kick fader").rect().center();
    h.hover_at(kick);
    h.step();
    h.event(wheel(1.0));
    h.run_steps(4);
    let kick_after = h
        .state()
        .doc
        .session()
        .channel("kick")
        .and_then(|c| c.gain_db);
    assert_eq!(
        kick_after, kick_before,
        "the gesture jumped to another fader"
    );
}
