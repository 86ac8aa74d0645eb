//! The headers of WAV files: RIFF/WAVE, RF64/BW64 (64-bit sizes in a `ds64` chunk) and
//! Sony Wave64 (GUID chunk ids, 64-bit sizes, 8-byte alignment), and the `fmt ` chunk
//! they share. `wav_fast` reads the samples.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

pub(crate) const WAVE_FORMAT_PCM: u16 = 0x0001;
pub(crate) const WAVE_FORMAT_IEEE_FLOAT: u16 = 0x0003;
pub(crate) const WAVE_FORMAT_EXTENSIBLE: u16 = 0xFFFE;

/// Sample encodings the fast path converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    U8,
    I16,
    I24,
    I32,
    F32,
    F64,
}

impl Encoding {
    pub(crate) fn bytes(self) -> usize {
        match self {
            Encoding::U8 => 1,
            Encoding::I16 => 2,
            Encoding::I24 => 3,
            Encoding::I32 | Encoding::F32 => 4,
            Encoding::F64 => 8,
        }
    }
}

/// The parts of a `fmt ` chunk we need.
pub(crate) struct Format {
    pub(crate) encoding: Option<Encoding>,
    pub(crate) channels: u16,
    pub(crate) sample_rate: u32,
    pub(crate) block_align: u16,
    /// Speaker positions (WAVE_FORMAT_EXTENSIBLE only).
    pub(crate) mask: Option<u32>,
    /// The format tag (the sub-format's, for WAVE_FORMAT_EXTENSIBLE).
    pub(crate) tag: u16,
}

/// The three containers of WAV data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// RIFF/WAVE: 4-byte ids, 32-bit sizes, 2-byte alignment.
    Riff,
    /// RF64 or BW64: RIFF with 64-bit sizes in a `ds64` chunk.
    Rf64,
    /// Sony Wave64: 16-byte GUID ids, 64-bit sizes that count the header, 8-byte alignment.
    Wave64,
}

/// The 12 bytes after the first four of every Wave64 chunk GUID except `riff`.
const W64_SUFFIX: [u8; 12] = [
    0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A,
];
const W64_RIFF: [u8; 16] = [
    b'r', b'i', b'f', b'f', 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00,
];

/// Which container `head` (the first 40 bytes) starts, and where its first chunk is.
pub(crate) fn container(head: &[u8; 40]) -> Option<(Container, u64)> {
    match (&head[0..4], &head[8..12]) {
        (b"RIFF", b"WAVE") => Some((Container::Riff, 12)),
        (b"RF64" | b"BW64", b"WAVE") => Some((Container::Rf64, 12)),
        // Wave64: the riff GUID, a 64-bit size, the wave GUID.
        _ if head[..16] == W64_RIFF && head[24..28] == *b"wave" && head[28..40] == W64_SUFFIX => {
            Some((Container::Wave64, 40))
        }
        _ => None,
    }
}

/// A chunk header at `pos`: its id, body start, size as stored (`u32::MAX` or larger
/// allowed) and where the next chunk starts.
pub(crate) fn chunk_at(
    kind: Container,
    file: &mut File,
    pos: u64,
) -> std::io::Result<Option<([u8; 4], u64, u64)>> {
    file.seek(SeekFrom::Start(pos))?;
    if kind != Container::Wave64 {
        let mut hdr = [0u8; 8];
        if read_full(file, &mut hdr)? < 8 {
            return Ok(None);
        }
        let size = u64::from(u32::from_le_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]));
        return Ok(Some(([hdr[0], hdr[1], hdr[2], hdr[3]], pos + 8, size)));
    }
    let mut hdr = [0u8; 24];
    if read_full(file, &mut hdr)? < 24 {
        return Ok(None);
    }
    let mut id = [hdr[0], hdr[1], hdr[2], hdr[3]];
    if hdr[4..16] != W64_SUFFIX {
        id = *b"????"; // some other GUID: skipped like an unknown chunk
    }
    let mut size = [0u8; 8];
    size.copy_from_slice(&hdr[16..24]);
    // Wave64 sizes count the 24-byte header.
    Ok(Some((
        id,
        pos + 24,
        u64::from_le_bytes(size).saturating_sub(24),
    )))
}

/// The format tag of a RIFF/RF64/Wave64 file's `fmt ` chunk with a name for messages,
/// when it is a WAV file at all: for a codec nobody here decodes (GSM 6.10…).
pub(crate) fn wav_codec(path: &Path) -> Option<String> {
    let mut file = File::open(path).ok()?;
    let mut head = [0u8; 40];
    if read_full(&mut file, &mut head).ok()? < 12 {
        return None;
    }
    let (kind, mut pos) = container(&head)?;
    for _ in 0..64 {
        let (id, body, size) = chunk_at(kind, &mut file, pos).ok()??;
        if &id == b"fmt " {
            let mut buf = [0u8; 40];
            let got = read_full(&mut file, &mut buf[..size.min(40) as usize]).ok()?;
            let tag = (got >= 16).then(|| parse_fmt(&buf[..got]).tag)?;
            let name = match tag {
                0x0002 => "MS ADPCM",
                0x0006 => "A-law",
                0x0007 => "µ-law",
                0x0011 => "IMA ADPCM",
                0x0031 => "GSM 6.10",
                0x0050 => "MPEG",
                0x0055 => "MP3",
                _ => "an unusual codec",
            };
            return Some(format!("{name} (format tag 0x{tag:04X})"));
        }
        pos = next_chunk(kind, body, size);
    }
    None
}

/// Where the chunk after one with this body and size starts.
pub(crate) fn next_chunk(kind: Container, body: u64, size: u64) -> u64 {
    match kind {
        Container::Wave64 => (body + size).div_ceil(8) * 8,
        _ => body + size + (size & 1),
    }
}

/// Decodes a `fmt ` chunk body (at least 16 bytes). `encoding` is `None` for codecs the
/// fast path does not convert.
pub(crate) fn parse_fmt(b: &[u8]) -> Format {
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let mut tag = u16_at(0);
    let channels = u16_at(2);
    let sample_rate = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    let block_align = u16_at(12);
    let bits = u16_at(14);
    // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the first two bytes of the
    // sub-format GUID at offset 24 (after cbSize, valid bits and the channel mask).
    let mut mask = None;
    if tag == WAVE_FORMAT_EXTENSIBLE {
        tag = if b.len() >= 26 { u16_at(24) } else { 0 };
        if b.len() >= 24 {
            mask = Some(u32::from_le_bytes([b[20], b[21], b[22], b[23]])).filter(|&m| m != 0);
        }
    }
    let encoding = match (tag, bits) {
        (WAVE_FORMAT_PCM, 8) => Some(Encoding::U8),
        (WAVE_FORMAT_PCM, 16) => Some(Encoding::I16),
        (WAVE_FORMAT_PCM, 24) => Some(Encoding::I24),
        (WAVE_FORMAT_PCM, 32) => Some(Encoding::I32),
        (WAVE_FORMAT_IEEE_FLOAT, 32) => Some(Encoding::F32),
        (WAVE_FORMAT_IEEE_FLOAT, 64) => Some(Encoding::F64),
        _ => None,
    };
    Format {
        encoding,
        channels,
        sample_rate,
        block_align,
        mask,
        tag,
    }
}

/// Like `read_exact`, but reports how much was read instead of failing at end of file.
pub(crate) fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensible_float_is_recognised() {
        let mut b = [0u8; 40];
        b[0..2].copy_from_slice(&WAVE_FORMAT_EXTENSIBLE.to_le_bytes());
        b[2..4].copy_from_slice(&2u16.to_le_bytes());
        b[4..8].copy_from_slice(&48_000u32.to_le_bytes());
        b[12..14].copy_from_slice(&8u16.to_le_bytes());
        b[14..16].copy_from_slice(&32u16.to_le_bytes());
        b[24..26].copy_from_slice(&WAVE_FORMAT_IEEE_FLOAT.to_le_bytes());
        let f = parse_fmt(&b);
        assert_eq!(f.encoding, Some(Encoding::F32));
        assert_eq!((f.channels, f.sample_rate, f.block_align), (2, 48_000, 8));
    }
}
