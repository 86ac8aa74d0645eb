//! Scenes in the document: a recall restores every stored value exactly
//! (as one undo step), lists what it would change value by value, skips
//! and names what no longer exists, and scenes round-trip through the file
//! with every limit checked.

use std::path::Path;

use auxbus::graph::{Change, change_of};
use auxbus::session::effects::params::{
    COMPRESSOR_PARAMS, DELAY_PARAMS, EQ_PARAMS, Param, REVERB_PARAMS, SATURATION_PARAMS,
};
use auxbus::session::effects::{EffectKind, EffectParams, Insert};
use auxbus::session::{self, Edit, History, Scene, Session, recall, recall_scene};

fn demo() -> Session {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    session::load(&path).expect("demo loads")
}

/// Every number of an insert to the other end of its range.
fn twist(insert: &mut Insert) {
    fn all<P>(table: &[Param<P>], p: &mut P) {
        for param in table {
            let v = if (param.get)(p) == param.max {
                param.min
            } else {
                param.max
            };
            (param.set)(p, v);
        }
    }
    match &mut insert.effect {
        EffectParams::Eq(p) => all(&EQ_PARAMS, p),
        EffectParams::Compressor(p) => all(&COMPRESSOR_PARAMS, p),
        EffectParams::Reverb(p) => all(&REVERB_PARAMS, p),
        EffectParams::Delay(p) => all(&DELAY_PARAMS, p),
        EffectParams::Saturation(p) => all(&SATURATION_PARAMS, p),
    }
    insert.bypass = !insert.bypass;
    insert.preset = None;
}

/// Every value a scene stores, changed, through ordinary edits.
fn scramble(s: &mut Session) {
    let mut edits = Vec::new();
    for c in &s.channels {
        let channel = || c.id.clone();
        edits.push(Edit::Gain {
            channel: channel(),
            db: Some(c.gain_db.unwrap_or(0.0) - 7.5),
        });
        edits.push(Edit::Pan {
            channel: channel(),
            pan: if c.pan > 0.0 { -0.75 } else { 0.75 },
        });
        edits.push(Edit::Mute {
            channel: channel(),
            on: !c.mute,
        });
        edits.push(Edit::SoloSafe {
            channel: channel(),
            on: !c.solo_safe,
        });
        for send in &c.sends {
            edits.push(Edit::SendLevel {
                channel: channel(),
                aux: send.to.clone(),
                db: None,
            });
            edits.push(Edit::SendPreFader {
                channel: channel(),
                aux: send.to.clone(),
                pre: !send.pre_fader,
            });
        }
        for (index, insert) in c.inserts.iter().enumerate() {
            let mut insert = insert.clone();
            twist(&mut insert);
            edits.push(Edit::SetInsert {
                channel: channel(),
                index,
                insert,
            });
        }
    }
    for v in &s.vcas {
        edits.push(Edit::VcaGain {
            vca: v.id.clone(),
            db: None,
        });
        edits.push(Edit::VcaMute {
            vca: v.id.clone(),
            on: !v.mute,
        });
    }
    Edit::Batch(edits).apply(s).expect("scramble applies");
}

#[test]
fn a_recall_restores_every_stored_value_exactly_as_one_undo_step() {
    let mut s = demo();
    // Two inserts of one kind on a channel, and a tempo-synced delay.
    let mut second = Insert::new(EffectKind::Compressor.default_params(false));
    second.bypass = true;
    let crush = s.channel_index("crush").expect("crush");
    s.channels[crush].inserts.push(second);
    let scene = Scene::capture(&s, "Mix 1");
    Edit::AddScene { index: 0, scene }
        .apply(&mut s)
        .expect("stored");
    let stored = s.clone();

    scramble(&mut s);
    let scrambled = s.clone();
    let r = recall(&s, &s.scenes[0]);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    // Every value of every channel, send, insert and VCA differs.
    let sends: usize = stored.channels.iter().map(|c| c.sends.len()).sum();
    let inserts: usize = stored.channels.iter().map(|c| c.inserts.len()).sum();
    let expected_edits = 4 * stored.channels.len() + 2 * sends + inserts + 2 * stored.vcas.len();
    assert_eq!(r.edits.len(), expected_edits, "one edit per value");

    let mut history = History::default();
    history
        .apply(&mut s, r.edit().expect("something to recall"))
        .expect("recall applies");
    assert_eq!(s, stored, "every stored value restored exactly");
    assert!(recall(&s, &s.scenes[0]).changes.is_empty());
    // One undo step back to the scrambled mix, and redo again.
    history.undo(&mut s).expect("undo");
    assert_eq!(s, scrambled);
    assert!(!history.can_undo(), "the recall was one step");
    history.redo(&mut s).expect("redo");
    assert_eq!(s, stored);
}

#[test]
fn the_differences_name_each_value_that_would_change() {
    let s = demo();
    let mut scene = Scene::capture(&s, "Verse");
    let ch = |scene: &mut Scene, id: &str| scene.channels.get_mut(id).expect("in scene").clone();
    let mut kick = ch(&mut scene, "kick");
    kick.gain_db = Some(-6.0);
    scene.channels.insert("kick".into(), kick);
    let snare = scene.channels.get_mut("snare").expect("snare");
    snare.pan = -0.5;
    snare.mute = true;
    let lead = scene.channels.get_mut("lead").expect("lead");
    lead.sends.get_mut("verb").expect("send").pre_fader = true;
    lead.sends.get_mut("delay").expect("send").level_db = None;
    let drums = scene.channels.get_mut("drums").expect("drums");
    match &mut drums.inserts[0].effect {
        EffectParams::Compressor(p) => p.threshold_db = -30.0,
        other => panic!("the drum bus has a compressor, not {other:?}"),
    }
    drums.inserts[0].bypass = true;
    scene.channels.get_mut("verb").expect("verb").solo_safe = false;
    let vca = scene.vcas.get_mut("vca_drums").expect("vca");
    vca.gain_db = Some(-6.0);
    vca.mute = true;

    let r = recall(&s, &scene);
    let threshold = match &s.channel("drums").expect("drums").inserts[0].effect {
        EffectParams::Compressor(p) => p.threshold_db,
        _ => unreachable!(),
    };
    assert_eq!(
        r.changes,
        [
            "Kick fader -2.0 → -6.0 dB".to_owned(),
            "Snare pan R10 → L50".into(),
            "Snare mute off → on".into(),
            "Lead send to Delay -12.0 → -inf dB".into(),
            "Lead send to Reverb POST → PRE".into(),
            "Drum Bus Compressor: bypass off → on".into(),
            format!("Drum Bus Compressor: Threshold {threshold:.1} dB → -30.0 dB"),
            "Reverb solo-safe on → off".into(),
            "Drums VCA fader 0.0 → -6.0 dB".into(),
            "Drums VCA mute off → on".into(),
        ]
    );
    assert!(r.skipped.is_empty());
    // Changes no wider than the edits: a pre/post tap makes a new plan
    // (crossfaded), the rest ramp or glide.
    assert_eq!(change_of(&r.edit().expect("edits")).0, Change::Structure);
    // A tiny change is shown with the decimals that tell it.
    let mut close = Scene::capture(&s, "Close");
    close.channels.get_mut("kick").expect("kick").gain_db = Some(-2.04);
    assert_eq!(recall(&s, &close).changes, ["Kick fader -2.00 → -2.04 dB"]);
}

#[test]
fn what_no_longer_exists_is_skipped_and_named_and_the_rest_applies() {
    let mut s = demo();
    let mut scene = Scene::capture(&s, "Verse");
    scene.channels.get_mut("kick").expect("kick").gain_db = Some(-9.0);
    scene.channels.get_mut("hats").expect("hats").mute = true;
    s.scenes.push(scene);
    // Since the scene was stored: a channel, a send, an insert and the VCA went.
    for edit in [
        Edit::remove_channel(&s, "pluck"),
        Edit::RemoveSend {
            channel: "lead".into(),
            aux: "delay".into(),
        },
        Edit::RemoveInsert {
            channel: "crush".into(),
            index: 1,
        },
        Edit::RemoveVca {
            id: "vca_drums".into(),
        },
    ] {
        edit.apply(&mut s).expect("removed");
    }
    let r = recall_scene(&mut s, "Verse").expect("recalled");
    assert_eq!(
        r.skipped,
        [
            "Lead send to Delay",
            "Crush Saturation",
            "channel \"pluck\"",
            "VCA \"vca_drums\""
        ]
    );
    assert_eq!(s.channel("kick").expect("kick").gain_db, Some(-9.0));
    assert!(s.channel("hats").expect("hats").mute);
    let line = r.skipped_line("Verse").expect("a line");
    assert_eq!(
        line,
        "scene \"Verse\": skipped what no longer exists: Lead send to Delay, Crush Saturation, \
         channel \"pluck\", VCA \"vca_drums\""
    );
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn inserts_are_matched_by_kind_wherever_they_moved() {
    let mut s = demo();
    let scene = Scene::capture(&s, "A");
    s.scenes.push(scene);
    let lead_eq = s.channel("lead").expect("lead").inserts[0].clone();
    // A compressor goes in front of the lead's EQ; the EQ is changed.
    let mut twisted = lead_eq.clone();
    twist(&mut twisted);
    for edit in [
        Edit::AddInsert {
            channel: "lead".into(),
            index: 0,
            insert: Insert::new(EffectKind::Compressor.default_params(false)),
        },
        Edit::SetInsert {
            channel: "lead".into(),
            index: 1,
            insert: twisted,
        },
    ] {
        edit.apply(&mut s).expect("applies");
    }
    let r = recall_scene(&mut s, "A").expect("recalled");
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let lead = s.channel("lead").expect("lead");
    assert_eq!(lead.inserts[1], lead_eq, "the EQ got its stored settings");
    assert_eq!(lead.inserts[0].kind(), EffectKind::Compressor, "left alone");
}

#[test]
fn an_unknown_scene_is_refused_naming_it_and_the_scenes_there_are() {
    let mut s = demo();
    let e = recall_scene(&mut s, "Verse").expect_err("no scenes");
    assert_eq!(
        e.to_string(),
        "no scene \"Verse\": the session has no scenes"
    );
    for name in ["A", "B"] {
        let scene = Scene::capture(&s, name);
        s.scenes.push(scene);
    }
    let before = s.clone();
    let e = recall_scene(&mut s, "C").expect_err("no such scene");
    assert_eq!(e.to_string(), "no scene \"C\"; the scenes are \"A\", \"B\"");
    assert_eq!(s, before);
}

#[test]
fn scenes_round_trip_through_the_file_and_are_left_out_when_there_are_none() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.json");
    let mut s = demo();
    session::save(&s, &path).expect("saved");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(!text.contains("\"scenes\""), "no scenes, no field");

    let mut scene = Scene::capture(&s, "Verse");
    scene.channels.get_mut("kick").expect("kick").gain_db = None;
    s.scenes.push(scene);
    s.scenes.push(Scene::capture(&s, "Chorus"));
    session::save(&s, &path).expect("saved");
    let loaded = session::load(&path).expect("loads");
    assert_eq!(loaded, s, "exactly what was saved");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("json");
    let verse = &json["scenes"][0];
    assert_eq!(verse["name"], "Verse");
    assert_eq!(
        verse["channels"]["kick"]["gain_db"],
        serde_json::Value::Null
    );
    assert_eq!(verse["channels"]["snare"]["pan"], 0.1);
    assert_eq!(
        verse["channels"]["kick"]["sends"]["phones"]["pre_fader"],
        true
    );
    assert_eq!(verse["channels"]["lead"]["inserts"][0]["type"], "eq");
    assert_eq!(verse["vcas"]["vca_drums"]["mute"], false);
    assert!(
        verse["channels"]["hats"].get("sends").is_none(),
        "empty left out"
    );
}

fn load_text(text: &str) -> Result<Session, String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.json");
    std::fs::write(&path, text).expect("write");
    session::load(&path).map_err(|e| e.to_string())
}

/// A small session with `scenes` (JSON text of the array).
fn with_scenes(scenes: &str) -> String {
    format!(
        r#"{{"format": "auxbus-session", "version": 1,
  "channels": [{{"id": "master", "kind": "master"}}],
  "scenes": {scenes}}}"#
    )
}

#[test]
fn bad_scenes_are_refused_naming_the_field() {
    let nine: Vec<String> = (1..=9).map(|n| format!("{{\"name\": \"S{n}\"}}")).collect();
    let cases = [
        (format!("[{}]", nine.join(",")), "scenes: 9 entries; a session may have at most 8"),
        (
            r#"[{"name": "A"}, {"name": "A"}]"#.to_owned(),
            "scenes[1].name: a second scene called \"A\"",
        ),
        (r#"[{"name": "  "}]"#.to_owned(), "scenes[0].name: a scene needs a name"),
        (
            format!(r#"[{{"name": "{}"}}]"#, "x".repeat(65)),
            "scenes[0].name: a scene name has at most 64 characters",
        ),
        (
            r#"[{"name": "A", "channels": {"master": {"gain_db": 30}}}]"#.to_owned(),
            "scenes[0].channels.master.gain_db: 30 dB is out of range",
        ),
        (
            r#"[{"name": "A", "channels": {"master": {"pan": 2}}}]"#.to_owned(),
            "scenes[0].channels.master.pan: pan must be from -1",
        ),
        (
            r#"[{"name": "A", "channels": {"master": {"sends": {"verb": {"level_db": 99}}}}}]"#
                .to_owned(),
            "scenes[0].channels.master.sends.verb.level_db: 99 dB is out of range",
        ),
        (
            r#"[{"name": "A", "channels": {"master": {"inserts": [{"type": "compressor", "ratio": 0.5}]}}}]"#
                .to_owned(),
            "scenes[0].channels.master.inserts[0]: Compressor on \"master\": ratio 0.5 is out of range",
        ),
        (
            r#"[{"name": "A", "channels": {"master": {"gian_db": 0}}}]"#.to_owned(),
            "scenes[0].channels.master.gian_db: unknown field",
        ),
        (
            r#"[{"name": "A", "channels": {"master": {}, "master": {}}}]"#.to_owned(),
            "scenes[0].channels: \"master\" is listed twice",
        ),
    ];
    for (scenes, expected) in cases {
        let e = load_text(&with_scenes(&scenes)).expect_err(expected);
        assert!(e.contains(expected), "{e}\n  should contain {expected}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    // Ids of channels, sends and VCAs that no longer exist are fine: a
    // recall skips them.
    let stale = r#"[{"name": "Old", "channels": {"gone": {"sends": {"nowhere": {}}}},
                     "vcas": {"vanished": {"mute": true}}}]"#;
    let s = load_text(&with_scenes(stale)).expect("stale ids load");
    assert_eq!(
        s.scenes[0].channels["gone"].gain_db,
        Some(0.0),
        "defaults as in a channel"
    );
}

#[test]
fn scene_edits_are_checked_and_undone_exactly() {
    let mut s = demo();
    for n in 1..=8 {
        let scene = Scene::capture(&s, &format!("S{n}"));
        Edit::AddScene { index: 99, scene }
            .apply(&mut s)
            .expect("up to eight");
    }
    let before = s.clone();
    let ninth = Scene::capture(&s, "S9");
    let e = Edit::AddScene {
        index: 0,
        scene: ninth,
    }
    .apply(&mut s)
    .expect_err("a ninth is refused");
    assert!(e.to_string().contains("at most 8"), "{e}");
    let mut renamed = s.scenes[0].clone();
    renamed.name = "S2".into();
    let e = Edit::SetScene {
        name: "S1".into(),
        scene: renamed.clone(),
    }
    .apply(&mut s)
    .expect_err("a name twice");
    assert!(
        e.to_string().contains("a second scene called \"S2\""),
        "{e}"
    );
    assert_eq!(s, before, "refused edits leave no trace");

    renamed.name = "Intro".into();
    for edit in [
        Edit::SetScene {
            name: "S1".into(),
            scene: renamed,
        },
        Edit::RemoveScene { name: "S5".into() },
    ] {
        let inverse = edit.apply(&mut s).expect("applies");
        assert_ne!(s, before);
        inverse.apply(&mut s).expect("undone");
        assert_eq!(s, before, "exactly as it was, in the same place");
    }
}

#[test]
fn format_md_documents_every_field_of_a_scene() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/sessions/FORMAT.md"))
        .expect("FORMAT.md");
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("Scenes"))
        .expect("a Scenes section");
    let scene = serde_json::to_value(Scene::capture(&demo(), "Verse")).expect("json");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut fields = keys(&scene);
    fields.extend(keys(&scene["channels"]["lead"]));
    fields.extend(keys(&scene["channels"]["lead"]["sends"]["verb"]));
    fields.extend(keys(&scene["vcas"]["vca_drums"]));
    assert!(fields.len() >= 11, "{fields:?}");
    for field in fields {
        assert!(
            section.contains(&format!("`{field}`")),
            "FORMAT.md's Scenes section does not document `{field}`"
        );
    }
    assert!(
        doc.contains("| scenes | 8"),
        "the limits table states the scene limits"
    );
}

#[test]
fn a_recovery_copy_lists_scenes_added_changed_and_removed() {
    let old = {
        let mut s = demo();
        s.scenes = vec![Scene::capture(&s, "Verse"), Scene::capture(&s, "Chorus")];
        s
    };
    let mut new = old.clone();
    new.scenes[0].channels.get_mut("kick").expect("kick").mute = true;
    new.scenes.remove(1);
    new.scenes.push(Scene::capture(&old, "Bridge"));
    assert_eq!(
        session::differences(&old, &new),
        [
            "scene \"Verse\" changed",
            "scene \"Bridge\" added",
            "scene \"Chorus\" removed"
        ]
    );
}
