//! A deterministic generator of realistic collected-post records (the
//! contract in `shared/contract/post.md`), for benchmarks and tests.
//!
//! Same seed, same records, on every platform: the generator carries its own
//! small PRNG (splitmix64) and needs no dependency. The records look like the
//! feed: a mix of sources, kinds, Dutch and English text, about a fifth with
//! personal data in `title`/`text` (e-mail, phones in several notations,
//! IBAN, BSN, card numbers, addresses, IP addresses, dictionary names), many
//! with look-alikes that must stay (order numbers, prices, dates, times,
//! versions, tracking codes), comments on owned and third-party pages,
//! coordinates, unknown members the allow-list drops, and a few percent of
//! records that the rules remove (private, delete events, erased authors,
//! Facebook posts past retention).
//!
//! Every checksummed number it writes as personal data is valid (IBAN
//! mod-97, BSN 11-proof, card Luhn); every digit run it writes as a
//! look-alike fails those checks, so a correct detector leaves it alone.
//!
//! # Layout
//!
//! - `rng`: the PRNG, [`Rng`];
//! - `vocab` and `templates`: the fixed word lists and sentence templates;
//! - `text`: expanding templates into sentences, titles and look-alikes;
//! - `personal`: personal data, look-alikes and their checksums;
//! - `record` and `author`: one record, member by member, written by `json`.

mod author;
mod json;
mod personal;
mod record;
mod rng;
mod templates;
#[cfg(test)]
mod tests;
mod text;
mod vocab;

use jiff::Timestamp;

pub use personal::{bsn_valid, iban_valid, luhn_valid};
pub use rng::Rng;

use record::Rec;
use vocab::{ERASED, NEWS_SITES, SOURCES};

/// The fixed clock of the benchmarks: retention is measured from here.
pub const BENCH_NOW: &str = "2026-11-25T12:00:00Z";

/// [`BENCH_NOW`] as a timestamp.
pub fn bench_now() -> Timestamp {
    Timestamp::constant(1_795_608_000, 0)
}

/// What to generate. The shares are fractions of all records.
#[derive(Debug, Clone)]
pub struct CorpusConfig {
    pub seed: u64,
    /// The clock the records are dated against (retention uses it).
    pub now: Timestamp,
    /// Records with personal data in `title`/`text`.
    pub personal_data_share: f64,
    /// Delete events (`{"id":...,"op":"delete"}`).
    pub delete_share: f64,
    /// Items with `visibility: private`.
    pub private_share: f64,
    /// Items by an author on the erasure list.
    pub erased_share: f64,
    /// Facebook posts published more than a year before `now`.
    pub expired_share: f64,
    /// Items with `geo`.
    pub geo_share: f64,
    /// Items with members outside the contract (raw HTML, device data, ...).
    pub extra_fields_share: f64,
    /// Facebook/Instagram comments that are on an owned page.
    pub owned_page_share: f64,
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig {
            seed: 0x5EED_2026_1125,
            now: bench_now(),
            personal_data_share: 0.2,
            delete_share: 0.02,
            private_share: 0.02,
            erased_share: 0.01,
            expired_share: 0.02,
            geo_share: 0.15,
            extra_fields_share: 0.15,
            owned_page_share: 0.3,
        }
    }
}

impl CorpusConfig {
    pub fn with_seed(seed: u64) -> Self {
        CorpusConfig {
            seed,
            ..CorpusConfig::default()
        }
    }
}

/// What the default rules are expected to make of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A public upsert: it comes out sanitised.
    Upsert,
    /// A delete event (P6): a tombstone.
    Delete,
    /// `visibility: private` (P1): a tombstone.
    Private,
    /// By an author on `erased_authors.txt` (P8): a tombstone.
    ErasedAuthor,
    /// A Facebook post older than a year (P7): a tombstone.
    Expired,
}

impl Event {
    pub fn is_tombstone(self) -> bool {
        self != Event::Upsert
    }
}

/// What the generator put into a record, for tests and split benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordInfo {
    pub event: Event,
    pub source: &'static str,
    /// Personal data (P4) in `title` or `text`.
    pub personal_data: bool,
    /// Look-alikes (order numbers, prices, dates, ...) in `title` or `text`.
    pub lookalikes: bool,
    /// A Facebook/Instagram comment or reply on a page no customer manages
    /// (P2 applies).
    pub third_party_comment: bool,
    /// Members outside the contract.
    pub extra_fields: bool,
}

/// Deterministic record generator.
#[derive(Debug, Clone)]
pub struct Generator {
    cfg: CorpusConfig,
    rng: Rng,
    seq: u64,
}

impl Generator {
    pub fn new(cfg: CorpusConfig) -> Self {
        let rng = Rng::new(cfg.seed);
        Generator { cfg, rng, seq: 0 }
    }

    /// Appends one record (a JSON object, no newline) to `out`.
    pub fn next_record(&mut self, out: &mut Vec<u8>) -> RecordInfo {
        self.seq += 1;
        let cfg = &self.cfg;
        let roll = self.rng.unit();
        let mut edge = 0.0;
        let mut event = Event::Upsert;
        for (e, share) in [
            (Event::Delete, cfg.delete_share),
            (Event::Private, cfg.private_share),
            (Event::ErasedAuthor, cfg.erased_share),
            (Event::Expired, cfg.expired_share),
        ] {
            edge += share;
            if roll < edge {
                event = e;
                break;
            }
        }
        // Deletes carry no text: the others make up the share.
        let pd_share = (cfg.personal_data_share / (1.0 - cfg.delete_share)).min(1.0);
        let personal_data = event != Event::Delete && self.rng.chance(pd_share);
        let source: &'static str = match event {
            Event::Expired => "facebook",
            Event::ErasedAuthor => self.rng.pick(ERASED).0,
            _ => self.rng.weighted(SOURCES),
        };
        let mut rec = Rec {
            rng: &mut self.rng,
            cfg: &self.cfg,
            seq: self.seq,
            site: NEWS_SITES[0],
            info: RecordInfo {
                event,
                source,
                personal_data,
                lookalikes: false,
                third_party_comment: false,
                extra_fields: false,
            },
        };
        if event == Event::Delete {
            rec.delete(out);
        } else {
            rec.upsert(out);
        }
        rec.info
    }
}

/// `n` records from `seed` with the default configuration.
pub fn generate(n: usize, seed: u64) -> Vec<Vec<u8>> {
    generate_labelled(n, seed).into_iter().map(|(r, _)| r).collect()
}

/// As [`generate`], with what each record holds.
pub fn generate_labelled(n: usize, seed: u64) -> Vec<(Vec<u8>, RecordInfo)> {
    generate_with(n, CorpusConfig::with_seed(seed))
}

/// `n` records by `cfg`, with what each record holds.
pub fn generate_with(n: usize, cfg: CorpusConfig) -> Vec<(Vec<u8>, RecordInfo)> {
    let mut g = Generator::new(cfg);
    (0..n)
        .map(|_| {
            let mut out = Vec::with_capacity(1024);
            let info = g.next_record(&mut out);
            (out, info)
        })
        .collect()
}
