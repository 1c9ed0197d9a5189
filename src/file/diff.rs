//! `anoniem diff`: two rule sets over the same NDJSON, compared record by
//! record, so ops see what a rule change does to real posts before they
//! deploy it.
//!
//! For each record whose result differs it writes one JSON line: what it
//! was and what it becomes (upsert, tombstone, or rejected with its kind),
//! which output fields change, and which rules fired before and after.
//! Field values are shown only on request: they are sanitised output, but
//! the point of a preview is that one of the two sets may not sanitise.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::LineReader;
use crate::engine::{Engine, Outcome, Trace};

/// How a diff run goes.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The clock for retention rules, the same for both sets.
    pub now: Timestamp,
    /// Show the changed fields' values, before and after.
    pub values: bool,
    /// Records larger than this are read as rejected by both sets.
    pub max_record_bytes: usize,
}

/// What a rule set made of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Upsert,
    Tombstone,
    /// Rejected: the dead-letter path, with the reason kind.
    Rejected(&'static str),
}

/// Counts of a diff run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct DiffSummary {
    pub records: u64,
    /// Records whose result differs in any way.
    pub changed: u64,
    pub became_tombstone: u64,
    pub stopped_being_tombstone: u64,
    pub became_rejected: u64,
    pub stopped_being_rejected: u64,
    /// Records in which each output field changed.
    pub fields: BTreeMap<String, u64>,
    /// Records each rule changed, by rule name, with the old and new set.
    pub hits_before: BTreeMap<String, u64>,
    pub hits_after: BTreeMap<String, u64>,
}

impl DiffSummary {
    pub fn any_change(&self) -> bool {
        self.changed > 0
    }
}

#[derive(Serialize)]
struct FieldChange {
    field: String,
    change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<Value>,
}

#[derive(Serialize)]
struct RecordDiff<'a> {
    line: u64,
    id: &'a str,
    before: &'a State,
    after: &'a State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldChange>,
    rules_before: Vec<&'a str>,
    rules_after: Vec<&'a str>,
}

/// One record through one engine: its state, output (for an upsert) and
/// the names of the rules that changed it.
fn apply<'e>(
    engine: &'e Engine,
    bytes: &[u8],
    now: Timestamp,
    trace: &'e mut Trace,
) -> (State, Option<Value>, String, Vec<&'e str>) {
    match engine.apply(bytes, now, trace) {
        Ok(applied) => {
            let id = applied.outcome.id().to_owned();
            let rules = applied.fired_names().collect();
            match applied.outcome {
                Outcome::Tombstone { .. } => (State::Tombstone, None, id, rules),
                ref upsert => {
                    let mut out = Vec::new();
                    super::write_line(upsert, &mut out);
                    (State::Upsert, serde_json::from_slice(&out).ok(), id, rules)
                }
            }
        }
        Err(reject) => (State::Rejected(reject.kind()), None, String::new(), Vec::new()),
    }
}

/// Runs both engines over `input` and writes a JSON line per changed
/// record to `out`.
pub fn run(
    old: &Engine,
    new: &Engine,
    input: impl BufRead,
    out: &mut impl Write,
    opts: &DiffOptions,
) -> io::Result<DiffSummary> {
    let mut reader = LineReader::new(input, opts.max_record_bytes, 256, 4 * 1024 * 1024);
    let mut summary = DiffSummary::default();
    let (mut t_old, mut t_new) = (Trace::default(), Trace::default());
    while let Some(batch) = reader.next_batch()? {
        for line in &batch.lines {
            summary.records += 1;
            let bytes = match line.oversized {
                Some(_) => &[][..],
                None => batch.bytes(line),
            };
            let (s_old, v_old, id_old, r_old) = apply(old, bytes, opts.now, &mut t_old);
            let (s_new, v_new, id_new, r_new) = apply(new, bytes, opts.now, &mut t_new);
            for r in &r_old {
                *summary.hits_before.entry((*r).to_owned()).or_default() += 1;
            }
            for r in &r_new {
                *summary.hits_after.entry((*r).to_owned()).or_default() += 1;
            }
            let fields = match (&v_old, &v_new) {
                (Some(a), Some(b)) => field_changes(a, b, opts.values),
                _ => Vec::new(),
            };
            if s_old == s_new && fields.is_empty() && r_old == r_new {
                continue;
            }
            summary.changed += 1;
            let tomb = |s: &State| *s == State::Tombstone;
            let rejected = |s: &State| matches!(s, State::Rejected(_));
            summary.became_tombstone += u64::from(!tomb(&s_old) && tomb(&s_new));
            summary.stopped_being_tombstone += u64::from(tomb(&s_old) && !tomb(&s_new));
            summary.became_rejected += u64::from(!rejected(&s_old) && rejected(&s_new));
            summary.stopped_being_rejected += u64::from(rejected(&s_old) && !rejected(&s_new));
            for f in &fields {
                *summary.fields.entry(f.field.clone()).or_default() += 1;
            }
            let id = if id_old.is_empty() { &id_new } else { &id_old };
            let diff = RecordDiff {
                line: line.number,
                id,
                before: &s_old,
                after: &s_new,
                fields,
                rules_before: r_old,
                rules_after: r_new,
            };
            serde_json::to_writer(&mut *out, &diff)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(summary)
}

/// The leaves of a record by path (`text`, `author.name`, `media[0].url`).
fn leaves(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&path, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(&format!("{prefix}[{i}]"), v, out);
            }
        }
        leaf => {
            out.insert(prefix.to_owned(), leaf.clone());
        }
    }
}

fn field_changes(before: &Value, after: &Value, values: bool) -> Vec<FieldChange> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    leaves("", before, &mut a);
    leaves("", after, &mut b);
    let mut out = Vec::new();
    for (path, old) in &a {
        let change = match b.get(path) {
            Some(new) if new == old => continue,
            Some(_) => "changed",
            None => "removed",
        };
        out.push(FieldChange {
            field: path.clone(),
            change,
            before: values.then(|| old.clone()),
            after: values.then(|| b.get(path).cloned()).flatten(),
        });
    }
    for (path, new) in &b {
        if !a.contains_key(path) {
            out.push(FieldChange {
                field: path.clone(),
                change: "added",
                before: None,
                after: values.then(|| new.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_changes_by_path() {
        let a = json!({"text": "bel [phone]", "media": [{"url": "x"}], "author": {"name": "A"}});
        let b = json!({"text": "bel 06", "media": [{"url": "x"}], "tags": ["t"]});
        let got: Vec<(String, &str)> = field_changes(&a, &b, false)
            .into_iter()
            .map(|f| (f.field, f.change))
            .collect();
        assert_eq!(
            got,
            [
                ("author.name".to_owned(), "removed"),
                ("text".to_owned(), "changed"),
                ("tags[0]".to_owned(), "added")
            ]
        );
        assert!(field_changes(&a, &a, true).is_empty());
    }
}
