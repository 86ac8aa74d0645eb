//! The front door of decoding: the one way the mixer gets samples out of a file.
//!
//! [`SourceReader`] opens any file the mixer can play, validates it up front (so a broken
//! file is reported when the user adds it, not halfway through a render), and then hands
//! out interleaved `f32` frames at the session's sample rate, a block at a time.
//!
//! Decoding is split by cost:
//! * plain PCM / float WAV — by far the most common stem format and the one a render reads
//!   64 of at once — goes through [`super::wav_fast`], a tiny RIFF parser that converts
//!   straight from a reusable byte buffer into the caller's slice;
//! * everything else (FLAC, MP3, Vorbis, AAC, ALAC, AIFF, CAF, MKV, exotic WAV codecs) goes
//!   through symphonia in [`super::symphonia`].
//!
//! If the file's rate differs from the session rate, [`super::resample`] sits on top.
//! Memory per reader is bounded (a few hundred KB of buffers); files are never loaded whole.

use std::path::Path;

use super::decoder::{Decoder, convert_len, fill};
use super::downmix::Downmix;
use super::error::{Result, SourceError};
use super::resample::StreamResampler;
use super::symphonia::SymphoniaDecoder;
use super::wav_fast::WavReader;
use super::wav_header::wav_codec;

/// Sample rates accepted for files and sessions.
const RATE_RANGE: std::ops::RangeInclusive<u32> = 4_000..=768_000;

/// What a source is, as reported after a successful [`SourceReader::open`].
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// 1 (mono) or 2 (stereo; also a 3–8 channel file, folded down).
    pub channels: usize,
    /// Sample rate stored in the file.
    pub source_rate: u32,
    /// Rate frames are delivered at (the session rate).
    pub target_rate: u32,
    /// Length in frames at `target_rate`, when the container states it.
    pub frames: Option<u64>,
    /// Human readable format, e.g. "WAV float32", "FLAC", "MP3".
    pub format: String,
    /// The file's own channel layout when it has more than two channels, e.g.
    /// "5.1 (L R C LFE Lb Rb), downmixed to stereo".
    pub layout: Option<String>,
    /// What the header promises (at `target_rate`) when the file holds less:
    /// the file is truncated (or its header damaged) and plays what is there.
    pub declared_frames: Option<u64>,
}

impl SourceInfo {
    /// "file: truncated: …" when the file holds less than its header says.
    pub fn truncation(&self, path: &Path) -> Option<String> {
        let declared = self.declared_frames?;
        let rate = f64::from(self.target_rate.max(1));
        let secs = |f: u64| f as f64 / rate;
        let there = self.frames.unwrap_or(0);
        Some(format!(
            "{}: truncated (or its header is damaged): the header promises {:.2} s but \
             the file holds {:.2} s ({:.2} s missing); playing what is there",
            path.display(),
            secs(declared),
            secs(there),
            secs(declared.saturating_sub(there))
        ))
    }
}

/// Frames a scan may fall short of the header before a file counts as cut
/// short: a few packets (decoder delay, the cut-off last packet).
const TRUNCATION_SLACK: u64 = 4800;

/// The decoder a reader owns: an enum rather than a `dyn Decoder` so the hot WAV path is a
/// direct call.
enum AnyDecoder {
    Wav(WavReader),
    Symphonia(Box<SymphoniaDecoder>),
    /// A 3–8 channel file of either kind, folded down to stereo.
    Downmix(Box<Downmix<AnyDecoder>>),
}

impl AnyDecoder {
    /// What the header promised when the file holds less.
    fn declared_frames(&self) -> Option<u64> {
        match self {
            AnyDecoder::Wav(d) => d.declared_frames(),
            AnyDecoder::Symphonia(d) => d.declared_frames(),
            AnyDecoder::Downmix(d) => d.inner().declared_frames(),
        }
    }

    /// The symphonia decoder, also under a downmix.
    fn symphonia_mut(&mut self) -> Option<&mut SymphoniaDecoder> {
        match self {
            AnyDecoder::Wav(_) => None,
            AnyDecoder::Symphonia(d) => Some(d),
            AnyDecoder::Downmix(d) => d.inner_mut().symphonia_mut(),
        }
    }
}

impl Decoder for AnyDecoder {
    fn channels(&self) -> usize {
        match self {
            AnyDecoder::Wav(d) => d.channels(),
            AnyDecoder::Symphonia(d) => d.channels(),
            AnyDecoder::Downmix(d) => d.channels(),
        }
    }

    fn sample_rate(&self) -> u32 {
        match self {
            AnyDecoder::Wav(d) => d.sample_rate(),
            AnyDecoder::Symphonia(d) => d.sample_rate(),
            AnyDecoder::Downmix(d) => d.sample_rate(),
        }
    }

    fn total_frames(&self) -> Option<u64> {
        match self {
            AnyDecoder::Wav(d) => d.total_frames(),
            AnyDecoder::Symphonia(d) => d.total_frames(),
            AnyDecoder::Downmix(d) => d.total_frames(),
        }
    }

    fn format_name(&self) -> String {
        match self {
            AnyDecoder::Wav(d) => d.format_name(),
            AnyDecoder::Symphonia(d) => d.format_name(),
            AnyDecoder::Downmix(d) => d.format_name(),
        }
    }

    fn channel_mask(&self) -> Option<u32> {
        match self {
            AnyDecoder::Wav(d) => d.channel_mask(),
            AnyDecoder::Symphonia(d) => d.channel_mask(),
            AnyDecoder::Downmix(d) => d.channel_mask(),
        }
    }

    fn layout(&self) -> Option<String> {
        match self {
            AnyDecoder::Downmix(d) => d.layout(),
            _ => None,
        }
    }

    fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        match self {
            AnyDecoder::Wav(d) => d.read(out),
            AnyDecoder::Symphonia(d) => d.read(out),
            AnyDecoder::Downmix(d) => d.read(out),
        }
    }

    fn seek(&mut self, frame: u64) -> Result<()> {
        match self {
            AnyDecoder::Wav(d) => d.seek(frame),
            AnyDecoder::Symphonia(d) => d.seek(frame),
            AnyDecoder::Downmix(d) => d.seek(frame),
        }
    }
}

/// A streaming reader for one audio file. `Send`, so it can be moved to a render or
/// disk-streaming thread.
pub struct SourceReader {
    info: SourceInfo,
    decoder: AnyDecoder,
    /// Present only when the file's rate differs from the target rate.
    resampler: Option<StreamResampler>,
}

impl SourceReader {
    /// Opens and validates: decodes the first packet so an empty/corrupt/truncated file fails
    /// here, not later.
    pub fn open(path: &Path, target_rate: u32) -> Result<Self> {
        if !RATE_RANGE.contains(&target_rate) {
            return Err(SourceError::unsupported(
                path,
                format!("cannot play at a session rate of {target_rate} Hz"),
            ));
        }
        let meta = std::fs::metadata(path).map_err(|e| SourceError::io(path, e))?;
        if meta.is_dir() {
            return Err(SourceError::unsupported(
                path,
                "is a folder, not an audio file",
            ));
        }
        if meta.len() == 0 {
            return Err(SourceError::Empty {
                path: path.to_path_buf(),
            });
        }

        // Fast path first; it declines (Ok(None)) anything that is not plain PCM/float WAV,
        // but reports errors (truncation, >2 channels) for files that clearly are.
        let decoder = match WavReader::open(path)? {
            Some(w) => AnyDecoder::Wav(w),
            None => AnyDecoder::Symphonia(Box::new(
                SymphoniaDecoder::open(path).map_err(|e| name_wav_codec(path, e))?,
            )),
        };
        let decoder = if decoder.channels() > 2 {
            AnyDecoder::Downmix(Box::new(Downmix::new(decoder)))
        } else {
            decoder
        };
        let (channels, source_rate) = (decoder.channels(), decoder.sample_rate());
        let (source_frames, format) = (decoder.total_frames(), decoder.format_name());
        let layout = decoder.layout();
        let declared = decoder.declared_frames();

        if !RATE_RANGE.contains(&source_rate) {
            // Also keeps a nonsense header rate from sizing huge resampler buffers.
            return Err(SourceError::unsupported(
                path,
                format!("sample rate of {source_rate} Hz is outside 4 kHz–768 kHz"),
            ));
        }
        let resampler = if source_rate == target_rate {
            None
        } else {
            Some(StreamResampler::new(
                path,
                source_rate,
                target_rate,
                channels,
            )?)
        };
        let frames = source_frames.map(|n| convert_len(n, source_rate, target_rate));
        let declared_frames = declared.map(|n| convert_len(n, source_rate, target_rate));

        Ok(SourceReader {
            info: SourceInfo {
                channels,
                source_rate,
                target_rate,
                frames,
                format,
                layout,
                declared_frames,
            },
            decoder,
            resampler,
        })
    }

    /// Opens like `open`, then measures what a compressed (or non-PCM)
    /// file really holds by reading its packets, so a truncated file or a
    /// damaged header gives the true length and `declared_frames` says what
    /// is missing. Costs one read of the file (no decoding).
    pub fn open_measured(path: &Path, target_rate: u32) -> Result<Self> {
        let mut r = Self::open(path, target_rate)?;
        let Some(d) = r.decoder.symphonia_mut() else {
            return Ok(r); // PCM WAV: measured from its size already
        };
        let held = super::length::scan_frames(path)?;
        let claimed = d.declared_frames().or(d.total_frames());
        d.set_frames(held);
        let (from, to) = (r.info.source_rate, r.info.target_rate);
        r.info.frames = Some(convert_len(held, from, to));
        if let Some(claimed) = claimed.filter(|&c| c > held.saturating_add(TRUNCATION_SLACK)) {
            r.info.declared_frames = Some(convert_len(claimed, from, to));
        } else {
            r.info.declared_frames = None;
        }
        if held == 0 {
            return Err(SourceError::truncated(
                path,
                "the file holds no complete audio packet",
            ));
        }
        Ok(r)
    }

    /// What was opened.
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Appends up to `out.len() / channels` frames at the target rate into `out`, interleaved
    /// (L,R,L,R… for stereo, one sample per frame for mono). Returns frames written; fills
    /// `out` completely unless the stream ends, and returns 0 only at end of stream.
    /// No allocation in steady state.
    pub fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        // A ragged tail would be a caller bug; ignore it rather than write half a frame.
        let usable = out.len() - out.len() % self.info.channels;
        let out = &mut out[..usable];
        match &mut self.resampler {
            None => fill(&mut self.decoder, out, self.info.channels),
            Some(r) => r.read(&mut self.decoder, out),
        }
    }

    /// Seeks to `frame` (in target-rate frames). Resets the resampler; seeking past the end
    /// gives end of stream.
    pub fn seek(&mut self, frame: u64) -> Result<()> {
        match &mut self.resampler {
            None => self.decoder.seek(frame),
            Some(r) => r.seek(&mut self.decoder, frame),
        }
    }
}

/// A WAV file whose codec neither decoder has (GSM 6.10, …) would otherwise be called
/// unrecognised: say what it is instead.
fn name_wav_codec(path: &Path, e: SourceError) -> SourceError {
    match (&e, wav_codec(path)) {
        (SourceError::Unsupported { .. }, Some(codec)) => SourceError::unsupported(
            path,
            format!(
                "is a WAV file of {codec} audio, which auxbus cannot decode \
                 (convert it to PCM WAV or FLAC)"
            ),
        ),
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn reader_is_send() {
        assert_send::<SourceReader>();
    }
}
