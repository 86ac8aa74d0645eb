//! Sessions built to be misunderstood: a small drum-and-vocal mix, and one
//! sabotage each (a muted bus with live sends, an unrouted track heard only
//! through an aux, a headphone aux on outputs 3–4, a VCA at −inf, a solo
//! hiding a return that is not solo-safe, a send at −inf, an offline
//! source). Shared by the why-silent and `auxbus explain` tests.
//!
//! ```text
//!  kick (mono) ─► drums ─► master      kick ─post─► crush (compressor: parallel)
//!  snare ──────► drums                 kick ─pre──► phones ─► outputs 3–4
//!  pad ────────► master                snare ─post─► delay (delay: wet)
//!  lead (mono) ► master                pad ─post─► verb, lead ─post─► room (reverbs)
//!  VCA "Drums VCA": kick, snare        lead ─pre──► phones
//! ```
#![allow(dead_code)]

use serde_json::{Value, json};

use super::Fixture;

/// The sources of `base()`: distinct sines, so no two cancel.
pub fn write_sources(f: &Fixture) {
    f.sine("kick.wav", 110.0, 0.5, 1, 48_000, 1.0);
    f.sine("snare.wav", 330.0, 0.3, 2, 48_000, 1.0);
    f.sine("pad.wav", 520.0, 0.2, 2, 48_000, 1.0);
    f.sine("lead.wav", 880.0, 0.3, 1, 48_000, 1.0);
}

/// Each return has one source, so every part of every channel can be
/// checked against a render of that part alone (a shared reverb's output
/// is shared out by what each source sent: see `engine::ledger`).
pub fn base() -> Value {
    json!({
        "format": "auxbus-session", "version": 1, "sample_rate": 48000,
        "channels": [
            {"id": "kick", "name": "Kick", "kind": "track", "source": "kick.wav", "output": "drums",
             "sends": [{"to": "crush", "level_db": -6.0}, {"to": "phones", "level_db": -6.0, "pre_fader": true}]},
            {"id": "snare", "name": "Snare", "kind": "track", "source": "snare.wav", "output": "drums",
             "gain_db": -2.0, "sends": [{"to": "delay", "level_db": -10.0}]},
            {"id": "pad", "name": "Pad", "kind": "track", "source": "pad.wav", "gain_db": -3.0,
             "sends": [{"to": "verb", "level_db": -10.0}]},
            {"id": "lead", "name": "Lead", "kind": "track", "source": "lead.wav",
             "sends": [{"to": "room", "level_db": -8.0}, {"to": "phones", "level_db": -3.0, "pre_fader": true}]},
            {"id": "drums", "name": "Drum Bus", "kind": "bus", "gain_db": -3.0},
            {"id": "crush", "name": "Crush", "kind": "aux", "gain_db": -6.0,
             "inserts": [{"type": "compressor", "preset": "Parallel crush"}]},
            {"id": "verb", "name": "Reverb", "kind": "aux", "solo_safe": true,
             "inserts": [{"type": "reverb"}]},
            {"id": "room", "name": "Room", "kind": "aux", "gain_db": -2.0, "solo_safe": true,
             "inserts": [{"type": "reverb"}]},
            {"id": "delay", "name": "Delay", "kind": "aux", "gain_db": -4.0,
             "inserts": [{"type": "delay"}]},
            {"id": "phones", "name": "Headphones", "kind": "aux", "output": "hw:3-4"},
            {"id": "master", "name": "Master", "kind": "master"}
        ],
        "vcas": [{"id": "vdrums", "name": "Drums VCA", "gain_db": 0.0, "members": ["kick", "snare"]}]
    })
}

fn with(f: impl FnOnce(&mut Value)) -> Value {
    let mut v = base();
    f(&mut v);
    v
}

fn ch<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    let channels = v["channels"].as_array_mut().expect("channels");
    channels
        .iter_mut()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no channel {id}"))
}

pub fn muted_bus_with_live_sends() -> Value {
    with(|v| ch(v, "drums")["mute"] = json!(true))
}

pub fn unrouted_track_heard_through_an_aux() -> Value {
    with(|v| ch(v, "pad")["output"] = Value::Null)
}

/// The base already plays its headphone aux on outputs 3–4.
pub fn headphones_on_outputs_3_4() -> Value {
    base()
}

pub fn vca_at_minus_inf() -> Value {
    with(|v| v["vcas"][0]["gain_db"] = Value::Null)
}

/// Soloing the drum bus keeps its members, but not the Crush return they
/// send to (it is not solo-safe).
pub fn solo_hides_a_return() -> Value {
    with(|v| ch(v, "drums")["solo"] = json!(true))
}

pub fn send_at_minus_inf() -> Value {
    with(|v| ch(v, "lead")["sends"][0]["level_db"] = Value::Null)
}

/// The pad's file does not exist.
pub fn offline_source() -> Value {
    with(|v| ch(v, "pad")["source"] = json!("missing-pad.wav"))
}

/// Every sabotage, by name.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        ("muted bus with live sends", muted_bus_with_live_sends()),
        (
            "unrouted track heard through an aux",
            unrouted_track_heard_through_an_aux(),
        ),
        ("headphones on outputs 3-4", headphones_on_outputs_3_4()),
        ("VCA at -inf", vca_at_minus_inf()),
        ("solo hides a return", solo_hides_a_return()),
        ("send at -inf", send_at_minus_inf()),
        ("offline source", offline_source()),
    ]
}
