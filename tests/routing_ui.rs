//! The routing matrix and "why silent" driven through egui_kittest.

use auxbus::graph::Change;
use auxbus::ui::ConsoleApp;
use egui::{Key, Modifiers};
use egui_kittest::Harness;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

fn open_matrix(h: &mut Harness<'_, ConsoleApp>) {
    h.get_by_label("Matrix").click();
    // A grid takes a few frames to measure its columns the first time.
    h.run_steps(12);
}

fn output_of(h: &Harness<'_, ConsoleApp>, id: &str) -> Option<String> {
    h.state()
        .doc
        .session()
        .channel(id)
        .and_then(|c| c.output.clone())
}

#[test]
fn clicking_a_matrix_cell_reroutes_the_channel() {
    let (mut h, port) = console();
    open_matrix(&mut h);
    assert_eq!(output_of(&h, "bass"), Some("master".into()));
    h.get_by_label("Bass output to Drum Bus").click();
    h.run();
    assert_eq!(output_of(&h, "bass"), Some("drums".into()));
    assert_eq!(
        port.log.borrow().changes.last(),
        Some(&(Change::Structure, None)),
        "the engine gets a new plan"
    );
    // Clicking the current output unroutes (sends only).
    h.get_by_label("Bass output to Drum Bus").click();
    h.run();
    assert_eq!(output_of(&h, "bass"), None);
}

#[test]
fn a_cell_that_would_loop_is_disabled_and_names_the_loop() {
    let (mut h, _) = console();
    open_matrix(&mut h);
    // Return the reverb into the drum bus: now the bus may not send to it.
    h.get_by_label("Reverb output to Drum Bus").click();
    h.run();
    assert_eq!(output_of(&h, "verb"), Some("drums".into()));
    let cell = h.get_by_label("matrix: Drum Bus send to Reverb");
    assert!(
        cell.accesskit_node().is_disabled(),
        "a looping cell is disabled"
    );
    cell.hover();
    h.run_steps(90); // tooltips appear once the pointer has rested a moment
    h.get_by_label_contains("would make a loop: drums ➡ verb ➡ drums");
    assert_eq!(
        h.state()
            .doc
            .session()
            .channel("drums")
            .map(|c| c.sends.len()),
        Some(0)
    );
}

#[test]
fn pre_post_toggles_from_the_matrix() {
    let (mut h, _) = console();
    open_matrix(&mut h);
    let pre = |h: &Harness<'_, ConsoleApp>| {
        h.state()
            .doc
            .session()
            .channel("pad")
            .and_then(|c| c.sends.iter().find(|s| s.to == "verb"))
            .map(|s| s.pre_fader)
    };
    assert_eq!(pre(&h), Some(false));
    h.get_by_label("matrix: Pad send to Reverb pre-fader")
        .click();
    h.run();
    assert_eq!(pre(&h), Some(true));
}

#[test]
fn several_rows_send_to_one_aux_in_one_undo_step() {
    let (mut h, _) = console();
    open_matrix(&mut h);
    h.get_by_label("select Hats").click();
    h.run();
    h.get_by_label("select Bass").click();
    h.run();
    h.get_by_label("send selected to Delay").click();
    h.run_steps(12); // the grid re-measures its columns
    let sends_to_delay = |h: &Harness<'_, ConsoleApp>, id: &str| {
        h.state()
            .doc
            .session()
            .channel(id)
            .is_some_and(|c| c.sends.iter().any(|s| s.to == "delay"))
    };
    assert!(sends_to_delay(&h, "hats") && sends_to_delay(&h, "bass"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(12);
    assert!(
        !sends_to_delay(&h, "hats") && !sends_to_delay(&h, "bass"),
        "one undo removes both"
    );
}

#[test]
fn why_silent_lists_the_reasons_in_the_console() {
    let (mut h, _) = console();
    h.get_by_label("Mute Kick").click();
    h.run();
    h.get_by_label("Why is Kick silent?").click();
    h.run();
    h.get_by_label("• it is muted");
    h.get_by_label("Mute Drum Bus").click();
    h.run();
    h.get_by_label("• it feeds \"Drum Bus\", which is muted");
}
