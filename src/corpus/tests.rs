//! The generator's own tests: determinism, shape, shares, checksums, and
//! that the default rules accept every record.

use std::path::Path;

use super::personal::{bsn, card, iban, safe_number};
use super::vocab::SOURCES;
use super::*;
use crate::engine::{Engine, Limits, Outcome, Trace};
use crate::{check, rules};

const N: usize = 2_000;

#[test]
fn bench_now_is_the_documented_instant() {
    assert_eq!(bench_now(), BENCH_NOW.parse::<Timestamp>().unwrap());
}

#[test]
fn same_seed_same_records_other_seed_other_records() {
    assert_eq!(generate(300, 7), generate(300, 7));
    assert_ne!(generate(300, 7), generate(300, 8));
}

#[test]
fn every_record_is_one_valid_json_object_on_one_line() {
    for r in generate(N, 1) {
        assert!(!r.contains(&b'\n'));
        let v: serde_json::Value = serde_json::from_slice(&r).unwrap();
        assert!(v.is_object());
        assert!(v["id"].is_string());
    }
}

#[test]
fn records_average_about_0_7_kb() {
    for seed in [1, 2, 3] {
        let recs = generate(N, seed);
        let mean = recs.iter().map(Vec::len).sum::<usize>() as f64 / recs.len() as f64;
        assert!(
            (600.0..=800.0).contains(&mean),
            "seed {seed}: mean {mean:.0} bytes"
        );
    }
}

#[test]
fn shares_are_within_tolerance() {
    let recs = generate_labelled(10_000, 3);
    let share = |f: &dyn Fn(&RecordInfo) -> bool| {
        recs.iter().filter(|(_, i)| f(i)).count() as f64 / recs.len() as f64
    };
    let pd = share(&|i| i.personal_data);
    assert!((0.18..=0.22).contains(&pd), "personal data share {pd}");
    let look = share(&|i| i.lookalikes);
    assert!(look > 0.4, "look-alike share {look}");
    let removed = share(&|i| i.event.is_tombstone());
    assert!((0.05..=0.10).contains(&removed), "tombstone share {removed}");
    for e in [Event::Delete, Event::Private, Event::ErasedAuthor, Event::Expired] {
        assert!(share(&|i| i.event == e) > 0.005, "{e:?}");
    }
    assert!(share(&|i| i.third_party_comment) > 0.1);
    assert!(share(&|i| i.extra_fields) > 0.1);
    let sources: std::collections::BTreeSet<_> = recs.iter().map(|(_, i)| i.source).collect();
    assert_eq!(sources.len(), SOURCES.len());
}

#[test]
fn checksummed_personal_data_is_valid_and_look_alikes_are_not() {
    let mut r = Rng::new(42);
    for _ in 0..500 {
        assert!(iban_valid(&iban(&mut r)));
        let b: Vec<u8> = bsn(&mut r)
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        assert!(bsn_valid(&b));
        let c: Vec<u8> = card(&mut r)
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        assert!(luhn_valid(&c));
        for len in [8, 9, 16] {
            let n: Vec<u8> = safe_number(&mut r, len).bytes().map(|b| b - b'0').collect();
            assert!(!bsn_valid(&n), "{n:?}");
            assert!(len != 16 || !luhn_valid(&n), "{n:?}");
        }
    }
    assert!(iban_valid("NL91ABNA0417164300"));
    assert!(iban_valid("DE89 3704 0044 0532 0130 00"));
    assert!(!iban_valid("NL91ABNA0417164301"));
    assert!(bsn_valid(&[1, 1, 1, 2, 2, 2, 3, 3, 3]));
    assert!(luhn_valid(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
}

#[test]
fn the_default_rules_accept_every_record_and_remove_what_they_should() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let rules = rules::load(&dir).unwrap();
    let engine = Engine::new(rules, Some(check::test_key()), Limits::default()).unwrap();
    let now = bench_now();
    let mut trace = Trace::default();
    let mut out = Vec::new();
    for (i, (rec, info)) in generate_labelled(N, 5).iter().enumerate() {
        let outcome = match engine.apply(rec, now, &mut trace) {
            Ok(applied) => applied.outcome,
            Err(e) => panic!("record {i} rejected: {e}: {}", String::from_utf8_lossy(rec)),
        };
        assert_eq!(
            outcome.is_tombstone(),
            info.event.is_tombstone(),
            "record {i} ({:?}): {}",
            info.event,
            String::from_utf8_lossy(rec)
        );
        out.clear();
        crate::file::write_line(&outcome, &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        if let Outcome::Upsert(_) = outcome {
            for gone in ["raw_html", "device", "crawler"] {
                assert!(v.get(gone).is_none());
            }
            assert!(v["author"].get("email").is_none());
            if info.third_party_comment {
                assert_eq!(v["author"]["name"], "Anonieme gebruiker", "record {i}");
            }
        }
    }
}
