//! Autosave and crash recovery through the console's one reducer: an edit
//! makes a recovery copy appear within the stated time (on an injected
//! clock, so nothing sleeps); a console started after a crash offers it,
//! shows what differs, and restores it with its undo history without
//! touching either file until asked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use auxbus::session::{self, Channel, ChannelKind, Edit, RecoveryStore, Session};
use auxbus::ui::autosave::{Autosave, MAX_INTERVAL, ManualClock, QUIET};
use auxbus::ui::{Action, ConsoleApp, RecordingPort};

/// A process id above the kernel's maximum (2^22): a console that is gone.
const DEAD_PID: u32 = 4_194_399;
/// One console frame at the idle rate (the console wakes twice a second).
const FRAME: Duration = Duration::from_millis(500);

struct Setup {
    _dir: tempfile::TempDir,
    session: PathBuf,
    store_dir: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = Session::new(48_000);
    s.channels.push(Channel::new("drums", ChannelKind::Bus));
    let session = dir.path().join("mix.json");
    session::save(&s, &session).expect("save");
    let store_dir = dir.path().join("state/auxbus/recovery");
    Setup {
        _dir: dir,
        session,
        store_dir,
    }
}

/// A console on `path` whose autosave writes as process `pid`.
fn console(path: Option<&Path>, store: RecoveryStore) -> (ConsoleApp, ManualClock) {
    let s = match path {
        Some(p) => session::load(p).expect("load"),
        None => Session::new(48_000),
    };
    let mut app = ConsoleApp::new(
        s,
        path.map(Path::to_owned),
        Box::new(RecordingPort::default()),
    );
    let clock = ManualClock::default();
    app.autosave = Some(Autosave::new(store, Box::new(clock.clone())));
    (app, clock)
}

fn gain(channel: &str, db: f32) -> Action {
    Action::Edit(Edit::Gain {
        channel: channel.into(),
        db: Some(db),
    })
}

fn copy_of(app: &ConsoleApp) -> Option<PathBuf> {
    app.autosave
        .as_ref()
        .and_then(|a| a.last_file.clone())
        .filter(|f| f.exists())
}

/// Runs frames for `span` of clock time; returns when the copy appeared.
fn frames_until_copy(
    app: &mut ConsoleApp,
    clock: &ManualClock,
    span: Duration,
) -> Option<Duration> {
    let mut t = Duration::ZERO;
    while t <= span {
        app.tick(0.5);
        if copy_of(app).is_some() {
            return Some(t);
        }
        clock.advance(FRAME);
        t += FRAME;
    }
    None
}

#[test]
fn a_recovery_copy_appears_after_a_quiet_spell_and_is_a_valid_session() {
    let su = setup();
    let store = RecoveryStore::with_pid(su.store_dir.clone(), DEAD_PID);
    let (mut app, clock) = console(Some(&su.session), store);
    app.tick(0.5);
    assert!(copy_of(&app).is_none(), "nothing to save before an edit");
    app.dispatch(gain("drums", -6.0));
    let after = frames_until_copy(&mut app, &clock, Duration::from_secs(10)).expect("a copy");
    eprintln!("recovery copy written {after:?} after the edit (QUIET = {QUIET:?})");
    assert!(after >= QUIET && after <= QUIET + FRAME, "{after:?}");
    let file = copy_of(&app).expect("copy");
    assert!(
        file.starts_with(&su.store_dir),
        "in the state folder: {}",
        file.display()
    );
    let copy = session::load(&file).expect("the copy is a valid session");
    assert_eq!(copy.channel("drums").and_then(|c| c.gain_db), Some(-6.0));
    let saved = session::load(&su.session).expect("load");
    assert_eq!(
        saved.channel("drums").and_then(|c| c.gain_db),
        Some(0.0),
        "the session file itself is untouched"
    );
    // Saving removes the copy.
    app.dispatch(Action::Save);
    app.tick(0.5);
    assert!(!file.exists(), "saved: the copy is gone");
}

#[test]
fn edits_that_never_pause_are_still_written_every_30_s() {
    let su = setup();
    let store = RecoveryStore::with_pid(su.store_dir.clone(), DEAD_PID);
    let (mut app, clock) = console(Some(&su.session), store);
    let mut t = Duration::ZERO;
    let mut written = None;
    // A fader ride: an edit every second, never a quiet spell.
    while t < Duration::from_secs(45) && written.is_none() {
        app.dispatch(gain("drums", -(t.as_secs() as f32 % 20.0)));
        for _ in 0..2 {
            app.tick(0.5);
            if copy_of(&app).is_some() {
                written = Some(t);
                break;
            }
            clock.advance(FRAME);
            t += FRAME;
        }
    }
    let t = written.expect("written while edits kept coming");
    eprintln!("during continuous edits the copy was written after {t:?}");
    assert!(t <= MAX_INTERVAL + FRAME, "{t:?}");
}

#[test]
fn a_restarted_console_offers_the_copy_and_restores_it_with_its_undo_history() {
    let su = setup();
    // The console that will "crash".
    let store = RecoveryStore::with_pid(su.store_dir.clone(), DEAD_PID);
    let (mut gone, clock) = console(Some(&su.session), store);
    gone.dispatch(gain("drums", -6.0));
    gone.dispatch(Action::AddChannel(ChannelKind::Aux));
    assert!(frames_until_copy(&mut gone, &clock, Duration::from_secs(10)).is_some());
    let old_copy = copy_of(&gone).expect("copy");
    std::mem::forget(gone); // killed: nothing runs on the way out

    let before = std::fs::read(&su.session).expect("read");
    let (mut app, _clock) = console(Some(&su.session), RecoveryStore::new(su.store_dir.clone()));
    app.offer_recovery();
    assert_eq!(app.recovery.offers.len(), 1, "the copy is offered");
    let shown = &app.recovery.offers[0].differences;
    assert!(
        shown
            .iter()
            .any(|l| l.contains("\"drums\": gain_db 0.0 → -6.0")),
        "{shown:?}"
    );
    assert!(shown.iter().any(|l| l.contains("added")), "{shown:?}");
    assert_eq!(
        std::fs::read(&su.session).expect("read"),
        before,
        "offering writes nothing"
    );
    assert!(old_copy.exists(), "offering deletes nothing");

    app.dispatch(Action::Recover(0));
    let s = app.doc.session();
    assert_eq!(s.channel("drums").and_then(|c| c.gain_db), Some(-6.0));
    assert_eq!(s.channels.len(), 3);
    assert!(
        app.doc.dirty(),
        "restored work is unsaved until the user saves"
    );
    assert_eq!(app.doc.path.as_deref(), Some(su.session.as_path()));
    assert_eq!(
        std::fs::read(&su.session).expect("read"),
        before,
        "the session file is untouched"
    );
    assert!(
        !old_copy.exists(),
        "the old copy is replaced by this console's"
    );
    assert!(
        copy_of(&app).is_some(),
        "this console's copy holds the restored work"
    );
    // The undo history came along: two undos give back the saved session.
    app.dispatch(Action::Undo);
    assert_eq!(app.doc.session().channels.len(), 2);
    app.dispatch(Action::Undo);
    assert_eq!(
        app.doc.session().channel("drums").and_then(|c| c.gain_db),
        Some(0.0)
    );
}

#[test]
fn untitled_work_is_recovered_too_and_discarding_asks_first() {
    let su = setup();
    let store = RecoveryStore::with_pid(su.store_dir.clone(), DEAD_PID);
    let (mut gone, clock) = console(None, store);
    gone.dispatch(Action::AddChannel(ChannelKind::Bus));
    assert!(frames_until_copy(&mut gone, &clock, Duration::from_secs(10)).is_some());
    let copy = copy_of(&gone).expect("copy");
    std::mem::forget(gone);

    // A console opened on some other session still offers untitled work.
    let (mut app, _) = console(Some(&su.session), RecoveryStore::new(su.store_dir.clone()));
    app.offer_recovery();
    assert_eq!(app.recovery.offers.len(), 1);
    assert!(app.recovery.offers[0].title.contains("untitled"));
    app.dispatch(Action::PostponeRecovery);
    assert!(copy.exists(), "later keeps the copy");
    app.offer_recovery();
    app.dispatch(Action::DiscardRecovery(0));
    assert!(!copy.exists(), "discard deletes it, when asked");
    assert!(app.recovery.offers.is_empty());
}

#[test]
fn a_copy_older_than_the_session_file_is_not_offered() {
    let su = setup();
    let store = RecoveryStore::with_pid(su.store_dir.clone(), DEAD_PID);
    let (mut gone, clock) = console(Some(&su.session), store);
    gone.dispatch(gain("drums", -3.0));
    assert!(frames_until_copy(&mut gone, &clock, Duration::from_secs(10)).is_some());
    let copy = copy_of(&gone).expect("copy");
    std::mem::forget(gone);
    // The copy dates from a minute before the session file was last saved.
    let earlier = std::time::SystemTime::now() - Duration::from_secs(60);
    let f = std::fs::File::options()
        .write(true)
        .open(&copy)
        .expect("open");
    f.set_modified(earlier).expect("set time");
    let (mut app, _) = console(Some(&su.session), RecoveryStore::new(su.store_dir.clone()));
    app.offer_recovery();
    assert!(
        app.recovery.offers.is_empty(),
        "saved since: nothing to recover"
    );
}
