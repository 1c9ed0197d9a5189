//! The erasure list's compacted topic (`--erasure-topic`), read by the
//! sweeper in the format the stage follows (`crate::stream::lists`): the
//! key is one entry, `source:id`; a value means present, a tombstone
//! means removed. `anoniem lists put --list erased_authors` writes it.
//!
//! The sweeper reads the topic from the beginning up to its end offsets
//! before it sweeps anything, so its first check already knows every
//! erased author; it waits (retrying, the error in the log) while the topic
//! cannot be read. Afterwards it takes in new entries without waiting, on
//! its own thread, between polls of the output topic. A consumer that joins
//! no group and commits nothing: every instance holds the whole list.
//! Entries are personal data: only counts and positions are logged.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;

use crate::metrics;
use crate::rules::lists::Entries;
use crate::stream::lists::{ListContext, apply_record, end_offsets, new_partitions, to_read};

use super::{SweepError, SweepOptions, clients};

/// How long one metadata or offsets request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries of an unreadable topic at start: 1 s doubling to 10 s.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(10);
/// How often the topic is checked for new partitions.
const DISCOVER_EVERY: Duration = Duration::from_secs(30);
/// Records taken in per call of [`ErasureTopic::poll`], at most: the
/// output topic is polled again in between.
const POLL_BATCH: usize = 10_000;

/// The entries of the erasure list's topic, as read so far.
pub(super) struct ErasureTopic {
    consumer: BaseConsumer<ListContext>,
    topic: String,
    list: String,
    entries: Entries,
    /// The entries changed since [`ErasureTopic::take_changed`] last said so.
    changed: bool,
    known: HashSet<i32>,
    discovered: Instant,
}

impl ErasureTopic {
    /// Reads `topic` from the beginning up to the end offsets it has now.
    /// `Ok(None)`: `stop` was cancelled first.
    pub(super) fn open(
        opts: &SweepOptions,
        topic: &str,
        stop: &CancellationToken,
    ) -> Result<Option<ErasureTopic>, SweepError> {
        let mut config = clients::consumer(&opts.brokers, &format!("{}.lists", opts.group_id), &opts.kafka);
        // Assigned by hand, from the beginning; nothing committed.
        config
            .set("enable.auto.commit", "false")
            .set("auto.offset.reset", "earliest");
        if config.get("statistics.interval.ms").is_none() {
            // The list's lag, for the metrics (as the stage reports it).
            config.set("statistics.interval.ms", "5000");
        }
        let list = opts.erasure_list.clone();
        let consumer: BaseConsumer<ListContext> = config
            .create_with_context(ListContext::new(&list, topic))
            .map_err(SweepError::Client)?;
        let started = Instant::now();
        let mut retry = RETRY_FIRST;
        let ends = loop {
            if stop.is_cancelled() {
                return Ok(None);
            }
            match end_offsets(&consumer, topic) {
                Ok(ends) => break ends,
                Err(error) => {
                    metrics::list_topic_unreadable(&list, topic, &error);
                    if wait(stop, retry) {
                        return Ok(None);
                    }
                    retry = (retry * 2).min(RETRY_MAX);
                }
            }
        };
        let mut tpl = TopicPartitionList::new();
        for p in ends.keys() {
            tpl.add_partition_offset(topic, *p, Offset::Beginning)
                .map_err(SweepError::Client)?;
        }
        consumer.assign(&tpl).map_err(|source| SweepError::Subscribe {
            topic: topic.to_owned(),
            source,
        })?;
        let mut this = ErasureTopic {
            consumer,
            topic: topic.to_owned(),
            list,
            entries: Entries::default(),
            changed: false,
            known: ends.keys().copied().collect(),
            discovered: Instant::now(),
        };
        // Partitions still to be read up to their end offset of the start.
        let mut unread = to_read(ends);
        while !unread.is_empty() {
            if stop.is_cancelled() {
                return Ok(None);
            }
            match this.consumer.poll(Duration::from_millis(100)) {
                Some(Ok(m)) => {
                    this.changed |= apply(&mut this.entries, &this.list, &m);
                    if unread
                        .get(&m.partition())
                        .is_some_and(|high| m.offset() + 1 >= *high)
                    {
                        unread.remove(&m.partition());
                    }
                }
                Some(Err(KafkaError::PartitionEOF(p))) => {
                    unread.remove(&p);
                }
                Some(Err(e)) => {
                    metrics::list_topic_error(&this.list, &e);
                    if wait(stop, RETRY_FIRST) {
                        return Ok(None);
                    }
                }
                None => {}
            }
        }
        tracing::info!(
            list = %this.list,
            topic = %this.topic,
            entries = this.entries.len(),
            took_ms = started.elapsed().as_millis() as u64,
            "erasure list topic read"
        );
        this.changed = false;
        Ok(Some(this))
    }

    /// Takes in what the topic has beyond what was read, without waiting.
    pub(super) fn poll(&mut self) {
        for _ in 0..POLL_BATCH {
            match self.consumer.poll(Duration::ZERO) {
                Some(Ok(m)) => self.changed |= apply(&mut self.entries, &self.list, &m),
                // The end of a partition: nothing more for now.
                Some(Err(KafkaError::PartitionEOF(_))) => {}
                Some(Err(e)) => {
                    metrics::list_topic_error(&self.list, &e);
                    break;
                }
                None => break,
            }
        }
        if self.discovered.elapsed() >= DISCOVER_EVERY {
            self.discovered = Instant::now();
            self.discover_partitions();
        }
    }

    /// Whether the entries changed since the last call.
    pub(super) fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    pub(super) fn entries(&self) -> &Entries {
        &self.entries
    }

    /// Partitions added since the start are read from their beginning too.
    fn discover_partitions(&mut self) {
        let Ok(md) = self.consumer.fetch_metadata(Some(&self.topic), REQUEST_TIMEOUT) else {
            return;
        };
        let tpl = new_partitions(&md, &self.topic, &self.known);
        if tpl.count() == 0 {
            return;
        }
        match self.consumer.incremental_assign(&tpl) {
            Ok(()) => {
                self.known.extend(tpl.elements().iter().map(|e| e.partition()));
                tracing::info!(list = %self.list, topic = %self.topic, partitions = tpl.count(), "new erasure list topic partitions: reading them");
            }
            Err(e) => metrics::list_topic_error(&self.list, &e),
        }
    }
}

/// Applies one record of the topic to `entries`; true if they changed.
fn apply(entries: &mut Entries, list: &str, m: &impl Message) -> bool {
    let present = m.payload().is_some();
    apply_record(entries, list, m.partition(), m.offset(), m.key(), present).unwrap_or(false)
}

/// Sleeps for `d` in steps, so that a stop is seen at once; true if stopped.
fn wait(stop: &CancellationToken, d: Duration) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until {
        if stop.is_cancelled() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.is_cancelled()
}
