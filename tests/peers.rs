//! Cases from peers' test suites (python-stdnum, libphonenumber's Python
//! port, Presidio, deduce, scrubadub; `tests/corpus/peers/`) through the
//! default rules: recall and precision of the classes P4 names. The full
//! report per source and class: `python3 tools/corpus/eval_peers.py`.

use anoniem::engine::{Engine, Limits, Outcome, Trace};
use anoniem::{check, corpus, detect, rules};
use serde_json::{Value, json};

fn skeleton(s: &str) -> String {
    let mut folded = String::new();
    detect::fold(s, &mut folded);
    folded
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

#[test]
fn peers_cases_recall_and_precision() {
    let rules = rules::embedded::default_rules().expect("default rules");
    let engine = Engine::new(rules, Some(check::test_key()), Limits::default()).expect("engine");
    let data = std::fs::read_to_string("tests/corpus/peers/cases.jsonl").expect("the peers corpus");
    let (mut pii, mut pii_gone, mut keep, mut keep_kept) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let case: Value = serde_json::from_str(line).expect("json line");
        let text = case["text"].as_str().unwrap_or_default();
        let record = json!({"id": format!("forum:{n}"), "source": "forum", "kind": "post", "text": text});
        let input = serde_json::to_vec(&record).unwrap();
        let out = match engine
            .apply(&input, corpus::bench_now(), &mut Trace::default())
            .map(|a| a.outcome)
        {
            Ok(Outcome::Upsert(post)) => {
                let mut out = Vec::new();
                anoniem::file::write_line(&Outcome::Upsert(post), &mut out);
                let v: Value = serde_json::from_slice(&out).unwrap();
                v["text"].as_str().unwrap_or_default().to_owned()
            }
            other => panic!("{:?} for {text:?}", other.map(|o| o.id().to_owned())),
        };
        let values = |k: &str| -> Vec<String> {
            case[k]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        for v in values("pii") {
            pii += 1;
            if !out.contains(&v) && !skeleton(&out).contains(&skeleton(&v)) {
                pii_gone += 1;
            } else {
                misses.push(format!("survived {v:?} in {out:?}"));
            }
        }
        for v in values("keep") {
            keep += 1;
            if out.contains(&v) {
                keep_kept += 1;
            } else {
                misses.push(format!("redacted {v:?} in {out:?}"));
            }
        }
    }
    let recall = pii_gone as f64 / pii as f64;
    let kept = keep_kept as f64 / keep as f64;
    println!("recall {recall:.3} ({pii_gone}/{pii}), look-alikes kept {kept:.3} ({keep_kept}/{keep})");
    for m in &misses {
        println!("  {m}");
    }
    assert!(pii > 1000 && keep > 700, "the corpus is there");
    assert!(recall >= 0.97, "recall {recall:.3}");
    assert!(kept >= 0.98, "look-alikes kept {kept:.3}");
}
