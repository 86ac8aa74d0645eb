//! Guided lessons that check themselves. A lesson (a JSON file beside its
//! session, see sessions/lessons/README.md) has steps; each step has
//! checks. Document checks read the learner's session; measured checks
//! render versions of it offline through the same engine as live playback
//! and compare numbers, which they report as evidence.
//!
//! ```text
//!  lesson.json ─► Lesson ─┐
//!  shipped session ───────┼─► Bench ─► evaluate ─► StepReport (Outcome: pass/fail + evidence)
//!  learner's session ─────┘     │
//!                               └─ render variants (solo, returns muted, cue …) ─► signal math
//! ```
//! Layering: lessons → render → graph → session; nothing here knows the UI.

mod catalog;
mod doc_checks;
mod evaluate;
mod load;
mod measure;
mod measured;
mod measured_mix;
mod model;
mod outcome;
mod progress;
pub mod signal;

pub use catalog::{catalog, default_dir, find, lesson_files};
pub use evaluate::{StepReport, evaluate, evaluate_check, evaluate_document, evaluate_measured};
pub use load::{lesson_id, load};
pub use measure::{Bench, RenderCache, Which};
pub use model::{
    AuxRef, Check, Kind, LESSON_FORMAT, LESSON_VERSION, Lesson, Route, Step, Via, Window,
};
pub use outcome::Outcome;
pub use progress::{LessonProgress, Progress, lessons_state_dir, progress_file};
