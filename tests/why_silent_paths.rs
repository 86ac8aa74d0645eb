//! "Why is this silent?" on sabotaged sessions: the answer names each place
//! the signal stops (with a fix that reopens it) and each path it still
//! gets through, and never calls a channel silent that the engine hears —
//! checked against an offline render of the same session.

mod common;

use std::path::Path;

use auxbus::graph::{Hearing, Listen, StopKind, Verdict, hearing};
use auxbus::render::{RenderOptions, measure_session};
use auxbus::session::{self, Edit, Session};
use common::{Fixture, sabotage};
use serde_json::Value;

fn parse(v: &Value) -> Session {
    session::parse(&v.to_string(), Path::new("sabotage.json")).expect("valid session")
}

const MONO: [&str; 2] = ["kick", "lead"];

fn hear_with(s: &Session, id: &str, offline: &[&str], pairs: Option<usize>) -> Hearing {
    let offline: Vec<String> = offline.iter().map(|x| x.to_string()).collect();
    let mono = |id: &str| MONO.contains(&id);
    hearing(
        s,
        id,
        &Listen {
            offline: &offline,
            mono: &mono,
            device_pairs: pairs,
            level: None,
        },
    )
    .expect("channel")
}

fn hear(s: &Session, id: &str) -> Hearing {
    hear_with(s, id, &[], None)
}

fn open(s: &Session, h: &Hearing) -> Vec<String> {
    h.open().map(|p| p.describe(s)).collect()
}

/// The stop whose text contains `needle`, with its fix applied to `s`.
fn fixed(s: &Session, h: &Hearing, needle: &str) -> (Session, Edit) {
    let stop = h
        .stops
        .iter()
        .find(|x| x.text.contains(needle))
        .unwrap_or_else(|| panic!("no stop {needle:?} in {:?}", h.stops));
    let fix = stop
        .fix
        .clone()
        .unwrap_or_else(|| panic!("no fix for {needle:?}"));
    let mut after = s.clone();
    fix.edit.clone().apply(&mut after).expect("the fix applies");
    (after, fix.edit)
}

#[test]
fn a_muted_bus_stops_the_dry_path_but_the_sends_are_still_heard() {
    let s = parse(&sabotage::muted_bus_with_live_sends());
    let h = hear(&s, "snare");
    assert_eq!(h.verdict, Verdict::Heard, "Snare is heard through Delay");
    assert_eq!(open(&s, &h), ["Snare → Delay → Master"]);
    let (after, edit) = fixed(&s, &h, "it feeds \"Drum Bus\", which is muted");
    assert_eq!(
        edit,
        Edit::Mute {
            channel: "drums".into(),
            on: false
        }
    );
    assert!(open(&after, &hear(&after, "snare")).contains(&"Snare → Drum Bus → Master".into()));
    let kick = hear(&s, "kick");
    assert_eq!(
        open(&s, &kick),
        ["Kick → Crush → Master", "Kick → Headphones → outputs 3–4"]
    );
}

#[test]
fn an_unrouted_track_is_heard_through_its_aux() {
    let s = parse(&sabotage::unrouted_track_heard_through_an_aux());
    let h = hear(&s, "pad");
    assert_eq!(h.verdict, Verdict::Heard);
    assert_eq!(open(&s, &h), ["Pad → Reverb → Master"]);
    let (after, edit) = fixed(&s, &h, "heard only through its sends");
    assert_eq!(
        edit,
        Edit::Output {
            channel: "pad".into(),
            output: Some("master".into())
        }
    );
    assert_eq!(hear(&after, "pad").paths.len(), 2);
}

#[test]
fn a_headphone_aux_on_outputs_3_4_is_heard_there() {
    let s = parse(&sabotage::headphones_on_outputs_3_4());
    let h = hear(&s, "phones");
    assert_eq!(h.verdict, Verdict::Heard);
    assert!(h.stops.is_empty(), "{:?}", h.stops);
    assert_eq!(open(&s, &h), ["Headphones → outputs 3–4"]);
    let lead = hear(&s, "lead");
    assert!(open(&s, &lead).contains(&"Lead → Master".into()));
    assert!(open(&s, &lead).contains(&"Lead → Headphones → outputs 3–4".into()));
    // On a device with outputs 1–2 only, that is where it stops.
    let h = hear_with(&s, "phones", &[], Some(0));
    assert_eq!(h.verdict, Verdict::Silent);
    assert!(
        h.stops[0]
            .text
            .contains("outputs 3–4, which this audio device does not have")
    );
    assert!(matches!(h.stops[0].kind, StopKind::NoDevice(1)));
}

#[test]
fn a_vca_at_minus_inf_stops_the_fader_paths_not_the_pre_fader_send() {
    let s = parse(&sabotage::vca_at_minus_inf());
    let kick = hear(&s, "kick");
    assert_eq!(kick.verdict, Verdict::Heard, "the cue mix still gets Kick");
    assert_eq!(open(&s, &kick), ["Kick → Headphones → outputs 3–4"]);
    let (after, edit) = fixed(&s, &kick, "a VCA it belongs to (\"Drums VCA\") is at -inf");
    assert_eq!(
        edit,
        Edit::VcaGain {
            vca: "vdrums".into(),
            db: Some(0.0)
        }
    );
    assert_eq!(hear(&after, "kick").open().count(), 3);
    let snare = hear(&s, "snare");
    assert_eq!(
        snare.verdict,
        Verdict::Silent,
        "every Snare path follows its fader"
    );
    assert!(snare.blocked.iter().all(|b| !b.is_empty()));
}

#[test]
fn a_solo_that_hides_a_return_names_it_and_offers_solo_safe() {
    let s = parse(&sabotage::solo_hides_a_return());
    let kick = hear(&s, "kick");
    assert_eq!(kick.verdict, Verdict::Heard);
    assert!(open(&s, &kick).contains(&"Kick → Drum Bus → Master".into()));
    let (after, edit) = fixed(
        &s,
        &kick,
        "it feeds \"Crush\", which is muted because Drum Bus is soloed",
    );
    assert_eq!(
        edit,
        Edit::SoloSafe {
            channel: "crush".into(),
            on: true
        }
    );
    assert!(open(&after, &hear(&after, "kick")).contains(&"Kick → Crush → Master".into()));
    let pad = hear(&s, "pad");
    assert_eq!(pad.verdict, Verdict::Silent);
    let (after, _) = fixed(&s, &pad, "it is muted because Drum Bus is soloed");
    assert_eq!(
        hear(&after, "pad").verdict,
        Verdict::Heard,
        "clearing the solo"
    );
}

#[test]
fn a_send_at_minus_inf_is_a_stop_and_the_rest_is_heard() {
    let s = parse(&sabotage::send_at_minus_inf());
    let h = hear(&s, "lead");
    assert_eq!(h.verdict, Verdict::Heard);
    assert_eq!(
        open(&s, &h),
        ["Lead → Master", "Lead → Headphones → outputs 3–4"]
    );
    let (after, edit) = fixed(&s, &h, "its send to \"Room\" is at -inf");
    assert_eq!(
        edit,
        Edit::SendLevel {
            channel: "lead".into(),
            aux: "room".into(),
            db: Some(-12.0)
        }
    );
    assert_eq!(hear(&after, "lead").open().count(), 3);
}

#[test]
fn an_offline_source_is_silent_everywhere() {
    let s = parse(&sabotage::offline_source());
    let h = hear_with(&s, "pad", &["pad"], None);
    assert_eq!(h.verdict, Verdict::Silent);
    assert!(h.stops[0].text.contains("missing-pad.wav"));
    assert!(h.blocked.iter().all(|b| b.contains(&0)));
}

#[test]
fn live_levels_tell_quiet_from_heard_and_show_signal_going_nowhere() {
    let mut v = sabotage::base();
    v["channels"][9]["output"] = Value::Null; // the headphone aux, unrouted
    let s = parse(&v);
    let level = |id: &str, _: Option<&str>| (id == "phones").then_some(-12.0);
    let mono = |_: &str| false;
    let listen = Listen {
        offline: &[],
        mono: &mono,
        device_pairs: Some(1),
        level: Some(&level),
    };
    let h = hearing(&s, "phones", &listen).expect("phones");
    assert_eq!(h.verdict, Verdict::Silent);
    let stop = &h.stops[0];
    assert!(
        stop.text.contains("its meter shows -12 dB, heard nowhere"),
        "{}",
        stop.text
    );
    // A cue mix fed by pre-fader sends wants the device outputs back.
    assert_eq!(
        stop.fix.as_ref().map(|f| &f.edit),
        Some(&Edit::Output {
            channel: "phones".into(),
            output: Some("hw:3-4".into())
        })
    );
    // Lead's paths are open, but its meter shows nothing right now.
    assert_eq!(
        hearing(&s, "lead", &listen).map(|h| h.verdict),
        Some(Verdict::Quiet)
    );
}

/// The engine's measurement and the reasoning agree on every channel of
/// every sabotaged session: whatever the render hears anywhere (the master
/// or other device outputs) is never called silent, and whatever is called
/// heard is heard.
#[test]
fn no_audible_channel_is_ever_called_silent() {
    let f = Fixture::new();
    sabotage::write_sources(&f);
    for (name, v) in sabotage::all() {
        let path = f.session("s.json", &v);
        let s = session::load(&path).expect("load");
        let m = measure_session(&s, &path, &RenderOptions::default()).expect("render");
        let offline: Vec<String> = m.offline.iter().map(|(id, _)| id.clone()).collect();
        let mono = |id: &str| m.mono.iter().any(|x| x == id);
        let r = &m.report;
        // The render's own meters as the live levels: each channel's
        // output, and what each send delivered.
        let level = |id: &str, aux: Option<&str>| {
            let energy = match aux {
                None => {
                    let pos = r.channel_ids.iter().position(|c| c == id)?;
                    f64::from(r.meters.channels[pos].rms_mono()).powi(2)
                }
                Some(aux) => {
                    let k = r.send_ids.iter().position(|(a, b)| a == id && b == aux)?;
                    r.meters.sends[k]
                }
            };
            (energy > 1e-12).then(|| 10.0 * energy.log10() as f32)
        };
        let listen = Listen {
            offline: &offline,
            mono: &mono,
            device_pairs: None,
            level: Some(&level),
        };
        for (pos, id) in m.report.channel_ids.iter().enumerate() {
            let energy: f64 = m.report.meters.reach[pos].iter().sum();
            let heard = energy > 1e-9;
            let h = hearing(&s, id, &listen).expect("channel");
            assert_eq!(
                h.verdict == Verdict::Heard,
                heard,
                "{name}: {id} is {:?} but the render measured {energy:e}",
                h.verdict
            );
        }
    }
}
