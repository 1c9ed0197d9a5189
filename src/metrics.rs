//! What the stage counts and logs, one function per event, so each event is
//! named once. Labels are bounded (rule names, reject kinds, outcomes) and
//! never carry record content (P11).

use std::net::SocketAddr;
use std::sync::Arc;

use metrics::{Counter, Histogram};

use crate::detect::{Kind, KindSet};
use crate::engine::{Engine, RuleIdx};
use crate::rules::RuleSet;

/// Serves the metrics at `http://addr/metrics` (Prometheus text format).
pub fn install_prometheus(addr: SocketAddr) -> Result<(), String> {
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()
        .map_err(|e| e.to_string())?;
    tracing::info!(%addr, "serving metrics at /metrics");
    Ok(())
}

/// Serves `/metrics`, `/healthz` and `/readyz` at `addr` (see
/// `crate::health`); call from within the stage's tokio runtime.
pub async fn serve_endpoints(addr: SocketAddr) -> Result<(), String> {
    crate::health::serve(addr).await
}

/// A record was read from the input topic (so the broker is reachable).
pub fn received(bytes: usize) {
    metrics::counter!("anoniem_records_in_total").increment(1);
    metrics::counter!("anoniem_bytes_in_total").increment(bytes as u64);
    crate::health::health().broker_reachable(true);
}

/// Partitions of the input were assigned to this instance.
pub fn assigned(partitions: usize) {
    metrics::counter!("anoniem_partitions_assigned_total").increment(partitions as u64);
    crate::health::health().add_assigned(partitions as i64);
    tracing::info!(partitions, "partitions assigned");
}

/// The client lost every broker: not ready until a record comes again.
pub fn brokers_down() {
    crate::health::health().broker_reachable(false);
}

/// The per-record metrics of one rule set, registered once (a handle per
/// rule, outcome and kind), so counting a record allocates nothing and
/// looks nothing up by name. Each engine thread keeps one and makes a new
/// one when the rule set changes ([`EngineMetrics::is_for`]).
pub struct EngineMetrics {
    /// The rule set whose indices `rule_hits` follows.
    rules: Arc<RuleSet>,
    rule_hits: Vec<Counter>,
    upserts: Counter,
    tombstones: Counter,
    /// By `Kind as usize`, in the order of [`Kind::ALL`].
    detector_hits: [Counter; Kind::ALL.len()],
    engine_seconds: Histogram,
}

impl EngineMetrics {
    pub fn new(engine: &Engine) -> EngineMetrics {
        let rule_hits = (0..engine.rule_count())
            .map(|i| {
                let name = engine.rule_name(i as RuleIdx).to_owned();
                metrics::counter!("anoniem_rule_hits_total", "rule" => name)
            })
            .collect();
        EngineMetrics {
            rules: Arc::clone(engine.rule_set()),
            rule_hits,
            upserts: metrics::counter!("anoniem_records_sanitised_total", "outcome" => "upsert"),
            tombstones: metrics::counter!("anoniem_records_sanitised_total", "outcome" => "tombstone"),
            detector_hits: Kind::ALL
                .map(|kind| metrics::counter!("anoniem_detector_hits_total", "kind" => kind.as_str())),
            engine_seconds: metrics::histogram!("anoniem_engine_seconds"),
        }
    }

    /// Whether these handles name `engine`'s rules.
    pub fn is_for(&self, engine: &Engine) -> bool {
        Arc::ptr_eq(&self.rules, engine.rule_set())
    }

    /// The engine sanitised a record into an upsert or a tombstone; `fired`
    /// are indices of this rule set's rules.
    pub fn sanitised(&self, tombstone: bool, fired: &[RuleIdx], found: KindSet, took: std::time::Duration) {
        if tombstone {
            self.tombstones.increment(1);
        } else {
            self.upserts.increment(1);
        }
        for r in fired {
            if let Some(c) = self.rule_hits.get(usize::from(*r)) {
                c.increment(1);
            }
        }
        // Records in which each kind of personal data was redacted.
        for kind in found.iter() {
            if let Some(c) = self.detector_hits.get(kind as usize) {
                c.increment(1);
            }
        }
        self.engine_seconds.record(took.as_secs_f64());
    }
}

/// The rule set in force (at start and after each reload): an info metric
/// with its hash, 1 for the set in force and 0 for the one it replaced.
pub fn rules_in_force(hash: &str, replaced: Option<&str>) {
    if let Some(old) = replaced {
        metrics::gauge!("anoniem_rules_info", "hash" => old[..old.len().min(12)].to_owned()).set(0.0);
    }
    metrics::gauge!("anoniem_rules_info", "hash" => hash[..hash.len().min(12)].to_owned()).set(1.0);
}

/// A record goes to the dead-letter topic, for a reason of this kind.
pub fn rejected(kind: &'static str) {
    metrics::counter!("anoniem_records_rejected_total", "reason" => kind).increment(1);
    // The kind names fields and limits, never content.
    tracing::debug!(reason = kind, "record rejected to the dead-letter topic");
}

/// The broker acknowledged the output (or dead-letter) record of an input record.
pub fn delivered(dead_letter: bool) {
    let topic = if dead_letter { "dead_letter" } else { "output" };
    metrics::counter!("anoniem_records_delivered_total", "topic" => topic).increment(1);
}

/// The output (or dead-letter) records of input records are delivered:
/// at-least-once when the broker acknowledges each one, exactly-once when
/// the transaction holding them commits (only then can a `read_committed`
/// reader see them). Records the time from each input record's Kafka
/// timestamp (CreateTime or LogAppendTime, whichever the topic keeps) to
/// now; records without a timestamp are left out. A timestamp ahead of
/// this host's clock (skew between the producer's or broker's clock and
/// ours) counts as 0 s and is counted in `anoniem_end_to_end_clock_skew_total`.
pub fn end_to_end(timestamps_ms: impl IntoIterator<Item = Option<i64>>) {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let histogram = metrics::histogram!("anoniem_end_to_end_seconds");
    for ts in timestamps_ms {
        let Some((seconds, skewed)) = end_to_end_seconds(ts, now_ms) else {
            continue;
        };
        if skewed {
            metrics::counter!("anoniem_end_to_end_clock_skew_total").increment(1);
        }
        histogram.record(seconds);
    }
}

/// The end-to-end time of a record with Kafka timestamp `ts` delivered at
/// `now_ms`, clamped at 0, and whether it had to be; `None` without a
/// timestamp (librdkafka reports a missing one as -1).
fn end_to_end_seconds(ts: Option<i64>, now_ms: i64) -> Option<(f64, bool)> {
    let ts = ts.filter(|t| *t >= 0)?;
    let ms = now_ms.saturating_sub(ts);
    Some((ms.max(0) as f64 / 1000.0, ms < 0))
}

/// A produce failed for good: the stage stops without committing past it.
pub fn produce_failed(error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_produce_failures_total").increment(1);
    tracing::error!(%error, "a produce failed for good; stopping without committing past it");
}

/// The producer's client reported an error (broker unreachable, ...); the
/// records it holds are retried (a produce that fails for good is
/// [`produce_failed`]).
pub fn producer_error(error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_producer_errors_total").increment(1);
    tracing::warn!(%error, "producer error; retrying");
}

/// The consumer reported an error (broker unreachable, ...).
pub fn consumer_error(error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_consumer_errors_total").increment(1);
    tracing::warn!(%error, "consumer error; retrying");
}

/// How far this instance is behind the end of an input partition it
/// holds (librdkafka's statistics, every few seconds).
pub fn consumer_lag(topic: &str, partition: i32, lag: i64) {
    metrics::gauge!("anoniem_consumer_lag", "topic" => topic.to_owned(), "partition" => partition.to_string())
        .set(lag as f64);
}

/// Records and bytes currently in flight.
pub fn in_flight(records: usize, bytes: usize) {
    metrics::gauge!("anoniem_in_flight_records").set(records as f64);
    metrics::gauge!("anoniem_in_flight_bytes").set(bytes as f64);
}

/// A partition was revoked; `abandoned` records were left to its next owner.
pub fn revoked(partitions: usize, abandoned: bool) {
    metrics::counter!("anoniem_partitions_revoked_total").increment(partitions as u64);
    crate::health::health().add_assigned(-(partitions as i64));
    if abandoned {
        metrics::counter!("anoniem_revocations_abandoned_total").increment(1);
        tracing::warn!(
            partitions,
            "in-flight records of revoked partitions not finished in time; their next owner redoes them"
        );
    } else {
        tracing::info!(
            partitions,
            "partitions revoked after their in-flight records were done"
        );
    }
}

/// A transaction committed (`records` input records) or aborted.
pub fn transaction(committed: bool, records: usize) {
    let outcome = if committed { "committed" } else { "aborted" };
    metrics::counter!("anoniem_transactions_total", "outcome" => outcome).increment(1);
    if committed {
        metrics::counter!("anoniem_records_delivered_total", "topic" => "transaction")
            .increment(records as u64);
    } else {
        tracing::warn!(records, "transaction aborted; its records will be read again");
    }
}

/// A rule reload (SIGHUP) was applied, or refused.
pub fn rules_reloaded(applied: bool) {
    let outcome = if applied { "applied" } else { "refused" };
    metrics::counter!("anoniem_rule_reloads_total", "outcome" => outcome).increment(1);
}

// Lists fed from compacted topics (`crate::stream::lists`). The label is
// the list's name from the rule set; entries never appear in a label or a
// log line (they are personal data).

/// How many list topics are still to be read up to their end offsets of
/// the start; until none, `/readyz` answers `lists not read`.
pub fn lists_unread(lists: usize) {
    crate::health::health().lists_unread(lists);
}

/// A list topic cannot be read (missing, unreachable): the stage stays not
/// ready and reads no input until it can.
pub fn list_topic_unreadable(list: &str, topic: &str, error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_list_topic_errors_total", "list" => list.to_owned()).increment(1);
    tracing::error!(
        list,
        topic,
        %error,
        "cannot read the list topic; not ready, no input is read until it can be"
    );
}

/// The list topic's consumer reported an error after the start (retried).
pub fn list_topic_error(list: &str, error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_list_topic_errors_total", "list" => list.to_owned()).increment(1);
    tracing::warn!(list, %error, "list topic consumer error; retrying");
}

/// A list topic was read up to the end offsets seen at start.
pub fn list_topic_read(list: &str, topic: &str, entries: usize, took: std::time::Duration) {
    tracing::info!(
        list,
        topic,
        entries,
        took_ms = took.as_millis() as u64,
        "list topic read up to its end offsets at start"
    );
}

/// Updates of a list topic were applied (`put`: an entry present, `remove`: a tombstone).
pub fn list_updates(list: &str, put: u64, remove: u64) {
    if put > 0 {
        metrics::counter!("anoniem_list_updates_total", "list" => list.to_owned(), "op" => "put")
            .increment(put);
    }
    if remove > 0 {
        metrics::counter!("anoniem_list_updates_total", "list" => list.to_owned(), "op" => "remove")
            .increment(remove);
    }
}

/// A list topic record whose key is not `source:id` (or is missing, or not
/// UTF-8) was skipped. Logged by position only: the key may be personal data.
pub fn list_record_malformed(list: &str, partition: i32, offset: i64) {
    metrics::counter!("anoniem_list_records_malformed_total", "list" => list.to_owned()).increment(1);
    tracing::warn!(
        list,
        partition,
        offset,
        "list topic record skipped: its key is not `source:id`"
    );
}

/// The sizes of a list: its file part, its topic part, and both together.
pub fn list_entries(list: &str, sizes: crate::rules::lists::Sizes) {
    for (origin, n) in [
        ("file", sizes.file),
        ("topic", sizes.topic),
        ("total", sizes.total),
    ] {
        metrics::gauge!("anoniem_list_entries", "list" => list.to_owned(), "origin" => origin).set(n as f64);
    }
}

/// Records between the list consumer's position and the end of the list
/// topic, summed over its partitions (every 5 s).
pub fn list_topic_lag(list: &str, lag: i64) {
    metrics::gauge!("anoniem_list_topic_lag", "list" => list.to_owned()).set(lag as f64);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Kind;

    fn engine() -> Engine {
        let rules = crate::rules::embedded::default_rules().expect("the built-in rules compile");
        Engine::new(rules, Some(crate::check::test_key()), Default::default()).expect("engine")
    }

    #[test]
    fn end_to_end_is_clamped_at_zero_and_skips_records_without_a_timestamp() {
        assert_eq!(end_to_end_seconds(Some(1_000), 3_500), Some((2.5, false)));
        assert_eq!(end_to_end_seconds(Some(4_000), 3_500), Some((0.0, true)));
        assert_eq!(end_to_end_seconds(None, 3_500), None);
        assert_eq!(end_to_end_seconds(Some(-1), 3_500), None);
    }

    #[test]
    fn engine_metrics_count_by_the_names_of_their_own_rule_set() {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let engine = engine();
        // Handles bind to the recorder they were made under.
        let counters = metrics::with_local_recorder(&recorder, || EngineMetrics::new(&engine));
        let delete = engine.delete_rule();
        let mut found = KindSet::empty();
        found.insert(Kind::Phone);
        counters.sanitised(true, &[delete], found, std::time::Duration::from_millis(1));
        counters.sanitised(false, &[], KindSet::empty(), std::time::Duration::from_millis(1));
        let text = handle.render();
        for want in [
            r#"anoniem_rule_hits_total{rule="delete-is-tombstone"} 1"#,
            r#"anoniem_records_sanitised_total{outcome="tombstone"} 1"#,
            r#"anoniem_records_sanitised_total{outcome="upsert"} 1"#,
            r#"anoniem_detector_hits_total{kind="phone"} 1"#,
            "anoniem_engine_seconds_count 2",
        ] {
            assert!(text.contains(want), "{want} not in\n{text}");
        }
        // The same rule set keeps the handles; another one (a reload) does not.
        let shared = engine
            .with_shared_rules(Arc::clone(engine.rule_set()))
            .expect("engine");
        assert!(counters.is_for(&shared));
        let reloaded = engine
            .with_rules(crate::rules::embedded::default_rules().expect("rules"))
            .expect("engine");
        assert!(!counters.is_for(&reloaded));
    }
}
