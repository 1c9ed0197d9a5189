//! The engine: one record in, one [`Applied`] out (the [`Outcome`] and what
//! the rules did), by the compiled rules.
//!
//! Pure and synchronous: no I/O, no clock (the caller passes `now`), no
//! global state, no output formats (file mode writes its lines in
//! `crate::file`, the stage its Kafka records in `crate::stream::output`).
//! An [`Engine`] is immutable after `new` and shared across threads; each
//! thread keeps its own [`Trace`] as scratch space, which the result
//! borrows, so a result costs no allocation of its own.
//!
//! Per record: parse into the typed model (unknown members are dropped
//! here), check it, run the rules in order (a tombstone ends the run), then
//! strip what the `[allow]` list does not name.

pub mod act;
mod eval;
pub mod parse;
pub mod pseudonym;
pub mod reject;

use std::sync::Arc;

use jiff::Timestamp;

use crate::detect::{Hit, KindSet};
use crate::rules::RuleSet;
use crate::rules::compiled::BUILTIN_RULES;

pub use crate::model::{FieldId, Post, Slot, Text};
pub use act::Change;
pub use parse::{Limits, Op};
pub use pseudonym::PseudonymKey;
pub use reject::Reject;

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
}

/// Scratch space reused between records: what happened to the last one
/// (read through the [`Applied`] that borrows it) and the buffers the
/// actions need.
#[derive(Debug, Default)]
pub struct Trace {
    /// The rules that changed the record, in order, each once.
    fired: Vec<RuleIdx>,
    /// With `explain` on: every change, by rule and field.
    changes: Vec<(RuleIdx, FieldId, Change)>,
    /// The kinds of personal data redacted from the record (for metrics).
    found: KindSet,
    explain: bool,
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
        self.found = KindSet::empty();
        self.sanitised.clear();
    }

    fn fire(&mut self, rule: RuleIdx) {
        if !self.fired.contains(&rule) {
            self.fired.push(rule);
        }
    }
}

/// One record through the engine: what became of it, which rules changed
/// it and which kinds of personal data they redacted, with the engine (so
/// the rule set and its hash) that did it. The rule indices mean something
/// only for that set: a caller that swaps engines between records (a
/// reload) names them with [`Applied::rule_name`], never with another
/// engine's.
///
/// Borrows the engine and the caller's [`Trace`]: no allocation of its own.
#[derive(Debug)]
pub struct Applied<'a, 't> {
    pub outcome: Outcome<'a>,
    engine: &'t Engine,
    trace: &'t Trace,
}

impl<'a, 't> Applied<'a, 't> {
    /// The engine that made this result.
    pub fn engine(&self) -> &'t Engine {
        self.engine
    }

    /// The rule set that made this result.
    pub fn rule_set(&self) -> &'t Arc<RuleSet> {
        &self.engine.rules
    }

    /// The hash of the rule set that made this result, as a shared string.
    pub fn rules_hash(&self) -> &'t Arc<str> {
        &self.engine.hash
    }

    /// The rules that changed the record, in order, each once.
    pub fn fired(&self) -> &'t [RuleIdx] {
        &self.trace.fired
    }

    /// The names of [`Applied::fired`], in the rule set that made this result.
    pub fn fired_names(&self) -> impl Iterator<Item = &'t str> + use<'t> {
        let engine = self.engine;
        self.trace.fired.iter().map(move |r| engine.rule_name(*r))
    }

    /// The name of a rule of the rule set that made this result.
    pub fn rule_name(&self, idx: RuleIdx) -> &'t str {
        self.engine.rule_name(idx)
    }

    /// With an explaining [`Trace`]: every change, by rule and field; else empty.
    pub fn changes(&self) -> &'t [(RuleIdx, FieldId, Change)] {
        &self.trace.changes
    }

    /// The kinds of personal data redacted from the record.
    pub fn found(&self) -> KindSet {
        self.trace.found
    }

    pub fn into_outcome(self) -> Outcome<'a> {
        self.outcome
    }
}

/// A compiled rule set with its key and limits, ready to apply.
#[derive(Debug)]
pub struct Engine {
    /// Shared, so that a reload deploys the very object its tests ran on.
    rules: Arc<RuleSet>,
    key: Option<PseudonymKey>,
    limits: Limits,
    /// `rules.hash`, shared cheaply with every output record's headers.
    hash: Arc<str>,
}

impl Engine {
    pub fn new(rules: RuleSet, key: Option<PseudonymKey>, limits: Limits) -> Result<Engine, EngineError> {
        Engine::shared(Arc::new(rules), key, limits)
    }

    /// An engine over a compiled rule set that other engines may share
    /// (the rule tests' engine and the deployed one, on a reload).
    pub fn shared(
        rules: Arc<RuleSet>,
        key: Option<PseudonymKey>,
        limits: Limits,
    ) -> Result<Engine, EngineError> {
        if let (Some(rule), None) = (&rules.needs_key, &key) {
            return Err(EngineError::MissingKey { rule: rule.clone() });
        }
        let hash = Arc::from(rules.hash.as_str());
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
    pub fn with_shared_rules(&self, rules: Arc<RuleSet>) -> Result<Engine, EngineError> {
        Engine::shared(rules, self.key.clone(), self.limits)
    }

    /// The compiled rule set, to share with another engine.
    pub fn rule_set(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// The rule set's hash as a shared string.
    pub fn hash(&self) -> &Arc<str> {
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
    /// `trace` is scratch space, reset here; the result borrows it.
    pub fn apply<'a, 't>(
        &'t self,
        input: &'a [u8],
        now: Timestamp,
        trace: &'t mut Trace,
    ) -> Result<Applied<'a, 't>, Reject> {
        let outcome = self.run(input, now, trace)?;
        Ok(Applied {
            outcome,
            engine: self,
            trace,
        })
    }

    fn run<'a>(&self, input: &'a [u8], now: Timestamp, trace: &mut Trace) -> Result<Outcome<'a>, Reject> {
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
}

fn tombstone(post: Post<'_>, rule: RuleIdx) -> Outcome<'_> {
    let id = match post.id {
        Slot::Value(id) => id,
        // `parse` refuses records without an id; keep the type honest anyway.
        _ => Text::default(),
    };
    Outcome::Tombstone { id, rule }
}
