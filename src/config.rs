//! The stage configuration of `anoniem run`: a TOML file, every key of
//! which an `ANONIEM_<KEY>` environment variable overrides, so a deployment
//! can run with the environment alone.
//!
//! Raw values are read into a TOML table (file first, then environment),
//! deserialised with unknown keys refused, then `validate()`d; every error
//! names the key and where its value came from.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The delivery guarantee of the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guarantee {
    /// Offsets are committed only after the outputs of a record and of all
    /// records before it in its partition are acknowledged; duplicates are
    /// possible after a crash or rebalance.
    AtLeastOnce,
    /// Kafka transactions: outputs and input offsets commit together;
    /// readers of the output must use `isolation.level=read_committed`.
    ExactlyOnce,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `bootstrap.servers`: host:port[,host:port...].
    pub brokers: String,
    #[serde(default = "defaults::group_id")]
    pub group_id: String,
    pub input_topic: String,
    pub output_topic: String,
    pub dead_letter_topic: String,
    #[serde(default = "defaults::rules_dir")]
    pub rules_dir: PathBuf,
    /// A file holding the pseudonym key; else `ANONIEM_PSEUDONYM_KEY`.
    pub pseudonym_key_file: Option<PathBuf>,
    #[serde(default = "defaults::guarantee")]
    pub guarantee: Guarantee,
    /// Engine threads; 0 = one per core.
    #[serde(default)]
    pub worker_threads: usize,
    /// Records read but not yet acknowledged by the broker, at most.
    #[serde(default = "defaults::max_in_flight_records")]
    pub max_in_flight_records: usize,
    /// Bytes of such records, at most.
    #[serde(default = "defaults::max_in_flight_bytes")]
    pub max_in_flight_bytes: usize,
    #[serde(default = "defaults::max_record_bytes")]
    pub max_record_bytes: usize,
    #[serde(default = "defaults::max_depth")]
    pub max_depth: usize,
    /// The producer's `message.max.bytes`: the largest record anoniem
    /// hands to librdkafka. An output record over it becomes a dead letter
    /// (`too_large`); a dead letter over it leaves out the original bytes.
    /// The output and dead-letter topics' `max.message.bytes` must be at
    /// least this (Kafka's default, 1048588, is).
    #[serde(default = "defaults::max_message_bytes")]
    pub max_message_bytes: usize,
    /// Whether dead-letter records carry the original bytes. They hold
    /// unsanitised personal data: restrict access to that topic.
    #[serde(default = "defaults::yes")]
    pub dead_letter_include_payload: bool,
    /// Producer batching (librdkafka `linger.ms`, `batch.size`,
    /// `compression.type`): set for throughput, stated with every figure.
    #[serde(default = "defaults::linger_ms")]
    pub linger_ms: u64,
    #[serde(default = "defaults::batch_size")]
    pub batch_size: u64,
    #[serde(default = "defaults::compression")]
    pub compression: String,
    /// How long SIGTERM/SIGINT may take to drain, flush and commit.
    #[serde(default = "defaults::shutdown_timeout_ms")]
    pub shutdown_timeout_ms: u64,
    /// How long a revocation waits for the in-flight records of the revoked
    /// partitions before giving them up to their next owner.
    #[serde(default = "defaults::rebalance_drain_timeout_ms")]
    pub rebalance_drain_timeout_ms: u64,
    /// Exactly-once: the producer's `transactional.id`; unique per
    /// instance. Default: `<group_id>-<hostname>`.
    pub transactional_id: Option<String>,
    /// Exactly-once: records per transaction, at most.
    #[serde(default = "defaults::transaction_max_records")]
    pub transaction_max_records: usize,
    /// Exactly-once: how long a transaction collects records, at most.
    #[serde(default = "defaults::transaction_max_ms")]
    pub transaction_max_ms: u64,
    #[serde(default = "defaults::transaction_timeout_ms")]
    pub transaction_timeout_ms: u64,
    /// Serve Prometheus metrics at http://ADDR/metrics (and /healthz, /readyz).
    pub metrics_listen: Option<SocketAddr>,
    /// Reload the rules when a file under `rules_dir` changes (as on SIGHUP:
    /// compiled and tested first, swapped only if it passes).
    #[serde(default = "defaults::watch_rules")]
    pub watch_rules: bool,
    /// Lists fed from a compacted topic as well as from their file, by
    /// list name (`{ erased_authors = "anoniem.erased" }`). A list holds
    /// an entry that is in its file or currently in its topic.
    #[serde(default)]
    pub list_topics: BTreeMap<String, String>,
    /// librdkafka properties passed through (TLS, SASL, tuning).
    #[serde(default)]
    pub librdkafka: Librdkafka,
}

/// librdkafka properties: for both clients, and for each one.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Librdkafka {
    #[serde(default)]
    pub consumer: BTreeMap<String, Prop>,
    #[serde(default)]
    pub producer: BTreeMap<String, Prop>,
    #[serde(flatten)]
    pub common: BTreeMap<String, Prop>,
}

/// A librdkafka property value; TOML may write it as a string, number or boolean.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Prop {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl std::fmt::Display for Prop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prop::Str(s) => f.write_str(s),
            Prop::Int(i) => write!(f, "{i}"),
            Prop::Bool(b) => write!(f, "{b}"),
        }
    }
}

mod defaults {
    use super::Guarantee;
    use std::path::PathBuf;
    pub fn group_id() -> String {
        "anoniem".into()
    }
    pub fn watch_rules() -> bool {
        true
    }

    pub fn rules_dir() -> PathBuf {
        "rules".into()
    }
    pub fn guarantee() -> Guarantee {
        Guarantee::AtLeastOnce
    }
    pub fn max_in_flight_records() -> usize {
        20_000
    }
    pub fn max_in_flight_bytes() -> usize {
        64 * 1024 * 1024
    }
    pub fn max_record_bytes() -> usize {
        1024 * 1024
    }
    pub fn max_depth() -> usize {
        32
    }
    pub fn max_message_bytes() -> usize {
        // librdkafka's default, below Kafka's default topic limit.
        1_000_000
    }
    pub fn yes() -> bool {
        true
    }
    pub fn linger_ms() -> u64 {
        20
    }
    pub fn batch_size() -> u64 {
        1_000_000
    }
    pub fn compression() -> String {
        "lz4".into()
    }
    pub fn shutdown_timeout_ms() -> u64 {
        30_000
    }
    pub fn rebalance_drain_timeout_ms() -> u64 {
        10_000
    }
    pub fn transaction_max_records() -> usize {
        1_000
    }
    pub fn transaction_max_ms() -> u64 {
        100
    }
    pub fn transaction_timeout_ms() -> u64 {
        60_000
    }
}

/// The type of a key, to read it from an environment variable.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Int,
    Bool,
    /// A table of strings: `name=value,name=value`.
    Map,
}

/// Every top-level key, for the environment overrides (`ANONIEM_<KEY>`).
const KEYS: &[(&str, Kind)] = &[
    ("brokers", Kind::Str),
    ("group_id", Kind::Str),
    ("input_topic", Kind::Str),
    ("output_topic", Kind::Str),
    ("dead_letter_topic", Kind::Str),
    ("rules_dir", Kind::Str),
    ("pseudonym_key_file", Kind::Str),
    ("guarantee", Kind::Str),
    ("worker_threads", Kind::Int),
    ("max_in_flight_records", Kind::Int),
    ("max_in_flight_bytes", Kind::Int),
    ("max_record_bytes", Kind::Int),
    ("max_depth", Kind::Int),
    ("max_message_bytes", Kind::Int),
    ("dead_letter_include_payload", Kind::Bool),
    ("linger_ms", Kind::Int),
    ("batch_size", Kind::Int),
    ("compression", Kind::Str),
    ("shutdown_timeout_ms", Kind::Int),
    ("rebalance_drain_timeout_ms", Kind::Int),
    ("transactional_id", Kind::Str),
    ("transaction_max_records", Kind::Int),
    ("transaction_max_ms", Kind::Int),
    ("transaction_timeout_ms", Kind::Int),
    ("metrics_listen", Kind::Str),
    ("watch_rules", Kind::Bool),
    ("list_topics", Kind::Map),
];

/// Environment prefixes of librdkafka properties: `ANONIEM_KAFKA_SECURITY_PROTOCOL`
/// sets `security.protocol` for both clients.
const KAFKA_ENV: [(&str, Option<&str>); 3] = [
    ("ANONIEM_KAFKA_CONSUMER_", Some("consumer")),
    ("ANONIEM_KAFKA_PRODUCER_", Some("producer")),
    ("ANONIEM_KAFKA_", None),
];

/// librdkafka properties anoniem sets itself: the delivery guarantee depends on them.
const MANAGED: &[&str] = &[
    "bootstrap.servers",
    "group.id",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "enable.idempotence",
    "isolation.level",
    "transactional.id",
    "transaction.timeout.ms",
    "acks",
    "request.required.acks",
    "message.max.bytes",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("invalid config: key `{key}` (from {origin}): {message}")]
    Key {
        key: String,
        origin: String,
        message: String,
    },
    #[error("invalid config: {0}")]
    Other(String),
}

impl Config {
    /// Reads the config file (if any), applies this process's environment, validates.
    pub fn from_env(file: Option<&Path>) -> Result<Config, ConfigError> {
        let env: Env = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.starts_with("ANONIEM_"))
            .collect();
        Config::load(file, &env)
    }

    /// Reads the config file (if any), applies `env`, validates.
    pub fn load(file: Option<&Path>, env: &Env) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                text.parse::<toml::Table>().map_err(|e| ConfigError::Syntax {
                    path: path.to_path_buf(),
                    message: e.message().trim().to_owned(),
                })?
            }
            None => toml::Table::new(),
        };
        let mut origins: BTreeMap<String, String> = table
            .keys()
            .map(|k| {
                (
                    k.clone(),
                    file.map_or_else(String::new, |p| p.display().to_string()),
                )
            })
            .collect();
        apply_env(&mut table, &mut origins, env)?;
        let config: Config = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let message = e.inner().message().trim().to_owned();
            let mut key = e.path().to_string();
            if key.is_empty() || key == "." {
                // serde names the key in "missing field `x`" and "unknown field `x`".
                key = message.split('`').nth(1).unwrap_or_default().to_owned();
            }
            let top = key.split('.').next().unwrap_or_default();
            ConfigError::Key {
                origin: origins.get(top).cloned().unwrap_or_else(|| "the config".into()),
                key,
                message,
            }
        })?;
        config.validate(&origins)?;
        Ok(config)
    }

    fn validate(&self, origins: &BTreeMap<String, String>) -> Result<(), ConfigError> {
        let bad = |key: &str, message: &str| ConfigError::Key {
            key: key.to_owned(),
            origin: origins.get(key).cloned().unwrap_or_else(|| "the default".into()),
            message: message.to_owned(),
        };
        for (key, value) in [
            ("brokers", &self.brokers),
            ("group_id", &self.group_id),
            ("input_topic", &self.input_topic),
            ("output_topic", &self.output_topic),
            ("dead_letter_topic", &self.dead_letter_topic),
        ] {
            if value.trim().is_empty() {
                return Err(bad(key, "must not be empty"));
            }
        }
        if self.output_topic == self.input_topic || self.dead_letter_topic == self.input_topic {
            return Err(bad(
                "input_topic",
                "must differ from the output and dead-letter topics",
            ));
        }
        if self.dead_letter_topic == self.output_topic {
            return Err(bad("dead_letter_topic", "must differ from the output topic"));
        }
        if self.max_in_flight_records == 0 {
            return Err(bad("max_in_flight_records", "must be at least 1"));
        }
        if self.max_in_flight_bytes < self.max_record_bytes {
            return Err(bad("max_in_flight_bytes", "must be at least max_record_bytes"));
        }
        if self.max_depth == 0 || self.max_record_bytes == 0 {
            return Err(bad("max_depth", "limits must be above zero"));
        }
        if !(4096..=1_000_000_000).contains(&self.max_message_bytes) {
            return Err(bad("max_message_bytes", "must be between 4096 and 1000000000"));
        }
        if !["none", "gzip", "snappy", "lz4", "zstd"].contains(&self.compression.as_str()) {
            return Err(bad("compression", "one of none, gzip, snappy, lz4, zstd"));
        }
        if self.transaction_max_records == 0 {
            return Err(bad("transaction_max_records", "must be at least 1"));
        }
        if self.transaction_timeout_ms < 2_000 {
            return Err(bad("transaction_timeout_ms", "must be at least 2000"));
        }
        let mut list_topics = std::collections::BTreeSet::new();
        for (name, topic) in &self.list_topics {
            let bad = |message: &str| ConfigError::Key {
                key: format!("list_topics.{name}"),
                origin: origins
                    .get("list_topics")
                    .cloned()
                    .unwrap_or_else(|| "the config".into()),
                message: message.to_owned(),
            };
            if name.trim().is_empty() || topic.trim().is_empty() {
                return Err(bad("list name and topic must not be empty"));
            }
            if [&self.input_topic, &self.output_topic, &self.dead_letter_topic].contains(&topic) {
                return Err(bad("must differ from the input, output and dead-letter topics"));
            }
            if !list_topics.insert(topic) {
                return Err(bad("another list already reads this topic"));
            }
        }
        for (scope, props) in [
            ("librdkafka", &self.librdkafka.common),
            ("librdkafka.consumer", &self.librdkafka.consumer),
            ("librdkafka.producer", &self.librdkafka.producer),
        ] {
            if let Some(key) = props.keys().find(|k| MANAGED.contains(&k.as_str())) {
                return Err(bad(
                    &format!("{scope}.{key}"),
                    "is set by anoniem itself (from brokers, group_id, guarantee and max_message_bytes)",
                ));
            }
        }
        Ok(())
    }

    /// The producer's transactional id (exactly-once).
    pub fn transactional_id(&self) -> String {
        self.transactional_id.clone().unwrap_or_else(|| {
            let host = gethostname::gethostname().to_string_lossy().into_owned();
            format!("{}-{host}", self.group_id)
        })
    }
}

/// Environment variables by name.
pub type Env = BTreeMap<String, String>;

/// The environment form of a table of strings: `name=value,name=value`
/// (spaces around either part trimmed); `None` if an item has no `=`.
pub fn parse_map(raw: &str) -> Option<BTreeMap<String, String>> {
    raw.split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|item| {
            let (name, value) = item.split_once('=')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

fn apply_env(
    table: &mut toml::Table,
    origins: &mut BTreeMap<String, String>,
    env: &Env,
) -> Result<(), ConfigError> {
    for (key, kind) in KEYS {
        let var = format!("ANONIEM_{}", key.to_uppercase());
        let Some(raw) = env.get(&var).cloned() else {
            continue;
        };
        let err = |message: &str| ConfigError::Key {
            key: (*key).to_owned(),
            origin: var.clone(),
            message: message.to_owned(),
        };
        let value = match kind {
            Kind::Str => toml::Value::String(raw),
            Kind::Int => toml::Value::Integer(raw.trim().parse().map_err(|_| err("not a whole number"))?),
            Kind::Bool => toml::Value::Boolean(match raw.trim() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err(err("not true or false")),
            }),
            Kind::Map => toml::Value::Table(
                parse_map(&raw)
                    .ok_or_else(|| err("not a list of name=value pairs separated by commas"))?
                    .into_iter()
                    .map(|(k, v)| (k, toml::Value::String(v)))
                    .collect(),
            ),
        };
        table.insert((*key).to_owned(), value);
        origins.insert((*key).to_owned(), var);
    }
    // librdkafka passthrough: ANONIEM_KAFKA_[CONSUMER_|PRODUCER_]SOME_PROP=value.
    for (name, value) in env.iter().filter(|(k, _)| k.starts_with("ANONIEM_KAFKA_")) {
        let Some((prefix, scope)) = KAFKA_ENV.iter().find(|(p, _)| name.starts_with(p)) else {
            continue;
        };
        let prop = name[prefix.len()..].to_lowercase().replace('_', ".");
        let lib = table
            .entry("librdkafka")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let Some(lib) = lib.as_table_mut() else {
            return Err(ConfigError::Other("`librdkafka` must be a table".into()));
        };
        let target = match scope {
            Some(scope) => lib
                .entry(*scope)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| ConfigError::Other(format!("`librdkafka.{scope}` must be a table")))?,
            None => lib,
        };
        target.insert(prop, toml::Value::String(value.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    const REQUIRED: &[(&str, &str)] = &[
        ("ANONIEM_BROKERS", "127.0.0.1:9092"),
        ("ANONIEM_INPUT_TOPIC", "in"),
        ("ANONIEM_OUTPUT_TOPIC", "out"),
        ("ANONIEM_DEAD_LETTER_TOPIC", "dlq"),
    ];

    /// Every key of the config can be set from the environment
    /// (`ANONIEM_<KEY>`), and setting it changes the config (`deny_unknown_fields`
    /// refuses a key in the list that the struct lacks).
    #[test]
    fn every_key_can_be_set_from_the_environment() {
        let base = format!("{:?}", Config::load(None, &env_of(REQUIRED)).unwrap());
        for (key, kind) in KEYS {
            let value = match (*key, kind) {
                ("guarantee", _) => "exactly-once",
                ("metrics_listen", _) => "127.0.0.1:19464",
                ("compression", _) => "zstd",
                ("list_topics", _) => "erased_authors=anoniem.erased",
                (_, Kind::Str) => "/some/where-else",
                (
                    "max_in_flight_bytes" | "max_record_bytes" | "max_message_bytes" | "batch_size",
                    Kind::Int,
                ) => "4194304",
                (_, Kind::Int) => "4242",
                (_, Kind::Map) => unreachable!("every map key has its own value above"),
                (_, Kind::Bool) => {
                    // Flip the default.
                    if base.contains(&format!("{key}: true")) {
                        "false"
                    } else {
                        "true"
                    }
                }
            };
            let var = format!("ANONIEM_{}", key.to_uppercase());
            let mut pairs = REQUIRED.to_vec();
            let required = pairs.iter().position(|(k, _)| *k == var);
            match required {
                Some(i) => pairs[i].1 = value,
                None => pairs.push((var.as_str(), value)),
            }
            let c = Config::load(None, &env_of(&pairs)).unwrap_or_else(|e| panic!("{var}={value}: {e}"));
            assert_ne!(format!("{c:?}"), base, "{var} changed nothing");
        }
    }

    #[test]
    fn the_environment_alone_is_enough() {
        let mut pairs = REQUIRED.to_vec();
        pairs.extend([
            ("ANONIEM_GUARANTEE", "exactly-once"),
            ("ANONIEM_GROUP_ID", "g1"),
            ("ANONIEM_RULES_DIR", "/etc/anoniem/rules"),
            ("ANONIEM_MAX_IN_FLIGHT_RECORDS", "500"),
        ]);
        let c = Config::load(None, &env_of(&pairs)).unwrap();
        assert_eq!(c.brokers, "127.0.0.1:9092");
        assert_eq!(c.guarantee, Guarantee::ExactlyOnce);
        assert_eq!(c.group_id, "g1");
        assert_eq!(c.rules_dir, PathBuf::from("/etc/anoniem/rules"));
        assert_eq!(c.max_in_flight_records, 500);
        assert_eq!(c.linger_ms, 20);
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anoniem.toml");
        std::fs::write(
            &path,
            "brokers = \"file:9092\"\ninput_topic = \"in\"\noutput_topic = \"out\"\n\
             dead_letter_topic = \"dlq\"\n[librdkafka]\n\"security.protocol\" = \"ssl\"\n\
             [librdkafka.producer]\n\"queue.buffering.max.ms\" = 5\n",
        )
        .unwrap();
        let env = env_of(&[
            ("ANONIEM_BROKERS", "env:9092"),
            ("ANONIEM_KAFKA_CONSUMER_FETCH_MAX_BYTES", "1000"),
        ]);
        let c = Config::load(Some(&path), &env).unwrap();
        assert_eq!(c.brokers, "env:9092");
        assert_eq!(c.librdkafka.common["security.protocol"].to_string(), "ssl");
        assert_eq!(c.librdkafka.producer["queue.buffering.max.ms"].to_string(), "5");
        assert_eq!(c.librdkafka.consumer["fetch.max.bytes"].to_string(), "1000");
    }

    #[test]
    fn errors_name_the_key_and_its_origin() {
        let err = Config::load(None, &env_of(&REQUIRED[..3]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("dead_letter_topic"), "{err}");

        let mut pairs = REQUIRED.to_vec();
        pairs.push(("ANONIEM_MAX_IN_FLIGHT_RECORDS", "many"));
        let err = Config::load(None, &env_of(&pairs)).unwrap_err().to_string();
        assert!(
            err.contains("max_in_flight_records") && err.contains("ANONIEM_MAX_IN_FLIGHT_RECORDS"),
            "{err}"
        );

        let mut pairs = REQUIRED.to_vec();
        pairs.push(("ANONIEM_GUARANTEE", "at-most-once"));
        let err = Config::load(None, &env_of(&pairs)).unwrap_err().to_string();
        assert!(err.contains("guarantee"), "{err}");

        let mut pairs = REQUIRED.to_vec();
        pairs.push(("ANONIEM_OUTPUT_TOPIC", "in"));
        let err = Config::load(None, &env_of(&pairs)).unwrap_err().to_string();
        assert!(err.contains("input_topic"), "{err}");
    }

    #[test]
    fn list_topics_from_the_file_or_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anoniem.toml");
        std::fs::write(
            &path,
            "list_topics = { erased_authors = \"anoniem.erased\", owned_pages = \"anoniem.owned\" }\n",
        )
        .unwrap();
        let c = Config::load(Some(&path), &env_of(REQUIRED)).unwrap();
        assert_eq!(c.list_topics["erased_authors"], "anoniem.erased");
        assert_eq!(c.list_topics["owned_pages"], "anoniem.owned");

        let mut pairs = REQUIRED.to_vec();
        pairs.push((
            "ANONIEM_LIST_TOPICS",
            " erased_authors = anoniem.erased , owned_pages=anoniem.owned,",
        ));
        let c = Config::load(None, &env_of(&pairs)).unwrap();
        assert_eq!(c.list_topics.len(), 2);
        assert_eq!(c.list_topics["owned_pages"], "anoniem.owned");
        assert!(
            Config::load(None, &env_of(REQUIRED))
                .unwrap()
                .list_topics
                .is_empty()
        );
    }

    #[test]
    fn bad_list_topics_are_refused() {
        for (value, says) in [
            ("erased_authors", "name=value"),
            ("erased_authors=", "must not be empty"),
            ("erased_authors=in", "must differ"),
            ("erased_authors=t,owned_pages=t", "another list"),
        ] {
            let mut pairs = REQUIRED.to_vec();
            pairs.push(("ANONIEM_LIST_TOPICS", value));
            let err = Config::load(None, &env_of(&pairs)).unwrap_err().to_string();
            assert!(
                err.contains("list_topics") && err.contains(says),
                "{value}: {err}"
            );
            assert!(err.contains("ANONIEM_LIST_TOPICS"), "{err}");
        }
    }

    #[test]
    fn unknown_and_managed_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anoniem.toml");
        std::fs::write(&path, "brokers = \"b\"\nbrokres = \"typo\"\n").unwrap();
        let err = Config::load(Some(&path), &env_of(REQUIRED))
            .unwrap_err()
            .to_string();
        assert!(err.contains("brokres"), "{err}");

        std::fs::write(&path, "[librdkafka]\n\"enable.auto.offset.store\" = true\n").unwrap();
        let err = Config::load(Some(&path), &env_of(REQUIRED))
            .unwrap_err()
            .to_string();
        assert!(err.contains("enable.auto.offset.store"), "{err}");
    }
}
