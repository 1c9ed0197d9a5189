//! Shared fixtures for the detector tests.

use std::sync::OnceLock;

use super::{Cues, Detectors, Hit, Kind, KindSet, redact};

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
        match Detectors::new(&Kind::ALL, &terms, &cues(), &Default::default()) {
            Ok(d) => d,
            Err(e) => panic!("fixture detectors failed to build: {e}"),
        }
    })
}

/// The context words of the default rule set (`rules/00-base.toml`), so
/// these tests exercise the words ops actually ship.
pub(super) fn cues() -> Cues {
    match crate::rules::embedded::default_rules() {
        Ok(rules) => rules.detectors.cues().clone(),
        Err(e) => panic!("default rules: {e}"),
    }
}

pub(super) fn find(text: &str, extra: &[&str]) -> Vec<Hit> {
    let mut out = Vec::new();
    let folded: Vec<String> = extra
        .iter()
        .map(|t| {
            let mut f = String::new();
            super::fold(t, &mut f);
            f
        })
        .collect();
    let extra: Vec<&str> = folded.iter().map(String::as_str).collect();
    if detectors().find(text, KindSet::all(), &extra, &mut out).is_err() {
        panic!("unmappable hit in {text:?}");
    }
    out
}

/// Redacted text with default placeholders.
pub(super) fn red(text: &str) -> String {
    red_with(text, &[])
}

pub(super) fn red_with(text: &str, extra: &[&str]) -> String {
    match redact(text, &find(text, extra), Kind::default_placeholder) {
        Ok(s) => s.into_owned(),
        Err(e) => panic!("{e} in {text:?}"),
    }
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
