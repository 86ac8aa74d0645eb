//! The scenes window: the stored scenes, what recalling the selected one
//! would change in the mix (before it is recalled), and store, recall,
//! A/B, rename and delete. It edits only its own text and emits actions.

use egui::{Context, RichText, Ui};

use super::action::{Action, SceneAction};
use super::scenes::{ScenesState, drawable, next_scene_name};
use crate::session::{MAX_SCENES, Session, recall};

/// What a scene stores, and what it leaves alone.
const ABOUT: &str = "A scene stores every fader, pan, mute, solo-safe, send level, \
pre/post tap and insert setting, and the VCA faders and mutes. Routing is not part \
of a scene: outputs, which sends and inserts exist, and VCA members stay as they \
are (so do solo and trim). A recall glides to the scene without clicks and is one \
undo step.";

/// Lines of differences shown at most.
const SHOWN: usize = 200;

pub fn scenes_window(ctx: &Context, s: &Session, state: &mut ScenesState, out: &mut Vec<Action>) {
    if !state.open {
        return;
    }
    let mut open = true;
    egui::Window::new("Scenes")
        .open(&mut open)
        .default_width(460.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(ABOUT).small());
            ui.separator();
            scene_list(ui, s, state, out);
            ui.separator();
            store_row(ui, s, state, out);
            if let Some(name) = state.selected.clone() {
                ui.separator();
                differences(ui, s, &name);
            }
        });
    if !open {
        out.push(Action::Scene(SceneAction::Show(false)));
    }
}

fn scene_list(ui: &mut Ui, s: &Session, state: &mut ScenesState, out: &mut Vec<Action>) {
    let emit = |out: &mut Vec<Action>, a| out.push(Action::Scene(a));
    if s.scenes.is_empty() {
        ui.label("No scenes yet: set up the mix, then store it.");
    }
    for scene in &s.scenes {
        let name = &scene.name;
        ui.horizontal(|ui| {
            let marker = match state.recent.iter().position(|r| r == name) {
                Some(0) => "now",
                Some(_) => "Ctrl+B",
                None => "",
            };
            ui.add_sized(
                [44.0, 16.0],
                egui::Label::new(RichText::new(marker).small()),
            )
            .on_hover_text(
                "\"now\": the scene recalled (or stored) last; Ctrl+B recalls the one before",
            );
            if let Some((from, text)) = state.renaming.as_mut().filter(|(f, _)| f == name) {
                let r = ui
                    .add(egui::TextEdit::singleline(text).desired_width(160.0))
                    .accessible_name("Scene name")
                    .on_hover_text("The new name; Enter keeps it, Esc cancels");
                if !std::mem::replace(&mut state.rename_focused, true) {
                    r.request_focus();
                }
                if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    emit(out, SceneAction::StartRename(None));
                } else if r.lost_focus() {
                    let (from, to) = (from.clone(), text.clone());
                    emit(out, SceneAction::Rename { from, to });
                }
                return;
            }
            let selected = state.selected.as_ref() == Some(name);
            let r = ui.selectable_label(selected, name).on_hover_text(
                "Show what recalling this scene would change; double-click to rename",
            );
            if r.double_clicked() {
                emit(out, SceneAction::StartRename(Some(name.clone())));
            } else if r.clicked() {
                emit(out, SceneAction::Select(Some(name.clone())));
            }
        });
    }
    let Some(name) = state.selected.clone().filter(|n| s.scene(n).is_some()) else {
        return;
    };
    ui.horizontal(|ui| {
        if ui
            .button("Recall")
            .on_hover_text(format!("Set the mix to \"{name}\" (one undo step)"))
            .clicked()
        {
            emit(out, SceneAction::Recall(name.clone()));
        }
        if ui
            .button("Store over")
            .on_hover_text(format!("Replace \"{name}\" by the mix as it is now"))
            .clicked()
        {
            emit(out, SceneAction::Store(name.clone()));
        }
        if ui
            .button("Rename")
            .on_hover_text(format!("Give \"{name}\" another name"))
            .clicked()
        {
            emit(out, SceneAction::StartRename(Some(name.clone())));
        }
        if ui
            .button("Delete")
            .on_hover_text(format!("Delete \"{name}\" (Ctrl+Z brings it back)"))
            .clicked()
        {
            emit(out, SceneAction::Delete(name.clone()));
        }
    });
}

fn store_row(ui: &mut Ui, s: &Session, state: &mut ScenesState, out: &mut Vec<Action>) {
    let full = s.scenes.len() >= MAX_SCENES;
    let suggested = next_scene_name(s);
    ui.horizontal(|ui| {
        ui.label("New scene:");
        let r = ui
            .add_enabled(
                !full,
                egui::TextEdit::singleline(&mut state.new_name)
                    .hint_text(&suggested)
                    .desired_width(160.0),
            )
            .accessible_name("New scene name")
            .on_hover_text("The name of the scene to store");
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let hint = if full {
            format!("A session keeps at most {MAX_SCENES} scenes: store over one, or delete one")
        } else {
            "Store the mix as it is now as a new scene".to_owned()
        };
        let store = ui
            .add_enabled(!full, egui::Button::new("Store new"))
            .on_hover_text(hint)
            .on_disabled_hover_text(format!("At most {MAX_SCENES} scenes"))
            .clicked();
        if store || (enter && !full) {
            let name = match state.new_name.trim() {
                "" => suggested.clone(),
                typed => typed.to_owned(),
            };
            out.push(Action::Scene(SceneAction::Store(name)));
        }
    });
    let pair = match state.recent.as_slice() {
        [a, b, ..] => Some(format!(
            "Switch between \"{a}\" and \"{b}\", the two scenes recalled last"
        )),
        _ => None,
    };
    let ab = ui
        .add_enabled(pair.is_some(), egui::Button::new("A/B (Ctrl+B)"))
        .on_hover_text(pair.unwrap_or_default())
        .on_disabled_hover_text("Recall two scenes first; then Ctrl+B switches between them");
    if ab.clicked() {
        out.push(Action::Scene(SceneAction::Toggle));
    }
}

/// What recalling scene `name` would change, value by value.
fn differences(ui: &mut Ui, s: &Session, name: &str) {
    let Some(scene) = s.scene(name) else {
        return;
    };
    let r = recall(s, scene);
    if r.changes.is_empty() {
        ui.label(format!(
            "\"{name}\" is the mix as it is: recalling it changes nothing."
        ));
    } else {
        ui.label(RichText::new(format!("Recalling \"{name}\" changes:")).strong());
        egui::ScrollArea::vertical()
            .max_height(240.0)
            .show(ui, |ui| {
                for line in r.changes.iter().take(SHOWN) {
                    ui.label(format!("• {}", drawable(line)));
                }
                if r.changes.len() > SHOWN {
                    ui.label(format!("… and {} more", r.changes.len() - SHOWN));
                }
            });
    }
    if !r.skipped.is_empty() {
        ui.label(format!(
            "Skipped, no longer in the session: {}",
            r.skipped.join(", ")
        ));
    }
}
