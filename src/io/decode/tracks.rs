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
    for c in s.channels.iter().filter(|c| c.kind == ChannelKind::Track) {
        let Some(src) = &c.source else { continue };
        let path = session::resolve_source(session_path, src);
        let open = if measure {
            SourceReader::open_measured
        } else {
            SourceReader::open
        };
        let opened = open(&path, s.sample_rate).and_then(|mut r| {
            if start_frame > 0 {
                r.seek(start_frame)?;
            }
            Ok(r)
        });
        match opened {
            Ok(reader) => {
                let info = reader.info();
                out.warnings.extend(info.truncation(&path));
                out.longest = out.longest.zip(info.frames).map(|(a, b)| a.max(b));
                out.slots.push((
                    c.id.clone(),
                    FeedInfo {
                        slot: out.readers.len(),
                        channels: info.channels,
                    },
                ));
                out.readers.push((path.display().to_string(), reader));
            }
            Err(e) => out.errors.push((c.id.clone(), e)),
        }
    }
    out
}
