//! Fast path for plain PCM / IEEE-float WAV files.
//!
//! Why this exists: a render reads every stem of a session at once — typically dozens of
//! 32-bit float WAVs — and must do so far faster than realtime on a laptop. symphonia's WAV
//! path packetises, allocates per packet into planar buffers and then re-interleaves, which
//! costs several times more than the disk read itself. Here a RIFF/WAVE file is parsed once
//! (`fmt ` and `data` chunks, WAVE_FORMAT_EXTENSIBLE, unknown chunks skipped, odd sizes
//! padded) and each [`WavReader::read`] is one large `File::read` into a reusable byte
//! buffer followed by a tight little-endian conversion loop straight into the caller's
//! slice. No mmap: it would make every stem's pages count towards RSS.
//!
//! RF64/BW64 (64-bit sizes in a `ds64` chunk) and Sony Wave64 (GUID chunk ids, 64-bit
//! sizes, 8-byte alignment) are the same PCM with other headers, and are read here too.
//!
//! Anything this parser does not handle (ADPCM, µ-law, 8-bit signed oddities, or otherwise
//! unusual layouts) makes [`WavReader::open`] return `Ok(None)` and the caller falls back
//! to symphonia.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::decoder::{Decoder, MAX_CHANNELS, sanitize};
use super::error::{Result, SourceError};
use super::wav_header::{
    Container, Encoding, Format, chunk_at, container, next_chunk, parse_fmt, read_full,
};

/// Bytes read per `File::read` call. Large enough that syscall overhead is negligible,
/// small enough to stay in L2 and keep per-reader memory bounded.
const READ_CHUNK_BYTES: usize = 128 * 1024;

/// Streaming reader over the `data` chunk of a PCM/float WAV file.
pub(crate) struct WavReader {
    path: PathBuf,
    file: File,
    encoding: Encoding,
    channels: usize,
    sample_rate: u32,
    mask: Option<u32>,
    container: Container,
    /// Byte offset of the first sample.
    data_start: u64,
    /// Frames in the data chunk that the file holds.
    frames: u64,
    /// What the header promised when the file holds less.
    declared: Option<u64>,
    /// Frames not yet read from the file (excludes what is buffered in `bytes`).
    unread: u64,
    /// Read-ahead buffer, reused; never grows past `READ_CHUNK_BYTES`. Reading ahead keeps
    /// syscalls large even when the mixer asks for small blocks.
    bytes: Vec<u8>,
    /// Unconverted bytes are `bytes[pos..end]`, always whole frames.
    pos: usize,
    end: usize,
}

impl WavReader {
    /// Parses the header. `Ok(None)` means "not something the fast path handles, ask
    /// symphonia"; errors are reserved for files that are definitely WAV and definitely bad.
    pub(crate) fn open(path: &Path) -> Result<Option<Self>> {
        let mut file = File::open(path).map_err(|e| SourceError::io(path, e))?;
        let file_len = file.metadata().map_err(|e| SourceError::io(path, e))?.len();

        let mut head = [0u8; 40];
        let got = read_full(&mut file, &mut head).map_err(|e| SourceError::io(path, e))?;
        let Some((kind, mut pos)) = container(&head).filter(|_| got >= 12) else {
            return Ok(None);
        };
        let mut format: Option<Format> = None;
        let mut data: Option<(u64, u64)> = None;
        // RF64: the real data size, from the `ds64` chunk.
        let mut ds64_data: Option<u64> = None;
        // Walk the chunk list until both `fmt ` and `data` are known. Each chunk header is
        // 8 bytes; bodies are skipped with a seek so metadata chunks cost nothing.
        while format.is_none() || data.is_none() {
            let Some((id, body, size)) =
                chunk_at(kind, &mut file, pos).map_err(|e| SourceError::io(path, e))?
            else {
                break;
            };
            match &id {
                b"ds64" if kind == Container::Rf64 => {
                    let mut buf = [0u8; 16];
                    if read_full(&mut file, &mut buf).map_err(|e| SourceError::io(path, e))? == 16 {
                        let mut n = [0u8; 8];
                        n.copy_from_slice(&buf[8..16]);
                        ds64_data = Some(u64::from_le_bytes(n));
                    }
                }
                b"fmt " => {
                    if size < 16 {
                        return Err(SourceError::corrupt(path, "WAV format chunk is too short"));
                    }
                    let mut buf = [0u8; 40];
                    let want = size.min(40) as usize;
                    let got = read_full(&mut file, &mut buf[..want])
                        .map_err(|e| SourceError::io(path, e))?;
                    if got < 16 {
                        return Err(SourceError::truncated(
                            path,
                            "file ends inside the WAV format chunk",
                        ));
                    }
                    format = Some(parse_fmt(&buf[..got]));
                }
                b"data" => {
                    // 0xFFFFFFFF is what streaming writers put when the length was unknown,
                    // and what RF64 puts when the length is in `ds64`.
                    let len = match ds64_data {
                        Some(n) if size == u64::from(u32::MAX) => n,
                        _ if size == u64::from(u32::MAX) => file_len.saturating_sub(body),
                        _ => size,
                    };
                    data = Some((body, len));
                }
                _ => {}
            }
            // RIFF chunks are word aligned (an odd size is followed by a pad byte),
            // Wave64 chunks 8-byte aligned.
            pos = next_chunk(kind, body, size);
        }

        let Some(fmt) = format else {
            return if data.is_some() {
                Err(SourceError::corrupt(path, "WAV file has no format chunk"))
            } else {
                Err(SourceError::truncated(
                    path,
                    "WAV header ends before any audio data",
                ))
            };
        };
        if fmt.channels == 0 {
            return Err(SourceError::corrupt(path, "WAV header says 0 channels"));
        }
        if usize::from(fmt.channels) > MAX_CHANNELS {
            return Err(SourceError::TooManyChannels {
                path: path.to_path_buf(),
                channels: usize::from(fmt.channels),
            });
        }
        if fmt.sample_rate == 0 {
            return Err(SourceError::corrupt(
                path,
                "WAV header says 0 Hz sample rate",
            ));
        }
        let Some(encoding) = fmt.encoding else {
            return Ok(None);
        };
        let channels = usize::from(fmt.channels);
        if usize::from(fmt.block_align) != channels * encoding.bytes() {
            // Padded or otherwise unusual frame layout: let symphonia deal with it.
            return Ok(None);
        }
        let Some((data_start, data_len)) = data else {
            return Err(SourceError::truncated(
                path,
                "WAV header ends before any audio data",
            ));
        };

        let block = u64::from(fmt.block_align);
        let mut frames = data_len / block;
        let available = file_len.saturating_sub(data_start) / block;
        // Cut short (or a damaged size): play what is there (the reader warns).
        let declared = (frames > available).then_some(frames);
        if declared.is_some() && available == 0 {
            let why = format!("header promises {frames} frames, the file holds none");
            return Err(SourceError::truncated(path, why));
        }
        frames = frames.min(available);
        if frames == 0 {
            return Err(SourceError::Empty {
                path: path.to_path_buf(),
            });
        }

        file.seek(SeekFrom::Start(data_start))
            .map_err(|e| SourceError::io(path, e))?;
        Ok(Some(WavReader {
            path: path.to_path_buf(),
            file,
            encoding,
            channels,
            sample_rate: fmt.sample_rate,
            mask: fmt.mask,
            container: kind,
            data_start,
            frames,
            declared,
            unread: frames,
            bytes: Vec::new(),
            pos: 0,
            end: 0,
        }))
    }

    /// Always known for WAV: the header states it and `open` checked it against the file.
    pub(crate) fn frames(&self) -> u64 {
        self.frames
    }

    /// What the header promised when the file holds less (it was cut short).
    pub(crate) fn declared_frames(&self) -> Option<u64> {
        self.declared
    }

    /// Reads the next chunk of whole frames into `bytes`; `Ok(false)` at end of data.
    fn refill(&mut self, frame_bytes: usize) -> Result<bool> {
        if self.unread == 0 {
            return Ok(false);
        }
        if self.bytes.len() < READ_CHUNK_BYTES {
            // First call only: allocate the read-ahead buffer once.
            self.bytes.resize(READ_CHUNK_BYTES, 0);
        }
        let max_frames = (READ_CHUNK_BYTES / frame_bytes) as u64;
        let n = self.unread.min(max_frames) as usize * frame_bytes;
        let got = read_full(&mut self.file, &mut self.bytes[..n])
            .map_err(|e| SourceError::io(&self.path, e))?;
        if got < n {
            // The file shrank after open (the header was checked against its size then).
            return Err(SourceError::truncated(
                &self.path,
                "file got shorter while it was being read",
            ));
        }
        self.unread -= (n / frame_bytes) as u64;
        self.pos = 0;
        self.end = n;
        Ok(true)
    }
}

impl Decoder for WavReader {
    fn channels(&self) -> usize {
        self.channels
    }

    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    fn total_frames(&self) -> Option<u64> {
        Some(self.frames())
    }

    fn format_name(&self) -> String {
        let container = match self.container {
            Container::Riff => "WAV",
            Container::Rf64 => "RF64",
            Container::Wave64 => "Wave64",
        };
        let encoding = match self.encoding {
            Encoding::U8 => "8-bit",
            Encoding::I16 => "16-bit",
            Encoding::I24 => "24-bit",
            Encoding::I32 => "32-bit",
            Encoding::F32 => "float32",
            Encoding::F64 => "float64",
        };
        format!("{container} {encoding}")
    }

    fn channel_mask(&self) -> Option<u32> {
        self.mask
    }

    /// Fills `out` with interleaved frames; returns frames written (0 at end of data).
    fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        let ch = self.channels;
        let frame_bytes = ch * self.encoding.bytes();
        let want = out.len() / ch;
        let mut done = 0;
        while done < want {
            if self.pos == self.end && !self.refill(frame_bytes)? {
                break;
            }
            let n = ((self.end - self.pos) / frame_bytes).min(want - done);
            let src = &self.bytes[self.pos..self.pos + n * frame_bytes];
            convert(self.encoding, src, &mut out[done * ch..(done + n) * ch]);
            self.pos += n * frame_bytes;
            done += n;
        }
        Ok(done)
    }

    /// Positions at `frame`; past the end gives end of stream.
    fn seek(&mut self, frame: u64) -> Result<()> {
        let frame = frame.min(self.frames);
        let block = (self.channels * self.encoding.bytes()) as u64;
        self.file
            .seek(SeekFrom::Start(self.data_start + frame * block))
            .map_err(|e| SourceError::io(&self.path, e))?;
        self.unread = self.frames - frame;
        self.pos = 0;
        self.end = 0;
        Ok(())
    }
}

/// Converts little-endian samples in `src` to `f32` in `dst` (same sample count).
/// Written as plain `chunks_exact` loops so the compiler vectorises them. Float input is
/// sanitised (NaN/inf from a damaged file); integers cannot leave [-1, 1).
fn convert(enc: Encoding, src: &[u8], dst: &mut [f32]) {
    match enc {
        Encoding::U8 => {
            for (d, &s) in dst.iter_mut().zip(src) {
                *d = (f32::from(s) - 128.0) * (1.0 / 128.0);
            }
        }
        Encoding::I16 => {
            for (d, s) in dst.iter_mut().zip(src.chunks_exact(2)) {
                *d = f32::from(i16::from_le_bytes([s[0], s[1]])) * (1.0 / 32_768.0);
            }
        }
        Encoding::I24 => {
            for (d, s) in dst.iter_mut().zip(src.chunks_exact(3)) {
                // Place the 24 bits at the top of an i32 so the sign comes for free.
                let v = i32::from_le_bytes([0, s[0], s[1], s[2]]);
                *d = v as f32 * (1.0 / 2_147_483_648.0);
            }
        }
        Encoding::I32 => {
            for (d, s) in dst.iter_mut().zip(src.chunks_exact(4)) {
                let v = i32::from_le_bytes([s[0], s[1], s[2], s[3]]);
                *d = v as f32 * (1.0 / 2_147_483_648.0);
            }
        }
        Encoding::F32 => {
            for (d, s) in dst.iter_mut().zip(src.chunks_exact(4)) {
                *d = sanitize(f32::from_le_bytes([s[0], s[1], s[2], s[3]]));
            }
        }
        Encoding::F64 => {
            for (d, s) in dst.iter_mut().zip(src.chunks_exact(8)) {
                let v = f64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]);
                *d = sanitize(v as f32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::decode::wav_header::WAVE_FORMAT_PCM;

    #[test]
    fn converts_integer_extremes() {
        let mut out = [0.0f32; 2];
        convert(Encoding::I16, &[0x00, 0x80, 0xff, 0x7f], &mut out);
        assert_eq!(out, [-1.0, 32_767.0 / 32_768.0]);
        convert(
            Encoding::I24,
            &[0x00, 0x00, 0x80, 0x00, 0x00, 0x40],
            &mut out,
        );
        assert_eq!(out, [-1.0, 0.5]);
        convert(Encoding::U8, &[0, 128], &mut out);
        assert_eq!(out, [-1.0, 0.0]);
    }

    /// RIFF file with an odd-sized chunk before `fmt `, a chunk between `fmt ` and `data`,
    /// and 16-bit stereo samples.
    fn hand_made_wav(samples: &[i16], claimed_data_bytes: u32) -> Vec<u8> {
        let mut fmt = Vec::new();
        fmt.extend_from_slice(&WAVE_FORMAT_PCM.to_le_bytes());
        fmt.extend_from_slice(&2u16.to_le_bytes());
        fmt.extend_from_slice(&44_100u32.to_le_bytes());
        fmt.extend_from_slice(&(44_100u32 * 4).to_le_bytes());
        fmt.extend_from_slice(&4u16.to_le_bytes());
        fmt.extend_from_slice(&16u16.to_le_bytes());
        let mut body = b"WAVE".to_vec();
        for (id, data) in [
            (b"LIST", &b"odd"[..]),
            (b"fmt ", &fmt[..]),
            (b"junk", &[0u8; 4][..]),
        ] {
            body.extend_from_slice(id);
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(data);
            if data.len() % 2 == 1 {
                body.push(0);
            }
        }
        body.extend_from_slice(b"data");
        body.extend_from_slice(&claimed_data_bytes.to_le_bytes());
        samples
            .iter()
            .for_each(|s| body.extend_from_slice(&s.to_le_bytes()));
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);
        file
    }

    #[test]
    fn skips_unknown_and_odd_sized_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chunks.wav");
        std::fs::write(&path, hand_made_wav(&[16_384, -16_384, 0, 8_192], 8)).unwrap();
        let mut r = WavReader::open(&path).unwrap().unwrap();
        assert_eq!((r.channels(), r.sample_rate(), r.frames()), (2, 44_100, 2));
        let mut out = [9.0f32; 6];
        assert_eq!(r.read(&mut out).unwrap(), 2);
        assert_eq!(out[..4], [0.5, -0.5, 0.0, 0.25]);
        assert_eq!(r.read(&mut out).unwrap(), 0);
        r.seek(1).unwrap();
        assert_eq!(r.read(&mut out).unwrap(), 1);
        assert_eq!(out[..2], [0.0, 0.25]);
    }

    #[test]
    fn data_chunk_longer_than_file_plays_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("short.wav");
        std::fs::write(&path, hand_made_wav(&[1, 2, 3, 4], 4 * 1000)).unwrap();
        let r = WavReader::open(&path).unwrap().unwrap();
        assert_eq!((r.frames(), r.declared_frames()), (2, Some(1000)));
        std::fs::write(&path, hand_made_wav(&[], 4 * 1000)).unwrap();
        let err = WavReader::open(&path).err().unwrap().to_string();
        assert!(err.ends_with("truncated: header promises 1000 frames, the file holds none"));
    }
}
