//! The engine's process() must never allocate or free: proven with
//! assert_no_alloc over a graph that uses every feature, including gain
//! ramps and disk-streamed feeds.

use std::sync::Arc;

use assert_no_alloc::{AllocDisabler, assert_no_alloc};
use auxbus::engine::{Engine, Feed, Feeds, MemoryFeed};
use auxbus::graph::{self, FeedInfo};
use auxbus::session::effects::params::CompressorParams;
use auxbus::session::effects::{EffectKind, EffectParams, Insert};
use auxbus::session::{Channel, ChannelKind, Send, Session, Vca};

#[global_allocator]
static ALLOC: AllocDisabler = AllocDisabler;

/// Mono and stereo tracks, nested buses, an aux fed pre- and post-fader, an
/// aux returning into a bus (wet lane), a VCA, mute and solo-safe.
fn everything() -> Session {
    let mut s = Session::new(48_000);
    let track = |id: &str, out: &str| {
        let mut c = Channel::new(id, ChannelKind::Track);
        c.source = Some(format!("{id}.wav"));
        c.output = Some(out.into());
        c
    };
    let mut kick = track("kick", "drums");
    kick.sends = vec![Send {
        to: "verb".into(),
        level_db: Some(-12.0),
        pre_fader: false,
    }];
    kick.pan = -0.3;
    let mut snare = track("snare", "drums");
    snare.sends = vec![Send {
        to: "phones".into(),
        level_db: Some(-3.0),
        pre_fader: true,
    }];
    snare.trim_db = 3.0;
    let mut vox = track("vox", "master");
    vox.sends = vec![
        Send {
            to: "verb".into(),
            level_db: Some(-6.0),
            pre_fader: false,
        },
        Send {
            to: "phones".into(),
            level_db: Some(0.0),
            pre_fader: true,
        },
    ];
    let mut muted = track("muted", "master");
    muted.mute = true;
    let mut drums = Channel::new("drums", ChannelKind::Bus);
    drums.output = Some("rhythm".into());
    let mut rhythm = Channel::new("rhythm", ChannelKind::Bus);
    let mut verb = Channel::new("verb", ChannelKind::Aux);
    verb.output = Some("rhythm".into());
    verb.solo_safe = true;
    let mut phones = Channel::new("phones", ChannelKind::Aux);
    phones.output = None;
    // Every kind of insert: on a mono track (before its pan), a bus with a
    // wet lane, and an aux.
    let fx = |kind: EffectKind, on_aux: bool| Insert::new(kind.default_params(on_aux));
    vox.inserts = vec![fx(EffectKind::Eq, false), fx(EffectKind::Delay, false)];
    vox.trim_db = -3.0;
    rhythm.inserts = vec![
        fx(EffectKind::Compressor, false),
        fx(EffectKind::Saturation, false),
    ];
    verb.inserts = vec![fx(EffectKind::Reverb, true)];
    s.channels
        .extend([kick, snare, vox, muted, drums, rhythm, verb, phones]);
    s.vcas.push(Vca {
        id: "v".into(),
        name: "Drums".into(),
        gain_db: Some(-2.0),
        mute: false,
        members: vec!["kick".into(), "snare".into()],
    });
    s
}

fn feeds() -> (impl Fn(&str) -> Option<FeedInfo>, Feeds) {
    let ids = ["kick", "snare", "vox", "muted"];
    let lookup = move |id: &str| {
        ids.iter().position(|t| *t == id).map(|slot| FeedInfo {
            slot,
            channels: if slot % 2 == 0 { 1 } else { 2 },
        })
    };
    let feeds = (0..4)
        .map(|k| {
            let ch = if k % 2 == 0 { 1 } else { 2 };
            let data: Arc<[f32]> = (0..4800 * ch)
                .map(|i| ((i * (k + 3)) as f32 * 0.001).sin())
                .collect();
            Some(Box::new(MemoryFeed::new(data, ch, true)) as Box<dyn Feed>)
        })
        .collect();
    (lookup, feeds)
}

#[test]
fn process_never_allocates() {
    let (lookup, feeds) = feeds();
    let plan = graph::compile(&everything(), &lookup).expect("valid session");
    // The saturation on the rhythm bus makes the graph delay the paths
    // that bypass it: compensation lines run inside the check below.
    assert!(plan.latency.output > 0 && plan.channels.iter().any(|c| c.comp.is_some()));
    let mut engine = Engine::new(plan, feeds, 2);
    // Odd sizes cross the internal 128-frame blocks.
    let mut out = vec![0f32; 1000 * 2];
    // A second version of the session, compiled off the audio thread, to be
    // swapped in mid-play (the crossfade renders both plans).
    let mut changed = everything();
    changed.channels[3].output = Some("drums".into());
    changed.channels[1].solo = true;
    let mut next = Some(Box::new(graph::compile(&changed, &lookup).expect("valid")));
    let mut retired = Vec::with_capacity(4);
    assert_no_alloc(|| {
        for round in 0..50 {
            if round == 10 {
                // A fader move and a send change mid-play: ramps run.
                engine.set_gains(0, [0.1, 0.2], 1.0, &[0.5]);
                engine.set_send_gain(2, 0, 0.25);
            }
            if round == 15 {
                // Knob moves and a bypass on inserts: parameters glide.
                let pos = engine.plan().position("vox").expect("vox");
                let mut delay = EffectKind::Delay.default_params(false);
                if let EffectParams::Delay(d) = &mut delay {
                    d.time_ms = 400.0;
                    d.feedback = 0.6;
                }
                engine.set_insert(pos, 1, &delay, false, 120.0);
                engine.set_insert(pos, 0, &EffectKind::Eq.default_params(false), true, 120.0);
                let pos = engine.plan().position("rhythm").expect("rhythm");
                let comp = EffectParams::Compressor(CompressorParams {
                    threshold_db: -40.0,
                    ..Default::default()
                });
                engine.set_insert(pos, 0, &comp, false, 120.0);
            }
            if round == 20
                && let Some(old) = next.take().and_then(|p| engine.swap_plan(p))
            {
                retired.push(old);
            }
            engine.process(&mut out);
            if let Some(old) = engine.take_retired() {
                retired.push(old);
            }
            engine.publish_meters();
        }
    });
    assert_eq!(
        retired.len(),
        1,
        "the old plan came back to be dropped here"
    );
    drop(retired);
    assert!(out.iter().any(|&x| x != 0.0), "the graph produced sound");
}

#[test]
fn process_with_disk_feeds_never_allocates() {
    // Real files through the disk threads; only the audio thread is checked.
    let dir = tempfile::tempdir().expect("tmp");
    let session_path = auxbus::bench::write_stems(dir.path(), 4, 1.0).expect("stems");
    let s = auxbus::session::load(&session_path).expect("load");
    let sources = auxbus::io::decode::open_tracks(&s, &session_path, 0);
    assert!(sources.errors.is_empty());
    let slots = sources.slots.clone();
    let plan = graph::compile(&s, &|id| {
        slots.iter().find(|(t, _)| t == id).map(|(_, f)| *f)
    })
    .expect("compile");
    let (streams, rings) =
        auxbus::io::decode::DiskStreams::start(sources.readers, 16_384, 1).expect("threads");
    let feeds = rings
        .into_iter()
        .map(|f| Some(Box::new(f) as Box<dyn Feed>))
        .collect();
    let mut engine = Engine::new(plan, feeds, 2);
    let mut out = vec![0f32; 512 * 2];
    for _ in 0..40 {
        while !engine.feeds_ready(512) {
            streams.wake();
            std::thread::yield_now();
        }
        assert_no_alloc(|| engine.process(&mut out));
    }
    assert!(out.iter().any(|&x| x != 0.0));
}

#[test]
fn live_callback_never_allocates_or_frees() {
    use auxbus::engine::DEFAULT_FEED_SLOTS;
    use auxbus::io::output::Renderer;
    use auxbus::live::{Command, LiveEngine, LiveStatus};

    let (lookup, feeds_now) = feeds();
    let plan = graph::compile(&everything(), &lookup).expect("valid");
    let engine = Engine::new(plan, feeds_now, 2);
    let (mut commands, command_rx) = rtrb::RingBuffer::new(256);
    let (retired_tx, mut retired) = rtrb::RingBuffer::new(8);
    let status = std::sync::Arc::new(LiveStatus::default());
    let mut live = LiveEngine::new(engine, command_rx, retired_tx, status.clone());
    live.configure(48_000, 2);
    // Everything the UI would send, prepared (allocated) off the audio thread.
    let mut changed = everything();
    changed.channels[3].output = Some("drums".into());
    let next_plan = Box::new(graph::compile(&changed, &lookup).expect("valid"));
    let (_, mut next_feeds) = feeds();
    next_feeds.resize_with(DEFAULT_FEED_SLOTS, || None);
    let sent = [
        Command::Play,
        Command::Gains {
            pos: 0,
            out: [0.3, 0.3],
            trim: 1.0,
        },
        Command::Insert {
            pos: 2,
            index: 0,
            effect: EffectKind::Eq.default_params(false),
            bypass: true,
            tempo_bpm: 140.0,
        },
        Command::SendGain {
            pos: 0,
            send: 0,
            gain: 0.1,
        },
        Command::SwapPlan(next_plan),
        Command::ReplaceFeeds {
            feeds: Box::new(next_feeds),
            position: 4800,
        },
        Command::Loop(Some((0, 9600))),
    ];
    for c in sent {
        assert!(commands.push(c).is_ok());
    }
    let mut out = vec![0f32; 256 * 2];
    assert_no_alloc(|| {
        for round in 0..100 {
            if round == 60 {
                let _ = commands.push(Command::Pause);
            }
            live.render(&mut out, 2);
        }
    });
    // The old plan and the old feeds came back here to be freed.
    let mut back = 0;
    while let Ok(item) = retired.pop() {
        drop(item);
        back += 1;
    }
    assert_eq!(back, 2);
    let position = status.position.load(std::sync::atomic::Ordering::Relaxed);
    assert!(position < 9600, "the loop wrapped the position: {position}");
    assert!(!status.playing.load(std::sync::atomic::Ordering::Relaxed));
}

#[test]
fn a_plan_swap_of_256_channels_with_4_inserts_each_copies_state_by_index_without_allocating() {
    use auxbus::bench::{insert_heavy_session, track_feed};
    let tracks = 256;
    let plan = graph::compile(&insert_heavy_session(tracks, false), &track_feed).expect("valid");
    let old_id = plan.id;
    let feeds: Feeds = (0..tracks)
        .map(|k| {
            let data: Arc<[f32]> = auxbus::bench::test_signal(k, 4800, 48_000).into();
            Some(Box::new(MemoryFeed::new(data, 2, true)) as Box<dyn Feed>)
        })
        .collect();
    let mut engine = Engine::with_slots(plan, feeds, 2, tracks);
    let mut out = vec![0f32; 256 * 2];
    engine.process(&mut out);
    // Off the audio thread: compile the next version and work out, by
    // index, which insert continues which.
    let mut next = graph::compile(&insert_heavy_session(tracks, true), &track_feed).expect("valid");
    graph::link_state(&mut next, &engine.plan().layout());
    assert_eq!(next.carry_from, Some(old_id));
    // Every old insert has a successor (the new EQ in front takes over the
    // first old EQ; the rest shift along): 4 per channel.
    assert_eq!(next.carry.len(), tracks * 4);
    let mut next = Some(Box::new(next));
    let mut retired = Vec::with_capacity(2);
    assert_no_alloc(|| {
        if let Some(old) = next.take().and_then(|p| engine.swap_plan(p)) {
            retired.push(old);
        }
        for _ in 0..8 {
            engine.process(&mut out);
            if let Some(old) = engine.take_retired() {
                retired.push(old);
            }
        }
    });
    assert_eq!(retired.len(), 1, "the old plan came back after the fade");
    assert!(out.iter().all(|x| x.is_finite()) && out.iter().any(|&x| x != 0.0));
}

#[test]
fn the_analysis_tap_copies_without_allocating_and_counts_overflow() {
    use auxbus::io::output::Renderer;
    use auxbus::live::{Command, LiveEngine, LiveStatus};

    let (lookup, feeds_now) = feeds();
    let plan = graph::compile(&everything(), &lookup).expect("valid");
    let probe = plan.position("vox").expect("vox is in the plan");
    let engine = Engine::new(plan, feeds_now, 2);
    let (mut commands, command_rx) = rtrb::RingBuffer::new(16);
    let (retired_tx, _retired) = rtrb::RingBuffer::new(8);
    let status = std::sync::Arc::new(LiveStatus::default());
    // Room for 4 callbacks of 256 frames; 10 are rendered before reading.
    let (tap_tx, mut tap_rx) = auxbus::engine::tap(6, 1024);
    let mut live =
        LiveEngine::new(engine, command_rx, retired_tx, status.clone()).with_analysis_tap(tap_tx);
    live.configure(48_000, 2);
    assert!(commands.push(Command::Play).is_ok());
    assert!(commands.push(Command::Probe(Some(probe as u32))).is_ok());
    let mut out = vec![0f32; 256 * 2];
    let mut last = Vec::new();
    assert_no_alloc(|| {
        for _ in 0..10 {
            live.render(&mut out, 2);
        }
    });
    let mut got = Vec::new();
    tap_rx.drain(&mut |s| got.extend_from_slice(s));
    assert_eq!(got.len(), 1024 * 6, "the ring's worth, whole frames");
    assert_eq!(tap_rx.dropped_frames(), 6 * 256);
    assert_no_alloc(|| live.render(&mut out, 2));
    tap_rx.drain(&mut |s| last.extend_from_slice(s));
    let mix: Vec<f32> = last.chunks_exact(6).flat_map(|f| [f[0], f[1]]).collect();
    assert_eq!(mix, out, "the tap's mix is the master as played");
    let heard: Vec<f32> = last.chunks_exact(6).flat_map(|f| [f[4], f[5]]).collect();
    assert_eq!(
        heard, out,
        "with a plain monitor, the speakers play the mix"
    );
    assert!(
        last.chunks_exact(6).any(|f| f[2] != 0.0),
        "the probe carries the vocal"
    );
}

#[test]
fn an_ab_comparison_runs_without_allocating() {
    let (lookup, feeds_now) = feeds();
    let plan = graph::compile(&everything(), &lookup).expect("valid");
    let pos = plan.position("vox").expect("vox has inserts");
    let mut engine = Engine::new(plan, feeds_now, 2);
    let (tx, mut rx) = auxbus::engine::tap(4, 4096);
    engine.ab_mut().set_tap(tx);
    let mut out = vec![0f32; 300 * 2];
    assert_no_alloc(|| {
        for round in 0..40 {
            match round {
                0 => engine.ab_mut().set(Some(pos), false, 1.0),
                10 => engine.ab_mut().set(Some(pos), true, 1.5),
                20 => engine.ab_mut().set(Some(pos), true, 0.7),
                30 => engine.ab_mut().set(None, false, 1.0),
                _ => {}
            }
            engine.process(&mut out);
        }
    });
    let mut got = 0;
    rx.drain(&mut |s| got += s.len());
    assert!(got > 0, "both sides were tapped");
}

/// The per-source ledger and both return lanes: a compressor return
/// (parallel) and a reverb return (wet) into a bus that also has a reverb
/// insert (its parallel lane goes through it) and a saturation (so lanes
/// are delayed on compensation lines), sends from a bus, a ringing aux fed
/// by several sources, a headphone pair; a swap in the middle.
#[test]
fn the_dry_wet_parallel_ledger_never_allocates() {
    let mut s = everything();
    let fx = |kind: EffectKind, on_aux: bool| Insert::new(kind.default_params(on_aux));
    let mut crush = Channel::new("crush", ChannelKind::Aux);
    crush.inserts = vec![fx(EffectKind::Compressor, true)];
    crush.output = Some("drums".into());
    let mut room = Channel::new("room", ChannelKind::Aux);
    room.inserts = vec![fx(EffectKind::Reverb, true)];
    room.output = Some("rhythm".into());
    s.channels.extend([crush, room]);
    for c in &mut s.channels {
        match c.id.as_str() {
            "kick" | "snare" => c.sends.push(Send {
                to: "crush".into(),
                level_db: Some(-6.0),
                pre_fader: false,
            }),
            "drums" => {
                c.inserts = vec![fx(EffectKind::Reverb, false)];
                c.sends.push(Send {
                    to: "room".into(),
                    level_db: Some(-10.0),
                    pre_fader: true,
                });
            }
            "phones" => c.output = Some("hw:3-4".into()),
            _ => {}
        }
    }
    auxbus::session::validate(&s).expect("valid");
    let (lookup, feeds) = feeds();
    let plan = graph::compile(&s, &lookup).expect("compiles");
    assert!(
        plan.channels
            .iter()
            .any(|c| c.lanes.iter().all(Option::is_some) && c.kind == ChannelKind::Bus)
    );
    let mut engine = Engine::new(plan, feeds, 4);
    let mut changed = s.clone();
    changed.channels[0].mute = true;
    let mut next = Some(Box::new(graph::compile(&changed, &lookup).expect("valid")));
    let mut retired = Vec::with_capacity(2);
    let mut out = vec![0f32; 700 * 4];
    assert_no_alloc(|| {
        for round in 0..40 {
            if round == 10 {
                engine.set_gains(1, [0.2, 0.1], 1.0, &[0.3, 0.5]);
            }
            if round == 20
                && let Some(old) = next.take().and_then(|p| engine.swap_plan(p))
            {
                retired.push(old);
            }
            engine.process(&mut out);
            if let Some(old) = engine.take_retired() {
                retired.push(old);
            }
            engine.publish_meters();
        }
    });
    drop(retired);
    let reach: f64 = engine.meters().reach.iter().flatten().sum();
    assert!(reach.is_finite());
    assert!(out.iter().all(|x| x.is_finite()) && out.iter().any(|&x| x != 0.0));
}
