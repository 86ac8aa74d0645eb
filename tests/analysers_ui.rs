//! The master section and the spectrum analyser from the console: what the
//! analysis tap delivers reaches the correlation meter, the analyser opens
//! from the section and probes the channel chosen, and the section folds
//! away on small screens without losing its controls.

use auxbus::ui::Action;
use egui::vec2;
use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

/// `seconds` of tap frames (mix L/R, probe L/R, heard L/R): the mix from
/// `mix`, the probe silent, the speakers playing the mix 20 dB down.
fn tap_frames(seconds: f32, mix: impl Fn(usize) -> (f32, f32)) -> Vec<f32> {
    (0..(seconds * 48_000.0) as usize)
        .flat_map(|i| {
            let (l, r) = mix(i);
            [l, r, 0.0, 0.0, 0.1 * l, 0.1 * r]
        })
        .collect()
}

fn inside(size: egui::Vec2, r: egui::Rect) -> bool {
    r.min.x >= -0.5 && r.min.y >= -0.5 && r.max.x <= size.x + 0.5 && r.max.y <= size.y + 0.5
}

#[test]
fn the_correlation_meter_reads_what_the_tap_delivers() {
    let (mut h, port) = console();
    let size = vec2(1280.0, 760.0);
    h.set_size(size);
    h.run();
    assert!(
        h.query_by_label("Master phase correlation silent")
            .is_some()
    );
    // A sine against its inverse: −1.
    let sine = |i: usize| (i as f32 * 0.03).sin() * 0.5;
    port.log.borrow_mut().analysis = tap_frames(2.0, |i| (sine(i), -sine(i)));
    h.state_mut().tick(1.0 / 60.0);
    h.run();
    let meter = h.get_by_label("Master phase correlation -1.00");
    assert!(inside(size, meter.rect()), "{:?}", meter.rect());
    // The sine peaks at 0.5 (−6.0 dBFS); the speakers play it dimmed 20 dB.
    h.get_by_label("Speakers -26.0");
    // The same on both sides: +1, and the meter follows.
    port.log.borrow_mut().analysis = tap_frames(2.0, |i| (sine(i), sine(i)));
    h.state_mut().tick(1.0 / 60.0);
    h.run();
    h.get_by_label("Master phase correlation +1.00");
    // Stopped, nothing arrives: 5 s of frames later it reads silence again.
    for _ in 0..50 {
        h.state_mut().tick(0.1);
    }
    h.run();
    h.get_by_label("Master phase correlation silent");
}

#[test]
fn the_analyser_opens_from_the_master_section_and_probes_a_channel() {
    let (mut h, port) = console();
    h.set_size(vec2(1280.0, 760.0));
    h.run();
    h.get_by_label("spectrum").click();
    h.run();
    h.get_by_label("Spectrum of Master");
    h.state_mut()
        .dispatch(Action::SetAnalyserSource(Some("kick".into())));
    h.run();
    h.get_by_label("Spectrum of Kick");
    assert_eq!(port.log.borrow().probes, [Some("kick".to_owned())]);
    // Closing it from the section again.
    h.get_by_label("hide spectrum").click();
    h.run();
    assert!(h.query_by_label("Spectrum of Kick").is_none());
}

#[test]
fn on_a_small_screen_the_section_folds_to_a_tab_that_unfolds_it() {
    let (mut h, _port) = console();
    let size = vec2(1024.0, 700.0);
    h.set_size(size);
    h.run();
    assert!(h.query_by_label("Monitor mono").is_none(), "folded at 1024");
    h.get_by_label("Show the master section").click();
    h.run();
    for label in [
        "Monitor mono",
        "Monitor dim",
        "Master true-peak over",
        "Mute Master",
    ] {
        let r = h.get_by_label(label).rect();
        assert!(inside(size, r), "{label} at {r:?}");
    }
}
