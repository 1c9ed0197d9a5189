//! Throughput of the engine with the default rules against a plain
//! `serde_json::Value` round trip, on a generated corpus (`anoniem::corpus`).
//!
//! `cargo bench --bench engine` (about a minute). Criterion prints
//! records/s for each; at the end an interleaved in-process measurement
//! prints the ratio engine / baseline, which criterion does not. The same
//! ratio alone: `cargo run --release --example bench_ratio`.

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};

use anoniem::engine::Trace;
use support::{Setup, baseline_pass, engine_pass};

fn throughput(c: &mut Criterion, setup: &Setup) {
    let records = &setup.records;
    let mut group = c.benchmark_group("throughput");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(records.len() as u64));
    let mut out = Vec::with_capacity(4096);
    group.bench_function("baseline/serde_json_value_roundtrip", |b| {
        b.iter(|| black_box(baseline_pass(records, &mut out)))
    });
    let mut trace = Trace::default();
    group.bench_function("engine/full_policy", |b| {
        b.iter(|| {
            black_box(engine_pass(
                &setup.engine,
                setup.now,
                records,
                &mut trace,
                &mut out,
            ))
        })
    });
    group.finish();
}

/// For insight: the engine on records with personal data in title/text,
/// and on those without.
fn personal_data_split(c: &mut Criterion, setup: &Setup) {
    let mut group = c.benchmark_group("engine_split");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let mut out = Vec::with_capacity(4096);
    let mut trace = Trace::default();
    for (name, personal) in [("with_personal_data", true), ("without_personal_data", false)] {
        let records = setup.subset(personal);
        group.throughput(Throughput::Elements(records.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(engine_pass(
                    &setup.engine,
                    setup.now,
                    &records,
                    &mut trace,
                    &mut out,
                ))
            })
        });
    }
    group.finish();
}

fn main() {
    let setup = Setup::new();
    let mut c = Criterion::default().configure_from_args();
    throughput(&mut c, &setup);
    personal_data_split(&mut c, &setup);
    c.final_summary();
    // Criterion runs each benchmark once under `cargo test --benches` (no
    // `--bench`); measure the ratio only in a real benchmark run.
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench")
        && !args
            .iter()
            .any(|a| a == "--test" || a == "--list" || a.starts_with("--profile-time"));
    if benchmarking {
        println!(
            "\n{}",
            support::interleaved(&setup, 9, Duration::from_millis(300))
        );
    }
}
