//! Scenes through the console, driven like a user would (egui_kittest, no
//! display): the Scenes… window stores the mix, lists what a recall would
//! change before it happens, recalls as one undo step, A/B switches with
//! Ctrl+B, and renaming and deleting are undoable too.

use auxbus::graph::Change;
use auxbus::session::Edit;
use auxbus::ui::{Action, ConsoleApp};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn kick(h: &Harness<'_, ConsoleApp>) -> Option<f32> {
    h.state()
        .doc
        .session()
        .channel("kick")
        .and_then(|c| c.gain_db)
}

fn names(h: &Harness<'_, ConsoleApp>) -> Vec<String> {
    let s = h.state().doc.session();
    s.scenes.iter().map(|x| x.name.clone()).collect()
}

fn set_kick(h: &mut Harness<'_, ConsoleApp>, db: f32) {
    h.state_mut().dispatch(Action::Edit(Edit::Gain {
        channel: "kick".into(),
        db: Some(db),
    }));
    h.run();
}

fn open_scenes(h: &mut Harness<'_, ConsoleApp>) {
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Scenes… (A/B: Ctrl+B)").click();
    h.run();
    assert!(h.state().shell.scenes.open, "the window is open");
}

#[test]
fn storing_listing_and_recalling_through_the_console() {
    let (mut h, port) = console();
    open_scenes(&mut h);
    assert!(
        h.query_by_label_contains("Routing is not part of a scene")
            .is_some()
    );
    // The demo's kick is at -2 dB: store it as "Scene 1" (the suggested name).
    h.get_by_label("Store new").click();
    h.run();
    assert_eq!(names(&h), ["Scene 1"]);
    assert!(h.state().doc.dirty());
    // Store a second mix under a typed name.
    set_kick(&mut h, -9.0);
    h.get_by_label("New scene name").click();
    h.run();
    h.get_by_label("New scene name").type_text("Loud chorus");
    h.run();
    h.get_by_label("Store new").click();
    h.run();
    assert_eq!(names(&h), ["Scene 1", "Loud chorus"]);

    // Selecting a scene lists what a recall would change, before it does.
    h.get_by_label("Scene 1").click();
    h.run();
    assert!(
        h.query_by_label("• Kick fader -9.0 ➡ -2.0 dB").is_some(),
        "the difference is listed"
    );
    assert_eq!(kick(&h), Some(-9.0), "nothing recalled yet");
    port.log.borrow_mut().changes.clear();
    h.get_by_label("Recall").click();
    h.run();
    assert_eq!(kick(&h), Some(-2.0));
    assert_eq!(
        port.log.borrow().changes.last(),
        Some(&(Change::Channel, Some("kick".to_owned()))),
        "the engine ramps the kick's gain"
    );
    assert!(
        h.query_by_label_contains("recalling it changes nothing")
            .is_some()
    );

    // Ctrl+B switches between the two scenes recalled (or stored) last.
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run();
    assert_eq!(kick(&h), Some(-9.0), "A/B to \"Loud chorus\"");
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run();
    assert_eq!(kick(&h), Some(-2.0), "and back to \"Scene 1\"");

    // Each recall is one undo step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(kick(&h), Some(-9.0));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(kick(&h), Some(-2.0));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(kick(&h), Some(-9.0), "before the first recall");
    assert_eq!(names(&h).len(), 2, "the stores are steps of their own");
}

#[test]
fn renaming_and_deleting_are_one_undo_step_each() {
    let (mut h, _) = console();
    open_scenes(&mut h);
    h.get_by_label("Store new").click();
    h.run();
    h.get_by_label("Scene 1").click();
    h.run();
    h.get_by_label("Rename").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Scene name").type_text("Verse");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(names(&h), ["Verse"]);
    h.get_by_label("Verse").click();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    assert!(names(&h).is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(names(&h), ["Verse"], "undo brings the scene back");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(names(&h), ["Scene 1"], "and its old name");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(names(&h).is_empty(), "and then the store");
    assert!(!h.state().doc.can_undo());
}

#[test]
fn a_ninth_scene_and_a_lone_ab_are_refused_with_a_message() {
    let (mut h, _) = console();
    open_scenes(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run();
    let message = |h: &Harness<'_, ConsoleApp>| {
        h.state()
            .shell
            .message
            .clone()
            .map(|m| m.text)
            .unwrap_or_default()
    };
    assert!(message(&h).contains("recall two first"), "{}", message(&h));
    assert!(!h.state().doc.can_undo());
    for _ in 0..8 {
        h.get_by_label("Store new").click();
        h.run();
    }
    assert_eq!(names(&h).len(), 8);
    assert!(
        h.get_by_label("Store new").accesskit_node().is_disabled(),
        "no ninth from the window"
    );
    // Nor through the reducer.
    h.state_mut()
        .dispatch(Action::Scene(auxbus::ui::SceneAction::Store(
            "Extra".into(),
        )));
    h.run();
    assert_eq!(names(&h).len(), 8);
    assert!(message(&h).contains("at most 8 scenes"), "{}", message(&h));
}

#[test]
fn another_session_starts_with_no_scene_to_switch_back_to() {
    let (mut h, _) = console();
    h.state_mut().shell.scenes.recent = vec!["A".into(), "B".into()];
    h.state_mut().shell.scenes.selected = Some("A".into());
    h.state_mut()
        .dispatch(Action::Request(auxbus::ui::Pending::New));
    h.run();
    let scenes = &h.state().shell.scenes;
    assert!(scenes.recent.is_empty() && scenes.selected.is_none());
}
