//! FLAC output (16 or 24 bit) through the `flacenc` encoder, streamed frame
//! by frame so a long render never sits in memory.
//!
//! ```text
//!  "fLaC" │ STREAMINFO (placeholder) │ frame 0 │ frame 1 │ …
//!            └── rewritten at the end: total samples, MD5, block and frame sizes
//! ```

use std::io::{BufWriter, Write};

use flacenc::bitsink::ByteSink;
use flacenc::component::{BitRepr, Stream};
use flacenc::error::Verify;
use flacenc::source::{Context, Fill, FrameBuf};

use super::quantize::Quantizer;
use super::target::{Streamed, Target};

/// Samples per FLAC frame (the reference encoder's default).
const BLOCK: usize = 4096;

pub struct FlacWriter {
    target: Option<Target>,
    out: Option<BufWriter<Streamed>>,
    config: flacenc::error::Verified<flacenc::config::Encoder>,
    stream: Stream,
    frame: FrameBuf,
    context: Context,
    channels: usize,
    q: Quantizer,
    /// Interleaved integer samples waiting for a whole frame.
    pending: Vec<i32>,
    sink: ByteSink,
}

fn encode_err(e: impl std::fmt::Debug) -> std::io::Error {
    std::io::Error::other(format!("FLAC encoder: {e:?}"))
}

impl FlacWriter {
    pub fn new(
        mut target: Target,
        sample_rate: u32,
        channels: u16,
        bits: u32,
    ) -> std::io::Result<Self> {
        let channels = usize::from(channels);
        let bits_us = bits as usize;
        let mut config = flacenc::config::Encoder::default();
        config.block_size = BLOCK;
        config.multithread = false;
        let config = config.into_verified().map_err(encode_err)?;
        let mut stream =
            Stream::new(sample_rate as usize, channels, bits_us).map_err(encode_err)?;
        stream
            .stream_info_mut()
            .set_block_sizes(BLOCK, BLOCK)
            .map_err(encode_err)?;
        let out = target.writer()?;
        let mut w = FlacWriter {
            target: Some(target),
            out: Some(out),
            config,
            frame: FrameBuf::with_size(channels, BLOCK).map_err(encode_err)?,
            context: Context::new(bits_us, channels),
            stream,
            channels,
            q: Quantizer::new(bits),
            pending: Vec::with_capacity(BLOCK * channels),
            sink: ByteSink::new(),
        };
        let header = w.header()?;
        w.out()?.write_all(&header)?;
        Ok(w)
    }

    fn out(&mut self) -> std::io::Result<&mut BufWriter<Streamed>> {
        self.out
            .as_mut()
            .ok_or_else(|| std::io::Error::other("output already closed"))
    }

    /// "fLaC" and the STREAMINFO block as they stand.
    fn header(&self) -> std::io::Result<Vec<u8>> {
        let mut sink = ByteSink::new();
        self.stream.write(&mut sink).map_err(encode_err)?;
        Ok(sink.as_slice().to_vec())
    }

    pub fn clipped(&self) -> u64 {
        self.q.clipped
    }

    /// Appends interleaved samples.
    pub fn write(&mut self, samples: &[f32]) -> std::io::Result<()> {
        for &x in samples {
            let v = self.q.sample(x);
            self.pending.push(v);
            if self.pending.len() == BLOCK * self.channels {
                self.flush_frame()?;
            }
        }
        Ok(())
    }

    /// Encodes and writes what is pending as one frame.
    fn flush_frame(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut fill = (&mut self.frame, &mut self.context);
        fill.fill_interleaved(&self.pending).map_err(encode_err)?;
        self.pending.clear();
        let number = self.context.current_frame_number().unwrap_or(0);
        let frame = flacenc::encode_fixed_size_frame(
            &self.config,
            &self.frame,
            number,
            self.stream.stream_info(),
        )
        .map_err(encode_err)?;
        self.stream.stream_info_mut().update_frame_info(&frame);
        self.sink.clear();
        frame.write(&mut self.sink).map_err(encode_err)?;
        let bytes = std::mem::take(&mut self.sink);
        let result = self.out().and_then(|o| o.write_all(bytes.as_slice()));
        self.sink = bytes;
        result
    }

    /// Writes the last frame, completes STREAMINFO and moves the file into place.
    pub fn finish(mut self) -> std::io::Result<std::path::PathBuf> {
        self.flush_frame()?;
        let md5 = self.context.md5_digest();
        let total = self.context.total_samples();
        let info = self.stream.stream_info_mut();
        info.set_md5_digest(&md5);
        info.set_total_samples(total);
        // A fixed block size: only the last block may be shorter, and it
        // does not count as the minimum (decoders rely on min = max).
        if total > BLOCK {
            info.set_block_sizes(BLOCK, BLOCK).map_err(encode_err)?;
        } else if total > 0 {
            info.set_block_sizes(total, total).map_err(encode_err)?;
        }
        let header = self.header()?;
        let target = self
            .target
            .take()
            .ok_or_else(|| std::io::Error::other("output already closed"))?;
        target.finish_with_header(self.out.take(), &header)
    }
}
