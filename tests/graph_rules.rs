//! Graph compiler rules that need no audio: processing order, implied mutes,
//! solo-safe, combined VCA gain, and loop messages.

use auxbus::graph::{self, FeedInfo, Mute};
use auxbus::session::{self, Channel, ChannelKind, Send, Session, SessionError, Vca};

fn track(id: &str, out: Option<&str>) -> Channel {
    let mut c = Channel::new(id, ChannelKind::Track);
    c.source = Some(format!("{id}.wav"));
    c.output = out.map(str::to_owned);
    c
}

fn stereo_feeds(id: &str) -> Option<FeedInfo> {
    Some(FeedInfo {
        slot: id.len(),
        channels: 2,
    })
}

#[test]
fn feeders_come_before_what_they_feed() {
    let mut s = Session::new(48_000);
    // Declared in the "wrong" order on purpose.
    let mut bus = Channel::new("rhythm", ChannelKind::Bus);
    bus.output = Some("master".into());
    let mut drums = Channel::new("drums", ChannelKind::Bus);
    drums.output = Some("rhythm".into());
    let mut kick = track("kick", Some("drums"));
    kick.sends = vec![Send {
        to: "verb".into(),
        level_db: Some(-6.0),
        pre_fader: false,
    }];
    s.channels
        .extend([bus, drums, Channel::new("verb", ChannelKind::Aux), kick]);
    let plan = graph::compile(&s, &stereo_feeds).expect("valid");
    let pos = |id: &str| plan.position(id).expect("present");
    assert!(
        pos("kick") < pos("drums") && pos("drums") < pos("rhythm") && pos("rhythm") < pos("master")
    );
    assert!(pos("kick") < pos("verb") && pos("verb") < pos("master"));
}

#[test]
fn solo_safe_keeps_an_unrelated_aux_unmuted() {
    let mut s = Session::new(48_000);
    let mut a = track("a", Some("master"));
    a.solo = true;
    let mut fx = Channel::new("fx", ChannelKind::Aux);
    fx.solo_safe = true;
    s.channels.extend([
        a,
        track("b", Some("master")),
        fx,
        Channel::new("other", ChannelKind::Aux),
    ]);
    graph::compile(&s, &stereo_feeds).expect("valid");
    let solo_muted = graph::implied_mutes(&s);
    let muted = |id: &str| {
        let i = s.channel_index(id).expect("present");
        graph::channel_gains(&s, i, false, solo_muted[i]).muted
    };
    assert_eq!(muted("a"), Mute::No);
    assert_eq!(muted("master"), Mute::No, "downstream of a solo stays");
    assert_eq!(muted("b"), Mute::Solo);
    assert_eq!(muted("fx"), Mute::No, "solo-safe is never implicitly muted");
    assert_eq!(
        muted("other"),
        Mute::Solo,
        "without solo-safe the same aux is muted"
    );
}

#[test]
fn vca_gain_adds_to_the_fader_and_own_mute_wins() {
    let mut s = Session::new(48_000);
    let mut t = track("t", Some("master"));
    t.gain_db = Some(-4.0);
    s.channels.push(t);
    s.vcas.push(Vca {
        id: "v".into(),
        name: String::new(),
        gain_db: Some(-2.5),
        mute: false,
        members: vec!["t".into()],
    });
    s.vcas.push(Vca {
        id: "w".into(),
        name: String::new(),
        gain_db: Some(1.0),
        mute: false,
        members: vec!["t".into()],
    });
    let g = graph::channel_gains(&s, 1, false, false);
    assert_eq!(g.combined_db, Some(-5.5));
    assert!((g.out[0] - 10f32.powf(-5.5 / 20.0)).abs() < 1e-6);
    s.vcas[0].mute = true;
    assert_eq!(graph::channel_gains(&s, 1, false, false).muted, Mute::Vca);
    assert_eq!(graph::channel_gains(&s, 1, false, false).out, [0.0, 0.0]);
}

#[test]
fn loops_name_their_path_and_self_routes_are_loops() {
    let mut s = Session::new(48_000);
    let mut a = Channel::new("a", ChannelKind::Bus);
    a.output = Some("b".into());
    let mut b = Channel::new("b", ChannelKind::Bus);
    b.output = Some("c".into());
    let mut c = Channel::new("c", ChannelKind::Bus);
    c.output = Some("a".into());
    s.channels.extend([a, b, c]);
    let err = session::validate(&s).expect_err("a loop");
    assert!(matches!(err, SessionError::RoutingLoop { .. }));
    assert_eq!(err.to_string(), "routing loop: a → b → c → a");
    s.channels[3].output = Some("c".into());
    assert_eq!(
        session::validate(&s).expect_err("self").to_string(),
        "routing loop: c → c"
    );
}

#[test]
fn save_then_load_gives_the_same_session() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("s.json");
    let mut s = Session::new(44_100);
    s.pan_law_db = -4.5;
    let mut t = track("t", None);
    t.gain_db = None;
    t.sends = vec![Send {
        to: "fx".into(),
        level_db: None,
        pre_fader: true,
    }];
    s.channels.extend([t, Channel::new("fx", ChannelKind::Aux)]);
    s.vcas.push(Vca {
        id: "v".into(),
        name: "V".into(),
        gain_db: Some(-1.0),
        mute: true,
        members: vec!["t".into()],
    });
    session::save(&s, &path).expect("save");
    let back = session::load(&path).expect("load");
    assert_eq!(back, s);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}
