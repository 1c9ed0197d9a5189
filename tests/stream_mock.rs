//! The Kafka stage against librdkafka's mock cluster (in-process, real
//! Kafka protocol on loopback): delivery, order, tombstones, dead letters,
//! headers, restarts, failures, rebalances and transactions.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::*;

const WAIT: Duration = Duration::from_secs(60);
const QUIET: Duration = Duration::from_secs(2);

fn by_key(got: &[Got]) -> BTreeMap<String, Vec<&Got>> {
    let mut map: BTreeMap<String, Vec<&Got>> = BTreeMap::new();
    for g in got {
        map.entry(g.key.clone().unwrap_or_default()).or_default().push(g);
    }
    map
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_comes_out_once_in_order_with_headers() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();
    let mut input = posts(40, 3);
    // Tombstones: a delete event, and a private post.
    input.push(("forum:0".into(), r#"{"id":"forum:0","op":"delete"}"#.into()));
    input.push((
        "forum:1".into(),
        r#"{"id":"forum:1","source":"forum","visibility":"private"}"#.into(),
    ));
    // Dead letters: bad JSON, a wrong type, no id.
    input.push(("bad:1".into(), "not json".into()));
    input.push((
        "bad:2".into(),
        r#"{"id":"bad:2","source":"forum","author":{"followers":"many"}}"#.into(),
    ));
    input.push(("bad:3".into(), r#"{"source":"forum","text":"no id"}"#.into()));
    produce(&brokers, &input).await;

    let stage = start(config(&brokers, "g-order", &[]), engine.clone());
    let out = read(&brokers, &[OUTPUT], 122, QUIET, WAIT, true).await;
    let dlq = read(&brokers, &[DLQ], 3, QUIET, WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");
    assert!(report.clean);
    assert_eq!(report.received, 125);

    // N in, exactly N out: 120 versions + 2 tombstones, and 3 dead letters.
    assert_eq!(out.len(), 122, "output records");
    assert_eq!(dlq.len(), 3, "dead letters");

    let keys = by_key(&out);
    assert_eq!(keys.len(), 40);
    for (key, records) in &keys {
        // The key is the post id, and one key's records keep their input order.
        let versions: Vec<usize> = records
            .iter()
            .filter_map(|g| g.value.as_deref())
            .map(version)
            .collect();
        assert_eq!(versions, vec![0, 1, 2], "order of {key}");
        for g in records {
            assert_eq!(
                g.headers.get("anoniem-rules").map(String::as_str),
                Some(engine.rules_hash())
            );
            assert!(g.headers.contains_key("anoniem-fired"));
            if let Some(v) = &g.value {
                assert!(!v.contains("0612345678"), "sanitised: {v}");
                assert!(!v.contains("raw_html"), "allow-listed: {v}");
                assert!(g.headers["anoniem-fired"].contains("p4-personal-data-in-content"));
            }
        }
    }
    // Tombstones are null values under the id, after the upserts of that id.
    for key in ["forum:0", "forum:1"] {
        let last = keys[key].last().expect("records");
        assert!(last.value.is_none(), "{key} ends in a tombstone");
    }
    assert_eq!(
        keys["forum:0"].last().unwrap().headers["anoniem-fired"],
        "p6-deleted-at-source"
    );

    // Dead letters: reason, source position and the original bytes.
    let reasons: BTreeSet<&str> = dlq
        .iter()
        .map(|g| g.headers["anoniem-reason-kind"].as_str())
        .collect();
    assert_eq!(
        reasons,
        BTreeSet::from(["invalid_json", "missing_id", "wrong_type"])
    );
    for g in &dlq {
        assert_eq!(g.headers["anoniem-source-topic"], INPUT);
        assert!(g.headers["anoniem-source-offset"].parse::<i64>().is_ok());
        assert!(g.headers["anoniem-source-partition"].parse::<i32>().is_ok());
        assert!(!g.headers["anoniem-reason"].is_empty());
        assert!(g.value.is_some(), "original bytes included by default");
    }
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_in_the_middle_loses_nothing() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();
    let input = posts(500, 2);
    produce(&brokers, &input).await;

    // The first run is stopped while it is busy: one record in flight at a
    // time, each waiting out the producer's linger, keeps it slow.
    let slow = [
        ("ANONIEM_MAX_IN_FLIGHT_RECORDS", "1"),
        ("ANONIEM_LINGER_MS", "20"),
    ];
    let first = start(config(&brokers, "g-restart", &slow), engine.clone());
    let partial = read(&brokers, &[OUTPUT], 200, Duration::ZERO, WAIT, false).await;
    assert!(partial.len() >= 200);
    let report = first.stop().await.expect("first run stops cleanly");
    assert!(
        report.received < 1000,
        "stopped mid-run ({} read)",
        report.received
    );

    let second = start(config(&brokers, "g-restart", &[]), engine);
    let out = read(&brokers, &[OUTPUT], 1000, QUIET, WAIT, true).await;
    second.stop().await.expect("second run stops cleanly");

    // Every input record is in the output; repeats are allowed and counted.
    let ids: BTreeSet<(String, usize)> = out
        .iter()
        .map(|g| {
            (
                g.key.clone().unwrap_or_default(),
                version(g.value.as_deref().unwrap_or("{}")),
            )
        })
        .collect();
    assert_eq!(ids.len(), 1000, "no record missing");
    eprintln!("duplicates after a graceful restart: {}", out.len() - ids.len());
    drop(cluster);
}
