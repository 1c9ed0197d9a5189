//! The Kafka stage (`anoniem run`): consume collected posts, sanitise them
//! with the engine, produce the results, commit the input offsets, with
//! the delivery guarantee the config asks for.
//!
//! - [`clients`]: librdkafka settings per guarantee;
//! - [`output`]: what a record becomes on Kafka (pure);
//! - [`pool`]: the engine's worker threads;
//! - [`partitions`]: per-partition pipelines and rebalance handling;
//! - [`reload`]: the current engine, swapped on a rule reload;
//! - [`lists`]: lists fed from compacted topics, read before any input;
//! - [`at_least_once`] and [`exactly_once`]: the two loops.

pub mod at_least_once;
pub mod clients;
pub mod exactly_once;
pub mod lists;
pub mod output;
pub mod partitions;
pub mod pool;
pub mod reload;

use rdkafka::error::KafkaError;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, Guarantee};

pub use reload::EngineSlot;

/// The stage stopped for a reason other than a shutdown request.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("cannot create the Kafka client")]
    Client(#[source] KafkaError),
    #[error("cannot subscribe to topic {topic}")]
    Subscribe {
        topic: String,
        #[source]
        source: KafkaError,
    },
    #[error("a record could not be produced (nothing past it was committed)")]
    Produce(#[source] KafkaError),
    #[error("a transaction failed fatally")]
    Transaction(#[source] KafkaError),
    #[error("cannot seek back to read a batch again")]
    Rewind(#[source] KafkaError),
    #[error("the engine threads stopped")]
    Workers,
    #[error("cannot start the engine threads")]
    Threads(#[source] std::io::Error),
    #[error("cannot follow the list topics")]
    Lists(#[from] lists::ListTopicError),
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Input records read.
    pub received: u64,
    /// Input records whose output the broker acknowledged (or committed).
    pub delivered: u64,
    /// Transactions aborted (exactly-once); their records were read again.
    pub aborted: u64,
    /// Everything in flight was finished, committed and flushed in time.
    pub clean: bool,
}

/// Runs the stage until `shutdown` is cancelled or it fails. `engine` is an
/// `Arc<Engine>`, or an [`EngineSlot`] to reload rules while it runs.
///
/// The list topics (if any) are read up to their end offsets first: until
/// then the stage does not join its group and reads no input.
pub async fn run(
    config: &Config,
    engine: impl Into<EngineSlot>,
    shutdown: CancellationToken,
) -> Result<Report, StageError> {
    let engine = engine.into();
    let following = match lists::start(config, &engine, &shutdown).await? {
        lists::Started::Read(following) => following,
        lists::Started::Stopped => {
            return Ok(Report {
                clean: true,
                ..Report::default()
            });
        }
    };
    let result = match config.guarantee {
        Guarantee::AtLeastOnce => at_least_once::run(config, engine, shutdown).await,
        Guarantee::ExactlyOnce => exactly_once::run(config, engine, shutdown).await,
    };
    following.stop().await;
    result
}

fn worker_threads(config: &Config) -> usize {
    match config.worker_threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Paces the consumer loop on consumer errors without falling behind.
///
/// librdkafka queues an error event for every failed connection attempt,
/// so a broker outage leaves a backlog of them in the consumer queue. A
/// back-off per error (as this stage had: doubling to 5 s, reset only by a
/// record) then takes that backlog one error per 5 s after the broker is
/// back, and the new assignment and the records wait behind it for
/// minutes. A token bucket instead lets a burst of errors through at once
/// and slows the loop only while errors keep coming faster than
/// `ERRORS_PER_S`: a queued backlog drains in one go, a storm of fresh
/// errors cannot spin the loop.
#[derive(Debug)]
pub struct ErrorPace {
    tokens: f64,
    last: std::time::Instant,
}

impl ErrorPace {
    /// Errors taken at once before the loop slows down.
    pub const BURST: f64 = 200.0;
    /// Errors per second taken once the burst is used up.
    pub const ERRORS_PER_S: f64 = 20.0;

    pub fn new() -> ErrorPace {
        ErrorPace {
            tokens: Self::BURST,
            last: std::time::Instant::now(),
        }
    }

    /// How long to pause after an error at `now` (zero within the burst).
    pub fn pause_at(&mut self, now: std::time::Instant) -> std::time::Duration {
        let refill = now.saturating_duration_since(self.last).as_secs_f64() * Self::ERRORS_PER_S;
        self.last = now;
        self.tokens = (self.tokens + refill).min(Self::BURST);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            std::time::Duration::ZERO
        } else {
            std::time::Duration::from_secs_f64(1.0 / Self::ERRORS_PER_S)
        }
    }

    /// Pauses after an error, if the errors come too fast.
    pub async fn pause(&mut self) {
        let d = self.pause_at(std::time::Instant::now());
        if !d.is_zero() {
            tokio::time::sleep(d).await;
        }
    }
}

impl Default for ErrorPace {
    fn default() -> Self {
        ErrorPace::new()
    }
}

/// Runs blocking librdkafka calls (flush, commit, transactions, waiting
/// for a drain) without stalling the async workers: on the multi-thread
/// runtime the worker hands its other tasks to another thread first.
pub fn blocking<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_backlog_of_errors_drains_at_once() {
        let mut pace = ErrorPace::new();
        let t = Instant::now();
        // What an outage of a minute queues: far below the burst.
        for _ in 0..100 {
            assert_eq!(pace.pause_at(t), Duration::ZERO);
        }
    }

    #[test]
    fn an_error_storm_is_slowed_and_the_bucket_refills() {
        let mut pace = ErrorPace::new();
        let t = Instant::now();
        for _ in 0..ErrorPace::BURST as usize {
            pace.pause_at(t);
        }
        assert!(pace.pause_at(t) > Duration::ZERO);
        // A quiet minute later the whole burst is there again.
        let later = t + Duration::from_secs(60);
        for _ in 0..ErrorPace::BURST as usize {
            assert_eq!(pace.pause_at(later), Duration::ZERO);
        }
    }
}
