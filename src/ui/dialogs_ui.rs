//! Dialog windows: open / save as / add track (a typed path always works;
//! "Browse…" uses the system file dialog when there is one) and the
//! unsaved-changes question. They edit only their own text and emit
//! `Action`s for everything else.

use std::path::PathBuf;

use egui::Context;

use super::action::{Action, Dialog, Pending};

/// What a path dialog decided this frame.
enum PathChoice {
    Keep,
    Cancel,
    Accept(PathBuf),
}

/// A window with a path field, Browse… and OK/Cancel.
fn path_dialog(
    ctx: &Context,
    title: &str,
    path: &mut String,
    save: bool,
    filter: (&str, &[&str]),
) -> PathChoice {
    let mut choice = PathChoice::Keep;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label("Path:");
                let r = ui.add(egui::TextEdit::singleline(path).desired_width(360.0));
                if r.lost_focus()
                    && ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && !path.trim().is_empty()
                {
                    choice = PathChoice::Accept(PathBuf::from(path.trim()));
                }
                if ui.button("Browse…").clicked() {
                    // With no portal running this returns None at once; the typed
                    // path keeps working either way.
                    let dialog = rfd::FileDialog::new().add_filter(filter.0, filter.1);
                    let picked = if save {
                        dialog.save_file()
                    } else {
                        dialog.pick_file()
                    };
                    if let Some(p) = picked {
                        *path = p.display().to_string();
                    }
                }
            });
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() && !path.trim().is_empty() {
                    choice = PathChoice::Accept(PathBuf::from(path.trim()));
                }
                if ui.button("Cancel").clicked() {
                    choice = PathChoice::Cancel;
                }
            });
        });
    choice
}

const AUDIO: (&str, &[&str]) = (
    "Audio",
    &[
        "wav", "flac", "mp3", "ogg", "m4a", "aiff", "aif", "caf", "mkv",
    ],
);
const SESSION: (&str, &[&str]) = ("auxbus session", &["json"]);

/// The open dialog, if it is one of these; settings has its own window.
pub fn dialog(ctx: &Context, dialog: &mut Dialog, out: &mut Vec<Action>) {
    let (title, path, save, filter) = match dialog {
        Dialog::Open { path } => ("Open session", path, false, SESSION),
        Dialog::SaveAs { path } => ("Save session as", path, true, SESSION),
        Dialog::AddTrack { path } => ("Add a track from an audio file", path, false, AUDIO),
        Dialog::ConfirmDiscard { then } => {
            confirm_discard(ctx, then, out);
            return;
        }
        Dialog::Settings => return,
    };
    match path_dialog(ctx, title, path, save, filter) {
        PathChoice::Keep => return,
        PathChoice::Cancel => {}
        PathChoice::Accept(p) => out.push(match dialog {
            Dialog::Open { .. } => Action::Request(Pending::Open(p)),
            Dialog::SaveAs { .. } => Action::SaveAs(p),
            _ => Action::AddTrack(p),
        }),
    }
    out.push(Action::CloseDialog);
}

fn confirm_discard(ctx: &Context, then: &Pending, out: &mut Vec<Action>) {
    egui::Window::new("Unsaved changes")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label("This session has changes that are not saved.");
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    out.push(Action::CloseDialog);
                    out.push(Action::SaveThen(then.clone()));
                }
                if ui.button("Discard changes").clicked() {
                    out.push(Action::CloseDialog);
                    out.push(Action::DiscardThen(then.clone()));
                }
                if ui.button("Cancel").clicked() {
                    out.push(Action::CloseDialog);
                }
            });
        });
}
