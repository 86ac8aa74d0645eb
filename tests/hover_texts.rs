//! Every interactive widget of the console says what it is and does on
//! hover: the AccessKit tree is walked on every page (console, matrix,
//! flow with a channel selected, an insert editor open, the why window,
//! settings) and each button, toggle, slider, menu and text field must
//! carry a description (egui sets it from the hover text). Every offender
//! is listed by page, role and label, so the fix is a search away. The
//! PRE/POST send toggles must also say the state they are in.

use auxbus::ui::{Action, ConsoleApp, Dialog, Page};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, NodeT as _, Queryable as _, by};

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn interactive(n: &AccessKitNode<'_>) -> bool {
    use egui::accesskit::Role;
    !n.is_hidden()
        && matches!(
            n.role(),
            Role::Button
                | Role::DefaultButton
                | Role::CheckBox
                | Role::Switch
                | Role::RadioButton
                | Role::ComboBox
                | Role::Slider
                | Role::SpinButton
                | Role::TextInput
                | Role::MultilineTextInput
                | Role::SearchInput
                | Role::Link
                | Role::MenuItem
                | Role::MenuItemCheckBox
                | Role::MenuItemRadio
                | Role::Tab
        )
}

/// "role 'label'" of every interactive widget without a hover text.
fn offenders(h: &Harness<'_, ConsoleApp>) -> Vec<String> {
    let mut out: Vec<String> = h
        .query_all(by().predicate(interactive))
        .filter_map(|n| {
            let n = n.accesskit_node();
            let described = n.description().is_some_and(|d| !d.trim().is_empty());
            (!described).then(|| {
                format!(
                    "{:?} {:?}",
                    n.role(),
                    n.label().or_else(|| n.value()).unwrap_or_default()
                )
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How many interactive widgets a page has (the walk must see some).
fn count(h: &Harness<'_, ConsoleApp>) -> usize {
    h.query_all(by().predicate(interactive)).count()
}

#[test]
fn every_interactive_widget_has_a_hover_text() {
    let (mut h, _) = console();
    let mut report: Vec<(String, usize, Vec<String>)> = Vec::new();
    let mut look = |h: &Harness<'_, ConsoleApp>, page: &str| {
        report.push((page.to_owned(), count(h), offenders(h)));
    };
    look(&h, "console");

    h.get_by_label("Drum Bus insert 1 Compressor edit").click();
    h.run_steps(4);
    look(&h, "console + insert editor");

    h.get_by_label("Why is Kick silent?").click();
    h.run_steps(4);
    look(&h, "console + why window");

    // Pages by action: the windows above may cover the page tabs.
    h.state_mut().dispatch(Action::ShowPage(Page::Matrix));
    h.run_steps(12);
    look(&h, "matrix");

    h.state_mut().dispatch(Action::ShowPage(Page::Flow));
    h.state_mut()
        .dispatch(Action::SelectFlow(Some("kick".to_owned())));
    h.run_steps(6);
    look(&h, "flow (Kick selected)");

    h.state_mut().dispatch(Action::ShowDialog(Dialog::Settings));
    h.run_steps(6);
    look(&h, "settings");

    let mut text = String::new();
    let mut bad = 0;
    for (page, seen, list) in &report {
        assert!(*seen > 5, "{page}: only {seen} interactive widgets found");
        bad += list.len();
        if !list.is_empty() {
            text.push_str(&format!("\n{page} ({} of {seen}):\n", list.len()));
            for o in list {
                text.push_str(&format!("  {o}\n"));
            }
        }
    }
    assert!(bad == 0, "{bad} widgets without a hover text:{text}");
}

/// Each PRE/POST toggle (strip and matrix) says the tap it is now.
#[test]
fn pre_post_hovers_match_their_state() {
    let (mut h, _) = console();
    let mut wrong = Vec::new();
    let mut check = |h: &Harness<'_, ConsoleApp>, page: &str| {
        let toggles: Vec<(String, bool, String)> = h
            .query_all(by().predicate(|n| {
                interactive(n) && n.label().is_some_and(|l| l.ends_with(" pre-fader"))
            }))
            .map(|n| {
                let n = n.accesskit_node();
                let pre = matches!(n.toggled(), Some(egui::accesskit::Toggled::True));
                (
                    n.label().unwrap_or_default(),
                    pre,
                    n.description().unwrap_or_default(),
                )
            })
            .collect();
        assert!(!toggles.is_empty(), "{page}: no PRE/POST toggles found");
        for (label, pre, desc) in toggles {
            let tap = if pre { "PRE" } else { "POST" };
            if !desc.starts_with(tap) {
                wrong.push(format!("{page}: {label:?} is {tap} but says {desc:?}"));
            }
        }
    };
    check(&h, "console");
    h.get_by_label("Matrix").click();
    h.run_steps(12);
    check(&h, "matrix");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
