//! Exactly-once: Kafka transactions. Each transaction holds the outputs of
//! a batch of input records and the batch's input offsets; it commits or
//! aborts as a whole, so a reader with `isolation.level=read_committed`
//! sees every input record's output once.
//!
//! The loop: collect a batch (up to `transaction_max_records`, for at most
//! `transaction_max_ms`), sanitise it on the engine pool, then begin,
//! produce in input order, send the offsets with the consumer's current
//! group metadata, commit. No transaction is open while the consumer is
//! polled, so a rebalance never interrupts one; records read before a
//! rebalance are dropped (their partitions' owner, maybe this instance,
//! reads them again from the committed offset).
//!
//! On an abortable error: abort, seek back to the batch's first offsets, go
//! on. A fatal error (fenced producer, ...) stops the stage with an error.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::Offset;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, Producer};
use rdkafka::topic_partition_list::TopicPartitionList;
use rdkafka::types::RDKafkaErrorCode;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::metrics;

use super::at_least_once::Backoff;
use super::clients::{self, LogContext};
use super::output::{self, Job, Produce};
use super::partitions::{Registry, StageContext};
use super::pool::Pool;
use super::reload::EngineSlot;
use super::{ErrorPace, Report, StageError};

type Consumer_ = StreamConsumer<StageContext<()>>;

/// How long one transactional call may take before it is retried or aborted.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a retriable commit is tried before the transaction is aborted.
const COMMIT_ATTEMPTS: u32 = 5;
/// How often an abort is tried before the stage stops.
const ABORT_ATTEMPTS: u32 = 5;

/// The output topics, owned, for the blocking transaction thread.
struct Topics {
    output: String,
    dead_letter: String,
}

/// What the consumer read beyond a full batch: it opens the next one.
type Carry = Option<Job>;

pub async fn run(
    config: &Config,
    engine: EngineSlot,
    shutdown: CancellationToken,
) -> Result<Report, StageError> {
    let registry = Arc::new(Registry::<()>::default());
    let context = StageContext {
        registry: Arc::clone(&registry),
        drain_timeout: Duration::ZERO,
        drain_on_revoke: false,
    };
    let (consumer, producer) = clients::create(config, context)?;
    let (consumer, producer) = (Arc::new(consumer), Arc::new(producer));
    // Retried until the broker answers: it may not be up yet.
    let mut backoff = Backoff::default();
    loop {
        let p = Arc::clone(&producer);
        match off_runtime(move || p.init_transactions(CALL_TIMEOUT)).await? {
            Ok(()) => break,
            Err(e) if is_fatal(&e) => return Err(StageError::Transaction(e)),
            Err(e) => {
                tracing::warn!(error = %e, "cannot initialise transactions yet; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(Report::default()),
                    _ = tokio::time::sleep(backoff.delay()) => {}
                }
            }
        }
    }
    clients::subscribe(&consumer, config)?;
    let threads = super::worker_threads(config);
    let pool = Pool::new(engine, threads, output::Limits::of(config)).map_err(StageError::Threads)?;
    tracing::info!(
        input = %config.input_topic,
        output = %config.output_topic,
        transactional_id = %config.transactional_id(),
        threads,
        "exactly-once stage started"
    );
    let topics = Arc::new(Topics {
        output: config.output_topic.clone(),
        dead_letter: config.dead_letter_topic.clone(),
    });
    let mut report = Report {
        clean: true,
        ..Report::default()
    };
    // A batch is everything in flight: bounded by the transaction size and
    // by the in-flight limits.
    let bounds = Bounds {
        records: config.transaction_max_records.min(config.max_in_flight_records),
        bytes: config.max_in_flight_bytes,
        wait: Duration::from_millis(config.transaction_max_ms),
    };
    let mut carry: Carry = None;
    loop {
        if shutdown.is_cancelled() {
            break;
        }
        let generation = registry.generation();
        let batch = collect(&consumer, &bounds, &mut carry, &shutdown).await;
        if batch.is_empty() {
            continue;
        }
        if registry.generation() != generation {
            // A rebalance while collecting: the partitions may have moved.
            // Drop the batch and read it again from its start where this
            // instance still owns the partition (elsewhere the new owner
            // starts from the committed offset, which is that same start).
            tracing::info!(
                records = batch.len(),
                "rebalance during a batch: reading it again"
            );
            rewind_off_runtime(&consumer, positions(&batch, carry.take())).await?;
            continue;
        }
        report.received += batch.len() as u64;
        let bytes: usize = batch.iter().map(Job::size).sum();
        metrics::in_flight(batch.len(), bytes);
        // The engine gets the bytes; the transaction needs only the positions.
        let origins: Vec<Job> = batch.iter().map(Job::origin).collect();
        let results: Vec<_> = batch.into_iter().map(|job| pool.submit(job)).collect();
        let batch = Arc::new(origins);
        let mut produced = Vec::with_capacity(batch.len());
        for r in results {
            produced.push(r.await.map_err(|_| StageError::Workers)?);
        }
        let outcome = {
            let (p, c, t, b) = (
                Arc::clone(&producer),
                Arc::clone(&consumer),
                Arc::clone(&topics),
                Arc::clone(&batch),
            );
            off_runtime(move || transact(&p, &c, &t, &b, &produced)).await?
        };
        metrics::in_flight(0, 0);
        match outcome {
            Ok(()) => {
                report.delivered += batch.len() as u64;
                metrics::transaction(true, batch.len());
                // At the commit, not at each record's acknowledgement: only
                // now can a read_committed reader see the batch's records.
                metrics::end_to_end(batch.iter().map(|job| job.timestamp_ms));
            }
            Err(e) => {
                metrics::transaction(false, batch.len());
                match classify(&e) {
                    Failure::Fatal => return Err(StageError::Transaction(e)),
                    Failure::Abort => {
                        tracing::warn!(error = %e, "transaction failed; aborting and reading the batch again");
                    }
                }
                report.aborted += 1;
                let p = Arc::clone(&producer);
                off_runtime(move || abort(&p)).await??;
                rewind_off_runtime(&consumer, positions(&batch, carry.take())).await?;
            }
        }
    }
    drop(pool);
    off_runtime(move || {
        consumer.unsubscribe();
        drop(consumer);
    })
    .await?;
    Ok(report)
}

/// Runs a blocking librdkafka call (transactions, seeks, the sleeps between
/// their retries) on tokio's blocking threads, never on an async worker.
async fn off_runtime<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> Result<R, StageError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| StageError::Workers)
}

/// What to do after a failed transaction.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// Fenced, or librdkafka says the producer is unusable: stop.
    Fatal,
    /// Abort the transaction and read the batch again.
    Abort,
}

fn classify(e: &KafkaError) -> Failure {
    match e {
        KafkaError::Transaction(t) if t.is_fatal() => Failure::Fatal,
        // Checked explicitly: the transaction is in the abortable state and
        // only an abort brings the producer back.
        KafkaError::Transaction(t) if t.txn_requires_abort() => Failure::Abort,
        _ if is_fatal(e) => Failure::Fatal,
        // Anything else (a failed send or flush, a retriable commit that
        // kept failing, a begin that failed): the transaction did not
        // commit; abort it to be sure and read the batch again.
        _ => Failure::Abort,
    }
}

/// Aborts the open transaction, retrying a retriable failure a few times.
/// An abort that keeps failing stops the stage: going on with a
/// transaction in an unknown state could commit what was meant to abort.
fn abort(producer: &FutureProducer<LogContext>) -> Result<(), StageError> {
    let mut attempt = 1;
    loop {
        match producer.abort_transaction(CALL_TIMEOUT) {
            Ok(()) => return Ok(()),
            // No transaction open (the failure came before `begin`).
            Err(KafkaError::Transaction(e)) if e.code() == RDKafkaErrorCode::State => return Ok(()),
            Err(e) if is_fatal(&e) || attempt >= ABORT_ATTEMPTS => return Err(StageError::Transaction(e)),
            Err(e) => {
                tracing::warn!(error = %e, attempt, "abort failed; retrying");
                attempt += 1;
                std::thread::sleep(Duration::from_millis(200 * u64::from(attempt)));
            }
        }
    }
}

/// How large a batch may grow.
struct Bounds {
    records: usize,
    bytes: usize,
    wait: Duration,
}

/// Reads up to `bounds.records` records and `bounds.bytes` bytes (a single
/// record larger than that alone), for at most `bounds.wait` after the
/// first. A record that would pass the byte bound is kept in `carry` and
/// opens the next batch.
async fn collect(
    consumer: &Consumer_,
    bounds: &Bounds,
    carry: &mut Carry,
    shutdown: &CancellationToken,
) -> Vec<Job> {
    let mut batch = Vec::new();
    let mut bytes = 0usize;
    let mut deadline = None;
    if let Some(job) = carry.take() {
        bytes += job.size();
        batch.push(job);
        deadline = Some(tokio::time::Instant::now() + bounds.wait);
    }
    let mut pace = ErrorPace::new();
    while batch.len() < bounds.records.max(1) {
        let wait = match deadline {
            Some(d) => tokio::time::sleep_until(d),
            // Before the first record, wake now and then to notice shutdown.
            None => tokio::time::sleep(Duration::from_millis(500)),
        };
        let received = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            _ = wait => break,
            m = consumer.recv() => m,
        };
        match received {
            Ok(msg) => {
                let job = Job::from_message(&msg);
                drop(msg);
                let size = job.size();
                metrics::received(size);
                if !batch.is_empty() && bytes.saturating_add(size) > bounds.bytes {
                    *carry = Some(job);
                    break;
                }
                bytes += size;
                batch.push(job);
                deadline.get_or_insert_with(|| tokio::time::Instant::now() + bounds.wait);
            }
            Err(e) => {
                metrics::consumer_error(&e);
                pace.pause().await;
            }
        }
    }
    batch
}

/// One transaction: begin, produce the batch in order, send its offsets, commit.
fn transact(
    producer: &FutureProducer<LogContext>,
    consumer: &Consumer_,
    topics: &Topics,
    batch: &[Job],
    produced: &[Produce],
) -> Result<(), KafkaError> {
    producer.begin_transaction()?;
    for (job, produce) in batch.iter().zip(produced) {
        send_blocking(producer, topics, job, produce)?;
    }
    let mut next: BTreeMap<(&str, i32), i64> = BTreeMap::new();
    for job in batch {
        let e = next.entry((&*job.topic, job.partition)).or_insert(0);
        *e = (*e).max(job.offset + 1);
    }
    let mut offsets = TopicPartitionList::new();
    for ((topic, partition), offset) in next {
        offsets.add_partition_offset(topic, partition, Offset::Offset(offset))?;
    }
    // Fetched anew for every transaction: it changes with each rebalance (KIP-447).
    let metadata = consumer
        .group_metadata()
        .ok_or(KafkaError::Global(RDKafkaErrorCode::State))?;
    // Write the records before the offsets: an error surfaces before the
    // offsets are part of the transaction.
    producer.flush(CALL_TIMEOUT)?;
    producer.send_offsets_to_transaction(&offsets, &metadata, CALL_TIMEOUT)?;
    // Flushes the batch; fails if any record of it failed. A retriable
    // failure (a timeout) is retried a bounded number of times, then the
    // caller aborts.
    let mut attempt = 1;
    loop {
        match producer.commit_transaction(CALL_TIMEOUT) {
            Err(KafkaError::Transaction(e))
                if e.is_retriable() && !e.txn_requires_abort() && attempt < COMMIT_ATTEMPTS =>
            {
                tracing::warn!(error = %e, attempt, "commit failed; retrying");
                attempt += 1;
                std::thread::sleep(Duration::from_millis(100 * u64::from(attempt)));
            }
            other => return other,
        }
    }
}

fn send_blocking(
    producer: &FutureProducer<LogContext>,
    topics: &Topics,
    job: &Job,
    produce: &Produce,
) -> Result<(), KafkaError> {
    loop {
        let record = output::record(produce, job, &topics.output, &topics.dead_letter);
        match producer.send_result(record) {
            // The delivery result is checked by commit_transaction.
            Ok(_) => return Ok(()),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err((e, _)) => return Err(e),
        }
    }
}

/// The first offset per partition of a batch (and of the record carried
/// over to the next one): where to read it again from.
fn positions(batch: &[Job], carry: Carry) -> Vec<(Arc<str>, i32, i64)> {
    let mut first: BTreeMap<(Arc<str>, i32), i64> = BTreeMap::new();
    for job in batch.iter().chain(carry.as_ref()) {
        let e = first
            .entry((Arc::clone(&job.topic), job.partition))
            .or_insert(job.offset);
        *e = (*e).min(job.offset);
    }
    first.into_iter().map(|((t, p), o)| (t, p, o)).collect()
}

async fn rewind_off_runtime(
    consumer: &Arc<Consumer_>,
    first: Vec<(Arc<str>, i32, i64)>,
) -> Result<(), StageError> {
    let c = Arc::clone(consumer);
    off_runtime(move || rewind(&c, &first)).await?
}

/// Reads a batch again: seeks each of its partitions that this instance
/// still owns back to the batch's first offset there. A batch starts where
/// the last committed transaction ended, so this is the committed offset.
/// A seek that keeps failing stops the stage: reading on past the batch
/// would commit past records that were never written.
fn rewind(consumer: &Consumer_, first: &[(Arc<str>, i32, i64)]) -> Result<(), StageError> {
    let owned = consumer.assignment().map_err(StageError::Rewind)?;
    for (topic, partition, offset) in first {
        let (topic, partition, offset) = (&**topic, *partition, *offset);
        if owned.find_partition(topic, partition).is_none() {
            continue;
        }
        let mut attempt = 0;
        loop {
            match consumer.seek(topic, partition, Offset::Offset(offset), Duration::from_secs(10)) {
                Ok(()) => break,
                Err(e) if attempt < 5 => {
                    attempt += 1;
                    tracing::warn!(error = %e, partition, "seek back failed; retrying");
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(StageError::Rewind(e)),
            }
        }
    }
    Ok(())
}

fn is_fatal(e: &KafkaError) -> bool {
    match e {
        KafkaError::Transaction(t) => t.is_fatal(),
        _ => matches!(e.rdkafka_error_code(), Some(RDKafkaErrorCode::Fenced)),
    }
}

impl Default for Report {
    fn default() -> Self {
        Report {
            received: 0,
            delivered: 0,
            aborted: 0,
            clean: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(partition: i32, offset: i64) -> Job {
        Job {
            topic: Arc::from("in"),
            partition,
            offset,
            timestamp_ms: None,
            key: None,
            payload: Some(vec![b'x'; 10]),
        }
    }

    #[test]
    fn a_batch_is_read_again_from_its_first_offset_per_partition() {
        let batch = [job(0, 5), job(1, 9), job(0, 6), job(1, 10)];
        assert_eq!(
            positions(&batch, Some(job(2, 3))),
            vec![
                (Arc::from("in"), 0, 5),
                (Arc::from("in"), 1, 9),
                (Arc::from("in"), 2, 3)
            ]
        );
        // The carried record of a partition in the batch changes nothing.
        assert_eq!(
            positions(&batch[..1], Some(job(0, 6))),
            vec![(Arc::from("in"), 0, 5)]
        );
    }

    #[test]
    fn non_transaction_errors_abort_unless_fenced() {
        assert_eq!(
            classify(&KafkaError::Flush(RDKafkaErrorCode::MessageTimedOut)),
            Failure::Abort
        );
        assert_eq!(classify(&KafkaError::Canceled), Failure::Abort);
        assert_eq!(
            classify(&KafkaError::MessageProduction(RDKafkaErrorCode::Fenced)),
            Failure::Fatal
        );
    }

    #[test]
    fn only_what_librdkafka_calls_fatal_stops_the_stage() {
        assert!(!is_fatal(&KafkaError::Canceled));
        assert!(!is_fatal(&KafkaError::Global(RDKafkaErrorCode::State)));
        assert!(is_fatal(&KafkaError::MessageProduction(RDKafkaErrorCode::Fenced)));
    }
}
