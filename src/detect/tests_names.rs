//! Name dictionary, per-record terms, kind filtering and merging.

use super::test_support::{assert_clean, cues, find, red, red_with, spans};
use super::{Detectors, Hit, Kind, KindSet};

#[test]
fn dictionary_terms_case_insensitive_whole_word() {
    assert_eq!(red("Groetjes van sanne DE vries!"), "Groetjes van [name]!");
    // A handle with its `@` is a mention as well as a name: one span.
    assert_eq!(
        red("Volg @sannedevries en sannedevries"),
        "Volg [mention] en [name]"
    );
    // Any case, with or without accents, through the normalised view.
    assert_eq!(
        red_with("ANAÏS, Anais en anaïs", &["Anaïs"]),
        "[name], [name] en [name]"
    );
    assert_eq!(red_with("Anai\u{308}s", &["Anais"]), "[name]");
    assert_eq!(red("Jan zag Janssen in januari"), "[name] zag Janssen in januari");
    assert_eq!(
        red("Jan_ en xJan en Jané blijven"),
        "Jan_ en xJan en Jané blijven"
    );
    assert_eq!(red("Dag Jan’s vriend"), "Dag [name]’s vriend");
}

#[test]
fn extra_terms_per_record() {
    let extra = ["Kees Bakker", "keesb", "k"];
    assert_eq!(
        red_with("Groeten van kees bakker (@keesb), niet keesbakker", &extra),
        "Groeten van [name] ([mention]), niet keesbakker"
    );
    // A typographic apostrophe reads as the typed one, either way round.
    assert_eq!(
        red_with("Sean O\u{2019}Neil en O'Neil", &["O'Neil"]),
        "Sean [name] en [name]"
    );
    assert_eq!(red_with("Sean O'Neil", &["O\u{2019}Neil"]), "Sean [name]");
    // Overlapping extra terms: leftmost-longest wins.
    assert_eq!(
        red_with("ik ben Kees Bakker", &["Kees", "Kees Bakker"]),
        "ik ben [name]"
    );
}

#[test]
fn pattern_hit_wins_over_name() {
    assert_eq!(
        red("mail sannedevries@example.nl of Jan@example.nl"),
        "mail [email] of [email]"
    );
    assert_eq!(
        find("Jan 0612345678", &[]),
        vec![
            Hit {
                kind: Kind::Name,
                start: 0,
                end: 3
            },
            Hit {
                kind: Kind::Phone,
                start: 4,
                end: 14
            },
        ]
    );
}

#[test]
fn only_filters_kinds_without_changing_spans() {
    let d = super::test_support::detectors();
    let text = "Jan: 06-12345678, jan@example.nl";
    let mut out = Vec::new();
    assert!(d.find(text, Kind::Phone.into(), &[], &mut out).is_ok());
    assert_eq!(
        out,
        vec![Hit {
            kind: Kind::Phone,
            start: 5,
            end: 16
        }]
    );
    assert!(
        d.find(
            text,
            [Kind::Email, Kind::Name].into_iter().collect(),
            &[],
            &mut out,
        )
        .is_ok()
    );
    assert_eq!(
        out,
        vec![
            Hit {
                kind: Kind::Name,
                start: 0,
                end: 3
            },
            Hit {
                kind: Kind::Email,
                start: 18,
                end: 32
            }
        ]
    );
    assert!(d.find(text, KindSet::empty(), &["Jan"], &mut out).is_ok());
    assert!(out.is_empty());
}

#[test]
fn compiled_kinds_limit_detection() {
    let d = Detectors::new(&[Kind::Email], &["Jan".to_string()], &cues(), &Default::default());
    let Ok(d) = d else { panic!("build failed") };
    let mut out = Vec::new();
    assert!(
        d.find(
            "Jan 0612345678 jan@example.nl",
            KindSet::all(),
            &["Jan"],
            &mut out,
        )
        .is_ok()
    );
    assert_eq!(
        out,
        vec![Hit {
            kind: Kind::Email,
            start: 15,
            end: 29
        }]
    );
    assert_eq!(d.kinds(), Kind::Email.into());
}

#[test]
fn names_only_detectors() {
    let Ok(d) = Detectors::new(&[Kind::Name], &[], &cues(), &Default::default()) else {
        panic!("build failed")
    };
    let mut out = Vec::new();
    assert!(
        d.find("Hoi Piet, 0612345678", KindSet::all(), &["Piet"], &mut out)
            .is_ok()
    );
    assert_eq!(
        out,
        vec![Hit {
            kind: Kind::Name,
            start: 4,
            end: 8
        }]
    );
}

#[test]
fn dictionary_scales_to_100k_terms() {
    let terms: Vec<String> = (0..100_000)
        .map(|i| format!("voornaam{i} achternaam{}", i % 977))
        .collect();
    let Ok(d) = Detectors::new(&Kind::ALL, &terms, &cues(), &Default::default()) else {
        panic!("build failed")
    };
    let mut out = Vec::new();
    let text = "Gezien: Voornaam99999 achternaam345 en voornaam1 achternaam1x.";
    assert!(d.find(text, KindSet::all(), &[], &mut out).is_ok());
    assert_eq!(
        out,
        vec![Hit {
            kind: Kind::Name,
            start: 8,
            end: 35
        }]
    );
}

#[test]
fn mixed_sentence_with_names() {
    assert_eq!(
        red(
            "Pieter Jansen (pieter.jansen@example.com, +31 6 12345678) woont op 5611 ZS 101 en is @sannedevries' buur."
        ),
        "[name] ([email], [phone]) woont op [address] en is [mention]' buur."
    );
}

#[test]
fn a_short_text_found_clean_once_is_read_again_for_a_record_whose_name_is_in_it() {
    // Page names repeat from record to record and are answered from the
    // memo of clean texts; a record's own terms must still be found there.
    for _ in 0..2 {
        assert_clean("Bakkerij Visser");
    }
    assert_eq!(
        red_with("Bakkerij Visser", &["Visser"]),
        "Bakkerij [name]",
        "a term in a text the memo holds as clean"
    );
    assert_clean("Bakkerij Visser");
    // And a memo of one rule set never answers for another: the fixture's
    // dictionary holds `Jan`, a set without it finds nothing.
    let Ok(bare) = Detectors::new(&[Kind::Name], &[], &cues(), &Default::default()) else {
        panic!("build failed")
    };
    let mut out = Vec::new();
    assert!(bare.find("Jan", KindSet::all(), &[], &mut out).is_ok());
    assert!(out.is_empty());
    assert_eq!(spans("Jan"), vec![(Kind::Name, "Jan")]);
}
