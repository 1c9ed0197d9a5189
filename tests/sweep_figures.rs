//! The store's figures for the README (ignored by default; run in release):
//!
//!   SWEEP_FIGURES_ITEMS=1000000 cargo test --release --test sweep_figures -- --ignored --nocapture
//!
//! Applies N output records (about 400 bytes of sanitised JSON each, parsed
//! as the sweeper parses them) in batches of 5,000, as the loop does on
//! catch-up, then runs one check over all of them; prints items per
//! second, the store's size on disk and the process's peak memory.

use std::path::Path;
use std::time::Instant;

use anoniem::check;
use anoniem::sweep::Policy;
use anoniem::sweep::store::{Change, Record, Store};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

#[test]
#[ignore = "figures for the README; run in release"]
fn figures_per_million_items() {
    let n: u64 = std::env::var("SWEEP_FIGURES_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let rules = anoniem::rules::load(&dir).expect("rules");
    let key = check::test_key();
    let policy = Policy::new(rules, &dir, "erased_authors", Some(&key)).expect("policy");
    let tmp = tempfile::tempdir().expect("tmp");
    let store = Store::open(tmp.path(), 64 << 20, "out").expect("store");
    let rss_before = peak_rss_kib();
    let started = Instant::now();
    let mut batch = Vec::with_capacity(5_000);
    for i in 0..n {
        let id = format!("facebook:{}", 10_000_000_000_000u64 + i);
        let author = if i % 3 == 0 {
            key.pseudonym("facebook", &(i % 50_000).to_string())
        } else {
            format!("{}", 100_000_000_000_000u64 + i % 200_000)
        };
        let value = format!(
            r#"{{"id":"{id}","source":"facebook","kind":"comment","url":"https://www.facebook.com/p/{i}","published_at":"2025-{:02}-{:02}T10:15:00Z","collected_at":"2026-11-20T10:16:02Z","language":"nl","visibility":"public","page":{{"id":"fbp-1","name":"Een pagina"}},"author":{{"id":"{author}","name":"Anonieme gebruiker","avatar_url":""}},"text":"Een reactie van ongeveer honderd tekens, zonder persoonsgegevens, zoals de meeste reacties zijn."}}"#,
            1 + i % 12,
            1 + i % 28
        );
        let item = policy.item(value.as_bytes()).expect("readable");
        batch.push(Record {
            partition: (i % 3) as u32,
            offset: i / 3,
            change: Change::Upsert { id, item },
        });
        if batch.len() == 5_000 {
            store.apply(&batch, policy.erasure_version()).expect("apply");
            batch.clear();
        }
    }
    store.apply(&batch, policy.erasure_version()).expect("apply");
    let took = started.elapsed();
    let check = Instant::now();
    let far = "2030-01-01T00:00:00Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_nanosecond();
    let mut due = 0;
    for p in 0..3 {
        due += store.due(p, far, 10_000, &|_| false).expect("due").0.len();
    }
    let check_took = check.elapsed();
    assert_eq!(store.items().expect("items"), n);
    let bytes = store.file_bytes();
    println!(
        "sweep store: {n} items applied in {:.1} s ({:.0} items/s), store file {:.1} MiB ({:.0} bytes/item), \
         peak RSS {} MiB (before: {} MiB), first 10,000 due per partition read in {} ms ({due} items)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        bytes as f64 / (1 << 20) as f64,
        bytes as f64 / n as f64,
        peak_rss_kib() / 1024,
        rss_before / 1024,
        check_took.as_millis()
    );
}
