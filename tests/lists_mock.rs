//! Lists fed from a compacted topic (`list_topics`), against librdkafka's
//! mock cluster: the stage is not ready and reads no input while its list
//! topic cannot be read; it reads the list before any input; an entry put
//! on the erasure topic turns the next record of that author into a
//! tombstone, and removing it restores upserts.
//!
//! One test in its own binary: readiness is process-wide state.

mod common;

use std::time::{Duration, Instant};

use anoniem::engine::Engine;
use anoniem::stream::lists::{EntryWrite, write_entry};
use common::*;

const WAIT: Duration = Duration::from_secs(60);
const LIST_TOPIC: &str = "anoniem.erased";

fn post(id: &str, author: &str, version: usize) -> (String, String) {
    let json = serde_json::json!({
        "id": id, "source": "twitter", "kind": "post",
        "author": { "id": author, "name": "Iemand" },
        "text": format!("versie {version}, over het weer"),
    });
    (id.to_owned(), json.to_string())
}

async fn put(brokers: &str, entry: &str, present: bool) {
    let w = EntryWrite {
        brokers: brokers.to_owned(),
        topic: LIST_TOPIC.to_owned(),
        present,
        timeout: Duration::from_secs(30),
        properties: Default::default(),
    };
    write_entry(&w, entry).await.expect("the entry is acknowledged");
}

/// Waits (bounded) until the running rule set's erasure list holds the
/// entry or not; returns how long it took.
async fn until_listed(engine: &Engine, author: &str, listed: bool) -> Duration {
    let started = Instant::now();
    let rules = engine.rules();
    let id = rules.list_id("erased_authors").expect("erasure list");
    while rules.lists[id].1.contains("twitter", author) != listed {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the list topic's change did not apply"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    started.elapsed()
}

/// The last output record of `key`: `Some(value)`, or `None` for a tombstone.
async fn last_of(brokers: &str, key: &str, outputs: usize) -> Option<String> {
    let out = read(brokers, &[OUTPUT], outputs, Duration::ZERO, WAIT, false).await;
    let of_key: Vec<_> = out.iter().filter(|g| g.key.as_deref() == Some(key)).collect();
    let last = of_key.last().unwrap_or_else(|| panic!("no output for {key}"));
    last.value.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_erasure_list_from_a_topic_is_read_first_and_followed() {
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let health = anoniem::health::health;
    let lists = [("ANONIEM_LIST_TOPICS", "erased_authors=anoniem.erased")];
    produce(
        &brokers,
        &[post("twitter:a1", "erased-1", 0), post("twitter:b1", "kept-1", 0)],
    )
    .await;

    // 1. The list topic does not exist: not ready, no input read (fail closed).
    let first = start(config(&brokers, "g-lists", &lists), engine());
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(health().readiness(), Err("lists not read"));
    let out = read(
        &brokers,
        &[OUTPUT],
        1,
        Duration::ZERO,
        Duration::from_secs(2),
        false,
    )
    .await;
    assert!(out.is_empty(), "nothing is processed before the list is read");
    let report = first
        .stop()
        .await
        .expect("a stage waiting for its lists stops cleanly");
    assert_eq!(report.received, 0);

    // 2. The topic holds an erased author: the stage reads it before any
    // input, so that author's record, read first thing, is a tombstone.
    cluster.create_topic(LIST_TOPIC, 2, 1).expect("list topic");
    put(&brokers, "twitter:erased-1", true).await;
    // A malformed key is skipped (and counted); the stage goes on.
    put_raw(&brokers, "no colon here").await;
    let engine = engine();
    let stage = start(config(&brokers, "g-lists", &lists), engine.clone());
    assert_eq!(
        last_of(&brokers, "twitter:a1", 2).await,
        None,
        "erased author: tombstone"
    );
    assert!(
        last_of(&brokers, "twitter:b1", 2).await.is_some(),
        "other author: upsert"
    );
    let deadline = Instant::now() + WAIT;
    while health().readiness().is_err() {
        assert!(
            Instant::now() < deadline,
            "ready once the list is read: {:?}",
            health().readiness()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // 3. Followed: an entry put on the topic applies within seconds, and the
    // author's next record is a tombstone.
    put(&brokers, "twitter:kept-1", true).await;
    let took = until_listed(&engine, "kept-1", true).await;
    assert!(took < Duration::from_secs(5), "applied in {took:?}");
    produce(&brokers, &[post("twitter:b1", "kept-1", 1)]).await;
    assert_eq!(
        last_of(&brokers, "twitter:b1", 3).await,
        None,
        "newly erased: tombstone"
    );

    // 4. Removed from the topic (a tombstone): upserts again.
    put(&brokers, "twitter:erased-1", false).await;
    until_listed(&engine, "erased-1", false).await;
    produce(&brokers, &[post("twitter:a1", "erased-1", 1)]).await;
    let value = last_of(&brokers, "twitter:a1", 4).await.expect("upsert again");
    assert_eq!(version(&value), 1);

    let report = stage.stop().await.expect("clean stop");
    assert!(report.clean);
    assert_eq!(report.received, 4);
    drop(cluster);
}

/// A list topic record with any key (a malformed one, here).
async fn put_raw(brokers: &str, key: &str) {
    use rdkafka::ClientConfig;
    use rdkafka::producer::{FutureProducer, FutureRecord};
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .expect("producer");
    producer
        .send(
            FutureRecord::to(LIST_TOPIC).key(key).payload("1"),
            Duration::from_secs(30),
        )
        .await
        .expect("produce to the list topic");
}

/// A rule reload keeps the topic part of the lists: the new rule set gets
/// the same overlay (after its rule tests ran on the files alone); a new
/// set in which no rule reads the list any more is refused.
#[test]
fn a_rule_reload_keeps_the_list_topics() {
    use anoniem::rules::lists::Entries;
    use anoniem::stream::lists::ListTopics;
    use anoniem::stream::{EngineSlot, reload};

    let dir = tempfile::tempdir().unwrap();
    copy_dir(std::path::Path::new("rules"), dir.path());
    let rules = anoniem::rules::load(dir.path()).unwrap();
    let engine = Engine::new(rules, Some(anoniem::check::test_key()), Default::default()).unwrap();
    let slot = EngineSlot::new(std::sync::Arc::new(engine));
    let cfg = config(
        "127.0.0.1:1",
        "g",
        &[("ANONIEM_LIST_TOPICS", "erased_authors=anoniem.erased")],
    );
    let topics = slot.follow_lists(ListTopics::from_config(&cfg)).unwrap();
    topics.attach(slot.get().rules()).unwrap();
    let mut entries = Entries::default();
    entries.insert("twitter", "from-the-topic");
    topics.iter().next().unwrap().live.publish(entries);
    let listed = |slot: &EngineSlot| {
        let engine = slot.get();
        let id = engine.rules().list_id("erased_authors").unwrap();
        engine.rules().lists[id].1.contains("twitter", "from-the-topic")
    };
    assert!(listed(&slot));

    // A change that keeps the list in use: reloaded, the topic part stays.
    let before = slot.get().rules_hash().to_owned();
    std::fs::write(
        dir.path().join("30-extra.toml"),
        "[[rule]]\nname = \"p3-no-mastodon-tags\"\nreason = \"P3: mastodon tags are not used\"\n\
         when = { source = \"mastodon\" }\nactions = [{ remove = \"tags\" }]\n",
    )
    .unwrap();
    let hash = reload::reload(&slot, dir.path()).expect("reloaded");
    assert_ne!(hash, before);
    assert!(listed(&slot), "the reloaded rule set keeps the topic part");

    // No rule reads the erasure list any more: refused, the running set stays.
    let remove = dir.path().join("10-remove.toml");
    let text = std::fs::read_to_string(&remove).unwrap();
    std::fs::write(
        &remove,
        text.replace("in_list = \"erased_authors\"", "in_list = \"owned_pages\""),
    )
    .unwrap();
    let refused = reload::reload(&slot, dir.path());
    assert!(
        matches!(refused, Err(reload::ReloadError::Lists(_))),
        "{refused:?}"
    );
    assert_eq!(slot.get().rules_hash(), hash);
}

/// `anoniem lists` refuses an entry that is not `source:id` before it
/// connects anywhere, and a list without a topic; neither echoes the entry.
#[test]
fn the_lists_command_refuses_bad_entries_and_unknown_topics() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_anoniem");
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .env_remove("ANONIEM_LIST_TOPICS")
            .output()
            .expect("runs")
    };
    // Nothing listens on port 1: a refusal must come before any connection.
    let bad = run(&[
        "lists",
        "put",
        "--list",
        "erased_authors",
        "--topic",
        "t",
        "--brokers",
        "127.0.0.1:1",
        "twitter-secret-author",
    ]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    assert!(err.contains("not a list entry"), "{err}");
    assert!(!err.contains("secret-author"), "the entry is not repeated: {err}");

    let no_topic = run(&[
        "lists",
        "remove",
        "--list",
        "erased_authors",
        "--brokers",
        "127.0.0.1:1",
        "twitter:1",
    ]);
    let err = String::from_utf8_lossy(&no_topic.stderr);
    assert_eq!(no_topic.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--topic") && err.contains("ANONIEM_LIST_TOPICS"),
        "{err}"
    );
}
