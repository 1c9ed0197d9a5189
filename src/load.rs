//! `anoniem load`: load-tests a running stage. Produces generated posts
//! (see [`crate::corpus`]) to the input topic, reads the output topic until
//! every one of them came out, then reads the input back as a baseline, and
//! reports the rates of all three, measured in the same run.
//!
//! Each run's record ids carry a run prefix, so runs against a topic that
//! already holds records count only their own.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use crate::corpus;

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub brokers: String,
    pub input_topic: String,
    pub output_topic: String,
    pub records: usize,
    pub seed: u64,
    /// Records per second to produce at; 0 = as fast as the broker takes them.
    pub rate: u64,
    pub timeout: Duration,
    pub linger_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("Kafka client error")]
    Kafka(#[from] KafkaError),
    #[error("only {seen} of {expected} records came out within {timeout:?}")]
    Timeout {
        seen: usize,
        expected: usize,
        timeout: Duration,
    },
}

/// Rates of one run, in records per second, and what they are made of.
#[derive(Debug, Clone)]
pub struct LoadReport {
    pub records: usize,
    pub bytes: usize,
    /// From the first send to the last acknowledgement.
    pub produce: Duration,
    /// From the first send to the last of the run's records on the output.
    pub through_stage: Duration,
    /// Reading the same records back from the input topic, alone.
    pub read_input: Duration,
    /// Output records seen more than once (at-least-once repeats).
    pub repeats: usize,
}

impl LoadReport {
    pub fn rate(&self, d: Duration) -> f64 {
        self.records as f64 / d.as_secs_f64().max(f64::EPSILON)
    }
}

pub async fn run(opts: &LoadOptions) -> Result<LoadReport, LoadError> {
    let prefix = format!("load-{}-{}-", std::process::id(), opts.seed);
    let records = records(opts, &prefix);
    let bytes = records.iter().map(|(_, v)| v.len()).sum();

    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &opts.brokers)
        .set("linger.ms", opts.linger_ms.to_string())
        .set("compression.type", "lz4")
        .set("partitioner", "murmur2_random")
        .create()?;
    // The output reader starts first, so it is assigned when records arrive.
    let output = reader(opts, &opts.output_topic)?;

    let started = Instant::now();
    let produce = async {
        let pace = (opts.rate > 0).then(|| Duration::from_secs_f64(1.0 / opts.rate as f64));
        let mut pending = Vec::with_capacity(records.len());
        for (i, (key, value)) in records.iter().enumerate() {
            if let Some(pace) = pace {
                tokio::time::sleep_until((started + pace * i as u32).into()).await;
            }
            loop {
                let record = FutureRecord::to(&opts.input_topic)
                    .key(key.as_str())
                    .payload(value.as_slice());
                match producer.send_result(record) {
                    Ok(delivery) => {
                        pending.push(delivery);
                        break;
                    }
                    Err((KafkaError::MessageProduction(rdkafka::types::RDKafkaErrorCode::QueueFull), _)) => {
                        tokio::time::sleep(Duration::from_millis(2)).await
                    }
                    Err((e, _)) => return Err(LoadError::Kafka(e)),
                }
            }
        }
        for delivery in pending {
            if let Ok(Err((e, _))) = delivery.await {
                return Err(LoadError::Kafka(e));
            }
        }
        Ok(started.elapsed())
    };
    let through = count(&output, &prefix, opts.records, opts.timeout);
    let (produce, through) = tokio::join!(produce, through);
    let produce = produce?;
    // `count` started with the first send, so its time is the stage's.
    let (through_stage, repeats) = through?;

    let input = reader(opts, &opts.input_topic)?;
    let read_started = Instant::now();
    count(&input, &prefix, opts.records, opts.timeout).await?;
    Ok(LoadReport {
        records: opts.records,
        bytes,
        produce,
        through_stage,
        read_input: read_started.elapsed(),
        repeats,
    })
}

/// The run's records: generated posts with ids `<source>:<run prefix><n>`
/// (the stage refuses an id whose prefix is not its source).
fn records(opts: &LoadOptions, prefix: &str) -> Vec<(String, Vec<u8>)> {
    keyed_records(opts.records, opts.seed, prefix)
}

/// `n` generated posts (seed `seed`) keyed by their ids,
/// `<source>:<prefix><i>`: the same records for every run with the same
/// arguments.
pub fn keyed_records(n: usize, seed: u64, prefix: &str) -> Vec<(String, Vec<u8>)> {
    corpus::generate(n, seed)
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            // The generator writes valid JSON objects.
            let mut value: serde_json::Value = serde_json::from_slice(&raw).unwrap_or_default();
            let source = value["source"].as_str().unwrap_or("load").to_owned();
            let id = format!("{source}:{prefix}{i}");
            value["id"] = serde_json::Value::String(id.clone());
            (id, serde_json::to_vec(&value).unwrap_or(raw))
        })
        .collect()
}

/// A consumer of every partition of `topic` from the beginning, no group.
fn reader(opts: &LoadOptions, topic: &str) -> Result<StreamConsumer, LoadError> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &opts.brokers)
        .set("group.id", "anoniem-load")
        .set("enable.auto.commit", "false")
        .set("isolation.level", "read_committed")
        .create()?;
    let metadata = consumer.fetch_metadata(Some(topic), Duration::from_secs(30))?;
    let mut tpl = TopicPartitionList::new();
    for t in metadata.topics() {
        for p in t.partitions() {
            tpl.add_partition_offset(topic, p.id(), Offset::Beginning)?;
        }
    }
    consumer.assign(&tpl)?;
    Ok(consumer)
}

/// Reads until `expected` distinct keys under `prefix` came; returns when
/// the last one came (since the call) and how many were repeats.
async fn count(
    consumer: &StreamConsumer,
    prefix: &str,
    expected: usize,
    timeout: Duration,
) -> Result<(Duration, usize), LoadError> {
    let started = Instant::now();
    let mut seen = HashSet::with_capacity(expected);
    let mut repeats = 0;
    while seen.len() < expected {
        let left = timeout.saturating_sub(started.elapsed());
        let msg = match tokio::time::timeout(left, consumer.recv()).await {
            Ok(Ok(msg)) => msg,
            Ok(Err(e)) => return Err(LoadError::Kafka(e)),
            Err(_) => {
                return Err(LoadError::Timeout {
                    seen: seen.len(),
                    expected,
                    timeout,
                });
            }
        };
        let Some(key) = msg.key().and_then(|k| std::str::from_utf8(k).ok()) else {
            continue;
        };
        let ours = key
            .split_once(':')
            .is_some_and(|(_, native)| native.starts_with(prefix));
        if ours && !seen.insert(key.to_owned()) {
            repeats += 1;
        }
    }
    Ok((started.elapsed(), repeats))
}
