//! The Lessons menu and the lesson panel at the right of the console: the
//! lesson's goal, its steps with ticks as they pass, the current step's
//! instructions, the evidence of every check ("measuring…" while renders
//! run), hints on request and a reset of the step.
//!
//! ```text
//!  ┌ Lesson 1 — A bus … ─────┐
//!  │ goal                     │
//!  │ ✔ 1. Route the drums     │
//!  │ ▶ 2. Pull the bus down   │
//!  │   what to do …           │
//!  │   ✓ evidence  ✗ evidence │
//!  │   [Hint] [Reset step]    │
//!  │ [Start over]   [Close]   │
//!  └──────────────────────────┘
//! ```

use std::cell::RefCell;
use std::time::Duration;

use egui::{Color32, RichText, Ui};

use super::action::{Action, LessonAction, Pending};
use super::document::Document;
use super::lesson_state::{LessonRun, LessonState};
use super::marks_ui::{LESSON_COLOUR, set_highlight};

const PASS: Color32 = Color32::from_rgb(90, 200, 110);
const FAIL: Color32 = Color32::from_rgb(235, 120, 90);
const PANEL_WIDTH: f32 = 340.0;

/// The Lessons menu: every lesson (ticked when finished), and for the one
/// in progress, starting over and closing.
pub fn lessons_menu(ui: &mut Ui, lessons: &RefCell<LessonState>, out: &mut Vec<Action>) {
    let Ok(state) = lessons.try_borrow() else {
        return;
    };
    ui.menu_button("Lessons", |ui| {
        if state.catalog.is_empty() {
            ui.label("no lessons found");
        }
        for l in &state.catalog {
            let done = state.progress.finished(&l.id);
            let text = format!("{} {}", if done { "✔" } else { "  " }, l.title);
            if ui
                .button(text)
                .on_hover_text(format!(
                    "{}{}",
                    l.goal,
                    if done { " (finished)" } else { "" }
                ))
                .clicked()
            {
                out.push(Action::Request(Pending::Lesson(l.id.clone())));
            }
        }
        for p in &state.problems {
            ui.label(RichText::new(p).small().color(FAIL));
        }
        if let Some(run) = &state.run {
            ui.separator();
            if ui
                .button("Start this lesson over")
                .on_hover_text("Back to the lesson's own session (your copy is replaced)")
                .clicked()
            {
                out.push(Action::Request(Pending::RestartLesson(
                    run.lesson.id.clone(),
                )));
            }
            if ui
                .button("Close the lesson panel")
                .on_hover_text(
                    "The session stays open; the lesson can be taken up again from this menu",
                )
                .clicked()
            {
                out.push(Action::Lesson(LessonAction::Close));
            }
        }
    })
    .response
    .on_hover_text("Guided lessons that check what you do by measuring the mix");
}

/// The lesson panel, while a lesson is in progress (drawn before the
/// strips, which it tells what to highlight).
pub fn lesson_panel(
    ui: &mut Ui,
    lessons: &RefCell<LessonState>,
    doc: &Document,
    out: &mut Vec<Action>,
) {
    let ctx = ui.ctx().clone();
    let Ok(mut state) = lessons.try_borrow_mut() else {
        return;
    };
    if state.poll(doc) {
        ctx.request_repaint_after(Duration::from_millis(100));
    }
    let next = state
        .run
        .as_ref()
        .and_then(|r| {
            let at = state.catalog.iter().position(|l| l.id == r.lesson.id)?;
            state.catalog.get(at + 1)
        })
        .map(|l| l.id.clone());
    let Some(run) = state.run.as_ref() else {
        set_highlight(&ctx, Vec::new());
        return;
    };
    let highlight = run
        .lesson
        .steps
        .get(run.current)
        .map(|s| s.highlight.clone())
        .unwrap_or_default();
    set_highlight(&ctx, highlight);
    egui::Panel::right("lesson")
        .resizable(true)
        .default_size(PANEL_WIDTH)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("lesson steps")
                .show(ui, |ui| panel(ui, run, doc, next, out));
        });
}

fn panel(
    ui: &mut Ui,
    run: &LessonRun,
    doc: &Document,
    next: Option<String>,
    out: &mut Vec<Action>,
) {
    ui.heading(&run.lesson.title);
    ui.label(RichText::new(&run.lesson.goal).italics());
    ui.add_space(6.0);
    if run.finished() {
        ui.label(
            RichText::new("Lesson complete: every step passes ✔")
                .strong()
                .color(PASS),
        );
        if let Some(id) = next
            && ui
                .button("Next lesson ➡")
                .on_hover_text("Open the next lesson on its own session")
                .clicked()
        {
            out.push(Action::Request(Pending::Lesson(id)));
        }
    } else {
        ui.label(format!(
            "Step {} of {}",
            (run.current + 1).min(run.lesson.steps.len()),
            run.lesson.steps.len()
        ));
    }
    ui.separator();
    for (i, step) in run.lesson.steps.iter().enumerate() {
        let current = i == run.current;
        let (mark, colour) = if run.passes(i) {
            ("✔", PASS)
        } else if current {
            ("▶", LESSON_COLOUR)
        } else {
            ("○", ui.visuals().weak_text_color())
        };
        ui.label(
            RichText::new(format!("{mark} {}. {}", i + 1, step.title))
                .strong()
                .color(colour),
        );
        if current {
            ui.label(&step.text);
        }
        if current || run.passes(i) {
            evidence(ui, run, i);
        }
        if current {
            step_tools(ui, run, doc, step, out);
        }
        ui.add_space(4.0);
    }
    ui.separator();
    ui.horizontal(|ui| {
        if ui
            .button("Start over")
            .on_hover_text("Back to the lesson's own session: your changes are replaced")
            .clicked()
        {
            out.push(Action::Request(Pending::RestartLesson(
                run.lesson.id.clone(),
            )));
        }
        if ui
            .button("Close")
            .on_hover_text("Close the lesson panel; the session stays open")
            .clicked()
        {
            out.push(Action::Lesson(LessonAction::Close));
        }
    });
}

/// Each check of step `i`: its evidence, or why there is none yet.
fn evidence(ui: &mut Ui, run: &LessonRun, i: usize) {
    let Some(report) = run.reports.get(i) else {
        return;
    };
    let ready = report.checks.iter().flatten().all(|o| o.passed);
    for outcome in &report.checks {
        let (text, colour) = match outcome {
            Some(o) if o.passed => (format!("✔ {}", o.evidence), PASS),
            Some(o) => (format!("✖ {}", o.evidence), FAIL),
            None if ready => ("… measuring the mix".to_owned(), LESSON_COLOUR),
            None => (
                "… measured once the checks above pass".to_owned(),
                ui.visuals().weak_text_color(),
            ),
        };
        ui.label(RichText::new(text).small().color(colour));
    }
}

fn step_tools(
    ui: &mut Ui,
    run: &LessonRun,
    doc: &Document,
    step: &crate::lessons::Step,
    out: &mut Vec<Action>,
) {
    for (n, hint) in step.hints.iter().take(run.hints).enumerate() {
        ui.label(RichText::new(format!("Hint {}: {hint}", n + 1)).color(LESSON_COLOUR));
    }
    ui.horizontal(|ui| {
        let left = step.hints.len().saturating_sub(run.hints);
        if ui
            .add_enabled(left > 0, egui::Button::new(format!("Hint ({left} left)")))
            .on_hover_text("Show the next hint for this step")
            .clicked()
        {
            out.push(Action::Lesson(LessonAction::Hint));
        }
        let changed = doc.undo_depth() > run.step_start;
        if ui
            .add_enabled(changed, egui::Button::new("Reset step"))
            .on_hover_text("Undo everything done since this step began (Redo brings it back)")
            .clicked()
        {
            out.push(Action::Lesson(LessonAction::ResetStep));
        }
    });
}
