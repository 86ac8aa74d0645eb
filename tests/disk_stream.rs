//! Disk streaming: seeks land on the exact frame, loops wrap seamlessly,
//! and a source shorter than the loop pads with silence.

use std::path::Path;

use auxbus::engine::Feed;
use auxbus::io::decode::{DiskStreams, RingFeed, SourceReader};

/// A mono float WAV whose sample k is k / 1e6, so values name their frame.
fn ramp_wav(path: &Path, frames: usize) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create");
    for k in 0..frames {
        w.write_sample(k as f32 / 1e6).expect("write");
    }
    w.finalize().expect("finalize");
}

fn frame_of(x: f32) -> i64 {
    (f64::from(x) * 1e6).round() as i64
}

/// Reads `n` frames from a feed, waiting for the disk thread as needed.
fn read(feed: &mut RingFeed, streams: &DiskStreams, n: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(n);
    let (mut l, mut r) = ([0f32; 100], [0f32; 100]);
    while out.len() < n {
        let k = (n - out.len()).min(100);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !feed.ready(k) {
            streams.wake();
            assert!(
                std::time::Instant::now() < deadline,
                "the disk thread never delivered"
            );
            std::thread::yield_now();
        }
        feed.fill(&mut l[..k], &mut r[..k]);
        out.extend_from_slice(&l[..k]);
    }
    out
}

fn start(path: &Path) -> (DiskStreams, Vec<RingFeed>) {
    let reader = SourceReader::open(path, 48_000).expect("open");
    DiskStreams::start(vec![("ramp".into(), reader)], 16_384, 1).expect("start")
}

#[test]
fn reposition_lands_on_the_exact_frame() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("ramp.wav");
    ramp_wav(&path, 200_000);
    let (streams, mut feeds) = start(&path);
    let first = read(&mut feeds[0], &streams, 10);
    assert_eq!(frame_of(first[0]), 0);
    let mut moved = streams.reposition(123_457, None);
    let got = read(&mut moved[0], &streams, 30_000);
    for (i, &x) in got.iter().enumerate() {
        assert_eq!(frame_of(x), 123_457 + i as i64, "frame {i} after the seek");
    }
    assert_eq!(streams.underruns(), 0);
}

#[test]
fn loop_wraps_seamlessly_and_short_sources_pad_with_silence() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("ramp.wav");
    ramp_wav(&path, 50_000);
    let (streams, _feeds) = start(&path);
    let mut looped = streams.reposition(40_000, Some((40_000, 47_000)));
    let got = read(&mut looped[0], &streams, 7_000 * 5);
    for (i, &x) in got.iter().enumerate() {
        assert_eq!(frame_of(x), 40_000 + (i % 7_000) as i64, "looped frame {i}");
    }
    // The loop end lies past the file's end (50 000): silence fills the gap.
    let mut past = streams.reposition(45_000, Some((45_000, 60_000)));
    let got = read(&mut past[0], &streams, 15_000 * 2 + 10);
    for (i, &x) in got.iter().enumerate() {
        let pos = 45_000 + (i % 15_000) as i64;
        let expected = if pos < 50_000 { pos } else { 0 };
        assert_eq!(frame_of(x), expected, "frame {i} (position {pos})");
    }
}
