//! Dialog windows: open / save as / add track (a typed path always works;
//! "Browse…" uses the system file dialog when there is one, and a built-in
//! file browser where there is none) and the unsaved-changes question.
//! They edit only their own text and emit `Action`s for everything else.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::Context;
use egui_file::FileDialog;

use super::action::{Action, Dialog, Pending};

/// What a path dialog decided this frame.
enum PathChoice {
    Keep,
    Cancel,
    Accept(PathBuf),
}

/// A desktop file dialog needs a session bus (the portal runs on it).
fn system_dialog_likely() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
}

/// A system dialog that answers "nothing" this fast was never shown.
const NO_DIALOG: Duration = Duration::from_millis(300);

/// The built-in browser, showing only `filter`'s files (and folders).
fn browser(save: bool, start: &str, filter: (&str, &[&str])) -> FileDialog {
    let extensions: Vec<String> = filter.1.iter().map(|e| e.to_lowercase()).collect();
    let start = Path::new(start);
    let folder = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent().filter(|p| p.is_dir()).map_or_else(
            || std::env::current_dir().unwrap_or_default(),
            Path::to_path_buf,
        )
    };
    let dialog = if save {
        FileDialog::save_file()
    } else {
        FileDialog::open_file()
    };
    dialog
        .initial_path(folder)
        .title(&format!("Choose a file ({})", filter.0))
        .show_files_filter(Box::new(move |p: &Path| {
            p.extension()
                .is_some_and(|e| extensions.contains(&e.to_string_lossy().to_lowercase()))
        }))
}

/// A window with a path field, Browse… and OK/Cancel.
fn path_dialog(
    ctx: &Context,
    title: &str,
    path: &mut String,
    save: bool,
    filter: (&str, &[&str]),
    built_in: &mut Option<FileDialog>,
) -> PathChoice {
    let mut choice = PathChoice::Keep;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label("Path:");
                let r = ui
                    .add(egui::TextEdit::singleline(path).desired_width(360.0))
                    .labelled_by(label.id)
                    .on_hover_text("Type a path, or Browse…");
                if r.lost_focus()
                    && ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && !path.trim().is_empty()
                {
                    choice = PathChoice::Accept(PathBuf::from(path.trim()));
                }
                if ui
                    .button("Browse…")
                    .on_hover_text("Pick the file in a file browser")
                    .clicked()
                {
                    let asked = Instant::now();
                    let picked = if system_dialog_likely() {
                        let dialog = rfd::FileDialog::new().add_filter(filter.0, filter.1);
                        if save {
                            dialog.save_file()
                        } else {
                            dialog.pick_file()
                        }
                    } else {
                        None
                    };
                    match picked {
                        Some(p) => *path = p.display().to_string(),
                        // No desktop dialog here (or none answered): ours.
                        None if asked.elapsed() < NO_DIALOG => {
                            let mut b = browser(save, path.trim(), filter);
                            b.open();
                            *built_in = Some(b);
                        }
                        None => {} // the user cancelled a real dialog
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
    if let Some(b) = built_in {
        if b.show(ctx).selected() {
            if let Some(p) = b.path() {
                *path = p.display().to_string();
            }
            *built_in = None;
        } else if !b.visible() {
            *built_in = None;
        }
    }
    choice
}

const AUDIO: (&str, &[&str]) = (
    "Audio",
    &[
        "wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "mp4", "aac", "aiff", "aif", "caf",
        "mkv", "webm", "w64", "rf64",
    ],
);
const SESSION: (&str, &[&str]) = ("auxbus session", &["json"]);

/// The open dialog, if it is one of these; settings has its own window.
/// `built_in` is the file browser, while one is open.
pub fn dialog(
    ctx: &Context,
    dialog: &mut Dialog,
    built_in: &mut Option<FileDialog>,
    out: &mut Vec<Action>,
) {
    let (title, path, save, filter) = match dialog {
        Dialog::Open { path } => ("Open session", path, false, SESSION),
        Dialog::SaveAs { path } => ("Save session as", path, true, SESSION),
        Dialog::AddTrack { path } => ("Add a track from an audio file", path, false, AUDIO),
        Dialog::ConfirmDiscard { then } => {
            confirm_discard(ctx, then, out);
            return;
        }
        Dialog::Settings | Dialog::Groups => return,
    };
    match path_dialog(ctx, title, path, save, filter, built_in) {
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
