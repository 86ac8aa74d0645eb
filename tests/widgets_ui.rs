//! UI tests for the console widgets, driven through egui_kittest (no display,
//! no GPU): widgets are found by their accessible labels, then dragged,
//! clicked, scrolled or set through AccessKit like a user or a screen reader
//! would.

use auxbus::ui::widgets::{
    FADER_CAP_HEIGHT, Fader, Knob, MeterBallistics, db_entry, db_to_position, dry_wet_meter,
    position_to_db, stereo_meter,
};
use egui::{Event, Id, Key, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, TouchPhase, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

const FADER_HEIGHT: f32 = 200.0;

/// One channel strip's worth of state, plus counters of what the widgets
/// reported, as the app would use them for undo.
struct Strip {
    gain: Option<f32>,
    pan: f32,
    send: f32,
    /// Linear peak fed to both meter channels on every frame.
    input_peak: f32,
    meters: [MeterBallistics; 2],
    fader_changes: usize,
    drags_started: usize,
    drags_stopped: usize,
    entry_commits: usize,
}

impl Strip {
    fn new(gain: Option<f32>) -> Self {
        Self {
            gain,
            pan: 0.0,
            send: -60.0,
            input_peak: 0.1,
            meters: [MeterBallistics::new(); 2],
            fader_changes: 0,
            drags_started: 0,
            drags_stopped: 0,
            entry_commits: 0,
        }
    }
}

fn strip_ui(ui: &mut egui::Ui, s: &mut Strip) {
    for m in &mut s.meters {
        m.update(s.input_peak, s.input_peak * 0.5, 1.0 / 60.0);
    }
    ui.horizontal(|ui| {
        let r = ui.add(Fader::new(&mut s.gain, "Kick fader").height(FADER_HEIGHT));
        s.fader_changes += usize::from(r.changed());
        s.drags_started += usize::from(r.drag_started());
        s.drags_stopped += usize::from(r.drag_stopped());
        if stereo_meter(ui, &s.meters, FADER_HEIGHT, "Kick").clicked() {
            s.meters.iter_mut().for_each(MeterBallistics::reset_clip);
        }
        ui.vertical(|ui| {
            ui.add(Knob::pan(&mut s.pan, "Kick pan"));
            ui.add(Knob::send_level(&mut s.send, "Kick send Reverb"));
            let r = db_entry(ui, &mut s.gain, Id::unique("kick-gain-entry"))
                .accessible_name("Kick gain");
            s.entry_commits += usize::from(r.changed());
            dry_wet_meter(ui, 0.7, 0.2, "Kick");
        });
    });
}

/// kittest runs one frame per queued event and advances time by 0.25 s per
/// frame by default, which makes two clicks 0.75 s apart — never a
/// double-click. 60 fps frames fix that (and match the meters' dt).
fn harness(gain: Option<f32>) -> Harness<'static, Strip> {
    Harness::builder()
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(strip_ui, Strip::new(gain))
}

/// Centre of the fader cap for the current value, from the widget's rect.
fn cap_centre(h: &Harness<'_, Strip>) -> Pos2 {
    let rect = h.get_by_label("Kick fader").rect();
    let travel = rect.height() - FADER_CAP_HEIGHT;
    let pos = db_to_position(h.state().gain);
    egui::pos2(
        rect.left() + 13.0,
        rect.bottom() - FADER_CAP_HEIGHT / 2.0 - pos * travel,
    )
}

fn travel(h: &Harness<'_, Strip>) -> f32 {
    h.get_by_label("Kick fader").rect().height() - FADER_CAP_HEIGHT
}

/// The drag sequence that kittest handles reliably: hover, press, move in
/// steps, release — one frame each.
fn drag_by(h: &mut Harness<'_, Strip>, from: Pos2, dy: f32) {
    let steps = 5;
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for i in 1..=steps {
        h.hover_at(from + vec2(0.0, dy * i as f32 / steps as f32));
        h.run();
    }
    h.drop_at(from + vec2(0.0, dy));
    h.run();
}

fn gain(h: &Harness<'_, Strip>) -> Option<f32> {
    h.state().gain
}

#[test]
fn every_widget_is_found_by_label() {
    let mut h = harness(Some(0.0));
    h.run();
    for label in [
        "Kick fader",
        "Kick pan",
        "Kick send Reverb",
        "Kick gain",
        "Kick meter",
        "Kick clip",
        "Kick dry/wet",
    ] {
        let _ = h.get_by_label(label);
    }
    assert!(h.unnamed_widgets().is_empty(), "{:?}", h.unnamed_widgets());
    // The fader reports dB; the knobs their own units.
    let fader = h.get_by_label("Kick fader");
    assert_eq!(fader.accesskit_node().numeric_value(), Some(0.0));
    let meter = h.get_by_label("Kick meter");
    assert_eq!(meter.value().as_deref(), Some("L -20.0 dB, R -20.0 dB"));
    let dry_wet = h.get_by_label("Kick dry/wet");
    assert_eq!(
        dry_wet.value().as_deref(),
        Some("dry -3.1 dB / wet -14.0 dB, wet/dry -10.9 dB")
    );
}

#[test]
fn dragging_the_fader_down_lowers_the_gain_as_the_law_says() {
    let mut h = harness(Some(0.0));
    h.run();
    let from = cap_centre(&h);
    let expected = position_to_db(0.75 - 50.0 / travel(&h));
    drag_by(&mut h, from, 50.0);
    let got = gain(&h).unwrap_or(f32::NEG_INFINITY);
    let want = expected.unwrap_or(f32::NEG_INFINITY);
    assert!(got < -5.0, "moved the wrong way: {got}");
    assert!((got - want).abs() < 0.5, "got {got}, expected {want}");
    // One gesture: one start, one stop (one undo step), several changes.
    assert_eq!(h.state().drags_started, 1);
    assert_eq!(h.state().drags_stopped, 1);
    assert!(h.state().fader_changes >= 1);
}

#[test]
fn dragging_up_raises_and_stops_at_the_top() {
    let mut h = harness(Some(-10.0));
    h.run();
    let from = cap_centre(&h);
    drag_by(&mut h, from, -20.0);
    let got = gain(&h).unwrap_or(f32::NEG_INFINITY);
    assert!(got > -10.0 && got < 0.0, "{got}");
    let from = cap_centre(&h);
    drag_by(&mut h, from, -400.0);
    assert_eq!(gain(&h), Some(6.0));
    // And all the way down is −inf.
    let from = cap_centre(&h);
    drag_by(&mut h, from, 400.0);
    assert_eq!(gain(&h), None);
}

#[test]
fn shift_drag_is_finer() {
    let mut normal = harness(Some(0.0));
    normal.run();
    let from = cap_centre(&normal);
    drag_by(&mut normal, from, 40.0);
    let coarse = 0.75 - db_to_position(gain(&normal));

    let mut fine = harness(Some(0.0));
    fine.run();
    let from = cap_centre(&fine);
    fine.event(Event::ModifiersChanged(Modifiers::SHIFT));
    drag_by(&mut fine, from, 40.0);
    fine.event(Event::ModifiersChanged(Modifiers::NONE));
    fine.run();
    let small = 0.75 - db_to_position(gain(&fine));

    assert!(coarse > 0.0 && small > 0.0, "{coarse} {small}");
    assert!(
        (small / coarse - 0.1).abs() < 0.03,
        "fine moved {small}, coarse {coarse}"
    );
}

#[test]
fn double_click_resets_to_unity() {
    let mut h = harness(Some(-17.3));
    h.run();
    h.get_by_label("Kick fader").click();
    h.get_by_label("Kick fader").click();
    h.run();
    assert_eq!(gain(&h), Some(0.0));

    // From −inf too. Wait first: two more clicks within 0.3 s would count
    // as triple-clicks, which egui does not report as double-clicks.
    h.state_mut().gain = None;
    h.run_steps(30);
    h.get_by_label("Kick fader").click();
    h.get_by_label("Kick fader").click();
    h.run();
    assert_eq!(gain(&h), Some(0.0));
}

#[test]
fn wheel_steps_half_a_db() {
    let mut h = harness(Some(-3.0));
    h.run();
    let at = cap_centre(&h);
    h.hover_at(at);
    h.run();
    let wheel = |dy: f32| Event::MouseWheel {
        unit: MouseWheelUnit::Line,
        delta: vec2(0.0, dy),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    };
    // egui animates its smooth-scroll state for ~12 frames after a wheel
    // event (repainting), which `run()` reports as not settling; step instead.
    h.event(wheel(1.0));
    h.run_steps(20);
    assert_eq!(gain(&h), Some(-2.5));
    h.event(wheel(-1.0));
    h.event(wheel(-1.0));
    h.run_steps(20);
    assert_eq!(gain(&h), Some(-3.5));
}

#[test]
fn accesskit_sets_fader_and_knobs() {
    let mut h = harness(Some(0.0));
    h.run();
    h.get_by_label("Kick fader").set_value_accesskit(-6.0);
    h.run();
    assert_eq!(gain(&h), Some(-6.0));
    h.get_by_label("Kick fader").set_value_accesskit(-144.0);
    h.run();
    assert_eq!(gain(&h), None);
    h.get_by_label("Kick fader").set_value_accesskit(12.0);
    h.run();
    assert_eq!(gain(&h), Some(6.0));

    h.get_by_label("Kick pan").set_value_accesskit(-0.37);
    h.run();
    assert!((h.state().pan + 0.37).abs() < 1e-6);
    h.get_by_label("Kick pan").set_value_accesskit(5.0);
    h.run();
    assert_eq!(h.state().pan, 1.0);

    h.get_by_label("Kick send Reverb")
        .set_value_accesskit(-12.0);
    h.run();
    assert_eq!(h.state().send, -12.0);
    h.get_by_label("Kick send Reverb").increment_accesskit();
    h.run();
    assert_eq!(h.state().send, -11.5);
}

#[test]
fn knob_drag_and_double_click() {
    let mut h = harness(Some(0.0));
    h.run();
    let rect = h.get_by_label("Kick pan").rect();
    let from = rect.center();
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for i in 1..=5 {
        h.hover_at(from - vec2(0.0, 10.0 * i as f32));
        h.run();
    }
    h.drop_at(from - vec2(0.0, 50.0));
    h.run();
    // 50 px of a 200 px full-range drag over −1..1: +0.5 (to the right).
    assert!((h.state().pan - 0.5).abs() < 0.02, "{}", h.state().pan);
    h.get_by_label("Kick pan").click();
    h.get_by_label("Kick pan").click();
    h.run();
    assert_eq!(h.state().pan, 0.0);
}

#[test]
fn clip_light_latches_and_click_resets_it() {
    let mut h = harness(Some(0.0));
    h.run();
    assert_eq!(
        h.get_by_label("Kick clip").value().as_deref(),
        Some("no clip")
    );

    h.state_mut().input_peak = 1.2;
    h.run();
    h.state_mut().input_peak = 0.1;
    h.run_steps(30);
    assert!(h.state().meters.iter().all(MeterBallistics::clipped));
    assert_eq!(
        h.get_by_label("Kick clip").value().as_deref(),
        Some("clipped")
    );
    let meter_text = h.get_by_label("Kick meter").value().unwrap_or_default();
    assert!(meter_text.ends_with(", clipped"), "{meter_text}");

    // Clicking the bars does nothing; clicking the light clears it.
    h.get_by_label("Kick meter").click();
    h.run();
    assert!(h.state().meters.iter().all(MeterBallistics::clipped));
    h.get_by_label("Kick clip").click();
    h.run();
    assert!(!h.state().meters.iter().any(MeterBallistics::clipped));
    assert_eq!(
        h.get_by_label("Kick clip").value().as_deref(),
        Some("no clip")
    );
}

#[test]
fn typed_gain_commits_on_enter_and_ignores_garbage() {
    let mut h = harness(Some(0.0));
    h.run();
    let type_in = |h: &mut Harness<'_, Strip>, text: &str, commit: Key| {
        h.get_by_label("Kick gain").click();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.get_by_label("Kick gain").type_text(text);
        h.run();
        h.key_press(commit);
        h.run();
    };

    type_in(&mut h, "-3.5", Key::Enter);
    assert_eq!(gain(&h), Some(-3.5));
    assert_eq!(h.state().entry_commits, 1, "one commit, not one per key");
    assert_eq!(h.get_by_label("Kick gain").value().as_deref(), Some("-3.5"));

    type_in(&mut h, "loud", Key::Enter);
    assert_eq!(gain(&h), Some(-3.5));
    assert_eq!(h.state().entry_commits, 1);

    type_in(&mut h, "-inf", Key::Enter);
    assert_eq!(gain(&h), None);

    type_in(&mut h, "+2.5 dB", Key::Escape);
    assert_eq!(gain(&h), None, "Escape cancels");
}

#[test]
fn disabled_fader_ignores_accesskit_and_wheel() {
    let mut h = Harness::new_ui_state(
        |ui, gain: &mut Option<f32>| {
            ui.disable();
            ui.add(Fader::new(gain, "Locked fader"));
        },
        Some(-3.0),
    );
    h.run();
    h.get_by_label("Locked fader").set_value_accesskit(0.0);
    h.run();
    assert_eq!(*h.state(), Some(-3.0));
}
