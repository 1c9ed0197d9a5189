//! Invariants of the engine over generated input: it never panics, never
//! lets planted personal data through, and sanitising twice changes nothing.

use std::sync::Arc;
use std::sync::OnceLock;

use anoniem::corpus;
use anoniem::engine::{Engine, Limits, Outcome, Reject, Trace};
use anoniem::{check, rules};
use proptest::prelude::*;

fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let rules = rules::embedded::default_rules().unwrap();
            Arc::new(Engine::new(rules, Some(check::test_key()), Limits::default()).unwrap())
        })
        .clone()
}

fn run(input: &[u8]) -> Option<Vec<u8>> {
    let mut trace = Trace::default();
    let outcome = engine()
        .apply(input, corpus::bench_now(), &mut trace)
        .ok()?
        .outcome;
    let mut out = Vec::new();
    anoniem::file::write_line(&outcome, &mut out);
    Some(out)
}

/// More than "no panic": a refused record has one of the documented
/// reason kinds and a reason that quotes nothing of the input beyond field
/// names; an accepted one comes out as one JSON object (the record or a
/// tombstone line) with the same, non-empty id.
fn outcome_is_well_formed(input: &[u8]) -> Result<(), TestCaseError> {
    let mut trace = Trace::default();
    match engine()
        .apply(input, corpus::bench_now(), &mut trace)
        .map(|a| a.outcome)
    {
        Err(reject) => {
            prop_assert!(Reject::KINDS.contains(&reject.kind()), "{reject:?}");
        }
        Ok(outcome) => {
            let id = outcome.id().to_owned();
            prop_assert!(!id.trim().is_empty());
            let mut out = Vec::new();
            anoniem::file::write_line(&outcome, &mut out);
            let value: serde_json::Value =
                serde_json::from_slice(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(value.is_object(), "{value}");
            prop_assert_eq!(value["id"].as_str(), Some(id.as_str()));
        }
    }
    Ok(())
}

/// A BSN that passes the 11-proof.
fn bsn(seed: u64) -> String {
    let mut digits: Vec<u64> = (0..8).map(|i| (seed / 10u64.pow(i)) % 10).collect();
    digits[0] = digits[0].max(1);
    loop {
        let sum: u64 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let last = sum % 11;
        if last < 10 {
            digits.push(last);
            break;
        }
        digits[7] = (digits[7] + 1) % 10;
    }
    digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

/// A 16-digit card number that passes Luhn.
fn card(seed: u64) -> String {
    let mut digits: Vec<u32> = format!("4{:014}", seed % 100_000_000_000_000)
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    let s: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
    format!("{} {} {} {}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

fn planted() -> impl Strategy<Value = String> {
    prop_oneof![
        (10_000_000u32..99_999_999).prop_map(|n| format!("06{n}")),
        (10_000_000u32..99_999_999).prop_map(|n| format!("06-{n}")),
        (10_000_000u32..99_999_999).prop_map(|n| format!("+31 6 {n}")),
        ("[a-z]{1,10}(\\.[a-z]{1,8})?", "[a-z]{2,10}", "(nl|com|org|eu)")
            .prop_map(|(l, d, t)| format!("{l}@{d}.{t}")),
        any::<u64>().prop_map(bsn),
        any::<u64>().prop_map(card),
        (1u8..=254, 0u8..=255, 0u8..=255, 1u8..=254).prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
    ]
}

/// How a keyboard or an app may write the same data: each step swaps a
/// digit for another script's, a separator for a Unicode dash or space, or
/// slips an invisible character in.
#[derive(Debug, Clone)]
enum Mangle {
    Digits(char),
    Dash(char),
    Space(char),
    Invisible(usize, char),
}

fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        // Fullwidth, Arabic-Indic, Devanagari zeros.
        prop::sample::select(vec!['\u{ff10}', '\u{0660}', '\u{0966}']).prop_map(Mangle::Digits),
        prop::sample::select(vec![
            '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}', '\u{fe63}'
        ])
        .prop_map(Mangle::Dash),
        prop::sample::select(vec!['\u{a0}', '\u{2009}', '\u{202f}', '\u{3000}', '\u{2007}'])
            .prop_map(Mangle::Space),
        (
            0usize..40,
            prop::sample::select(vec![
                '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{ad}', '\u{feff}'
            ])
        )
            .prop_map(|(at, c)| Mangle::Invisible(at, c)),
    ]
}

fn apply_mangles(pii: &str, mangles: &[Mangle]) -> String {
    let mut s: Vec<char> = pii.chars().collect();
    for m in mangles {
        match m {
            Mangle::Digits(zero) => {
                for c in s.iter_mut() {
                    if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii()) {
                        *c = char::from_u32(u32::from(*zero) + d).unwrap_or(*c);
                    }
                }
            }
            Mangle::Dash(d) => s.iter_mut().filter(|c| **c == '-').for_each(|c| *c = *d),
            Mangle::Space(sp) => s.iter_mut().filter(|c| **c == ' ').for_each(|c| *c = *sp),
            Mangle::Invisible(at, c) => {
                // Inside the value, never at its edges.
                if s.len() > 2 {
                    s.insert(1 + at % (s.len() - 1), *c);
                }
            }
        }
    }
    s.into_iter().collect()
}

/// Letters and digits as the detectors read them.
fn skeleton(s: &str) -> String {
    let mut folded = String::new();
    anoniem::detect::fold(s, &mut folded);
    folded
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mangled_personal_data_never_comes_out(
        pii in planted(),
        mangles in prop::collection::vec(mangle(), 1..4),
        field in prop::sample::select(vec!["title", "text", "page", "place", "tag"]),
    ) {
        let written = apply_mangles(&pii, &mangles);
        let text = format!("Mijn gegevens: {written} graag");
        let mut record = serde_json::json!({"id": "forum:1", "source": "forum"});
        match field {
            "page" => record["page"] = serde_json::json!({"id": "p", "name": text}),
            "place" => record["geo"] = serde_json::json!({"place": text}),
            "tag" => record["tags"] = serde_json::json!([text]),
            f => record[f] = serde_json::json!(text),
        }
        let out = run(record.to_string().as_bytes()).expect("a valid record is sanitised");
        let out: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let out = out.to_string();
        prop_assert!(!out.contains(&written), "{written:?} survived in {out}");
        prop_assert!(!skeleton(&out).contains(&skeleton(&pii)), "{written:?} survived as {out}");
    }

    #[test]
    fn any_bytes_are_refused_with_a_known_kind_or_come_out_as_a_record(
        input in proptest::collection::vec(any::<u8>(), 0..400)
    ) {
        outcome_is_well_formed(&input)?;
    }

    #[test]
    fn json_shaped_input_is_refused_with_a_known_kind_or_comes_out_as_a_record(text in "\\{(\"[a-z_.]{1,12}\":(\"[^\"\\\\]{0,30}\"|[0-9]{1,5}|null|\\{\\}|\\[\\]),?){0,8}\\}") {
        outcome_is_well_formed(text.as_bytes())?;
    }

    #[test]
    fn planted_personal_data_never_comes_out(
        before in "[A-Za-z ,.!?]{0,60}",
        pii in planted(),
        after in "[A-Za-z ,.!?]{0,60}",
    ) {
        // The words just before the number are fixed: a label such as
        // "bestelnummer" or "versie" there would rightly keep it (see detect).
        let text = format!("{before}. Mijn gegevens: {pii} {after}");
        let record = serde_json::json!({"id": "forum:1", "source": "forum", "text": text, "title": text});
        let out = run(record.to_string().as_bytes()).expect("a valid record is sanitised");
        let out = String::from_utf8(out).unwrap();
        prop_assert!(!out.contains(&pii), "{pii:?} survived in {out}");
    }
}

#[test]
fn sanitising_twice_changes_nothing() {
    for record in corpus::generate(3_000, 11) {
        let Some(once) = run(&record) else { continue };
        let twice = run(&once).expect("a sanitised record is valid input");
        assert_eq!(
            String::from_utf8_lossy(&once),
            String::from_utf8_lossy(&twice),
            "not idempotent"
        );
    }
}

#[test]
fn commenters_on_pages_no_customer_manages_are_anonymous() {
    let mut seen = 0;
    for (record, info) in corpus::generate_labelled(3_000, 12) {
        if !info.third_party_comment || info.event.is_tombstone() {
            continue;
        }
        seen += 1;
        let input: serde_json::Value = serde_json::from_slice(&record).unwrap();
        let out: serde_json::Value = serde_json::from_slice(&run(&record).unwrap()).unwrap();
        let author = &out["author"];
        assert_eq!(author["name"], "Anonieme gebruiker");
        assert_eq!(author["avatar_url"], "");
        for gone in ["handle", "profile_url", "followers", "verified"] {
            assert!(author.get(gone).is_none(), "author.{gone} survived");
        }
        // Nothing that identified the author is anywhere else in the record.
        let text = out.to_string();
        for field in ["id", "handle", "profile_url", "avatar_url"] {
            if let Some(v) = input["author"][field].as_str().filter(|v| v.len() > 3) {
                assert!(
                    !text.contains(v.trim_start_matches('@')),
                    "author.{field} {v:?} survived in {text}"
                );
            }
        }
    }
    assert!(seen > 100, "the corpus has third-party comments ({seen})");
}

#[test]
fn tombstones_are_what_the_generator_meant() {
    for (record, info) in corpus::generate_labelled(3_000, 13) {
        let mut trace = Trace::default();
        let outcome = engine()
            .apply(&record, corpus::bench_now(), &mut trace)
            .unwrap()
            .outcome;
        assert_eq!(
            matches!(outcome, Outcome::Tombstone { .. }),
            info.event.is_tombstone(),
            "{info:?}"
        );
    }
}
