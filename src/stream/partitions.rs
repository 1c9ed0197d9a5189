//! The partitions this instance works on, and what happens to their
//! in-flight records when a rebalance takes them away.
//!
//! Each assigned partition that has records in flight has a pipeline (two
//! tasks, see `at_least_once`) fed through a channel in input order. On
//! revocation the channel is closed, and the consumer's rebalance callback
//! waits, up to a deadline, for the pipeline to finish: every record
//! produced, acknowledged and its offset stored, then commits. What is not
//! finished by the deadline is abandoned: nothing more is stored for that
//! partition, and its next owner redoes those records from the committed
//! offset (duplicates, never loss).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::sync::mpsc;

use crate::metrics;

/// A topic and partition.
pub type Tp = (Arc<str>, i32);

/// Set once by a pipeline when it has nothing more in flight.
#[derive(Default)]
pub struct Finished {
    done: Mutex<bool>,
    cv: Condvar,
}

impl Finished {
    pub fn set(&self) {
        *lock(&self.done) = true;
        self.cv.notify_all();
    }

    /// Waits until set or the deadline; true if set.
    pub fn wait_until(&self, deadline: Instant) -> bool {
        let mut done = lock(&self.done);
        while !*done {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            done = match self.cv.wait_timeout(done, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        true
    }
}

/// A poisoned lock only means another thread panicked while holding it;
/// the data (flags, a map of senders) is still consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What a partition pipeline shares with the registry.
#[derive(Clone)]
pub struct Shared {
    pub tp: Tp,
    pub finished: Arc<Finished>,
    /// Set when the partition was revoked and its drain deadline passed:
    /// the pipeline must store no more offsets.
    pub revoked: Arc<AtomicBool>,
}

struct Handle<T> {
    tx: mpsc::UnboundedSender<T>,
    shared: Shared,
}

/// The pipelines of the assigned partitions, by partition.
pub struct Registry<T> {
    partitions: Mutex<HashMap<Tp, Handle<T>>>,
    generation: AtomicU64,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            partitions: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }
}

impl<T> Registry<T> {
    /// The sender of a partition's pipeline; `start` starts the pipeline
    /// when the partition has none yet.
    pub fn sender(
        &self,
        tp: &Tp,
        start: impl FnOnce(mpsc::UnboundedReceiver<T>, Shared),
    ) -> mpsc::UnboundedSender<T> {
        let mut map = lock(&self.partitions);
        if let Some(h) = map.get(tp) {
            return h.tx.clone();
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Shared {
            tp: tp.clone(),
            finished: Arc::new(Finished::default()),
            revoked: Arc::new(AtomicBool::new(false)),
        };
        start(rx, shared.clone());
        map.insert(
            tp.clone(),
            Handle {
                tx: tx.clone(),
                shared,
            },
        );
        tx
    }

    /// Closes the pipelines of `tps` and waits for them until `deadline`;
    /// true if all finished. Unfinished ones store nothing from now on.
    pub fn drain(&self, tps: &[Tp], deadline: Instant) -> bool {
        let handles: Vec<Shared> = {
            let mut map = lock(&self.partitions);
            // Dropping the handle closes the channel: the pipeline ends after
            // the records already in it.
            tps.iter()
                .filter_map(|tp| map.remove(tp))
                .map(|h| h.shared)
                .collect()
        };
        let mut all = true;
        for shared in handles {
            if !shared.finished.wait_until(deadline) {
                shared.revoked.store(true, Ordering::SeqCst);
                all = false;
            }
        }
        all
    }

    /// Every partition with a pipeline.
    pub fn all(&self) -> Vec<Tp> {
        lock(&self.partitions).keys().cloned().collect()
    }

    /// Bumped by every rebalance: records read in an older generation may
    /// belong to partitions this instance no longer owns.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

/// The consumer's context: rebalance handling and librdkafka logs.
pub struct StageContext<T> {
    pub registry: Arc<Registry<T>>,
    pub drain_timeout: Duration,
    /// At-least-once drains and commits on revocation; exactly-once has no
    /// open transaction while polling (see `exactly_once`), so it only
    /// notes the new generation.
    pub drain_on_revoke: bool,
}

impl<T: Send + 'static> ClientContext for StageContext<T> {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        super::clients::log_rdkafka(level, fac, message);
    }

    fn stats(&self, statistics: rdkafka::Statistics) {
        for topic in statistics.topics.values() {
            for p in topic.partitions.values() {
                // -1: not known yet (or not ours); partition -1 is librdkafka's internal one.
                if p.partition >= 0 && p.consumer_lag >= 0 {
                    metrics::consumer_lag(&topic.topic, p.partition, p.consumer_lag);
                }
            }
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if error.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::AllBrokersDown) {
            metrics::brokers_down();
        }
        metrics::consumer_error(&format_args!("{error}: {reason}"));
    }
}

impl<T: Send + 'static> ConsumerContext for StageContext<T> {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        self.registry.bump();
        match rebalance {
            Rebalance::Revoke(tpl) => {
                let tps = tps_of(tpl);
                if self.drain_on_revoke {
                    let deadline = Instant::now() + self.drain_timeout;
                    // Called from within the consumer's poll, on an async
                    // worker: let the pipelines run elsewhere meanwhile.
                    let finished = super::blocking(|| self.registry.drain(&tps, deadline));
                    metrics::revoked(tps.len(), !finished);
                    // Commit what the finished pipelines stored, before the
                    // partitions go to their next owner.
                    match consumer.commit_consumer_state(CommitMode::Sync) {
                        Ok(())
                        | Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => {}
                        Err(e) => tracing::warn!(error = %e, "commit on revocation failed"),
                    }
                } else {
                    metrics::revoked(tps.len(), false);
                }
            }
            Rebalance::Assign(tpl) => metrics::assigned(tpl.count()),
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, _rebalance: &Rebalance<'_>) {
        self.registry.bump();
    }
}

pub fn tps_of(tpl: &TopicPartitionList) -> Vec<Tp> {
    tpl.elements()
        .iter()
        .map(|e| (Arc::from(e.topic()), e.partition()))
        .collect()
}
