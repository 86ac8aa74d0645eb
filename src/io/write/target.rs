//! Where a written file goes, and how it gets there without ever leaving a
//! half-written file or replacing something that is not a file.
//!
//! ```text
//!  regular path ─► .NAME.partial-PID beside it ─► write, fsync ─► rename over NAME, fsync dir
//!                   (writeback started every 2 MiB, so the fsync at the end has little left)
//!  symlink      ─► the same, beside the file it points to (the link stays)
//!  char device ─► written through in place (never replaced, nothing to rename)
//!  FIFO, block device, socket, folder ─► refused with a message
//! ```
//! A named pipe is refused rather than opened: opening it blocks until a
//! reader appears (a command must end in bounded time), and the header is
//! patched at the end, which a pipe cannot do.
//! Partial files are registered with `cleanup`, so Ctrl-C or SIGTERM
//! removes them too.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use super::cleanup;

/// Why an output path cannot be written.
fn refuse(path: &Path, what: &str) -> io::Error {
    io::Error::other(format!(
        "is {what}; auxbus writes renders to files or character devices only ({})",
        path.display()
    ))
}

/// An output being written: a temporary file to be renamed into place, or
/// a device / pipe written directly.
#[derive(Debug)]
pub struct Target {
    file: Option<File>,
    /// The partial file (for a regular destination).
    tmp: Option<PathBuf>,
    /// Where the finished file goes (symlinks resolved).
    dest: PathBuf,
    /// The path as the user gave it.
    path: PathBuf,
    seekable: bool,
}

/// What `path` resolves to: the file a symlink points at (following chains),
/// the path itself otherwise.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

impl Target {
    pub fn create(path: &Path) -> io::Result<Self> {
        let dest = resolve(path)?;
        if let Ok(m) = fs::metadata(&dest) {
            let t = m.file_type();
            if t.is_dir() {
                return Err(refuse(path, "a folder"));
            }
            if t.is_block_device() {
                return Err(refuse(path, "a block device (a disk)"));
            }
            if t.is_socket() {
                return Err(refuse(path, "a socket"));
            }
            if t.is_fifo() {
                return Err(refuse(path, "a named pipe"));
            }
            if t.is_char_device() {
                // Write through, like other tools: the node stays what it is.
                let file = OpenOptions::new().write(true).open(&dest)?;
                let seekable = (&file).stream_position().is_ok();
                return Ok(Target {
                    file: Some(file),
                    tmp: None,
                    dest,
                    path: path.to_owned(),
                    seekable,
                });
            }
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| io::Error::other("names no file"))?;
        let dir = dest
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
        cleanup::register(&tmp);
        let file = match OpenOptions::new()
            .write(true)
            .read(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
        {
            Ok(f) => f,
            Err(e) => {
                cleanup::forget(&tmp);
                return Err(e);
            }
        };
        Ok(Target {
            file: Some(file),
            tmp: Some(tmp),
            dest,
            path: path.to_owned(),
            seekable: true,
        })
    }

    /// The path the user asked for.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the header can be rewritten at the end.
    pub fn seekable(&self) -> bool {
        self.seekable
    }

    /// The open file, for writing.
    pub fn file(&mut self) -> io::Result<&mut File> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("output already closed"))
    }

    /// A buffered writer appending to the file from its start, which hands
    /// what it wrote to the disk as it goes (see `Streamed`).
    pub fn writer(&mut self) -> io::Result<io::BufWriter<Streamed>> {
        let file = self.file()?.try_clone()?;
        Ok(io::BufWriter::with_capacity(
            1 << 18,
            Streamed {
                file,
                written: 0,
                queued: 0,
            },
        ))
    }

    /// Rewrites `bytes` at `offset` (a header), when the output can seek.
    pub fn patch(&mut self, offset: u64, bytes: &[u8]) -> io::Result<()> {
        if !self.seekable {
            return Ok(());
        }
        let f = self.file()?;
        f.seek(SeekFrom::Start(offset))?;
        f.write_all(bytes)?;
        f.seek(SeekFrom::End(0))?;
        Ok(())
    }

    /// Flushes `out` (a writer over a clone of this file), rewrites the
    /// header at the start and moves the file into place.
    pub fn finish_with_header(
        mut self,
        out: Option<io::BufWriter<Streamed>>,
        header: &[u8],
    ) -> io::Result<PathBuf> {
        if let Some(mut o) = out {
            o.flush()?;
        }
        self.patch(0, header)?;
        self.finish()
    }

    /// Flushes to disk and moves the file into place. On error nothing is
    /// left behind.
    pub fn finish(mut self) -> io::Result<PathBuf> {
        let file = self.file.take();
        let Some(tmp) = self.tmp.clone() else {
            if let Some(mut f) = file {
                f.flush()?;
            }
            return Ok(self.path.clone());
        };
        if let Some(f) = file {
            f.sync_all()?;
        }
        cleanup::commit(&tmp, &self.dest)?;
        self.tmp = None;
        if let Some(dir) = self.dest.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(self.path.clone())
    }
}

/// Bytes written between two requests to start writing back to the disk.
const WRITEBACK_BYTES: u64 = 2 << 20;

/// A file written from its start that starts the disk writing every
/// `WRITEBACK_BYTES` (Linux `sync_file_range`, which does not wait). The
/// final fsync then waits for the last few MiB instead of the whole file:
/// for a 16 MB render that was 7–10 ms of wall time after the render
/// finished. Elsewhere it is a plain file.
#[derive(Debug)]
pub struct Streamed {
    file: File,
    /// Bytes written, and bytes already handed to writeback.
    written: u64,
    queued: u64,
}

impl Write for Streamed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.queued >= WRITEBACK_BYTES {
            start_writeback(&self.file, self.queued, self.written - self.queued);
            self.queued = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: a plain system call on a descriptor this file owns; it only
    // starts I/O. A failure (a device, a file system without it) changes
    // nothing: the fsync at the end still writes everything.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _len: u64) {}

impl Drop for Target {
    fn drop(&mut self) {
        self.file.take();
        if let Some(tmp) = self.tmp.take() {
            let _ = fs::remove_file(&tmp);
            cleanup::forget(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writing back in 2 MiB steps must not change a byte: uneven writes
    /// across several steps, the header patched at the end, read back.
    #[test]
    fn a_file_written_past_several_writeback_steps_reads_back_exactly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.bin");
        let mut target = Target::create(&path).expect("create");
        let mut out = target.writer().expect("writer");
        let mut want = Vec::new();
        let mut k = 0u32;
        while want.len() < 5 * WRITEBACK_BYTES as usize + 12_345 {
            let piece: Vec<u8> = (0..(k % 7919 + 1))
                .map(|i| (i.wrapping_mul(31) ^ k) as u8)
                .collect();
            out.write_all(&piece).expect("write");
            want.extend_from_slice(&piece);
            k += 1;
        }
        assert!(out.get_ref().queued >= 4 * WRITEBACK_BYTES, "writeback ran");
        want[..4].copy_from_slice(b"HEAD");
        target
            .finish_with_header(Some(out), b"HEAD")
            .expect("finish");
        assert_eq!(fs::read(&path).expect("read back"), want);
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
