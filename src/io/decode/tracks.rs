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
    let mut out = OpenedTracks {
        readers: Vec::new(),
        slots: Vec::new(),
        errors: Vec::new(),
        longest: Some(0),
    };
    for c in s.channels.iter().filter(|c| c.kind == ChannelKind::Track) {
        let Some(src) = &c.source else { continue };
        let path = session::resolve_source(session_path, src);
        let opened = SourceReader::open(&path, s.sample_rate).and_then(|mut r| {
            if start_frame > 0 {
                r.seek(start_frame)?;
            }
            Ok(r)
        });
        match opened {
            Ok(reader) => {
                let info = reader.info();
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
