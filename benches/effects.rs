//! What each insert effect costs: one second of 48 kHz stereo noise through
//! it, in the engine's 128-frame blocks (the time per iteration is the cost
//! per second of audio). Also: a reverb fed silence long after its tail has
//! died, which must cost no more than silence before any input (denormals).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use auxbus::fx::InsertSlot;
use auxbus::fx::reverb::Reverb;
use auxbus::session::effects::params::{Detector, ReverbParams};
use auxbus::session::effects::{EffectKind, EffectParams, Insert};

const RATE: u32 = 48_000;

fn noise(frames: usize) -> Vec<f32> {
    let mut seed = 0x2545_f491u32;
    (0..frames)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed as f32 / u32::MAX as f32 - 0.5) * 0.5
        })
        .collect()
}

fn run(slot: &mut InsertSlot, l: &mut [f32], r: &mut [f32]) {
    for (cl, cr) in l.chunks_mut(128).zip(r.chunks_mut(128)) {
        slot.process(cl, cr);
    }
}

/// Runs first, before flush-to-zero is set on this thread, so subnormal
/// numbers in the reverb's state would show up as a slower "after" figure.
fn reverb_tail_without_ftz(c: &mut Criterion) {
    let mut group = c.benchmark_group("reverb_silence_no_ftz");
    group.sample_size(20);
    let input = noise(RATE as usize);
    // The reverb itself (not the insert slot, which stops running an
    // effect whose tail has died away): silence before any input, and
    // silence after 20 s of ringing out, when its lines hold only what the
    // flushing left.
    let p = ReverbParams::default();
    let silence = vec![0.0f32; RATE as usize];
    let mut fresh = Reverb::new(RATE as f32, &p);
    let mut rung = Reverb::new(RATE as f32, &p);
    let (mut l, mut r) = (input.clone(), input);
    rung.process(&mut l, &mut r);
    for _ in 0..20 {
        let (mut l, mut r) = (silence.clone(), silence.clone());
        rung.process(&mut l, &mut r);
    }
    for (name, verb) in [("before_input", &mut fresh), ("after_tail", &mut rung)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let (mut l, mut r) = (silence.clone(), silence.clone());
                for (cl, cr) in l.chunks_mut(128).zip(r.chunks_mut(128)) {
                    verb.process(cl, cr);
                }
            })
        });
    }
    // What an idle reverb aux costs in the engine: the slot skips it.
    let mut idle = InsertSlot::new(&Insert::new(EffectParams::Reverb(p)), RATE, 120.0);
    group.bench_function("insert_slot_idle", |b| {
        b.iter(|| {
            let (mut l, mut r) = (silence.clone(), silence.clone());
            run(&mut idle, &mut l, &mut r);
        })
    });
    group.finish();
}

fn effects(c: &mut Criterion) {
    auxbus::dsp::enable_flush_to_zero();
    let mut group = c.benchmark_group("effect_per_second_of_stereo_48k");
    group.sample_size(20);
    let input = noise(RATE as usize);
    let mut kinds: Vec<(String, EffectParams)> = EffectKind::ALL
        .iter()
        .map(|k| (k.key().to_owned(), k.default_params(true)))
        .collect();
    let mut eq = EffectKind::Eq.default_params(false);
    if let EffectParams::Eq(p) = &mut eq {
        p.hpf_on = true;
        p.low_gain_db = 3.0;
        p.mid1_gain_db = -4.0;
        p.mid2_gain_db = 2.0;
        p.high_gain_db = 3.0;
    }
    kinds.push(("eq_all_bands".into(), eq));
    let mut rms = EffectKind::Compressor.default_params(false);
    if let EffectParams::Compressor(p) = &mut rms {
        p.detector = Detector::Rms;
    }
    kinds.push(("compressor_rms".into(), rms));
    for (name, params) in kinds {
        let mut slot = InsertSlot::new(&Insert::new(params), RATE, 120.0);
        let (mut l, mut r) = (input.clone(), input.clone());
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                l.copy_from_slice(&input);
                r.copy_from_slice(&input);
                run(&mut slot, &mut l, &mut r);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, reverb_tail_without_ftz, effects);
criterion_main!(benches);
