//! Where a written file goes, and how it gets there without ever leaving a
//! half-written file or replacing something that is not a file.
//!
//! ```text
//!  regular path ─► .NAME.partial-PID beside it ─► write, fsync ─► rename over NAME, fsync dir
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
        out: Option<std::io::BufWriter<File>>,
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

impl Drop for Target {
    fn drop(&mut self) {
        self.file.take();
        if let Some(tmp) = self.tmp.take() {
            let _ = fs::remove_file(&tmp);
            cleanup::forget(&tmp);
        }
    }
}
