//! Every strip shows, under its source, how much of what the channel gives
//! the master arrives dry, wet and parallel — the engine's ledger as the
//! console reads it. Frames with known energies go in through the recording
//! port; the strip's meter node must report the shares they imply.

use auxbus::live::ReachReading;
use auxbus::ui::MeterFrame;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

fn reach(dry: f32, wet: f32, parallel: f32, device: f32) -> ReachReading {
    ReachReading {
        mean_sq: [dry, wet, parallel, device],
        frames: 1024,
    }
}

#[test]
fn each_strip_shows_its_measured_dry_wet_and_parallel_shares() {
    let (mut h, port) = console();
    {
        let mut log = port.log.borrow_mut();
        for _ in 0..8 {
            log.meters.push_back(MeterFrame {
                reach: vec![
                    // Kick: 80 % dry, 20 % through the compression return.
                    ("kick".into(), reach(0.008, 0.0, 0.002, 0.0)),
                    // Lead: 3 parts dry to 1 part reverb (wet/dry −4.8 dB).
                    ("lead".into(), reach(0.003, 0.001, 0.0, 0.0)),
                    // Bass: heard only on the headphone outputs.
                    ("bass".into(), reach(0.0, 0.0, 0.0, 0.01)),
                ],
                ..Default::default()
            });
        }
    }
    // The app reads one frame per UI frame (eframe calls `tick` before
    // drawing; the harness draws only).
    for _ in 0..8 {
        h.state_mut().tick(1.0 / 60.0);
        h.step();
    }
    h.run();
    let value = |label: &str| {
        let node = h.get_by_label(label);
        node.accesskit_node().value().unwrap_or_default().to_owned()
    };
    let kick = value("Kick dry/wet/parallel on the strip");
    assert!(
        kick.contains("dry 80 %") && kick.contains("parallel 20 %"),
        "{kick}"
    );
    assert!(!kick.contains("wet"), "{kick}");
    let lead = value("Lead dry/wet/parallel on the strip");
    assert!(
        lead.contains("dry 75 %") && lead.contains("wet 25 %"),
        "{lead}"
    );
    assert!(lead.contains("wet/dry -4.8 dB"), "{lead}");
    let bass = value("Bass dry/wet/parallel on the strip");
    assert!(bass.contains("device outputs only"), "{bass}");
    // Nothing measured yet for a channel that never played.
    let hats = value("Hats dry/wet/parallel on the strip");
    assert!(hats.contains("nothing measured"), "{hats}");
    // The master has the master section's bar, not a line of its own.
    assert!(
        h.query_by_label("Master dry/wet/parallel on the strip")
            .is_none()
    );
}
