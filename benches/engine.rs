//! Criterion benchmarks of the engine on the reference graph (N stereo
//! tracks → 4 buses → master, one post-fader send each to an aux), sources
//! in memory. Throughput is in frames; divide by 48000 for seconds of audio.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const BLOCK: usize = 512;

fn reference_graph(c: &mut Criterion) {
    auxbus::dsp::enable_flush_to_zero();
    let mut group = c.benchmark_group("reference_graph_512_frames");
    for tracks in [8usize, 64] {
        let mut engine = auxbus::bench::memory_engine(tracks, 48_000);
        let mut out = vec![0f32; BLOCK * 2];
        group.throughput(Throughput::Elements(BLOCK as u64));
        group.bench_with_input(BenchmarkId::from_parameter(tracks), &tracks, |b, _| {
            b.iter(|| engine.process(std::hint::black_box(&mut out)));
        });
    }
    group.finish();
}

criterion_group!(benches, reference_graph);
criterion_main!(benches);
