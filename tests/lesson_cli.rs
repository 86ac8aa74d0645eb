//! `auxbus lesson list` and `auxbus lesson check`: output, exit codes (0
//! all steps pass, 1 a step fails, 2 bad input) and one clear line on
//! stderr for every problem.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// (exit code, stdout, stderr), run from the crate root with the shipped lessons.
fn auxbus(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(args)
        .current_dir(root())
        .env_remove("AUXBUS_LESSONS")
        .output()
        .expect("run auxbus");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr:?}");
    lines[0]
}

#[test]
fn list_names_every_lesson_with_its_goal() {
    let (code, out, err) = auxbus(&["lesson", "list"]);
    assert_eq!(code, 0, "{err}");
    for id in [
        "01-bus",
        "02-aux",
        "03-dry-wet",
        "04-pre-post",
        "05-cue",
        "06-three-ways",
        "07-one-room",
        "08-parallel",
        "09-why-silent",
        "10-when-not-to-bus",
    ] {
        assert!(out.contains(id), "{id} listed: {out}");
    }
    assert!(out.contains("Route three drum tracks onto one bus"));
}

#[test]
fn a_solution_passes_with_exit_0_and_shows_its_evidence() {
    let (code, out, err) = auxbus(&["lesson", "check", "1", "tests/lessons/01-bus.solution.json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("step 1  PASS"), "{out}");
    assert!(out.contains("step 2  PASS"), "{out}");
    assert!(
        out.contains("Kick −8.0 dB, Snare −8.0 dB, Hats −8.0 dB"),
        "{out}"
    );
    assert!(out.contains("2 of 2 steps pass"), "{out}");
    // The lesson by id and by its file work the same.
    let (code, _, _) = auxbus(&[
        "lesson",
        "check",
        "sessions/lessons/01-bus.lesson.json",
        "tests/lessons/01-bus.solution.json",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn a_failing_step_exits_1_naming_the_steps() {
    let (code, out, err) = auxbus(&["lesson", "check", "01-bus", "sessions/lessons/01-bus.json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("step 1  FAIL"), "{out}");
    assert!(out.contains("✗ Kick goes to Master, not to a bus"), "{out}");
    assert_eq!(
        one_line(&err),
        "auxbus: lesson 01-bus: steps 1, 2 of 2 not passed yet"
    );
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: Vec<(Vec<String>, &str)> = {
        let bad_json = dir.path().join("bad.json");
        std::fs::write(
            &bad_json,
            r#"{"format": "auxbus-session", "version": 1, "channels": [{"id": "m", "kind": "master", "gian_db": 0}]}"#,
        )
        .expect("write");
        let missing_source = dir.path().join("missing.json");
        std::fs::write(
            &missing_source,
            r#"{"format": "auxbus-session", "version": 1, "channels": [
                {"id": "kick", "kind": "track", "source": "nowhere.flac"},
                {"id": "master", "kind": "master"}]}"#,
        )
        .expect("write");
        let not_a_lesson = dir.path().join("x.lesson.json");
        std::fs::write(&not_a_lesson, r#"{"format": "something", "version": 1, "title": "t", "goal": "g", "session": "s.json", "steps": []}"#)
            .expect("write");
        let typo = dir.path().join("typo.lesson.json");
        std::fs::write(&typo, r#"{"format": "auxbus-lesson", "version": 1, "title": "t", "goal": "g", "session": "s.json",
            "steps": [{"title": "a", "text": "b", "checks": [{"check": "routd", "channels": ["kick"], "to": "master"}]}]}"#)
            .expect("write");
        let s = |p: &Path| p.display().to_string();
        vec![
            (
                vec!["nope".into(), "tests/lessons/01-bus.solution.json".into()],
                "unknown lesson \"nope\"",
            ),
            (
                vec!["1".into(), s(&dir.path().join("absent.json"))],
                "absent.json",
            ),
            (vec!["1".into(), s(&bad_json)], "gian_db"),
            (vec!["1".into(), s(&missing_source)], "track \"kick\""),
            (
                vec![
                    s(&not_a_lesson),
                    "tests/lessons/01-bus.solution.json".into(),
                ],
                "not an auxbus lesson",
            ),
            (
                vec![s(&typo), "tests/lessons/01-bus.solution.json".into()],
                "steps[0].checks[0]",
            ),
        ]
    };
    for (args, says) in cases {
        let mut all = vec!["lesson", "check"];
        all.extend(args.iter().map(String::as_str));
        let (code, out, err) = auxbus(&all);
        assert_eq!(code, 2, "{all:?}: {out}{err}");
        let line = one_line(&err);
        assert!(line.contains(says), "{all:?}: {line}");
        assert!(out.is_empty(), "{all:?}: nothing evaluated: {out}");
    }
    for args in [
        vec!["lesson"],
        vec!["lesson", "check", "1"],
        vec!["lesson", "explain"],
        vec!["lesson", "list", "extra"],
    ] {
        let (code, _, err) = auxbus(&args);
        assert_eq!(code, 2, "{args:?}");
        one_line(&err);
    }
}
