//! The real console in a real X server: starts Xvfb (installed by
//! tools/setup-debian), opens the demo session, checks the window stays up,
//! and takes a screenshot that must show a console, not a blank screen.
//! Fails if Xvfb or imagemagick are missing.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

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
