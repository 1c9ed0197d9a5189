//! The compiled rule set: immutable, checked, ready to apply. Built once by
//! `compile()`; the engine only reads it.

use std::collections::HashMap;

use regex::RegexSet;

use crate::detect::{Detectors, Kind, KindSet};
use crate::model::field::{FieldId, FieldSet};

use super::lists::List;

/// The engine's own steps, reported like rules: the allow-list strip
/// (P3) and the guard that a delete never comes out as an upsert (P6).
/// Rule files may not use these names.
pub const BUILTIN_RULES: [&str; 2] = ["allow-list", "delete-is-tombstone"];

/// A value in a rule (`set ... value`, `equals`), already checked against
/// the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Str(String),
    U64(u64),
    F64(f64),
    Bool(bool),
}

/// Index of a list in [`RuleSet::lists`].
pub type ListId = usize;

/// A maximum age: a fixed span, or the per-source `[retention]` table.
#[derive(Debug, Clone)]
pub enum MaxAge {
    Fixed(jiff::Span),
    Retention,
}

/// A compiled condition.
#[derive(Debug)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// The field holds one of these values.
    Equals(FieldId, Vec<Scalar>),
    /// The field is present and not null (`true`), or not (`false`).
    Exists(FieldId, bool),
    /// Pattern `pattern` of the field's regex set (see [`Matchers`]) matches.
    Matches {
        field: FieldId,
        set: usize,
        pattern: usize,
    },
    /// `source:value` is on the list.
    InList(FieldId, ListId),
    /// The timestamp in the field is older than the age.
    OlderThan(FieldId, MaxAge),
}

/// A compiled action.
#[derive(Debug)]
pub enum Action {
    Set(FieldId, Scalar),
    Clear(Vec<FieldId>),
    Remove(Vec<FieldId>),
    Pseudonymise(Vec<FieldId>),
    Redact {
        fields: Vec<FieldId>,
        kinds: KindSet,
        /// Fields whose values (read before this action) are redacted from
        /// `fields` as names: the author's own name and handle, say.
        terms_from: Vec<FieldId>,
        /// Values the same rule writes into those fields ("Anonieme
        /// gebruiker"): not the author's, so not redacted, which keeps
        /// sanitising a sanitised record a no-op.
        not_terms: Vec<String>,
    },
    Coarsen {
        fields: Vec<FieldId>,
        precision: f64,
    },
    Tombstone,
}

#[derive(Debug)]
pub struct Rule {
    pub name: String,
    pub reason: String,
    /// `None`: applies to every record.
    pub when: Option<Cond>,
    pub actions: Vec<Action>,
}

/// The `matches` patterns of all rules, one regex set per field, so a
/// field is scanned once per record however many rules test it.
#[derive(Debug, Default)]
pub struct Matchers {
    pub sets: Vec<(FieldId, RegexSet)>,
}

/// Everything `compile()` produces.
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// The fields that may reach the output (P3), normalised: a listed
    /// object brings its children, a listed child brings its parent object.
    pub allow: FieldSet,
    pub placeholders: [String; Kind::ALL.len()],
    /// The kinds whose placeholder is inert ([`Detectors::inert_placeholder`]):
    /// a text redacted with them may skip the confirming pass.
    pub inert: KindSet,
    pub retention: HashMap<String, jiff::Span>,
    pub lists: Vec<(String, List)>,
    pub matchers: Matchers,
    pub detectors: Detectors,
    /// The first rule that pseudonymises, if any: the key is then required.
    pub needs_key: Option<String>,
    /// BLAKE3 of every file of the set (rules, lists, dictionaries), hex.
    pub hash: String,
}

impl RuleSet {
    pub fn placeholder(&self, kind: Kind) -> &str {
        &self.placeholders[kind as usize]
    }

    pub fn list_id(&self, name: &str) -> Option<ListId> {
        self.lists.iter().position(|(n, _)| n == name)
    }

    /// Whether a rule's condition reads list `id` (a list topic for a list
    /// no rule reads is a mistake the stage refuses).
    pub fn list_is_used(&self, id: ListId) -> bool {
        fn reads(c: &Cond, id: ListId) -> bool {
            match c {
                Cond::All(cs) | Cond::Any(cs) => cs.iter().any(|c| reads(c, id)),
                Cond::Not(c) => reads(c, id),
                Cond::InList(_, l) => *l == id,
                _ => false,
            }
        }
        self.rules
            .iter()
            .any(|r| r.when.as_ref().is_some_and(|c| reads(c, id)))
    }
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("rules", &self.rules.len())
            .field("allow", &self.allow)
            .field("lists", &self.lists.len())
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}
