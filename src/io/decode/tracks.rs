//! Opening every track's source of a session at once: the readers for the
//! disk threads, the feed slot of each track, and what could not be opened.

use std::path::Path;

use super::error::SourceError;
use super::reader::SourceReader;
use crate::graph::FeedInfo;
use crate::session::{self, ChannelKind, Session};

/// The playable sources of a session, positioned at a start frame.
pub struct OpenedTracks {
    /// (file name for messages, reader), in feed-slot order.
    pub readers: Vec<(String, SourceReader)>,
    /// Track id → feed slot and width.
    pub slots: Vec<(String, FeedInfo)>,
    /// Tracks whose source cannot be played, with the reason.
    pub errors: Vec<(String, SourceError)>,
    /// Frames of the longest source (`None` if some length is unknown).
    pub longest: Option<u64>,
    /// Sources that play but hold less than their header says (one line
    /// each, naming the file and how much is missing).
    pub warnings: Vec<String>,
}

impl OpenedTracks {
    pub fn slot(&self, id: &str) -> Option<FeedInfo> {
        self.slots.iter().find(|(t, _)| t == id).map(|(_, f)| *f)
    }
}

/// Opens every track's source and seeks it to `start_frame`. A source that
/// fails is listed in `errors`; the caller decides whether that is fatal
/// (a render) or a silent, flagged track (the console).
pub fn open_tracks(s: &Session, session_path: &Path, start_frame: u64) -> OpenedTracks {
    open_all(s, session_path, start_frame, false)
}

/// Like `open_tracks`, measuring every compressed source's true length
/// (`SourceReader::open_measured`): for `check` and offline renders, which
/// must not run on past the end of a truncated file.
pub fn open_tracks_measured(s: &Session, session_path: &Path, start_frame: u64) -> OpenedTracks {
    open_all(s, session_path, start_frame, true)
}

fn open_all(s: &Session, session_path: &Path, start_frame: u64, measure: bool) -> OpenedTracks {
    let mut out = OpenedTracks {
        readers: Vec::new(),
        slots: Vec::new(),
        errors: Vec::new(),
        longest: Some(0),
        warnings: Vec::new(),
    };
    let tracks: Vec<(&str, std::path::PathBuf)> = s
        .channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Track)
        .filter_map(|c| {
            Some((
                c.id.as_str(),
                session::resolve_source(session_path, c.source.as_ref()?),
            ))
        })
        .collect();
    let open = |path: &Path| {
        let open = if measure {
            SourceReader::open_measured
        } else {
            SourceReader::open
        };
        open(path, s.sample_rate).and_then(|mut r| {
            if start_frame > 0 {
                r.seek(start_frame)?;
            }
            Ok(r)
        })
    };
    let opened = in_parallel(&tracks, |(_, path)| open(path), measure);
    for ((id, path), opened) in tracks.iter().zip(opened) {
        match opened {
            Ok(reader) => {
                let info = reader.info();
                out.warnings.extend(info.truncation(path));
                out.longest = out.longest.zip(info.frames).map(|(a, b)| a.max(b));
                out.slots.push((
                    (*id).to_owned(),
                    FeedInfo {
                        slot: out.readers.len(),
                        channels: info.channels,
                    },
                ));
                out.readers.push((path.display().to_string(), reader));
            }
            Err(e) => out.errors.push(((*id).to_owned(), e)),
        }
    }
    out
}

/// `f` of every item, in order. When `parallel`, spread over the cores:
/// measuring a compressed source reads all its packets (a FLAC's are parsed
/// and checksummed), which for a session of long files is seconds of work
/// before a render can start.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    parallel: bool,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if parallel {
        threads.min(items.len())
    } else {
        1
    };
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(k) else { break };
                        mine.push((k, f(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.sort_by_key(|(k, _)| *k);
    results.into_iter().map(|(_, r)| r).collect()
}
