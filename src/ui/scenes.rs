//! Scenes in the console: the scenes window's own state, the two scenes
//! A/B switches between, and what each scene request means for the
//! document. Storing, renaming and deleting are one edit each; a recall is
//! the scene's `session::recall` as one `Edit::Batch` — one undo step,
//! click-free because its edits are the ordinary ones (gains ramp, insert
//! settings glide, a pre/post change crossfades).
//!
//! ```text
//!  scenes_ui, Ctrl+B ──Action::Scene──► ScenesState::reduce ──► [ShowMessage, Edit]
//!                                                                   │
//!                                            ConsoleApp::dispatch ◄─┘
//! ```

use super::action::{Action, SceneAction};
use crate::session::{self, Edit, MAX_SCENES, Scene, Session, check_scene_name};

/// The scenes window and the A/B pair.
#[derive(Debug, Default)]
pub struct ScenesState {
    pub open: bool,
    /// The scene whose differences are listed.
    pub selected: Option<String>,
    /// The name typed for a new scene.
    pub new_name: String,
    /// A scene being renamed, and the name typed so far.
    pub renaming: Option<(String, String)>,
    /// The name field has had the keyboard since renaming started.
    pub rename_focused: bool,
    /// The scenes recalled (or stored) most recently, newest first; A/B
    /// switches between the two.
    pub recent: Vec<String>,
}

/// What a scene request asks of the document, and what to tell the user.
#[derive(Debug, Default)]
struct SceneOutcome {
    edit: Option<Edit>,
    note: Option<String>,
}

impl SceneOutcome {
    fn note(text: String) -> Self {
        SceneOutcome {
            edit: None,
            note: Some(text),
        }
    }
}

impl ScenesState {
    /// Applies `a` to the window's state and returns what it asks of the
    /// rest of the console: a line for the status bar, then the edit (so a
    /// refused edit's message is the one that stays).
    pub fn reduce(&mut self, a: SceneAction, s: &Session) -> Vec<Action> {
        let done = self.outcome(a, s);
        let note = done.note.map(Action::ShowMessage);
        note.into_iter()
            .chain(done.edit.map(Action::Edit))
            .collect()
    }

    fn outcome(&mut self, a: SceneAction, s: &Session) -> SceneOutcome {
        match a {
            SceneAction::Show(open) => self.open = open,
            SceneAction::Select(name) => self.selected = name,
            SceneAction::Store(name) => return self.store(name.trim(), s),
            SceneAction::Recall(name) => return self.recall(&name, s),
            SceneAction::Toggle => {
                return match self.recent.get(1).cloned() {
                    Some(other) => self.recall(&other, s),
                    None => SceneOutcome::note(
                        "A/B (Ctrl+B) switches between the two scenes recalled last: recall two first"
                            .into(),
                    ),
                };
            }
            SceneAction::StartRename(name) => {
                self.renaming = name.map(|n| (n.clone(), n));
                self.rename_focused = false;
            }
            SceneAction::Rename { from, to } => {
                self.renaming = None;
                return self.rename(&from, to.trim(), s);
            }
            SceneAction::Delete(name) => {
                self.recent.retain(|r| *r != name);
                if self.selected.as_ref() == Some(&name) {
                    self.selected = None;
                }
                return SceneOutcome {
                    edit: Some(Edit::RemoveScene { name }),
                    note: None,
                };
            }
        }
        SceneOutcome::default()
    }

    fn store(&mut self, name: &str, s: &Session) -> SceneOutcome {
        if let Err(why) = check_scene_name(name) {
            return SceneOutcome::note(why);
        }
        let scene = Scene::capture(s, name);
        let edit = match s.scene(name) {
            Some(_) => Edit::SetScene {
                name: name.to_owned(),
                scene,
            },
            None if s.scenes.len() >= MAX_SCENES => {
                return SceneOutcome::note(format!(
                    "a session keeps at most {MAX_SCENES} scenes: store over one, or delete one"
                ));
            }
            None => Edit::AddScene {
                index: s.scenes.len(),
                scene,
            },
        };
        self.new_name.clear();
        self.selected = Some(name.to_owned());
        self.mark(name);
        SceneOutcome {
            edit: Some(edit),
            note: Some(format!("stored scene \"{name}\"")),
        }
    }

    fn recall(&mut self, name: &str, s: &Session) -> SceneOutcome {
        let scene = match s.find_scene(name) {
            Ok(scene) => scene,
            Err(e) => return SceneOutcome::note(e.to_string()),
        };
        let r = session::recall(s, scene);
        self.mark(name);
        let mut note = match r.changes.len() {
            0 => format!("scene \"{name}\" is the mix as it is"),
            1 => format!("recalled \"{name}\": {}", r.changes[0]),
            n => format!("recalled \"{name}\": {n} changes"),
        };
        if !r.skipped.is_empty() {
            note += &format!("; skipped what no longer exists: {}", r.skipped.join(", "));
        }
        SceneOutcome {
            edit: r.edit(),
            note: Some(drawable(&note)),
        }
    }

    fn rename(&mut self, from: &str, to: &str, s: &Session) -> SceneOutcome {
        let Some(old) = s.scene(from) else {
            return SceneOutcome::default();
        };
        if to == from {
            return SceneOutcome::default();
        }
        if let Err(why) = check_scene_name(to) {
            return SceneOutcome::note(why);
        }
        if s.scene(to).is_some() {
            return SceneOutcome::note(format!("there is a scene called \"{to}\" already"));
        }
        for r in self.recent.iter_mut().chain(self.selected.as_mut()) {
            if r == from {
                *r = to.to_owned();
            }
        }
        let scene = Scene {
            name: to.to_owned(),
            ..old.clone()
        };
        SceneOutcome {
            edit: Some(Edit::SetScene {
                name: from.to_owned(),
                scene,
            }),
            note: None,
        }
    }

    /// Another document: no scene of it was recalled, selected or renamed
    /// yet (the window stays open or closed).
    pub fn forget(&mut self) {
        *self = ScenesState {
            open: self.open,
            ..ScenesState::default()
        };
    }

    /// `name` is now the scene the mix is at; the one before becomes the
    /// other side of A/B.
    fn mark(&mut self, name: &str) {
        if self.recent.first().map(String::as_str) != Some(name) {
            self.recent.retain(|r| r != name);
            self.recent.insert(0, name.to_owned());
            self.recent.truncate(2);
        }
    }
}

/// `text` with the arrows the console's fonts cannot draw (`→`) as ones
/// they can (`➡`).
pub fn drawable(text: &str) -> String {
    text.replace('→', "➡")
}

/// A name no scene has yet: "Scene 1", "Scene 2", …
pub fn next_scene_name(s: &Session) -> String {
    (1..)
        .map(|n| format!("Scene {n}"))
        .find(|name| s.scene(name).is_none())
        .unwrap_or_default()
}
