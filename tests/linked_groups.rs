//! Linked (relative) groups: the rules of a group move through the one
//! reducer (relative moves, clamping at the top, members at −inf, Alt
//! moving one alone, one undo step per gesture, linked mute/solo/sends),
//! the file format, and — measured by rendering — that a linked-group move
//! keeps every member's dry/wet balance exactly while a bus move does not.

use std::path::{Path, PathBuf};

use auxbus::render::{RenderOptions, render_session};
use auxbus::session::{self, ChannelKind, Edit, LinkGroup, Session};
use auxbus::ui::{Action, ConsoleApp, RecordingPort};

fn lesson6_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/lessons/06-three-ways.json")
}

/// The console on lesson 6's session: Vocal (linked) at −8 dB and Pluck
/// (linked) at −12 dB are the members of "Linked group".
fn app() -> ConsoleApp {
    let path = lesson6_path();
    let s = session::load(&path).expect("lesson 6 loads");
    ConsoleApp::new(s, Some(path), Box::new(RecordingPort::default()))
}

fn gain(app: &ConsoleApp, id: &str) -> Option<f32> {
    app.doc.session().channel(id).and_then(|c| c.gain_db)
}

fn fader(app: &mut ConsoleApp, id: &str, db: Option<f32>) {
    app.dispatch(Action::Edit(Edit::Gain {
        channel: id.into(),
        db,
    }));
}

#[test]
fn moving_one_member_moves_every_member_by_the_same_amount() {
    let mut app = app();
    fader(&mut app, "lead_l", Some(-18.0));
    assert_eq!(gain(&app, "lead_l"), Some(-18.0));
    assert_eq!(gain(&app, "pluck_l"), Some(-22.0), "4 dB below, as before");
    // Either member leads.
    fader(&mut app, "pluck_l", Some(-15.0));
    assert_eq!(gain(&app, "lead_l"), Some(-11.0));
    assert_eq!(gain(&app, "pluck_l"), Some(-15.0));
    // Channels outside the group do not move.
    assert_eq!(gain(&app, "lead_v"), Some(-8.0));
}

#[test]
fn a_gesture_is_one_undo_step_and_is_measured_from_its_start() {
    let mut app = app();
    let before = app.doc.session().clone();
    app.dispatch(Action::BeginGesture);
    // Down so far that Pluck (4 dB lower) passes the bottom and goes to −inf…
    for db in [-20.0, -60.0, -141.0] {
        fader(&mut app, "lead_l", Some(db));
    }
    assert_eq!(gain(&app, "lead_l"), Some(-141.0));
    assert_eq!(gain(&app, "pluck_l"), None, "below −144 dB is −inf");
    // …and back up in the same drag: its offset comes back with it.
    fader(&mut app, "lead_l", Some(-5.0));
    app.dispatch(Action::EndGesture);
    assert_eq!(gain(&app, "pluck_l"), Some(-9.0));
    app.dispatch(Action::Undo);
    assert_eq!(app.doc.session(), &before, "one undo undoes the whole drag");
    assert!(!app.doc.can_undo());
    // A typed move (no gesture) is one step too.
    fader(&mut app, "pluck_l", Some(-2.0));
    app.dispatch(Action::Undo);
    assert_eq!(app.doc.session(), &before);
}

#[test]
fn the_group_stops_at_the_fader_top_keeping_its_offsets() {
    let mut app = app();
    // Pluck asked to +6: Vocal, 4 dB above it, would pass +6 dB, so the
    // whole group stops when Vocal reaches it.
    fader(&mut app, "pluck_l", Some(6.0));
    assert_eq!(gain(&app, "lead_l"), Some(6.0));
    assert_eq!(gain(&app, "pluck_l"), Some(2.0));
    assert_eq!(
        session::groups::GROUP_TOP_DB,
        auxbus::ui::widgets::FADER_TOP_DB
    );
    // Further up: nothing moves.
    fader(&mut app, "pluck_l", Some(4.0));
    assert_eq!(gain(&app, "lead_l"), Some(6.0));
    assert_eq!(gain(&app, "pluck_l"), Some(2.0));
    // Down works as ever.
    fader(&mut app, "lead_l", Some(0.0));
    assert_eq!(gain(&app, "pluck_l"), Some(-4.0));
}

#[test]
fn a_member_at_minus_inf_stays_there() {
    let mut app = app();
    // Alt: Pluck alone to −inf.
    app.dispatch(Action::EditAlone(Edit::Gain {
        channel: "pluck_l".into(),
        db: None,
    }));
    assert_eq!(
        gain(&app, "lead_l"),
        Some(-8.0),
        "Alt moved one member alone"
    );
    fader(&mut app, "lead_l", Some(-3.0));
    assert_eq!(gain(&app, "lead_l"), Some(-3.0));
    assert_eq!(gain(&app, "pluck_l"), None, "no offset to keep from −inf");
    // Moving the member at −inf moves it alone.
    fader(&mut app, "pluck_l", Some(-20.0));
    assert_eq!(gain(&app, "pluck_l"), Some(-20.0));
    assert_eq!(gain(&app, "lead_l"), Some(-3.0));
    // Pulling a member to −inf takes the group there.
    fader(&mut app, "lead_l", None);
    assert_eq!(gain(&app, "pluck_l"), None);
}

#[test]
fn mute_solo_and_sends_link_only_when_the_group_says_so() {
    let mut app = app();
    let mute = |app: &mut ConsoleApp, on| {
        app.dispatch(Action::Edit(Edit::Mute {
            channel: "lead_l".into(),
            on,
        }))
    };
    let muted = |app: &ConsoleApp, id: &str| app.doc.session().channel(id).is_some_and(|c| c.mute);
    mute(&mut app, true);
    assert!(
        muted(&app, "lead_l") && !muted(&app, "pluck_l"),
        "faders only"
    );
    mute(&mut app, false);
    let mut group = app.doc.session().groups[0].clone();
    group.link_mute = true;
    group.link_solo = true;
    group.link_sends = true;
    app.dispatch(Action::Edit(Edit::SetGroup { group }));
    mute(&mut app, true);
    assert!(muted(&app, "lead_l") && muted(&app, "pluck_l"));
    app.dispatch(Action::Edit(Edit::Solo {
        channel: "pluck_l".into(),
        on: true,
    }));
    assert!(app.doc.session().channel("lead_l").is_some_and(|c| c.solo));
    // Vocal sends −10 dB, Pluck −12 dB to the reverb: relative again.
    app.dispatch(Action::Edit(Edit::SendLevel {
        channel: "lead_l".into(),
        aux: "verb".into(),
        db: Some(-4.0),
    }));
    let send = |app: &ConsoleApp, id: &str| {
        app.doc
            .session()
            .channel(id)
            .and_then(|c| c.sends[0].level_db)
    };
    assert_eq!(send(&app, "lead_l"), Some(-4.0));
    assert_eq!(send(&app, "pluck_l"), Some(-6.0));
}

#[test]
fn groups_are_stored_only_when_there_are_some_and_checked_when_read() {
    let s = Session::new(48_000);
    let text = serde_json::to_string(&s).expect("json");
    assert!(
        !text.contains("groups"),
        "an old-style file stays old-style: {text}"
    );
    let base = session::load(&lesson6_path()).expect("loads");
    let bad = |change: &dyn Fn(&mut Session)| {
        let mut s = base.clone();
        change(&mut s);
        session::validate(&s).expect_err("refused").to_string()
    };
    let member = |m: &str| {
        let m = m.to_owned();
        move |s: &mut Session| s.groups[0].members.push(m.clone())
    };
    let e = bad(&member("nobody"));
    assert!(
        e.contains("groups[0].members[2]") && e.contains("\"nobody\" is not a channel"),
        "{e}"
    );
    let e = bad(&member("lead_l"));
    assert!(e.contains("listed twice"), "{e}");
    let e = bad(&member("master"));
    assert!(e.contains("master cannot be in a linked group"), "{e}");
    let e = bad(&|s: &mut Session| {
        s.groups.push(LinkGroup {
            id: "other".into(),
            name: String::new(),
            members: vec!["lead_l".into()],
            link_mute: false,
            link_solo: false,
            link_sends: false,
        })
    });
    assert!(e.contains("already in group \"link\""), "{e}");
    let e = bad(&|s: &mut Session| s.groups[0].id = "verb".into());
    assert!(
        e.contains("groups[0].id") && e.contains("already used"),
        "{e}"
    );
    // Deleting a member channel takes it out of its group, in one undo step.
    let mut app = app();
    app.dispatch(Action::RemoveChannel("pluck_l".into()));
    assert_eq!(app.doc.session().groups[0].members, ["lead_l"]);
    app.dispatch(Action::Undo);
    assert_eq!(app.doc.session(), &base);
}

/// Mean square of the master over 4.8 s of `s` rendered.
fn power(s: &Session) -> f64 {
    let opts = RenderOptions {
        start: 0.0,
        duration: Some(4.8),
        stems: false,
        ..RenderOptions::default()
    };
    let mut sum = 0.0f64;
    let mut n = 0usize;
    render_session(s, &lesson6_path(), &opts, &mut |block: &[f32]| {
        sum += block
            .iter()
            .map(|&v| f64::from(v) * f64::from(v))
            .sum::<f64>();
        n += block.len();
        Ok(())
    })
    .expect("renders");
    sum / n as f64
}

/// Dry and wet power of `set` with every other track muted: dry with the
/// aux returns muted, wet with the set's outputs unrouted.
fn dry_wet(s: &Session, set: &[&str]) -> (f64, f64) {
    let mut alone = s.clone();
    for c in &mut alone.channels {
        if c.kind == ChannelKind::Track && !set.contains(&c.id.as_str()) {
            c.mute = true;
        }
    }
    let mut dry = alone.clone();
    for c in &mut dry.channels {
        if c.kind == ChannelKind::Aux {
            c.mute = true;
        }
    }
    let mut wet = alone;
    for c in &mut wet.channels {
        if set.contains(&c.id.as_str()) {
            c.output = None;
        }
    }
    (power(&dry), power(&wet))
}

fn db(ratio: f64) -> f64 {
    10.0 * ratio.log10()
}

#[test]
fn a_linked_move_keeps_dry_and_wet_together_a_bus_move_does_not() {
    let mut app = app();
    let before = app.doc.session().clone();
    // The linked group: one member's fader 10 dB down, through the reducer.
    fader(&mut app, "lead_l", Some(-18.0));
    // The bus group: its bus fader 10 dB down.
    app.dispatch(Action::Edit(Edit::Gain {
        channel: "grp".into(),
        db: Some(-10.0),
    }));
    let after = app.doc.session().clone();
    let linked = ["lead_l", "pluck_l"];
    let (d0, w0) = dry_wet(&before, &linked);
    let (d1, w1) = dry_wet(&after, &linked);
    assert!(d0 > 0.0 && w0 > 0.0);
    // Every member 10 dB down: its dry and its post-fader sends alike.
    assert!((db(d1 / d0) + 10.0).abs() < 0.01, "dry {}", db(d1 / d0));
    assert!((db(w1 / w0) + 10.0).abs() < 0.01, "wet {}", db(w1 / w0));
    let share = |d: f64, w: f64| w / (d + w);
    assert!(
        (share(d1, w1) - share(d0, w0)).abs() < 1e-4,
        "the wet share stays: {} → {}",
        share(d0, w0),
        share(d1, w1)
    );
    let bus = ["lead_b", "pluck_b"];
    let (d0, w0) = dry_wet(&before, &bus);
    let (d1, w1) = dry_wet(&after, &bus);
    assert!((db(d1 / d0) + 10.0).abs() < 0.01, "bus dry {}", db(d1 / d0));
    assert!(
        db(w1 / w0).abs() < 0.01,
        "the sends were taken before the bus: {}",
        db(w1 / w0)
    );
    assert!(
        share(d1, w1) > 3.0 * share(d0, w0),
        "the bus group got wetter: {} → {}",
        share(d0, w0),
        share(d1, w1)
    );
}
