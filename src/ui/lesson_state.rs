//! The lesson in progress in the console: its steps' latest results, the
//! measuring done in the background, hints shown, and the learner's
//! progress. It sees every action through an `ActionObserver`.
//!
//! ```text
//!  dispatch ──observe──► document checks at once (cheap)
//!                        └─ measured checks: 0.4 s after the last change, on a
//!                           thread of their own (renders), "measuring…" meanwhile
//! ```

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::action::{Action, ActionObserver};
use super::document::Document;
use crate::lessons::{
    self, Bench, Lesson, Progress, RenderCache, StepReport, evaluate_document, evaluate_measured,
};
use crate::session::Session;

/// How long the session must rest before measured checks run.
pub const SETTLE: Duration = Duration::from_millis(400);

/// The lessons as the console knows them.
#[derive(Default)]
pub struct LessonState {
    pub catalog: Vec<Lesson>,
    /// Lesson files that did not load (one line each).
    pub problems: Vec<String>,
    pub run: Option<LessonRun>,
    pub progress: Progress,
    /// Where progress and the learner's sessions are kept (`None`: nowhere,
    /// as in tests).
    pub store: Option<PathBuf>,
}

impl LessonState {
    /// The lessons in `dir`, with no progress kept.
    pub fn from_dir(dir: &Path) -> Self {
        let (catalog, problems) = lessons::catalog(dir);
        LessonState {
            catalog,
            problems,
            ..LessonState::default()
        }
    }

    /// Keeps progress and the learner's sessions in `dir` from now on.
    pub fn keep_in(&mut self, dir: PathBuf) {
        self.progress = Progress::load(&lessons::progress_file(&dir));
        self.store = Some(dir);
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.catalog.iter().find(|l| l.id == id)
    }

    /// Records the steps passing now; saves when something new passed.
    fn remember(&mut self) {
        let Some(run) = &self.run else { return };
        if self.progress.record(&run.lesson.id, &run.known)
            && let Some(dir) = &self.store
            && let Err(e) = self.progress.save(&lessons::progress_file(dir))
        {
            eprintln!("auxbus: {e}");
        }
    }

    /// Once a frame: collects finished measurements and starts new ones.
    /// Returns whether something is still to come (keep the frames going).
    pub fn poll(&mut self, doc: &Document) -> bool {
        let Some(run) = self.run.as_mut() else {
            return false;
        };
        let got = run.collect();
        if got {
            run.advance(doc);
        }
        let busy = run.measure(doc);
        if got {
            self.remember();
        }
        busy
    }
}

/// Results of a measuring thread, for the document generation it measured.
struct Job {
    generation: u64,
    rx: mpsc::Receiver<Vec<StepReport>>,
}

/// One lesson being taken.
pub struct LessonRun {
    pub lesson: Lesson,
    pub shipped: Arc<Session>,
    /// The latest result of every check; measured ones `None` while measuring.
    pub reports: Vec<StepReport>,
    /// The document generation the reports are about.
    pub generation: u64,
    /// Hints of the current step shown so far.
    pub hints: usize,
    /// Each step's last definite result (a step being measured keeps the
    /// one it had).
    pub known: Vec<bool>,
    /// The step being worked on (the first not known to pass).
    pub current: usize,
    /// The undo depth when the current step began (what "reset step" goes back to).
    pub step_start: usize,
    changed_at: Instant,
    job: Option<Job>,
    cache: Arc<RenderCache>,
}

impl LessonRun {
    pub fn new(lesson: Lesson, shipped: Session, doc: &Document) -> Self {
        let mut run = LessonRun {
            reports: Vec::new(),
            shipped: Arc::new(shipped),
            lesson,
            generation: u64::MAX,
            hints: 0,
            known: Vec::new(),
            current: 0,
            step_start: doc.undo_depth(),
            changed_at: Instant::now(),
            job: None,
            cache: Arc::new(RenderCache::default()),
        };
        run.document_changed(doc);
        run
    }

    /// Whether every step passes.
    pub fn finished(&self) -> bool {
        self.reports.iter().all(|r| r.passed() == Some(true))
    }

    /// Whether step `i` passes (or passed, and is being measured again).
    pub fn passes(&self, i: usize) -> bool {
        self.known.get(i).copied().unwrap_or(false)
    }

    /// Whether measured checks are waiting or running.
    pub fn measuring(&self) -> bool {
        self.job.is_some() || self.pending()
    }

    /// Some ready step still has a measured check to run.
    fn pending(&self) -> bool {
        self.reports.iter().any(|r| {
            r.checks.iter().flatten().all(|o| o.passed) && r.checks.iter().any(Option::is_none)
        })
    }

    /// After an action: the document checks again if the session changed.
    pub fn document_changed(&mut self, doc: &Document) {
        if doc.generation() == self.generation {
            return;
        }
        self.generation = doc.generation();
        self.changed_at = Instant::now();
        self.reports = evaluate_document(&self.lesson, &self.shipped, doc.session());
        self.advance(doc);
    }

    /// The current step follows the first step not known to pass; a new
    /// current step starts with no hints, and "reset" goes back to here.
    pub fn advance(&mut self, doc: &Document) {
        self.known.resize(self.reports.len(), false);
        for (k, r) in self.known.iter_mut().zip(&self.reports) {
            if let Some(v) = r.passed() {
                *k = v;
            }
        }
        let first_open = self
            .known
            .iter()
            .position(|k| !k)
            .unwrap_or(self.known.len());
        if first_open != self.current {
            self.current = first_open;
            self.hints = 0;
            self.step_start = doc.undo_depth();
        }
    }

    /// Takes in a finished measurement if it is about the session as it is.
    fn collect(&mut self) -> bool {
        let Some(job) = &self.job else { return false };
        match job.rx.try_recv() {
            Ok(reports) => {
                let fresh = job.generation == self.generation;
                self.job = None;
                if fresh {
                    self.reports = reports;
                }
                fresh
            }
            Err(mpsc::TryRecvError::Empty) => false,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                false
            }
        }
    }

    /// Starts measuring once the session has rested; returns whether a
    /// measurement is still to come.
    fn measure(&mut self, doc: &Document) -> bool {
        if self.job.is_some() {
            return true;
        }
        if !self.pending() {
            return false;
        }
        if self.changed_at.elapsed() < SETTLE {
            return true;
        }
        let (tx, rx) = mpsc::channel();
        let lesson = self.lesson.clone();
        let shipped = self.shipped.clone();
        let current = doc.session().clone();
        let anchor = doc.anchor();
        let cache = self.cache.clone();
        let started = std::thread::Builder::new()
            .name("lesson-measure".into())
            .spawn(move || {
                let shipped_path = lesson.session_path();
                let bench = Bench {
                    shipped: &shipped,
                    shipped_path: &shipped_path,
                    current: &current,
                    current_path: &anchor,
                    window: lesson.measure,
                    cache: &cache,
                };
                let mut reports = evaluate_document(&lesson, &shipped, &current);
                evaluate_measured(&lesson, &bench, &mut reports);
                let _ = tx.send(reports);
            });
        match started {
            Ok(_) => {
                self.job = Some(Job {
                    generation: self.generation,
                    rx,
                })
            }
            Err(e) => eprintln!("auxbus: cannot start measuring the lesson: {e}"),
        }
        true
    }
}

/// Lets the lesson see every action (registered by `ConsoleApp::new`).
pub struct LessonObserver(pub Rc<RefCell<LessonState>>);

impl ActionObserver for LessonObserver {
    fn observe(&mut self, _action: &Action, doc: &Document) {
        if let Ok(mut state) = self.0.try_borrow_mut() {
            if let Some(run) = state.run.as_mut() {
                run.document_changed(doc);
            }
            state.remember();
        }
    }
}
