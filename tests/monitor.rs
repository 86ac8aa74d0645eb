//! The monitor path changes what the speakers play by the stated amounts —
//! mono is (L+R)/2 on both sides, dim is its dB, "listen to" plays a device
//! pair or one channel — and never what a render writes.

use std::path::Path;
use std::sync::Arc;

use auxbus::engine::{Engine, Feed, MemoryFeed, MonitorSettings, MonitorSource};
use auxbus::graph::{self, FeedInfo};
use auxbus::render::{self, RenderOptions};
use auxbus::session::{self, Channel, ChannelKind, Send, Session};
use auxbus::ui::{Action, ConsoleApp, RecordingPort};

const RATE: u32 = 48_000;

/// A stereo track (left and right differ) to the master, with a pre-fader
/// send to an aux on outputs 3–4.
fn engine() -> Engine {
    let mut s = Session::new(RATE);
    let mut t = Channel::new("t", ChannelKind::Track);
    t.source = Some("t.wav".into());
    t.gain_db = Some(-6.0206);
    t.sends = vec![Send {
        to: "cue".into(),
        level_db: Some(0.0),
        pre_fader: true,
    }];
    let mut cue = Channel::new("cue", ChannelKind::Aux);
    cue.output = Some("hw:3-4".into());
    s.channels.insert(0, t);
    s.channels.insert(1, cue);
    let plan = graph::compile(&s, &|id| {
        (id == "t").then_some(FeedInfo {
            slot: 0,
            channels: 2,
        })
    })
    .expect("valid");
    let data: Arc<[f32]> = (0..RATE as usize)
        .flat_map(|i| {
            let x = (i as f32 * 0.05).sin();
            [0.8 * x, 0.2 * x]
        })
        .collect();
    let feeds = vec![Some(
        Box::new(MemoryFeed::new(data, 2, true)) as Box<dyn Feed>
    )];
    Engine::new(plan, feeds, 2)
}

/// 0.1 s of output (after the changes' ramps have settled).
fn play(e: &mut Engine) -> Vec<f32> {
    let mut out = vec![0.0; 4800 * 2];
    e.process(&mut out); // ramps and the source switch settle
    e.process(&mut out);
    out
}

#[test]
fn plain_monitoring_is_the_mix_to_the_bit() {
    let (mut a, mut b) = (engine(), engine());
    b.set_monitor(MonitorSettings::default());
    assert_eq!(play(&mut a), play(&mut b));
}

#[test]
fn mono_plays_the_average_of_both_sides_and_dim_its_db() {
    let mut plain = engine();
    let reference = play(&mut plain);
    let mut e = engine();
    e.set_monitor(MonitorSettings {
        mono: true,
        dim_db: Some(20.0),
        ..MonitorSettings::default()
    });
    let heard = play(&mut e);
    let dim = 10f32.powf(-20.0 / 20.0);
    for (m, h) in reference.chunks(2).zip(heard.chunks(2)) {
        let mid = 0.5 * (m[0] + m[1]) * dim;
        assert!((h[0] - mid).abs() < 1e-6 && (h[1] - mid).abs() < 1e-6);
    }
}

#[test]
fn listening_to_a_cue_mix_or_a_channel_plays_it_on_outputs_1_2() {
    // The cue aux gets the pre-fader send at 0 dB: the source itself,
    // while the master has it 6 dB down.
    let mut e = engine();
    e.set_monitor(MonitorSettings {
        source: MonitorSource::DevicePair(1),
        ..MonitorSettings::default()
    });
    let heard = play(&mut e);
    let master = play(&mut engine());
    for (h, m) in heard.chunks(2).zip(master.chunks(2)) {
        assert!(
            (h[0] - 2.0 * m[0]).abs() < 1e-5,
            "{} vs {}",
            h[0],
            2.0 * m[0]
        );
        assert!((h[1] - 2.0 * m[1]).abs() < 1e-5);
    }
    // One channel's output: the track after its fader, the same as the mix
    // here (it is the only thing in it).
    let mut e = engine();
    let pos = e.plan().position("t").expect("t");
    e.set_monitor(MonitorSettings {
        source: MonitorSource::Channel(pos),
        ..MonitorSettings::default()
    });
    let heard = play(&mut e);
    for (h, m) in heard.iter().zip(&master) {
        assert!((h - m).abs() < 1e-6);
    }
}

#[test]
fn the_monitor_never_reaches_a_render_or_the_session() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    let opts = RenderOptions {
        duration: Some(2.0),
        ..RenderOptions::default()
    };
    let (before, _) = render::render_to_vec(&path, &opts).expect("render");
    let s = session::load(&path).expect("demo");
    let mut app = ConsoleApp::new(
        s.clone(),
        Some(path.clone()),
        Box::new(RecordingPort::default()),
    );
    app.dispatch(Action::SetMonitoring(auxbus::live::Monitoring {
        listen: Some("verb".into()),
        mono: true,
        dim: true,
        dim_db: 20.0,
    }));
    assert!(!app.doc.dirty(), "monitoring is not part of the mix");
    assert_eq!(app.doc.session(), &s);
    let dir = tempfile::tempdir().expect("tmp");
    let saved = dir.path().join("demo.json");
    let mut copy = app.doc.session().clone();
    for c in &mut copy.channels {
        if let Some(src) = &c.source {
            c.source = Some(session::resolve_source(&path, src).display().to_string());
        }
    }
    session::save(&copy, &saved).expect("save");
    let (after, _) = render::render_to_vec(&saved, &opts).expect("render");
    assert!(before == after, "the render is bit-identical");
}

/// The analysis tap (loudness, correlation, spectrum) reads the mix as a
/// render writes it, whatever the monitor plays; its probe is one channel's
/// output.
#[test]
fn the_analysers_read_the_mix_not_the_monitor_and_probe_one_channel() {
    let mut plain = engine();
    let reference = play(&mut plain);
    let mut e = engine();
    let (tx, mut rx) = auxbus::engine::tap(6, 48_000);
    e.set_analysis_tap(tx);
    e.set_monitor(MonitorSettings {
        source: MonitorSource::DevicePair(1),
        mono: true,
        dim_db: Some(20.0),
    });
    let cue = e.plan().position("cue").expect("cue");
    e.set_probe(Some(cue));
    let heard = play(&mut e);
    assert!(heard != reference, "the speakers play the dimmed mono cue");
    let mut tapped = Vec::new();
    rx.drain(&mut |s| tapped.extend_from_slice(s));
    // `play` renders twice; the second half is the block compared.
    let second = &tapped[tapped.len() / 2..];
    let heard_second = &heard[..];
    for ((t, m), h) in second
        .chunks_exact(6)
        .zip(reference.chunks_exact(2))
        .zip(heard_second.chunks_exact(2))
    {
        assert_eq!([t[0], t[1]], [m[0], m[1]], "the mix, to the bit");
        // The cue aux carries the pre-fader send at 0 dB: twice the mix.
        assert!((t[2] - 2.0 * m[0]).abs() < 1e-5 && (t[3] - 2.0 * m[1]).abs() < 1e-5);
        // The speakers' channels are what outputs 1–2 played: the cue, in
        // mono, 20 dB down.
        assert_eq!([t[4], t[5]], [h[0], h[1]]);
        let expected = 0.5 * (2.0 * m[0] + 2.0 * m[1]) * 0.1;
        assert!((t[4] - expected).abs() < 1e-5, "{} vs {expected}", t[4]);
    }
}
