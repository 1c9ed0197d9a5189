//! Lists fed from compacted topics (`list_topics` in the config): the
//! privacy officer's erasure list, say, changed with `anoniem lists put`
//! and applied by every instance within seconds, without a rule reload.
//!
//! Topic format: the key is one entry in list-file syntax, `source:id`
//! (UTF-8); a non-null value means the entry is present, a null value (a
//! tombstone) means it was removed. A record with a malformed key is
//! skipped and counted, and logged by position only.
//!
//! Each list topic has its own consumer that joins no group and commits
//! nothing: it is assigned every partition at the beginning, so every
//! instance holds the whole list. At start the stage reads each topic up to
//! the end offsets it fetched first, and only then joins its group and
//! reads input (until then `/readyz` says `lists not read`); a topic that
//! is missing or unreachable keeps it there, with an error in the log
//! (fail closed). Afterwards the consumer follows the topic and publishes
//! a new snapshot of the entries at most every [`PUBLISH_EVERY`] (less
//! often for a list so large that copying it takes a while).
//!
//! The snapshot is the topic part of the rule set's list ([`Live`]); the
//! slot attaches the same overlay to every reloaded rule set.

use std::collections::{BTreeMap, HashMap, HashSet};

use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::Offset;
use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{Consumer, ConsumerContext, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::metadata::Metadata;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::metrics;
use crate::rules::RuleSet;
use crate::rules::lists::{Entries, Live, parse_entry};

use super::reload::EngineSlot;
use super::{ErrorPace, blocking};

/// How often, at most, a followed list publishes a new snapshot: a change
/// applies within this (plus the fetch latency) on every instance.
pub const PUBLISH_EVERY: Duration = Duration::from_millis(100);
/// How often a followed topic is checked for new partitions.
const DISCOVER_EVERY: Duration = Duration::from_secs(30);
/// How long one metadata or offsets request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries of an unreadable list topic at start: 1 s doubling to 10 s.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(10);

/// A list topic configuration that cannot work, or a list topic that
/// cannot be written. Entries never appear in these messages.
#[derive(Debug, thiserror::Error)]
pub enum ListTopicError {
    #[error("list_topics: `{0}` is no list of the rule set (its [lists] section)")]
    NoSuchList(String),
    #[error("list_topics: no rule reads the list `{0}`")]
    Unused(String),
    #[error("list_topics: list `{0}` already follows another topic (a rule set shared by two stages?)")]
    Attached(String),
    #[error("list_topics differ from those this engine slot already follows")]
    Changed,
    #[error("the list topic followers ended before they read their topics")]
    Ended,
    #[error("cannot create the Kafka client for list topic {topic}")]
    Client {
        topic: String,
        #[source]
        source: KafkaError,
    },
    #[error("not a list entry: `source:id` expected (the entry itself is not repeated here)")]
    BadEntry,
    #[error("list topic {topic}: the entry was not acknowledged")]
    Produce {
        topic: String,
        #[source]
        source: KafkaError,
    },
}

/// One list fed from a topic.
#[derive(Debug, Clone)]
pub struct ListTopic {
    pub list: String,
    pub topic: String,
    /// The topic part of the list, shared with every rule set it is attached to.
    pub live: Live,
}

/// The lists of a stage that are fed from topics.
#[derive(Debug, Default)]
pub struct ListTopics {
    lists: Vec<ListTopic>,
}

impl ListTopics {
    pub fn from_config(config: &Config) -> ListTopics {
        ListTopics {
            lists: config
                .list_topics
                .iter()
                .map(|(list, topic)| ListTopic {
                    list: list.clone(),
                    topic: topic.clone(),
                    live: Live::new(),
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ListTopic> {
        self.lists.iter()
    }

    /// Same lists on the same topics.
    pub(super) fn same_config(&self, other: &ListTopics) -> bool {
        let pairs = |l: &ListTopics| {
            l.lists
                .iter()
                .map(|t| (t.list.clone(), t.topic.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        pairs(self) == pairs(other)
    }

    /// Checks that each list is a list of `rules` that a rule reads; the
    /// lists' indices in `rules.lists`.
    pub fn check(&self, rules: &RuleSet) -> Result<Vec<usize>, ListTopicError> {
        let mut ids = Vec::with_capacity(self.lists.len());
        for t in &self.lists {
            let id = rules
                .list_id(&t.list)
                .ok_or_else(|| ListTopicError::NoSuchList(t.list.clone()))?;
            if !rules.list_is_used(id) {
                return Err(ListTopicError::Unused(t.list.clone()));
            }
            ids.push(id);
        }
        Ok(ids)
    }

    /// Checks (see [`ListTopics::check`]), then attaches each list's topic
    /// part. Nothing is attached if a check fails.
    pub fn attach(&self, rules: &RuleSet) -> Result<(), ListTopicError> {
        let ids = self.check(rules)?;
        for (t, id) in self.lists.iter().zip(ids) {
            rules.lists[id]
                .1
                .attach(&t.live)
                .map_err(|_| ListTopicError::Attached(t.list.clone()))?;
        }
        Ok(())
    }
}

/// Sets the size gauges of every list of `rules` (file, topic, total).
pub fn report_sizes(rules: &RuleSet) {
    for (name, list) in &rules.lists {
        metrics::list_entries(name, list.sizes());
    }
}

/// The followers of a running stage's list topics.
pub struct Following {
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Following {
    /// Stops following (the last snapshots stay in force).
    pub async fn stop(self) {
        self.stop.cancel();
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// How the start of the list followers ended.
pub enum Started {
    /// Every list topic was read up to its end offsets at start (or there
    /// are none); the followers go on.
    Read(Following),
    /// Shutdown was requested first.
    Stopped,
}

/// Attaches the config's list topics to the rule set in `slot` (and to
/// every rule set a reload puts there), reads each topic up to the end
/// offsets it has now, and leaves a follower per topic running. Waits,
/// not ready, while a topic cannot be read.
pub async fn start(
    config: &Config,
    slot: &EngineSlot,
    shutdown: &CancellationToken,
) -> Result<Started, super::StageError> {
    let topics = slot.follow_lists(ListTopics::from_config(config))?;
    topics.attach(slot.get().rules())?;
    report_sizes(slot.get().rules());
    let stop = shutdown.child_token();
    let mut following = Following {
        stop: stop.clone(),
        tasks: Vec::new(),
    };
    let mut unread = topics.lists.len();
    metrics::lists_unread(unread);
    if unread == 0 {
        return Ok(Started::Read(following));
    }
    let (read_tx, mut read_rx) = mpsc::unbounded_channel();
    // Every client first, so that a failure leaves no follower running.
    let consumers = topics
        .iter()
        .map(|t| {
            consumer(config)
                .create_with_context(ListContext {
                    list: t.list.clone(),
                    topic: t.topic.clone(),
                })
                .map_err(|source| ListTopicError::Client {
                    topic: t.topic.clone(),
                    source,
                })
        })
        .collect::<Result<Vec<StreamConsumer<ListContext>>, _>>()?;
    for (t, consumer) in topics.iter().zip(consumers) {
        following.tasks.push(tokio::spawn(follow(
            consumer,
            t.clone(),
            slot.clone(),
            stop.clone(),
            read_tx.clone(),
        )));
    }
    drop(read_tx);
    while unread > 0 {
        tokio::select! {
            _ = shutdown.cancelled() => {
                following.stop().await;
                return Ok(Started::Stopped);
            }
            read = read_rx.recv() => match read {
                Some(()) => {
                    unread -= 1;
                    metrics::lists_unread(unread);
                }
                // Every follower ended before it read its topic: only a
                // stop should do that.
                None => {
                    following.stop().await;
                    if shutdown.is_cancelled() {
                        return Ok(Started::Stopped);
                    }
                    return Err(ListTopicError::Ended.into());
                }
            }
        }
    }
    Ok(Started::Read(following))
}

/// The list consumer's settings: the config's passthrough properties (TLS,
/// SASL), then what following a list needs: no group, no commits, every
/// partition from the beginning, the end of each partition reported.
pub fn consumer(config: &Config) -> ClientConfig {
    let mut c = ClientConfig::new();
    for (k, v) in config.librdkafka.common.iter().chain(&config.librdkafka.consumer) {
        c.set(k, v.to_string());
    }
    c.set("bootstrap.servers", &config.brokers)
        // Required by the client, never joined: partitions are assigned by
        // hand and nothing is committed.
        .set("group.id", format!("{}.lists", config.group_id))
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        // "Read up to the end": also past control records at the end of a
        // partition, which are never delivered.
        .set("enable.partition.eof", "true")
        // An entry written in an aborted transaction is not on the list.
        .set("isolation.level", "read_committed")
        .set("auto.offset.reset", "earliest");
    if c.get("statistics.interval.ms").is_none() {
        // The lag of the list, for the metrics.
        c.set("statistics.interval.ms", "5000");
    }
    c
}

/// The partitions of `topic` and their (low, high) watermarks, or why they
/// cannot be had. Also the sweeper's, for the erasure list's topic.
pub(crate) fn end_offsets<C: ConsumerContext>(
    consumer: &impl Consumer<C>,
    topic: &str,
) -> Result<HashMap<i32, (i64, i64)>, String> {
    let md = consumer
        .fetch_metadata(Some(topic), REQUEST_TIMEOUT)
        .map_err(|e| e.to_string())?;
    let Some(t) = md.topics().iter().find(|t| t.name() == topic) else {
        return Err("the broker sent no metadata for it".into());
    };
    if let Some(err) = t.error() {
        return Err(format!("{}", KafkaError::MetadataFetch(err.into())));
    }
    if t.partitions().is_empty() {
        return Err("the topic does not exist (no partitions)".into());
    }
    let mut ends = HashMap::new();
    for p in t.partitions() {
        let marks = consumer
            .fetch_watermarks(topic, p.id(), REQUEST_TIMEOUT)
            .map_err(|e| format!("partition {}: {e}", p.id()))?;
        ends.insert(p.id(), marks);
    }
    Ok(ends)
}

/// Reads one list topic from the beginning up to its end offsets at start,
/// says so on `read`, then follows it until `stop`.
async fn follow(
    consumer: StreamConsumer<ListContext>,
    list: ListTopic,
    slot: EngineSlot,
    stop: CancellationToken,
    read: mpsc::UnboundedSender<()>,
) {
    let started = Instant::now();
    let (name, topic) = (list.list.as_str(), list.topic.as_str());
    // 1. Partitions and end offsets: retried until they can be had.
    let mut retry = RETRY_FIRST;
    let ends = loop {
        match blocking(|| end_offsets(&consumer, topic)) {
            Ok(ends) => break ends,
            Err(error) => {
                metrics::list_topic_unreadable(name, topic, &error);
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(retry) => {}
                }
                retry = (retry * 2).min(RETRY_MAX);
            }
        }
    };
    let mut tpl = TopicPartitionList::new();
    for p in ends.keys() {
        // A partition id from the broker's own metadata: adding it cannot fail.
        let _ = tpl.add_partition_offset(topic, *p, Offset::Beginning);
    }
    if let Err(e) = consumer.assign(&tpl) {
        // Only a malformed list can fail here; say so and stay not ready.
        metrics::list_topic_unreadable(name, topic, &e);
        stop.cancelled().await;
        return;
    }
    let mut known: HashSet<i32> = ends.keys().copied().collect();
    let mut discover = tokio::time::interval_at(tokio::time::Instant::now() + DISCOVER_EVERY, DISCOVER_EVERY);
    discover.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Partitions still to be read up to their end offset of the start.
    let mut unread = to_read(ends);

    let mut state = Follower {
        entries: Entries::default(),
        live: &list.live,
        name,
        slot: &slot,
        put: 0,
        removed: 0,
        copy_took: Duration::ZERO,
    };
    let mut read = Some(read);
    let mut publish_at: Option<tokio::time::Instant> = None;
    let mut pace = ErrorPace::new();
    loop {
        if let Some(tx) = read.take_if(|_| unread.is_empty()) {
            state.publish();
            metrics::list_topic_read(name, topic, list.live.len(), started.elapsed());
            let _ = tx.send(());
        }
        let next = tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            _ = sleep_until(publish_at) => None,
            _ = discover.tick() => {
                discover_partitions(&consumer, name, topic, &mut known);
                continue;
            }
            m = consumer.recv() => Some(m),
        };
        match next {
            None => {
                state.publish();
                publish_at = None;
            }
            Some(Ok(msg)) => {
                let p = msg.partition();
                state.apply(p, msg.offset(), msg.key(), msg.payload().is_some());
                if unread.get(&p).is_some_and(|high| msg.offset() + 1 >= *high) {
                    unread.remove(&p);
                }
                // While reading at start, one snapshot at the end; after
                // that, one per batch of updates.
                if read.is_none() && publish_at.is_none() {
                    publish_at = Some(tokio::time::Instant::now() + state.interval());
                }
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                unread.remove(&p);
            }
            Some(Err(e)) => {
                metrics::list_topic_error(name, &e);
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = pace.pause() => {}
                }
            }
        }
    }
    if publish_at.is_some() {
        state.publish();
    }
}

/// Partitions added to the topic since it was assigned are read from their
/// beginning too. A failed lookup is retried at the next check.
fn discover_partitions(
    consumer: &StreamConsumer<ListContext>,
    list: &str,
    topic: &str,
    known: &mut HashSet<i32>,
) {
    let Ok(md) = blocking(|| consumer.fetch_metadata(Some(topic), REQUEST_TIMEOUT)) else {
        return;
    };
    let tpl = new_partitions(&md, topic, known);
    if tpl.count() == 0 {
        return;
    }
    match consumer.incremental_assign(&tpl) {
        Ok(()) => {
            known.extend(tpl.elements().iter().map(|e| e.partition()));
            tracing::info!(
                list,
                topic,
                partitions = tpl.count(),
                "new list topic partitions: reading them"
            );
        }
        Err(e) => metrics::list_topic_error(list, &e),
    }
}

/// The partitions to read up to their end offset of the start (those
/// holding records), from [`end_offsets`]. Also the sweeper's.
pub(crate) fn to_read(ends: HashMap<i32, (i64, i64)>) -> HashMap<i32, i64> {
    ends.into_iter()
        .filter(|(_, (low, high))| high > low)
        .map(|(p, (_, high))| (p, high))
        .collect()
}

/// The partitions of `topic` in `md` that are not in `known`, each from its
/// beginning. Also the sweeper's.
pub(crate) fn new_partitions(md: &Metadata, topic: &str, known: &HashSet<i32>) -> TopicPartitionList {
    let mut tpl = TopicPartitionList::new();
    for t in md
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
    {
        for p in t.partitions().iter().filter(|p| !known.contains(&p.id())) {
            // A partition id from the broker's own metadata: cannot fail.
            let _ = tpl.add_partition_offset(topic, p.id(), Offset::Beginning);
        }
    }
    tpl
}

/// Applies one record of a list topic (key: the entry; a value: present,
/// a tombstone: removed) to `entries`: whether they changed, or `None` for
/// a key that is no entry (skipped and counted, logged by position only).
/// Also the sweeper's.
pub(crate) fn apply_record(
    entries: &mut Entries,
    list: &str,
    partition: i32,
    offset: i64,
    key: Option<&[u8]>,
    present: bool,
) -> Option<bool> {
    let Some((source, id)) = key
        .and_then(|k| std::str::from_utf8(k).ok())
        .and_then(parse_entry)
    else {
        metrics::list_record_malformed(list, partition, offset);
        return None;
    };
    Some(if present {
        entries.insert(source, id)
    } else {
        entries.remove(source, id)
    })
}

/// Sleeps until `at`, or for ever without one.
async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// A follower's own copy of the topic's entries, and what changed since
/// it last published.
struct Follower<'a> {
    entries: Entries,
    live: &'a Live,
    name: &'a str,
    slot: &'a EngineSlot,
    put: u64,
    removed: u64,
    /// How long the last snapshot took to copy (and count).
    copy_took: Duration,
}

impl Follower<'_> {
    /// The wait before the next snapshot: [`PUBLISH_EVERY`], or longer for
    /// a list so large that copying it would take over a tenth of a core
    /// under a steady stream of updates.
    fn interval(&self) -> Duration {
        PUBLISH_EVERY.max(self.copy_took * 10)
    }

    fn apply(&mut self, partition: i32, offset: i64, key: Option<&[u8]>, present: bool) {
        if apply_record(&mut self.entries, self.name, partition, offset, key, present).is_none() {
            return;
        }
        if present {
            self.put += 1;
        } else {
            self.removed += 1;
        }
    }

    /// Makes the entries read so far the list's topic part. A copy per
    /// batch: the engine threads keep reading the previous snapshot
    /// meanwhile, without a lock.
    fn publish(&mut self) {
        let started = Instant::now();
        self.live.publish(self.entries.clone());
        metrics::list_updates(self.name, self.put, self.removed);
        (self.put, self.removed) = (0, 0);
        let engine = self.slot.get();
        if let Some(id) = engine.rules().list_id(self.name) {
            metrics::list_entries(self.name, engine.rules().lists[id].1.sizes());
        }
        self.copy_took = started.elapsed();
    }
}

/// The list consumer's context: librdkafka's logs, its errors, and the lag
/// from its statistics. Also the sweeper's, for the erasure list's topic.
pub struct ListContext {
    list: String,
    topic: String,
}

impl ListContext {
    pub fn new(list: &str, topic: &str) -> ListContext {
        ListContext {
            list: list.to_owned(),
            topic: topic.to_owned(),
        }
    }
}

impl ClientContext for ListContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        super::clients::log_rdkafka(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        // The end of a partition also comes here: it is how the follower
        // knows it has read up to the end, not an error.
        if error.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::PartitionEOF) {
            return;
        }
        metrics::list_topic_error(&self.list, &format_args!("{error}: {reason}"));
    }

    fn stats(&self, statistics: rdkafka::Statistics) {
        let Some(topic) = statistics.topics.get(&self.topic) else {
            return;
        };
        let mut lag = 0;
        for p in topic.partitions.values() {
            // Read committed: the end is the last stable offset.
            let end = if p.ls_offset >= 0 {
                p.ls_offset
            } else {
                p.hi_offset
            };
            // -1: not known yet; partition -1 is librdkafka's internal one.
            if p.partition < 0 || end < 0 {
                continue;
            }
            // The end reached (past control records) or the next record to apply.
            let at = p.app_offset.max(p.eof_offset).max(p.lo_offset);
            lag += (end - at).max(0);
        }
        metrics::list_topic_lag(&self.list, lag);
    }
}

impl ConsumerContext for ListContext {}

/// What `anoniem lists put` / `remove` writes.
#[derive(Debug, Clone)]
pub struct EntryWrite {
    pub brokers: String,
    pub topic: String,
    /// Present (`put`) or removed (`remove`: a tombstone).
    pub present: bool,
    /// How long to wait for the broker's acknowledgement.
    pub timeout: Duration,
    /// librdkafka properties passed through (TLS, SASL).
    pub properties: BTreeMap<String, String>,
}

/// Where the broker stored an entry.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub partition: i32,
    pub offset: i64,
}

/// Writes one entry (`source:id`, checked first, written trimmed) to a
/// list topic and waits for the broker's acknowledgement.
pub async fn write_entry(w: &EntryWrite, entry: &str) -> Result<Written, ListTopicError> {
    let (source, id) = parse_entry(entry).ok_or(ListTopicError::BadEntry)?;
    // One spelling per entry, so a later tombstone has the very same key
    // (compaction and partitioning go by the key's bytes).
    let key = format!("{source}:{id}");
    let mut c = ClientConfig::new();
    for (k, v) in &w.properties {
        c.set(k, v);
    }
    c.set("bootstrap.servers", &w.brokers)
        .set("enable.idempotence", "true")
        .set("acks", "all")
        // The Java client's partitioner: an entry's key lands in the same
        // partition whichever client writes it, so its updates stay in order.
        .set("partitioner", "murmur2_random")
        .set("message.timeout.ms", w.timeout.as_millis().max(1).to_string());
    let client_error = |source| ListTopicError::Client {
        topic: w.topic.clone(),
        source,
    };
    let producer: FutureProducer = c.create().map_err(client_error)?;
    let value = w
        .present
        .then(|| format!(r#"{{"added_at":"{}"}}"#, jiff::Timestamp::now()));
    let mut record = FutureRecord::<str, str>::to(&w.topic).key(&key);
    if let Some(value) = &value {
        record = record.payload(value);
    }
    let produce_error = |source| ListTopicError::Produce {
        topic: w.topic.clone(),
        source,
    };
    match producer.send(record, w.timeout).await {
        Ok(delivery) => Ok(Written {
            partition: delivery.partition,
            offset: delivery.offset,
        }),
        Err((e, _)) => Err(produce_error(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lists::List;
    use std::sync::Arc;

    fn follower_of<'a>(live: &'a Live, slot: &'a EngineSlot) -> Follower<'a> {
        Follower {
            entries: Entries::default(),
            live,
            name: "erased_authors",
            slot,
            put: 0,
            removed: 0,
            copy_took: Duration::ZERO,
        }
    }

    fn slot() -> EngineSlot {
        let rules = crate::rules::embedded::default_rules().unwrap();
        let engine = crate::engine::Engine::new(rules, Some(crate::check::test_key()), Default::default());
        EngineSlot::new(Arc::new(engine.unwrap()))
    }

    #[test]
    fn records_put_remove_and_skip_malformed_keys() {
        let slot = slot();
        let live = Live::new();
        let mut f = follower_of(&live, &slot);
        f.apply(0, 0, Some(b"twitter:1"), true);
        f.apply(0, 1, Some(b" twitter : 2 "), true);
        f.apply(0, 2, Some(b"twitter:1"), false);
        // Malformed: no key, not UTF-8, not `source:id`.
        f.apply(0, 3, None, true);
        f.apply(0, 4, Some(&[0xff, b':', b'1']), true);
        f.apply(0, 5, Some(b"no-colon"), true);
        // A tombstone for an entry never seen is harmless.
        f.apply(0, 6, Some(b"twitter:3"), false);
        assert_eq!((f.put, f.removed), (2, 2));
        // Nothing is visible before the batch is published.
        assert!(!live.contains("twitter", "2"));
        f.publish();
        assert!(live.contains("twitter", "2"));
        assert!(!live.contains("twitter", "1"));
        assert_eq!(live.len(), 1);
        assert_eq!((f.put, f.removed), (0, 0));
        assert_eq!(f.interval(), PUBLISH_EVERY);
        f.copy_took = Duration::from_millis(50);
        assert_eq!(f.interval(), Duration::from_millis(500));
    }

    #[test]
    fn list_topics_attach_only_to_lists_a_rule_reads() {
        let rules = crate::rules::embedded::default_rules().unwrap();
        let topics = |pairs: &[(&str, &str)]| ListTopics {
            lists: pairs
                .iter()
                .map(|(l, t)| ListTopic {
                    list: (*l).into(),
                    topic: (*t).into(),
                    live: Live::new(),
                })
                .collect(),
        };
        let err = topics(&[("erased_author", "t")]).attach(&rules).unwrap_err();
        assert!(matches!(err, ListTopicError::NoSuchList(_)), "{err}");

        let ok = topics(&[("erased_authors", "t1"), ("owned_pages", "t2")]);
        ok.attach(&rules).unwrap();
        let mut e = Entries::default();
        e.insert("twitter", "42");
        ok.lists[0].live.publish(e);
        let id = rules.list_id("erased_authors").unwrap();
        assert!(rules.lists[id].1.contains("twitter", "42"));
        // Another overlay for the same rule set: refused.
        let err = topics(&[("erased_authors", "t1")]).attach(&rules).unwrap_err();
        assert!(matches!(err, ListTopicError::Attached(_)), "{err}");
        assert!(ok.same_config(&topics(&[("owned_pages", "t2"), ("erased_authors", "t1")])));
        assert!(!ok.same_config(&topics(&[("owned_pages", "t2")])));

        // A list in [lists] that no rule reads.
        let mut rules = crate::rules::embedded::default_rules().unwrap();
        rules.lists.push(("unread".into(), List::default()));
        let err = topics(&[("unread", "t")]).attach(&rules).unwrap_err();
        assert!(matches!(err, ListTopicError::Unused(_)), "{err}");
    }

    #[tokio::test]
    async fn a_bad_entry_is_refused_before_anything_is_sent() {
        let w = EntryWrite {
            // Nothing listens here: the entry must be refused before a connection.
            brokers: "127.0.0.1:1".into(),
            topic: "t".into(),
            present: true,
            timeout: Duration::from_millis(10),
            properties: BTreeMap::new(),
        };
        for bad in ["", "twitter", "twitter:", ":1"] {
            assert!(matches!(
                write_entry(&w, bad).await,
                Err(ListTopicError::BadEntry)
            ));
        }
    }
}
