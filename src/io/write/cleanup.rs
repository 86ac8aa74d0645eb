//! Partial files that must not survive the process: every temporary output
//! is registered here while it is written, and a signal thread (installed
//! by `remove_on_signals`) deletes whatever is registered when SIGINT,
//! SIGTERM or SIGHUP arrives, then exits with 128 + the signal number.
//!
//! ```text
//!  Target::create ─register─► PARTIALS ◄─forget── Target drop
//!  Target::finish ─commit (rename under the lock)─┘
//!  SIGINT/SIGTERM/SIGHUP ─► signal thread ─► remove every PARTIALS entry ─► exit
//! ```
//! The rename in `commit` happens under the same lock as the removal, so a
//! signal arriving at that moment finds either the partial file (removed)
//! or the finished one (kept), never a half state.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

static PARTIALS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

fn partials() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a usable list behind.
    PARTIALS.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn register(path: &Path) {
    partials().push(path.to_owned());
}

pub(super) fn forget(path: &Path) {
    partials().retain(|p| p != path);
}

/// Renames `tmp` to `dest` and forgets `tmp`, atomically with respect to
/// the signal thread.
pub(super) fn commit(tmp: &Path, dest: &Path) -> std::io::Result<()> {
    let mut list = partials();
    std::fs::rename(tmp, dest)?;
    list.retain(|p| p != tmp);
    Ok(())
}

/// Partial files currently registered (for tests and diagnostics).
pub fn pending() -> Vec<PathBuf> {
    partials().clone()
}

/// From now on SIGINT, SIGTERM and SIGHUP remove every partial output file
/// before the process exits (130, 143, 129). Idempotent.
pub fn remove_on_signals() -> std::io::Result<()> {
    let mut result = Ok(());
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        match signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
            Ok(mut signals) => {
                let spawned = std::thread::Builder::new()
                    .name("auxbus-signals".into())
                    .spawn(move || {
                        if let Some(sig) = signals.forever().next() {
                            let list = partials();
                            for p in list.iter() {
                                let _ = std::fs::remove_file(p);
                            }
                            eprintln!("auxbus: interrupted; partial output removed");
                            std::process::exit(128 + sig);
                        }
                    });
                if let Err(e) = spawned {
                    result = Err(e);
                }
            }
            Err(e) => result = Err(e),
        }
    });
    result
}
