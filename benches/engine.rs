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

criterion_group!(benches, reference_graph);
criterion_main!(benches);
