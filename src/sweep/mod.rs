//! `anoniem sweep`: retention (P7) and erasure (P8) for what was already
//! published on the compacted output topic.
//!
//! The stage checks age and the erasure list only when an item passes
//! through it. The sweeper reads the output topic itself, in a consumer
//! group of its own, and keeps per assigned partition every live item's
//! id, due time and author key in an embedded store on disk ([`store`],
//! redb). When an item's retention runs out, or its author is on the
//! erasure list, it produces a tombstone for the id to the same partition.
//! Tombstones and updates it reads back update the store, so the store is
//! the topic's current state, whichever stage instance (or sweeper) wrote it.
//!
//! - [`policy`]: due times and the erasure list (pure);
//! - [`store`]: the redb store, its indexes and offsets;
//! - [`clients`]: librdkafka settings;
//! - [`run`](mod@run): the loop: consume, apply, check, produce;
//! - [`metrics`]: what it counts.
//!
//! Delivery: at least once. An item stays in the store until the topic
//! shows a later record for its key (normally the tombstone read back), so
//! a crash between producing and reading back makes it produce the
//! tombstone again, never lose it. See the README, "`anoniem sweep`".

pub mod clients;
mod erasure_topic;
pub mod metrics;
pub mod policy;
pub mod run;
pub mod store;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rdkafka::error::KafkaError;

use crate::engine::PseudonymKey;

pub use clients::Passthrough;
pub use policy::Policy;
pub use run::{Report, run, run_with_policy};
pub use store::Store;

/// The sweeper stopped for a reason other than a shutdown request.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("invalid sweep settings: {0}")]
    Config(String),
    #[error("cannot load the rule set")]
    Rules(#[from] crate::rules::RulesError),
    #[error(transparent)]
    Policy(#[from] policy::PolicyError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot create the Kafka client")]
    Client(#[source] KafkaError),
    #[error("cannot subscribe to topic {topic}")]
    Subscribe {
        topic: String,
        #[source]
        source: KafkaError,
    },
}

/// A clock that its owner sets and the sweeper reads at every check:
/// `anoniem demo` moves it forward so that an item ages out while it runs.
#[derive(Debug, Clone)]
pub struct Clock(Arc<Mutex<jiff::Timestamp>>);

impl Clock {
    pub fn new(at: jiff::Timestamp) -> Clock {
        Clock(Arc::new(Mutex::new(at)))
    }

    /// Moves the clock to `at` (forward or back).
    pub fn set(&self, at: jiff::Timestamp) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    pub fn now(&self) -> jiff::Timestamp {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How the sweeper runs.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    pub brokers: String,
    /// The stage's output topic (compacted).
    pub topic: String,
    pub group_id: String,
    pub rules_dir: PathBuf,
    /// The stage's pseudonym key (needed when the rules pseudonymise).
    pub key: Option<PseudonymKey>,
    /// The name of the erasure list in the rule set's `[lists]`.
    pub erasure_list: String,
    /// The erasure list's compacted topic (as `list_topics` gives it to the
    /// stage): its entries join the list file's.
    pub erasure_topic: Option<String>,
    /// Where the store lives (one directory per sweeper instance).
    pub store_dir: PathBuf,
    /// How often the clock is read and due items are looked for.
    pub check_interval: Duration,
    /// A fixed clock (tests, replays); `None`: the wall clock.
    pub now: Option<jiff::Timestamp>,
    /// A clock its owner moves while the sweeper runs (`anoniem demo`);
    /// when set, it is read instead of `now` and the wall clock.
    pub clock: Option<Clock>,
    /// Forget the store and rebuild it from the beginning of the topic.
    pub rebuild: bool,
    /// Tombstones produced and not yet read back, at most.
    pub max_in_flight: usize,
    /// The store's page cache.
    pub cache_bytes: usize,
    /// How long a shutdown may take to flush the producer and commit.
    pub shutdown_timeout: Duration,
    pub kafka: Passthrough,
}

impl SweepOptions {
    /// Options with the defaults for everything but the topic and places.
    pub fn new(brokers: &str, topic: &str, rules_dir: PathBuf, store_dir: PathBuf) -> SweepOptions {
        SweepOptions {
            brokers: brokers.to_owned(),
            topic: topic.to_owned(),
            group_id: "anoniem-sweep".to_owned(),
            rules_dir,
            key: None,
            erasure_list: "erased_authors".to_owned(),
            erasure_topic: None,
            store_dir,
            check_interval: Duration::from_secs(60),
            now: None,
            clock: None,
            rebuild: false,
            max_in_flight: 10_000,
            cache_bytes: 64 << 20,
            shutdown_timeout: Duration::from_secs(30),
            kafka: Passthrough::default(),
        }
    }
}
