//! Lesson 1 taken in the console through egui_kittest, as a learner would:
//! the Lessons menu, routing in the matrix, the bus fader, a hint and a
//! reset — every step through the one action path — to its finish, with
//! the measured check running on its background thread.

use std::time::{Duration, Instant};

use auxbus::ui::ConsoleApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

/// Frames until `done` holds (measurements run on a thread of their own),
/// failing after a generous bound.
fn frames_until(h: &mut Harness<'_, ConsoleApp>, what: &str, done: impl Fn(&ConsoleApp) -> bool) {
    let since = Instant::now();
    while !done(h.state()) {
        assert!(
            since.elapsed() < Duration::from_secs(180),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
        h.step();
    }
    h.run_steps(2);
}

fn passes(h: &Harness<'_, ConsoleApp>, step: usize) -> bool {
    h.state()
        .lessons
        .borrow()
        .run
        .as_ref()
        .is_some_and(|r| r.passes(step))
}

#[test]
fn lesson_one_walked_through_the_console_to_its_finish() {
    let (mut h, _) = console();
    h.get_by_label("Lessons").click();
    h.run();
    h.get_by_label_contains("Lesson 1 —").click();
    h.run();
    {
        let app = h.state();
        let lessons = app.lessons.borrow();
        let run = lessons.run.as_ref().expect("lesson 1 started");
        assert_eq!(run.lesson.id, "01-bus");
        assert_eq!(run.current, 0);
        // The learner works on a copy: untitled here (tests keep nothing).
        assert!(app.doc.path.is_none());
        assert!(app.doc.session().channel("drums").is_some());
    }
    h.get_by_label_contains("▶ 1. Route the drums");
    // Step 1's routing check says what is missing.
    h.get_by_label_contains("✖ Kick goes to Master, not to a bus");

    // A hint on request.
    h.get_by_label("Hint (2 left)").click();
    h.run();
    h.get_by_label_contains("Hint 1: The output menu");

    // Route the three drums to the bus on the matrix page.
    h.get_by_label("Matrix").click();
    h.run_steps(12);
    h.get_by_label("Kick output to Drum Bus").click();
    h.run();
    // A wrong turn, then "reset step" undoes it.
    h.get_by_label("Bass output to Drum Bus").click();
    h.run();
    assert_eq!(
        h.state()
            .doc
            .session()
            .channel("bass")
            .and_then(|c| c.output.clone()),
        Some("drums".into())
    );
    h.get_by_label("Reset step").click();
    h.run();
    let out = |h: &Harness<'_, ConsoleApp>, id: &str| {
        h.state()
            .doc
            .session()
            .channel(id)
            .and_then(|c| c.output.clone())
    };
    assert_eq!(
        out(&h, "bass"),
        Some("master".into()),
        "reset undid the step's edits"
    );
    assert_eq!(out(&h, "kick"), Some("master".into()));
    assert!(
        h.state().doc.can_redo(),
        "reset is undo: redo brings it back"
    );
    for name in ["Kick", "Snare", "Hats"] {
        h.get_by_label(&format!("{name} output to Drum Bus"))
            .click();
        h.run();
    }
    // Step 1 is a document check: it passes at once.
    assert!(passes(&h, 0), "routed: step 1 passes");
    h.get_by_label_contains("✔ 1. Route the drums");
    h.get_by_label_contains("▶ 2. Pull the bus fader down");
    h.get_by_label_contains("✔ Kick, Snare and Hats all go to Drum Bus");

    // Step 2: the bus fader, on the console page.
    h.get_by_label("Console").click();
    h.run();
    h.get_by_label("Drum Bus fader").set_value_accesskit(-8.0);
    h.run();
    assert_eq!(
        h.state()
            .doc
            .session()
            .channel("drums")
            .and_then(|c| c.gain_db),
        Some(-8.0)
    );
    // The measured check renders the mix in the background.
    frames_until(&mut h, "the measured check", |app| {
        app.lessons
            .borrow()
            .run
            .as_ref()
            .is_some_and(|r| r.finished())
    });
    h.get_by_label_contains("Kick −8.0 dB, Snare −8.0 dB, Hats −8.0 dB");
    h.get_by_label_contains("Lesson complete");
    let app = h.state();
    let lessons = app.lessons.borrow();
    assert!(lessons.progress.finished("01-bus"), "progress remembered");
    assert_eq!(lessons.progress.passed("01-bus"), [0, 1]);
}

/// The lesson's own polling, as the panel does every frame, until `done`.
fn poll_until(app: &ConsoleApp, what: &str, done: impl Fn(&ConsoleApp) -> bool) {
    let since = Instant::now();
    while !done(app) {
        assert!(
            since.elapsed() < Duration::from_secs(180),
            "timed out waiting for {what}"
        );
        app.lessons.borrow_mut().poll(&app.doc);
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_learners_copy_and_progress_are_kept_between_consoles() {
    use auxbus::session::Edit;
    use auxbus::ui::{Action, Pending, RecordingPort};
    let dir = tempfile::tempdir().expect("temp dir");
    let open = || {
        let mut app = ConsoleApp::new(
            auxbus::session::Session::new(48_000),
            None,
            Box::new(RecordingPort::default()),
        );
        app.lessons.borrow_mut().keep_in(dir.path().to_owned());
        app.dispatch(Action::Request(Pending::Lesson("01-bus".into())));
        app
    };
    let mut app = open();
    let copy = dir.path().join("01-bus.json");
    assert_eq!(app.doc.path.as_deref(), Some(copy.as_path()));
    let saved = auxbus::session::load(&copy).expect("the copy loads");
    let kick = saved
        .channel("kick")
        .and_then(|c| c.source.clone())
        .expect("kick");
    assert!(std::path::Path::new(&kick).is_absolute(), "{kick}");
    for id in ["kick", "snare", "hats"] {
        app.dispatch(Action::Edit(Edit::Output {
            channel: id.into(),
            output: Some("drums".into()),
        }));
    }
    app.dispatch(Action::Edit(Edit::Gain {
        channel: "drums".into(),
        db: Some(-10.0),
    }));
    app.dispatch(Action::Save);
    poll_until(&app, "the lesson to finish", |app| {
        app.lessons
            .borrow()
            .run
            .as_ref()
            .is_some_and(|r| r.finished())
    });
    drop(app);
    let progress = std::fs::read_to_string(dir.path().join("progress.json")).expect("progress");
    assert!(progress.contains("\"finished\": true"), "{progress}");
    // A new console: lesson 1 is ticked, and opening it brings back the work.
    let app = open();
    assert!(app.lessons.borrow().progress.finished("01-bus"));
    assert_eq!(
        app.doc.session().channel("drums").and_then(|c| c.gain_db),
        Some(-10.0)
    );
    // Starting over brings back the shipped session.
    let mut app = app;
    app.dispatch(Action::Request(Pending::RestartLesson("01-bus".into())));
    assert_eq!(
        app.doc
            .session()
            .channel("kick")
            .and_then(|c| c.output.clone()),
        Some("master".into())
    );
}
