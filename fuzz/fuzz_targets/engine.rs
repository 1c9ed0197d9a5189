//! Bytes -> engine (parse and sanitise with the default rule set), as a
//! Kafka record value or an NDJSON line reaches it. Whatever the bytes:
//! no panic; a refused record has a documented reason kind; a record that
//! passes comes out as one JSON object with the same id, and sanitising
//! that output again changes nothing.
#![no_main]

use anoniem::engine::{Reject, Trace};
use anoniem::stream::output::kafka_value;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let engine = common::engine();
    let mut trace = Trace::default();
    let outcome = match engine.apply(data, common::now(), &mut trace) {
        Ok(applied) => applied.outcome,
        Err(reject) => {
            assert!(Reject::KINDS.contains(&reject.kind()), "{reject:?}");
            return;
        }
    };
    let id = outcome.id().to_owned();
    let mut out = Vec::new();
    if !kafka_value(&outcome, &mut out) {
        return; // a tombstone
    }
    let value: serde_json::Value = serde_json::from_slice(&out).expect("the output is JSON");
    assert!(value.is_object(), "the output is an object");
    assert_eq!(value["id"].as_str(), Some(id.as_str()), "the output keeps the id");
    let again = engine
        .apply(&out, common::now(), &mut trace)
        .expect("the output is a valid record");
    let mut twice = Vec::new();
    kafka_value(&again.outcome, &mut twice);
    assert_eq!(
        String::from_utf8_lossy(&twice),
        String::from_utf8_lossy(&out),
        "sanitising twice changes nothing"
    );
});
