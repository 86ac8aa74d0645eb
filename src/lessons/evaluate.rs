//! Evaluating a lesson against a session: every step's checks, document
//! checks first (cheap, after every action in the console) and measured
//! checks (renders) where asked.

use super::doc_checks::document;
use super::measure::Bench;
use super::model::{Check, Lesson};
use super::outcome::Outcome;
use crate::session::Session;

/// The outcome of each of a step's checks; `None` while not evaluated
/// (a measured check that has not run yet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepReport {
    pub checks: Vec<Option<Outcome>>,
}

impl StepReport {
    /// `Some(true)` when every check passed, `Some(false)` as soon as one
    /// failed, `None` while some are still to be evaluated.
    pub fn passed(&self) -> Option<bool> {
        if self.checks.iter().flatten().any(|o| !o.passed) {
            return Some(false);
        }
        self.checks.iter().all(Option::is_some).then_some(true)
    }
}

/// One check, with the lesson's explanation added when it fails.
pub fn evaluate_check(check: &Check, b: &Bench) -> Outcome {
    document(check, b.shipped, b.current)
        .or_else(|| super::measured::measured(check, b))
        .unwrap_or_else(|| Outcome::fail("this check cannot be evaluated"))
        .explained(check.why())
}

/// Every check of every step (this renders; seconds on a large lesson).
pub fn evaluate(lesson: &Lesson, b: &Bench) -> Vec<StepReport> {
    per_check(lesson, |c| Some(evaluate_check(c, b)))
}

/// The document checks only (no audio): measured checks stay `None`.
pub fn evaluate_document(lesson: &Lesson, shipped: &Session, current: &Session) -> Vec<StepReport> {
    per_check(lesson, |c| {
        document(c, shipped, current).map(|o| o.explained(c.why()))
    })
}

/// `outcome` of every check, step by step.
fn per_check(lesson: &Lesson, outcome: impl Fn(&Check) -> Option<Outcome>) -> Vec<StepReport> {
    lesson
        .steps
        .iter()
        .map(|step| StepReport {
            checks: step.checks.iter().map(&outcome).collect(),
        })
        .collect()
}

/// Fills in the measured checks of `reports` (from `evaluate_document`)
/// for the steps whose document checks all passed; the others' measured
/// checks stay `None` (nothing to measure before the routing is there).
pub fn evaluate_measured(lesson: &Lesson, b: &Bench, reports: &mut [StepReport]) {
    for (step, report) in lesson.steps.iter().zip(reports.iter_mut()) {
        let ready = report.checks.iter().flatten().all(|o| o.passed);
        if !ready {
            continue;
        }
        for (check, slot) in step.checks.iter().zip(report.checks.iter_mut()) {
            if slot.is_none() {
                *slot = Some(evaluate_check(check, b));
            }
        }
    }
}
