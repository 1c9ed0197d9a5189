//! The throughput ratio engine / `serde_json::Value` round trip, measured in
//! turns in one process (criterion does not print ratios):
//!
//! ```text
//! cargo run --release --example bench_ratio [rounds] [ms per side] [share with personal data]
//! ```
//!
//! The share defaults to the corpus default (0.2); the README also quotes 0.5.

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::Duration;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let per_side: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(400);
    let share: Option<f64> = args.next().and_then(|a| a.parse().ok());
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; run with --release for meaningful figures");
    }
    let setup = match share {
        Some(share) => support::Setup::with_personal_data(share),
        None => support::Setup::new(),
    };
    let with = setup.subset(true).len();
    println!(
        "corpus: {} records, {} bytes (mean {:.0}), {with} with personal data",
        setup.records.len(),
        setup.bytes(),
        setup.bytes() as f64 / setup.records.len() as f64
    );
    println!(
        "{}",
        support::interleaved(&setup, rounds, Duration::from_millis(per_side))
    );
}
