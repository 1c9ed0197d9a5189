//! `anoniem demo`: the whole stage on an in-process Kafka-protocol broker
//! (librdkafka's mock cluster), with the shipped sample posts. Needs no
//! config, key or set-up.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{FutureProducer, FutureRecord};
use tokio_util::sync::CancellationToken;

use crate::config::{Config, Env, Guarantee};
use crate::engine::{Engine, EngineError, Limits, PseudonymKey};
use crate::rules::{self, RulesError};
use crate::stream::{self, StageError};

/// The sample posts the demo sends through the stage.
pub const SAMPLE_POSTS: &str = include_str!("../samples/posts.ndjson");

pub const INPUT_TOPIC: &str = "posts.collected";
pub const OUTPUT_TOPIC: &str = "posts.sanitised";
pub const DEAD_LETTER_TOPIC: &str = "posts.dead-letter";

/// How long the demo waits for the sample to come through.
const SAMPLE_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the mock broker failed")]
    Broker(#[from] KafkaError),
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Stage(#[from] StageError),
    #[error("the sample did not come through within {0:?}")]
    Timeout(Duration),
    #[error("cannot start the runtime")]
    Runtime(#[from] std::io::Error),
}

/// What came out of the demo.
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub produced: usize,
    pub upserts: usize,
    pub tombstones: usize,
    pub dead_letters: usize,
}

/// Runs the demo; with `follow`, keeps going until `stop` is cancelled.
/// Prints to stdout as it goes.
pub fn run(
    rules_dir: Option<&Path>,
    follow: bool,
    stop: CancellationToken,
) -> Result<DemoSummary, DemoError> {
    // The mock cluster is not Send: it stays on this thread, the runtime's
    // tasks talk to it over loopback.
    let cluster = MockCluster::new(1)?;
    cluster.create_topic(INPUT_TOPIC, 3, 1)?;
    cluster.create_topic(OUTPUT_TOPIC, 3, 1)?;
    cluster.create_topic(DEAD_LETTER_TOPIC, 1, 1)?;
    let brokers = cluster.bootstrap_servers();

    let rules = match rules_dir {
        Some(dir) => rules::load(dir)?,
        None => rules::embedded::default_rules()?,
    };
    let engine = Arc::new(Engine::new(rules, Some(demo_key()), Limits::default())?);
    let config = demo_config(&brokers);

    println!("anoniem demo: an in-process Kafka broker at {brokers}");
    println!("  watch:   kcat -b {brokers} -C -t {OUTPUT_TOPIC} -f '%k  %s\\n'");
    println!("  produce: kcat -b {brokers} -P -t {INPUT_TOPIC}   (with --follow)");
    println!("  pseudonym key: a random demo-only key, new on every run");
    println!("  rule set: {}", &engine.rules_hash()[..12]);
    println!();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let shutdown = CancellationToken::new();
        let stage = tokio::spawn({
            let (config, engine, shutdown) = (config.clone(), Arc::clone(&engine), shutdown.clone());
            async move { stream::run(&config, engine, shutdown).await }
        });
        let produced = produce_samples(&brokers).await?;
        let summary = watch(&brokers, produced, follow, &stop).await;
        shutdown.cancel();
        let report = stage.await.map_err(|_| StageError::Workers)??;
        let mut summary = summary?;
        summary.produced = produced;
        println!();
        println!(
            "anoniem demo: {} records in; out: {} sanitised, {} tombstones; {} to the dead-letter topic; stage read {} and had {} acknowledged",
            summary.produced,
            summary.upserts,
            summary.tombstones,
            summary.dead_letters,
            report.received,
            report.delivered
        );
        Ok(summary)
    })
}

fn demo_config(brokers: &str) -> Config {
    let env: Env = [
        ("ANONIEM_BROKERS", brokers),
        ("ANONIEM_GROUP_ID", "anoniem-demo"),
        ("ANONIEM_INPUT_TOPIC", INPUT_TOPIC),
        ("ANONIEM_OUTPUT_TOPIC", OUTPUT_TOPIC),
        ("ANONIEM_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC),
        ("ANONIEM_LINGER_MS", "5"),
        ("ANONIEM_SHUTDOWN_TIMEOUT_MS", "10000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let mut config =
        Config::load(None, &env).unwrap_or_else(|e| unreachable!("the demo config is valid: {e}"));
    config.guarantee = Guarantee::AtLeastOnce;
    config
}

/// A random key for this run only: the demo needs no set-up.
fn demo_key() -> PseudonymKey {
    use std::hash::{BuildHasher, Hasher};
    let mut secret = String::new();
    for i in 0..4u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        secret.push_str(&format!("{:016x}", h.finish()));
    }
    // 64 hex characters: above the minimum length.
    PseudonymKey::from_secret(secret.as_bytes()).unwrap_or_else(|_| unreachable!())
}

/// Produces the sample posts, keyed by their id where they have one.
async fn produce_samples(brokers: &str) -> Result<usize, DemoError> {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "5")
        .create()?;
    let mut n = 0;
    for line in SAMPLE_POSTS.lines().filter(|l| !l.trim().is_empty()) {
        let id = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_owned));
        let mut record = FutureRecord::<str, str>::to(INPUT_TOPIC).payload(line);
        if let Some(id) = &id {
            record = record.key(id);
        }
        producer
            .send(record, Duration::from_secs(10))
            .await
            .map_err(|(e, _)| e)?;
        n += 1;
    }
    Ok(n)
}

/// Reads the output and dead-letter topics and prints each record, until
/// `expected` records came out (or, with `follow`, until `stop`).
async fn watch(
    brokers: &str,
    expected: usize,
    follow: bool,
    stop: &CancellationToken,
) -> Result<DemoSummary, DemoError> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "anoniem-demo-reader")
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_committed")
        .create()?;
    consumer.subscribe(&[OUTPUT_TOPIC, DEAD_LETTER_TOPIC])?;
    let mut summary = DemoSummary::default();
    let started = Instant::now();
    loop {
        let done = summary.upserts + summary.tombstones + summary.dead_letters;
        if !follow && done >= expected {
            break;
        }
        if !follow && started.elapsed() > SAMPLE_TIMEOUT {
            return Err(DemoError::Timeout(SAMPLE_TIMEOUT));
        }
        let msg = tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(Duration::from_millis(500)) => continue,
            m = consumer.recv() => m?,
        };
        let key = msg
            .key()
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
            .into_owned();
        let header = |name: &str| -> String {
            msg.headers()
                .and_then(|h| h.iter().find(|x| x.key == name))
                .and_then(|x| x.value)
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default()
        };
        if msg.topic() == DEAD_LETTER_TOPIC {
            summary.dead_letters += 1;
            println!(
                "dead-letter  {}  ({})",
                if key.is_empty() { "(no key)" } else { &key },
                header("anoniem-reason")
            );
            continue;
        }
        match msg.payload() {
            Some(value) => {
                summary.upserts += 1;
                println!("{key}  {}", String::from_utf8_lossy(value));
            }
            None => {
                summary.tombstones += 1;
                println!("{key}  (tombstone: {})", header("anoniem-fired"));
            }
        }
    }
    Ok(summary)
}
