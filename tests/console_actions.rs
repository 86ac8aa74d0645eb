//! Every user intent travels one road: `ConsoleApp::dispatch`. These tests
//! drive each kind of action through it (no window needed) and check that
//! whatever edits the document can be undone exactly and redone, that the
//! audio side hears of it, and that an observer sees every action.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use auxbus::graph::Change;
use auxbus::session::effects::{EffectKind, Insert};
use auxbus::session::{self, ChannelKind, Edit, LinkGroup, Scene, Send, Session};
use auxbus::ui::{
    Action, ActionObserver, ConsoleApp, Dialog, Document, Page, Pending, RecordingPort,
    SceneAction, Transport,
};

/// The demo with two stored scenes that differ from its mix ("Verse": the
/// kick at -6 dB; "Chorus": the snare muted), both recalled before, so that
/// A/B has two scenes to switch between.
fn demo() -> (ConsoleApp, RecordingPort) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    let mut s = session::load(&path).expect("demo loads");
    let mut verse = Scene::capture(&s, "Verse");
    verse.channels.get_mut("kick").expect("kick").gain_db = Some(-6.0);
    let mut chorus = Scene::capture(&s, "Chorus");
    chorus.channels.get_mut("snare").expect("snare").mute = true;
    s.scenes = vec![verse, chorus];
    let port = RecordingPort::default();
    let mut app = ConsoleApp::new(s, Some(path), Box::new(port.clone()));
    app.shell.scenes.recent = vec!["Verse".into(), "Chorus".into()];
    (app, port)
}

fn empty_scene(name: &str) -> Scene {
    Scene {
        name: name.into(),
        channels: Default::default(),
        vcas: Default::default(),
    }
}

fn session(app: &ConsoleApp) -> Session {
    app.doc.session().clone()
}

/// One action of every kind that edits the document. The match in
/// `document_kind` has no wildcard, so a new kind of edit or action fails
/// to compile until it is added here.
fn document_actions() -> Vec<Action> {
    let eq = Insert::new(EffectKind::Eq.default_params(false));
    let mut bypassed = Insert::new(EffectKind::Compressor.default_params(false));
    bypassed.bypass = true;
    let e = |edit| Action::Edit(edit);
    vec![
        e(Edit::Gain {
            channel: "kick".into(),
            db: Some(-9.0),
        }),
        e(Edit::Trim {
            channel: "kick".into(),
            db: 3.0,
        }),
        e(Edit::Pan {
            channel: "bass".into(),
            pan: -0.5,
        }),
        e(Edit::Mute {
            channel: "snare".into(),
            on: true,
        }),
        e(Edit::Solo {
            channel: "lead".into(),
            on: true,
        }),
        e(Edit::SoloSafe {
            channel: "bass".into(),
            on: true,
        }),
        e(Edit::Rename {
            channel: "pad".into(),
            name: "Strings".into(),
        }),
        e(Edit::Output {
            channel: "bass".into(),
            output: Some("drums".into()),
        }),
        e(Edit::SendLevel {
            channel: "pad".into(),
            aux: "verb".into(),
            db: Some(-3.0),
        }),
        e(Edit::SendPreFader {
            channel: "pad".into(),
            aux: "verb".into(),
            pre: true,
        }),
        e(Edit::AddSend {
            channel: "bass".into(),
            send: Send::new("verb"),
            index: None,
        }),
        e(Edit::RemoveSend {
            channel: "lead".into(),
            aux: "delay".into(),
        }),
        e(Edit::AddChannel {
            index: 0,
            channel: auxbus::session::Channel::new("spare", ChannelKind::Bus),
        }),
        e(Edit::RemoveChannel { id: "pluck".into() }),
        e(Edit::MoveChannel { from: 0, to: 2 }),
        e(Edit::VcaGain {
            vca: "vca_drums".into(),
            db: Some(-6.0),
        }),
        e(Edit::VcaMute {
            vca: "vca_drums".into(),
            on: true,
        }),
        e(Edit::VcaMembers {
            vca: "vca_drums".into(),
            members: vec!["kick".into()],
        }),
        e(Edit::AddVca {
            index: 0,
            vca: auxbus::session::Vca {
                id: "v2".into(),
                name: "Keys".into(),
                gain_db: Some(0.0),
                mute: false,
                members: vec!["pad".into()],
            },
        }),
        e(Edit::RemoveVca {
            id: "vca_drums".into(),
        }),
        e(Edit::PanLaw { db: -6.0 }),
        e(Edit::Tempo { bpm: 96.0 }),
        e(Edit::SampleRate { rate: 44_100 }),
        e(Edit::SetInsert {
            channel: "drums".into(),
            index: 0,
            insert: bypassed,
        }),
        e(Edit::AddInsert {
            channel: "bass".into(),
            index: 0,
            insert: eq,
        }),
        e(Edit::RemoveInsert {
            channel: "crush".into(),
            index: 1,
        }),
        e(Edit::MoveInsert {
            channel: "crush".into(),
            from: 0,
            to: 1,
        }),
        e(Edit::AddGroup {
            index: 0,
            group: LinkGroup {
                id: "g2".into(),
                name: "Rhythm".into(),
                members: vec!["snare".into(), "hats".into()],
                link_mute: true,
                link_solo: false,
                link_sends: false,
            },
        }),
        e(Edit::RemoveGroup {
            id: "harmony".into(),
        }),
        e(Edit::SetGroup {
            group: LinkGroup {
                id: "harmony".into(),
                name: "Harmony".into(),
                members: vec!["pad".into()],
                link_mute: false,
                link_solo: true,
                link_sends: true,
            },
        }),
        e(Edit::Batch(vec![
            Edit::Mute {
                channel: "kick".into(),
                on: true,
            },
            Edit::Gain {
                channel: "hats".into(),
                db: None,
            },
        ])),
        Action::EditAlone(Edit::Gain {
            channel: "pad".into(),
            db: Some(-20.0),
        }),
        Action::AddTrack(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/kick.flac")),
        Action::AddChannel(ChannelKind::Aux),
        Action::AddVca,
        Action::RemoveChannel("verb".into()),
        Action::RemoveVca("vca_drums".into()),
        Action::MoveChannel("snare".into(), 1),
        e(Edit::AddScene {
            index: 0,
            scene: empty_scene("Bridge"),
        }),
        e(Edit::RemoveScene {
            name: "Verse".into(),
        }),
        e(Edit::SetScene {
            name: "Verse".into(),
            scene: empty_scene("Verse 2"),
        }),
        Action::Scene(SceneAction::Store("Bridge".into())),
        Action::Scene(SceneAction::Recall("Verse".into())),
        Action::Scene(SceneAction::Toggle),
        Action::Scene(SceneAction::Rename {
            from: "Verse".into(),
            to: "Intro".into(),
        }),
        Action::Scene(SceneAction::Delete("Chorus".into())),
    ]
}

/// The name of a document-editing action's kind; `None` for actions that
/// do not edit the document. Exhaustive on purpose.
fn document_kind(a: &Action) -> Option<&'static str> {
    Some(match a {
        Action::Edit(e) => match e {
            Edit::Gain { .. } => "gain",
            Edit::Trim { .. } => "trim",
            Edit::Pan { .. } => "pan",
            Edit::Mute { .. } => "mute",
            Edit::Solo { .. } => "solo",
            Edit::SoloSafe { .. } => "solo safe",
            Edit::Rename { .. } => "rename",
            Edit::Output { .. } => "output",
            Edit::SendLevel { .. } => "send level",
            Edit::SendPreFader { .. } => "send tap",
            Edit::AddSend { .. } => "add send",
            Edit::RemoveSend { .. } => "remove send",
            Edit::AddChannel { .. } => "add channel",
            Edit::RemoveChannel { .. } => "remove channel",
            Edit::MoveChannel { .. } => "move channel",
            Edit::VcaGain { .. } => "vca gain",
            Edit::VcaMute { .. } => "vca mute",
            Edit::VcaMembers { .. } => "vca members",
            Edit::AddVca { .. } => "add vca",
            Edit::RemoveVca { .. } => "remove vca",
            Edit::PanLaw { .. } => "pan law",
            Edit::Tempo { .. } => "tempo",
            Edit::SampleRate { .. } => "sample rate",
            Edit::SetInsert { .. } => "insert settings",
            Edit::AddInsert { .. } => "add insert",
            Edit::RemoveInsert { .. } => "remove insert",
            Edit::MoveInsert { .. } => "move insert",
            Edit::AddScene { .. } => "add scene",
            Edit::RemoveScene { .. } => "remove scene",
            Edit::SetScene { .. } => "set scene",
            Edit::AddGroup { .. } => "add linked group",
            Edit::RemoveGroup { .. } => "remove linked group",
            Edit::SetGroup { .. } => "linked group settings",
            Edit::Batch(_) => "batch",
        },
        Action::EditAlone(_) => "edit one channel alone",
        Action::Scene(s) => match s {
            SceneAction::Store(_) => "store scene",
            SceneAction::Recall(_) => "recall scene",
            SceneAction::Toggle => "a/b scenes",
            SceneAction::Rename { .. } => "rename scene",
            SceneAction::Delete(_) => "delete scene",
            SceneAction::Show(_) | SceneAction::Select(_) | SceneAction::StartRename(_) => {
                return None;
            }
        },
        Action::AddTrack(_) => "add track",
        Action::AddChannel(_) => "add bus or aux",
        Action::AddVca => "new vca",
        Action::RemoveChannel(_) => "delete channel",
        Action::RemoveVca(_) => "delete vca",
        Action::MoveChannel(..) => "move strip",
        Action::BeginGesture
        | Action::Lesson(_)
        | Action::EndGesture
        | Action::Undo
        | Action::Redo
        | Action::Transport(_)
        | Action::Request(_)
        | Action::DiscardThen(_)
        | Action::SaveThen(_)
        | Action::Save
        | Action::SaveAs(_)
        | Action::Recover(_)
        | Action::DiscardRecovery(_)
        | Action::PostponeRecovery
        | Action::ShowPage(_)
        | Action::ShowDialog(_)
        | Action::CloseDialog
        | Action::OpenEditor(..)
        | Action::CloseEditor(..)
        | Action::ShowWhy(_)
        | Action::ResetClip(_)
        | Action::ResetLoudness
        | Action::ShowMasterSection(_)
        | Action::ShowAnalyser(_)
        | Action::SetSpectrum(_)
        | Action::ResetSpectrumPeaks
        | Action::SetAnalyserSource(_)
        | Action::AbSelect(_)
        | Action::AbListen(_)
        | Action::ShowExport
        | Action::StartExport(_)
        | Action::CancelExport
        | Action::CloseExport
        | Action::SelectRow(..)
        | Action::SelectFlow(_)
        | Action::DismissLoop
        | Action::StartRename(_)
        | Action::EndRename
        | Action::ShowMessage(_)
        | Action::DismissMessage
        | Action::SetAudio(_)
        | Action::SetDark(_)
        | Action::SetNarrow(_)
        | Action::SetMonitoring(_)
        | Action::SetLoopRange(_)
        | Action::SetBars(_)
        | Action::SetZoom(_) => return None,
    })
}

#[test]
fn every_document_action_is_applied_undone_exactly_and_redone() {
    let actions = document_actions();
    let kinds: std::collections::BTreeSet<_> = actions.iter().filter_map(document_kind).collect();
    assert_eq!(kinds.len(), actions.len(), "one action of each kind");
    assert_eq!(kinds.len(), 46, "every kind of edit and document action");
    for action in actions {
        let kind = document_kind(&action).expect("edits the document");
        let (mut app, port) = demo();
        let before = session(&app);
        app.dispatch(action.clone());
        let after = session(&app);
        assert!(after != before, "{kind}: the document changed");
        assert!(app.doc.dirty(), "{kind}: marked unsaved");
        let log = port.log.borrow();
        assert!(
            !log.changes.is_empty() || log.reloads > 0,
            "{kind}: the audio side was told"
        );
        drop(log);
        app.dispatch(Action::Undo);
        assert!(session(&app) == before, "{kind}: undo restores exactly");
        app.dispatch(Action::Redo);
        assert!(session(&app) == after, "{kind}: redo applies it again");
    }
}

#[test]
fn a_refused_edit_changes_nothing_and_says_why() {
    let (mut app, port) = demo();
    let before = session(&app);
    app.dispatch(Action::Edit(Edit::Output {
        channel: "drums".into(),
        output: Some("drums".into()),
    }));
    app.dispatch(Action::Edit(Edit::Gain {
        channel: "kick".into(),
        db: Some(40.0),
    }));
    assert_eq!(session(&app), before);
    assert!(port.log.borrow().changes.is_empty());
    let message = app
        .shell
        .message
        .clone()
        .map(|m| m.text)
        .unwrap_or_default();
    assert!(
        message.contains("gain_db") && message.contains("40"),
        "{message}"
    );
    assert!(!app.doc.can_undo());
}

#[test]
fn a_gesture_is_one_undo_step() {
    let (mut app, _) = demo();
    let before = session(&app);
    app.dispatch(Action::BeginGesture);
    for db in [-2.0, -5.0, -9.5] {
        app.dispatch(Action::Edit(Edit::Gain {
            channel: "bass".into(),
            db: Some(db),
        }));
    }
    app.dispatch(Action::EndGesture);
    app.dispatch(Action::Undo);
    assert_eq!(session(&app), before);
    assert!(!app.doc.can_undo());
}

#[test]
fn the_engine_hears_what_each_edit_means() {
    let (mut app, port) = demo();
    let cases = [
        (
            Edit::Gain {
                channel: "kick".into(),
                db: Some(-1.0),
            },
            (Change::Channel, Some("kick".to_owned())),
        ),
        (Edit::Tempo { bpm: 100.0 }, (Change::AllChannels, None)),
        (
            Edit::Rename {
                channel: "kick".into(),
                name: "BD".into(),
            },
            (Change::None, None),
        ),
        (
            Edit::Output {
                channel: "bass".into(),
                output: Some("drums".into()),
            },
            (Change::Structure, None),
        ),
    ];
    for (edit, expected) in cases {
        app.dispatch(Action::Edit(edit));
        assert_eq!(port.log.borrow().changes.last(), Some(&expected));
    }
    // Undo may touch any channel: the engine refreshes all of them.
    app.dispatch(Action::Undo);
    app.dispatch(Action::Undo);
    app.dispatch(Action::Undo);
    assert_eq!(
        port.log.borrow().changes.last(),
        Some(&(Change::AllChannels, None))
    );
}

#[test]
fn view_and_transport_actions_go_through_the_reducer() {
    let (mut app, port) = demo();
    app.dispatch(Action::Transport(Transport::Play));
    app.dispatch(Action::Transport(Transport::Seek(20.0)));
    app.dispatch(Action::Transport(Transport::Loop(Some((1.0, 5.0)))));
    assert_eq!(
        port.log.borrow().transports,
        [
            Transport::Play,
            Transport::Seek(20.0),
            Transport::Loop(Some((1.0, 5.0)))
        ]
    );
    assert!(app.shell.looping);
    app.dispatch(Action::ShowPage(Page::Matrix));
    assert_eq!(app.shell.page, Page::Matrix);
    app.dispatch(Action::SelectRow("kick".into(), true));
    assert!(app.matrix.selected.contains("kick"));
    app.dispatch(Action::SelectFlow(Some("bass".into())));
    assert_eq!(app.flow.selected.as_deref(), Some("bass"));
    app.dispatch(Action::ShowWhy(Some("pad".into())));
    assert_eq!(app.shell.why.as_deref(), Some("pad"));
    app.dispatch(Action::StartRename("kick".into()));
    assert_eq!(
        app.console.renaming,
        Some(("kick".to_owned(), "Kick".to_owned()))
    );
    app.dispatch(Action::EndRename);
    assert_eq!(app.console.renaming, None);
    app.dispatch(Action::ShowDialog(Dialog::Settings));
    app.dispatch(Action::CloseDialog);
    assert_eq!(app.shell.dialog, None);
    // None of that edited the document.
    assert!(!app.doc.dirty());
    assert!(!app.doc.can_undo());
}

#[test]
fn unsaved_changes_are_asked_about_before_new() {
    let (mut app, _) = demo();
    app.dispatch(Action::Edit(Edit::Mute {
        channel: "kick".into(),
        on: true,
    }));
    app.dispatch(Action::Request(Pending::New));
    assert_eq!(
        app.shell.dialog,
        Some(Dialog::ConfirmDiscard { then: Pending::New })
    );
    assert!(app.doc.session().channel("kick").is_some(), "not yet");
    app.dispatch(Action::DiscardThen(Pending::New));
    assert!(app.doc.session().channel("kick").is_none());
    assert!(!app.doc.dirty());
}

#[test]
fn open_editors_follow_their_insert_after_edits_and_on_undo_and_redo() {
    let (mut app, _) = demo();
    // Crush: compressor, then saturation. Edit the compressor.
    app.dispatch(Action::OpenEditor("crush".into(), 0));
    app.dispatch(Action::Edit(Edit::MoveInsert {
        channel: "crush".into(),
        from: 0,
        to: 1,
    }));
    assert_eq!(app.editors.open, [("crush".to_owned(), 1)]);
    app.dispatch(Action::Undo);
    assert_eq!(app.editors.open, [("crush".to_owned(), 0)], "undo");
    app.dispatch(Action::Redo);
    assert_eq!(app.editors.open, [("crush".to_owned(), 1)], "redo");
    // A refused edit moves nothing.
    app.dispatch(Action::Edit(Edit::MoveInsert {
        channel: "crush".into(),
        from: 0,
        to: 7,
    }));
    assert_eq!(app.editors.open, [("crush".to_owned(), 1)]);
    // Removing the insert closes its editor; undo does not reopen it, but
    // an editor on a later insert shifts back.
    app.dispatch(Action::OpenEditor("crush".into(), 0));
    app.dispatch(Action::Edit(Edit::RemoveInsert {
        channel: "crush".into(),
        index: 0,
    }));
    assert_eq!(app.editors.open, [("crush".to_owned(), 0)]);
    app.dispatch(Action::Undo);
    assert_eq!(app.editors.open, [("crush".to_owned(), 1)]);
}

struct Recorder(Rc<RefCell<Vec<(Action, bool)>>>);

impl ActionObserver for Recorder {
    fn observe(&mut self, action: &Action, doc: &Document) {
        self.0.borrow_mut().push((action.clone(), doc.dirty()));
    }
}

#[test]
fn an_observer_sees_every_action_after_it_was_applied() {
    let (mut app, _) = demo();
    let seen = Rc::new(RefCell::new(Vec::new()));
    app.observe(Box::new(Recorder(seen.clone())));
    let actions = [
        Action::ShowPage(Page::Flow),
        Action::Edit(Edit::Mute {
            channel: "kick".into(),
            on: true,
        }),
        Action::Transport(Transport::Stop),
        Action::Undo,
    ];
    for a in actions.clone() {
        app.dispatch(a);
    }
    let seen = seen.borrow();
    let got: Vec<Action> = seen.iter().map(|(a, _)| a.clone()).collect();
    assert_eq!(got, actions);
    assert!(!seen[0].1 && seen[1].1, "observed after the edit applied");
}
