//! librdkafka client settings for each guarantee. The settings the
//! guarantee depends on are set here and cannot be overridden from the
//! config's passthrough table (`config::validate` refuses them).

use rdkafka::ClientConfig;
use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{Consumer, ConsumerContext, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::producer::FutureProducer;

use crate::config::{Config, Guarantee};

use super::StageError;

/// Consumer settings.
pub fn consumer(config: &Config) -> ClientConfig {
    let mut c = ClientConfig::new();
    for (k, v) in config.librdkafka.common.iter().chain(&config.librdkafka.consumer) {
        c.set(k, v.to_string());
    }
    c.set("bootstrap.servers", &config.brokers)
        .set("group.id", &config.group_id)
        // Offsets are stored by hand, only once the outputs are acknowledged.
        .set("enable.auto.offset.store", "false")
        // Inputs produced in transactions: never read aborted records.
        .set("isolation.level", "read_committed")
        .set("enable.partition.eof", "false");
    if c.get("auto.offset.reset").is_none() {
        c.set("auto.offset.reset", "earliest");
    }
    if c.get("statistics.interval.ms").is_none() {
        // The consumer lag per partition, for the metrics.
        c.set("statistics.interval.ms", "5000");
    }
    if c.get("auto.commit.interval.ms").is_none() {
        // Commit stored offsets often: fewer records redone after a crash,
        // or after a rebalance whose commit the coordinator refused.
        c.set("auto.commit.interval.ms", "1000");
    }
    match config.guarantee {
        // Auto-commit commits only what was stored: delivered records.
        Guarantee::AtLeastOnce => c.set("enable.auto.commit", "true"),
        // Offsets go through the transaction.
        Guarantee::ExactlyOnce => c.set("enable.auto.commit", "false"),
    };
    c
}

/// Producer settings.
pub fn producer(config: &Config) -> ClientConfig {
    let mut c = ClientConfig::new();
    for (k, v) in config.librdkafka.common.iter().chain(&config.librdkafka.producer) {
        c.set(k, v.to_string());
    }
    c.set("bootstrap.servers", &config.brokers)
        // Idempotence keeps per-partition order and drops retry duplicates.
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("linger.ms", config.linger_ms.to_string())
        .set("batch.size", config.batch_size.to_string())
        .set("compression.type", &config.compression)
        // The same bound the records are fitted to (see `output::fit`).
        .set("message.max.bytes", config.max_message_bytes.to_string());
    if c.get("partitioner").is_none() {
        // The Java client's partitioner, so other clients agree on key placement.
        c.set("partitioner", "murmur2_random");
    }
    match config.guarantee {
        Guarantee::AtLeastOnce => {
            if c.get("message.timeout.ms").is_none() {
                // Never give up on a record while the broker is away: the
                // in-flight limit holds the stage back instead.
                c.set("message.timeout.ms", "0");
            }
        }
        Guarantee::ExactlyOnce => {
            c.set("transactional.id", config.transactional_id())
                .set(
                    "transaction.timeout.ms",
                    config.transaction_timeout_ms.to_string(),
                )
                // Must stay below the transaction timeout.
                .set(
                    "message.timeout.ms",
                    (config.transaction_timeout_ms * 9 / 10).to_string(),
                );
        }
    }
    c
}

/// The stage's consumer (with its rebalance context), subscribed to the
/// input topic, and its producer.
pub fn create<C: ConsumerContext + 'static>(
    config: &Config,
    context: C,
) -> Result<(StreamConsumer<C>, FutureProducer<LogContext>), StageError> {
    let consumer: StreamConsumer<C> = consumer(config)
        .create_with_context(context)
        .map_err(StageError::Client)?;
    let producer: FutureProducer<LogContext> = producer(config)
        .create_with_context(LogContext)
        .map_err(StageError::Client)?;
    Ok((consumer, producer))
}

/// Joins the group on the input topic.
pub fn subscribe<C: ConsumerContext + 'static>(
    consumer: &StreamConsumer<C>,
    config: &Config,
) -> Result<(), StageError> {
    consumer
        .subscribe(&[&config.input_topic])
        .map_err(|source| StageError::Subscribe {
            topic: config.input_topic.clone(),
            source,
        })
}

/// The producer's context: routes librdkafka's own logs to `tracing`, and
/// its errors to the producer's error count.
#[derive(Clone, Default)]
pub struct LogContext;

impl ClientContext for LogContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        log_rdkafka(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        crate::metrics::producer_error(&format_args!("{error}: {reason}"));
    }
}

pub fn log_rdkafka(level: RDKafkaLogLevel, fac: &str, message: &str) {
    match level {
        RDKafkaLogLevel::Emerg
        | RDKafkaLogLevel::Alert
        | RDKafkaLogLevel::Critical
        | RDKafkaLogLevel::Error => {
            tracing::error!(target: "librdkafka", fac, "{message}")
        }
        RDKafkaLogLevel::Warning => tracing::warn!(target: "librdkafka", fac, "{message}"),
        RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
            tracing::info!(target: "librdkafka", fac, "{message}")
        }
        RDKafkaLogLevel::Debug => tracing::debug!(target: "librdkafka", fac, "{message}"),
    }
}
