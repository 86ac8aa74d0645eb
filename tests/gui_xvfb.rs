//! The real console in a real X server: starts Xvfb (installed by
//! tools/setup-debian), opens the demo session, checks the window stays up,
//! and takes a screenshot that must show a console, not a blank screen.
//! Fails if Xvfb or imagemagick are missing.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

/// The tests here each start an X server (picked by process id): one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on a free display and returns it with the display name.
fn xvfb() -> (Killed, String) {
    for n in 0..40 {
        let display = 80 + (std::process::id() as usize + n) % 100;
        if Path::new(&format!("/tmp/.X11-unix/X{display}")).exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([
                format!(":{display}"),
                "-screen".into(),
                "0".into(),
                "1400x860x24".into(),
                "-nolisten".into(),
                "tcp".into(),
                // Without it the server resets whenever its last client
                // leaves (an xdotool call, a killed console), and a console
                // connecting during the reset fails to open the display.
                "-noreset".into(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb must be installed (apt install xvfb)");
        let x = Killed(child);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if Path::new(&format!("/tmp/.X11-unix/X{display}")).exists() {
                return (x, format!(":{display}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("could not start Xvfb");
}

#[test]
fn console_opens_the_demo_under_a_real_x_server() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_x, display) = xvfb();
    let home = tempfile::tempdir().expect("tmp");
    let runtime = home.path().join("xdg");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    let app = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .arg(&demo)
        .env("DISPLAY", &display)
        .env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start auxbus");
    let mut app = Killed(app);
    std::thread::sleep(Duration::from_secs(6));
    if let Some(status) = app.0.try_wait().expect("status") {
        let mut err = String::new();
        if let Some(mut e) = app.0.stderr.take() {
            use std::io::Read as _;
            let _ = e.read_to_string(&mut err);
        }
        panic!("the console exited ({status}): {err}");
    }
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-demo.png");
    let ok = Command::new("import")
        .args(["-window", "root"])
        .arg(&shot)
        .env("DISPLAY", &display)
        .status()
        .expect("imagemagick must be installed (apt install imagemagick)");
    assert!(ok.success(), "screenshot failed");
    // A blank or black window has a handful of colours; the console has
    // strips, meters, text and kind colours.
    let colours = Command::new("identify")
        .args(["-format", "%k"])
        .arg(&shot)
        .output()
        .expect("identify");
    let colours: u32 = String::from_utf8_lossy(&colours.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    assert!(
        colours > 200,
        "the screenshot looks empty ({colours} colours): {}",
        shot.display()
    );
    assert!(
        app.0.try_wait().expect("status").is_none(),
        "the console must still be running"
    );
    eprintln!("screenshot: {} ({colours} colours)", shot.display());
}

/// The console with `HOME` in `home` (its recovery copies go to
/// `home/.local/state/auxbus/recovery`), stderr collected in a thread.
fn console_in(
    display: &str,
    home: &Path,
    session: &Path,
) -> (Killed, std::sync::mpsc::Receiver<String>) {
    let runtime = home.join("xdg");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_auxbus"))
        .arg(session)
        .env("DISPLAY", display)
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("XDG_STATE_HOME")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start auxbus");
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (Killed(child), rx)
}

/// The id of the console's window once it is mapped. If it never is, the
/// panic says why: the console's exit status and what it printed, and
/// whether the X server still answers.
fn window(display: &str, app: &mut Killed, lines: &std::sync::mpsc::Receiver<String>) -> String {
    let t = Instant::now();
    let mut printed = Vec::new();
    // A debug build on a loaded two-core machine can take a while to show
    // its first frame.
    while t.elapsed() < Duration::from_secs(90) {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "auxbus"])
            .env("DISPLAY", display)
            .output()
            .expect("xdotool must be installed (apt install xdotool)");
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return id.to_owned();
        }
        printed.extend(lines.try_iter());
        if let Some(status) = app.0.try_wait().expect("status") {
            std::thread::sleep(Duration::from_millis(200));
            printed.extend(lines.try_iter());
            panic!(
                "the console exited ({status}) before its window appeared:\n{}",
                printed.join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let x = Command::new("xdotool")
        .args(["search", "--name", "auxbus"])
        .env("DISPLAY", display)
        .output()
        .expect("xdotool");
    panic!(
        "the console window did not appear in 90 s on {display} (xdotool: {:?}, \
         unmapped windows named auxbus: {:?}); the console printed:\n{}",
        String::from_utf8_lossy(&x.stderr).trim(),
        String::from_utf8_lossy(&x.stdout).trim(),
        printed.join("\n")
    );
}

fn recovery_copies(home: &Path) -> Vec<std::path::PathBuf> {
    let dir = home.join(".local/state/auxbus/recovery");
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| !p.to_string_lossy().ends_with(".meta.json"))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_console_killed_after_an_edit_offers_the_work_back_on_restart() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_x, display) = xvfb();
    let home = tempfile::tempdir().expect("tmp");
    // The demo, with its sources made absolute so the copy plays them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("sessions/demo.json")).expect("demo");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    for c in v["channels"].as_array_mut().expect("channels") {
        if let Some(src) = c.get("source").and_then(|s| s.as_str()) {
            let abs = root.join("sessions").join(src);
            c["source"] = serde_json::Value::from(abs.to_string_lossy().into_owned());
        }
    }
    let session = home.path().join("mix.json");
    std::fs::write(&session, v.to_string()).expect("write session");
    let saved = std::fs::read(&session).expect("read");

    let (mut app, lines) = console_in(&display, home.path(), &session);
    let win = window(&display, &mut app, &lines);
    std::thread::sleep(Duration::from_secs(2));
    // An edit: the mouse wheel over the first strip's fader (the Kick, at
    // the left edge whatever the width of the master panel on the right).
    let xdo = |args: &[&str]| {
        let ok = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &display)
            .status()
            .expect("xdotool");
        assert!(ok.success(), "xdotool {args:?}");
    };
    // The fader fills the lower part of the strip (its height follows the
    // window), so a few points down it all land on it.
    for y in ["520", "580", "620"] {
        xdo(&["mousemove", "--window", &win, "26", y]);
        xdo(&["click", "--repeat", "2", "--delay", "100", "5"]);
    }
    let t = Instant::now();
    let copy = loop {
        if let Some(c) = recovery_copies(home.path()).pop() {
            break c;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "no recovery copy appeared after the edit"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!(
        "recovery copy {} appeared {:.1} s after the edit",
        copy.display(),
        t.elapsed().as_secs_f64()
    );
    // kill -9, and reap it.
    app.0.kill().expect("kill");
    app.0.wait().expect("wait");
    assert_eq!(
        std::fs::read(&session).expect("read"),
        saved,
        "the session file is untouched"
    );

    let (mut app, lines) = console_in(&display, home.path(), &session);
    let t = Instant::now();
    let offered = loop {
        match lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line.contains("offering to restore") => break line,
            _ => {}
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the restarted console offered nothing"
        );
    };
    assert!(offered.contains(copy.to_str().expect("utf8")), "{offered}");
    window(&display, &mut app, &lines);
    std::thread::sleep(Duration::from_secs(3));
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-recovery.png");
    let ok = Command::new("import")
        .args(["-window", "root"])
        .arg(&shot)
        .env("DISPLAY", &display)
        .status()
        .expect("imagemagick");
    assert!(ok.success(), "screenshot failed");
    assert!(copy.exists(), "nothing is deleted before the user answers");
    assert_eq!(std::fs::read(&session).expect("read"), saved);
    eprintln!("screenshot of the offer: {}", shot.display());
}
