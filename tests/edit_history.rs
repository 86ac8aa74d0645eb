//! Edits and undo: every edit's inverse restores the session exactly,
//! invalid edits are refused without a trace, a drag is one undo step.

use auxbus::graph::{Change, change_of};
use auxbus::session::{self, Channel, ChannelKind, Edit, History, Send, Session};

fn demo() -> Session {
    session::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/demo.json"
    )))
    .expect("demo loads")
}

#[test]
fn every_edit_is_undone_exactly() {
    let edits = vec![
        Edit::Gain {
            channel: "kick".into(),
            db: Some(-12.0),
        },
        Edit::Gain {
            channel: "kick".into(),
            db: None,
        },
        Edit::Trim {
            channel: "snare".into(),
            db: 4.0,
        },
        Edit::Pan {
            channel: "pad".into(),
            pan: 0.8,
        },
        Edit::Mute {
            channel: "bass".into(),
            on: true,
        },
        Edit::Solo {
            channel: "pluck".into(),
            on: true,
        },
        Edit::SoloSafe {
            channel: "delay".into(),
            on: false,
        },
        Edit::Rename {
            channel: "drums".into(),
            name: "Kit".into(),
        },
        Edit::Output {
            channel: "bass".into(),
            output: Some("drums".into()),
        },
        Edit::Output {
            channel: "pad".into(),
            output: None,
        },
        Edit::SendLevel {
            channel: "pad".into(),
            aux: "verb".into(),
            db: Some(-3.0),
        },
        Edit::SendPreFader {
            channel: "pad".into(),
            aux: "verb".into(),
            pre: true,
        },
        Edit::AddSend {
            channel: "bass".into(),
            send: Send {
                to: "verb".into(),
                level_db: Some(-20.0),
                pre_fader: false,
            },
            index: None,
        },
        Edit::RemoveSend {
            channel: "pluck".into(),
            aux: "delay".into(),
        },
        Edit::AddChannel {
            index: 2,
            channel: Channel::new("bus2", ChannelKind::Bus),
        },
        Edit::MoveChannel { from: 0, to: 4 },
        Edit::VcaGain {
            vca: "vca_drums".into(),
            db: Some(-6.0),
        },
        Edit::VcaMute {
            vca: "vca_drums".into(),
            on: true,
        },
        Edit::VcaMembers {
            vca: "vca_drums".into(),
            members: vec!["kick".into()],
        },
        Edit::PanLaw { db: -6.0 },
    ];
    for edit in edits {
        let mut s = demo();
        let before = s.clone();
        let shown = format!("{edit:?}");
        let inverse = edit
            .apply(&mut s)
            .unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert_ne!(s, before, "{shown} changed nothing");
        inverse.apply(&mut s).expect("inverse applies");
        assert_eq!(s, before, "{shown} was not undone exactly");
    }
}

#[test]
fn a_route_that_would_loop_is_refused_and_changes_nothing() {
    let mut s = demo();
    s.channels.push({
        let mut fx = Channel::new("fxbus", ChannelKind::Bus);
        fx.output = Some("drums".into());
        fx
    });
    let before = s.clone();
    let err = Edit::Output {
        channel: "drums".into(),
        output: Some("fxbus".into()),
    }
    .apply(&mut s)
    .expect_err("loop");
    assert_eq!(err.to_string(), "routing loop: drums → fxbus → drums");
    assert_eq!(s, before);
}

#[test]
fn removing_a_bus_reroutes_its_members_and_undo_restores_all() {
    let mut s = demo();
    let before = s.clone();
    let mut history = History::default();
    let remove = Edit::remove_channel(&s, "verb");
    let effect = change_of(&remove).0;
    history.apply(&mut s, remove).expect("remove");
    assert_eq!(effect, Change::Structure);
    assert!(s.channel("verb").is_none());
    assert!(
        s.channels
            .iter()
            .all(|c| c.sends.iter().all(|x| x.to != "verb"))
    );
    let remove = Edit::remove_channel(&s, "drums");
    let effect = change_of(&remove).0;
    history.apply(&mut s, remove).expect("remove");
    assert_eq!(effect, Change::Structure);
    assert_eq!(
        s.channel("kick").and_then(|c| c.output.clone()),
        Some("master".into())
    );
    history.undo(&mut s);
    history.undo(&mut s);
    assert_eq!(s, before);
    history.redo(&mut s);
    assert!(s.channel("verb").is_none());
}

#[test]
fn a_drag_is_one_undo_step() {
    let mut s = demo();
    let mut history = History::default();
    history.begin_group();
    for db in [-2.5, -3.0, -4.0, -7.5] {
        history
            .apply(
                &mut s,
                Edit::Gain {
                    channel: "kick".into(),
                    db: Some(db),
                },
            )
            .expect("gain");
    }
    history.end_group();
    assert_eq!(s.channel("kick").and_then(|c| c.gain_db), Some(-7.5));
    assert_eq!(history.depth(), 1);
    let undone = history
        .undo(&mut s)
        .map(|edits| change_of(&Edit::Batch(edits)).0);
    assert_eq!(undone, Some(Change::Channel));
    assert_eq!(s.channel("kick").and_then(|c| c.gain_db), Some(-2.0));
    assert!(!history.can_undo());
    history.redo(&mut s);
    assert_eq!(s.channel("kick").and_then(|c| c.gain_db), Some(-7.5));
}
