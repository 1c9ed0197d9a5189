//! The sweeper's loop, on one thread: poll the output topic, apply records
//! to the store in batches (one transaction each, offset included), and at
//! each check produce the tombstones that are due in the partitions that
//! have caught up.
//!
//! Partitions: the rebalance callback assigns each partition at the
//! store's next offset for it, or at the beginning when the store has none
//! (a rebuild: the compacted topic is the changelog). A partition is
//! checked once it has reached its end since it was assigned
//! (`enable.partition.eof`), so a restarted sweeper first reads back what
//! it produced before it died instead of producing it again.
//!
//! In hand: a produced tombstone is remembered (per partition, at most
//! `max_in_flight`) until a record of its key is read back. A failed
//! delivery forgets it, so the next check produces it again. Nothing is
//! removed from the store but by a record of the topic.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime};

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, RebalanceProtocol};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use rdkafka::types::RDKafkaRespErr;
use tokio_util::sync::CancellationToken;

use super::erasure_topic::ErasureTopic;
use super::metrics::{self, Reason};
use super::policy::{self, Policy};
use super::store::{Change, ERASED, Record, Store};
use super::{SweepError, SweepOptions, clients};

/// Records per store transaction, at most.
const BATCH_RECORDS: usize = 5_000;
/// How long a batch collects records before it is applied.
const BATCH_MS: u64 = 200;
/// Poll timeout: how often the loop looks at the clock, deliveries and signals.
const POLL_MS: u64 = 100;
/// Changes of the erasure list topic are applied at most this often (each
/// makes every item be checked against the list again).
const TOPIC_APPLY_EVERY: Duration = Duration::from_secs(1);
/// A partition that has new records is checked again at most this often.
const RECHECK_MS: u64 = 1_000;

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Records of the output topic applied to the store.
    pub applied: u64,
    /// Tombstones the broker acknowledged.
    pub tombstones: u64,
    /// The producer was flushed and the offsets committed in time.
    pub clean: bool,
}

/// Runs the sweeper until `stop` is cancelled or it fails. `reload`, when
/// set, makes it load the rule set again (SIGHUP); it also does so when the
/// erasure list file changes.
pub fn run(
    opts: &SweepOptions,
    stop: CancellationToken,
    reload: Arc<AtomicBool>,
) -> Result<Report, SweepError> {
    sweep(opts, None, stop, reload)
}

/// As [`run`], with a policy built by the caller instead of loaded from
/// `opts.rules_dir` at the start: `anoniem demo` runs the built-in rule
/// set, which has no directory. A reload (`reload`, or the erasure list
/// file changing) still loads from `opts.rules_dir`.
pub fn run_with_policy(
    opts: &SweepOptions,
    policy: Policy,
    stop: CancellationToken,
    reload: Arc<AtomicBool>,
) -> Result<Report, SweepError> {
    sweep(opts, Some(policy), stop, reload)
}

fn sweep(
    opts: &SweepOptions,
    policy: Option<Policy>,
    stop: CancellationToken,
    reload: Arc<AtomicBool>,
) -> Result<Report, SweepError> {
    if opts.max_in_flight == 0 {
        return Err(SweepError::Config("max_in_flight must be at least 1".into()));
    }
    let store = Arc::new(Store::open(&opts.store_dir, opts.cache_bytes, &opts.topic)?);
    if opts.rebuild {
        store.clear()?;
        tracing::info!("store cleared: rebuilding from the beginning of the topic");
    }
    let mut policy = match policy {
        Some(policy) => policy,
        None => load_policy(opts)?,
    };
    // The erasure list's topic, read to its end before anything is swept.
    let erasure_topic = match &opts.erasure_topic {
        Some(topic) => match ErasureTopic::open(opts, topic, &stop)? {
            Some(t) => {
                policy.set_topic_entries(t.entries().clone(), opts.key.as_ref());
                Some(t)
            }
            None => return Ok(Report::default()),
        },
        None => None,
    };
    sync_retention(&store, &policy)?;
    tracing::info!(
        store = %store.path().display(),
        items = store.items()?,
        erased_authors = policy.erased_entries(),
        retention = %policy.retention_fingerprint(),
        "sweeper starting"
    );

    let context = SweepContext {
        store: Arc::clone(&store),
        topic: opts.topic.clone(),
        events: Mutex::new(Vec::new()),
    };
    let consumer: BaseConsumer<SweepContext> = clients::consumer(&opts.brokers, &opts.group_id, &opts.kafka)
        .create_with_context(context)
        .map_err(SweepError::Client)?;
    let (tx, deliveries) = mpsc::channel();
    let producer: ThreadedProducer<Deliveries> = clients::producer(&opts.brokers, &opts.kafka)
        .create_with_context(Deliveries { tx: Mutex::new(tx) })
        .map_err(SweepError::Client)?;
    consumer
        .subscribe(&[&opts.topic])
        .map_err(|source| SweepError::Subscribe {
            topic: opts.topic.clone(),
            source,
        })?;

    let mut sweeper = Sweeper {
        opts,
        store,
        policy,
        producer,
        deliveries,
        owned: HashMap::new(),
        in_hand: HashMap::new(),
        batch: Vec::new(),
        batch_unreadable: 0,
        batch_started: None,
        report: Report::default(),
        list_stamp: None,
        erasure_topic,
        backlog: false,
    };
    sweeper.list_stamp = sweeper.list_stamp();
    let mut last_check = Instant::now();
    let mut check_all = false;
    let mut topic_applied = Instant::now();

    while !stop.is_cancelled() {
        let polled = consumer.poll(Duration::from_millis(POLL_MS));
        // The rebalance callback ran inside poll: its events come first.
        for event in consumer.context().take_events() {
            sweeper.on_rebalance(event)?;
        }
        match polled {
            Some(Ok(m)) => sweeper.on_message(&m)?,
            Some(Err(KafkaError::PartitionEOF(p))) => {
                sweeper.flush(&consumer)?;
                sweeper.on_end(p)?;
            }
            Some(Err(e)) => metrics::client_error(&e),
            None => sweeper.flush(&consumer)?,
        }
        if sweeper.batch.len() >= BATCH_RECORDS
            || sweeper
                .batch_started
                .is_some_and(|t| t.elapsed() >= Duration::from_millis(BATCH_MS))
        {
            sweeper.flush(&consumer)?;
        }
        sweeper.take_deliveries();

        if reload.swap(false, Ordering::SeqCst) || sweeper.list_changed(&last_check) {
            sweeper.reload()?;
            check_all = true;
        }
        if sweeper.erasure_topic_changed(&mut topic_applied) {
            check_all = true;
        }
        let due_check = last_check.elapsed() >= opts.check_interval;
        let backlog = sweeper.backlog && sweeper.in_hand_count() <= opts.max_in_flight / 2;
        if due_check || check_all || backlog {
            if due_check {
                last_check = Instant::now();
            }
            check_all = false;
            sweeper.flush(&consumer)?;
            sweeper.check_all()?;
        } else if sweeper.any_ready() {
            sweeper.flush(&consumer)?;
            sweeper.check_ready()?;
        }
    }

    // Shutdown: apply what was read, let the tombstones out, commit.
    sweeper.flush(&consumer)?;
    let flushed = sweeper.producer.flush(opts.shutdown_timeout).is_ok();
    sweeper.take_deliveries();
    let committed = sweeper.commit(&consumer);
    sweeper.report.clean = flushed && committed;
    tracing::info!(
        applied = sweeper.report.applied,
        tombstones = sweeper.report.tombstones,
        clean = sweeper.report.clean,
        "sweeper stopped"
    );
    Ok(sweeper.report.clone())
}

fn load_policy(opts: &SweepOptions) -> Result<Policy, SweepError> {
    let rules = crate::rules::load(&opts.rules_dir)?;
    Ok(Policy::new(
        rules,
        &opts.rules_dir,
        &opts.erasure_list,
        opts.key.as_ref(),
    )?)
}

/// Due times follow the retention in force: when the spans changed since
/// the store computed them, every item's due time is computed again.
fn sync_retention(store: &Store, policy: &Policy) -> Result<(), SweepError> {
    let fingerprint = policy.retention_fingerprint();
    if store.retention()?.as_deref() != Some(fingerprint.as_str()) {
        let changed = store.recompute(None, &|item| policy.due(item))?;
        store.set_retention(&fingerprint)?;
        tracing::info!(changed, retention = %fingerprint, "due times recomputed for the retention in force");
    }
    Ok(())
}

/// A partition this instance owns.
#[derive(Debug)]
struct Owned {
    /// The next offset expected: every record before it is in the store.
    next: Option<u64>,
    /// Reached its end since it was assigned.
    caught_up: bool,
    /// New records since its last check.
    dirty: bool,
    /// Just caught up: check it at once.
    ready: bool,
    last_check: Option<Instant>,
}

struct Sweeper<'a> {
    opts: &'a SweepOptions,
    store: Arc<Store>,
    policy: Policy,
    producer: ThreadedProducer<Deliveries>,
    deliveries: mpsc::Receiver<Delivered>,
    owned: HashMap<i32, Owned>,
    /// Tombstones produced and not yet read back, per partition.
    in_hand: HashMap<i32, HashSet<String>>,
    batch: Vec<Record>,
    batch_unreadable: usize,
    batch_started: Option<Instant>,
    report: Report,
    list_stamp: Option<(SystemTime, u64)>,
    erasure_topic: Option<ErasureTopic>,
    /// The last check stopped at the in-flight limit.
    backlog: bool,
}

impl Sweeper<'_> {
    fn now(&self) -> i128 {
        match &self.opts.clock {
            Some(clock) => clock.now(),
            None => self.opts.now.unwrap_or_else(jiff::Timestamp::now),
        }
        .as_nanosecond()
    }

    fn in_hand_count(&self) -> usize {
        self.in_hand.values().map(HashSet::len).sum()
    }

    fn on_rebalance(&mut self, event: Event) -> Result<(), SweepError> {
        match event {
            Event::Assigned(parts) => {
                for p in parts {
                    let next = self.store.partition(p as u32)?.map(|s| s.next_offset);
                    match next {
                        Some(n) => tracing::info!(
                            partition = p,
                            offset = n,
                            "assigned: catching up from the store's offset"
                        ),
                        None => tracing::info!(
                            partition = p,
                            "assigned: building from the beginning of the topic"
                        ),
                    }
                    self.owned.insert(
                        p,
                        Owned {
                            next,
                            caught_up: false,
                            dirty: false,
                            ready: false,
                            last_check: None,
                        },
                    );
                }
            }
            Event::Revoked(parts) => {
                for p in parts {
                    tracing::info!(partition = p, "revoked");
                    // The next owner checks it from its own store; what is in
                    // flight still lands or is produced again by that owner.
                    self.owned.remove(&p);
                    self.in_hand.remove(&p);
                }
            }
            Event::Lost => {
                tracing::warn!("assignment lost");
                self.owned.clear();
                self.in_hand.clear();
            }
        }
        Ok(())
    }

    fn on_message(&mut self, m: &rdkafka::message::BorrowedMessage<'_>) -> Result<(), SweepError> {
        let p = m.partition();
        let Ok(offset) = u64::try_from(m.offset()) else {
            return Ok(());
        };
        let Some(part) = self.owned.get(&p) else {
            return Ok(());
        };
        if part.next.is_some_and(|next| offset < next) {
            // The consumer went back: the store's offset was out of range
            // (the topic was recreated or truncated) and it was reset to the
            // beginning. The store's state of the partition is stale.
            tracing::warn!(
                partition = p,
                "offset out of range: rebuilding the partition from the beginning"
            );
            self.flush_batch()?;
            self.store.clear_partition(p as u32)?;
            self.in_hand.remove(&p);
        }
        let change = match m.key().map(std::str::from_utf8) {
            Some(Ok(id)) if !id.is_empty() => {
                let id = id.to_owned();
                if let Some(set) = self.in_hand.get_mut(&p) {
                    set.remove(&id);
                }
                match m.payload() {
                    None => Change::Delete { id },
                    Some(value) => match self.policy.item(value) {
                        Some(item) => Change::Upsert { id, item },
                        None => {
                            self.batch_unreadable += 1;
                            Change::Delete { id }
                        }
                    },
                }
            }
            // No key (or not UTF-8): nothing a tombstone could remove.
            _ => Change::Skip,
        };
        self.batch.push(Record {
            partition: p as u32,
            offset,
            change,
        });
        self.batch_started.get_or_insert_with(Instant::now);
        if let Some(part) = self.owned.get_mut(&p) {
            part.next = Some(offset + 1);
            part.dirty = true;
        }
        Ok(())
    }

    /// A partition reached its end.
    fn on_end(&mut self, p: i32) -> Result<(), SweepError> {
        if let Some(part) = self.owned.get_mut(&p) {
            if !part.caught_up {
                part.caught_up = true;
                part.ready = true;
                tracing::info!(partition = p, "caught up");
            } else if part.dirty
                && part
                    .last_check
                    .is_none_or(|t| t.elapsed() >= Duration::from_millis(RECHECK_MS))
            {
                part.ready = true;
            }
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> Result<Vec<(u32, u64)>, SweepError> {
        if self.batch.is_empty() {
            return Ok(Vec::new());
        }
        self.store.apply(&self.batch, self.policy.erasure_version())?;
        let mut ends: Vec<(u32, u64)> = Vec::new();
        for r in &self.batch {
            match ends.iter_mut().find(|(p, _)| *p == r.partition) {
                Some(e) => e.1 = e.1.max(r.offset + 1),
                None => ends.push((r.partition, r.offset + 1)),
            }
        }
        metrics::applied(self.batch.len(), self.batch_unreadable);
        self.report.applied += self.batch.len() as u64;
        self.batch.clear();
        self.batch_unreadable = 0;
        self.batch_started = None;
        Ok(ends)
    }

    /// Applies the batch, then lets the group's offsets follow the store.
    fn flush(&mut self, consumer: &BaseConsumer<SweepContext>) -> Result<(), SweepError> {
        let ends = self.flush_batch()?;
        for (p, next) in &ends {
            // Fails for a partition no longer owned: the next owner reads
            // from its own store; the group offset is for lag only.
            let _ = consumer.store_offset(&self.opts.topic, *p as i32, *next as i64);
        }
        if !ends.is_empty() {
            metrics::store(self.store.items()?, self.store.file_bytes());
        }
        Ok(())
    }

    fn take_deliveries(&mut self) {
        while let Ok(d) = self.deliveries.try_recv() {
            match d.error {
                None => {
                    metrics::tombstone(d.reason);
                    self.report.tombstones += 1;
                }
                Some(e) => {
                    metrics::produce_failed(&e);
                    if let Some(set) = self.in_hand.get_mut(&d.partition) {
                        set.remove(&d.id);
                    }
                }
            }
        }
        metrics::in_hand(self.in_hand_count());
    }

    fn any_ready(&self) -> bool {
        self.owned.values().any(|o| o.ready)
    }

    /// Checks the partitions that just caught up or have new records (the
    /// batch is applied first).
    fn check_ready(&mut self) -> Result<(), SweepError> {
        let ready: Vec<i32> = self
            .owned
            .iter()
            .filter(|(_, o)| o.ready)
            .map(|(p, _)| *p)
            .collect();
        let now = self.now();
        for p in ready {
            self.check(p, now)?;
        }
        Ok(())
    }

    /// Checks every caught-up partition.
    fn check_all(&mut self) -> Result<(), SweepError> {
        let now = self.now();
        let mut parts: Vec<i32> = self
            .owned
            .iter()
            .filter(|(_, o)| o.caught_up)
            .map(|(p, _)| *p)
            .collect();
        parts.sort_unstable();
        self.backlog = false;
        let mut oldest: Option<i128> = None;
        for p in parts {
            if let Some(o) = self.check(p, now)? {
                oldest = Some(oldest.map_or(o, |x| x.min(o)));
            }
        }
        let late = oldest.map_or(0.0, |o| (now - o) as f64 / 1e9);
        metrics::overdue(late.max(0.0));
        metrics::store(self.store.items()?, self.store.file_bytes());
        Ok(())
    }

    /// Produces the due tombstones of partition `p`; returns its oldest
    /// overdue retention time.
    fn check(&mut self, p: i32, now: i128) -> Result<Option<i128>, SweepError> {
        let Some(part) = self.owned.get_mut(&p) else {
            return Ok(None);
        };
        part.ready = false;
        part.dirty = false;
        part.last_check = Some(Instant::now());
        let pu = p as u32;
        // Items read under an older erasure list: check them all again.
        if let Some(state) = self.store.partition(pu)?
            && state.erasure_version != self.policy.erasure_version()
        {
            let policy = &self.policy;
            let changed = self.store.recompute(Some(pu), &|item| policy.due(item))?;
            self.store.set_erasure_version(pu, policy.erasure_version())?;
            tracing::info!(
                partition = p,
                changed,
                "items checked against the erasure list in force"
            );
        }
        let budget = self.opts.max_in_flight.saturating_sub(self.in_hand_count());
        if budget == 0 {
            self.backlog = true;
            return Ok(None);
        }
        let empty = HashSet::new();
        let hand = self.in_hand.get(&p).unwrap_or(&empty);
        let (due, oldest) = self.store.due(pu, now, budget, &|id| hand.contains(id))?;
        if due.len() >= budget {
            self.backlog = true;
        }
        let mut produced = 0usize;
        for d in due {
            let reason = if d.due == ERASED {
                if !d.author.as_deref().is_some_and(|a| self.policy.is_erased(a)) {
                    // Taken off the list since: back to its retention.
                    let again = self.policy.retention_due(&d.source, d.published);
                    self.store.set_due(pu, &d.id, again)?;
                    continue;
                }
                Reason::Erasure
            } else {
                Reason::Retention
            };
            if !self.produce(p, d.id, reason) {
                self.backlog = true;
                break;
            }
            produced += 1;
        }
        if produced > 0 {
            tracing::info!(partition = p, tombstones = produced, "due tombstones produced");
        }
        Ok(oldest)
    }

    /// Hands a tombstone to the producer; false when its queue is full.
    fn produce(&mut self, p: i32, id: String, reason: Reason) -> bool {
        let headers = OwnedHeaders::new()
            .insert(Header {
                key: crate::stream::output::header::RULES,
                value: Some(self.policy.rules_hash.as_str()),
            })
            .insert(Header {
                key: crate::stream::output::header::FIRED,
                value: Some(match reason {
                    Reason::Retention => "sweep-retention",
                    Reason::Erasure => "sweep-erasure",
                }),
            });
        let token = Box::new(Token {
            partition: p,
            id,
            reason,
        });
        let key = token.id.clone();
        let record: BaseRecord<'_, str, [u8], Box<Token>> =
            BaseRecord::with_opaque_to(&self.opts.topic, token)
                .partition(p)
                .key(key.as_str())
                .headers(headers);
        match self.producer.send(record) {
            Ok(()) => {
                self.in_hand.entry(p).or_default().insert(key);
                true
            }
            Err((e, _)) => {
                metrics::client_error(&e);
                false
            }
        }
    }

    fn list_stamp(&self) -> Option<(SystemTime, u64)> {
        let path = policy::list_path(&self.opts.rules_dir, &self.opts.erasure_list)?;
        let meta = std::fs::metadata(path).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    }

    /// Whether the erasure list file changed (looked at once per check interval).
    fn list_changed(&mut self, last_check: &Instant) -> bool {
        if last_check.elapsed() < self.opts.check_interval {
            return false;
        }
        let stamp = self.list_stamp();
        if stamp != self.list_stamp {
            self.list_stamp = stamp;
            return true;
        }
        false
    }

    /// Takes in the erasure list topic's news; applies them (true) at most
    /// every [`TOPIC_APPLY_EVERY`], as applying makes every item be checked
    /// again.
    fn erasure_topic_changed(&mut self, applied: &mut Instant) -> bool {
        let Some(topic) = &mut self.erasure_topic else {
            return false;
        };
        topic.poll();
        if applied.elapsed() < TOPIC_APPLY_EVERY || !topic.take_changed() {
            return false;
        }
        *applied = Instant::now();
        self.policy
            .set_topic_entries(topic.entries().clone(), self.opts.key.as_ref());
        tracing::info!(
            erased_authors = self.policy.erased_entries(),
            "erasure list topic changed"
        );
        true
    }

    /// Loads the rule set again; a set that does not load leaves the running one.
    fn reload(&mut self) -> Result<(), SweepError> {
        self.list_stamp = self.list_stamp();
        match load_policy(self.opts) {
            Ok(mut policy) => {
                if let Some(topic) = &self.erasure_topic {
                    policy.set_topic_entries(topic.entries().clone(), self.opts.key.as_ref());
                }
                metrics::reloaded(true);
                tracing::info!(erased_authors = policy.erased_entries(), "rule set reloaded");
                self.policy = policy;
                sync_retention(&self.store, &self.policy)
            }
            Err(e) => {
                metrics::reloaded(false);
                tracing::error!(error = %crate::error_chain(&e), "rule reload refused; the running rules stay");
                Ok(())
            }
        }
    }

    /// Commits the store's offsets of the owned partitions to the group.
    fn commit(&self, consumer: &BaseConsumer<SweepContext>) -> bool {
        let mut tpl = TopicPartitionList::new();
        for p in self.owned.keys() {
            if let Ok(Some(state)) = self.store.partition(*p as u32) {
                let _ =
                    tpl.add_partition_offset(&self.opts.topic, *p, Offset::Offset(state.next_offset as i64));
            }
        }
        if tpl.count() == 0 {
            return true;
        }
        consumer.commit(&tpl, CommitMode::Sync).is_ok()
    }
}

/// What the rebalance callback tells the loop.
#[derive(Debug)]
enum Event {
    Assigned(Vec<i32>),
    Revoked(Vec<i32>),
    Lost,
}

/// The consumer's context: assigns partitions at the store's offsets.
struct SweepContext {
    store: Arc<Store>,
    topic: String,
    events: Mutex<Vec<Event>>,
}

impl SweepContext {
    fn take_events(&self) -> Vec<Event> {
        match self.events.lock() {
            Ok(mut events) => std::mem::take(&mut *events),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }

    fn push(&self, event: Event) {
        match self.events.lock() {
            Ok(mut events) => events.push(event),
            Err(poisoned) => poisoned.into_inner().push(event),
        }
    }
}

impl ClientContext for SweepContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        crate::stream::clients::log_rdkafka(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        // The end of a partition is how the sweeper knows it has caught up
        // (it reads it from `poll`); reported here too, it is no error.
        if error.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::PartitionEOF) {
            return;
        }
        metrics::client_error(&format_args!("{error}: {reason}"));
    }
}

impl ConsumerContext for SweepContext {
    fn rebalance(&self, consumer: &BaseConsumer<Self>, err: RDKafkaRespErr, tpl: &mut TopicPartitionList) {
        let parts: Vec<i32> = tpl
            .elements()
            .iter()
            .filter(|e| e.topic() == self.topic)
            .map(|e| e.partition())
            .collect();
        let cooperative = matches!(consumer.rebalance_protocol(), RebalanceProtocol::Cooperative);
        let result = match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                for p in &parts {
                    // The store's offset, or the beginning for a partition it
                    // has no state of. (A read error: the beginning too; the
                    // loop then sees records it has and rebuilds.)
                    let offset = match self.store.partition(*p as u32) {
                        Ok(Some(state)) => Offset::Offset(state.next_offset as i64),
                        Ok(None) => Offset::Beginning,
                        Err(e) => {
                            tracing::error!(error = %e, partition = p, "cannot read the store's offset");
                            Offset::Beginning
                        }
                    };
                    let _ = tpl.set_partition_offset(&self.topic, *p, offset);
                }
                self.push(Event::Assigned(parts));
                if cooperative {
                    consumer.incremental_assign(tpl)
                } else {
                    consumer.assign(tpl)
                }
            }
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => {
                if consumer.assignment_lost() {
                    self.push(Event::Lost);
                } else {
                    self.push(Event::Revoked(parts));
                }
                if cooperative {
                    consumer.incremental_unassign(tpl)
                } else {
                    consumer.unassign()
                }
            }
            other => {
                tracing::warn!(error = ?other, "rebalance error; giving up the assignment");
                self.push(Event::Lost);
                consumer.unassign()
            }
        };
        if let Err(e) = result {
            metrics::client_error(&e);
        }
    }
}

/// Which tombstone a delivery report is about.
struct Token {
    partition: i32,
    id: String,
    reason: Reason,
}

struct Delivered {
    partition: i32,
    id: String,
    reason: Reason,
    error: Option<String>,
}

/// The producer's context: delivery reports go to the loop.
struct Deliveries {
    tx: Mutex<mpsc::Sender<Delivered>>,
}

impl ClientContext for Deliveries {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        crate::stream::clients::log_rdkafka(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        metrics::client_error(&format_args!("{error}: {reason}"));
    }
}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = Box<Token>;

    fn delivery(&self, result: &DeliveryResult<'_>, token: Box<Token>) {
        let Token {
            partition,
            id,
            reason,
        } = *token;
        let error = result.as_ref().err().map(|(e, _)| e.to_string());
        if let Ok(tx) = self.tx.lock() {
            // The loop is gone only at shutdown, when nothing waits for this.
            let _ = tx.send(Delivered {
                partition,
                id,
                reason,
                error,
            });
        }
    }
}
