//! "Why is this silent?" produces each reason for a session built to cause it.

use auxbus::graph::why_silent;
use auxbus::session::{self, Channel, ChannelKind, Send, Session, Vca};

fn track(id: &str, out: Option<&str>) -> Channel {
    let mut c = Channel::new(id, ChannelKind::Track);
    c.source = Some(format!("{id}.wav"));
    c.output = out.map(str::to_owned);
    c
}

/// kick → drums (bus) → master, plus an aux and a second track.
fn base() -> Session {
    let mut s = Session::new(48_000);
    s.channels.extend([
        track("kick", Some("drums")),
        track("vox", Some("master")),
        Channel::new("drums", ChannelKind::Bus),
        Channel::new("fx", ChannelKind::Aux),
    ]);
    ch(&mut s, "drums").name = "Drum Bus".into();
    session::validate(&s).expect("valid");
    s
}

fn ch<'a>(s: &'a mut Session, id: &str) -> &'a mut Channel {
    s.channels.iter_mut().find(|c| c.id == id).expect("channel")
}

fn reasons(s: &Session, id: &str, offline: &[&str]) -> Vec<String> {
    let offline: Vec<String> = offline.iter().map(|o| o.to_string()).collect();
    why_silent(s, id, &offline)
}

fn has(rs: &[String], needle: &str) -> bool {
    rs.iter().any(|r| r.contains(needle))
}

#[test]
fn a_healthy_channel_has_no_reasons() {
    assert!(reasons(&base(), "kick", &[]).is_empty());
}

#[test]
fn each_reason_for_a_session_that_causes_it() {
    let mut s = base();
    ch(&mut s, "kick").mute = true;
    assert!(has(&reasons(&s, "kick", &[]), "it is muted"));

    let mut s = base();
    ch(&mut s, "vox").solo = true;
    assert!(has(
        &reasons(&s, "kick", &[]),
        "muted because vox is soloed"
    ));

    let mut s = base();
    ch(&mut s, "kick").output = None;
    assert!(has(&reasons(&s, "kick", &[]), "no route to the master"));

    let mut s = base();
    ch(&mut s, "kick").gain_db = None;
    assert!(has(&reasons(&s, "kick", &[]), "its fader is at -inf"));

    let mut s = base();
    ch(&mut s, "kick").output = None;
    ch(&mut s, "kick").sends = vec![Send {
        to: "fx".into(),
        level_db: None,
        pre_fader: false,
    }];
    assert!(has(&reasons(&s, "kick", &[]), "every send is at -inf"));

    let mut s = base();
    s.vcas.push(Vca {
        id: "v".into(),
        name: "Drums".into(),
        gain_db: Some(0.0),
        mute: true,
        members: vec!["kick".into()],
    });
    assert!(has(&reasons(&s, "kick", &[]), "the VCA \"Drums\" is muted"));

    let s = base();
    assert!(has(
        &reasons(&s, "kick", &["kick"]),
        "audio file cannot be played"
    ));

    let mut s = base();
    ch(&mut s, "drums").mute = true;
    assert!(has(
        &reasons(&s, "kick", &[]),
        "it feeds \"Drum Bus\", which is muted"
    ));

    let mut s = base();
    ch(&mut s, "master").gain_db = None;
    assert!(has(
        &reasons(&s, "kick", &[]),
        "the master has its fader at -inf"
    ));
}
