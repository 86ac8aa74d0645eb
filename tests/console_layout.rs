//! The console fits the screen: at 1024×700, 1280×760 and 1920×1080, and
//! at two pixels per point, every strip's fader, value box, M and S lie
//! fully inside the window once the strip is scrolled into view, and the
//! demo needs no vertical scrolling.

use std::path::Path;

use auxbus::session;
use auxbus::ui::{ConsoleApp, RecordingPort};
use egui::{Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn console(size: egui::Vec2, pixels_per_point: f32) -> Harness<'static, ConsoleApp> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
    let s = session::load(&path).expect("demo loads");
    let app = ConsoleApp::new(s, Some(path), Box::new(RecordingPort::default()));
    let mut h = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(pixels_per_point)
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(16)
        .build_ui_state(|ui, app: &mut ConsoleApp| app.show(ui), app);
    // A few frames for the strips to measure themselves and settle.
    h.run_steps(6);
    h
}

/// Channel and VCA names of the demo, master last.
fn strip_names(h: &Harness<'_, ConsoleApp>) -> Vec<String> {
    let s = h.state().doc.session();
    let mut names: Vec<String> = s
        .channels
        .iter()
        .map(|c| c.display_name().to_owned())
        .collect();
    names.extend(s.vcas.iter().map(|v| v.name.clone()));
    names
}

fn inside(window: Rect, r: Rect) -> bool {
    r.min.x >= window.min.x - 0.5
        && r.min.y >= window.min.y - 0.5
        && r.max.x <= window.max.x + 0.5
        && r.max.y <= window.max.y + 0.5
}

/// Scrolls the strips sideways until every strip has been fully in view,
/// checking its controls each time; returns the names checked.
fn check_every_strip(h: &mut Harness<'_, ConsoleApp>, size: egui::Vec2) -> Vec<String> {
    let window = Rect::from_min_size(egui::Pos2::ZERO, size);
    let names = strip_names(h);
    let mut checked: Vec<String> = Vec::new();
    for _ in 0..40 {
        for name in &names {
            let label = format!("{name} fader");
            let Some(fader) = h.query_by_label(&label).map(|n| n.rect()) else {
                continue;
            };
            // Only strips that are wholly on screen count as scrolled into view.
            if fader.min.x < 0.0 || fader.max.x > size.x {
                continue;
            }
            let mut parts = vec![
                (format!("{name} fader"), fader),
                (
                    format!("{name} gain"),
                    h.get_by_label(&format!("{name} gain")).rect(),
                ),
                (
                    format!("Mute {name}"),
                    h.get_by_label(&format!("Mute {name}")).rect(),
                ),
            ];
            if name != "Master" && !h.state().doc.session().vcas.iter().any(|v| &v.name == name) {
                parts.push((
                    format!("Solo {name}"),
                    h.get_by_label(&format!("Solo {name}")).rect(),
                ));
            }
            for (label, r) in parts {
                assert!(
                    inside(window, r),
                    "{size:?}: {label} at {r:?} is not inside the window {window:?}"
                );
            }
            if !checked.contains(name) {
                checked.push(name.clone());
            }
        }
        if checked.len() == names.len() {
            break;
        }
        // Scroll the strips to the right, as a wheel with Shift would.
        let over = egui::pos2(size.x * 0.3, size.y * 0.5);
        h.hover_at(over);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: vec2(-(size.x * 0.4), 0.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run_steps(4);
    }
    let mut missing = names.clone();
    missing.retain(|n| !checked.contains(n));
    assert!(
        missing.is_empty(),
        "{size:?}: never fully in view: {missing:?}"
    );
    checked
}

#[test]
fn every_strip_fits_at_1024_by_700() {
    let size = vec2(1024.0, 700.0);
    let mut h = console(size, 1.0);
    check_every_strip(&mut h, size);
}

#[test]
fn every_strip_fits_at_1280_by_760() {
    let size = vec2(1280.0, 760.0);
    let mut h = console(size, 1.0);
    check_every_strip(&mut h, size);
}

#[test]
fn every_strip_fits_at_1920_by_1080() {
    let size = vec2(1920.0, 1080.0);
    let mut h = console(size, 1.0);
    check_every_strip(&mut h, size);
}

#[test]
fn every_strip_fits_at_two_pixels_per_point_on_2048_by_1400() {
    // 2048×1400 pixels at 2 pixels per point is a 1024×700 point window.
    let size = vec2(1024.0, 700.0);
    let mut h = console(size, 2.0);
    check_every_strip(&mut h, size);
}

#[test]
fn faders_use_the_height_they_have() {
    let small = console(vec2(1280.0, 760.0), 1.0);
    let big = console(vec2(1920.0, 1080.0), 1.0);
    let height = |h: &Harness<'_, ConsoleApp>| h.get_by_label("Kick fader").rect().height();
    let (a, b) = (height(&small), height(&big));
    assert!(
        (b - a - 320.0).abs() < 4.0,
        "320 more points of window give the faders 320 more points: {a} → {b}"
    );
}
