//! Helpers for the stage tests: a mock cluster, records to send, a reader
//! of the output, and a stage running in the background.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anoniem::config::{Config, Env};
use anoniem::engine::{Engine, Limits};
use anoniem::stream::{self, Report, StageError};
use anoniem::{check, rules};
use rdkafka::ClientConfig;
use rdkafka::Offset;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const INPUT: &str = "in";
pub const OUTPUT: &str = "out";
pub const DLQ: &str = "dlq";

/// A mock cluster with the three topics.
pub fn cluster(partitions: i32) -> MockCluster<'static, rdkafka::producer::DefaultProducerContext> {
    let cluster = MockCluster::new(1).expect("mock cluster");
    cluster.create_topic(INPUT, partitions, 1).expect("input topic");
    cluster.create_topic(OUTPUT, partitions, 1).expect("output topic");
    cluster.create_topic(DLQ, 1, 1).expect("dlq topic");
    cluster
}

pub fn config(brokers: &str, group: &str, extra: &[(&str, &str)]) -> Config {
    let mut env: Env = [
        ("ANONIEM_BROKERS", brokers),
        ("ANONIEM_GROUP_ID", group),
        ("ANONIEM_INPUT_TOPIC", INPUT),
        ("ANONIEM_OUTPUT_TOPIC", OUTPUT),
        ("ANONIEM_DEAD_LETTER_TOPIC", DLQ),
        ("ANONIEM_LINGER_MS", "5"),
        ("ANONIEM_WORKER_THREADS", "2"),
        ("ANONIEM_SHUTDOWN_TIMEOUT_MS", "15000"),
        // The mock cluster lets a member that left hold its partitions until
        // its session times out; keep that short so restarts are quick.
        ("ANONIEM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000"),
        ("ANONIEM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", "500"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (k, v) in extra {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::load(None, &env).expect("test config")
}

/// Logs of the stage go to the test's captured output (shown when it fails).
pub fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ANONIEM_LOG").unwrap_or_else(|_| "info".into()),
        )
        .try_init();
}

pub fn engine() -> Arc<Engine> {
    logs();
    let rules = rules::embedded::default_rules().expect("default rules");
    Arc::new(Engine::new(rules, Some(check::test_key()), Limits::default()).expect("engine"))
}

/// A stage running in the background.
pub struct Running {
    pub shutdown: CancellationToken,
    pub handle: JoinHandle<Result<Report, StageError>>,
}

pub fn start(config: Config, engine: impl Into<stream::EngineSlot> + Send + 'static) -> Running {
    let shutdown = CancellationToken::new();
    let token = shutdown.clone();
    let handle = tokio::spawn(async move { stream::run(&config, engine, token).await });
    Running { shutdown, handle }
}

impl Running {
    pub async fn stop(self) -> Result<Report, StageError> {
        self.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(60), self.handle)
            .await
            .expect("the stage stops in time")
            .expect("the stage task does not panic")
    }
}

/// Input: `keys` posts, each in `versions` versions in order; every post
/// carries a phone number that must not come out.
pub fn posts(keys: usize, versions: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for v in 0..versions {
        for k in 0..keys {
            let id = format!("forum:{k}");
            let json = serde_json::json!({
                "id": id, "source": "forum", "kind": "post",
                "text": format!("versie {v}, bel 0612345678"),
                "raw_html": "<b>dropped</b>",
            });
            out.push((id, json.to_string()));
        }
    }
    out
}

/// A producer for the test input: the key decides the partition, as the
/// Java client's partitioner does.
pub fn producer(brokers: &str) -> FutureProducer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "5")
        .set("partitioner", "murmur2_random")
        .create()
        .expect("producer")
}

pub async fn produce(brokers: &str, records: &[(String, String)]) {
    let producer = producer(brokers);
    let sends = records.iter().map(|(key, value)| {
        let producer = &producer;
        async move {
            let record = FutureRecord::to(INPUT).key(key.as_str()).payload(value.as_str());
            producer
                .send(record, Duration::from_secs(30))
                .await
                .expect("produce to input");
        }
    });
    futures::future::join_all(sends).await;
}

/// A record read back.
#[derive(Debug, Clone)]
pub struct Got {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub key: Option<String>,
    pub value: Option<String>,
    pub headers: BTreeMap<String, String>,
}

/// Reads `topics` from the start (all partitions, no group) until at
/// least `expected` records came and then nothing new for `quiet`, or
/// until `timeout`.
pub async fn read(
    brokers: &str,
    topics: &[&str],
    expected: usize,
    quiet: Duration,
    timeout: Duration,
    committed: bool,
) -> Vec<Got> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "test-reader")
        .set("enable.auto.commit", "false")
        .set(
            "isolation.level",
            if committed {
                "read_committed"
            } else {
                "read_uncommitted"
            },
        )
        .create()
        .expect("reader");
    let mut tpl = TopicPartitionList::new();
    for topic in topics {
        let md = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .expect("metadata");
        for t in md.topics() {
            for p in t.partitions() {
                tpl.add_partition_offset(topic, p.id(), Offset::Beginning)
                    .expect("tpl");
            }
        }
    }
    consumer.assign(&tpl).expect("assign");
    let deadline = Instant::now() + timeout;
    let mut last_new = Instant::now();
    let mut out = Vec::new();
    while Instant::now() < deadline && (out.len() < expected || last_new.elapsed() < quiet) {
        let msg = match tokio::time::timeout(Duration::from_millis(200), consumer.recv()).await {
            Ok(Ok(m)) => m,
            _ => continue,
        };
        last_new = Instant::now();
        let headers = msg
            .headers()
            .map(|h| {
                h.iter()
                    .map(|x| {
                        let v = x
                            .value
                            .map(|v| String::from_utf8_lossy(v).into_owned())
                            .unwrap_or_default();
                        (x.key.to_owned(), v)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Got {
            topic: msg.topic().to_owned(),
            partition: msg.partition(),
            offset: msg.offset(),
            key: msg.key().map(|k| String::from_utf8_lossy(k).into_owned()),
            value: msg.payload().map(|v| String::from_utf8_lossy(v).into_owned()),
            headers,
        });
    }
    out
}

/// The `versie N` of a sanitised record's text.
pub fn version(value: &str) -> usize {
    let v: serde_json::Value = serde_json::from_str(value).expect("output is JSON");
    let text = v["text"].as_str().expect("text");
    text.trim_start_matches("versie ")
        .split(',')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("version number")
}

/// Copies a directory tree (a rule set to change in a test).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
