//! Writes a generated corpus as NDJSON to stdout, e.g. to feed the binary:
//!
//! ```text
//! cargo run --release --example gen_corpus -- 100000 42 > corpus.ndjson
//! anoniem anonymise --now 2026-11-25T12:00:00Z corpus.ndjson
//! ```
//!
//! Arguments: the number of records (default 10000) and the seed (default 1).

use std::io::{self, BufWriter, Write};

use anoniem::corpus::{CorpusConfig, Generator};

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let mut generator = Generator::new(CorpusConfig::with_seed(seed));
    let mut out = BufWriter::new(io::stdout().lock());
    let mut line = Vec::with_capacity(2048);
    for _ in 0..n {
        line.clear();
        generator.next_record(&mut line);
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()
}
