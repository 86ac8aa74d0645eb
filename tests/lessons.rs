//! The ten shipped lessons, evaluated the way `auxbus lesson check` does:
//! each lesson's own session fails (there is something to do), a solution
//! made the way the lesson says passes every step, and a plausible wrong
//! solution fails with evidence that says why. Solutions and wrong
//! solutions live in tests/lessons/ (their sources are the demo stems,
//! found through the same relative paths as from sessions/lessons/).

use std::path::{Path, PathBuf};

use auxbus::lessons::{self, Bench, Lesson, RenderCache, StepReport};
use auxbus::session;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lesson(id: &str) -> Lesson {
    lessons::load(&root().join(format!("sessions/lessons/{id}.lesson.json")))
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Every step's report for `session_file` (a path from the crate root).
fn check(id: &str, session_file: &str) -> (Lesson, Vec<StepReport>) {
    let l = lesson(id);
    let shipped_path = l.session_path();
    let shipped = session::load(&shipped_path).expect("shipped session loads");
    let path: PathBuf = root().join(session_file);
    let current = session::load(&path).unwrap_or_else(|e| panic!("{session_file}: {e}"));
    let cache = RenderCache::default();
    let bench = Bench {
        shipped: &shipped,
        shipped_path: &shipped_path,
        current: &current,
        current_path: &path,
        window: l.measure,
        cache: &cache,
    };
    let reports = lessons::evaluate(&l, &bench);
    (l, reports)
}

fn passed(r: &StepReport) -> bool {
    r.passed() == Some(true)
}

/// The evidence of every failed check of step `step` (from 1), joined.
fn failures(reports: &[StepReport], step: usize) -> String {
    reports[step - 1]
        .checks
        .iter()
        .flatten()
        .filter(|o| !o.passed)
        .map(|o| o.evidence.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The evidence of every check of step `step`, joined.
fn evidence(reports: &[StepReport], step: usize) -> String {
    reports[step - 1]
        .checks
        .iter()
        .flatten()
        .map(|o| o.evidence.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The three facts every lesson must show: the shipped session fails the
/// steps `shipped_fails` (and so the lesson), the solution passes every
/// step, and the wrong solution fails step `wrong_step` with evidence
/// containing each of `because`.
fn lesson_holds(
    id: &str,
    shipped_fails: &[usize],
    wrong: &str,
    wrong_step: usize,
    because: &[&str],
) {
    let (l, shipped) = check(id, &format!("sessions/lessons/{id}.json"));
    for &step in shipped_fails {
        assert!(
            !passed(&shipped[step - 1]),
            "{id}: the shipped session passes step {step}: {}",
            evidence(&shipped, step)
        );
    }
    let (_, solved) = check(id, &format!("tests/lessons/{id}.solution.json"));
    for (i, r) in solved.iter().enumerate() {
        assert!(
            passed(r),
            "{id}: the solution fails step {} ({}): {}",
            i + 1,
            l.steps[i].title,
            failures(&solved, i + 1)
        );
    }
    let (_, wrong_reports) = check(id, &format!("tests/lessons/{id}.{wrong}.json"));
    assert!(
        !passed(&wrong_reports[wrong_step - 1]),
        "{id}: the wrong solution {wrong} passes step {wrong_step}: {}",
        evidence(&wrong_reports, wrong_step)
    );
    let said = failures(&wrong_reports, wrong_step);
    for b in because {
        assert!(said.contains(b), "{id}/{wrong}: {b:?} not in {said:?}");
    }
}

#[test]
fn every_shipped_lesson_loads_and_names_only_channels_its_session_has() {
    let (all, problems) = lessons::catalog(&root().join("sessions/lessons"));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(all.len(), 10, "ten lessons ship");
    for (n, l) in all.iter().enumerate() {
        assert_eq!(l.number() as usize, n + 1, "{}: numbered in order", l.id);
        let s = session::load(&l.session_path()).unwrap_or_else(|e| panic!("{}: {e}", l.id));
        for step in &l.steps {
            assert!(!step.checks.is_empty(), "{}: a step without checks", l.id);
            for id in step
                .checks
                .iter()
                .flat_map(|c| c.names())
                .chain(step.highlight.iter().map(String::as_str))
            {
                let known = s.channel(id).is_some()
                    || s.vcas.iter().any(|v| v.id == id)
                    || s.groups.iter().any(|g| g.id == id);
                assert!(known, "{}: step {:?} names {id:?}", l.id, step.title);
            }
        }
    }
}

#[test]
fn lesson_01_bus() {
    // Turning each track down by hand is not a bus move.
    lesson_holds(
        "01-bus",
        &[1, 2],
        "wrong-track-faders",
        1,
        &["Kick goes to Master, not to a bus"],
    );
    let (_, wrong) = check("01-bus", "tests/lessons/01-bus.wrong-track-faders.json");
    assert!(failures(&wrong, 2).contains("Kick's fader moved −8.0 dB"));
    let (_, solved) = check("01-bus", "tests/lessons/01-bus.solution.json");
    // The bus is at −8 dB: each drum, soloed, is exactly 8 dB down.
    assert!(
        evidence(&solved, 2).contains("Kick −8.0 dB, Snare −8.0 dB, Hats −8.0 dB"),
        "{}",
        evidence(&solved, 2)
    );
}

#[test]
fn lesson_02_aux_send_and_return() {
    // A reverb inserted on the vocal instead of an aux.
    lesson_holds(
        "02-aux",
        &[1, 2, 3],
        "wrong-insert-reverb",
        3,
        &[
            "Vocal still runs a reverb of its own",
            "Vocal's dry sound changed",
        ],
    );
    let (_, wrong) = check("02-aux", "tests/lessons/02-aux.wrong-insert-reverb.json");
    assert!(failures(&wrong, 1).contains("an insert on the channel itself, not an aux"));
    let (_, solved) = check("02-aux", "tests/lessons/02-aux.solution.json");
    assert!(evidence(&solved, 3).contains("differs from the original by −inf dB"));
}

#[test]
fn lesson_03_hearing_dry_and_wet() {
    // Ordered by the send knobs: Version 2's knob is low but its send is
    // pre-fader with the fader down, so it is the wettest.
    lesson_holds(
        "03-dry-wet",
        &[1, 2],
        "wrong-by-knob",
        1,
        &["Version 2 stands left of Version 1 but is wetter"],
    );
}

#[test]
fn lesson_04_pre_and_post() {
    // Muting the vocal instead of closing its fader silences the pre-fader
    // send too.
    lesson_holds(
        "04-pre-post",
        &[1, 2],
        "wrong-mute",
        2,
        &[
            "Vocal's fader is at",
            "Vocal's reverb is silent",
            "it is muted",
        ],
    );
}

#[test]
fn lesson_05_headphone_mix() {
    // A cue built from post-fader sends follows the engineer's faders.
    lesson_holds(
        "05-cue",
        &[1, 2, 3],
        "wrong-post-fader",
        2,
        &[
            "−10.0 dB) while every other fader moved −10.0 dB",
            "followed the main faders",
        ],
    );
    let (_, wrong) = check("05-cue", "tests/lessons/05-cue.wrong-post-fader.json");
    assert!(failures(&wrong, 1).contains("Kick's send to Headphones is post-fader"));
    let (_, solved) = check("05-cue", "tests/lessons/05-cue.solution.json");
    assert!(
        evidence(&solved, 2).contains("(0.0 dB)"),
        "{}",
        evidence(&solved, 2)
    );
}

#[test]
fn lesson_06_bus_vca_and_linked_group() {
    // The "VCA" move made with a bus fader: the group gets wetter.
    lesson_holds(
        "06-three-ways",
        &[1, 2, 3],
        "wrong-vca-by-bus",
        2,
        &[
            "VCA group's fader stayed where it was",
            "wetter: the dry went down more than the reverb",
        ],
    );
    let (_, solved) = check("06-three-ways", "tests/lessons/06-three-ways.solution.json");
    let bus = evidence(&solved, 1);
    let vca = evidence(&solved, 2);
    let linked = evidence(&solved, 3);
    assert!(bus.contains("(dry −10.0 dB, wet 0.0 dB): wetter"), "{bus}");
    assert!(
        vca.contains("(dry −10.0 dB, wet −10.0 dB): the dry/wet ratio was kept"),
        "{vca}"
    );
    assert!(
        linked.contains("(dry −10.0 dB, wet −10.0 dB): the dry/wet ratio was kept"),
        "{linked}"
    );
}

#[test]
fn lesson_07_one_shared_reverb() {
    // Adding the aux but keeping the four insert reverbs.
    lesson_holds(
        "07-one-room",
        &[1, 2],
        "wrong-kept-inserts",
        1,
        &[
            "still run a reverb of their own",
            "reverbs running: 4 as shipped, 5 now",
        ],
    );
    let (_, solved) = check("07-one-room", "tests/lessons/07-one-room.solution.json");
    assert!(evidence(&solved, 1).contains("reverbs running: 4 as shipped, 1 now"));
}

#[test]
fn lesson_08_parallel_compression() {
    // The crush compressor put on the drum bus: serial, nothing to blend.
    lesson_holds(
        "08-parallel",
        &[1, 2],
        "wrong-bus-compressor",
        1,
        &["the compressor on Drum Bus is an insert on the channel itself"],
    );
}

#[test]
fn lesson_09_why_is_this_silent() {
    // Routing the drums around the broken bus hides the fault.
    lesson_holds(
        "09-why-silent",
        &[1, 2, 3, 4, 5],
        "wrong-around-the-bus",
        4,
        &["Kick goes to Master, not to Drum Bus"],
    );
    let (_, shipped) = check("09-why-silent", "sessions/lessons/09-why-silent.json");
    // Each fault is named in the evidence.
    for (step, reason) in [
        (1, "its output is \"none\""),
        (2, "fader at −inf"),
        (3, "it is muted"),
        (4, "Drum Bus, which goes nowhere"),
        (5, "muted by Keys VCA"),
    ] {
        assert!(
            failures(&shipped, step).contains(reason),
            "step {step}: {}",
            failures(&shipped, step)
        );
    }
}

#[test]
fn lesson_10_when_not_to_bus() {
    // Going direct without matching the level: the louder version wins.
    lesson_holds(
        "10-when-not-to-bus",
        &[1, 2],
        "wrong-not-matched",
        2,
        &["louder, and louder always sounds better"],
    );
    let (_, shipped) = check(
        "10-when-not-to-bus",
        "sessions/lessons/10-when-not-to-bus.json",
    );
    assert!(
        failures(&shipped, 1).contains("it pumps"),
        "{}",
        failures(&shipped, 1)
    );
    let (_, solved) = check(
        "10-when-not-to-bus",
        "tests/lessons/10-when-not-to-bus.solution.json",
    );
    assert!(
        evidence(&solved, 1).contains("swings 0.0 dB"),
        "{}",
        evidence(&solved, 1)
    );
}
