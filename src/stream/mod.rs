//! The Kafka stage (`anoniem run`): consume collected posts, sanitise them
//! with the engine, produce the results, commit the input offsets, with
//! the delivery guarantee the config asks for.
//!
//! - [`clients`]: librdkafka settings per guarantee;
//! - [`output`]: what a record becomes on Kafka (pure);
//! - [`pool`]: the engine's worker threads;
//! - [`partitions`]: per-partition pipelines and rebalance handling;
//! - [`reload`]: the current engine, swapped on a rule reload;
//! - [`at_least_once`] and [`exactly_once`]: the two loops.

pub mod at_least_once;
pub mod clients;
pub mod exactly_once;
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
pub async fn run(
    config: &Config,
    engine: impl Into<EngineSlot>,
    shutdown: CancellationToken,
) -> Result<Report, StageError> {
    let engine = engine.into();
    match config.guarantee {
        Guarantee::AtLeastOnce => at_least_once::run(config, engine, shutdown).await,
        Guarantee::ExactlyOnce => exactly_once::run(config, engine, shutdown).await,
    }
}

fn worker_threads(config: &Config) -> usize {
    match config.worker_threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
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
