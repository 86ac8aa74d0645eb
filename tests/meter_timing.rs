//! The meters tell the truth in time: the whole path — the engine's block
//! meters, the bank the audio thread publishes into, the console's
//! ballistics — driven at 2, 10 and 60 frames per second. A meter must show
//! the level while it plays, fall to its floor within 1.5 s of silence
//! whatever the frame rate, and show what is heard after mute and solo.

use std::sync::Arc;

use auxbus::engine::{Engine, Feed, MemoryFeed};
use auxbus::graph::{self, FeedInfo};
use auxbus::live::MeterFrame;
use auxbus::session::{Channel, ChannelKind, Edit, Session};
use auxbus::ui::MeterView;

const RATE: u32 = 48_000;
/// Frames per audio callback, as a device would ask.
const CALLBACK: usize = 256;
const AMP: f32 = 0.5; // −6.02 dBFS

/// Two stereo tracks to the master, each a sine of `seconds`, then silence.
fn engine(seconds: f64) -> (Engine, Session) {
    let mut s = Session::new(RATE);
    for id in ["a", "b"] {
        let mut c = Channel::new(id, ChannelKind::Track);
        c.source = Some(format!("{id}.wav"));
        s.channels.insert(0, c);
    }
    let slot = |id: &str| match id {
        "a" => Some(FeedInfo {
            slot: 0,
            channels: 2,
        }),
        "b" => Some(FeedInfo {
            slot: 1,
            channels: 2,
        }),
        _ => None,
    };
    let plan = graph::compile(&s, &slot).expect("valid");
    let frames = (seconds * f64::from(RATE)) as usize;
    let feeds = (0..2)
        .map(|k| {
            let data: Arc<[f32]> = (0..frames)
                .flat_map(|i| {
                    let x = AMP
                        * (std::f32::consts::TAU * (440.0 + 110.0 * k as f32) * i as f32
                            / RATE as f32)
                            .sin();
                    [x, x]
                })
                .collect();
            Some(Box::new(MemoryFeed::new(data, 2, false)) as Box<dyn Feed>)
        })
        .collect();
    (Engine::new(plan, feeds, 2), s)
}

/// One UI frame `dt` seconds long: the audio callbacks that came due in it
/// (each publishing its meters, as the live callback does), then the
/// console's reading of the bank and its ballistics.
fn frame(engine: &mut Engine, view: &mut MeterView, dt: f32) {
    let mut out = vec![0f32; CALLBACK * 2];
    let due = engine.frames_rendered() + (f64::from(dt) * f64::from(RATE)) as u64;
    while engine.frames_rendered() + CALLBACK as u64 <= due {
        engine.process(&mut out);
        engine.publish_meters();
    }
    let plan = engine.plan();
    let bank = &plan.published;
    let channels = plan
        .channels
        .iter()
        .zip(bank.channels.iter())
        .map(|(c, m)| (c.id.clone(), m.take()))
        .collect();
    view.tick(
        Some(MeterFrame {
            channels,
            dry: bank.dry.take(),
            wet: bank.wet.take(),
            inserts: Vec::new(),
            ..Default::default()
        }),
        dt,
    );
}

fn shown_db(view: &MeterView, id: &str) -> (f32, f32) {
    let m = view.channel(id);
    (m[0].peak_db().max(m[1].peak_db()), m[0].rms_db())
}

/// Seconds from the end of the sound until channel "a"'s bar and RMS both
/// sit at the floor, at `fps` frames per second; and the level shown while
/// the sine played.
fn time_to_floor(fps: f32) -> (f32, f32) {
    let sound = 2.0;
    let (mut e, _) = engine(sound);
    let mut view = MeterView::default();
    let dt = 1.0 / fps;
    let mut t = 0.0;
    let mut playing_level = f32::NEG_INFINITY;
    let end = (sound * f64::from(RATE)) as u64;
    while e.frames_rendered() < end {
        frame(&mut e, &mut view, dt);
        t += dt;
        if t > 0.5 && e.frames_rendered() < end {
            playing_level = shown_db(&view, "a").0;
        }
    }
    // Frames from here on hold no sound at all.
    let silent_from = t;
    loop {
        frame(&mut e, &mut view, dt);
        t += dt;
        let (peak, rms) = shown_db(&view, "a");
        if peak <= -144.0 && rms <= -144.0 {
            return (t - silent_from, playing_level);
        }
        assert!(t < 10.0, "the meter never fell ({fps} fps): {peak} dB");
    }
}

#[test]
fn meters_fall_to_the_floor_within_1_5_s_at_2_10_and_60_fps() {
    let mut times = Vec::new();
    for fps in [2.0, 10.0, 60.0] {
        let (fall, level) = time_to_floor(fps);
        let sine_peak = 20.0 * AMP.log10();
        assert!(
            (level - sine_peak).abs() < 0.5,
            "{fps} fps: showed {level:.2} dB while a {sine_peak:.2} dB sine played"
        );
        assert!(
            fall <= 1.5,
            "{fps} fps: took {fall:.2} s of silence to reach the floor"
        );
        println!("{fps:>4} fps: floor after {fall:.3} s of silence, level {level:.2} dB");
        times.push((fps, fall));
    }
    // Wall-clock ballistics: the frame rate changes the time only by the
    // granularity of one frame.
    let (_, slowest) = times[0];
    for &(fps, fall) in &times[1..] {
        assert!(
            (fall - slowest).abs() <= 0.5 + 1.0 / fps,
            "{fps} fps: {fall:.2} s against {slowest:.2} s at 2 fps"
        );
    }
}

#[test]
fn a_strip_muted_by_someone_elses_solo_meters_silence() {
    let (mut e, mut s) = engine(10.0);
    let mut view = MeterView::default();
    for _ in 0..30 {
        frame(&mut e, &mut view, 1.0 / 30.0);
    }
    assert!(shown_db(&view, "b").0 > -7.0, "b plays before the solo");
    // Solo "a", and send every channel's new gains, as the live handle does
    // for a solo (graph::change_of says it touches every channel).
    Edit::Solo {
        channel: "a".into(),
        on: true,
    }
    .apply(&mut s)
    .expect("solo");
    let solo_muted = graph::implied_mutes(&s);
    for (i, c) in s.channels.iter().enumerate() {
        let g = graph::channel_gains(&s, i, false, solo_muted[i]);
        let pos = e.plan().position(&c.id).expect("in the plan");
        e.set_gains(pos, g.out, g.insert_trim.unwrap_or(1.0), &g.sends);
    }
    // The engine meters what is heard: after the 10 ms ramp, nothing.
    let mut out = vec![0f32; CALLBACK * 2];
    for _ in 0..4 {
        e.process(&mut out);
    }
    e.clear_meters();
    e.process(&mut out);
    let pos = e.plan().position("b").expect("b");
    assert_eq!(e.meters().channels[pos].peak, [0.0, 0.0], "b is silent");
    assert!(e.meters().channels[e.plan().position("a").expect("a")].peak[0] > 0.4);
    // And the strip shows it within the meter's fall time.
    for _ in 0..45 {
        frame(&mut e, &mut view, 1.0 / 30.0);
    }
    assert!(
        shown_db(&view, "b").0 <= -144.0,
        "{:?}",
        shown_db(&view, "b")
    );
    assert!(shown_db(&view, "a").0 > -7.0);
}
