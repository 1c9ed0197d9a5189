//! The stage's metrics against librdkafka's mock cluster. A test binary of
//! its own: the Prometheus recorder is process-wide, and the stages of
//! other tests running beside this one would count into it. Within this
//! binary the tests take [`SERIAL`] for their whole run and assert what
//! changed between two renderings, so none counts into another's figures.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

use common::*;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use rdkafka::producer::FutureRecord;

const WAIT: Duration = Duration::from_secs(60);
const QUIET: Duration = Duration::from_secs(2);

/// One test at a time runs a stage in this process.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The process-wide recorder, installed by whichever test comes first.
fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .install_recorder()
            .expect("the only recorder of this process")
    })
}

/// The value of an unlabelled sample (`name value`) in the rendered text.
fn sample(handle: &PrometheusHandle, name: &str) -> Option<f64> {
    handle.render().lines().find_map(|line| {
        let (n, v) = line.split_once(' ')?;
        (n == name).then(|| v.parse().ok()).flatten()
    })
}

/// Every sample of a rendering, by its name and labels as rendered
/// (`anoniem_rule_hits_total{rule="p4-personal-data-in-content"}`).
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| {
            let (key, value) = line.rsplit_once(' ')?;
            Some((key.to_owned(), value.parse().ok()?))
        })
        .collect()
}

/// Every input record (with a Kafka timestamp: the test producer sets
/// CreateTime) is timed once from its timestamp to its delivery, output
/// and dead letters alike, in both guarantees: at the acknowledgement for
/// at-least-once, at the commit for exactly-once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_to_end_latency_is_recorded_once_per_record_in_both_guarantees() {
    let _serial = SERIAL.lock().await;
    let handle = recorder();
    let before = sample(handle, "anoniem_end_to_end_seconds_count").unwrap_or(0.0);
    let before_sum = sample(handle, "anoniem_end_to_end_seconds_sum").unwrap_or(0.0);
    let count = || sample(handle, "anoniem_end_to_end_seconds_count").unwrap_or(0.0) - before;
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();

    // At-least-once: 60 upserts and one dead letter.
    let mut input = posts(20, 3);
    input.push(("bad:1".into(), "not json".into()));
    let n = input.len();
    produce(&brokers, &input).await;
    let stage = start(config(&brokers, "g-metrics", &[]), engine.clone());
    let out = read(&brokers, &[OUTPUT], n - 1, QUIET, WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");
    assert_eq!(out.len(), n - 1);
    assert_eq!(report.delivered, n as u64);
    assert_eq!(count(), n as f64, "one end-to-end time per delivered record");
    let sum = sample(handle, "anoniem_end_to_end_seconds_sum").expect("a sum") - before_sum;
    assert!(sum >= 0.0 && sum < WAIT.as_secs_f64() * n as f64, "{sum}");

    // Exactly-once, from where the first group left off: 40 more records.
    let more = posts(40, 1);
    produce(&brokers, &more).await;
    let eos = [
        ("ANONIEM_GUARANTEE", "exactly-once"),
        ("ANONIEM_TRANSACTIONAL_ID", "anoniem-test-metrics"),
        ("ANONIEM_TRANSACTION_MAX_RECORDS", "16"),
    ];
    let stage = start(config(&brokers, "g-metrics", &eos), engine);
    let out = read(&brokers, &[OUTPUT], n - 1 + more.len(), QUIET, WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");
    assert_eq!(out.len(), n - 1 + more.len());
    assert_eq!(report.delivered, more.len() as u64);
    assert_eq!(
        count(),
        (n + more.len()) as f64,
        "one end-to-end time per committed record"
    );
    drop(cluster);
}

/// Produces records with or without a key and a value (a Kafka tombstone
/// has a key and no value).
async fn produce_raw(brokers: &str, records: &[(Option<String>, Option<String>)]) {
    let producer = producer(brokers);
    for (key, value) in records {
        let mut record = FutureRecord::<str, str>::to(INPUT);
        if let Some(key) = key {
            record = record.key(key.as_str());
        }
        if let Some(value) = value {
            record = record.payload(value.as_str());
        }
        producer
            .send(record, Duration::from_secs(30))
            .await
            .expect("produce to input");
    }
}

/// The families whose every sample this test accounts for: a sample of
/// these that changed and is not expected fails the test (a rule that
/// fired on the wrong record, a kind found where none is, a count twice).
const EXACT_FAMILIES: &[&str] = &[
    "anoniem_records_in_total",
    "anoniem_bytes_in_total",
    "anoniem_records_sanitised_total",
    "anoniem_records_rejected_total",
    "anoniem_records_delivered_total",
    "anoniem_rule_hits_total",
    "anoniem_detector_hits_total",
    "anoniem_engine_seconds_count",
    "anoniem_end_to_end_seconds_count",
    "anoniem_end_to_end_clock_skew_total",
    "anoniem_produce_failures_total",
    "anoniem_transactions_total",
];

/// After a known input (at-least-once, one instance, no rebalance), the
/// metrics show exactly the expected counts: records in and bytes in,
/// upserts and tombstones, dead letters by reason, deliveries per topic,
/// each rule's hits, phone hits, one engine time per sanitised record and
/// one end-to-end time per record; and no personal value of the input
/// (phone numbers, erased authors' ids) anywhere in the metrics text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_known_input_the_metrics_show_exactly_the_expected_counts() {
    let _serial = SERIAL.lock().await;
    let handle = recorder();
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();

    let json = |v: serde_json::Value| Some(v.to_string());
    let mut input: Vec<(Option<String>, Option<String>)> = Vec::new();
    let mut keyed = |id: &str, value: Option<String>| input.push((Some(id.to_owned()), value));
    // A = 5: a phone number in the text (P4 redacts it: one phone hit each).
    let phones: Vec<String> = (0..5).map(|i| format!("06123456{i:02}")).collect();
    for (i, phone) in phones.iter().enumerate() {
        let id = format!("forum:phone-{i}");
        keyed(
            &id,
            json(serde_json::json!({
                "id": id, "source": "forum", "kind": "post", "text": format!("bel mij op {phone}"),
            })),
        );
    }
    // 2 clean posts that no rule changes, 2 with a member outside the
    // record contract (the parser skips it, so no rule, not even the
    // allow-list, changed the record: the default `[allow]` names every
    // field of the model), 1 with coordinates that P5 coarsens.
    for i in 0..2 {
        let id = format!("forum:clean-{i}");
        keyed(
            &id,
            json(
                serde_json::json!({"id": id, "source": "forum", "kind": "post", "text": "mooi weer vandaag"}),
            ),
        );
    }
    for i in 0..2 {
        let id = format!("forum:html-{i}");
        keyed(
            &id,
            json(serde_json::json!({
                "id": id, "source": "forum", "kind": "post", "text": "mooi weer vandaag",
                "raw_html": "<b>weg</b>",
            })),
        );
    }
    keyed(
        "forum:geo-0",
        json(serde_json::json!({
            "id": "forum:geo-0", "source": "forum", "kind": "post", "text": "mooi weer vandaag",
            "geo": {"lat": 52.3731, "lon": 4.8922},
        })),
    );
    // B = 3 deletes (P6), one with a phone number that must not count, and
    // 2 Kafka tombstones (a key, no value: the built-in delete step).
    for i in 0..3 {
        let id = format!("forum:del-{i}");
        keyed(
            &id,
            json(serde_json::json!({
                "id": id, "op": "delete", "source": "forum", "text": "bel 0699999901",
            })),
        );
    }
    keyed("forum:gone-0", None);
    keyed("forum:gone-1", None);
    // C = 2 private (P1), 2 by erased authors (P8), with phone numbers
    // that must not count: a tombstone ends the record's evaluation.
    for i in 0..2 {
        let id = format!("forum:private-{i}");
        keyed(
            &id,
            json(serde_json::json!({
                "id": id, "source": "forum", "kind": "post", "visibility": "private",
                "text": "bel 0699999902",
            })),
        );
    }
    let erased = ["1350000000000000001", "100009999999999"];
    keyed(
        "twitter:1850000000000000002",
        json(serde_json::json!({
            "id": "twitter:1850000000000000002", "source": "twitter", "kind": "post",
            "author": {"id": erased[0], "name": "Iemand"}, "text": "bel 0699999903",
        })),
    );
    keyed(
        "facebook:1850000000000000003",
        json(serde_json::json!({
            "id": "facebook:1850000000000000003", "source": "facebook", "kind": "post",
            "published_at": "2026-11-20T10:15:00Z",
            "author": {"id": erased[1]}, "text": "bel 0699999904",
        })),
    );
    // D = 8 dead letters: every reason kind the parser and the rules give
    // a Kafka record, invalid JSON twice.
    keyed("bad:1", Some("not json".into()));
    keyed(
        "bad:2",
        Some(r#"{"id":"forum:cut","source":"forum","text":"afgebr"#.into()),
    );
    keyed("bad:3", Some("[1,2,3]".into()));
    keyed(
        "bad:4",
        json(serde_json::json!({"source": "forum", "text": "geen id"})),
    );
    keyed(
        "bad:5",
        json(serde_json::json!({"id": "forum:nosource", "text": "bel 0699999905"})),
    );
    keyed(
        "bad:6",
        json(serde_json::json!({"id": "forum:op", "source": "forum", "op": "frobnicate"})),
    );
    // A Facebook item without published_at: P7 cannot decide (fail closed).
    keyed(
        "bad:7",
        json(
            serde_json::json!({"id": "facebook:11", "source": "facebook", "kind": "post", "text": "wanneer?"}),
        ),
    );
    input.push((None, None));

    let n = input.len();
    let (upserts, tombstones, dead) = (10, 9, 8);
    assert_eq!(n, upserts + tombstones + dead);
    let bytes: usize = input
        .iter()
        .map(|(k, v)| k.as_ref().map_or(0, String::len) + v.as_ref().map_or(0, String::len))
        .sum();

    let before = samples(&handle.render());
    produce_raw(&brokers, &input).await;
    let stage = start(config(&brokers, "g-metrics-exact", &[]), engine);
    let got = read(&brokers, &[OUTPUT, DLQ], n, QUIET, WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");
    let text = handle.render();
    let after = samples(&text);

    // What came out, to be sure the counts below describe it.
    let out: Vec<_> = got.iter().filter(|g| g.topic == OUTPUT).collect();
    assert_eq!(out.len(), upserts + tombstones, "{got:#?}");
    assert_eq!(out.iter().filter(|g| g.value.is_none()).count(), tombstones);
    for g in &out {
        let value = g.value.as_deref().unwrap_or("");
        assert!(!phones.iter().any(|p| value.contains(p.as_str())), "{value}");
        assert!(!value.contains("raw_html"), "{value}");
    }
    assert_eq!(got.iter().filter(|g| g.topic == DLQ).count(), dead);
    assert_eq!((report.received, report.delivered), (n as u64, n as u64));

    let f = |x: usize| x as f64;
    let expected: BTreeMap<String, f64> = [
        ("anoniem_records_in_total", f(n)),
        ("anoniem_bytes_in_total", f(bytes)),
        (r#"anoniem_records_sanitised_total{outcome="upsert"}"#, f(upserts)),
        (
            r#"anoniem_records_sanitised_total{outcome="tombstone"}"#,
            f(tombstones),
        ),
        (r#"anoniem_records_rejected_total{reason="invalid_json"}"#, 2.0),
        (r#"anoniem_records_rejected_total{reason="wrong_type"}"#, 1.0),
        (r#"anoniem_records_rejected_total{reason="missing_id"}"#, 1.0),
        (r#"anoniem_records_rejected_total{reason="missing_source"}"#, 1.0),
        (r#"anoniem_records_rejected_total{reason="invalid_value"}"#, 1.0),
        (r#"anoniem_records_rejected_total{reason="undecidable"}"#, 1.0),
        (r#"anoniem_records_rejected_total{reason="empty_record"}"#, 1.0),
        (
            r#"anoniem_records_delivered_total{topic="output"}"#,
            f(upserts + tombstones),
        ),
        (r#"anoniem_records_delivered_total{topic="dead_letter"}"#, f(dead)),
        (
            r#"anoniem_rule_hits_total{rule="p4-personal-data-in-content"}"#,
            5.0,
        ),
        (r#"anoniem_rule_hits_total{rule="p5-coarse-location"}"#, 1.0),
        (r#"anoniem_rule_hits_total{rule="p6-deleted-at-source"}"#, 3.0),
        (r#"anoniem_rule_hits_total{rule="delete-is-tombstone"}"#, 2.0),
        (r#"anoniem_rule_hits_total{rule="p1-not-public"}"#, 2.0),
        (r#"anoniem_rule_hits_total{rule="p8-erased-author"}"#, 2.0),
        (r#"anoniem_detector_hits_total{kind="phone"}"#, 5.0),
        // The engine's time of each record it sanitised (a dead letter is not timed).
        ("anoniem_engine_seconds_count", f(upserts + tombstones)),
        // From each record's timestamp to its delivery, dead letters included.
        ("anoniem_end_to_end_seconds_count", f(n)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();

    let family = |key: &str| key.split('{').next().unwrap_or(key).to_owned();
    let mut changed = BTreeMap::new();
    for (key, value) in &after {
        if !EXACT_FAMILIES.contains(&family(key).as_str()) {
            continue;
        }
        let delta = value - before.get(key).copied().unwrap_or(0.0);
        if delta != 0.0 {
            changed.insert(key.clone(), delta);
        }
    }
    for key in expected.keys() {
        assert!(after.contains_key(key), "{key} not in\n{text}");
    }
    // Exact, both ways: every expected sample changed by exactly its
    // value, and nothing else of these families changed (the rules not
    // listed, other kinds, other reasons, failures and clock skew: 0).
    assert_eq!(
        changed, expected,
        "what changed, against what was expected; the text:\n{text}"
    );

    // No personal value of the input in the metrics text.
    for phone in &phones {
        assert!(!text.contains(phone.as_str()), "{phone} in\n{text}");
    }
    for value in erased.iter().chain(&[
        "0699999901",
        "0699999902",
        "0699999903",
        "0699999904",
        "0699999905",
    ]) {
        assert!(!text.contains(value), "{value} in\n{text}");
    }
    drop(cluster);
}
