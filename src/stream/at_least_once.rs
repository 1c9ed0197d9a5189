//! At-least-once: no record is lost; after a crash or rebalance some are
//! produced twice.
//!
//! The consumer task reads records, takes in-flight permits (records and
//! bytes), hands each record to the engine pool and queues it on its
//! partition's pipeline. A pipeline is two tasks: the first awaits engine
//! results in input order and produces them (so a partition's records come
//! out in input order), the second awaits the broker's acknowledgements in
//! that same order and stores the offset after each one (the committed
//! offset is then the next record to read). Because
//! acknowledgements are taken in order, a stored offset never passes an
//! unfinished record. Auto-commit then commits only stored offsets.
//!
//! A produce that fails for good stops the stage: nothing past the failed
//! record is stored, and a restart redoes it from the committed offset.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::producer::{DeliveryFuture, FutureProducer, Producer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::util::Timeout;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::metrics;

use super::clients::{self, LogContext};
use super::output::{self, Job, Produce};
use super::partitions::{Registry, Shared, StageContext, Tp};
use super::pool::Pool;
use super::reload::EngineSlot;
use super::{ErrorPace, Report, StageError, blocking};

/// A record on its way through a partition pipeline.
pub struct Pending {
    offset: i64,
    /// Where the record came from (and its timestamp), without its bytes.
    job: Job,
    result: oneshot::Receiver<Produce>,
    permit: InFlight,
}

/// In-flight permits, released when the record's output is acknowledged.
struct InFlight {
    _records: OwnedSemaphorePermit,
    _bytes: OwnedSemaphorePermit,
    bytes: usize,
    counter: Arc<Counters>,
}

#[derive(Default)]
struct Counters {
    records: AtomicUsize,
    bytes: AtomicUsize,
    received: AtomicU64,
    delivered: AtomicU64,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let r = self.counter.records.fetch_sub(1, Ordering::Relaxed) - 1;
        let b = self.counter.bytes.fetch_sub(self.bytes, Ordering::Relaxed) - self.bytes;
        metrics::in_flight(r, b);
    }
}

type Consumer_ = StreamConsumer<StageContext<Pending>>;

/// What the pipelines share.
struct Stage {
    producer: FutureProducer<LogContext>,
    consumer: Arc<Consumer_>,
    output_topic: String,
    dead_letter_topic: String,
    /// Cancelled when a pipeline fails for good; the error is kept.
    failed: CancellationToken,
    error: std::sync::Mutex<Option<StageError>>,
    counters: Arc<Counters>,
}

impl Stage {
    fn fail(&self, error: StageError) {
        let mut slot = self.error.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert(error);
        self.failed.cancel();
    }
}

pub async fn run(
    config: &Config,
    engine: EngineSlot,
    shutdown: CancellationToken,
) -> Result<Report, StageError> {
    let registry = Arc::new(Registry::<Pending>::default());
    let context = StageContext {
        registry: Arc::clone(&registry),
        drain_timeout: Duration::from_millis(config.rebalance_drain_timeout_ms),
        drain_on_revoke: true,
    };
    let (consumer, producer) = clients::create(config, context)?;
    clients::subscribe(&consumer, config)?;
    let consumer: Arc<Consumer_> = Arc::new(consumer);
    let threads = super::worker_threads(config);
    let rules = Arc::clone(engine.get().hash());
    let pool = Pool::new(engine, threads, output::Limits::of(config)).map_err(StageError::Threads)?;
    let stage = Arc::new(Stage {
        producer,
        consumer: Arc::clone(&consumer),
        output_topic: config.output_topic.clone(),
        dead_letter_topic: config.dead_letter_topic.clone(),
        failed: CancellationToken::new(),
        error: std::sync::Mutex::new(None),
        counters: Arc::new(Counters::default()),
    });
    let records = Arc::new(Semaphore::new(config.max_in_flight_records));
    let bytes = Arc::new(Semaphore::new(config.max_in_flight_bytes));
    let max_bytes = config.max_in_flight_bytes;
    tracing::info!(
        input = %config.input_topic,
        output = %config.output_topic,
        group = %config.group_id,
        threads,
        rules = %&rules[..12],
        "at-least-once stage started"
    );

    let mut pace = ErrorPace::new();
    loop {
        let received = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            _ = stage.failed.cancelled() => break,
            m = consumer.recv() => m,
        };
        let msg = match received {
            Ok(msg) => msg,
            Err(e) => {
                metrics::consumer_error(&e);
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = pace.pause() => continue,
                }
            }
        };
        let job = Job::from_message(&msg);
        drop(msg);
        let size = job.size();
        metrics::received(size);
        // Wait for room; on shutdown the record is simply not stored, so it is redone.
        let permits = tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = stage.failed.cancelled() => break,
            p = acquire(&records, &bytes, size.clamp(1, max_bytes)) => p,
        };
        let (Ok(r), Ok(b)) = permits else { break };
        let counters = &stage.counters;
        counters.received.fetch_add(1, Ordering::Relaxed);
        let in_flight_records = counters.records.fetch_add(1, Ordering::Relaxed) + 1;
        let in_flight_bytes = counters.bytes.fetch_add(size, Ordering::Relaxed) + size;
        metrics::in_flight(in_flight_records, in_flight_bytes);
        let tp: Tp = (Arc::clone(&job.topic), job.partition);
        let offset = job.offset;
        // The pipeline keeps only where the record came from (for
        // dead-letter headers); the engine gets the bytes.
        let origin = job.origin();
        let result = pool.submit(job);
        let pending = Pending {
            offset,
            job: origin,
            result,
            permit: InFlight {
                _records: r,
                _bytes: b,
                bytes: size,
                counter: Arc::clone(&stage.counters),
            },
        };
        let tx = registry.sender(&tp, |rx, shared| {
            tokio::spawn(pipeline(rx, shared, Arc::clone(&stage)));
        });
        // A closed pipeline failed for good and cancelled the stage.
        let _ = tx.send(pending);
    }

    // Shutdown: no more reading; finish what is in flight, store, commit, flush.
    let deadline = Instant::now() + Duration::from_millis(config.shutdown_timeout_ms);
    let all = registry.all();
    let drained = blocking(|| registry.drain(&all, deadline));
    blocking(|| match consumer.commit_consumer_state(CommitMode::Sync) {
        Ok(()) | Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
        Err(e) => tracing::warn!(error = %e, "final commit failed; the uncommitted records will be redone"),
    });
    let flushed = blocking(|| {
        stage
            .producer
            .flush(Timeout::After(deadline.saturating_duration_since(Instant::now())))
    });
    drop(pool);
    let report = Report {
        received: stage.counters.received.load(Ordering::Relaxed),
        delivered: stage.counters.delivered.load(Ordering::Relaxed),
        aborted: 0,
        clean: drained && flushed.is_ok(),
    };
    // Leaving the group runs the revocation callback with nothing left to drain.
    blocking(move || {
        consumer.unsubscribe();
        drop(consumer);
    });
    let error = stage.error.lock().unwrap_or_else(|p| p.into_inner()).take();
    match error {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

async fn acquire(
    records: &Arc<Semaphore>,
    bytes: &Arc<Semaphore>,
    size: usize,
) -> (
    Result<OwnedSemaphorePermit, tokio::sync::AcquireError>,
    Result<OwnedSemaphorePermit, tokio::sync::AcquireError>,
) {
    let r = Arc::clone(records).acquire_owned().await;
    let n = u32::try_from(size).unwrap_or(u32::MAX);
    let b = Arc::clone(bytes).acquire_many_owned(n).await;
    (r, b)
}

/// One partition: produce in input order, then take acknowledgements in
/// that order and store offsets.
async fn pipeline(mut rx: mpsc::UnboundedReceiver<Pending>, shared: Shared, stage: Arc<Stage>) {
    let (ack_tx, ack_rx) = mpsc::unbounded_channel();
    let acker = tokio::spawn(acknowledge(ack_rx, shared.clone(), Arc::clone(&stage)));
    while let Some(p) = rx.recv().await {
        if stage.failed.is_cancelled() {
            break;
        }
        let Ok(produce) = p.result.await else {
            stage.fail(StageError::Workers);
            break;
        };
        let dead_letter = matches!(produce, Produce::DeadLetter { .. });
        match send(&stage, &p.job, &produce).await {
            Ok(delivery) => {
                let _ = ack_tx.send(Ack {
                    offset: p.offset,
                    timestamp_ms: p.job.timestamp_ms,
                    delivery,
                    dead_letter,
                    _permit: p.permit,
                });
            }
            Err(e) => {
                metrics::produce_failed(&e);
                stage.fail(StageError::Produce(e));
                break;
            }
        }
    }
    drop(ack_tx);
    let _ = acker.await;
    shared.finished.set();
}

struct Ack {
    offset: i64,
    /// The input record's Kafka timestamp, for the end-to-end latency.
    timestamp_ms: Option<i64>,
    delivery: DeliveryFuture,
    dead_letter: bool,
    _permit: InFlight,
}

async fn acknowledge(mut rx: mpsc::UnboundedReceiver<Ack>, shared: Shared, stage: Arc<Stage>) {
    let (topic, partition) = (&*shared.tp.0, shared.tp.1);
    while let Some(ack) = rx.recv().await {
        match ack.delivery.await {
            Ok(Ok(_)) => {
                metrics::delivered(ack.dead_letter);
                // At the broker's acknowledgement: the record is readable from here on.
                metrics::end_to_end([ack.timestamp_ms]);
                stage.counters.delivered.fetch_add(1, Ordering::Relaxed);
                if shared.revoked.load(Ordering::SeqCst) {
                    continue;
                }
                // Fails for a partition this instance no longer owns (since
                // librdkafka 1.9): its next owner redoes the record. Not fatal.
                // `rd_kafka_offset_store` stores `offset + 1` itself: pass
                // the offset of the record that is done, not the next one.
                if let Err(e) = stage.consumer.store_offset(topic, partition, ack.offset) {
                    tracing::debug!(error = %e, partition, "offset not stored");
                }
            }
            Ok(Err((e, _))) => {
                metrics::produce_failed(&e);
                stage.fail(StageError::Produce(e));
                break;
            }
            Err(_) => {
                stage.fail(StageError::Produce(KafkaError::Canceled));
                break;
            }
        }
    }
}

/// Produces one record; waits and retries while the producer's queue is full.
async fn send(stage: &Stage, job: &Job, produce: &Produce) -> Result<DeliveryFuture, KafkaError> {
    loop {
        let record = output::record(produce, job, &stage.output_topic, &stage.dead_letter_topic);
        match stage.producer.send_result(record) {
            Ok(delivery) => return Ok(delivery),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Err((e, _)) => return Err(e),
        }
    }
}

/// Exponential back-off for retrying a call (initialising transactions):
/// 100 ms doubling to 5 s. Not for consumer errors: see [`ErrorPace`].
#[derive(Default)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    pub fn delay(&mut self) -> Duration {
        let ms = 100u64.saturating_mul(1 << self.attempt.min(6)).min(5_000);
        self.attempt += 1;
        Duration::from_millis(ms)
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}
