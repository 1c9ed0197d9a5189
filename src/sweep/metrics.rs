//! What the sweeper counts, one function per event. Labels are bounded
//! (reasons, outcomes); nothing carries an id, an author or content.

/// Why a tombstone was produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The source's retention ran out (P7).
    Retention,
    /// The author is on the erasure list (P8).
    Erasure,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Retention => "retention",
            Reason::Erasure => "erasure",
        }
    }
}

/// Records of the output topic applied to the store.
pub fn applied(records: usize, unreadable: usize) {
    metrics::counter!("anoniem_sweep_records_total").increment(records as u64);
    if unreadable > 0 {
        metrics::counter!("anoniem_sweep_unreadable_total").increment(unreadable as u64);
        tracing::debug!(
            records = unreadable,
            "records the sweeper cannot read: not tracked"
        );
    }
}

/// The broker acknowledged a tombstone.
pub fn tombstone(reason: Reason) {
    metrics::counter!("anoniem_sweep_tombstones_total", "reason" => reason.as_str()).increment(1);
}

/// A tombstone was not acknowledged: it stays due and goes out again.
pub fn produce_failed(error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_sweep_produce_failures_total").increment(1);
    tracing::warn!(%error, "a tombstone was not acknowledged; it is produced again at the next check");
}

/// The consumer or producer reported an error (broker unreachable, ...).
pub fn client_error(error: &dyn std::fmt::Display) {
    metrics::counter!("anoniem_sweep_client_errors_total").increment(1);
    tracing::warn!(%error, "Kafka client error; retrying");
}

/// The store's size after a batch or a check.
pub fn store(items: u64, bytes: u64) {
    metrics::gauge!("anoniem_sweep_items").set(items as f64);
    metrics::gauge!("anoniem_sweep_store_bytes").set(bytes as f64);
}

/// How late the oldest overdue item of the owned partitions is (0: none).
pub fn overdue(seconds: f64) {
    metrics::gauge!("anoniem_sweep_oldest_overdue_seconds").set(seconds);
}

/// Tombstones produced and not yet read back from the topic.
pub fn in_hand(n: usize) {
    metrics::gauge!("anoniem_sweep_tombstones_in_hand").set(n as f64);
}

/// A reload of the rule set (SIGHUP, or the erasure list file changed).
pub fn reloaded(ok: bool) {
    let outcome = if ok { "ok" } else { "refused" };
    metrics::counter!("anoniem_sweep_reloads_total", "outcome" => outcome).increment(1);
}
