//! The name corpus (`tests/corpus/names/`) through the default rules, as
//! Facebook comments on a page no customer manages (the records P2 covers):
//! the names of private people go, the look-alikes (brands, shops, places,
//! products, days and months, capitalised words) stay.

use std::sync::OnceLock;

use anoniem::engine::{Engine, Limits, Outcome, Trace};
use anoniem::{check, corpus, rules};
use serde_json::{Value, json};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let rules = rules::embedded::default_rules().expect("default rules");
        Engine::new(rules, Some(check::test_key()), Limits::default()).expect("engine")
    })
}

struct Line {
    text: String,
    kind: String,
    names: Vec<String>,
    keep: Vec<String>,
}

fn corpus() -> Vec<Line> {
    let data = std::fs::read_to_string("tests/corpus/names/names.jsonl").expect("the name corpus");
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            let strings = |k: &str| -> Vec<String> {
                v[k].as_array()
                    .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default()
            };
            Line {
                text: v["text"].as_str().unwrap_or_default().to_owned(),
                kind: v["kind"].as_str().unwrap_or("comment").to_owned(),
                names: strings("names"),
                keep: strings("keep"),
            }
        })
        .collect()
}

/// The text field of the sanitised comment.
fn sanitise(line: &Line) -> String {
    let record = json!({
        "id": "facebook:1", "source": "facebook", "kind": line.kind,
        "published_at": "2026-11-20T10:00:00Z",
        "page": {"id": "fbp-not-owned", "name": "Een pagina"},
        "author": {"id": "100099", "name": "Anoniem Testaccount", "handle": "testaccount"},
        "text": line.text,
    });
    let input = serde_json::to_vec(&record).expect("json");
    match engine()
        .apply(&input, corpus::bench_now(), &mut Trace::default())
        .map(|a| a.outcome)
    {
        Ok(Outcome::Upsert(post)) => {
            let mut out = Vec::new();
            anoniem::file::write_line(&Outcome::Upsert(post), &mut out);
            let v: Value = serde_json::from_slice(&out).expect("output json");
            v["text"].as_str().unwrap_or_default().to_owned()
        }
        other => panic!("{:?} for {:?}", other.map(|o| o.id().to_owned()), line.text),
    }
}

/// Occurrences of `needle` in `hay` as a whole word (case-sensitive).
fn whole_word(hay: &str, needle: &str) -> usize {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    hay.match_indices(needle)
        .filter(|(i, _)| {
            !word(hay[..*i].chars().next_back()) && !word(hay[i + needle.len()..].chars().next())
        })
        .count()
}

#[test]
fn names_of_private_people_go_and_look_alikes_stay() {
    let (mut names, mut names_left, mut keeps, mut keeps_lost) = (0, Vec::new(), 0, Vec::new());
    for line in corpus() {
        let out = sanitise(&line);
        for n in &line.names {
            names += 1;
            if whole_word(&out, n) > 0 {
                names_left.push(format!("{n:?} in {out:?}"));
            }
        }
        for k in &line.keep {
            keeps += 1;
            if whole_word(&out, k) < whole_word(&line.text, k) {
                keeps_lost.push(format!("{k:?} in {out:?}"));
            }
        }
    }
    let recall = 1.0 - names_left.len() as f64 / names as f64;
    let kept = 1.0 - keeps_lost.len() as f64 / keeps as f64;
    println!(
        "names replaced: {recall:.3} ({} of {names} left); look-alikes kept: {kept:.3} ({} of {keeps} lost)",
        names_left.len(),
        keeps_lost.len()
    );
    for miss in names_left.iter().chain(&keeps_lost) {
        println!("  {miss}");
    }
    assert!(names > 250 && keeps > 300, "the corpus is there");
    assert!(
        recall >= 0.95,
        "recall {recall:.3}; left:\n{}",
        names_left.join("\n")
    );
    assert!(
        kept >= 0.98,
        "look-alikes kept {kept:.3}; lost:\n{}",
        keeps_lost.join("\n")
    );
}
