//! Opening a file with symphonia: probing the container, choosing the audio track and
//! its decoder (symphonia's codecs plus Opus through libopus), and reading what the
//! container says about the real audio (an MP4 edit list, a Matroska duration, the Opus
//! pre-skip). The decoding loop itself is in `symphonia`.

use std::path::Path;
use std::sync::LazyLock;

use symphonia::core::audio::Channels;
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::codecs::registry::CodecRegistry;
use symphonia::core::formats::{FormatReader, TrackType};
use symphonia::core::units::TimeBase;

use super::decoder::MAX_CHANNELS;
use super::error::{Result, SourceError};
use super::media::{FrameBound, guarded, probe};
use super::mp4_edit;

/// symphonia's codecs plus Opus (libopus).
static CODECS: LazyLock<CodecRegistry> = LazyLock::new(|| {
    let mut registry = CodecRegistry::new();
    symphonia::default::register_enabled_codecs(&mut registry);
    registry.register_audio_decoder::<symphonia_adapter_libopus::OpusDecoder>();
    registry
});

/// A freshly probed demuxer and decoder for the file's audio track.
pub(crate) struct Stream {
    pub(crate) format: Box<dyn FormatReader>,
    pub(crate) decoder: Box<dyn AudioDecoder>,
    pub(crate) track_id: u32,
    pub(crate) time_base: Option<TimeBase>,
    /// 0 when the container does not say; then the first decoded packet decides.
    pub(crate) channels: usize,
    pub(crate) sample_rate: u32,
    /// The length the header states, if the file can hold it.
    pub(crate) frames: Option<u64>,
    /// The length the header states when the file cannot hold it.
    pub(crate) declared: Option<u64>,
    pub(crate) format_name: String,
    pub(crate) mask: Option<u32>,
    /// (frames to skip, frames of real audio) from the container, if it says.
    pub(crate) edit: Option<(u64, u64)>,
    /// Opus pre-skip (OpusHead), in frames at 48 kHz; 0 for other codecs.
    pub(crate) pre_skip: u64,
    /// The most frames some bytes of its packets can hold: a damaged
    /// header can make every packet claim millions.
    pub(crate) bound: FrameBound,
}

pub(crate) fn open_stream(path: &Path) -> Result<Stream> {
    // A container whose header promises more than the bytes hold comes back
    // with the promised length in `cut_declared` (see `media::probe`).
    let (format, cut_declared) = probe(path)?;

    let track = format
        .default_track(TrackType::Audio)
        .or_else(|| format.first_track_known_codec(TrackType::Audio))
        .ok_or_else(|| SourceError::unsupported(path, "contains no audio track"))?;
    let (track_id, mut frames) = (track.id, track.num_frames);
    // Matroska states its timebase for the whole segment, not per track.
    let time_base = track.time_base.or(format.media_info().time_base);
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| SourceError::unsupported(path, "audio track has no codec information"))?;
    let channels = params.channels.as_ref().map_or(0, |c| c.count());
    let sample_rate = params.sample_rate.unwrap_or(0);
    let mask = match params.channels.as_ref() {
        Some(Channels::Positioned(p)) => u32::try_from(p.bits() & 0x7FF).ok().filter(|&m| m != 0),
        _ => None,
    };
    // Reject too many channels before decoding anything when the container already says so.
    if channels > MAX_CHANNELS {
        return Err(SourceError::TooManyChannels {
            path: path.into(),
            channels,
        });
    }
    let codecs = &*CODECS;
    let decoder = guarded(path, || {
        codecs.make_audio_decoder(params, &AudioDecoderOptions::default())
    })?
    .map_err(|_| SourceError::unsupported(path, "uses an audio codec auxbus cannot decode"))?;
    let container = format.format_info().short_name;
    let codec = decoder.codec_info().short_name;
    let format_name = describe(container, codec);
    // A length the file's bytes cannot hold (a damaged header) is not trusted:
    // the file plays what it has, and the claim is kept for the warning.
    let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let bits = params.bits_per_coded_sample.or(params.bits_per_sample);
    let bound = FrameBound::of(codec, channels, bits);
    let most = bound.frames_in(bytes);
    let declared = frames.filter(|&f| f > most).or(cut_declared);
    if declared.is_some() {
        frames = None;
    }
    let pre_skip = match params.extra_data.as_deref() {
        Some(head) if codec == "opus" && head.len() >= 12 && head.starts_with(b"OpusHead") => {
            u64::from(u16::from_le_bytes([head[10], head[11]]))
        }
        _ => 0,
    };
    let edit = match container {
        "isomp4" | "mp4" if sample_rate > 0 => {
            mp4_edit::audio_edit(path, sample_rate).map(|e| (e.skip, e.frames))
        }
        "matroska" | "mkv" | "webm" if sample_rate > 0 => {
            // The segment's duration is the real length; the last block's padding is not.
            let info = format.media_info();
            info.duration.zip(info.time_base).map(|(d, tb)| {
                let n = u128::from(d.get()) * u128::from(tb.numer.get()) * u128::from(sample_rate);
                let den = u128::from(tb.denom.get());
                (0, u64::try_from((n + den / 2) / den).unwrap_or(u64::MAX))
            })
        }
        _ => None,
    };
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
        mask,
        edit,
        pre_skip,
        bound,
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
        "opus" => "Opus".to_string(),
        other => other.to_uppercase(),
    };
    let container_name = match container {
        "flac" | "mp3" | "mpa" => return codec_name,
        "ogg" if codec == "vorbis" => return codec_name,
        "ogg" => "Ogg",
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
