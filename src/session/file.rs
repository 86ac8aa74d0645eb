//! Reading and writing session files: precise parse errors, version checks,
//! atomic save.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::error::{Result, SessionError};
use super::model::{ChannelKind, DEFAULT_OUTPUT, FORMAT_NAME, FORMAT_VERSION, Session};
use super::validate::validate;

/// The largest session file auxbus reads (16 MiB). A big real session is a
/// few hundred kilobytes; anything larger is refused before it is parsed.
pub const MAX_SESSION_BYTES: u64 = 16 * 1024 * 1024;

/// Reads, parses and validates a session file.
pub fn load(path: &Path) -> Result<Session> {
    let text = read_bounded(path)?;
    let session = parse(&text, path)?;
    validate(&session)?;
    Ok(session)
}

/// Reads a session file's text, refusing anything that is not a regular file
/// (a device such as /dev/zero, a FIFO, a folder) and anything larger than
/// [`MAX_SESSION_BYTES`]: never more than the limit is read, whatever the
/// file claims or keeps delivering.
pub fn read_bounded(path: &Path) -> Result<String> {
    let io_err = |source| SessionError::Io {
        path: path.to_owned(),
        action: "read the session",
        source,
    };
    // Look before opening: opening a FIFO would block until a writer comes.
    let meta = fs::metadata(path).map_err(io_err)?;
    if !meta.is_file() {
        return Err(SessionError::NotAFile {
            path: path.to_owned(),
        });
    }
    let too_large = || SessionError::TooLarge {
        path: path.to_owned(),
        limit: MAX_SESSION_BYTES,
    };
    if meta.len() > MAX_SESSION_BYTES {
        return Err(too_large());
    }
    let file = fs::File::open(path).map_err(io_err)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SESSION_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_SESSION_BYTES {
        return Err(too_large()); // it grew while being read
    }
    String::from_utf8(bytes).map_err(|e| SessionError::Parse {
        path: path.to_owned(),
        field: String::new(),
        line: 1,
        column: 1,
        message: format!(
            "not a text file (invalid UTF-8 at byte {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Parses session JSON (no validation of the routing). `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Session> {
    // Look at the header first: a newer file may carry fields this build does
    // not know, and "please update" is the useful message then, not "unknown field".
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| parse_error(path, String::new(), &e))?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(FORMAT_NAME) {
        let found = value
            .get("format")
            .map_or("missing".to_owned(), |f| f.to_string());
        return Err(SessionError::NotASession {
            path: path.to_owned(),
            found,
        });
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(SessionError::NewerVersion {
                path: path.to_owned(),
                found: u32::try_from(v).unwrap_or(u32::MAX),
                supported: FORMAT_VERSION,
            });
        }
        Some(v) if v >= 1 => {}
        _ => {
            let field = "version".to_owned();
            let message = format!("expected a format version from 1 to {FORMAT_VERSION}");
            return Err(SessionError::Parse {
                path: path.to_owned(),
                field,
                line: 1,
                column: 1,
                message,
            });
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut session: Session = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        parse_error(path, field, e.inner())
    })?;
    // The master's output is the device. The field's default ("master")
    // would read as a self-route, so drop it; any other value stays for
    // validation to refuse.
    for c in &mut session.channels {
        if c.kind == ChannelKind::Master
            && matches!(c.output.as_deref(), Some(o) if o == DEFAULT_OUTPUT || o == c.id)
        {
            c.output = None;
        }
    }
    Ok(session)
}

fn parse_error(path: &Path, field: String, e: &serde_json::Error) -> SessionError {
    // serde_json appends " at line L column C"; we print the position up front.
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    SessionError::Parse {
        path: path.to_owned(),
        field,
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Writes the session atomically: a temporary file beside the target is
/// written, flushed to disk and renamed over it, so a crash never leaves a
/// half-written session.
pub fn save(session: &Session, path: &Path) -> Result<()> {
    let mut session = session.clone();
    for c in &mut session.channels {
        if c.kind == ChannelKind::Master {
            c.output = None; // the master's output is the device; don't store a self-route
        }
    }
    let io_err = |action, source| SessionError::Io {
        path: path.to_owned(),
        action,
        source,
    };
    let mut text = serde_json::to_string_pretty(&session)
        .map_err(|e| io_err("encode the session", std::io::Error::other(e)))?;
    text.push('\n');
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    clean_stale_temps(path);
    let tmp = dir.join(format!(".{file_name}{TMP_INFIX}{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err("save the session", e)
    })
}

/// What a save's temporary file adds to the session's name, before the
/// process id: `.demo.json.tmp-1234` while `demo.json` is being saved.
const TMP_INFIX: &str = ".tmp-";

/// Removes the temporary files that saves of `path` killed mid-way left
/// behind (`.NAME.tmp-PID` whose process is gone). Best effort; returns how
/// many were removed.
pub fn clean_stale_temps(path: &Path) -> usize {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return 0;
    };
    let prefix = format!(".{name}{TMP_INFIX}");
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        // Without /proc a running save cannot be told from a dead one: then
        // only files an hour old count as left behind.
        let stale = if Path::new("/proc/self").exists() {
            !process_alive(pid)
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600)
        };
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` still runs (this one always does). Where that cannot
/// be told (no /proc), only this process counts as running.
pub fn process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Where a track's `source` lives: relative paths are relative to the folder
/// of the session file.
pub fn resolve_source(session_path: &Path, source: &str) -> PathBuf {
    let p = Path::new(source);
    if p.is_absolute() {
        return p.to_owned();
    }
    match session_path.parent() {
        Some(dir) => dir.join(p),
        None => p.to_owned(),
    }
}
