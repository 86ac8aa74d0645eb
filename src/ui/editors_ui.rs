//! The insert editors page: which editors are open, their windows, and
//! keeping each open editor on its insert when the chain changes — after
//! the edit is applied, and on undo and redo too.

use super::action::Action;
use super::insert_editor_ui::InsertEditor;
use super::meters::MeterView;
use crate::session::{Edit, Session};

/// Open editors, as (channel id, insert index).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EditorsState {
    pub open: Vec<(String, usize)>,
}

impl EditorsState {
    pub fn open(&mut self, id: String, k: usize) {
        if !self.open.contains(&(id.clone(), k)) {
            self.open.push((id, k));
        }
    }

    pub fn close(&mut self, id: &str, k: usize) {
        self.open.retain(|(c, j)| !(c == id && *j == k));
    }

    /// Keeps editors on their insert after `e` was applied: inserts moved,
    /// added or removed shift the others; a removed insert's editor closes,
    /// and so does every editor of a removed channel.
    pub fn follow(&mut self, e: &Edit) {
        if let Edit::Batch(steps) = e {
            steps.iter().for_each(|s| self.follow(s));
            return;
        }
        if let Edit::RemoveChannel { id } = e {
            self.open.retain(|(c, _)| c != id);
            return;
        }
        self.open = std::mem::take(&mut self.open)
            .into_iter()
            .filter_map(|(id, k)| remap(e, &id, k).map(|k| (id, k)))
            .collect();
    }
}

fn remap(e: &Edit, channel: &str, k: usize) -> Option<usize> {
    match e {
        Edit::MoveInsert {
            channel: c,
            from,
            to,
        } if c == channel => Some(if k == *from {
            *to
        } else if *from < k && k <= *to {
            k - 1
        } else if *to <= k && k < *from {
            k + 1
        } else {
            k
        }),
        Edit::RemoveInsert { channel: c, index } if c == channel => match k.cmp(index) {
            std::cmp::Ordering::Less => Some(k),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(k - 1),
        },
        Edit::AddInsert {
            channel: c, index, ..
        } if c == channel && k >= *index => Some(k + 1),
        _ => Some(k),
    }
}

/// A window per open editor. Closing one emits `CloseEditor`.
pub fn editor_windows(
    ctx: &egui::Context,
    s: &Session,
    state: &EditorsState,
    meters: &MeterView,
    out: &mut Vec<Action>,
) {
    for (id, k) in &state.open {
        let Some(c) = s.channel(id) else { continue };
        let Some(insert) = c.inserts.get(*k) else {
            continue;
        };
        let mut open = true;
        let title = format!(
            "{} · insert {} · {}",
            c.display_name(),
            k + 1,
            insert.kind().label()
        );
        let ed = InsertEditor {
            channel: id,
            index: *k,
            insert,
            count: c.inserts.len(),
            prefix: format!("{} insert {}", c.display_name(), k + 1),
            sample_rate: s.sample_rate as f32,
            tempo: s.tempo_bpm,
        };
        // Our own close button: egui's has no hover text to say what it does.
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    if ui
                        .small_button("✖")
                        .on_hover_text("Close this editor (the effect stays)")
                        .clicked()
                    {
                        open = false;
                    }
                });
                ed.show(ui, meters.insert(id, *k), out)
            });
        if !open {
            out.push(Action::CloseEditor(id.clone(), *k));
        }
    }
}
