//! librdkafka settings of the sweeper's consumer and producer. The same
//! passthrough convention as `anoniem run` (`ANONIEM_KAFKA_*`,
//! `ANONIEM_KAFKA_CONSUMER_*`, `ANONIEM_KAFKA_PRODUCER_*`), so one
//! deployment environment serves both for TLS and SASL; the settings the
//! sweeper's guarantees depend on are set here and cannot be overridden.

use std::collections::BTreeMap;

use rdkafka::ClientConfig;

use super::SweepError;

/// Properties the sweeper sets itself.
const MANAGED: &[&str] = &[
    "bootstrap.servers",
    "group.id",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "enable.partition.eof",
    "enable.idempotence",
    "isolation.level",
    "transactional.id",
    "acks",
    "request.required.acks",
];

/// librdkafka properties from the environment, for both clients and each.
#[derive(Debug, Clone, Default)]
pub struct Passthrough {
    pub common: BTreeMap<String, String>,
    pub consumer: BTreeMap<String, String>,
    pub producer: BTreeMap<String, String>,
}

impl Passthrough {
    /// Reads `ANONIEM_KAFKA_[CONSUMER_|PRODUCER_]SOME_PROP=value` pairs.
    pub fn from_env(env: impl IntoIterator<Item = (String, String)>) -> Result<Passthrough, SweepError> {
        let mut out = Passthrough::default();
        for (name, value) in env {
            let (scope, rest) = if let Some(rest) = name.strip_prefix("ANONIEM_KAFKA_CONSUMER_") {
                (&mut out.consumer, rest)
            } else if let Some(rest) = name.strip_prefix("ANONIEM_KAFKA_PRODUCER_") {
                (&mut out.producer, rest)
            } else if let Some(rest) = name.strip_prefix("ANONIEM_KAFKA_") {
                (&mut out.common, rest)
            } else {
                continue;
            };
            let prop = rest.to_lowercase().replace('_', ".");
            if MANAGED.contains(&prop.as_str()) {
                return Err(SweepError::Config(format!(
                    "{name}: `{prop}` is set by anoniem sweep itself (its guarantees depend on it)"
                )));
            }
            scope.insert(prop, value);
        }
        Ok(out)
    }
}

/// The consumer: a group of its own on the output topic. Offsets come from
/// the store (the rebalance callback assigns each partition at the store's
/// next offset); the group's committed offsets follow the store, for lag
/// monitoring.
pub fn consumer(brokers: &str, group: &str, pass: &Passthrough) -> ClientConfig {
    let mut c = ClientConfig::new();
    for (k, v) in pass.common.iter().chain(&pass.consumer) {
        c.set(k, v);
    }
    c.set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.offset.store", "false")
        .set("enable.auto.commit", "true")
        // The stage may write in transactions: never track aborted records.
        .set("isolation.level", "read_committed")
        // "Caught up": a partition is swept once it has reached its end.
        .set("enable.partition.eof", "true");
    if c.get("auto.offset.reset").is_none() {
        // Only when the store's offset is out of range; the loop sees the
        // jump back and rebuilds that partition.
        c.set("auto.offset.reset", "earliest");
    }
    if c.get("auto.commit.interval.ms").is_none() {
        c.set("auto.commit.interval.ms", "1000");
    }
    c
}

/// The producer of the tombstones: idempotent, acknowledged by all
/// replicas. A tombstone not acknowledged within `message.timeout.ms`
/// (default here 5 minutes) is reported failed and produced again by a
/// later check: it stays due in the store until the topic shows it.
pub fn producer(brokers: &str, pass: &Passthrough) -> ClientConfig {
    let mut c = ClientConfig::new();
    for (k, v) in pass.common.iter().chain(&pass.producer) {
        c.set(k, v);
    }
    c.set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("acks", "all");
    for (k, v) in [
        ("message.timeout.ms", "300000"),
        ("linger.ms", "20"),
        ("compression.type", "lz4"),
    ] {
        if c.get(k).is_none() {
            c.set(k, v);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn passes_properties_through_by_scope() {
        let p = Passthrough::from_env(env(&[
            ("ANONIEM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
            ("ANONIEM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000"),
            ("ANONIEM_KAFKA_PRODUCER_LINGER_MS", "5"),
            ("ANONIEM_BROKERS", "x"),
        ]))
        .unwrap();
        let c = consumer("b:9092", "g", &p);
        assert_eq!(c.get("security.protocol"), Some("SASL_SSL"));
        assert_eq!(c.get("session.timeout.ms"), Some("6000"));
        assert_eq!(c.get("isolation.level"), Some("read_committed"));
        assert_eq!(c.get("enable.auto.offset.store"), Some("false"));
        let pr = producer("b:9092", &p);
        assert_eq!(pr.get("linger.ms"), Some("5"));
        assert_eq!(pr.get("acks"), Some("all"));
        assert_eq!(pr.get("session.timeout.ms"), None);
    }

    #[test]
    fn refuses_what_the_guarantees_depend_on() {
        for name in [
            "ANONIEM_KAFKA_ENABLE_AUTO_OFFSET_STORE",
            "ANONIEM_KAFKA_CONSUMER_ISOLATION_LEVEL",
            "ANONIEM_KAFKA_PRODUCER_ACKS",
        ] {
            assert!(Passthrough::from_env(env(&[(name, "x")])).is_err(), "{name}");
        }
    }
}
