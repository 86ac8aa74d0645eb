//! Files always open: a path that leads nowhere is refused with a message
//! (not made into a silent track), and "Browse…" shows a file browser even
//! where no desktop file dialog exists.

use auxbus::ui::{Action, Dialog};
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

#[test]
fn a_missing_file_is_refused_with_a_message() {
    let (mut h, _) = console();
    let tracks = h.state().doc.session().channels.len();
    h.state_mut()
        .dispatch(Action::AddTrack("/no/such/place/kick.wav".into()));
    h.run();
    assert_eq!(h.state().doc.session().channels.len(), tracks);
    assert!(!h.state().doc.dirty());
    let message = h
        .state()
        .shell
        .message
        .clone()
        .map(|m| m.text)
        .unwrap_or_default();
    assert!(
        message.contains("/no/such/place/kick.wav"),
        "the message names the path: {message}"
    );
}

#[test]
fn browse_opens_a_file_browser_where_no_system_dialog_answers() {
    let (mut h, _) = console();
    h.state_mut().dispatch(Action::ShowDialog(Dialog::AddTrack {
        path: String::new(),
    }));
    h.run();
    h.get_by_label("Browse…").click();
    h.run_steps(4);
    assert!(
        h.state().shell.browser.is_some(),
        "the built-in browser is open"
    );
    assert!(h.query_by_label_contains("Choose a file").is_some());
}
