//! What the engine targets share: one engine with the built-in default
//! rule set and the public test key, built once.

use std::sync::OnceLock;

use anoniem::check::test_key;
use anoniem::engine::{Engine, Limits};
use anoniem::rules::embedded::default_rules;

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let rules = default_rules().expect("the built-in rule set compiles");
        Engine::new(rules, Some(test_key()), Limits::default()).expect("the engine starts")
    })
}

/// A fixed clock (the corpus generator's), so a finding replays.
pub fn now() -> jiff::Timestamp {
    anoniem::corpus::bench_now()
}
