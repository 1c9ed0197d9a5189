//! The measuring half of `tests/e2e/load_compare.sh`, which runs
//! `anoniem run` and `examples/passthrough.rs` on the same broker with the
//! same records. Three commands, each bounded in time:
//!
//! ```text
//! load_compare produce BROKERS TOPIC RECORDS SEED
//!     produce RECORDS generated posts (keyed by id) as fast as the broker
//!     takes them; prints {"records":..,"bytes":..,"seconds":..}
//! load_compare watch BROKERS TOPIC RECORDS TIMEOUT_S
//!     poll TOPIC's end offsets every 10 ms until they add up to RECORDS;
//!     prints the seconds from the first record there to the last (the
//!     stage's rate, without its start-up and group join), with progress
//!     on stderr
//! load_compare latency BROKERS IN OUT RATE SECONDS SEED
//!     produce RATE records/s for SECONDS to IN while reading OUT; per
//!     record the time from its send to its arrival on OUT (one clock, one
//!     process); prints p50/p99/p99.9/max in ms over every record after the
//!     first second
//! ```
//!
//! Output on stdout is one JSON object per command, for the script.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anoniem::load::keyed_records;
use rdkafka::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use rdkafka::types::RDKafkaErrorCode;

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> Result<&str, Error> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {i}; see the file's doc").into())
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match arg(0)? {
        "produce" => runtime.block_on(produce(arg(1)?, arg(2)?, arg(3)?.parse()?, arg(4)?.parse()?)),
        "watch" => watch(arg(1)?, arg(2)?, arg(3)?.parse()?, arg(4)?.parse()?),
        "latency" => runtime.block_on(latency(
            arg(1)?,
            arg(2)?,
            arg(3)?,
            arg(4)?.parse()?,
            arg(5)?.parse()?,
            arg(6)?.parse()?,
        )),
        other => Err(format!("unknown command {other}").into()),
    }
}

fn producer(brokers: &str, linger_ms: u32) -> Result<FutureProducer, KafkaError> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", linger_ms.to_string())
        .set("batch.size", "1000000")
        .set("compression.type", "lz4")
        .set("partitioner", "murmur2_random")
        .set("queue.buffering.max.kbytes", "1048576")
        .create()
}

async fn send(
    producer: &FutureProducer,
    topic: &str,
    key: &str,
    value: &[u8],
) -> Result<rdkafka::producer::DeliveryFuture, Error> {
    loop {
        match producer.send_result(FutureRecord::to(topic).key(key).payload(value)) {
            Ok(d) => return Ok(d),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                tokio::time::sleep(Duration::from_millis(2)).await
            }
            Err((e, _)) => return Err(e.into()),
        }
    }
}

async fn produce(brokers: &str, topic: &str, n: usize, seed: u64) -> Result<(), Error> {
    let records = keyed_records(n, seed, &format!("bench-{seed}-"));
    let bytes: usize = records.iter().map(|(_, v)| v.len()).sum();
    let producer = producer(brokers, 50)?;
    let started = Instant::now();
    let mut pending = Vec::with_capacity(records.len());
    for (i, (key, value)) in records.iter().enumerate() {
        pending.push(send(&producer, topic, key, value).await?);
        if i % 100_000 == 0 && i > 0 {
            eprintln!("load_compare: produced {i} of {n}");
        }
    }
    for d in pending {
        if let Ok(Err((e, _))) = d.await {
            return Err(e.into());
        }
    }
    println!(
        "{{\"records\":{n},\"bytes\":{bytes},\"seconds\":{:.3}}}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The sum of `topic`'s end offsets.
fn end(consumer: &BaseConsumer, topic: &str, partitions: &[i32]) -> Result<i64, KafkaError> {
    let mut sum = 0;
    for &p in partitions {
        let (_, high) = consumer.fetch_watermarks(topic, p, Duration::from_secs(10))?;
        sum += high;
    }
    Ok(sum)
}

fn watch(brokers: &str, topic: &str, n: i64, timeout_s: u64) -> Result<(), Error> {
    let consumer: BaseConsumer = ClientConfig::new().set("bootstrap.servers", brokers).create()?;
    let metadata = consumer.fetch_metadata(Some(topic), Duration::from_secs(30))?;
    let partitions: Vec<i32> = metadata
        .topics()
        .iter()
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    let base = end(&consumer, topic, &partitions)?;
    let deadline = Instant::now() + Duration::from_secs(timeout_s);
    let mut first = None;
    let mut last_report = Instant::now();
    loop {
        let now = Instant::now();
        let got = end(&consumer, topic, &partitions)? - base;
        if got > 0 && first.is_none() {
            first = Some(now);
        }
        if got >= n {
            let seconds = first.map_or(0.0, |f| now.duration_since(f).as_secs_f64());
            println!("{{\"records\":{got},\"seconds\":{seconds:.3}}}");
            return Ok(());
        }
        if now > deadline {
            return Err(format!("only {got} of {n} records on {topic} within {timeout_s} s").into());
        }
        if last_report.elapsed() > Duration::from_secs(5) {
            eprintln!("load_compare: {got} of {n} on {topic}");
            last_report = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

async fn latency(
    brokers: &str,
    input: &str,
    output: &str,
    rate: u64,
    seconds: u64,
    seed: u64,
) -> Result<(), Error> {
    let n = usize::try_from(rate * seconds)?;
    let prefix = format!("lat-{seed}-");
    let records = keyed_records(n, seed, &prefix);
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    // The input producer lingers 5 ms (the same for both; linger 0 would
    // send a request per record and load the shared cores with that).
    let producer = producer(brokers, 5)?;
    let reader: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "load-compare-latency")
        .set("enable.auto.commit", "false")
        .set("fetch.wait.max.ms", "5")
        .create()?;
    let metadata = reader.fetch_metadata(Some(output), Duration::from_secs(30))?;
    let mut tpl = TopicPartitionList::new();
    for t in metadata.topics() {
        for p in t.partitions() {
            tpl.add_partition_offset(output, p.id(), Offset::Beginning)?;
        }
    }
    reader.assign(&tpl)?;
    let started = Instant::now();
    let pace = Duration::from_secs_f64(1.0 / rate as f64);
    let mut sent = vec![None::<Instant>; n];
    let mut arrived = vec![None::<Instant>; n];
    let mut got = 0usize;
    let deadline = started + Duration::from_secs(seconds + 60);
    let mut next = 0usize;
    let mut last_report = Instant::now();
    while got < n {
        let now = Instant::now();
        if now > deadline {
            return Err(format!("only {got} of {n} records came out").into());
        }
        // Send every record that is due, then read what has come.
        while next < n && started + pace * u32::try_from(next)? <= now {
            let (key, value) = &records[next];
            sent[next] = Some(Instant::now());
            drop(send(&producer, input, key, value).await?);
            next += 1;
        }
        let due = if next < n {
            (started + pace * u32::try_from(next)?).saturating_duration_since(Instant::now())
        } else {
            Duration::from_millis(100)
        };
        if let Ok(Ok(msg)) = tokio::time::timeout(due.max(Duration::from_micros(200)), reader.recv()).await {
            let at = Instant::now();
            if let Some(&i) = msg
                .key()
                .and_then(|k| std::str::from_utf8(k).ok())
                .and_then(|k| index.get(k))
                && arrived[i].is_none()
            {
                arrived[i] = Some(at);
                got += 1;
            }
        }
        if last_report.elapsed() > Duration::from_secs(5) {
            eprintln!("load_compare: {next} sent, {got} arrived of {n}");
            last_report = Instant::now();
        }
    }
    let warm = usize::try_from(rate)?.min(n / 2);
    let mut ms: Vec<f64> = sent
        .iter()
        .zip(&arrived)
        .skip(warm)
        .filter_map(|(s, a)| Some(a.as_ref()?.duration_since(*s.as_ref()?).as_secs_f64() * 1000.0))
        .collect();
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{{\"records\":{},\"rate\":{rate},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"p999_ms\":{:.2},\"max_ms\":{:.2}}}",
        ms.len(),
        q(0.5),
        q(0.99),
        q(0.999),
        q(1.0)
    );
    Ok(())
}
