//! The stage's metrics against librdkafka's mock cluster. A test binary of
//! its own: the Prometheus recorder is process-wide, and the stages of
//! other tests running beside this one would count into it.

mod common;

use std::time::Duration;

use common::*;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

const WAIT: Duration = Duration::from_secs(60);
const QUIET: Duration = Duration::from_secs(2);

/// The value of an unlabelled sample (`name value`) in the rendered text.
fn sample(handle: &PrometheusHandle, name: &str) -> Option<f64> {
    handle.render().lines().find_map(|line| {
        let (n, v) = line.split_once(' ')?;
        (n == name).then(|| v.parse().ok()).flatten()
    })
}

/// Every input record (with a Kafka timestamp: the test producer sets
/// CreateTime) is timed once from its timestamp to its delivery, output
/// and dead letters alike, in both guarantees: at the acknowledgement for
/// at-least-once, at the commit for exactly-once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_to_end_latency_is_recorded_once_per_record_in_both_guarantees() {
    let handle = PrometheusBuilder::new()
        .install_recorder()
        .expect("the only recorder of this process");
    let count = || sample(&handle, "anoniem_end_to_end_seconds_count").unwrap_or(0.0);
    let cluster = cluster(3);
    let brokers = cluster.bootstrap_servers();
    let engine = engine();

    // At-least-once: 60 upserts and one dead letter.
    let mut input = posts(20, 3);
    input.push(("bad:1".into(), "not json".into()));
    let n = input.len();
    produce(&brokers, &input).await;
    let stage = start(config(&brokers, "g-metrics", &[]), engine.clone());
    let out = read(&brokers, &[OUTPUT], n - 1, QUIET, WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");
    assert_eq!(out.len(), n - 1);
    assert_eq!(report.delivered, n as u64);
    assert_eq!(count(), n as f64, "one end-to-end time per delivered record");
    let sum = sample(&handle, "anoniem_end_to_end_seconds_sum").expect("a sum");
    assert!(sum >= 0.0 && sum < WAIT.as_secs_f64() * n as f64, "{sum}");

    // Exactly-once, from where the first group left off: 40 more records.
    let more = posts(40, 1);
    produce(&brokers, &more).await;
    let eos = [
        ("ANONIEM_GUARANTEE", "exactly-once"),
        ("ANONIEM_TRANSACTIONAL_ID", "anoniem-test-metrics"),
        ("ANONIEM_TRANSACTION_MAX_RECORDS", "16"),
    ];
    let stage = start(config(&brokers, "g-metrics", &eos), engine);
    let out = read(&brokers, &[OUTPUT], n - 1 + more.len(), QUIET, WAIT, true).await;
    let report = stage.stop().await.expect("clean stop");
    assert_eq!(out.len(), n - 1 + more.len());
    assert_eq!(report.delivered, more.len() as u64);
    assert_eq!(
        count(),
        (n + more.len()) as f64,
        "one end-to-end time per committed record"
    );
    drop(cluster);
}
