//! Cost of one console frame (logic + UI + tessellation) with 64 channels:
//! the reference session (64 tracks, 4 buses, an aux, the master) plus a
//! VCA, with meters moving, on the CPU with no GPU; and the same with the
//! spectrum analyser open on a frame's worth of music (1/60 s at 48 kHz).

use auxbus::engine::MeterReading;
use auxbus::session::Vca;
use auxbus::ui::{AudioPort, ConsoleApp, Transport};
use criterion::{Criterion, criterion_group, criterion_main};

/// An audio side that only produces meter readings, so the meters animate.
struct MeterOnly {
    ids: Vec<String>,
    frame: u32,
}

impl AudioPort for MeterOnly {
    fn changed(&mut self, _: &auxbus::session::Session, _: auxbus::graph::Change, _: Option<&str>) {
    }
    fn reload(&mut self, _: &auxbus::session::Session, _: &std::path::Path) {}
    fn transport(&mut self, _: Transport) {}
    fn poll(&mut self) {}
    fn telemetry(&self) -> Option<auxbus::live::Telemetry> {
        None
    }
    fn take_meters(&mut self) -> Option<auxbus::ui::MeterFrame> {
        self.frame += 1;
        let level = 0.2 + 0.2 * ((self.frame % 60) as f32 / 60.0);
        let r = MeterReading {
            peak: [level, level * 0.9],
            rms: [level * 0.5, level * 0.45],
            frames: 1600,
        };
        Some(auxbus::ui::MeterFrame {
            channels: self.ids.iter().map(|id| (id.clone(), r)).collect(),
            dry: r,
            wet: r,
            inserts: Vec::new(),
            ..Default::default()
        })
    }
    fn offline(&self) -> Vec<String> {
        Vec::new()
    }
    fn drain_analysis(&mut self, f: &mut dyn FnMut(&[f32])) {
        // 800 frames (1/60 s): two tones and a little noise, mix and probe.
        let start = self.frame as usize * 800;
        let mut seed = self.frame.wrapping_mul(2_654_435_761) | 1;
        let samples: Vec<f32> = (start..start + 800)
            .flat_map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let t = i as f32 / 48_000.0;
                let noise = (seed as f32 / u32::MAX as f32 - 0.5) * 0.05;
                let x = 0.3 * (std::f32::consts::TAU * 110.0 * t).sin()
                    + 0.1 * (std::f32::consts::TAU * 2500.0 * t).sin()
                    + noise;
                [x, 0.8 * x, x, x, x, 0.8 * x]
            })
            .collect();
        f(&samples);
    }
}

fn console_frame(c: &mut Criterion) {
    frame_bench(c, "console_frame_64_channels", false);
    frame_bench(c, "console_frame_64_channels_spectrum_open", true);
}

fn frame_bench(c: &mut Criterion, name: &str, spectrum: bool) {
    let mut s = auxbus::bench::reference_session(64, 48_000, &|k| format!("t{k}.wav"));
    s.vcas.push(Vca {
        id: "v".into(),
        name: "Drums".into(),
        gain_db: Some(-2.0),
        mute: false,
        members: vec!["t0".into(), "t1".into()],
    });
    let ids = s.channels.iter().map(|c| c.id.clone()).collect();
    let mut app = ConsoleApp::new(s, None, Box::new(MeterOnly { ids, frame: 0 }));
    if spectrum {
        app.dispatch(auxbus::ui::Action::ShowAnalyser(true));
    }
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1920.0, 1080.0),
        )),
        ..Default::default()
    };
    // Warm up fonts and layout caches.
    // No renderer uploads textures here, so font atlas updates are dropped
    // on purpose (epaint checks that in debug builds).
    for _ in 0..3 {
        let mut out = ctx.run_ui(input(), |ui| app.show(ui));
        out.textures_delta.clear();
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    c.bench_function(name, |b| {
        b.iter(|| {
            app.tick(1.0 / 60.0);
            let mut out = ctx.run_ui(input(), |ui| app.show(ui));
            out.textures_delta.clear();
            ctx.tessellate(out.shapes, out.pixels_per_point)
        });
    });
}

criterion_group!(benches, console_frame);
criterion_main!(benches);
