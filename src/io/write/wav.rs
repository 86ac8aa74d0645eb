//! WAV output that is never wrong about its length: a RIFF file while the
//! sizes fit 32 bits, an RF64 file (EBU Tech 3306) beyond that — never a
//! wrapped header.
//!
//! ```text
//!  RIFF size WAVE │ JUNK (28 bytes, room for ds64) │ fmt │ data size │ samples…
//!  RF64 -1   WAVE │ ds64 riff/data/frames (64-bit) │ fmt │ data -1   │ samples…
//! ```
//! The header is written first with the JUNK placeholder and rewritten when
//! the file is finished; only then is it known which of the two it is. The
//! 32-bit limit is a field, so tests can see the switch without writing
//! 4 GiB.

use std::io::{BufWriter, Write};

use super::SampleFormat;
use super::quantize::Quantizer;
use super::target::{Streamed, Target};

/// Largest RIFF size a plain WAV header can state.
pub const RIFF_LIMIT: u64 = u32::MAX as u64;

/// Bytes before the samples: RIFF header 12, JUNK/ds64 8+28, fmt 8+16,
/// data header 8.
const HEADER_LEN: u64 = 12 + 36 + 24 + 8;

/// Writes interleaved float samples as WAV or RF64.
pub struct WavWriter {
    target: Option<Target>,
    out: Option<BufWriter<Streamed>>,
    format: SampleFormat,
    channels: u16,
    sample_rate: u32,
    q: Quantizer,
    data_bytes: u64,
    limit: u64,
    bytes: Vec<u8>,
}

impl WavWriter {
    pub fn new(
        mut target: Target,
        sample_rate: u32,
        channels: u16,
        format: SampleFormat,
    ) -> std::io::Result<Self> {
        let out = target.writer()?;
        let mut w = WavWriter {
            target: Some(target),
            out: Some(out),
            format,
            channels,
            sample_rate,
            q: Quantizer::new(format.bits()),
            data_bytes: 0,
            limit: RIFF_LIMIT,
            bytes: Vec::new(),
        };
        let header = w.header(None);
        w.out()?.write_all(&header)?;
        Ok(w)
    }

    /// The largest RIFF size written as plain WAV (default 4 GiB − 1);
    /// beyond it the file becomes RF64. For tests.
    pub fn set_riff_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    fn out(&mut self) -> std::io::Result<&mut BufWriter<Streamed>> {
        self.out
            .as_mut()
            .ok_or_else(|| std::io::Error::other("output already closed"))
    }

    pub fn clipped(&self) -> u64 {
        self.q.clipped
    }

    /// Appends interleaved samples.
    pub fn write(&mut self, samples: &[f32]) -> std::io::Result<()> {
        let mut bytes = std::mem::take(&mut self.bytes);
        bytes.clear();
        match self.format {
            SampleFormat::F32 => {
                bytes.reserve(samples.len() * 4);
                for &x in samples {
                    bytes.extend_from_slice(&x.to_le_bytes());
                }
            }
            SampleFormat::S24 => {
                bytes.reserve(samples.len() * 3);
                for &x in samples {
                    bytes.extend_from_slice(&self.q.sample(x).to_le_bytes()[..3]);
                }
            }
            SampleFormat::S16 => {
                bytes.reserve(samples.len() * 2);
                for &x in samples {
                    bytes.extend_from_slice(&(self.q.sample(x) as i16).to_le_bytes());
                }
            }
        }
        let result = self.out().and_then(|o| o.write_all(&bytes));
        self.data_bytes += bytes.len() as u64;
        self.bytes = bytes;
        result
    }

    /// The header for `data` bytes of samples (`None`: not known yet).
    fn header(&self, data: Option<u64>) -> Vec<u8> {
        let block_align = self.channels * self.format.bits() as u16 / 8;
        let data_len = data.unwrap_or(0);
        let pad = data_len % 2;
        let riff = HEADER_LEN - 8 + data_len + pad;
        let rf64 = data.is_some() && riff > self.limit;
        let mut h = Vec::with_capacity(HEADER_LEN as usize);
        let u32_or_max = |v: u64| if rf64 { u32::MAX } else { v as u32 };
        h.extend_from_slice(if rf64 { b"RF64" } else { b"RIFF" });
        h.extend_from_slice(&u32_or_max(riff).to_le_bytes());
        h.extend_from_slice(b"WAVE");
        if rf64 {
            let frames = data_len / u64::from(block_align.max(1));
            h.extend_from_slice(b"ds64");
            h.extend_from_slice(&28u32.to_le_bytes());
            h.extend_from_slice(&riff.to_le_bytes());
            h.extend_from_slice(&data_len.to_le_bytes());
            h.extend_from_slice(&frames.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes()); // no table entries
        } else {
            h.extend_from_slice(b"JUNK");
            h.extend_from_slice(&28u32.to_le_bytes());
            h.extend_from_slice(&[0u8; 28]);
        }
        let tag: u16 = if self.format == SampleFormat::F32 {
            3
        } else {
            1
        };
        h.extend_from_slice(b"fmt ");
        h.extend_from_slice(&16u32.to_le_bytes());
        h.extend_from_slice(&tag.to_le_bytes());
        h.extend_from_slice(&self.channels.to_le_bytes());
        h.extend_from_slice(&self.sample_rate.to_le_bytes());
        let byte_rate = self.sample_rate * u32::from(block_align);
        h.extend_from_slice(&byte_rate.to_le_bytes());
        h.extend_from_slice(&block_align.to_le_bytes());
        h.extend_from_slice(&(self.format.bits() as u16).to_le_bytes());
        h.extend_from_slice(b"data");
        // While writing (and on an output that cannot seek) the sizes say
        // "unknown", as streamed WAV does.
        let data_field = match data {
            Some(d) if !rf64 => d as u32,
            _ => u32::MAX,
        };
        h.extend_from_slice(&data_field.to_le_bytes());
        if data.is_none() {
            h[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        debug_assert_eq!(h.len() as u64, HEADER_LEN);
        h
    }

    /// Completes the header and moves the file into place.
    pub fn finish(mut self) -> std::io::Result<std::path::PathBuf> {
        if self.data_bytes % 2 == 1 {
            self.out()?.write_all(&[0])?;
        }
        let header = self.header(Some(self.data_bytes));
        let target = self
            .target
            .take()
            .ok_or_else(|| std::io::Error::other("output already closed"))?;
        target.finish_with_header(self.out.take(), &header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_switches_to_rf64_past_the_limit() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.wav");
        let t = Target::create(&path).expect("target");
        let mut w = WavWriter::new(t, 48_000, 2, SampleFormat::F32).expect("writer");
        w.set_riff_limit(100);
        let plain = w.header(Some(8));
        assert_eq!(&plain[0..4], b"RIFF");
        assert_eq!(
            u32::from_le_bytes(plain[4..8].try_into().unwrap()),
            80,
            "file size − 8"
        );
        let big = w.header(Some(6_000_000_000));
        assert_eq!(&big[0..4], b"RF64");
        assert_eq!(&big[12..16], b"ds64");
        assert_eq!(
            u64::from_le_bytes(big[28..36].try_into().unwrap()),
            6_000_000_000
        );
        assert_eq!(&big[76..80], &u32::MAX.to_le_bytes());
    }
}
