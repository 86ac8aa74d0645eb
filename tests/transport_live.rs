//! The transport through the live path — disk threads, the seek hand-over
//! and the audio callback — without a device: the callback is driven here.
//! A seek lands on the exact sample, and playback stops at the end unless
//! it loops.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use auxbus::engine::{DEFAULT_FEED_SLOTS, Engine, Feed, Feeds};
use auxbus::graph;
use auxbus::io::decode::{DiskStreams, open_tracks};
use auxbus::io::output::Renderer;
use auxbus::live::{Command, LiveEngine, LiveStatus, seconds_to_frame};

const RATE: u32 = 48_000;
const SECONDS: usize = 25;

/// A sample every frame can be told by (left and right differ).
fn sample(i: usize, side: usize) -> f32 {
    let x = (i.wrapping_mul(7919 + side * 104_729) % 65_521) as f32 / 65_521.0;
    x - 0.5
}

struct Rig {
    live: LiveEngine,
    commands: rtrb::Producer<Command>,
    status: Arc<LiveStatus>,
    disk: DiskStreams,
    _dir: tempfile::TempDir,
}

/// A stereo track at unity into the master (so the output is the file),
/// streamed from disk as live playback does.
fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("tmp");
    let (s, session_path) = common::one_track_session(
        dir.path(),
        "count.wav",
        RATE,
        SECONDS * RATE as usize,
        sample,
    );
    let tracks = open_tracks(&s, &session_path, 0);
    assert!(tracks.errors.is_empty());
    let slots = tracks.slots.clone();
    let plan = graph::compile(&s, &|id| {
        slots.iter().find(|(t, _)| t == id).map(|(_, f)| *f)
    })
    .expect("valid");
    let (disk, feeds) = DiskStreams::start(tracks.readers, RATE as usize, 1).expect("disk");
    let feeds: Feeds = feeds
        .into_iter()
        .map(|f| Some(Box::new(f) as Box<dyn Feed>))
        .collect();
    let engine = Engine::with_slots(plan, feeds, 2, DEFAULT_FEED_SLOTS);
    let (commands, command_rx) = rtrb::RingBuffer::new(64);
    let (retired_tx, _retired) = rtrb::RingBuffer::new(8);
    let status = Arc::new(LiveStatus::default());
    let mut live = LiveEngine::new(engine, command_rx, retired_tx, status.clone());
    live.configure(RATE, 2);
    Rig {
        live,
        commands,
        status,
        disk,
        _dir: dir,
    }
}

impl Rig {
    /// What `EngineHandle::seek` does: fresh rings at `frame`, handed to
    /// the callback once filled.
    fn seek(&mut self, frame: u64) {
        let feeds = self.disk.reposition(frame, None);
        while !feeds.iter().all(|f| f.ready(4096)) {
            self.disk.wake();
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let mut feeds: Feeds = feeds
            .into_iter()
            .map(|f| Some(Box::new(f) as Box<dyn Feed>))
            .collect();
        feeds.resize_with(DEFAULT_FEED_SLOTS, || None);
        self.send(Command::ReplaceFeeds {
            feeds: Box::new(feeds),
            position: frame,
        });
    }

    fn send(&mut self, c: Command) {
        assert!(self.commands.push(c).is_ok());
    }

    fn callback(&mut self, frames: usize) -> Vec<f32> {
        let mut out = vec![f32::NAN; frames * 2];
        self.live.render(&mut out, 2);
        out
    }

    fn position(&self) -> u64 {
        self.status.position.load(Ordering::Relaxed)
    }

    fn playing(&self) -> bool {
        self.status.playing.load(Ordering::Relaxed)
    }
}

#[test]
fn seeking_to_20_s_starts_the_next_block_at_sample_960000() {
    let mut r = rig();
    let frame = seconds_to_frame(20.0, RATE);
    assert_eq!(frame, 960_000);
    r.seek(frame);
    r.send(Command::Play);
    let out = r.callback(128);
    for k in 0..128 {
        let i = frame as usize + k;
        assert_eq!(
            (out[2 * k], out[2 * k + 1]),
            (sample(i, 0), sample(i, 1)),
            "frame {k} of the block is file frame {i}"
        );
    }
    assert_eq!(r.position(), frame + 128);
}

#[test]
fn playback_stops_at_the_end_unless_looping() {
    let mut r = rig();
    let end = 960_000 + 300;
    r.seek(960_000);
    r.send(Command::End(Some(end)));
    r.send(Command::Play);
    let mut heard = Vec::new();
    for _ in 0..4 {
        heard.extend(r.callback(128));
    }
    assert!(!r.playing(), "stopped at the end");
    assert_eq!(r.position(), end, "the play head stays at the end");
    // Exactly 300 frames of the file, then silence.
    assert_eq!(heard[2 * 299], sample(960_299, 0));
    assert!(heard[600..].iter().all(|&x| x == 0.0));

    // Looping, the same end does not stop it: it goes round.
    let mut r = rig();
    r.seek(960_000);
    r.send(Command::End(Some(end)));
    r.send(Command::Loop(Some((960_000, end))));
    r.send(Command::Play);
    for _ in 0..4 {
        r.callback(128);
    }
    assert!(r.playing(), "a loop plays on");
    assert!((960_000..end).contains(&r.position()));
}
