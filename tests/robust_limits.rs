//! Hostile input that used to make auxbus run away (issue #13): a deep bus
//! chain, effects asking for gigabytes, files that never end, control
//! characters in ids, absurd numbers on the command line, temp files left by
//! killed saves. Each must end quickly with one clear line per problem.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use auxbus::graph;
use auxbus::session::{self, Channel, ChannelKind, Session};
use serde_json::json;

/// Runs the binary with a deadline (a runaway command fails the test instead
/// of hanging it).
fn auxbus(args: &[&str], deadline: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run auxbus");
    // Drain both pipes while waiting, or a long output would block the child.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("status") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("auxbus {args:?} still ran after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A failure with exactly one line on stderr that mentions every needle.
fn one_line_failure(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert!(!o.status.success(), "must fail: {err}");
    assert!(!err.contains("panicked"), "no panic: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    for n in needles {
        assert!(err.contains(n), "should mention {n:?}: {err}");
    }
}

fn write(dir: &Path, name: &str, v: &serde_json::Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).expect("write session");
    p
}

/// `n` buses, each routed into the next, the last into the master.
fn bus_chain(n: usize) -> Session {
    let mut s = Session::new(48_000);
    for k in 0..n {
        let mut c = Channel::new(&format!("b{k}"), ChannelKind::Bus);
        c.output = Some(if k + 1 == n {
            "master".into()
        } else {
            format!("b{}", k + 1)
        });
        s.channels.push(c);
    }
    s
}

#[test]
fn a_deep_bus_chain_prints_without_recursion_and_in_linear_space() {
    // 30,000 levels overflowed the stack of the recursive printer; run it on
    // a small stack to be sure nothing here recurses per level.
    let text = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| graph::routing_tree(&bus_chain(30_000), &|_| String::new()))
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(text.lines().count(), 30_001);
    // The indentation is capped: every line is short, so 10× the chain is
    // about 10× the text (it used to grow with the square).
    let longest = text.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 200, "longest line {longest} bytes");
    let small = graph::routing_tree(&bus_chain(3_000), &|_| String::new()).len();
    assert!(text.len() < 12 * small, "{} vs {small}", text.len());
}

#[test]
fn check_of_a_long_chain_is_fast_and_linear() {
    let dir = tempfile::tempdir().expect("tmp");
    let s = bus_chain(session::MAX_CHANNELS - 1);
    let path = dir.path().join("chain.json");
    session::save(&s, &path).expect("save");
    let o = auxbus(
        &["check", path.to_str().expect("utf8")],
        Duration::from_secs(30),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // 10,000 buses printed 200 MB before; now a few hundred KB.
    assert!(o.stdout.len() < 2_000_000, "{} bytes", o.stdout.len());
}

#[test]
fn too_many_channels_is_one_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("chain.json");
    session::save(&bus_chain(30_000), &path).expect("save");
    let o = auxbus(
        &["check", path.to_str().expect("utf8")],
        Duration::from_secs(30),
    );
    one_line_failure(&o, &["channels", "at most 10000"]);
}

/// 200 delays at 384 kHz: gigabytes of delay lines from a 4 KB file.
#[test]
fn effect_memory_is_costed_before_it_is_allocated() {
    let dir = tempfile::tempdir().expect("tmp");
    let channels: Vec<_> = (0..200)
        .map(|k| json!({"id": format!("d{k}"), "kind": "aux", "inserts": [{"type": "delay"}]}))
        .chain([json!({"id": "master", "kind": "master"})])
        .collect();
    let v = json!({"format": "auxbus-session", "version": 1, "sample_rate": 384000,
                   "channels": channels});
    let path = write(dir.path(), "delays.json", &v);
    let p = path.to_str().expect("utf8");
    let o = auxbus(&["check", p], Duration::from_secs(10));
    one_line_failure(&o, &["inserts[0]", "Delay on \"d", "MiB"]);
    let out = dir.path().join("out.wav");
    let o = auxbus(
        &["render", p, "-o", out.to_str().expect("utf8")],
        Duration::from_secs(10),
    );
    one_line_failure(&o, &["inserts[0]", "MiB"]);
    // The estimate is what the insert really allocates, within a few bytes.
    let s = session::load(&path).expect("the file itself is valid");
    let mut one = s.clone();
    one.channels.drain(1..200);
    let bytes = graph::effect_memory(&one).expect("one delay fits");
    assert!(
        bytes > 8 * 1024 * 1024 && bytes < 24 * 1024 * 1024,
        "{bytes}"
    );
}

#[test]
fn endless_and_huge_session_files_are_refused_without_reading_them() {
    let o = auxbus(&["check", "/dev/zero"], Duration::from_secs(10));
    one_line_failure(&o, &["/dev/zero", "not a regular file"]);

    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let o = auxbus(
        &["check", fifo.to_str().expect("utf8")],
        Duration::from_secs(10),
    );
    one_line_failure(&o, &["pipe.json", "not a regular file"]);

    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(session::MAX_SESSION_BYTES + 1)
        .expect("sparse file");
    let o = auxbus(
        &["check", big.to_str().expect("utf8")],
        Duration::from_secs(10),
    );
    one_line_failure(&o, &["big.json", "16 MiB"]);
}

#[test]
fn control_characters_in_ids_and_paths_stay_on_one_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = json!({"format": "auxbus-session", "version": 1, "channels": [
        {"id": "kick\n\u{1b}[31m", "kind": "bus", "output": "nowhere\r\nfake: line"},
        {"id": "master", "kind": "master"}]});
    let path = write(dir.path(), "ctl\n.json", &v);
    let o = auxbus(
        &["check", path.to_str().expect("utf8")],
        Duration::from_secs(10),
    );
    one_line_failure(&o, &["channels[0].output", "nowhere\\r\\nfake: line"]);
    assert!(!stderr(&o).contains('\u{1b}'));
    let missing = dir.path().join("missing\n\u{1b}[2J.json");
    let o = auxbus(
        &["check", missing.to_str().expect("utf8")],
        Duration::from_secs(10),
    );
    one_line_failure(&o, &["missing\\n\\u{1b}[2J.json"]);

    // A valid session whose names carry controls: the tree shows them escaped.
    let v = json!({"format": "auxbus-session", "version": 1, "channels": [
        {"id": "b", "name": "Bus\nMASTER (master) +0.0 dB", "kind": "bus"},
        {"id": "master", "kind": "master"}]});
    let path = write(dir.path(), "names.json", &v);
    let o = auxbus(
        &["check", path.to_str().expect("utf8")],
        Duration::from_secs(10),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Bus\\nMASTER"), "{out}");
}

#[test]
fn no_typed_number_panics() {
    for args in [
        &["bench", "--block", "4611686018427387904"][..],
        &["bench", "--tracks", "18446744073709551615"],
        &["bench", "--seconds", "1e300"],
        &["play", "x.json", "--buffer", "99999999999"],
    ] {
        let o = auxbus(args, Duration::from_secs(10));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // An argument that is not UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let o = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .arg("check")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe.json"))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn a_save_cleans_temp_files_that_killed_saves_left() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("s.json");
    // A pid above the kernel's maximum (2^22) never runs.
    let stale = dir.path().join(".s.json.tmp-4194399");
    std::fs::write(&stale, "{half a sess").expect("write");
    let other = dir.path().join(".other.json.tmp-4194399");
    std::fs::write(&other, "x").expect("write");
    session::save(&Session::new(48_000), &path).expect("save");
    assert!(!stale.exists(), "the killed save's temp file is gone");
    assert!(other.exists(), "another session's files are left alone");
    assert!(session::load(&path).is_ok());
}
