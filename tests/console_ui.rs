//! The console driven like a user would, through egui_kittest (no display,
//! no GPU): widgets are found by their accessible labels. The audio side is
//! a `RecordingPort`, so each test can check the command the engine got.

use auxbus::graph::Change;
use auxbus::ui::ConsoleApp;
use auxbus::ui::widgets::{FADER_CAP_HEIGHT, db_to_position};
use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;
use egui_kittest::kittest::Queryable as _;

fn gain(h: &Harness<'_, ConsoleApp>, id: &str) -> Option<f32> {
    h.state().doc.session().channel(id).and_then(|c| c.gain_db)
}

/// Centre of a fader's cap, from its rect and value.
fn cap(h: &Harness<'_, ConsoleApp>, label: &str, db: Option<f32>) -> Pos2 {
    let rect = h.get_by_label(label).rect();
    let travel = rect.height() - FADER_CAP_HEIGHT;
    egui::pos2(
        rect.left() + 13.0,
        rect.bottom() - FADER_CAP_HEIGHT / 2.0 - db_to_position(db) * travel,
    )
}

fn drag(h: &mut Harness<'_, ConsoleApp>, from: Pos2, dy: f32) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for i in 1..=5 {
        h.hover_at(from + vec2(0.0, dy * i as f32 / 5.0));
        h.run();
    }
    h.drop_at(from + vec2(0.0, dy));
    h.run();
}

#[test]
fn dragging_a_fader_edits_the_session_and_tells_the_engine() {
    let (mut h, port) = console();
    assert!(!h.state().doc.dirty());
    let before = gain(&h, "kick");
    let at = cap(&h, "Kick fader", before);
    drag(&mut h, at, 40.0);
    let after = gain(&h, "kick");
    assert!(
        after.unwrap_or(f32::NEG_INFINITY) < before.unwrap_or(0.0) - 1.0,
        "{before:?} → {after:?}"
    );
    let log = port.log.borrow();
    assert!(
        log.changes
            .iter()
            .any(|c| *c == (Change::Channel, Some("kick".into()))),
        "engine told: {:?}",
        log.changes
    );
    assert!(h.state().doc.dirty(), "an edit marks the session dirty");
    assert!(h.state().doc.title().ends_with('•'));
    drop(log);
    // The whole drag is one undo step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(gain(&h, "kick"), before);
}

#[test]
fn double_click_resets_a_fader_to_0_db() {
    let (mut h, _) = console();
    assert_eq!(gain(&h, "snare"), Some(-4.0));
    h.get_by_label("Snare fader").click();
    h.get_by_label("Snare fader").click();
    h.run();
    assert_eq!(gain(&h, "snare"), Some(0.0));
}

#[test]
fn pre_post_mute_and_solo_change_the_session_and_undo_restores() {
    let (mut h, port) = console();
    let pre = |h: &Harness<'_, ConsoleApp>| {
        h.state()
            .doc
            .session()
            .channel("snare")
            .and_then(|c| c.sends.iter().find(|s| s.to == "delay"))
            .map(|s| s.pre_fader)
    };
    assert_eq!(pre(&h), Some(false));
    h.get_by_label("Snare send to Delay pre-fader").click();
    h.run();
    assert_eq!(pre(&h), Some(true));
    assert_eq!(
        port.log.borrow().changes.last(),
        Some(&(Change::Structure, None)),
        "a tap change recompiles the plan"
    );

    h.get_by_label("Mute Kick").click();
    h.run();
    assert!(
        h.state()
            .doc
            .session()
            .channel("kick")
            .is_some_and(|c| c.mute)
    );
    h.get_by_label("Solo Bass").click();
    h.run();
    assert!(
        h.state()
            .doc
            .session()
            .channel("bass")
            .is_some_and(|c| c.solo)
    );
    assert_eq!(
        port.log.borrow().changes.last(),
        Some(&(Change::AllChannels, None)),
        "solo changes every channel's mute"
    );

    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    let s = &h.state().doc.session();
    assert!(!s.channel("bass").is_some_and(|c| c.solo));
    assert!(!s.channel("kick").is_some_and(|c| c.mute));
    assert_eq!(pre(&h), Some(false));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(pre(&h), Some(true), "redo");
}

#[test]
fn save_then_open_gives_the_same_session() {
    let (mut h, _) = console();
    h.get_by_label("Mute Kick").click();
    h.run();
    let dir = tempfile::tempdir().expect("tmp");
    // Saved next to the demo's relative sources would break them; save with
    // the sources made absolute, as "Save as" elsewhere must do.
    let path = dir.path().join("copy.json");
    h.state_mut().save_to(&path);
    assert!(!h.state().doc.dirty());
    let saved = h.state().doc.session().clone();
    h.state_mut().new_session();
    assert_ne!(h.state().doc.session(), &saved);
    h.state_mut().open(&path);
    h.run();
    assert_eq!(h.state().doc.session(), &saved);
    assert!(h.state().doc.title().contains("copy.json"));
}
