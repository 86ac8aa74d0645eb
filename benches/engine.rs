//! Criterion benchmarks of the engine on the reference graph (N stereo
//! tracks → 4 buses with a compressor each → master, sends to a reverb aux
//! and a delay aux; see `auxbus::bench`), sources in memory, with and
//! without the effects. Throughput is in frames; divide by 48000 for
//! seconds of audio.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const BLOCK: usize = 512;

fn reference_graph(c: &mut Criterion) {
    auxbus::dsp::enable_flush_to_zero();
    let mut group = c.benchmark_group("reference_graph_512_frames");
    for (tracks, fx) in [(8usize, true), (64, true), (64, false)] {
        let mut engine = auxbus::bench::memory_engine(tracks, 48_000, fx);
        let mut out = vec![0f32; BLOCK * 2];
        group.throughput(Throughput::Elements(BLOCK as u64));
        let name = format!("{tracks}{}", if fx { "" } else { "_no_fx" });
        group.bench_with_input(BenchmarkId::from_parameter(name), &tracks, |b, _| {
            b.iter(|| engine.process(std::hint::black_box(&mut out)));
        });
    }
    group.finish();
}

/// A structural change on a big session: 256 channels × 4 inserts, every
/// insert's state carried into the new plan by index. Only the swap on the
/// audio side is timed; compiling and linking happen in the setup, as they
/// do on the UI thread.
fn plan_swap(c: &mut Criterion) {
    use auxbus::bench::{insert_heavy_session, track_feed};
    use auxbus::engine::Engine;
    use auxbus::graph;
    let tracks = 256;
    let (before, after) = (
        insert_heavy_session(tracks, false),
        insert_heavy_session(tracks, true),
    );
    let setup = || {
        let plan = graph::compile(&before, &track_feed).expect("valid");
        let engine = Engine::with_slots(plan, Vec::new(), 2, tracks);
        let mut next = graph::compile(&after, &track_feed).expect("valid");
        graph::link_state(&mut next, &engine.plan().layout());
        (engine, Box::new(next))
    };
    c.bench_function("plan_swap_256_channels_x4_inserts", |b| {
        b.iter_batched(
            setup,
            |(mut engine, next)| {
                let cut_short = engine.swap_plan(next);
                (engine, cut_short)
            },
            criterion::BatchSize::PerIteration,
        );
    });
}

criterion_group!(benches, reference_graph, plan_swap);
criterion_main!(benches);
