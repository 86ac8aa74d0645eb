//! The disk threads' rings, read the way the audio callback reads them:
//! every frame arrives once and in order whatever the block sizes (the
//! feed also looks one block ahead, for the cache, without taking it), and
//! a source shorter than its loop is followed by true silence on every lap
//! (the rings are decoded into directly, never zeroed per chunk, so stale
//! audio from an earlier lap would show here).

mod common;

use auxbus::engine::Feed;
use auxbus::io::decode::{DiskStreams, RingFeed, open_tracks};

const RATE: u32 = 48_000;

/// A sample every frame can be told by (left and right differ, never 0).
fn sample(i: usize, side: usize) -> f32 {
    let x = (i.wrapping_mul(7919 + side * 104_729) % 65_521) as f32 / 65_521.0;
    x - 0.5 + if x < 0.5 { -0.001 } else { 0.001 }
}

/// `frames` of `sample` in a float WAV, opened as a session's one track.
fn streams(frames: usize) -> (tempfile::TempDir, DiskStreams, Vec<RingFeed>) {
    let dir = tempfile::tempdir().expect("tmp");
    let (s, session_path) = common::one_track_session(dir.path(), "t.wav", RATE, frames, sample);
    let tracks = open_tracks(&s, &session_path, 0);
    assert!(tracks.errors.is_empty());
    // A ring of a fifth of a second: the tests below wrap it many times.
    let (disk, feeds) = DiskStreams::start(tracks.readers, 9600, 1).expect("disk");
    (dir, disk, feeds)
}

/// Reads `frames` frames in blocks of the sizes given (cycled), waiting
/// for the disk thread as the offline render does.
fn read(feed: &mut RingFeed, disk: &DiskStreams, frames: usize, sizes: &[usize]) -> [Vec<f32>; 2] {
    let mut out = [Vec::new(), Vec::new()];
    let mut k = 0;
    while out[0].len() < frames {
        let n = sizes[k % sizes.len()].min(frames - out[0].len());
        k += 1;
        let since = std::time::Instant::now();
        while !feed.ready(n) {
            disk.wake();
            std::thread::sleep(std::time::Duration::from_micros(200));
            assert!(since.elapsed().as_secs() < 20, "the disk thread stalled");
        }
        let (mut l, mut r) = (vec![f32::NAN; n], vec![f32::NAN; n]);
        feed.fill(&mut l, &mut r);
        out[0].extend(l);
        out[1].extend(r);
    }
    out
}

#[test]
fn every_frame_arrives_once_and_in_order_whatever_the_block_sizes() {
    let frames = 3 * RATE as usize;
    let (_dir, disk, mut feeds) = streams(frames);
    let [l, r] = read(&mut feeds[0], &disk, frames, &[128, 37, 512, 1, 4096, 300]);
    for i in 0..frames {
        assert_eq!(
            (l[i], r[i]),
            (sample(i, 0), sample(i, 1)),
            "frame {i} is not the source's"
        );
    }
}

#[test]
fn a_source_shorter_than_its_loop_is_followed_by_silence_on_every_lap() {
    let source = RATE as usize / 2;
    let lap = 2 * RATE as usize;
    let (_dir, disk, _first) = streams(source);
    let mut feeds = disk.reposition(0, Some((0, lap as u64)));
    let [l, r] = read(&mut feeds[0], &disk, 4 * lap, &[256, 1000]);
    for k in 0..4 * lap {
        let i = k % lap;
        let want = if i < source {
            (sample(i, 0), sample(i, 1))
        } else {
            (0.0, 0.0)
        };
        assert_eq!((l[k], r[k]), want, "lap {} frame {i}", k / lap);
    }
}
