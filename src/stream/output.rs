//! What one input record becomes on Kafka: an output record (upsert or
//! tombstone) or a dead-letter record. Pure: no I/O, used by the worker
//! threads and tested without a broker.

use std::sync::Arc;

use jiff::Timestamp;
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::FutureRecord;

use crate::engine::{Engine, Outcome, Trace};

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
}

/// An input record, copied out of the consumer's buffer.
#[derive(Debug, Clone)]
pub struct Job {
    pub topic: Arc<str>,
    pub partition: i32,
    pub offset: i64,
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
    },
}

/// The kind label of a record without a value and without a key.
pub const EMPTY_RECORD: &str = "empty_record";

/// Sanitises one job into what to produce.
pub fn process(
    engine: &Engine,
    job: &Job,
    now: Timestamp,
    trace: &mut Trace,
    include_payload: bool,
) -> Produce {
    let Some(payload) = &job.payload else {
        // A null value under a key is a delete on a compacted input topic:
        // pass it on as a tombstone (P6). Without a key it says nothing.
        return match job
            .key
            .as_deref()
            .filter(|k| !k.is_empty() && std::str::from_utf8(k).is_ok())
        {
            Some(key) => Produce::Output {
                rules: Arc::clone(engine.hash()),
                key: key.to_vec(),
                value: None,
                fired: "delete-is-tombstone".into(),
                tombstone: true,
            },
            None => Produce::DeadLetter {
                rules: Arc::clone(engine.hash()),
                key: job.key.clone(),
                value: None,
                kind: EMPTY_RECORD,
                reason: "record has neither a value nor a key".into(),
            },
        };
    };
    match engine.apply(payload, now, trace) {
        Ok(outcome) => {
            let key = outcome.id().as_bytes().to_vec();
            let fired = fired_names(engine, trace);
            match outcome {
                Outcome::Tombstone { .. } => Produce::Output {
                    rules: Arc::clone(engine.hash()),
                    key,
                    value: None,
                    fired,
                    tombstone: true,
                },
                upsert @ Outcome::Upsert(_) => {
                    let mut value = Vec::with_capacity(payload.len());
                    upsert.kafka_value(&mut value);
                    Produce::Output {
                        rules: Arc::clone(engine.hash()),
                        key,
                        value: Some(value),
                        fired,
                        tombstone: false,
                    }
                }
            }
        }
        Err(reject) => Produce::DeadLetter {
            rules: Arc::clone(engine.hash()),
            key: job.key.clone(),
            value: include_payload.then(|| payload.clone()),
            kind: reject.kind(),
            reason: reject.to_string(),
        },
    }
}

fn fired_names(engine: &Engine, trace: &Trace) -> String {
    let mut out = String::new();
    for (i, r) in trace.fired.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(engine.rule_name(*r));
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
        } => {
            let mut record =
                FutureRecord::to(dead_letter_topic).headers(dead_letter_headers(job, rules, kind, reason));
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
