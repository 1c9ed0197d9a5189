//! anoniem: a stream processor that anonymises collected public
//! social-media posts before anything stores or shows them.
//!
//! # Layout
//!
//! The data flows through the modules in this order:
//!
//! - [`model`]: the typed record model of the contract, field paths, and
//!   the output writer;
//! - [`rules`]: the rule files (TOML) of a rule set, parsed and compiled once
//!   into an immutable [`rules::RuleSet`];
//! - [`detect`]: the personal-data detectors (e-mail, phone, IBAN, BSN,
//!   card, postcode, IP, mentions, dictionary terms, person names) behind
//!   one multi-pattern matcher, reading a normalised view of each text;
//! - [`engine`]: `apply(record) -> Applied` (the outcome, the rules that
//!   fired and the rule set that made it), pure and synchronous: parse into
//!   the typed record model, run the rules, strip to the allow-list;
//! - [`check`]: the rule tests that `anoniem check` runs;
//! - [`file`]: file mode, NDJSON in and out, in order, on all cores;
//! - [`config`]: the stage config (TOML and `ANONIEM_*` environment);
//! - [`stream`]: the Kafka stage, at-least-once or exactly-once;
//! - [`metrics`]: what the stage counts, one function per event;
//! - [`health`]: the stage's `/metrics`, `/healthz` and `/readyz` endpoint;
//! - [`sweep`]: `anoniem sweep`, retention and erasure for what the output topic already holds;
//! - [`demo`]: the stage on an in-process broker with the sample posts;
//! - [`load`]: `anoniem load`, a load test of a running stage;
//! - [`corpus`]: a deterministic generator of realistic records, for
//!   benchmarks, the load tool and tests.
//!
//! Errors are typed (`thiserror`) in every module; `anyhow` is used only by
//! the binary.

pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod demo;
pub mod detect;
pub mod engine;
pub mod file;
pub mod health;
pub mod key;
pub mod load;
pub mod metrics;
pub mod model;
pub mod rules;
pub mod stream;
pub mod sweep;

/// An error with its chain of causes, on one line (for logs and the demo's
/// messages, where a bare `Display` would drop the cause).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}
