//! The console on the demo session in a kittest harness, with a recording
//! audio port. Included by the UI tests with `#[path]` (so the other test
//! binaries don't build egui_kittest).

use std::path::Path;

use auxbus::session;
use auxbus::ui::{ConsoleApp, RecordingPort};
use egui::vec2;
use egui_kittest::Harness;

pub fn console() -> (Harness<'static, ConsoleApp>, RecordingPort) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    let s = session::load(&path).expect("demo loads");
    let port = RecordingPort::default();
    let app = ConsoleApp::new(s, Some(path), Box::new(port.clone()));
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 900.0))
        // 60 fps frames, so two clicks can make a double-click.
        .with_step_dt(1.0 / 60.0)
        // Hover texts fade in over a few frames.
        .with_max_steps(16)
        .build_ui_state(|ui, app: &mut ConsoleApp| app.show(ui), app);
    h.run();
    (h, port)
}
