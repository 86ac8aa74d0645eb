//! A spool: raw 32-bit float samples parked beside an output while a
//! render runs, read back once the gain of a normalised export is known.
//! Registered with `cleanup` like a partial file, and removed when dropped.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::cleanup;

pub struct Spool {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    reader: Option<BufReader<File>>,
    bytes: Vec<u8>,
}

impl Spool {
    /// A spool beside `output` (same folder, so the same disk).
    pub fn beside(output: &Path) -> io::Result<Self> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let dir = output
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let path = dir.join(format!(".{name}.spool-{}", std::process::id()));
        cleanup::register(&path);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path);
        match file {
            Ok(f) => Ok(Spool {
                path,
                writer: Some(BufWriter::with_capacity(1 << 18, f)),
                reader: None,
                bytes: Vec::new(),
            }),
            Err(e) => {
                cleanup::forget(&path);
                Err(e)
            }
        }
    }

    pub fn write(&mut self, samples: &[f32]) -> io::Result<()> {
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("spool is being read"))?;
        self.bytes.clear();
        for &x in samples {
            self.bytes.extend_from_slice(&x.to_le_bytes());
        }
        w.write_all(&self.bytes)
    }

    /// Reads the next samples into `out` (from the start after the last
    /// write); returns how many, 0 at the end.
    pub fn read(&mut self, out: &mut [f32]) -> io::Result<usize> {
        if let Some(w) = self.writer.take() {
            let mut f = w.into_inner().map_err(|e| e.into_error())?;
            f.seek(SeekFrom::Start(0))?;
            self.reader = Some(BufReader::with_capacity(1 << 18, f));
        }
        let r = self
            .reader
            .as_mut()
            .ok_or_else(|| io::Error::other("spool closed"))?;
        self.bytes.resize(out.len() * 4, 0);
        let mut got = 0;
        while got < self.bytes.len() {
            match r.read(&mut self.bytes[got..])? {
                0 => break,
                k => got += k,
            }
        }
        let n = got / 4;
        for (x, b) in out.iter_mut().zip(self.bytes[..n * 4].chunks_exact(4)) {
            *x = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Ok(n)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        self.writer.take();
        self.reader.take();
        let _ = fs::remove_file(&self.path);
        cleanup::forget(&self.path);
    }
}
