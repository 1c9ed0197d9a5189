//! The engine alone over the bench corpus, for profilers:
//! `cargo run --release --example engine_only [passes] [share]`;
//! with `ANONIEM_BASELINE=1` the baseline instead (for instruction counts).

#[path = "../benches/support/mod.rs"]
#[allow(dead_code)] // the ratio measurement is not used here
mod support;

use anoniem::engine::Trace;

fn main() {
    let mut args = std::env::args().skip(1);
    let passes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let share: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    // `ANONIEM_BASELINE=1`: the `serde_json::Value` round trip instead.
    let baseline = std::env::var_os("ANONIEM_BASELINE").is_some();
    let setup = support::Setup::with_personal_data(share);
    let mut out = Vec::with_capacity(4096);
    let mut trace = Trace::default();
    let mut written = 0;
    for _ in 0..passes {
        written += if baseline {
            support::baseline_pass(&setup.records, &mut out)
        } else {
            support::engine_pass(&setup.engine, setup.now, &setup.records, &mut trace, &mut out)
        };
    }
    println!("{written} bytes written");
}
