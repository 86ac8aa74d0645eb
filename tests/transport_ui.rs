//! The transport from the console: the timeline seeks and sets the loop,
//! the keys move the play head; everything reaches the audio side as
//! transport requests.

use auxbus::ui::{ConsoleApp, Transport};
use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

/// The recording port reports no length: the timeline spans 60 s.
const LENGTH: f64 = 60.0;

fn last(port: &auxbus::ui::RecordingPort) -> Option<Transport> {
    port.log.borrow().transports.last().cloned()
}

fn timeline_rect(h: &Harness<'_, ConsoleApp>) -> egui::Rect {
    h.get_by_label("Timeline position").rect()
}

#[test]
fn clicking_the_timeline_seeks_there() {
    let (mut h, port) = console();
    let r = timeline_rect(&h);
    h.get_by_label("Timeline position").hover();
    h.run();
    let at = egui::pos2(r.left() + r.width() * 0.25, r.center().y - 4.0);
    h.hover_at(at);
    h.run();
    h.drag_at(at);
    h.run();
    h.drop_at(at);
    h.run();
    match last(&port) {
        Some(Transport::Seek(t)) => assert!((t - LENGTH * 0.25).abs() < 0.2, "{t}"),
        other => panic!("expected a seek, got {other:?}"),
    }
}

#[test]
fn shift_drag_on_the_timeline_sets_the_loop() {
    let (mut h, port) = console();
    let r = timeline_rect(&h);
    let (a, b) = (
        egui::pos2(r.left() + r.width() * 0.5, r.center().y),
        egui::pos2(r.left() + r.width() * 0.75, r.center().y),
    );
    h.hover_at(a);
    h.run();
    h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    h.drag_at(a);
    h.run();
    for i in 1..=4 {
        h.hover_at(a + (b - a) * (i as f32 / 4.0) + vec2(0.0, 0.0));
        h.run();
    }
    h.drop_at(b);
    h.run();
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    match last(&port) {
        Some(Transport::Loop(Some((from, to)))) => {
            assert!(
                (from - 30.0).abs() < 0.3 && (to - 45.0).abs() < 0.3,
                "{from}..{to}"
            )
        }
        other => panic!("expected a loop, got {other:?}"),
    }
    assert_eq!(h.state().shell.loop_range.map(|r| r.0.round()), Some(30.0));
    assert!(h.state().shell.looping);
}

#[test]
fn home_end_and_arrows_move_the_play_head() {
    let (mut h, port) = console();
    h.key_press(Key::End);
    h.run();
    assert_eq!(last(&port), Some(Transport::Seek(LENGTH)));
    h.key_press(Key::Home);
    h.run();
    assert_eq!(last(&port), Some(Transport::Seek(0.0)));
    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(last(&port), Some(Transport::Seek(1.0)));
    h.key_press(Key::L);
    h.run();
    assert_eq!(last(&port), Some(Transport::Loop(Some((0.0, LENGTH)))));
}
