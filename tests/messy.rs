//! The messy-notation corpus (`tests/corpus/messy/`) through the default
//! rules: personal data however people write it never survives, in any
//! free-text field, and the look-alikes stay.

use std::sync::OnceLock;

use anoniem::engine::{Engine, Limits, Outcome, Trace};
use anoniem::{check, corpus, detect, rules};
use serde_json::{Value, json};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let rules = rules::embedded::default_rules().expect("default rules");
        Engine::new(rules, Some(check::test_key()), Limits::default()).expect("engine")
    })
}

struct Case {
    text: String,
    values: Vec<String>,
    field: Option<String>,
}

fn cases(file: &str, key: &str) -> Vec<Case> {
    let path = format!("tests/corpus/messy/{file}");
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}: {l}"));
            Case {
                text: v["text"].as_str().unwrap_or_default().to_owned(),
                values: v[key]
                    .as_array()
                    .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default(),
                field: v["field"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// A forum post with `text` in `field`.
fn record(field: &str, text: &str) -> Value {
    let mut r = json!({
        "id": "forum:1", "source": "forum", "kind": "post", "url": "https://forum.example/t/1",
        "published_at": "2026-11-20T10:00:00Z", "visibility": "public",
        "page": {"id": "p1", "name": "Forum"}, "geo": {"place": "Eindhoven"},
        "media": [{"type": "image", "url": "https://cdn.example/1.jpg"}],
    });
    match field {
        "tags" => r["tags"] = json!(["x", text]),
        "media.url" => r["media"][0]["url"] = json!(text),
        "page.name" => r["page"]["name"] = json!(text),
        "geo.place" => r["geo"]["place"] = json!(text),
        other => r[other] = json!(text),
    }
    r
}

/// The sanitised record as text (empty for a tombstone).
fn sanitise(record: &Value) -> String {
    let input = serde_json::to_vec(record).expect("json");
    let mut trace = Trace::default();
    match engine()
        .apply(&input, corpus::bench_now(), &mut trace)
        .map(|a| a.outcome)
    {
        Ok(Outcome::Upsert(post)) => {
            let mut out = Vec::new();
            anoniem::file::write_line(&Outcome::Upsert(post), &mut out);
            // Unescape: compare the text as a reader sees it.
            let v: Value = serde_json::from_slice(&out).expect("output json");
            collect_strings(&v)
        }
        Ok(Outcome::Tombstone { .. }) => String::new(),
        Err(e) => panic!("record refused ({e}): {record}"),
    }
}

fn collect_strings(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s}\n"),
        Value::Array(a) => a.iter().map(collect_strings).collect(),
        Value::Object(o) => o.values().map(collect_strings).collect(),
        _ => String::new(),
    }
}

/// Letters and digits only, as the detectors read them: survives in this
/// form means the value is there whatever its separators.
fn skeleton(s: &str) -> String {
    let mut folded = String::new();
    detect::fold(s, &mut folded);
    folded
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const FIELDS: [&str; 6] = ["title", "text", "tags", "media.url", "page.name", "geo.place"];

#[test]
fn no_personal_data_survives_in_any_free_text_field() {
    let mut survivors = Vec::new();
    let mut checked = 0;
    for case in cases("pii.jsonl", "pii") {
        let fields: Vec<&str> = match &case.field {
            Some(f) => vec![f.as_str()],
            None => FIELDS.to_vec(),
        };
        for field in fields {
            let out = sanitise(&record(field, &case.text));
            let out_skeleton = skeleton(&out);
            for value in &case.values {
                checked += 1;
                if out.contains(value.as_str()) || out_skeleton.contains(&skeleton(value)) {
                    survivors.push(format!("{field}: {value:?} in {:?}", case.text));
                }
            }
        }
    }
    assert!(checked > 3000, "the corpus is there ({checked} values checked)");
    assert!(
        survivors.is_empty(),
        "{} of {checked} values survived:\n{}",
        survivors.len(),
        survivors.join("\n")
    );
}

#[test]
fn look_alikes_stay() {
    let mut lost = Vec::new();
    let mut checked = 0;
    for case in cases("lookalikes.jsonl", "keep") {
        let out = sanitise(&record("text", &case.text));
        for value in &case.values {
            checked += 1;
            if !out.contains(value.as_str()) {
                lost.push(format!("{value:?} in {:?}", case.text));
            }
        }
    }
    assert!(checked > 300, "the corpus is there ({checked} values checked)");
    assert!(
        lost.is_empty(),
        "{} of {checked} look-alikes were redacted:\n{}",
        lost.len(),
        lost.join("\n")
    );
}
