//! General decoder for every format symphonia ("all" features) understands: FLAC, MP3,
//! Ogg Vorbis, AAC/M4A, ALAC, AIFF, CAF, MKV/WebM and WAV codecs the fast path declines.
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

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::{Error as SymError, SeekErrorKind};
use symphonia::core::formats::{FormatReader, SeekMode, SeekTo, TrackType};
use symphonia::core::units::{Time, TimeBase, Timestamp};

use super::decoder::{Decoder, sanitize};
use super::error::{Result, SourceError};
use super::media::{PANIC_REASON, guarded, max_frames_for, probe};

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
        let mut this = SymphoniaDecoder {
            path: path.to_path_buf(),
            track_id: s.track_id,
            time_base: s.time_base,
            channels: s.channels,
            sample_rate: s.sample_rate,
            frames: s.frames,
            declared: s.declared,
            format_name: s.format_name,
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
            if n_ch > 2 {
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
            let start_ts = if packet.trim_start.get() == 0 || trimmed {
                packet
                    .pts
                    .get()
                    .saturating_add(packet.trim_start.get() as i64)
            } else {
                packet.pts.get()
            };
            let total = decoded.frames();
            decoded.copy_to_vec_interleaved(&mut self.buf);
            // Float decoders fed damaged data can emit NaN/inf; never pass those on.
            self.buf.iter_mut().for_each(|x| *x = sanitize(*x));
            self.buf_pos = 0;

            if let Some(target) = self.seek_target.take() {
                let start = self.ts_to_frames(start_ts);
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

    /// Copies decoded frames into `out`; returns frames written (0 at end of stream).
    /// Returns at most what is left of one packet; the caller loops.
    fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        let ch = self.channels;
        while self.buf_pos >= self.buf.len() {
            if self.eof || !self.next_buffer(false)? {
                return Ok(0);
            }
        }
        let n = (self.buf.len() - self.buf_pos).min(out.len() - out.len() % ch);
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
        if self.frames.is_some_and(|n| frame >= n) {
            self.eof = true;
            return Ok(());
        }
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

/// A freshly probed demuxer and decoder for the file's audio track.
pub(crate) struct Stream {
    pub(crate) format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    pub(crate) track_id: u32,
    pub(crate) time_base: Option<TimeBase>,
    /// 0 when the container does not say; then the first decoded packet decides.
    channels: usize,
    pub(crate) sample_rate: u32,
    /// The length the header states, if the file can hold it.
    pub(crate) frames: Option<u64>,
    /// The length the header states when the file cannot hold it.
    pub(crate) declared: Option<u64>,
    format_name: String,
}

pub(crate) fn open_stream(path: &Path) -> Result<Stream> {
    let (format, cut_declared) = probe(path)?;

    let track = format
        .default_track(TrackType::Audio)
        .or_else(|| format.first_track_known_codec(TrackType::Audio))
        .ok_or_else(|| SourceError::unsupported(path, "contains no audio track"))?;
    let (track_id, time_base, mut frames) = (track.id, track.time_base, track.num_frames);
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| SourceError::unsupported(path, "audio track has no codec information"))?;
    let channels = params.channels.as_ref().map_or(0, |c| c.count());
    let sample_rate = params.sample_rate.unwrap_or(0);
    // Reject >2 channels before decoding anything when the container already says so.
    if channels > 2 {
        return Err(SourceError::TooManyChannels {
            path: path.into(),
            channels,
        });
    }
    let codecs = symphonia::default::get_codecs();
    let decoder = guarded(path, || {
        codecs.make_audio_decoder(params, &AudioDecoderOptions::default())
    })?
    .map_err(|_| SourceError::unsupported(path, "uses an audio codec auxbus cannot decode"))?;
    let format_name = describe(
        format.format_info().short_name,
        decoder.codec_info().short_name,
    );
    // A length the file's bytes cannot hold (a damaged header) is not trusted.
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let bits = params.bits_per_coded_sample.or(params.bits_per_sample);
    let most = max_frames_for(bytes, decoder.codec_info().short_name, channels, bits);
    let declared = frames.filter(|&f| f > most).or(cut_declared);
    if declared.is_some() {
        frames = None;
    }
    Ok(Stream {
        format,
        decoder,
        track_id,
        time_base,
        channels,
        sample_rate,
        frames,
        declared,
        format_name,
    })
}

/// "FLAC", "MP3", "AAC (isomp4)"… the codec, plus the container where that adds anything.
fn describe(container: &str, codec: &str) -> String {
    let codec_name = match codec {
        "flac" => "FLAC".to_string(),
        "mp3" | "mp2" | "mp1" => codec.to_uppercase(),
        "vorbis" => "Ogg Vorbis".to_string(),
        "aac" => "AAC".to_string(),
        "alac" => "ALAC".to_string(),
        other => other.to_uppercase(),
    };
    let container_name = match container {
        "flac" | "mp3" | "mpa" | "ogg" => return codec_name,
        "wave" | "wav" => "WAV",
        "aiff" => "AIFF",
        "isomp4" | "mp4" => "MP4",
        "caf" => "CAF",
        "matroska" | "mkv" | "webm" => "MKV",
        "adts" | "aac" => return codec_name,
        other => other,
    };
    format!("{codec_name} ({container_name})")
}
