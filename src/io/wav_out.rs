//! Writing the mix to a WAV file: atomically (temporary file, then rename)
//! so a failed render never leaves a partial file behind.

use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Sample format of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    F32,
    S24,
    S16,
}

impl SampleFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "f32" => Some(SampleFormat::F32),
            "s24" => Some(SampleFormat::S24),
            "s16" => Some(SampleFormat::S16),
            _ => None,
        }
    }
}

/// A WAV file being written. Call `finish` to move it into place; dropping
/// it unfinished deletes the temporary file.
pub struct WavOut {
    writer: Option<hound::WavWriter<BufWriter<fs::File>>>,
    tmp: PathBuf,
    path: PathBuf,
    format: SampleFormat,
    /// Samples beyond full scale that integer output had to clip.
    pub clipped: u64,
    dither: Tpdf,
}

impl WavOut {
    pub fn create(
        path: &Path,
        sample_rate: u32,
        channels: u16,
        format: SampleFormat,
    ) -> std::io::Result<Self> {
        let (bits, sample_format) = match format {
            SampleFormat::F32 => (32, hound::SampleFormat::Float),
            SampleFormat::S24 => (24, hound::SampleFormat::Int),
            SampleFormat::S16 => (16, hound::SampleFormat::Int),
        };
        let spec = hound::WavSpec {
            channels,
            sample_rate,
            bits_per_sample: bits,
            sample_format,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
        let writer = hound::WavWriter::create(&tmp, spec).map_err(to_io)?;
        Ok(WavOut {
            writer: Some(writer),
            tmp,
            path: path.to_owned(),
            format,
            clipped: 0,
            dither: Tpdf(0x9E37_79B9),
        })
    }

    /// Appends interleaved samples.
    pub fn write(&mut self, samples: &[f32]) -> std::io::Result<()> {
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        match self.format {
            SampleFormat::F32 => {
                for &x in samples {
                    w.write_sample(x).map_err(to_io)?;
                }
            }
            SampleFormat::S24 | SampleFormat::S16 => {
                let full = if self.format == SampleFormat::S24 {
                    8_388_607.0
                } else {
                    32_767.0
                };
                // 16-bit output gets TPDF dither so quiet fades don't turn
                // into distortion; 24-bit needs none.
                let dither = self.format == SampleFormat::S16;
                for &x in samples {
                    let mut v = x * full;
                    if dither {
                        v += self.dither.next();
                    }
                    let rounded = v.round();
                    if rounded > full || rounded < -full - 1.0 {
                        self.clipped += 1;
                    }
                    let s = rounded.clamp(-full - 1.0, full) as i32;
                    w.write_sample(s).map_err(to_io)?;
                }
            }
        }
        Ok(())
    }

    /// Finalises the header and renames the file into place.
    pub fn finish(mut self) -> std::io::Result<PathBuf> {
        if let Some(w) = self.writer.take() {
            w.finalize().map_err(to_io)?;
        }
        fs::rename(&self.tmp, &self.path)?;
        Ok(self.path.clone())
    }
}

impl Drop for WavOut {
    fn drop(&mut self) {
        if self.writer.take().is_some() || self.tmp.exists() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

fn to_io(e: hound::Error) -> std::io::Error {
    match e {
        hound::Error::IoError(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

/// Triangular dither of ±1 LSB from a tiny xorshift generator.
struct Tpdf(u32);

impl Tpdf {
    fn uniform(&mut self) -> f32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        (x as f32 / u32::MAX as f32) - 0.5
    }

    fn next(&mut self) -> f32 {
        self.uniform() + self.uniform()
    }
}
