//! The baseline of the Kafka stage's figures: the at-least-once stage
//! without the engine. It reads the input topic and writes every record's
//! key and value unchanged to the output topic, with the stage's own
//! librdkafka settings (`anoniem::stream::clients`, from the same
//! `ANONIEM_*` config), the same ordering (one pipeline per partition that
//! produces in input order and takes acknowledgements in that order), the
//! same in-flight limits, and the same offset and commit discipline
//! (offsets stored by hand after the broker acknowledged the output,
//! auto-commit of stored offsets, a final synchronous commit on SIGTERM).
//!
//! An example, not a stage mode: a privacy stage must have no switch that
//! turns the privacy off. It copies every byte; point it only at test
//! topics.
//!
//! ```text
//! ANONIEM_BROKERS=127.0.0.1:9092 ANONIEM_INPUT_TOPIC=in ANONIEM_OUTPUT_TOPIC=out \
//! ANONIEM_DEAD_LETTER_TOPIC=unused ANONIEM_GROUP_ID=passthrough \
//!   cargo run --release --example passthrough
//! ```
//!
//! What it does not do: rebalance drains (a revoked partition's records
//! in flight are simply redone by the next owner), exactly-once. Benchmarks
//! run it alone in its group.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anoniem::config::{Config, Guarantee};
use anoniem::stream::ErrorPace;
use anoniem::stream::clients;
use rdkafka::client::ClientContext;
use rdkafka::consumer::{CommitMode, Consumer, ConsumerContext, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

struct Ctx;
impl ClientContext for Ctx {}
impl ConsumerContext for Ctx {}

/// A record in flight: where it came from, its bytes, its permits.
struct Pending {
    offset: i64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    _permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
}

struct Ack {
    offset: i64,
    delivery: DeliveryFuture,
    _permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env(None)?;
    if config.guarantee != Guarantee::AtLeastOnce {
        return Err("the passthrough mirrors the at-least-once stage only".into());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(config))
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let consumer: Arc<StreamConsumer<Ctx>> = Arc::new(clients::consumer(&config).create_with_context(Ctx)?);
    let producer: Arc<FutureProducer> = Arc::new(clients::producer(&config).create()?);
    consumer.subscribe(&[&config.input_topic])?;
    let shutdown = CancellationToken::new();
    {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            if let (Ok(mut term), Ok(mut int)) =
                (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
            {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            shutdown.cancel();
        });
    }
    let records = Arc::new(Semaphore::new(config.max_in_flight_records));
    let bytes = Arc::new(Semaphore::new(config.max_in_flight_bytes));
    let output: Arc<str> = Arc::from(config.output_topic.as_str());
    let mut pipelines: HashMap<(Arc<str>, i32), mpsc::UnboundedSender<Pending>> = HashMap::new();
    let mut tasks = Vec::new();
    let mut pace = ErrorPace::new();
    eprintln!("passthrough: {} -> {}", config.input_topic, config.output_topic);
    loop {
        let msg = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            m = consumer.recv() => m,
        };
        let msg = match msg {
            Ok(msg) => msg,
            Err(e) => {
                eprintln!("passthrough: consumer error: {e}");
                pace.pause().await;
                continue;
            }
        };
        // Copied out of the consumer's buffer, as the stage does.
        let topic: Arc<str> = Arc::from(msg.topic());
        let (partition, offset) = (msg.partition(), msg.offset());
        let key = msg.key().map(<[u8]>::to_vec);
        let value = msg.payload().map(<[u8]>::to_vec);
        drop(msg);
        let size = key.as_ref().map_or(0, Vec::len) + value.as_ref().map_or(0, Vec::len);
        let n = u32::try_from(size.clamp(1, config.max_in_flight_bytes)).unwrap_or(u32::MAX);
        let permits = tokio::select! {
            _ = shutdown.cancelled() => break,
            p = async { (Arc::clone(&records).acquire_owned().await, Arc::clone(&bytes).acquire_many_owned(n).await) } => p,
        };
        let (Ok(r), Ok(b)) = permits else { break };
        let tx = pipelines
            .entry((Arc::clone(&topic), partition))
            .or_insert_with(|| {
                let (tx, rx) = mpsc::unbounded_channel();
                tasks.push(tokio::spawn(pipeline(
                    rx,
                    Arc::clone(&producer),
                    Arc::clone(&consumer),
                    Arc::clone(&output),
                    topic,
                    partition,
                )));
                tx
            });
        let _ = tx.send(Pending {
            offset,
            key,
            value,
            _permits: (r, b),
        });
    }
    // As the stage: finish what is in flight, commit, flush.
    pipelines.clear();
    for t in tasks {
        let _ = t.await;
    }
    let c = Arc::clone(&consumer);
    tokio::task::spawn_blocking(move || match c.commit_consumer_state(CommitMode::Sync) {
        Ok(()) | Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
        Err(e) => eprintln!("passthrough: final commit failed: {e}"),
    })
    .await?;
    let p = Arc::clone(&producer);
    tokio::task::spawn_blocking(move || p.flush(Duration::from_secs(30))).await??;
    Ok(())
}

/// One partition: produce in input order; a second task takes the
/// acknowledgements in that order and stores each offset.
async fn pipeline(
    mut rx: mpsc::UnboundedReceiver<Pending>,
    producer: Arc<FutureProducer>,
    consumer: Arc<StreamConsumer<Ctx>>,
    output: Arc<str>,
    topic: Arc<str>,
    partition: i32,
) {
    let (ack_tx, mut ack_rx) = mpsc::unbounded_channel::<Ack>();
    let acker = tokio::spawn(async move {
        while let Some(ack) = ack_rx.recv().await {
            match ack.delivery.await {
                Ok(Ok(_)) => {
                    if let Err(e) = consumer.store_offset(&topic, partition, ack.offset) {
                        eprintln!("passthrough: offset not stored: {e}");
                    }
                }
                Ok(Err((e, _))) => {
                    eprintln!("passthrough: produce failed for good: {e}");
                    std::process::exit(1);
                }
                Err(_) => std::process::exit(1),
            }
        }
    });
    while let Some(p) = rx.recv().await {
        let delivery = loop {
            let mut record = FutureRecord::<[u8], [u8]>::to(&output);
            if let Some(k) = &p.key {
                record = record.key(k.as_slice());
            }
            if let Some(v) = &p.value {
                record = record.payload(v.as_slice());
            }
            match producer.send_result(record) {
                Ok(d) => break d,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Err((e, _)) => {
                    eprintln!("passthrough: produce failed: {e}");
                    std::process::exit(1);
                }
            }
        };
        let _ = ack_tx.send(Ack {
            offset: p.offset,
            delivery,
            _permits: p._permits,
        });
    }
    drop(ack_tx);
    let _ = acker.await;
}
