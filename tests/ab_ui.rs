//! The A/B controls on a strip with inserts, through egui_kittest: "A/B"
//! starts the comparison on that channel, the switch picks B, and the
//! strip shows the matching state; a second click stops it.

use egui_kittest::kittest::Queryable as _;

#[path = "common/console.rs"]
mod console_harness;
use console_harness::console;

#[test]
fn a_b_starts_switches_and_stops_on_the_drum_bus() {
    let (mut h, _port) = console();
    assert!(
        h.query_by_label("A/B Drum Bus").is_some(),
        "the drum bus has inserts"
    );
    assert!(h.query_by_label("A/B Bass").is_none(), "no inserts, no A/B");
    h.get_by_label("A/B Drum Bus").click();
    h.run();
    assert_eq!(h.state().meters.ab.channel.as_deref(), Some("drums"));
    assert!(!h.state().meters.ab.listen_b, "starts on A");
    assert!(h.query_by_label_contains("matching").is_some());
    h.get_by_label("Listen to B on Drum Bus").click();
    h.run();
    assert!(h.state().meters.ab.listen_b);
    h.get_by_label("A/B Drum Bus").click();
    h.run();
    assert_eq!(h.state().meters.ab.channel, None);
}
