//! What one input record becomes on Kafka: an output record (upsert or
//! tombstone) or a dead-letter record. Pure: no I/O, used by the worker
//! threads and tested without a broker.

use std::sync::Arc;

use jiff::Timestamp;
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::FutureRecord;

use crate::detect::KindSet;
use crate::engine::{Applied, Engine, Outcome, RuleIdx, Trace};
use crate::model::write::WriteJson;

/// Header names on output and dead-letter records.
pub mod header {
    /// BLAKE3 hash of the rule set that made the record (P11).
    pub const RULES: &str = "anoniem-rules";
    /// Comma-separated names of the rules that changed the record (P11).
    pub const FIRED: &str = "anoniem-fired";
    pub const REASON: &str = "anoniem-reason";
    pub const REASON_KIND: &str = "anoniem-reason-kind";
    pub const SOURCE_TOPIC: &str = "anoniem-source-topic";
    pub const SOURCE_PARTITION: &str = "anoniem-source-partition";
    pub const SOURCE_OFFSET: &str = "anoniem-source-offset";
    /// On a dead letter whose original bytes (or key) would not fit the
    /// producer's `max_message_bytes`: what was left out, and its size
    /// (`value 1563000`, `key 2000000`, or both comma-separated).
    pub const OMITTED: &str = "anoniem-omitted";
}

/// What the stage may produce: the settings [`process`] needs besides the
/// engine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Dead letters carry the original bytes (when they fit).
    pub include_payload: bool,
    /// The producer's `message.max.bytes`: no record larger than this is
    /// ever handed to librdkafka, which would refuse it for good.
    pub max_message_bytes: usize,
}

impl Limits {
    pub fn of(config: &crate::config::Config) -> Limits {
        Limits {
            include_payload: config.dead_letter_include_payload,
            max_message_bytes: config.max_message_bytes,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            include_payload: true,
            max_message_bytes: 1_000_000,
        }
    }
}

/// What librdkafka counts on top of key, value and headers when it checks
/// `message.max.bytes` (a v2 record's framing is at most a few dozen
/// bytes; the rest is margin).
const RECORD_OVERHEAD: usize = 256;
/// The framing of one header (name and value lengths as varints).
const HEADER_OVERHEAD: usize = 16;

/// An input record, copied out of the consumer's buffer.
#[derive(Debug, Clone)]
pub struct Job {
    pub topic: Arc<str>,
    pub partition: i32,
    pub offset: i64,
    /// The record's Kafka timestamp (CreateTime or LogAppendTime, ms since
    /// the epoch), for the end-to-end latency; `None` when it has none.
    pub timestamp_ms: Option<i64>,
    pub key: Option<Vec<u8>>,
    pub payload: Option<Vec<u8>>,
}

impl Job {
    /// Copies a consumed message out of the consumer's buffer.
    pub fn from_message(msg: &impl Message) -> Job {
        Job {
            topic: Arc::from(msg.topic()),
            partition: msg.partition(),
            offset: msg.offset(),
            timestamp_ms: msg.timestamp().to_millis(),
            key: msg.key().map(<[u8]>::to_vec),
            payload: msg.payload().map(<[u8]>::to_vec),
        }
    }

    /// Where the record came from, without its bytes.
    pub fn origin(&self) -> Job {
        Job {
            topic: Arc::clone(&self.topic),
            partition: self.partition,
            offset: self.offset,
            timestamp_ms: self.timestamp_ms,
            key: None,
            payload: None,
        }
    }

    /// Bytes held while in flight, for the in-flight limit.
    pub fn size(&self) -> usize {
        self.payload.as_ref().map_or(0, Vec::len) + self.key.as_ref().map_or(0, Vec::len)
    }
}

/// A record to produce for a job.
#[derive(Debug)]
pub enum Produce {
    /// To the output topic: key = post id; value `None` = tombstone.
    Output {
        /// The hash of the rule set that made it (rules can be reloaded).
        rules: Arc<str>,
        key: Vec<u8>,
        value: Option<Vec<u8>>,
        /// Comma-separated names of the rules that fired.
        fired: String,
        tombstone: bool,
    },
    /// To the dead-letter topic.
    DeadLetter {
        rules: Arc<str>,
        key: Option<Vec<u8>>,
        /// The original bytes, when the config says so.
        value: Option<Vec<u8>>,
        kind: &'static str,
        reason: String,
        /// What was left out to fit `max_message_bytes`, for the
        /// [`header::OMITTED`] header; empty when nothing was.
        omitted: String,
    },
}

/// The kind label of a record without a value and without a key.
pub const EMPTY_RECORD: &str = "empty_record";

/// A job's result: what to produce, and what the engine did to the record
/// (for metrics), with the engine that did it, so the rule indices are
/// named by their own rule set even when the stage reloads rules.
#[derive(Debug)]
pub struct Processed<'t> {
    pub produce: Produce,
    pub engine: &'t Engine,
    /// The rules that changed the record, as indices of `engine`'s rules.
    pub fired: Fired<'t>,
    /// The kinds of personal data redacted from the record.
    pub found: KindSet,
}

/// The rules that changed a record: the engine's, or the one built-in
/// step of a delete the engine never sees (a key with a null value).
#[derive(Debug, Clone, Copy)]
pub enum Fired<'t> {
    Rules(&'t [RuleIdx]),
    One(RuleIdx),
}

impl Fired<'_> {
    pub fn as_slice(&self) -> &[RuleIdx] {
        match self {
            Fired::Rules(rules) => rules,
            Fired::One(rule) => std::slice::from_ref(rule),
        }
    }
}

/// Sanitises one job into what to produce, within `limits`: an output
/// record that would not fit `max_message_bytes` becomes a dead letter
/// (`too_large`), and a dead letter that would not fit leaves out the
/// original bytes (then the key), saying so in a header. Fail closed:
/// nothing too large for the producer is ever handed to it, so no record
/// can stop the stage for good or be skipped without a dead letter.
pub fn process<'t>(
    engine: &'t Engine,
    job: &Job,
    now: Timestamp,
    trace: &'t mut Trace,
    limits: &Limits,
) -> Processed<'t> {
    let mut processed = sanitise(engine, job, now, trace, limits.include_payload);
    processed.produce = fit(processed.produce, job, limits);
    processed
}

fn sanitise<'t>(
    engine: &'t Engine,
    job: &Job,
    now: Timestamp,
    trace: &'t mut Trace,
    include_payload: bool,
) -> Processed<'t> {
    let Some(payload) = &job.payload else {
        // A null value under a key is a delete on a compacted input topic:
        // pass it on as a tombstone (P6). Without a key it says nothing.
        let fired = match job.key {
            Some(_) => Fired::One(engine.delete_rule()),
            None => Fired::Rules(&[]),
        };
        let produce = match job
            .key
            .as_deref()
            .filter(|k| !k.is_empty() && std::str::from_utf8(k).is_ok())
        {
            Some(key) => Produce::Output {
                rules: Arc::clone(engine.hash()),
                key: key.to_vec(),
                value: None,
                fired: engine.rule_name(engine.delete_rule()).to_owned(),
                tombstone: true,
            },
            None => Produce::DeadLetter {
                rules: Arc::clone(engine.hash()),
                key: job.key.clone(),
                value: None,
                kind: EMPTY_RECORD,
                reason: "record has neither a value nor a key".into(),
                omitted: String::new(),
            },
        };
        return Processed {
            produce,
            engine,
            fired,
            found: KindSet::empty(),
        };
    };
    match engine.apply(payload, now, trace) {
        Ok(applied) => {
            let produce = output_record(&applied, payload.len());
            Processed {
                produce,
                engine: applied.engine(),
                fired: Fired::Rules(applied.fired()),
                found: applied.found(),
            }
        }
        Err(reject) => Processed {
            produce: Produce::DeadLetter {
                rules: Arc::clone(engine.hash()),
                key: job.key.clone(),
                value: include_payload.then(|| payload.clone()),
                kind: reject.kind(),
                reason: reject.to_string(),
                omitted: String::new(),
            },
            engine,
            // A rejected record counts as rejected, not by the rules that ran.
            fired: Fired::Rules(&[]),
            found: KindSet::empty(),
        },
    }
}

/// The output record of a sanitised record: keyed by its id, the record
/// as its value (none for a tombstone), and headers naming the rule set
/// and the rules that made it.
fn output_record(applied: &Applied<'_, '_>, input_len: usize) -> Produce {
    let outcome = &applied.outcome;
    let value = (!outcome.is_tombstone()).then(|| {
        let mut value = Vec::with_capacity(input_len);
        kafka_value(outcome, &mut value);
        value
    });
    Produce::Output {
        rules: Arc::clone(applied.rules_hash()),
        key: outcome.id().as_bytes().to_vec(),
        tombstone: value.is_none(),
        value,
        fired: fired_names(applied),
    }
}

/// Appends the Kafka value of an outcome: the sanitised record; false (and
/// nothing written) for a tombstone, whose value is null.
pub fn kafka_value(outcome: &Outcome<'_>, out: &mut Vec<u8>) -> bool {
    match outcome {
        Outcome::Upsert(post) => {
            post.write_json(out);
            true
        }
        Outcome::Tombstone { .. } => false,
    }
}

/// The reason kind of an output record too large for the producer.
pub const TOO_LARGE: &str = "too_large";

/// Bounds what `produce` hands to the producer by `limits.max_message_bytes`
/// (see [`process`]).
pub fn fit(produce: Produce, job: &Job, limits: &Limits) -> Produce {
    let max = limits.max_message_bytes;
    match produce {
        Produce::Output {
            ref rules,
            ref key,
            ref value,
            ref fired,
            ..
        } => {
            let size = wire_size(
                key.len(),
                value.as_ref().map_or(0, Vec::len),
                output_header_bytes(rules, fired),
            );
            if size <= max {
                return produce;
            }
            let dead = Produce::DeadLetter {
                rules: Arc::clone(rules),
                key: job.key.clone(),
                value: if limits.include_payload {
                    job.payload.clone()
                } else {
                    None
                },
                kind: TOO_LARGE,
                reason: format!("sanitised record is {size} bytes, over max_message_bytes ({max})"),
                omitted: String::new(),
            };
            fit(dead, job, limits)
        }
        Produce::DeadLetter {
            rules,
            mut key,
            mut value,
            kind,
            reason,
            mut omitted,
        } => {
            let headers = dead_letter_header_bytes(job, &rules, kind, &reason) + HEADER_OVERHEAD + 64;
            let len = |v: &Option<Vec<u8>>| v.as_ref().map_or(0, Vec::len);
            if wire_size(len(&key), len(&value), headers) > max
                && let Some(v) = value.take()
            {
                omitted = format!("value {}", v.len());
            }
            if wire_size(len(&key), len(&value), headers) > max
                && let Some(k) = key.take()
            {
                if !omitted.is_empty() {
                    omitted.push(',');
                }
                omitted.push_str(&format!("key {}", k.len()));
            }
            Produce::DeadLetter {
                rules,
                key,
                value,
                kind,
                reason,
                omitted,
            }
        }
    }
}

/// The size librdkafka checks against `message.max.bytes`, with margin.
fn wire_size(key: usize, value: usize, headers: usize) -> usize {
    key.saturating_add(value)
        .saturating_add(headers)
        .saturating_add(RECORD_OVERHEAD)
}

fn output_header_bytes(rules: &str, fired: &str) -> usize {
    header::RULES.len() + rules.len() + header::FIRED.len() + fired.len() + 2 * HEADER_OVERHEAD
}

fn dead_letter_header_bytes(job: &Job, rules: &str, kind: &str, reason: &str) -> usize {
    let names = [
        header::REASON,
        header::REASON_KIND,
        header::SOURCE_TOPIC,
        header::SOURCE_PARTITION,
        header::SOURCE_OFFSET,
        header::RULES,
    ];
    let values = reason.len() + kind.len() + job.topic.len() + 11 + 20 + rules.len();
    names.iter().map(|n| n.len() + HEADER_OVERHEAD).sum::<usize>() + values
}

/// The [`header::FIRED`] value: the fired rules' names, comma-separated.
fn fired_names(applied: &Applied<'_, '_>) -> String {
    let mut out = String::new();
    for (i, name) in applied.fired_names().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
    }
    out
}

/// The Kafka record for a job's result: to the output topic (keyed by id,
/// null value for a tombstone) or to the dead-letter topic.
pub fn record<'a>(
    produce: &'a Produce,
    job: &Job,
    output_topic: &'a str,
    dead_letter_topic: &'a str,
) -> FutureRecord<'a, [u8], [u8]> {
    match produce {
        Produce::Output {
            rules,
            key,
            value,
            fired,
            ..
        } => {
            let record = FutureRecord::to(output_topic)
                .key(key.as_slice())
                .headers(output_headers(rules, fired));
            match value {
                Some(v) => record.payload(v.as_slice()),
                None => record,
            }
        }
        Produce::DeadLetter {
            rules,
            key,
            value,
            kind,
            reason,
            omitted,
        } => {
            let mut headers = dead_letter_headers(job, rules, kind, reason);
            if !omitted.is_empty() {
                headers = headers.insert(Header {
                    key: header::OMITTED,
                    value: Some(omitted.as_str()),
                });
            }
            let mut record = FutureRecord::to(dead_letter_topic).headers(headers);
            if let Some(k) = key {
                record = record.key(k.as_slice());
            }
            if let Some(v) = value {
                record = record.payload(v.as_slice());
            }
            record
        }
    }
}

/// The headers of an output record.
pub fn output_headers(rules_hash: &str, fired: &str) -> OwnedHeaders {
    OwnedHeaders::new_with_capacity(2)
        .insert(Header {
            key: header::RULES,
            value: Some(rules_hash),
        })
        .insert(Header {
            key: header::FIRED,
            value: Some(fired),
        })
}

/// The headers of a dead-letter record: why, and where it came from.
pub fn dead_letter_headers(job: &Job, rules_hash: &str, kind: &str, reason: &str) -> OwnedHeaders {
    let partition = job.partition.to_string();
    let offset = job.offset.to_string();
    OwnedHeaders::new_with_capacity(6)
        .insert(Header {
            key: header::REASON,
            value: Some(reason),
        })
        .insert(Header {
            key: header::REASON_KIND,
            value: Some(kind),
        })
        .insert(Header {
            key: header::SOURCE_TOPIC,
            value: Some(&*job.topic),
        })
        .insert(Header {
            key: header::SOURCE_PARTITION,
            value: Some(&partition),
        })
        .insert(Header {
            key: header::SOURCE_OFFSET,
            value: Some(&offset),
        })
        .insert(Header {
            key: header::RULES,
            value: Some(rules_hash),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(key: Option<usize>, payload: Option<usize>) -> Job {
        Job {
            topic: Arc::from("in"),
            partition: 0,
            offset: 7,
            timestamp_ms: None,
            key: key.map(|n| vec![b'k'; n]),
            payload: payload.map(|n| vec![b'v'; n]),
        }
    }

    fn dead(value: Option<usize>, key: Option<usize>) -> Produce {
        Produce::DeadLetter {
            rules: Arc::from("hash"),
            key: key.map(|n| vec![b'k'; n]),
            value: value.map(|n| vec![b'v'; n]),
            kind: "too_large",
            reason: "record is 2000000 bytes, over the limit of 1048576".into(),
            omitted: String::new(),
        }
    }

    const LIMITS: Limits = Limits {
        include_payload: true,
        max_message_bytes: 1_000_000,
    };

    /// A record with a key and no value is counted as the built-in delete
    /// step only, not with the rules of the record before it.
    #[test]
    fn a_null_value_does_not_count_the_rules_of_the_record_before() {
        let rules = crate::rules::embedded::default_rules().expect("default rules");
        let engine = Engine::new(rules, Some(crate::check::test_key()), Default::default()).expect("engine");
        let mut trace = Trace::default();
        let mut with_phone = job(None, None);
        with_phone.payload = Some(br#"{"id":"forum:1","source":"forum","text":"bel 0612345678"}"#.to_vec());
        let done = process(&engine, &with_phone, Timestamp::UNIX_EPOCH, &mut trace, &LIMITS);
        assert!(!done.fired.as_slice().is_empty());
        assert!(!done.found.is_empty());
        let done = process(
            &engine,
            &job(Some(3), None),
            Timestamp::UNIX_EPOCH,
            &mut trace,
            &LIMITS,
        );
        assert!(matches!(done.produce, Produce::Output { tombstone: true, .. }));
        let names: Vec<&str> = done
            .fired
            .as_slice()
            .iter()
            .map(|r| engine.rule_name(*r))
            .collect();
        assert_eq!(names, ["delete-is-tombstone"]);
        assert!(done.found.is_empty());
        let done = process(
            &engine,
            &job(None, None),
            Timestamp::UNIX_EPOCH,
            &mut trace,
            &LIMITS,
        );
        assert!(done.fired.as_slice().is_empty());
    }

    #[test]
    fn a_dead_letter_that_fits_keeps_its_bytes() {
        let j = job(Some(10), Some(900_000));
        match fit(dead(Some(900_000), Some(10)), &j, &LIMITS) {
            Produce::DeadLetter {
                value, key, omitted, ..
            } => {
                assert_eq!(value.map(|v| v.len()), Some(900_000));
                assert_eq!(key.map(|k| k.len()), Some(10));
                assert!(omitted.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_oversized_dead_letter_leaves_out_the_value_then_the_key_and_says_so() {
        let j = job(Some(10), Some(2_000_000));
        match fit(dead(Some(2_000_000), Some(10)), &j, &LIMITS) {
            Produce::DeadLetter {
                value, key, omitted, ..
            } => {
                assert!(value.is_none());
                assert_eq!(key.map(|k| k.len()), Some(10));
                assert_eq!(omitted, "value 2000000");
            }
            other => panic!("{other:?}"),
        }
        let j = job(Some(3_000_000), Some(2_000_000));
        match fit(dead(Some(2_000_000), Some(3_000_000)), &j, &LIMITS) {
            Produce::DeadLetter {
                value, key, omitted, ..
            } => {
                assert!(value.is_none() && key.is_none());
                assert_eq!(omitted, "value 2000000,key 3000000");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_output_too_large_for_the_producer_becomes_a_dead_letter() {
        let j = job(Some(8), Some(600_000));
        let out = Produce::Output {
            rules: Arc::from("hash"),
            key: b"forum:1".to_vec(),
            value: Some(vec![b'x'; 1_200_000]),
            fired: "p4".into(),
            tombstone: false,
        };
        match fit(out, &j, &LIMITS) {
            Produce::DeadLetter {
                kind,
                value,
                reason,
                omitted,
                ..
            } => {
                assert_eq!(kind, TOO_LARGE);
                // The original bytes fit, so they are kept.
                assert_eq!(value.map(|v| v.len()), Some(600_000));
                assert!(reason.contains("max_message_bytes"), "{reason}");
                assert!(omitted.is_empty());
            }
            other => panic!("{other:?}"),
        }
        // A tombstone under a key too long for the producer: a dead letter
        // without key or value.
        let j = job(Some(1_500_000), None);
        let tomb = Produce::Output {
            rules: Arc::from("hash"),
            key: vec![b'k'; 1_500_000],
            value: None,
            fired: "delete-is-tombstone".into(),
            tombstone: true,
        };
        match fit(tomb, &j, &LIMITS) {
            Produce::DeadLetter {
                key, value, omitted, ..
            } => {
                assert!(key.is_none() && value.is_none());
                assert_eq!(omitted, "key 1500000");
            }
            other => panic!("{other:?}"),
        }
    }

    fn engine() -> Engine {
        let rules = crate::rules::embedded::default_rules().expect("the built-in rules compile");
        Engine::new(
            rules,
            Some(crate::check::test_key()),
            crate::engine::Limits::default(),
        )
        .expect("engine")
    }

    fn now() -> Timestamp {
        "2026-11-25T12:00:00Z".parse().expect("a timestamp")
    }

    /// The bad-input table: a Kafka message with a key and an empty (not
    /// null) value is no tombstone (only a null value is, on a compacted
    /// topic) and no JSON: a dead letter, with its key.
    #[test]
    fn a_key_with_an_empty_value_is_a_dead_letter_not_a_tombstone() {
        let job = Job {
            topic: Arc::from("in"),
            partition: 2,
            offset: 40,
            timestamp_ms: None,
            key: Some(b"forum:1".to_vec()),
            payload: Some(Vec::new()),
        };
        match process(&engine(), &job, now(), &mut Trace::default(), &LIMITS).produce {
            Produce::DeadLetter {
                key,
                value,
                kind,
                reason,
                ..
            } => {
                assert_eq!(kind, "invalid_json");
                assert_eq!(reason, "not valid JSON (truncated) at line 1, column 0");
                assert_eq!(key.as_deref(), Some(&b"forum:1"[..]));
                assert_eq!(value.as_deref(), Some(&b""[..]));
            }
            other => panic!("{other:?}"),
        }
        // A null value under the same key is the tombstone.
        let job = Job { payload: None, ..job };
        assert!(matches!(
            process(&engine(), &job, now(), &mut Trace::default(), &LIMITS).produce,
            Produce::Output {
                tombstone: true,
                value: None,
                ..
            }
        ));
    }

    /// The bad-input table: a 10 MB Kafka record is a dead letter
    /// (`too_large`) without its bytes (over `max_message_bytes`).
    #[test]
    fn a_record_of_10_mb_is_a_dead_letter_without_its_bytes() {
        let mut payload = br#"{"id":"forum:big","source":"forum","text":""#.to_vec();
        payload.resize(10_000_000, b'a');
        payload.extend_from_slice(br#""}"#);
        let job = Job {
            topic: Arc::from("in"),
            partition: 0,
            offset: 1,
            timestamp_ms: None,
            key: Some(b"forum:big".to_vec()),
            payload: Some(payload),
        };
        match process(&engine(), &job, now(), &mut Trace::default(), &LIMITS).produce {
            Produce::DeadLetter {
                key,
                value,
                kind,
                omitted,
                ..
            } => {
                assert_eq!(kind, "too_large");
                assert!(value.is_none());
                assert_eq!(omitted, "value 10000002");
                assert_eq!(key.as_deref(), Some(&b"forum:big"[..]));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_output_that_fits_is_unchanged() {
        let j = job(Some(8), Some(100));
        let out = Produce::Output {
            rules: Arc::from("hash"),
            key: b"forum:1".to_vec(),
            value: Some(vec![b'x'; 999_000]),
            fired: String::new(),
            tombstone: false,
        };
        assert!(matches!(fit(out, &j, &LIMITS), Produce::Output { .. }));
    }
}
