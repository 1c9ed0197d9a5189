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
use super::{ErrorPace, Report, StageError, blocking};

type Consumer_ = StreamConsumer<StageContext<()>>;

/// How long one transactional call may take before it is retried or aborted.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

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
    // Retried until the broker answers: it may not be up yet.
    let mut backoff = Backoff::default();
    loop {
        match blocking(|| producer.init_transactions(CALL_TIMEOUT)) {
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
    let mut report = Report {
        clean: true,
        ..Report::default()
    };
    let max_wait = Duration::from_millis(config.transaction_max_ms);
    loop {
        if shutdown.is_cancelled() {
            break;
        }
        let generation = registry.generation();
        let batch = collect(&consumer, config.transaction_max_records, max_wait, &shutdown).await;
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
            rewind(&consumer, &batch)?;
            continue;
        }
        report.received += batch.len() as u64;
        // The engine gets the bytes; the transaction needs only the positions.
        let origins: Vec<Job> = batch.iter().map(Job::origin).collect();
        let results: Vec<_> = batch.into_iter().map(|job| pool.submit(job)).collect();
        let batch = origins;
        let mut produced = Vec::with_capacity(batch.len());
        for r in results {
            produced.push(r.await.map_err(|_| StageError::Workers)?);
        }
        let outcome = blocking(|| transact(&producer, &consumer, config, &batch, &produced));
        match outcome {
            Ok(()) => {
                report.delivered += batch.len() as u64;
                metrics::transaction(true, batch.len());
            }
            Err(e) if is_fatal(&e) => {
                metrics::transaction(false, batch.len());
                return Err(StageError::Transaction(e));
            }
            Err(e) => {
                tracing::warn!(error = %e, "transaction failed; aborting");
                metrics::transaction(false, batch.len());
                report.aborted += 1;
                if let Err(e) = blocking(|| producer.abort_transaction(CALL_TIMEOUT)) {
                    if is_fatal(&e) {
                        return Err(StageError::Transaction(e));
                    }
                    tracing::warn!(error = %e, "abort failed");
                }
                rewind(&consumer, &batch)?;
            }
        }
    }
    drop(pool);
    blocking(move || {
        consumer.unsubscribe();
        drop(consumer);
    });
    Ok(report)
}

/// Reads up to `max` records, for at most `max_wait` after the first.
async fn collect(
    consumer: &Consumer_,
    max: usize,
    max_wait: Duration,
    shutdown: &CancellationToken,
) -> Vec<Job> {
    let mut batch = Vec::new();
    let mut deadline = None;
    let mut pace = ErrorPace::new();
    while batch.len() < max {
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
                metrics::received(job.size());
                batch.push(job);
                deadline.get_or_insert_with(|| tokio::time::Instant::now() + max_wait);
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
    config: &Config,
    batch: &[Job],
    produced: &[Produce],
) -> Result<(), KafkaError> {
    producer.begin_transaction()?;
    for (job, produce) in batch.iter().zip(produced) {
        send_blocking(producer, config, job, produce)?;
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
    // Flushes the batch; fails if any record of it failed.
    loop {
        match producer.commit_transaction(CALL_TIMEOUT) {
            Err(KafkaError::Transaction(e)) if e.is_retriable() => continue,
            other => return other,
        }
    }
}

fn send_blocking(
    producer: &FutureProducer<LogContext>,
    config: &Config,
    job: &Job,
    produce: &Produce,
) -> Result<(), KafkaError> {
    loop {
        let record = output::record(produce, job, &config.output_topic, &config.dead_letter_topic);
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

/// Reads a batch again: seeks each of its partitions that this instance
/// still owns back to the batch's first offset there. A batch starts where
/// the last committed transaction ended, so this is the committed offset.
/// A seek that keeps failing stops the stage: reading on past the batch
/// would commit past records that were never written.
fn rewind(consumer: &Consumer_, batch: &[Job]) -> Result<(), StageError> {
    let mut first: BTreeMap<(&str, i32), i64> = BTreeMap::new();
    for job in batch {
        first.entry((&*job.topic, job.partition)).or_insert(job.offset);
    }
    let owned = consumer.assignment().map_err(StageError::Rewind)?;
    for ((topic, partition), offset) in first {
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

    #[test]
    fn only_what_librdkafka_calls_fatal_stops_the_stage() {
        assert!(!is_fatal(&KafkaError::Canceled));
        assert!(!is_fatal(&KafkaError::Global(RDKafkaErrorCode::State)));
        assert!(is_fatal(&KafkaError::MessageProduction(RDKafkaErrorCode::Fenced)));
    }
}
