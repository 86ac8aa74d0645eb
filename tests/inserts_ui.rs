//! Inserts from the console, driven through egui_kittest: open an editor
//! from the strip, turn a knob, bypass, add and remove effects; each edit
//! reaches the session, the engine (as the right kind of change) and undo.

use auxbus::graph::Change;
use auxbus::session::effects::{EffectKind, EffectParams};
use auxbus::ui::ConsoleApp;
use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn threshold(h: &Harness<'_, ConsoleApp>) -> f32 {
    match h
        .state()
        .doc
        .session()
        .channel("drums")
        .expect("drums")
        .inserts[0]
        .effect
    {
        EffectParams::Compressor(p) => p.threshold_db,
        _ => panic!("the drum bus starts with a compressor"),
    }
}

#[test]
fn an_insert_editor_knob_edits_the_effect_without_a_rebuild() {
    let (mut h, port) = console();
    h.get_by_label("Drum Bus insert 1 Compressor edit").click();
    h.run_steps(4);
    let before = threshold(&h);
    let knob = h
        .get_by_label("Drum Bus insert 1 Threshold")
        .rect()
        .center();
    h.hover_at(knob);
    h.run();
    h.drag_at(knob);
    h.run();
    for i in 1..=5 {
        h.hover_at(knob + vec2(0.0, -8.0 * i as f32));
        h.run();
    }
    h.drop_at(knob + vec2(0.0, -40.0));
    h.run();
    let after = threshold(&h);
    assert!(after > before + 1.0, "{before} → {after}");
    {
        let log = port.log.borrow();
        assert!(
            log.changes
                .contains(&(Change::Insert, Some("drums".into()))),
            "a parameter change is sent as an insert update: {:?}",
            log.changes
        );
        assert!(!log.changes.iter().any(|(e, _)| *e == Change::Structure));
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(threshold(&h), before, "the whole drag is one undo step");
}

#[test]
fn bypass_add_and_remove_from_the_strip() {
    let (mut h, port) = console();
    h.get_by_label("Drum Bus insert 1 Compressor on").click();
    h.run();
    assert!(
        h.state()
            .doc
            .session()
            .channel("drums")
            .expect("drums")
            .inserts[0]
            .bypass
    );
    // Add an EQ to the bass from its "+ FX" menu.
    h.get_by_label("Bass add insert").click();
    h.run_steps(3);
    h.get_by_label("EQ").click();
    h.run_steps(3);
    let bass = h.state().doc.session().channel("bass").expect("bass");
    assert_eq!(bass.inserts.len(), 1);
    assert_eq!(bass.inserts[0].kind(), EffectKind::Eq);
    assert!(
        port.log
            .borrow()
            .changes
            .iter()
            .any(|(e, _)| *e == Change::Structure),
        "adding an insert rebuilds the plan"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state()
            .doc
            .session()
            .channel("bass")
            .expect("bass")
            .inserts
            .is_empty()
    );
}

#[test]
fn moving_an_insert_in_its_editor_reorders_the_chain_and_the_editor_follows() {
    let (mut h, _port) = console();
    h.get_by_label("Crush insert 1 Compressor edit").click();
    h.run_steps(4);
    h.get_by_label("Later").click();
    h.run_steps(4);
    let kinds: Vec<EffectKind> = h
        .state()
        .doc
        .session()
        .channel("crush")
        .expect("crush")
        .inserts
        .iter()
        .map(|i| i.kind())
        .collect();
    assert_eq!(kinds, [EffectKind::Saturation, EffectKind::Compressor]);
    assert_eq!(h.state().editors.open, [("crush".to_owned(), 1)]);
    assert!(h.query_by_label("Crush insert 2 Threshold").is_some());
}
