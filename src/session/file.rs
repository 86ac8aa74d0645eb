//! Reading and writing session files: precise parse errors, version checks,
//! atomic save.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::{Result, SessionError};
use super::model::{ChannelKind, DEFAULT_OUTPUT, FORMAT_NAME, FORMAT_VERSION, Session};
use super::validate::validate;

/// Reads, parses and validates a session file.
pub fn load(path: &Path) -> Result<Session> {
    let text = fs::read_to_string(path).map_err(|source| SessionError::Io {
        path: path.to_owned(),
        action: "read the session",
        source,
    })?;
    let session = parse(&text, path)?;
    validate(&session)?;
    Ok(session)
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
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
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
