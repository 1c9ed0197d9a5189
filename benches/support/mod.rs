//! Shared by `benches/engine.rs` and `examples/bench_ratio.rs`: the engine
//! with the default rules, the generated corpus, one pass of each
//! contender, and the interleaved ratio measurement.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use anoniem::corpus::{self, CorpusConfig, RecordInfo};
use anoniem::engine::{Engine, Limits, Trace};
use anoniem::{check, rules};
use jiff::Timestamp;

/// Records per pass.
pub const RECORDS: usize = 2_000;
/// The corpus seed: fixed, so runs compare.
pub const SEED: u64 = 2026;

pub struct Setup {
    pub engine: Engine,
    pub now: Timestamp,
    pub records: Vec<Vec<u8>>,
    pub info: Vec<RecordInfo>,
}

impl Setup {
    /// The default corpus: a fifth of the records hold personal data.
    pub fn new() -> Setup {
        Setup::with_personal_data(CorpusConfig::with_seed(SEED).personal_data_share)
    }

    /// A corpus where `share` of all records hold personal data.
    pub fn with_personal_data(share: f64) -> Setup {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let rules = rules::load(&dir).expect("the default rules load");
        let engine = Engine::new(rules, Some(check::test_key()), Limits::default())
            .expect("the engine starts with the default rules");
        let cfg = CorpusConfig {
            personal_data_share: share,
            ..CorpusConfig::with_seed(SEED)
        };
        let (records, info) = corpus::generate_with(RECORDS, cfg).into_iter().unzip();
        Setup {
            engine,
            now: corpus::bench_now(),
            records,
            info,
        }
    }

    pub fn bytes(&self) -> u64 {
        self.records.iter().map(|r| r.len() as u64).sum()
    }

    /// The records with (`true`) or without personal data in title/text.
    pub fn subset(&self, personal_data: bool) -> Vec<Vec<u8>> {
        self.records
            .iter()
            .zip(&self.info)
            .filter(|(_, i)| i.personal_data == personal_data)
            .map(|(r, _)| r.clone())
            .collect()
    }
}

/// The baseline: parse every record into a `serde_json::Value` and write it
/// back. Returns the bytes written, so nothing is optimised away.
pub fn baseline_pass(records: &[Vec<u8>], out: &mut Vec<u8>) -> usize {
    let mut written = 0;
    for record in records {
        let value: serde_json::Value =
            serde_json::from_slice(black_box(record)).expect("the corpus is valid JSON");
        out.clear();
        serde_json::to_writer(&mut *out, &value).expect("writing to a Vec cannot fail");
        written += black_box(&*out).len();
    }
    written
}

/// The engine with the full default policy: `apply`, then the output line.
pub fn engine_pass(
    engine: &Engine,
    now: Timestamp,
    records: &[Vec<u8>],
    trace: &mut Trace,
    out: &mut Vec<u8>,
) -> usize {
    let mut written = 0;
    for record in records {
        match engine.apply(black_box(record), now, trace) {
            Ok(applied) => {
                out.clear();
                anoniem::file::write_line(&applied.outcome, out);
                written += black_box(&*out).len();
            }
            Err(e) => panic!("the engine rejected a corpus record: {e}"),
        }
    }
    written
}

/// Both contenders measured in turns, in one process.
pub struct Ratio {
    pub rounds: usize,
    /// Median records per second.
    pub baseline_rps: f64,
    pub engine_rps: f64,
    /// Median input MB/s (10^6 bytes).
    pub baseline_mbps: f64,
    pub engine_mbps: f64,
    /// Median of the per-round ratios engine / baseline.
    pub ratio: f64,
    /// The ratio of the median times, and of the best times (the least
    /// disturbed by other work on a shared machine).
    pub ratio_of_medians: f64,
    pub ratio_of_bests: f64,
}

/// Runs `rounds` rounds; in each, both contenders run whole passes for at
/// least `per_side` each, in alternating order (AB, BA, ...) so a drift of
/// the machine's speed hits both alike. Medians, not means: the machine is
/// shared.
pub fn interleaved(setup: &Setup, rounds: usize, per_side: Duration) -> Ratio {
    let mut out = Vec::with_capacity(4096);
    let mut trace = Trace::default();
    let n = setup.records.len() as f64;
    let bytes = setup.bytes() as f64;
    // Warm caches and allocator once.
    baseline_pass(&setup.records, &mut out);
    engine_pass(&setup.engine, setup.now, &setup.records, &mut trace, &mut out);

    let mut timed = |engine: bool| -> f64 {
        let start = Instant::now();
        let mut passes = 0u32;
        while passes == 0 || start.elapsed() < per_side {
            if engine {
                engine_pass(&setup.engine, setup.now, &setup.records, &mut trace, &mut out);
            } else {
                baseline_pass(&setup.records, &mut out);
            }
            passes += 1;
        }
        // Seconds per pass.
        start.elapsed().as_secs_f64() / f64::from(passes)
    };
    let (mut base, mut eng, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (b, e) = if round % 2 == 0 {
            let b = timed(false);
            (b, timed(true))
        } else {
            let e = timed(true);
            (timed(false), e)
        };
        base.push(b);
        eng.push(e);
        ratios.push(b / e);
    }
    let best = |xs: &[f64]| xs.iter().copied().fold(f64::INFINITY, f64::min);
    let ratio_of_bests = best(&base) / best(&eng);
    let (b, e) = (median(&mut base), median(&mut eng));
    Ratio {
        rounds,
        baseline_rps: n / b,
        engine_rps: n / e,
        baseline_mbps: bytes / b / 1e6,
        engine_mbps: bytes / e / 1e6,
        ratio: median(&mut ratios),
        ratio_of_medians: b / e,
        ratio_of_bests,
    }
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "interleaved, {} rounds, {RECORDS} records (seed {SEED}), medians:",
            self.rounds
        )?;
        writeln!(
            f,
            "  baseline/serde_json_value_roundtrip {:>10.0} records/s {:>7.1} MB/s",
            self.baseline_rps, self.baseline_mbps
        )?;
        writeln!(
            f,
            "  engine/full_policy                  {:>10.0} records/s {:>7.1} MB/s",
            self.engine_rps, self.engine_mbps
        )?;
        write!(
            f,
            "  ratio engine / baseline: {:.2} (median of per-round ratios; of medians {:.2}, of bests {:.2})",
            self.ratio, self.ratio_of_medians, self.ratio_of_bests
        )
    }
}
