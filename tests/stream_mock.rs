//! The Kafka stage against librdkafka's mock cluster (in-process, real
//! Kafka protocol on loopback): delivery, order, tombstones, dead letters,
//! headers, restarts, failures, rebalances and transactions.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::*;
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};

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

fn unique(got: &[Got]) -> BTreeSet<(String, usize)> {
    got.iter()
        .filter_map(|g| Some((g.key.clone()?, version(g.value.as_deref()?))))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_produce_that_fails_for_good_stops_the_stage_and_loses_nothing() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();
    produce(&brokers, &posts(300, 2)).await;
    // The next produce requests fail with an error no retry can fix.
    cluster.request_errors(
        RDKafkaApiKey::Produce,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED; 3],
    );
    let first = start(config(&brokers, "g-fail", &[]), engine.clone());
    let result = tokio::time::timeout(WAIT, first.handle)
        .await
        .expect("stops by itself")
        .expect("no panic");
    assert!(
        matches!(result, Err(anoniem::stream::StageError::Produce(_))),
        "the stage stops on a failed produce: {result:?}"
    );

    // A restart redoes everything from the committed offsets.
    cluster.clear_request_errors(RDKafkaApiKey::Produce);
    let second = start(config(&brokers, "g-fail", &[]), engine);
    let out = read(&brokers, &[OUTPUT], 600, QUIET, WAIT, false).await;
    second.stop().await.expect("second run stops cleanly");
    assert_eq!(unique(&out).len(), 600, "no record missing");
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebalance_to_a_second_instance_loses_nothing() {
    let cluster = cluster(4);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();
    let input = posts(400, 2);
    produce(&brokers, &input[..400]).await;
    // Slow instances (one record in flight each), so the first is still
    // busy when the second joins.
    let slow = [
        ("ANONIEM_MAX_IN_FLIGHT_RECORDS", "1"),
        ("ANONIEM_LINGER_MS", "10"),
    ];
    let a = start(config(&brokers, "g-rebalance", &slow), engine.clone());
    let early = read(&brokers, &[OUTPUT], 100, Duration::ZERO, WAIT, false).await;
    assert!(early.len() >= 100);
    // A second instance joins the group: partitions move while records flow.
    let b = start(config(&brokers, "g-rebalance", &slow), engine);
    produce(&brokers, &input[400..]).await;
    let out = read(&brokers, &[OUTPUT], 800, Duration::from_secs(4), WAIT, false).await;
    let (ra, rb) = (a.stop().await.expect("a stops"), b.stop().await.expect("b stops"));
    assert_eq!(unique(&out).len(), 800, "no record missing");
    assert!(rb.received > 0, "the second instance took over partitions");
    eprintln!(
        "rebalance: a read {}, b read {}, duplicates {}",
        ra.received,
        rb.received,
        out.len() - unique(&out).len()
    );
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_broker_going_away_mid_stream_loses_nothing() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();
    let input = posts(300, 2);
    produce(&brokers, &input[..300]).await;
    let stage = start(config(&brokers, "g-down", &[]), engine);
    let early = read(&brokers, &[OUTPUT], 300, Duration::ZERO, WAIT, false).await;
    assert!(early.len() >= 300);
    cluster.broker_down(1).expect("broker down");
    tokio::time::sleep(Duration::from_secs(3)).await;
    cluster.broker_up(1).expect("broker up");
    produce(&brokers, &input[300..]).await;
    let out = read(&brokers, &[OUTPUT], 600, QUIET, WAIT, false).await;
    let report = stage.stop().await.expect("the stage survived the outage");
    assert!(report.clean);
    assert_eq!(unique(&out).len(), 600, "no record missing");
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_once_after_aborts_nothing_is_missing_or_twice() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();
    produce(&brokers, &posts(200, 2)).await;
    // Make the first transactions fail: they must be aborted and their
    // records read again. (The error comes before the records are written:
    // the mock broker does not hide aborted records from read_committed
    // readers as a real broker does.)
    cluster.request_errors(
        RDKafkaApiKey::AddPartitionsToTxn,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED; 2],
    );
    let eos = [
        ("ANONIEM_GUARANTEE", "exactly-once"),
        ("ANONIEM_TRANSACTIONAL_ID", "anoniem-test-eos"),
        ("ANONIEM_TRANSACTION_MAX_RECORDS", "50"),
    ];
    let stage = start(config(&brokers, "g-eos", &eos), engine);
    let committed = read(&brokers, &[OUTPUT], 400, Duration::from_secs(3), WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");

    let ids = unique(&committed);
    assert_eq!(ids.len(), 400, "no record missing for a read_committed reader");
    assert_eq!(
        committed.len(),
        400,
        "no record twice for a read_committed reader"
    );
    assert!(report.aborted >= 1, "the injected errors aborted a transaction");
    assert_eq!(report.delivered, 400);
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_tool_times_its_records_through_a_running_stage() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let stage = start(config(&brokers, "g-load", &[]), engine());
    let opts = anoniem::load::LoadOptions {
        brokers: brokers.clone(),
        input_topic: INPUT.into(),
        output_topic: OUTPUT.into(),
        records: 2_000,
        seed: 3,
        rate: 0,
        timeout: WAIT,
        linger_ms: 5,
    };
    let report = anoniem::load::run(&opts)
        .await
        .expect("every record came through");
    stage.stop().await.expect("clean stop");
    assert_eq!(report.records, 2_000);
    assert_eq!(report.repeats, 0, "no restart, no repeats");
    assert!(report.bytes > 2_000 * 500, "realistic posts of about 0.7 KB");
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_reload_applies_only_a_set_whose_tests_pass() {
    use anoniem::stream::{EngineSlot, reload};
    let dir = tempfile::tempdir().unwrap();
    copy_dir(std::path::Path::new("rules"), dir.path());
    let rules = anoniem::rules::load(dir.path()).unwrap();
    let engine =
        anoniem::engine::Engine::new(rules, Some(anoniem::check::test_key()), Default::default()).unwrap();
    let slot = EngineSlot::new(std::sync::Arc::new(engine));
    let first_hash = slot.get().rules_hash().to_owned();

    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let stage = start(config(&brokers, "g-reload", &[]), slot.clone());
    let input = posts(20, 2);
    produce(&brokers, &input[..20]).await;
    let before = read(&brokers, &[OUTPUT], 20, Duration::ZERO, WAIT, false).await;

    // A change that breaks a rule test is refused; the running set stays.
    let base = dir.path().join("00-base.toml");
    let original = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        original.replace("phone = \"[phone]\"", "phone = \"[telefoon]\""),
    )
    .unwrap();
    let refused = reload::reload(&slot, dir.path());
    assert!(
        matches!(refused, Err(reload::ReloadError::Tests { .. })),
        "{refused:?}"
    );
    assert_eq!(slot.get().rules_hash(), first_hash);

    // A change that keeps every rule test passing is applied.
    std::fs::write(&base, original).unwrap();
    std::fs::write(
        dir.path().join("30-extra.toml"),
        // A source no rule test uses, so that every test still passes.
        "[[rule]]\nname = \"p3-no-mastodon-tags\"\nreason = \"P3: mastodon tags are not used\"\n\
         when = { source = \"mastodon\" }\nactions = [{ remove = \"tags\" }]\n",
    )
    .unwrap();
    let new_hash = reload::reload(&slot, dir.path()).expect("the new set passes its tests");
    assert_ne!(new_hash, first_hash);

    produce(&brokers, &input[20..]).await;
    let all = read(&brokers, &[OUTPUT], 40, QUIET, WAIT, false).await;
    stage.stop().await.expect("clean stop");
    for g in &before {
        assert_eq!(g.headers["anoniem-rules"], first_hash);
    }
    let after: Vec<_> = all
        .iter()
        .filter(|g| g.value.as_deref().is_some_and(|v| version(v) == 1))
        .collect();
    assert_eq!(after.len(), 20);
    for g in after {
        assert_eq!(
            g.headers["anoniem-rules"], new_hash,
            "records after the reload name the new set"
        );
    }
    drop(cluster);
}
