//! Shared fixtures for the detector tests.

use std::sync::OnceLock;

use super::{Detectors, Hit, Kind, KindSet, redact};

pub(super) const TERMS: &[&str] = &[
    "Sanne de Vries",
    "@sannedevries",
    "sannedevries",
    "Jan",
    "Pieter Jansen",
];

pub(super) fn detectors() -> &'static Detectors {
    static D: OnceLock<Detectors> = OnceLock::new();
    D.get_or_init(|| {
        let terms: Vec<String> = TERMS.iter().map(|t| t.to_string()).collect();
        match Detectors::new(&Kind::ALL, &terms) {
            Ok(d) => d,
            Err(e) => panic!("fixture detectors failed to build: {e}"),
        }
    })
}

pub(super) fn find(text: &str, extra: &[&str]) -> Vec<Hit> {
    let mut out = Vec::new();
    detectors().find(text, KindSet::all(), extra, &mut out);
    out
}

/// Redacted text with default placeholders.
pub(super) fn red(text: &str) -> String {
    red_with(text, &[])
}

pub(super) fn red_with(text: &str, extra: &[&str]) -> String {
    redact(text, &find(text, extra), Kind::default_placeholder).into_owned()
}

/// (kind, matched text) of every hit.
pub(super) fn spans(text: &str) -> Vec<(Kind, &str)> {
    find(text, &[])
        .into_iter()
        .map(|h| (h.kind, &text[h.start..h.end]))
        .collect()
}

/// Asserts that `text` is detected as exactly one hit of `kind` covering `span`.
#[track_caller]
pub(super) fn assert_single(text: &str, kind: Kind, span: &str) {
    assert_eq!(spans(text), vec![(kind, span)], "in {text:?}");
}

/// Asserts that nothing in `text` is detected.
#[track_caller]
pub(super) fn assert_clean(text: &str) {
    assert_eq!(spans(text), vec![], "in {text:?}");
}
