//! Streaming sample-rate conversion between a decoder and the session rate (rubato 5).
//!
//! Why a wrapper: rubato works in fixed input chunks and delays its output by a few hundred
//! frames, while the mixer wants "fill this slice, sample 0 of the file at frame 0, exactly
//! `ceil(frames * ratio)` frames in total". This module
//! * feeds the resampler fixed chunks pulled from the decoder,
//! * drops the resampler's startup delay so the output lines up with the input,
//! * at end of stream pumps silence through so the tail is not lost, then cuts the output
//!   at the nominal length so no flush padding leaks out,
//! * keeps a small output queue so any request size can be served without allocating.
//!
//! The synchronous FFT resampler is used for ordinary rate pairs (44.1k↔48k, 48k↔96k…):
//! it is fast and exact in ratio. For pathological pairs whose reduced ratio would need a
//! huge FFT (e.g. 44 101 Hz) the asynchronous sinc resampler is used instead. Its delay is
//! not a whole number of output frames (`sinc_len / 2 · ratio − 1`, measured against soxr),
//! so a few frames of silence go in first, chosen so that the delay becomes whole: the
//! output then lines up with the input to a thousandth of a sample.

use std::path::{Path, PathBuf};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Indexing, Resampler, SincInterpolationParameters,
    SincInterpolationType, WindowFunction,
};

use super::decoder::{Decoder, fill};
use super::error::{Result, SourceError};

/// Input frames per resampler call.
const CHUNK: usize = 1024;
/// Above this reduced input block (rate / gcd) the FFT would get too large; use sinc.
const MAX_FFT_BLOCK: usize = 2048;
/// Upper bound on silence-only calls when flushing the tail (one or two are needed).
const MAX_FLUSH_CALLS: u32 = 64;
/// Sinc length of the asynchronous resampler.
const SINC_LEN: usize = 128;
/// Most frames of silence fed first to make the sinc resampler's delay whole.
const MAX_LEAD_IN: usize = 512;

pub(crate) struct StreamResampler {
    /// For error messages.
    path: PathBuf,
    inner: Box<dyn Resampler<f32>>,
    channels: usize,
    source_rate: u64,
    target_rate: u64,
    /// `Some((in_step, out_step))` when `in_step` source frames map to exactly `out_step`
    /// target frames (FFT mode); lets seeks land on an exact sample alignment.
    block: Option<(u64, u64)>,
    /// Interleaved input chunk, `input_frames_max * channels`.
    in_buf: Vec<f32>,
    /// Interleaved output of the last resampler call, `output_frames_max * channels`.
    out_buf: Vec<f32>,
    /// Frames of `out_buf` already handed out / valid.
    out_pos: usize,
    out_len: usize,
    /// Output frames still to discard (startup delay, plus seek alignment).
    to_drop: usize,
    /// The startup delay in whole output frames, after `lead_in`.
    delay: usize,
    /// Frames of silence fed before the source (after a start or a seek) so that the
    /// delay is a whole number of output frames, and how many are still to feed.
    lead_in: usize,
    lead_left: usize,
    /// Source frames fed so far, counted from the start of the file.
    fed: u64,
    /// Target frames produced so far (after dropping), counted from the start of the file.
    produced: u64,
    /// Decoder reached end of stream; from now on only silence is fed.
    input_done: bool,
    /// Silence-only calls made since `input_done`; bounds the flush loop.
    flush_calls: u32,
}

impl StreamResampler {
    pub(crate) fn new(path: &Path, source_rate: u32, target_rate: u32, ch: usize) -> Result<Self> {
        let (sr, tr) = (source_rate as usize, target_rate as usize);
        let g = gcd(sr, tr);
        let cannot_resample = |e: &dyn std::fmt::Display| {
            SourceError::unsupported(path, format!("cannot resample from {source_rate} Hz: {e}"))
        };
        let inner: Box<dyn Resampler<f32>>;
        let block;
        let (delay, lead_in);
        if sr / g <= MAX_FFT_BLOCK {
            let fft = Fft::<f32>::new(sr, tr, CHUNK, ch, FixedSync::Input)
                .map_err(|e| cannot_resample(&e))?;
            (delay, lead_in) = (fft.output_delay(), 0);
            inner = Box::new(fft);
            block = Some(((sr / g) as u64, (tr / g) as u64));
        } else {
            (delay, lead_in) = whole_delay(tr as f64 / sr as f64);
            let params = SincInterpolationParameters {
                sinc_len: SINC_LEN,
                f_cutoff: None,
                oversampling_factor: 256,
                interpolation: SincInterpolationType::Cubic,
                window: WindowFunction::BlackmanHarris2,
            };
            let ratio = tr as f64 / sr as f64;
            let sinc = Async::<f32>::new_sinc(ratio, 1.0, &params, CHUNK, ch, FixedAsync::Input)
                .map_err(|e| cannot_resample(&e))?;
            inner = Box::new(sinc);
            block = None;
        }
        let in_buf = vec![0.0; inner.input_frames_max() * ch];
        let out_buf = vec![0.0; inner.output_frames_max() * ch];
        let to_drop = delay;
        Ok(StreamResampler {
            path: path.to_path_buf(),
            inner,
            channels: ch,
            source_rate: source_rate as u64,
            target_rate: target_rate as u64,
            block,
            in_buf,
            out_buf,
            out_pos: 0,
            out_len: 0,
            to_drop,
            delay,
            lead_in,
            lead_left: lead_in,
            fed: 0,
            produced: 0,
            input_done: false,
            flush_calls: 0,
        })
    }

    /// Fills `out` (interleaved, target rate) from `decoder`; returns frames written.
    pub(crate) fn read(&mut self, decoder: &mut impl Decoder, out: &mut [f32]) -> Result<usize> {
        let ch = self.channels;
        let want = out.len() / ch;
        let mut done = 0;
        while done < want {
            if self.out_pos < self.out_len {
                let mut n = (self.out_len - self.out_pos).min(want - done);
                if self.input_done {
                    // Cut the flush: never deliver more than the nominal converted length.
                    let end = self.nominal_len();
                    n = n.min(usize::try_from(end.saturating_sub(self.produced)).unwrap_or(n));
                    if n == 0 {
                        break;
                    }
                }
                let src = &self.out_buf[self.out_pos * ch..(self.out_pos + n) * ch];
                out[done * ch..(done + n) * ch].copy_from_slice(src);
                self.out_pos += n;
                self.produced += n as u64;
                done += n;
                continue;
            }
            // The flush needs only about one chunk of silence; the call bound just makes
            // sure a resampler that never catches up cannot spin forever.
            if self.input_done
                && (self.produced >= self.nominal_len() || self.flush_calls > MAX_FLUSH_CALLS)
            {
                break;
            }
            self.process_chunk(decoder)?;
        }
        Ok(done)
    }

    /// Runs one resampler call, pulling a chunk from the decoder (or silence after its end).
    fn process_chunk(&mut self, decoder: &mut impl Decoder) -> Result<()> {
        let ch = self.channels;
        let need = self.inner.input_frames_next();
        // Silence first, after a start or a seek, to make the delay whole.
        let zeros = self.lead_left.min(need);
        self.in_buf[..zeros * ch].fill(0.0);
        self.lead_left -= zeros;
        let got = if self.input_done {
            self.flush_calls += 1;
            0
        } else {
            let n = fill(decoder, &mut self.in_buf[zeros * ch..need * ch], ch)?;
            if zeros + n < need {
                self.input_done = true;
            }
            n
        };
        self.fed += got as u64;
        let got = got + zeros;

        let in_frames = self.in_buf.len() / ch;
        let out_frames = self.out_buf.len() / ch;
        // Construction only fails if the buffers are smaller than the sizes given; they
        // were allocated from the resampler's own maxima, so map any failure to an error
        // rather than panicking.
        let path = &self.path;
        let failed = |e: &dyn std::fmt::Display| {
            SourceError::unsupported(path, format!("resampler failed: {e}"))
        };
        let input =
            InterleavedSlice::new(&self.in_buf[..], ch, in_frames).map_err(|e| failed(&e))?;
        let mut output = InterleavedSlice::new_mut(&mut self.out_buf[..], ch, out_frames)
            .map_err(|e| failed(&e))?;
        // A short (or empty) final chunk is padded with silence by rubato itself.
        let indexing = (got < need).then(|| Indexing::new().partial_len(got));
        let (_, produced) = self
            .inner
            .process_into_buffer(&input, &mut output, indexing.as_ref())
            .map_err(|e| failed(&e))?;

        let skip = self.to_drop.min(produced);
        self.to_drop -= skip;
        self.out_pos = skip;
        self.out_len = produced;
        Ok(())
    }

    /// Converted length of everything fed so far; only final once `input_done`.
    fn nominal_len(&self) -> u64 {
        self.fed
            .saturating_mul(self.target_rate)
            .div_ceil(self.source_rate)
    }

    /// Seeks to target-rate `frame`: resets the resampler, seeks the decoder to the matching
    /// source frame and drops the delay (and any sub-block remainder) again.
    pub(crate) fn seek(&mut self, decoder: &mut impl Decoder, frame: u64) -> Result<()> {
        // Start a little before the target so the resampler's filter history is rebuilt
        // from real audio, not silence; the pre-roll output is discarded. This makes a seek
        // match continuous playback instead of fading in over the first few hundred frames.
        let preroll = 2 * self.delay as u64 + CHUNK as u64;
        let from = frame.saturating_sub(preroll);
        let (src_frame, dst_start) = match self.block {
            // Start on a block boundary where source and target samples coincide exactly.
            Some((bin, bout)) => {
                let blocks = from / bout;
                (blocks.saturating_mul(bin), blocks.saturating_mul(bout))
            }
            None => best_aligned_start(from, self.source_rate, self.target_rate),
        };
        decoder.seek(src_frame)?;
        self.inner.reset();
        self.out_pos = 0;
        self.out_len = 0;
        self.fed = src_frame;
        self.input_done = false;
        self.flush_calls = 0;
        // Everything between the restart point and the requested frame is dropped along
        // with the startup delay. `produced` already counts it so the end-of-stream cut
        // still lands on the nominal length.
        let extra = usize::try_from(frame - dst_start).unwrap_or(usize::MAX);
        self.to_drop = self.delay.saturating_add(extra);
        self.lead_left = self.lead_in;
        self.produced = frame;
        Ok(())
    }
}

/// For ratios without a usable common block: among the source frames shortly before
/// `from`, picks the one whose position in target frames is closest to a whole number, so a
/// seek restarts the sinc resampler with (almost) no fractional-sample misalignment.
/// Returns `(source_frame, target_frame)` with `target_frame <= from`.
fn best_aligned_start(from: u64, source_rate: u64, target_rate: u64) -> (u64, u64) {
    const CANDIDATES: u128 = 2048;
    let (src, tgt) = (u128::from(source_rate), u128::from(target_rate));
    let s0 = u128::from(from) * src / tgt;
    let mut best = (s0, u128::from(from), u128::MAX);
    for s in s0.saturating_sub(CANDIDATES)..=s0 {
        let (q, r) = (s * tgt / src, s * tgt % src);
        // Round to the nearest target frame; the error is r/src or (src-r)/src samples.
        let (pos, err) = if 2 * r <= src {
            (q, r)
        } else {
            (q + 1, src - r)
        };
        if err < best.2 {
            best = (s, pos, err);
        }
    }
    let to_u64 = |v: u128| u64::try_from(v).unwrap_or(u64::MAX);
    (to_u64(best.0), to_u64(best.1).min(from))
}

/// (delay in whole output frames, frames of silence to feed first) for the sinc
/// resampler at `ratio` (output / input rate): its delay is `SINC_LEN / 2 · ratio − 1`
/// output frames; `k` frames of silence in front add `k · ratio`. Picks the `k` that
/// brings the total closest to a whole number.
fn whole_delay(ratio: f64) -> (usize, usize) {
    let delay = |k: usize| (SINC_LEN / 2 + k) as f64 * ratio - 1.0;
    let off = |k: usize| (delay(k) - delay(k).round()).abs();
    let best = (0..MAX_LEAD_IN)
        .min_by(|&a, &b| off(a).total_cmp(&off(b)))
        .unwrap_or(0);
    (delay(best).round() as usize, best)
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}
