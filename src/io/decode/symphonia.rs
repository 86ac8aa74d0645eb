//! General decoder for every format symphonia ("all" features) understands: FLAC, MP3,
//! Ogg Vorbis, AAC/M4A, ALAC, AIFF, CAF, MKV/WebM and WAV codecs the fast path declines,
//! plus Opus (Ogg, WebM, MKV) through libopus. Gapless: an MP4's edit list (encoder priming
//! and padding, see `mp4_edit`) and a Matroska segment's duration trim what the codec adds.
//!
//! It adapts symphonia's packet-at-a-time model to the mixer's "fill this slice" model:
//! one packet is decoded into a reusable interleaved `f32` buffer and handed out piecewise.
//! The media stream buffer (64 KB) plus one decoded packet is all it holds, so memory per
//! reader stays small whatever the file length.
//!
//! Error policy: problems found while opening (no audio track, >2 channels, nothing
//! decodable in the first packets) are errors, so a bad file is rejected when it is added.
//! Once playing, an isolated bad packet is skipped (what every player does for a glitch in
//! an MP3); a long run of them, or an I/O error other than end-of-file, is an error. A file
//! that simply stops early ends the stream there.

use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::AudioDecoder;
use symphonia::core::errors::{Error as SymError, SeekErrorKind};
use symphonia::core::formats::{FormatReader, SeekMode, SeekTo};
use symphonia::core::units::{Time, TimeBase, Timestamp};

use super::decoder::{Decoder, MAX_CHANNELS, sanitize};
use super::error::{Result, SourceError};
use super::media::{PANIC_REASON, guarded};
use super::symphonia_open::open_stream;

/// Consecutive undecodable packets tolerated before the file is declared corrupt.
const MAX_BAD_PACKETS: u32 = 32;
/// The same while opening: a few bad packets up front (e.g. junk before the first MP3
/// frame) are normal, more mean the file is not what it claims to be.
const MAX_BAD_PACKETS_AT_OPEN: u32 = 4;
/// Frames decoded and thrown away before a seek target. Lossy codecs need the previous
/// packet(s) to rebuild their overlap / bit-reservoir state; without this the first few
/// hundred frames after a seek differ audibly from continuous playback. 4096 frames is
/// over three MP3 frames, two long Vorbis blocks or four AAC frames, and costs well under
/// a millisecond.
const SEEK_PREROLL: u64 = 4096;

pub(crate) struct SymphoniaDecoder {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    time_base: Option<TimeBase>,
    channels: usize,
    sample_rate: u32,
    frames: Option<u64>,
    /// What the header claims when the file cannot hold it (see `media`).
    declared: Option<u64>,
    format_name: String,
    /// Speaker positions (WAVE channel-mask bits), when the container names them.
    mask: Option<u32>,
    /// Frames of the stream before the real audio (MP4 encoder priming); positions the
    /// caller sees start after them.
    skip: u64,
    /// Where the real audio ends (MP4 edit, Matroska duration), in the caller's frames.
    end: Option<u64>,
    /// The caller's frame `read` delivers next: counted, since some containers' timestamps
    /// are too coarse to place a frame (Matroska's are in milliseconds).
    pos: u64,
    /// Stream frame of `buf[0]`.
    buf_start: u64,
    /// Opus pre-skip: frames the decoder drops at the start of the stream, which the
    /// container's timestamps still count.
    pre_skip: u64,
    /// Decoded samples of the current packet, interleaved; reused for every packet.
    buf: Vec<f32>,
    /// Next unread sample index in `buf`.
    buf_pos: usize,
    /// After a seek: the source frame the caller asked for. Decoded audio before it is
    /// discarded because containers seek to a packet boundary at or before the target.
    seek_target: Option<u64>,
    eof: bool,
}

impl SymphoniaDecoder {
    /// Probes the file, picks the first decodable audio track and decodes its first packet.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let s = open_stream(path)?;
        let (skip, frames) = match s.edit {
            Some((skip, frames)) => (skip, Some(frames)),
            None => (0, s.frames),
        };
        let frames = frames.map(|n| n.saturating_sub(s.pre_skip));
        let mut this = SymphoniaDecoder {
            path: path.to_path_buf(),
            track_id: s.track_id,
            time_base: s.time_base,
            channels: s.channels,
            sample_rate: s.sample_rate,
            frames,
            declared: s.declared,
            format_name: s.format_name,
            mask: s.mask,
            skip,
            end: s.edit.and(frames),
            pos: 0,
            buf_start: 0,
            pre_skip: s.pre_skip,
            format: s.format,
            decoder: s.decoder,
            buf: Vec::new(),
            buf_pos: 0,
            seek_target: None,
            eof: false,
        };

        // Decode the first packet now: it proves the stream is decodable and gives the
        // authoritative channel count and rate (some containers leave them unset).
        if !this.next_buffer(true)? {
            return Err(SourceError::Empty { path: path.into() });
        }
        if this.channels == 0 || this.sample_rate == 0 {
            return Err(SourceError::corrupt(
                path,
                "stream does not state its channel count or sample rate",
            ));
        }
        // Encoder priming before the real audio: drop it like a seek would.
        let decoded = (this.buf.len() / this.channels) as u64;
        if this.buf_start + decoded <= skip {
            this.buf.clear();
            this.seek_target = Some(skip);
        } else {
            this.buf_pos = skip.saturating_sub(this.buf_start) as usize * this.channels;
        }
        Ok(this)
    }

    /// The header's length when the file cannot hold it (then `total_frames`
    /// is `None` until a scan says how much is there).
    pub(crate) fn declared_frames(&self) -> Option<u64> {
        self.declared
    }

    /// The length a scan of the packets found.
    pub(crate) fn set_frames(&mut self, frames: u64) {
        self.frames = Some(frames);
    }

    /// Replaces the demuxer and decoder with fresh ones positioned at the start.
    fn reopen(&mut self) -> Result<()> {
        let s = open_stream(&self.path)?;
        if s.track_id != self.track_id {
            return Err(SourceError::corrupt(
                &self.path,
                "file changed while it was being played",
            ));
        }
        self.format = s.format;
        self.decoder = s.decoder;
        self.eof = false;
        Ok(())
    }

    /// Decodes packets until one yields audio (stored in `buf`). `Ok(false)` at end of
    /// stream. With `opening`, the tolerance for bad packets is much lower: a file whose
    /// first packets do not decode is rejected rather than played as silence.
    fn next_buffer(&mut self, opening: bool) -> Result<bool> {
        let mut bad = 0u32;
        loop {
            let format = &mut self.format;
            let next = guarded(&self.path, || format.next_packet()).inspect_err(|_| {
                self.eof = true;
            })?;
            let packet = match next {
                Ok(Some(p)) => p,
                // Chained Ogg streams signal ResetRequired; treat the first stream's end as
                // the end of the source.
                Ok(None) | Err(SymError::ResetRequired) => return self.end(),
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    if opening {
                        return Err(SourceError::truncated(
                            &self.path,
                            "file ends before the first audio packet",
                        ));
                    }
                    return self.end();
                }
                Err(SymError::IoError(e)) => return Err(SourceError::io(&self.path, e)),
                Err(e) => {
                    bad += 1;
                    if opening || bad > MAX_BAD_PACKETS {
                        return Err(SourceError::corrupt(&self.path, e.to_string()));
                    }
                    continue;
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            let decoder = &mut self.decoder;
            let result = guarded(&self.path, || decoder.decode(&packet));
            let Ok(result) = result else {
                self.eof = true;
                return Err(SourceError::corrupt(&self.path, PANIC_REASON));
            };
            let decoded = match result {
                Ok(d) => d,
                Err(SymError::DecodeError(e)) => {
                    bad += 1;
                    if bad > MAX_BAD_PACKETS || (opening && bad > MAX_BAD_PACKETS_AT_OPEN) {
                        return Err(SourceError::corrupt(&self.path, e));
                    }
                    continue;
                }
                Err(SymError::IoError(_)) => {
                    // Packet data shorter than its header claims: skip like a bad packet.
                    bad += 1;
                    if bad > MAX_BAD_PACKETS || (opening && bad > MAX_BAD_PACKETS_AT_OPEN) {
                        return Err(SourceError::truncated(
                            &self.path,
                            "audio packet is cut short",
                        ));
                    }
                    continue;
                }
                Err(SymError::Unsupported(what)) => {
                    // At open this really is a feature we lack; mid-stream, after packets of
                    // the same stream decoded fine, it is almost always a damaged packet.
                    bad += 1;
                    if opening || bad > MAX_BAD_PACKETS {
                        let why = format!("uses an unsupported codec feature ({what})");
                        return Err(SourceError::unsupported(&self.path, why));
                    }
                    continue;
                }
                Err(e) => return Err(SourceError::corrupt(&self.path, e.to_string())),
            };
            bad = 0;
            if decoded.frames() == 0 {
                // E.g. Vorbis' first packet after a reset only primes the overlap.
                continue;
            }

            let spec = decoded.spec();
            let n_ch = spec.channels().count();
            if n_ch > MAX_CHANNELS {
                return Err(SourceError::TooManyChannels {
                    path: self.path.clone(),
                    channels: n_ch,
                });
            }
            if self.channels == 0 {
                self.channels = n_ch;
            } else if n_ch != self.channels {
                return Err(SourceError::corrupt(
                    &self.path,
                    "channel count changes mid-stream",
                ));
            }
            if self.sample_rate == 0 {
                self.sample_rate = spec.rate();
            }
            // Where this buffer starts, for discarding up to a seek target. With gapless
            // decoding the decoder has already removed `trim_start` frames.
            let trimmed = decoded.frames() as u64 <= packet.dur.get();
            let mut start_ts = if packet.trim_start.get() == 0 || trimmed {
                packet
                    .pts
                    .get()
                    .saturating_add(packet.trim_start.get() as i64)
            } else {
                packet.pts.get()
            };
            if self.pre_skip > 0 {
                // The Opus decoder cuts its pre-skip off the front of the first packet.
                let kept = packet
                    .dur
                    .get()
                    .saturating_sub(packet.trim_start.get())
                    .saturating_sub(packet.trim_end.get());
                let cut = kept.saturating_sub(decoded.frames() as u64);
                start_ts = start_ts.saturating_add(cut as i64);
            }
            let total = decoded.frames();
            decoded.copy_to_vec_interleaved(&mut self.buf);
            // Float decoders fed damaged data can emit NaN/inf; never pass those on.
            self.buf.iter_mut().for_each(|x| *x = sanitize(*x));
            self.buf_pos = 0;
            self.buf_start = self.ts_to_frames(start_ts).saturating_sub(self.pre_skip);

            if let Some(target) = self.seek_target.take() {
                let start = self.buf_start;
                if start.saturating_add(total as u64) <= target {
                    // Entirely before the target: keep looking, still seeking.
                    self.seek_target = Some(target);
                    self.buf.clear();
                    continue;
                }
                let skip = target.saturating_sub(start) as usize;
                self.buf_pos = skip * self.channels;
            }
            return Ok(true);
        }
    }

    fn end(&mut self) -> Result<bool> {
        self.eof = true;
        self.buf.clear();
        self.buf_pos = 0;
        Ok(false)
    }

    /// Converts a track timestamp to a frame index (negative clamps to 0).
    fn ts_to_frames(&self, ts: i64) -> u64 {
        let ts = u128::try_from(ts).unwrap_or(0);
        match self.time_base {
            Some(tb) => {
                let n = ts * u128::from(tb.numer.get()) * u128::from(self.sample_rate)
                    / u128::from(tb.denom.get());
                u64::try_from(n).unwrap_or(u64::MAX)
            }
            None => u64::try_from(ts).unwrap_or(u64::MAX),
        }
    }
}

impl Decoder for SymphoniaDecoder {
    fn channels(&self) -> usize {
        self.channels
    }

    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn total_frames(&self) -> Option<u64> {
        self.frames
    }

    fn format_name(&self) -> String {
        self.format_name.clone()
    }

    fn channel_mask(&self) -> Option<u32> {
        self.mask
    }

    /// Copies decoded frames into `out`; returns frames written (0 at end of stream).
    /// Returns at most what is left of one packet; the caller loops.
    fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        let ch = self.channels;
        while self.buf_pos >= self.buf.len() {
            if self.eof || !self.next_buffer(false)? {
                return Ok(0);
            }
        }
        let mut n = (self.buf.len() - self.buf_pos).min(out.len() - out.len() % ch);
        if let Some(end) = self.end {
            // Encoder padding after the real audio (MP4 edit, Matroska duration).
            let left = usize::try_from(end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
            n = n.min(left.saturating_mul(ch));
            if n == 0 {
                self.eof = true;
                return Ok(0);
            }
        }
        self.pos += (n / ch) as u64;
        out[..n].copy_from_slice(&self.buf[self.buf_pos..self.buf_pos + n]);
        self.buf_pos += n;
        Ok(n / ch)
    }

    /// Seeks to source `frame`. Past the end, or a container refusing the position, gives
    /// end of stream rather than an error, matching the WAV path.
    fn seek(&mut self, frame: u64) -> Result<()> {
        self.buf.clear();
        self.buf_pos = 0;
        self.seek_target = None;
        self.pos = frame;
        if self.frames.is_some_and(|n| frame >= n) {
            self.eof = true;
            return Ok(());
        }
        let frame = frame.saturating_add(self.skip); // positions count after the priming
        if self.eof {
            // Some demuxers (isomp4) cannot seek any more once they have hit the end of the
            // file; a fresh one is cheap compared to decoding.
            self.reopen()?;
        }
        let seek_at = frame.saturating_sub(SEEK_PREROLL);
        let to = match self.time_base {
            // Timebase is 1/rate for nearly all audio tracks: seek by exact frame index.
            Some(tb) if tb.numer.get() == 1 && tb.denom.get() == self.sample_rate => {
                SeekTo::Timestamp {
                    ts: Timestamp::new(i64::try_from(seek_at).unwrap_or(i64::MAX)),
                    track_id: self.track_id,
                }
            }
            _ => {
                let ns = i128::from(seek_at) * 1_000_000_000 / i128::from(self.sample_rate);
                let time = Time::try_from_nanos_i128(ns).unwrap_or(Time::from(0u32));
                SeekTo::Time {
                    time,
                    track_id: Some(self.track_id),
                }
            }
        };
        let format = &mut self.format;
        match guarded(&self.path, || format.seek(SeekMode::Accurate, to))? {
            Ok(_) => {
                self.decoder.reset();
                self.seek_target = Some(frame);
                Ok(())
            }
            Err(SymError::SeekError(SeekErrorKind::OutOfRange)) => {
                self.eof = true;
                Ok(())
            }
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                self.eof = true;
                Ok(())
            }
            Err(_) => {
                // The container cannot seek (no index, damaged index…): start again from
                // the top and decode forward, discarding audio up to the target.
                self.reopen()?;
                self.seek_target = Some(frame);
                Ok(())
            }
        }
    }
}
