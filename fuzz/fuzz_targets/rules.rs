//! Bytes -> rule-file compile. The bytes are one rule file (`00-fuzz.toml`,
//! beside the built-in lists, so `[lists]` and `[dictionary]` entries can
//! name them). Whatever they say: no panic; an invalid file is reported
//! with at least one problem, each naming the file; a valid one makes an
//! engine (with the test key) that sanitises a record without panicking.
#![no_main]

use std::path::Path;

use anoniem::check::test_key;
use anoniem::engine::{Engine, Limits, Trace};
use anoniem::rules::{RulesError, SourceFile, compile};
use libfuzzer_sys::fuzz_target;

const LISTS: &[(&str, &str)] = &[
    (
        "lists/owned_pages.txt",
        "facebook:p-1\n# a comment\n\ninstagram:p-2\n",
    ),
    ("lists/erased_authors.txt", "forum:a-9\n"),
    ("lists/names.txt", "Sanne de Vries\nJan\n"),
];

const RECORD: &[u8] = br#"{"id":"facebook:1","source":"facebook","kind":"comment","visibility":"public","published_at":"2026-11-20T10:00:00Z","page":{"id":"p-3","name":"Bakkerij"},"author":{"id":"a-1","name":"Sanne de Vries","handle":"sanne"},"text":"Mail sanne@example.nl of bel 06-12345678","geo":{"lat":52.37,"lon":4.89,"place":"Amsterdam"},"tags":["x"]}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile {
        path: Path::new("fuzz").join("00-fuzz.toml"),
        text: text.to_owned(),
    };
    let compiled = compile(&[file], &mut |p: &Path| {
        LISTS
            .iter()
            .find(|(name, _)| Path::new(name) == p)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such list"))
    });
    match compiled {
        Ok(rules) => {
            if let Ok(engine) = Engine::new(rules, Some(test_key()), Limits::default()) {
                let _ = engine.apply(RECORD, anoniem::corpus::bench_now(), &mut Trace::default());
            }
        }
        Err(RulesError::Invalid(problems)) => {
            assert!(!problems.is_empty(), "an invalid rule set names its problems");
            for p in &problems {
                // Every problem names its file (the list files it refers to count).
                assert!(!p.file.as_os_str().is_empty(), "{p:?}");
            }
        }
        Err(_) => {}
    }
});
