//! The engine: one record in, one [`Outcome`] out, by the compiled rules.
//!
//! Pure and synchronous: no I/O, no clock (the caller passes `now`), no
//! global state. An [`Engine`] is immutable after `new` and shared across
//! threads; each thread keeps its own [`Trace`] as scratch space.
//!
//! Per record: parse into the typed model (unknown members are dropped
//! here), check it, run the rules in order (a tombstone ends the run), then
//! strip what the `[allow]` list does not name.

pub mod act;
mod eval;
pub mod parse;
pub mod pseudonym;
pub mod reject;

use std::io::Write;

use jiff::Timestamp;
use serde::Serialize;

use crate::detect::Hit;
use crate::rules::RuleSet;
use crate::rules::compiled::BUILTIN_RULES;

pub use crate::model::{FieldId, Post, Slot, Text};
pub use act::Change;
pub use parse::{Limits, Op};
pub use pseudonym::PseudonymKey;
pub use reject::Reject;

use crate::model::write::WriteJson;
use act::{ActCtx, Step};
use eval::Eval;

/// The engine cannot start with this rule set.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(
        "rule `{rule}` pseudonymises, but no pseudonym key was given \
         (set ANONIEM_PSEUDONYM_KEY or pass a key file)"
    )]
    MissingKey { rule: String },
}

/// Index of a rule in [`Engine::rule_name`]; the built-in steps come after
/// the rules of the files.
pub type RuleIdx = u16;

/// What became of a record.
// Most outcomes are upserts: boxing the record would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Outcome<'a> {
    /// The sanitised record.
    Upsert(Post<'a>),
    /// Remove the item downstream, for the reason of rule `rule`.
    Tombstone { id: Text<'a>, rule: RuleIdx },
}

impl Outcome<'_> {
    pub fn id(&self) -> &str {
        match self {
            // `parse` refuses records without an id.
            Outcome::Upsert(post) => post.id.value().map(Text::as_str).unwrap_or(""),
            Outcome::Tombstone { id, .. } => id.as_str(),
        }
    }

    pub fn is_tombstone(&self) -> bool {
        matches!(self, Outcome::Tombstone { .. })
    }

    /// The output line of file mode: the record, or `{"id":...,"op":"delete"}`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        #[derive(Serialize)]
        struct TombstoneLine<'r> {
            id: &'r str,
            op: &'static str,
        }
        match self {
            Outcome::Upsert(post) => post.write_json(out),
            Outcome::Tombstone { id, .. } => {
                // Serialising two strings to a Vec cannot fail.
                let _ = serde_json::to_writer(
                    &mut *out,
                    &TombstoneLine {
                        id: id.as_str(),
                        op: "delete",
                    },
                );
            }
        }
    }

    /// The Kafka value: the record, or `None` for a tombstone (a null value).
    pub fn kafka_value(&self, out: &mut Vec<u8>) -> bool {
        match self {
            Outcome::Upsert(post) => {
                post.write_json(out);
                true
            }
            Outcome::Tombstone { .. } => false,
        }
    }
}

/// What happened to one record, and scratch space reused between records.
#[derive(Debug, Default)]
pub struct Trace {
    /// The rules that changed the record, in order, each once.
    pub fired: Vec<RuleIdx>,
    /// With `explain` on: every change, by rule and field.
    pub changes: Vec<(RuleIdx, FieldId, Change)>,
    /// The kinds of personal data redacted from the record (for metrics).
    pub found: crate::detect::KindSet,
    pub explain: bool,
    hits: Vec<Hit>,
    terms: act::Terms,
    sanitised: act::Sanitised,
}

impl Trace {
    pub fn explaining() -> Trace {
        Trace {
            explain: true,
            ..Trace::default()
        }
    }

    fn reset(&mut self) {
        self.fired.clear();
        self.changes.clear();
        self.found = crate::detect::KindSet::empty();
        self.sanitised.clear();
    }

    fn fire(&mut self, rule: RuleIdx) {
        if !self.fired.contains(&rule) {
            self.fired.push(rule);
        }
    }
}

/// A compiled rule set with its key and limits, ready to apply.
#[derive(Debug)]
pub struct Engine {
    /// Shared, so that a reload deploys the very object its tests ran on.
    rules: std::sync::Arc<RuleSet>,
    key: Option<PseudonymKey>,
    limits: Limits,
    /// `rules.hash`, shared cheaply with every output record's headers.
    hash: std::sync::Arc<str>,
}

impl Engine {
    pub fn new(rules: RuleSet, key: Option<PseudonymKey>, limits: Limits) -> Result<Engine, EngineError> {
        Engine::shared(std::sync::Arc::new(rules), key, limits)
    }

    /// An engine over a compiled rule set that other engines may share
    /// (the rule tests' engine and the deployed one, on a reload).
    pub fn shared(
        rules: std::sync::Arc<RuleSet>,
        key: Option<PseudonymKey>,
        limits: Limits,
    ) -> Result<Engine, EngineError> {
        if let (Some(rule), None) = (&rules.needs_key, &key) {
            return Err(EngineError::MissingKey { rule: rule.clone() });
        }
        let hash = std::sync::Arc::from(rules.hash.as_str());
        Ok(Engine {
            rules,
            key,
            limits,
            hash,
        })
    }

    /// An engine for a new rule set with this one's key and limits (a reload).
    pub fn with_rules(&self, rules: RuleSet) -> Result<Engine, EngineError> {
        Engine::new(rules, self.key.clone(), self.limits)
    }

    /// An engine for a shared rule set with this one's key and limits.
    pub fn with_shared_rules(&self, rules: std::sync::Arc<RuleSet>) -> Result<Engine, EngineError> {
        Engine::shared(rules, self.key.clone(), self.limits)
    }

    /// The compiled rule set, to share with another engine.
    pub fn rule_set(&self) -> &std::sync::Arc<RuleSet> {
        &self.rules
    }

    /// The rule set's hash as a shared string.
    pub fn hash(&self) -> &std::sync::Arc<str> {
        &self.hash
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The hash of the rule set (P11: every output says which set made it).
    pub fn rules_hash(&self) -> &str {
        &self.rules.hash
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The names of every rule and built-in step, by index.
    pub fn rule_name(&self, idx: RuleIdx) -> &str {
        let i = usize::from(idx);
        let n = self.rules.rules.len();
        match i.checked_sub(n) {
            None => &self.rules.rules[i].name,
            Some(b) => BUILTIN_RULES[b.min(BUILTIN_RULES.len() - 1)],
        }
    }

    /// How many names [`Engine::rule_name`] knows.
    pub fn rule_count(&self) -> usize {
        self.rules.rules.len() + BUILTIN_RULES.len()
    }

    /// The built-in step that makes a delete a tombstone, for a delete the
    /// engine never sees (a Kafka record with a key and no value).
    pub fn delete_rule(&self) -> RuleIdx {
        self.builtin(1)
    }

    fn builtin(&self, offset: usize) -> RuleIdx {
        (self.rules.rules.len() + offset) as RuleIdx
    }

    /// Sanitises one record. `now` is the clock for retention rules.
    pub fn apply<'a>(
        &self,
        input: &'a [u8],
        now: Timestamp,
        trace: &mut Trace,
    ) -> Result<Outcome<'a>, Reject> {
        trace.reset();
        let (mut post, op) = parse::parse(input, &self.limits)?;
        let mut eval = Eval::new(&self.rules, now);
        for (i, rule) in self.rules.rules.iter().enumerate() {
            let idx = i as RuleIdx;
            if let Some(cond) = &rule.when {
                match eval.eval(cond, &post) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(why) => {
                        return Err(Reject::Undecidable {
                            rule: rule.name.clone(),
                            what: why.0,
                        });
                    }
                }
            }
            let mut any_change = false;
            for action in &rule.actions {
                let Trace {
                    hits,
                    terms,
                    sanitised,
                    changes,
                    found,
                    explain,
                    ..
                } = &mut *trace;
                let mut ctx = ActCtx {
                    rules: &self.rules,
                    key: self.key.as_ref(),
                    hits,
                    terms,
                    sanitised,
                };
                let step = act::run(action, &mut post, &mut ctx, &mut |field, change| {
                    any_change = true;
                    if let Change::Redacted(kinds) = change {
                        *found = found.union(kinds);
                    }
                    if *explain {
                        changes.push((idx, field, change));
                    }
                });
                match step {
                    Step::Continue => {}
                    Step::Tombstone => {
                        trace.fire(idx);
                        return Ok(tombstone(post, idx));
                    }
                    Step::Unsanitisable(field) => {
                        return Err(Reject::Unsanitisable {
                            rule: rule.name.clone(),
                            field: field.path(),
                        });
                    }
                }
            }
            if any_change {
                trace.fire(idx);
                eval.invalidate();
            }
        }
        // Whatever the rules say, a delete never comes out as an upsert (P6).
        if op == Op::Delete {
            let idx = self.builtin(1);
            trace.fire(idx);
            return Ok(tombstone(post, idx));
        }
        self.strip(&mut post, trace);
        Ok(Outcome::Upsert(post))
    }

    /// Drops every field the allow-list does not name (P3).
    fn strip(&self, post: &mut Post<'_>, trace: &mut Trace) {
        let allow = self.rules.allow;
        let idx = self.builtin(0);
        for &f in FieldId::ALL {
            // A child of a dropped object is gone with it.
            if allow.contains(f) || f.parent().is_some_and(|p| !allow.contains(p)) {
                continue;
            }
            let mut removed = false;
            post.visit_mut(f, &mut |mut slot| removed |= slot.remove());
            if removed {
                trace.fire(idx);
                if trace.explain {
                    trace.changes.push((idx, f, Change::Removed));
                }
            }
        }
    }

    /// Writes the `--explain` line for a record: which rules changed which
    /// fields, and which members of the input the record model dropped.
    pub fn write_explain(
        &self,
        line: u64,
        input: &[u8],
        outcome: &Outcome<'_>,
        trace: &Trace,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct Explained<'r> {
            line: u64,
            id: &'r str,
            outcome: &'static str,
            rules: Vec<&'r str>,
            changes: Vec<ChangeLine<'r>>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            dropped: Vec<String>,
        }
        #[derive(Serialize)]
        struct ChangeLine<'r> {
            rule: &'r str,
            field: &'static str,
            change: String,
        }
        let explained = Explained {
            line,
            id: outcome.id(),
            outcome: if outcome.is_tombstone() {
                "tombstone"
            } else {
                "upsert"
            },
            rules: trace.fired.iter().map(|r| self.rule_name(*r)).collect(),
            changes: trace
                .changes
                .iter()
                .map(|(r, f, c)| ChangeLine {
                    rule: self.rule_name(*r),
                    field: f.path(),
                    change: c.to_string(),
                })
                .collect(),
            dropped: unknown_members(input),
        };
        serde_json::to_writer(&mut *out, &explained)?;
        out.write_all(b"\n")
    }
}

/// The members of `input` that are not in the record model: the parser
/// skipped them, so no rule reports them. For `--explain` only (it parses
/// the record a second time).
fn unknown_members(input: &[u8]) -> Vec<String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<String>) {
        let serde_json::Value::Object(map) = value else {
            return;
        };
        for (key, v) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match FieldId::from_path(&path) {
                None => out.push(path),
                Some(FieldId::Media) => {
                    if let serde_json::Value::Array(items) = v {
                        for item in items {
                            walk(&path, item, out);
                        }
                    }
                }
                Some(_) => walk(&path, v, out),
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(input) {
        walk("", &value, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn tombstone(post: Post<'_>, rule: RuleIdx) -> Outcome<'_> {
    let id = match post.id {
        Slot::Value(id) => id,
        // `parse` refuses records without an id; keep the type honest anyway.
        _ => Text::default(),
    };
    Outcome::Tombstone { id, rule }
}
