//! Bytes -> a record with personal data planted in it -> engine. The
//! fuzzer writes the text around the planted values (split into fragments
//! at 0xFF bytes; the first byte picks the source, kind and which value);
//! the planted values stand between fixed words (see `text` below), in
//! title, text, a tag, the place and the page name. Whatever the fuzzer
//! writes around them, none of them may come out.
#![no_main]

use anoniem::engine::Trace;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// Values no rule may let through, in notations the detectors must read.
const PLANTED: &[&str] = &[
    "planted.person@example.nl",
    "NL91ABNA0417164300",
    "NL91 ABNA 0417 1643 00",
    "+31 6 12345678",
    "06-12345678",
    "2001:db8::1",
    "192.0.2.44",
];
const SOURCES: &[&str] = &["forum", "facebook", "instagram", "news", "reviews"];
const KINDS: &[&str] = &["post", "comment", "reply", "review"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let planted = PLANTED[usize::from(pick) % PLANTED.len()];
    let source = SOURCES[usize::from(pick / 8) % SOURCES.len()];
    let kind = KINDS[usize::from(pick / 64) % KINDS.len()];
    let mut parts = rest
        .split(|&b| b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let mut text = || {
        let before = parts.next().unwrap_or_default();
        let after = parts.next().unwrap_or_default();
        // Fixed words on both sides of the value: a label the fuzzer
        // wrote beside it could rightly keep it (`bestelnummer 1234...`
        // keeps a reference, `192.0.2.44 update` reads as a version).
        format!("{before}. Mijn gegevens: {planted} (einde). {after}")
    };
    let record = serde_json::json!({
        "id": format!("{source}:1"),
        "source": source,
        "kind": kind,
        "visibility": "public",
        "published_at": "2026-11-20T10:00:00Z",
        "title": text(),
        "text": text(),
        "tags": [text()],
        "geo": {"place": text()},
        "page": {"id": "p-1", "name": text()},
        "author": {"id": "a-1", "name": "Sanne de Vries"},
    });
    let input = record.to_string();
    let mut trace = Trace::default();
    let Ok(outcome) = common::engine().apply(input.as_bytes(), common::now(), &mut trace) else {
        return; // refused: nothing comes out
    };
    let mut out = Vec::new();
    anoniem::file::write_line(&outcome.outcome, &mut out);
    let out = String::from_utf8_lossy(&out);
    assert!(!out.contains(planted), "{planted:?} survived in {out}");
});
