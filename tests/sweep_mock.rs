//! `anoniem sweep` against librdkafka's mock cluster (in-process): due
//! tombstones with a fixed clock, erasure of raw and pseudonymised authors,
//! a restart that catches up from the store without repeating itself, and
//! two instances sharing the partitions. Every wait is bounded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anoniem::check;
use anoniem::sweep::{self, Report, SweepOptions};
use rdkafka::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;

const TOPIC: &str = "out";
const NOW: &str = "2026-11-29T12:00:00Z";

fn rules_copy(tmp: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let t = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &t);
            } else {
                std::fs::copy(e.path(), &t).unwrap();
            }
        }
    }
    let dir = tmp.join("rules");
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"), &dir);
    dir
}

fn options(brokers: &str, rules: &Path, store: &Path) -> SweepOptions {
    let mut o = SweepOptions::new(brokers, TOPIC, rules.to_path_buf(), store.to_path_buf());
    o.key = Some(check::test_key());
    o.now = Some(NOW.parse().unwrap());
    o.check_interval = Duration::from_millis(300);
    o.shutdown_timeout = Duration::from_secs(10);
    o.kafka
        .consumer
        .insert("session.timeout.ms".into(), "6000".into());
    o.kafka
        .consumer
        .insert("heartbeat.interval.ms".into(), "500".into());
    o.kafka.producer.insert("linger.ms".into(), "5".into());
    o
}

struct Running {
    stop: CancellationToken,
    reload: Arc<AtomicBool>,
    handle: JoinHandle<Result<Report, sweep::SweepError>>,
}

fn start(opts: SweepOptions) -> Running {
    let stop = CancellationToken::new();
    let reload = Arc::new(AtomicBool::new(false));
    let (s, r) = (stop.clone(), reload.clone());
    let handle = std::thread::spawn(move || sweep::run(&opts, s, r));
    Running { stop, reload, handle }
}

impl Running {
    fn stop(self) -> Report {
        self.stop.cancel();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.handle.is_finished() {
            assert!(Instant::now() < deadline, "the sweeper stops in time");
            std::thread::sleep(Duration::from_millis(50));
        }
        self.handle.join().expect("no panic").expect("the sweeper ran")
    }
}

fn record(id: &str, source: &str, published_at: &str, author: &str) -> String {
    serde_json::json!({
        "id": id, "source": source, "kind": "post", "url": "https://example.com/x",
        "published_at": published_at, "author": {"id": author, "name": "x"}, "text": "t",
    })
    .to_string()
}

fn produce(brokers: &str, records: &[(String, Option<String>)]) {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "5")
        .create()
        .expect("producer");
    for (key, value) in records {
        let mut r: BaseRecord<'_, str, str> = BaseRecord::to(TOPIC).key(key.as_str());
        if let Some(v) = value {
            r = r.payload(v.as_str());
        }
        producer.send(r).map_err(|(e, _)| e).expect("queued");
    }
    producer.flush(Duration::from_secs(30)).expect("flushed");
}

/// Every record of the topic: (key, is tombstone, anoniem-fired header).
fn read_all(brokers: &str, partitions: i32) -> Vec<(String, bool, Option<String>)> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "reader")
        .set("enable.auto.commit", "false")
        .create()
        .expect("reader");
    let mut tpl = TopicPartitionList::new();
    let mut ends = HashMap::new();
    for p in 0..partitions {
        tpl.add_partition_offset(TOPIC, p, Offset::Beginning).unwrap();
        let (_, high) = consumer
            .fetch_watermarks(TOPIC, p, Duration::from_secs(10))
            .expect("watermarks");
        ends.insert(p, high);
    }
    consumer.assign(&tpl).expect("assign");
    let mut at: HashMap<i32, i64> = (0..partitions).map(|p| (p, 0)).collect();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while at.iter().any(|(p, o)| *o < ends[p]) {
        assert!(Instant::now() < deadline, "the topic is read within 30 s");
        let Some(Ok(m)) = consumer.poll(Duration::from_millis(200)) else {
            continue;
        };
        at.insert(m.partition(), m.offset() + 1);
        let fired = m.headers().and_then(|h| {
            h.iter()
                .find(|x| x.key == "anoniem-fired")
                .and_then(|x| x.value.map(|v| String::from_utf8_lossy(v).into_owned()))
        });
        let key = String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned();
        out.push((key, m.payload().is_none(), fired));
    }
    out
}

fn tombstones(brokers: &str, partitions: i32) -> BTreeMap<String, Vec<Option<String>>> {
    let mut out: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for (key, tomb, fired) in read_all(brokers, partitions) {
        if tomb {
            out.entry(key).or_default().push(fired);
        }
    }
    out
}

/// Waits until every key of `want` has a tombstone.
fn wait_for(brokers: &str, partitions: i32, want: &[&str]) -> BTreeMap<String, Vec<Option<String>>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = tombstones(brokers, partitions);
        if want.iter().all(|k| got.contains_key(*k)) {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "tombstones for {want:?} within 60 s; got {got:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn due_items_and_erased_authors_get_tombstones_and_a_restart_does_not_repeat_them() {
    let cluster = MockCluster::new(1).expect("mock cluster");
    cluster.create_topic(TOPIC, 2, 1).expect("topic");
    let brokers = cluster.bootstrap_servers();
    let tmp = tempfile::tempdir().unwrap();
    let rules = rules_copy(tmp.path());
    let store = tmp.path().join("store");
    let anon = check::test_key().pseudonym("facebook", "737373");

    let r = |id: &str, at: &str, author: &str| (id.to_owned(), Some(record(id, "facebook", at, author)));
    produce(
        &brokers,
        &[
            // Due exactly now, due a year ago, young.
            r("facebook:1", "2025-11-29T12:00:00Z", "1"),
            r("facebook:2", "2024-11-01T00:00:00Z", "1"),
            r("facebook:3", "2025-11-29T12:00:00.000000001Z", "1"),
            // Old, then updated to young: not due.
            r("facebook:4", "2020-01-01T00:00:00Z", "1"),
            r("facebook:4", "2026-01-01T00:00:00Z", "1"),
            // Old, then deleted: nothing to do.
            r("facebook:5", "2020-01-01T00:00:00Z", "1"),
            ("facebook:5".to_owned(), None),
            // No retention for this source.
            (
                "twitter:6".to_owned(),
                Some(record("twitter:6", "twitter", "2010-01-01T00:00:00Z", "1")),
            ),
            // By authors erased later: a raw id and a commenter's pseudonym.
            r("facebook:7", "2026-06-01T00:00:00Z", "424242"),
            r("facebook:8", "2026-06-01T00:00:00Z", &anon),
            r("facebook:9", "2026-06-01T00:00:00Z", "424243"),
        ],
    );

    let running = start(options(&brokers, &rules, &store));
    let got = wait_for(&brokers, 2, &["facebook:1", "facebook:2"]);
    std::thread::sleep(Duration::from_secs(1));
    let got_after = tombstones(&brokers, 2);
    assert_eq!(got, got_after, "nothing more is produced");
    let keys: Vec<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(keys, ["facebook:1", "facebook:2", "facebook:5"]);
    assert_eq!(got["facebook:1"], [Some("sweep-retention".to_owned())]);

    // Erasure: the list changes and the sweeper is told (SIGHUP).
    let list = rules.join("lists/erased_authors.txt");
    let mut text = std::fs::read_to_string(&list).unwrap();
    text.push_str("facebook:424242\nfacebook:737373\n");
    std::fs::write(&list, text).unwrap();
    running.reload.store(true, std::sync::atomic::Ordering::SeqCst);
    let got = wait_for(&brokers, 2, &["facebook:7", "facebook:8"]);
    assert_eq!(got["facebook:8"], [Some("sweep-erasure".to_owned())]);
    assert!(!got.contains_key("facebook:9"));
    let report = running.stop();
    assert!(report.clean, "{report:?}");
    assert_eq!(report.tombstones, 4);

    // A restart catches up from the store: no tombstone again, one new one.
    produce(&brokers, &[r("facebook:10", "2023-01-01T00:00:00Z", "1")]);
    let running = start(options(&brokers, &rules, &store));
    wait_for(&brokers, 2, &["facebook:10"]);
    std::thread::sleep(Duration::from_secs(1));
    let report = running.stop();
    assert_eq!(report.tombstones, 1, "{report:?}");
    let got = tombstones(&brokers, 2);
    for (key, list) in &got {
        assert_eq!(list.len(), 1, "{key}: {list:?}");
    }
    assert_eq!(got.len(), 6);
}

#[test]
fn two_instances_share_the_partitions_and_produce_every_tombstone() {
    let cluster = MockCluster::new(1).expect("mock cluster");
    cluster.create_topic(TOPIC, 4, 1).expect("topic");
    let brokers = cluster.bootstrap_servers();
    let tmp = tempfile::tempdir().unwrap();
    let rules = rules_copy(tmp.path());
    let a = start(options(&brokers, &rules, &tmp.path().join("a")));
    let b = start(options(&brokers, &rules, &tmp.path().join("b")));
    // Both in the group before the items come.
    std::thread::sleep(Duration::from_secs(4));
    let ids: Vec<String> = (0..40).map(|i| format!("facebook:{i}")).collect();
    let records: Vec<(String, Option<String>)> = ids
        .iter()
        .map(|id| {
            (
                id.clone(),
                Some(record(id, "facebook", "2024-01-01T00:00:00Z", "1")),
            )
        })
        .collect();
    produce(&brokers, &records);
    let want: Vec<&str> = ids.iter().map(String::as_str).collect();
    wait_for(&brokers, 4, &want);
    let (ra, rb) = (a.stop(), b.stop());
    assert!(ra.tombstones + rb.tombstones >= 40, "{ra:?} {rb:?}");
    assert!(
        ra.tombstones > 0 && rb.tombstones > 0,
        "both instances worked: {ra:?} {rb:?}"
    );
}

#[test]
fn a_store_ahead_of_the_topic_is_rebuilt_from_the_beginning() {
    // The topic was recreated: the store's offset is past its end, and the
    // store holds an item the topic no longer has.
    let cluster = MockCluster::new(1).expect("mock cluster");
    cluster.create_topic(TOPIC, 1, 1).expect("topic");
    let brokers = cluster.bootstrap_servers();
    let tmp = tempfile::tempdir().unwrap();
    let rules = rules_copy(tmp.path());
    let store_dir = tmp.path().join("store");
    {
        let store = sweep::Store::open(&store_dir, 1 << 20, TOPIC).expect("store");
        let stale = sweep::store::Item {
            source: "facebook".into(),
            published: Some(0),
            author: None,
            due: Some(0),
        };
        let change = sweep::store::Change::Upsert {
            id: "facebook:stale".into(),
            item: stale,
        };
        let record = sweep::store::Record {
            partition: 0,
            offset: 999,
            change,
        };
        store.apply(&[record], "old").expect("apply");
    }
    let r = |id: &str, at: &str| (id.to_owned(), Some(record(id, "facebook", at, "1")));
    produce(
        &brokers,
        &[
            r("facebook:1", "2024-01-01T00:00:00Z"),
            r("facebook:2", "2026-10-01T00:00:00Z"),
            r("facebook:3", "2023-01-01T00:00:00Z"),
        ],
    );
    let running = start(options(&brokers, &rules, &store_dir));
    wait_for(&brokers, 1, &["facebook:1", "facebook:3"]);
    std::thread::sleep(Duration::from_secs(1));
    let report = running.stop();
    let keys: Vec<String> = tombstones(&brokers, 1).into_keys().collect();
    assert_eq!(keys, ["facebook:1", "facebook:3"], "{report:?}");
    let store = sweep::Store::open(&store_dir, 1 << 20, TOPIC).expect("store");
    let state = store.partition(0).expect("read").expect("state");
    assert!(
        (3..=5).contains(&state.next_offset),
        "rebuilt from the beginning: {state:?}"
    );
    let due = store.due(0, i128::MAX - 1, 100, &|_| false).expect("due").0;
    assert!(due.iter().all(|d| d.id != "facebook:stale"), "{due:?}");
}
