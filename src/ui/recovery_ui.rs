//! The offer to restore unsaved work after a crash: one window listing the
//! recovery copies a console that is gone left for the session being opened
//! (and for untitled sessions), each with what it changes. Nothing is
//! written or deleted unless the user asks: "Restore" loads the copy as an
//! unsaved document (saving stays the user's choice), "Discard" deletes the
//! copy, "Later" keeps it for next time.

use egui::RichText;

use super::action::Action;
use crate::session::{Recovery, Session, differences, escape_controls};

/// Lines of differences shown per copy.
const SHOWN: usize = 12;

/// A recovery copy on offer, with what it would change.
pub struct Offer {
    pub recovery: Recovery,
    pub title: String,
    pub differences: Vec<String>,
}

impl Offer {
    /// `current` is the saved session the copy would replace (for an
    /// untitled copy, an empty session).
    pub fn new(recovery: Recovery, current: &Session) -> Self {
        let name = recovery.original.as_deref().map_or_else(
            || "an untitled session".to_owned(),
            |p| escape_controls(&p.display().to_string()).into_owned(),
        );
        let age = recovery
            .written
            .elapsed()
            .map_or("recently".to_owned(), |d| ago(d.as_secs()));
        let title = format!("Unsaved changes to {name}, autosaved {age}");
        let differences = differences(current, &recovery.session);
        Offer {
            recovery,
            title,
            differences,
        }
    }
}

/// The offers on screen; empty when there is nothing to recover.
#[derive(Default)]
pub struct RecoveryState {
    pub offers: Vec<Offer>,
    /// Hidden until the next open ("Later").
    pub postponed: bool,
}

fn ago(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} s ago"),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

pub fn recovery_window(ctx: &egui::Context, state: &RecoveryState, out: &mut Vec<Action>) {
    if state.offers.is_empty() || state.postponed {
        return;
    }
    egui::Window::new("Recover unsaved work?")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .min_width(420.0)
        .show(ctx, |ui| {
            ui.label("auxbus closed without saving. A recovery copy was kept:");
            for (i, offer) in state.offers.iter().enumerate() {
                ui.separator();
                ui.label(RichText::new(&offer.title).strong());
                let d = &offer.differences;
                if d.is_empty() {
                    ui.label("(the same as the saved file)");
                }
                for line in d.iter().take(SHOWN) {
                    ui.label(format!("• {}", super::scenes::drawable(line)));
                }
                if d.len() > SHOWN {
                    ui.label(format!("… and {} more", d.len() - SHOWN));
                }
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        out.push(Action::Recover(i));
                    }
                    if ui.button("Discard copy").clicked() {
                        out.push(Action::DiscardRecovery(i));
                    }
                });
            }
            ui.separator();
            if ui.button("Decide later").clicked() {
                out.push(Action::PostponeRecovery);
            }
        });
}
