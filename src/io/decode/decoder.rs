//! The contract between the reader and its decoders, and the few sample rules
//! every decoder shares.
//!
//! A decoder produces interleaved `f32` frames at the file's own rate and may
//! return short reads (one packet, one read-ahead chunk); [`fill`] turns those
//! into the full reads the public API promises. Resampling and the session
//! rate live above this trait, so a decoder never needs to know about them.

use super::error::Result;

/// A decoder stage: interleaved frames at the file's own rate. Implemented by the fast WAV
/// path and by symphonia.
pub(crate) trait Decoder {
    /// 1 (mono), 2 (stereo), or up to `MAX_CHANNELS` (folded down to stereo above the
    /// decoder); opening rejects more.
    fn channels(&self) -> usize;

    /// Sample rate stored in the file.
    fn sample_rate(&self) -> u32;

    /// Length in frames at the file's rate, when the container states it.
    fn total_frames(&self) -> Option<u64>;

    /// Human readable format, e.g. "WAV float32", "FLAC", "MP3".
    fn format_name(&self) -> String;

    /// Speaker positions of a multichannel file, as WAVE channel-mask bits (bit 0 front
    /// left, 1 front right, 2 centre, 3 LFE, …), when the file states them.
    fn channel_mask(&self) -> Option<u32> {
        None
    }

    /// The channel layout, when there is more to say than mono or stereo.
    fn layout(&self) -> Option<String> {
        None
    }

    /// Fills `out` (interleaved, source rate) as far as possible; returns frames written,
    /// 0 only at end of stream.
    fn read(&mut self, out: &mut [f32]) -> Result<usize>;

    /// Positions the decoder at `frame` (source rate). Past the end means end of stream.
    fn seek(&mut self, frame: u64) -> Result<()>;
}

/// Most channels a source may have: up to 7.1, folded down to stereo by `downmix`.
pub(crate) const MAX_CHANNELS: usize = 8;

/// Reads from `decoder` until `out` is full or the stream ends; returns frames written.
/// Decoders may return short reads (e.g. one packet), the public API promises full ones.
pub(crate) fn fill<D: Decoder>(decoder: &mut D, out: &mut [f32], channels: usize) -> Result<usize> {
    let mut filled = 0;
    while filled < out.len() {
        let n = decoder.read(&mut out[filled..])?;
        if n == 0 {
            break;
        }
        filled += n * channels;
    }
    Ok(filled / channels)
}

/// Largest magnitude a float sample may have on delivery (+48 dBFS). Float files may
/// legitimately exceed full scale, but NaN, infinities or absurd values from a damaged file
/// must not reach the mix bus (one NaN poisons every filter after it) or the FFT resampler
/// (which panics on non-finite input).
pub(crate) const FLOAT_LIMIT: f32 = 256.0;

/// Maps NaN to silence and clamps to ±[`FLOAT_LIMIT`]. Branch-free so loops vectorise.
#[inline]
pub(crate) fn sanitize(x: f32) -> f32 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(-FLOAT_LIMIT, FLOAT_LIMIT)
    }
}

/// Length of `frames` source frames after conversion from `from` Hz to `to` Hz, rounded up
/// (matches how many frames the resampler delivers before its flush is cut off).
pub(crate) fn convert_len(frames: u64, from: u32, to: u32) -> u64 {
    let (from, to) = (u128::from(from.max(1)), u128::from(to));
    let n = (u128::from(frames) * to).div_ceil(from);
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn convert_len_rounds_up() {
        assert_eq!(convert_len(44_100, 44_100, 48_000), 48_000);
        assert_eq!(convert_len(1, 44_100, 48_000), 2);
        assert_eq!(convert_len(0, 44_100, 48_000), 0);
    }

    #[test]
    fn sanitize_removes_nan_and_inf() {
        assert_eq!(sanitize(f32::NAN), 0.0);
        assert_eq!(sanitize(f32::INFINITY), FLOAT_LIMIT);
        assert_eq!(sanitize(f32::NEG_INFINITY), -FLOAT_LIMIT);
        assert_eq!(sanitize(-0.25), -0.25);
    }
}
