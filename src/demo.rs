//! `anoniem demo`: the whole stage on an in-process Kafka-protocol broker
//! (librdkafka's mock cluster), with the shipped sample posts, and beside
//! it `anoniem sweep` on the output topic with a clock the demo moves: once
//! the sample is through, the sweeper's clock jumps to the moment the first
//! live item's retention runs out, and the sweeper's tombstone for it is
//! printed. Needs no config, key or set-up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rdkafka::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{FutureProducer, FutureRecord};
use tokio_util::sync::CancellationToken;

use crate::config::{Config, Env, Guarantee};
use crate::engine::{Engine, EngineError, Limits, PseudonymKey};
use crate::rules::{self, RulesError};
use crate::stream::{self, StageError};
use crate::sweep::{self, Clock, Policy, SweepError, SweepOptions};

/// The sample posts the demo sends through the stage.
pub const SAMPLE_POSTS: &str = include_str!("../samples/posts.ndjson");

pub const INPUT_TOPIC: &str = "posts.collected";
pub const OUTPUT_TOPIC: &str = "posts.sanitised";
pub const DEAD_LETTER_TOPIC: &str = "posts.dead-letter";
/// The demo sweeper's consumer group.
pub const SWEEP_GROUP: &str = "anoniem-demo-sweep";

/// The erasure list of the built-in rule set, which has no directory the
/// sweeper could read it from.
const BUILT_IN_ERASURE_LIST: &str = include_str!("../rules/lists/erased_authors.txt");
/// The erasure list's name in `[lists]`.
const ERASURE_LIST: &str = "erased_authors";

/// How long the demo waits for the sample to come through.
const SAMPLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the demo waits for the sweeper's tombstones once its clock moved.
const SWEEP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the mock broker failed")]
    Broker(#[from] KafkaError),
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Stage(#[from] StageError),
    #[error("the sweeper failed")]
    Sweep(#[from] SweepError),
    #[error("the sweeper stopped unexpectedly")]
    SweeperGone,
    #[error("the sample did not come through within {0:?}")]
    Timeout(Duration),
    #[error("the sweeper's tombstones did not come within {0:?}")]
    SweepTimeout(Duration),
    #[error("cannot start the runtime")]
    Runtime(#[from] std::io::Error),
}

/// What came out of the demo.
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub produced: usize,
    pub upserts: usize,
    /// Tombstones the stage wrote.
    pub tombstones: usize,
    pub dead_letters: usize,
    /// Tombstones the sweeper wrote (items removed after they were published).
    pub swept: usize,
}

/// Runs the demo; with `follow`, keeps going until `stop` is cancelled.
/// Prints to stdout as it goes.
pub fn run(
    rules_dir: Option<&Path>,
    follow: bool,
    stop: CancellationToken,
) -> Result<DemoSummary, DemoError> {
    // The demo's start: the sweeper's clock starts here (whole seconds,
    // never ahead of the stage's wall clock).
    let started = Timestamp::from_second(Timestamp::now().as_second()).unwrap_or_else(|_| Timestamp::now());
    // The mock cluster is not Send: it stays on this thread, the runtime's
    // tasks talk to it over loopback.
    let cluster = MockCluster::new(1)?;
    cluster.create_topic(INPUT_TOPIC, 3, 1)?;
    cluster.create_topic(OUTPUT_TOPIC, 3, 1)?;
    cluster.create_topic(DEAD_LETTER_TOPIC, 1, 1)?;
    let brokers = cluster.bootstrap_servers();

    let rules = match rules_dir {
        Some(dir) => rules::load(dir)?,
        None => rules::embedded::default_rules()?,
    };
    // The due times of what the demo prints, as the sweeper computes them.
    let due_times = Policy::from_parts(rules.retention.clone(), "", None);
    let key = demo_key();
    let engine = Arc::new(Engine::new(rules, Some(key.clone()), Limits::default())?);
    let config = demo_config(&brokers);

    println!("anoniem demo: an in-process Kafka broker at {brokers}");
    println!("  watch:   kcat -b {brokers} -C -t {OUTPUT_TOPIC} -f '%k  %s\\n'");
    println!("  produce: kcat -b {brokers} -P -t {INPUT_TOPIC}   (with --follow)");
    println!("  pseudonym key: a random demo-only key, new on every run");
    println!("  rule set: {}", &engine.rules_hash()[..12]);
    let sweeper = match DemoSweeper::start(rules_dir, &brokers, &key, started) {
        Ok(sweeper) => {
            println!(
                "  sweeper: group {SWEEP_GROUP} on {OUTPUT_TOPIC}, its clock at {started} (the demo moves it)"
            );
            Some(sweeper)
        }
        Err(why) => {
            println!("  sweeper: none ({why})");
            None
        }
    };
    println!();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let shutdown = CancellationToken::new();
        let stage = tokio::spawn({
            let (config, engine, shutdown) = (config.clone(), Arc::clone(&engine), shutdown.clone());
            async move { stream::run(&config, engine, shutdown).await }
        });
        let produced = produce_samples(&brokers).await?;
        let watched = watch(&brokers, produced, sweeper.as_ref(), due_times, follow, &stop).await;
        shutdown.cancel();
        let report = stage.await.map_err(|_| StageError::Workers)??;
        Ok::<_, DemoError>((produced, watched, report))
    });
    // The sweeper stops after the stage: its error, if any, comes first.
    let swept = sweeper.map(DemoSweeper::stop).transpose()?;
    let (produced, watched, report) = result?;
    let mut summary = watched?;
    summary.produced = produced;
    println!();
    let sweeper_part = match &swept {
        Some(r) => format!(
            "; {} removed by the sweeper; stage read {} and had {} acknowledged; sweeper read {} and had {} acknowledged",
            summary.swept, report.received, report.delivered, r.applied, r.tombstones
        ),
        None => format!(
            "; stage read {} and had {} acknowledged",
            report.received, report.delivered
        ),
    };
    println!(
        "anoniem demo: {} records in; out: {} sanitised, {} tombstones; {} to the dead-letter topic{sweeper_part}",
        summary.produced, summary.upserts, summary.tombstones, summary.dead_letters,
    );
    Ok(summary)
}

fn demo_config(brokers: &str) -> Config {
    let env: Env = [
        ("ANONIEM_BROKERS", brokers),
        ("ANONIEM_GROUP_ID", "anoniem-demo"),
        ("ANONIEM_INPUT_TOPIC", INPUT_TOPIC),
        ("ANONIEM_OUTPUT_TOPIC", OUTPUT_TOPIC),
        ("ANONIEM_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC),
        ("ANONIEM_LINGER_MS", "5"),
        ("ANONIEM_SHUTDOWN_TIMEOUT_MS", "10000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let mut config =
        Config::load(None, &env).unwrap_or_else(|e| unreachable!("the demo config is valid: {e}"));
    config.guarantee = Guarantee::AtLeastOnce;
    config
}

/// A random key for this run only: the demo needs no set-up.
fn demo_key() -> PseudonymKey {
    use std::hash::{BuildHasher, Hasher};
    let mut secret = String::new();
    for i in 0..4u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        secret.push_str(&format!("{:016x}", h.finish()));
    }
    // 64 hex characters: above the minimum length.
    PseudonymKey::from_secret(secret.as_bytes()).unwrap_or_else(|_| unreachable!())
}

/// Produces the sample posts, keyed by their id where they have one.
async fn produce_samples(brokers: &str) -> Result<usize, DemoError> {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "5")
        .create()?;
    let mut n = 0;
    for line in SAMPLE_POSTS.lines().filter(|l| !l.trim().is_empty()) {
        let id = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_owned));
        let mut record = FutureRecord::<str, str>::to(INPUT_TOPIC).payload(line);
        if let Some(id) = &id {
            record = record.key(id);
        }
        producer
            .send(record, Duration::from_secs(10))
            .await
            .map_err(|(e, _)| e)?;
        n += 1;
    }
    Ok(n)
}

/// `anoniem sweep` on the demo's output topic, on a thread of its own, with
/// a store in a scratch directory and a clock the demo moves.
struct DemoSweeper {
    clock: Clock,
    stop: CancellationToken,
    handle: JoinHandle<Result<sweep::Report, SweepError>>,
    _store: ScratchDir,
}

impl DemoSweeper {
    /// Starts the sweeper with the stage's rule set and key; `Err` says why
    /// there is none (a rule set without the erasure list, say).
    fn start(
        rules_dir: Option<&Path>,
        brokers: &str,
        key: &PseudonymKey,
        started: Timestamp,
    ) -> Result<DemoSweeper, String> {
        let policy = match rules_dir {
            Some(dir) => rules::load(dir)
                .map_err(|e| crate::error_chain(&e))
                .and_then(|r| {
                    Policy::new(r, dir, ERASURE_LIST, Some(key)).map_err(|e| crate::error_chain(&e))
                }),
            None => rules::embedded::default_rules()
                .map_err(|e| crate::error_chain(&e))
                .and_then(|r| {
                    Policy::from_rule_set(r, BUILT_IN_ERASURE_LIST, ERASURE_LIST, Some(key))
                        .map_err(|e| crate::error_chain(&e))
                }),
        }?;
        let store = ScratchDir::new().map_err(|e| format!("no directory for its store: {e}"))?;
        // Without a directory (the built-in set) a reload would find no
        // rules; the demo never asks for one and no list file can change.
        let dir = rules_dir.map_or_else(|| store.0.join("built-in-rules"), Path::to_path_buf);
        let clock = Clock::new(started);
        let mut opts = SweepOptions::new(brokers, OUTPUT_TOPIC, dir, store.0.join("store"));
        opts.group_id = SWEEP_GROUP.to_owned();
        opts.key = Some(key.clone());
        opts.clock = Some(clock.clone());
        opts.check_interval = Duration::from_millis(200);
        opts.cache_bytes = 4 << 20;
        opts.shutdown_timeout = Duration::from_secs(10);
        opts.kafka.producer.insert("linger.ms".into(), "5".into());
        let stop = CancellationToken::new();
        let handle = std::thread::Builder::new()
            .name("demo-sweeper".into())
            .spawn({
                let stop = stop.clone();
                move || sweep::run_with_policy(&opts, policy, stop, Arc::new(AtomicBool::new(false)))
            })
            .map_err(|e| format!("cannot start its thread: {e}"))?;
        Ok(DemoSweeper {
            clock,
            stop,
            handle,
            _store: store,
        })
    }

    fn stop(self) -> Result<sweep::Report, DemoError> {
        self.stop.cancel();
        match self.handle.join() {
            Ok(result) => Ok(result?),
            Err(_) => Err(DemoError::SweeperGone),
        }
    }
}

/// A directory under the system's temporary directory, removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> std::io::Result<ScratchDir> {
        use std::hash::{BuildHasher, Hasher};
        let h = std::collections::hash_map::RandomState::new().build_hasher();
        let dir =
            std::env::temp_dir().join(format!("anoniem-demo-{}-{:016x}", std::process::id(), h.finish()));
        std::fs::create_dir(&dir)?;
        Ok(ScratchDir(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An item the output topic holds, as the demo printed it.
struct Live {
    published: Option<Timestamp>,
    /// When its retention runs out.
    due: Option<Timestamp>,
}

/// Reads the output and dead-letter topics and prints each record.
struct Watcher {
    consumer: StreamConsumer,
    seen: Seen,
}

/// What the watcher printed.
struct Seen {
    summary: DemoSummary,
    live: BTreeMap<String, Live>,
    due_times: Policy,
}

/// Prints the records until `expected` came out of the stage; then moves
/// the sweeper's clock to the first due time among the live items and
/// prints until the sweeper's tombstones for them came. With `follow`, it
/// then goes on until `stop`.
async fn watch(
    brokers: &str,
    expected: usize,
    sweeper: Option<&DemoSweeper>,
    due_times: Policy,
    follow: bool,
    stop: &CancellationToken,
) -> Result<DemoSummary, DemoError> {
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "anoniem-demo-reader")
        .set("auto.offset.reset", "earliest")
        .set("isolation.level", "read_committed")
        .create()?;
    consumer.subscribe(&[OUTPUT_TOPIC, DEAD_LETTER_TOPIC])?;
    let mut w = Watcher {
        consumer,
        seen: Seen {
            summary: DemoSummary::default(),
            live: BTreeMap::new(),
            due_times,
        },
    };
    let timeout = |t| (!follow).then_some(t);
    let through = |s: &DemoSummary| s.upserts + s.tombstones + s.dead_letters >= expected;
    if !w.until(through, timeout(SAMPLE_TIMEOUT), stop).await? {
        return Ok(w.seen.summary);
    }
    if let Some(sweeper) = sweeper {
        let first = w
            .seen
            .live
            .iter()
            .filter_map(|(id, l)| l.due.map(|due| (due, id)))
            .min();
        match first {
            Some((due, id)) => {
                if sweeper.handle.is_finished() {
                    return Err(DemoError::SweeperGone);
                }
                let n = w
                    .seen
                    .live
                    .values()
                    .filter(|l| l.due.is_some_and(|d| d <= due))
                    .count();
                println!();
                println!(
                    "anoniem demo: the sweeper's clock moves from {} to {due}, when the retention of {id} runs out",
                    sweeper.clock.now()
                );
                println!();
                sweeper.clock.set(due);
                let target = w.seen.summary.swept + n;
                if !w
                    .until(|s| s.swept >= target, timeout(SWEEP_TIMEOUT), stop)
                    .await
                    .map_err(|e| match e {
                        DemoError::Timeout(t) => DemoError::SweepTimeout(t),
                        e => e,
                    })?
                {
                    return Ok(w.seen.summary);
                }
            }
            None => println!(
                "\nanoniem demo: no item on {OUTPUT_TOPIC} has a retention time: the sweeper has nothing to remove"
            ),
        }
    }
    if follow {
        w.until(|_| false, None, stop).await?;
    }
    Ok(w.seen.summary)
}

impl Watcher {
    /// Prints records until `done` holds (true), or `stop` (false); an
    /// error after `timeout`.
    async fn until(
        &mut self,
        done: impl Fn(&DemoSummary) -> bool,
        timeout: Option<Duration>,
        stop: &CancellationToken,
    ) -> Result<bool, DemoError> {
        let started = Instant::now();
        loop {
            if done(&self.seen.summary) {
                return Ok(true);
            }
            if let Some(t) = timeout
                && started.elapsed() > t
            {
                return Err(DemoError::Timeout(t));
            }
            let msg = tokio::select! {
                _ = stop.cancelled() => return Ok(false),
                _ = tokio::time::sleep(Duration::from_millis(500)) => continue,
                m = self.consumer.recv() => m?,
            };
            self.seen.print(&msg);
        }
    }
}

impl Seen {
    fn print(&mut self, msg: &impl Message) {
        let key = msg
            .key()
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
            .into_owned();
        let header = |name: &str| -> String {
            msg.headers()
                .and_then(|h| h.iter().find(|x| x.key == name))
                .and_then(|x| x.value)
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default()
        };
        if msg.topic() == DEAD_LETTER_TOPIC {
            self.summary.dead_letters += 1;
            println!(
                "dead-letter  {}  ({})",
                if key.is_empty() { "(no key)" } else { &key },
                header("anoniem-reason")
            );
            return;
        }
        let fired = header("anoniem-fired");
        match msg.payload() {
            Some(value) => {
                self.summary.upserts += 1;
                let item = self.due_times.item(value);
                let at = |ns: Option<i128>| ns.and_then(|ns| Timestamp::from_nanosecond(ns).ok());
                self.live.insert(
                    key.clone(),
                    Live {
                        published: at(item.as_ref().and_then(|i| i.published)),
                        due: at(item.and_then(|i| i.due)),
                    },
                );
                println!("{key}  {}", String::from_utf8_lossy(value));
            }
            None if fired.starts_with("sweep-") => {
                self.summary.swept += 1;
                let live = self.live.remove(&key);
                let why = match (fired.as_str(), live) {
                    (
                        "sweep-retention",
                        Some(Live {
                            published: Some(published),
                            due: Some(due),
                        }),
                    ) => format!(": published {published}, its retention ran out at {due}"),
                    ("sweep-erasure", _) => ": its author is on the erasure list".to_owned(),
                    _ => String::new(),
                };
                println!("{key}  (tombstone: removed by the sweeper, {fired}{why})");
            }
            None => {
                self.summary.tombstones += 1;
                self.live.remove(&key);
                println!("{key}  (tombstone: {fired})");
            }
        }
    }
}
