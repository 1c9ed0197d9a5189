//! Running compiled actions on a record.

use std::borrow::Cow;

use crate::detect::{self, Hit, Kind, KindSet, Words};
use crate::rules::compiled::{Action, RuleSet, Scalar};

use super::pseudonym::{PseudonymKey, is_pseudonym};
use crate::model::field::{FieldId, SlotMut};
use crate::model::record::Post;
use crate::model::slot::{Slot, Text};

/// What an action did to a field, for `--explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Set,
    Cleared,
    Removed,
    Pseudonymised,
    Redacted(KindSet),
    Coarsened,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Set => f.write_str("set"),
            Change::Cleared => f.write_str("cleared"),
            Change::Removed => f.write_str("removed"),
            Change::Pseudonymised => f.write_str("pseudonymised"),
            Change::Coarsened => f.write_str("coarsened"),
            Change::Redacted(kinds) => {
                f.write_str("redacted")?;
                let mut sep = " ";
                for k in Kind::ALL.iter().filter(|k| kinds.contains(**k)) {
                    write!(f, "{sep}{}", k.as_str())?;
                    sep = ",";
                }
                Ok(())
            }
        }
    }
}

/// Whether evaluation goes on after an action.
pub enum Step {
    Continue,
    Tombstone,
    /// A field could not be redacted for certain: the record goes to the
    /// dead-letter path (fail closed).
    Unsanitisable(FieldId),
}

/// What actions need besides the record.
pub struct ActCtx<'e> {
    pub rules: &'e RuleSet,
    pub key: Option<&'e PseudonymKey>,
    pub hits: &'e mut Vec<Hit>,
    /// Scratch for the terms of `terms_from`, reused between records.
    pub terms: &'e mut Terms,
    /// Fields already sanitised in this record, and with which kinds.
    pub sanitised: &'e mut Sanitised,
}

/// The text fields a `redact` action has sanitised in this record, with the
/// kinds it looked for. Sanitising settles (a second pass finds nothing),
/// so a later `redact` of the same field with no more kinds and no terms
/// has nothing to do: P4 after P2 does not scan the same fields again.
#[derive(Debug, Default)]
pub struct Sanitised(Vec<(FieldId, KindSet)>);

impl Sanitised {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    fn covers(&self, field: FieldId, kinds: KindSet) -> bool {
        self.0
            .iter()
            .any(|(f, k)| *f == field && k.intersection(kinds) == kinds)
    }

    fn record(&mut self, field: FieldId, kinds: KindSet) {
        self.0.push((field, kinds));
    }

    /// Another action changed `field` (or its object): sanitise it again.
    fn forget(&mut self, field: FieldId) {
        self.0
            .retain(|(f, _)| *f != field && f.parent() != Some(field) && field.parent() != Some(*f));
    }
}

/// Terms to redact, in one buffer: copied out of the record (the fields
/// they come from are read while others are changed) without allocating
/// once the buffer has grown.
#[derive(Default)]
pub struct Terms {
    text: String,
    ends: Vec<usize>,
    /// The value the terms are taken from reads as itself in the view,
    /// and so do its pieces: they need no folding.
    plain: bool,
}

impl Terms {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Adds a term as the detectors read it (folded: any case, no accents).
    fn push(&mut self, term: &str) {
        self.push_parts([term]);
    }

    /// Adds the concatenation of `parts` as one term.
    fn push_parts<'p>(&mut self, parts: impl IntoIterator<Item = &'p str>) {
        for p in parts {
            if self.plain {
                self.text.push_str(p);
            } else {
                detect::fold(p, &mut self.text);
            }
        }
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.text[start..end])
    }
}

impl std::fmt::Debug for Terms {
    // The terms are names: Debug shows the count only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Terms({})", self.len())
    }
}

pub fn run(
    action: &Action,
    post: &mut Post<'_>,
    ctx: &mut ActCtx<'_>,
    changed: &mut dyn FnMut(FieldId, Change),
) -> Step {
    match action {
        Action::Set(f, _) => ctx.sanitised.forget(*f),
        Action::Clear(fields) | Action::Remove(fields) | Action::Pseudonymise(fields) => {
            fields.iter().for_each(|f| ctx.sanitised.forget(*f))
        }
        Action::Coarsen { fields, .. } => fields.iter().for_each(|f| ctx.sanitised.forget(*f)),
        Action::Redact { .. } | Action::Tombstone => {}
    }
    match action {
        Action::Tombstone => return Step::Tombstone,
        Action::Set(f, value) => post.visit_mut_create(*f, &mut |slot| {
            if set(slot, value) {
                changed(*f, Change::Set);
            }
        }),
        Action::Clear(fields) => each_slot(post, fields, Change::Cleared, changed, |mut s| s.clear()),
        Action::Remove(fields) => each_slot(post, fields, Change::Removed, changed, |mut s| s.remove()),
        Action::Pseudonymise(fields) => {
            // The engine refuses to start without a key when a rule pseudonymises.
            let Some(key) = ctx.key else {
                return Step::Continue;
            };
            let source = post.source.value().map(|s| s.0.clone()).unwrap_or_default();
            for f in fields {
                post.each_text_mut(*f, &mut |t| {
                    if !is_pseudonym(t.as_str()) {
                        *t = Text::owned(key.pseudonym(&source, t.as_str()));
                        changed(*f, Change::Pseudonymised);
                    }
                });
            }
        }
        Action::Redact {
            fields,
            kinds,
            terms_from,
            not_terms,
        } => {
            let (rules, hits, terms) = (ctx.rules, &mut *ctx.hits, &mut *ctx.terms);
            author_terms(
                post,
                terms_from,
                not_terms,
                &rules.detectors.cues().particles,
                terms,
            );
            // A record has a handful of terms: their slices fit on the stack.
            let mut on_stack = [""; 16];
            let on_heap: Vec<&str>;
            let term_refs: &[&str] = if terms.len() <= on_stack.len() {
                for (slot, term) in on_stack.iter_mut().zip(terms.iter()) {
                    *slot = term;
                }
                &on_stack[..terms.len()]
            } else {
                on_heap = terms.iter().collect();
                &on_heap
            };
            for f in fields {
                if terms.len() == 0 && ctx.sanitised.covers(*f, *kinds) {
                    continue;
                }
                let mut failed = false;
                post.each_text_mut(*f, &mut |t| {
                    let sanitised = rules.detectors.sanitise(
                        t.as_str(),
                        *kinds,
                        term_refs,
                        hits,
                        |k| rules.placeholder(k),
                        rules.inert,
                    );
                    match sanitised {
                        Ok((Cow::Owned(s), found)) => {
                            *t = Text::owned(s);
                            changed(*f, Change::Redacted(found));
                        }
                        Ok((Cow::Borrowed(_), _)) => {}
                        Err(_) => failed = true,
                    }
                });
                if failed {
                    return Step::Unsanitisable(*f);
                }
                ctx.sanitised.record(*f, *kinds);
            }
        }
        Action::Coarsen { fields, precision } => {
            for f in fields {
                post.visit_mut(*f, &mut |slot| {
                    if let SlotMut::F64(Slot::Value(x)) = slot {
                        let c = coarsen(*x, *precision);
                        if c != *x {
                            *x = c;
                            changed(*f, Change::Coarsened);
                        }
                    }
                });
            }
        }
    }
    Step::Continue
}

fn each_slot(
    post: &mut Post<'_>,
    fields: &[FieldId],
    what: Change,
    changed: &mut dyn FnMut(FieldId, Change),
    op: impl Fn(SlotMut<'_, '_>) -> bool,
) {
    for f in fields {
        post.visit_mut(*f, &mut |slot| {
            if op(slot) {
                changed(*f, what);
            }
        });
    }
}

/// Sets a slot to a scalar of its type (checked at compile time); true if
/// the value changed.
fn set(slot: SlotMut<'_, '_>, value: &Scalar) -> bool {
    fn put<T: PartialEq>(slot: &mut Slot<T>, v: T) -> bool {
        if slot.value() == Some(&v) {
            return false;
        }
        *slot = Slot::Value(v);
        true
    }
    match (slot, value) {
        (SlotMut::Str(s), Scalar::Str(v)) => {
            if s.value().is_some_and(|t| t.as_str() == v) {
                return false;
            }
            *s = Slot::Value(Text::owned(v.clone()));
            true
        }
        (SlotMut::U64(s), Scalar::U64(v)) => put(s, *v),
        (SlotMut::F64(s), Scalar::F64(v)) => put(s, *v),
        (SlotMut::Bool(s), Scalar::Bool(v)) => put(s, *v),
        _ => false,
    }
}

/// The values of `terms_from` fields as literal terms to redact. A name
/// gives itself and each part that identifies on its own ("Sanne de Vries"
/// gives "Sanne de Vries", "Sanne", "Vries"); a handle also without its `@`.
fn author_terms(
    post: &Post<'_>,
    from: &[FieldId],
    not_terms: &[String],
    particles: &Words,
    terms: &mut Terms,
) {
    terms.clear();
    for f in from {
        post.each_str(*f, &mut |v| {
            if not_terms.iter().any(|t| t == v) {
                return;
            }
            let v = v.trim().trim_start_matches('@');
            if v.len() < 2 {
                return;
            }
            // The terms are pieces of `v` joined by single spaces and dots
            // (`S. de Vries`): plain when `v` is, and has no `%` that a
            // joining could make an escape (`A% B2`: `A%B2`).
            terms.plain = !v.contains('%') && detect::reads_as_itself(v);
            terms.push(v);
            if *f == FieldId::AuthorName {
                name_parts(v, particles, terms);
            }
        });
    }
}

/// The parts of a name that identify on their own: each part of 3 or more
/// letters that is no particle ("Sanne", "Vries"), the surname with its
/// particles ("de Vries"), and initial + surname ("S. de Vries", "S de
/// Vries"). Matching is case- and accent-insensitive, so these cover
/// "SANNE" and "Anais" for "Anaïs".
fn name_parts(name: &str, particles: &Words, terms: &mut Terms) {
    let mut words = name.split_whitespace();
    let Some(first) = words.next() else { return };
    // The first word is the first name even when it is also a particle
    // (`Ben de Vries`).
    let in_first = first.split('-').count();
    for (k, part) in name
        .trim_start()
        .split(|c: char| c.is_whitespace() || c == '-')
        .enumerate()
    {
        let part = part.trim_matches(|c: char| !c.is_alphanumeric());
        let particle = k >= in_first && particles.matches(part);
        if part.chars().count() >= 3 && !particle && part != name {
            terms.push(part);
        }
        // `O'Neil` is also written `ONeil`.
        if part.chars().count() >= 4 && part.contains(['\'', '\u{2019}']) {
            terms.push_parts(part.split(['\'', '\u{2019}']));
        }
    }
    let surname = name[first.len()..].trim();
    if surname.is_empty() || words.next().is_none() {
        return;
    }
    let spaced = surname.contains(char::is_whitespace);
    if spaced {
        terms.push(surname);
    }
    // Written as one word, as in a handle or a tag: "sannedevries",
    // "deVries", "S.deVries" (the words go straight into the term buffer).
    terms.push_parts(name.split_whitespace());
    if spaced {
        terms.push_parts(surname.split_whitespace());
    }
    if let Some(initial) = first.chars().next().filter(|c| c.is_alphabetic()) {
        let mut buf = [0u8; 4];
        let initial = initial.encode_utf8(&mut buf);
        for sep in [". ", " ", "."] {
            terms.push_parts([&*initial, sep, surname]);
        }
        if spaced {
            terms.push_parts([&*initial, "."].into_iter().chain(surname.split_whitespace()));
        }
    }
    // A double first name has an initial per part: "J.W. de Groot" and
    // "JW de Groot" for "Jan-Willem de Groot".
    let initials = first.split('-').filter_map(|part| {
        let c = part.chars().next().filter(|c| c.is_alphabetic())?;
        part.get(..c.len_utf8())
    });
    if initials.clone().nth(1).is_some() {
        let dotted = initials.clone().flat_map(|i| [i, "."]);
        terms.push_parts(initials.chain([" ", surname]));
        terms.push_parts(dotted.clone().chain([" ", surname]));
        terms.push_parts(dotted.chain([surname]));
    }
}

/// Rounds to a multiple of `precision` degrees; for powers of ten it
/// divides by an integer, so 51.441642 becomes exactly 51.4, not 51.400000000000006.
fn coarsen(x: f64, precision: f64) -> f64 {
    let inverse = 1.0 / precision;
    if (inverse - inverse.round()).abs() < 1e-9 && inverse >= 1.0 {
        (x * inverse.round()).round() / inverse.round()
    } else {
        (x / precision).round() * precision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_sanitised_for_every_kind_is_not_scanned_again_for_the_default_kinds() {
        // P2 names its ten detectors; P4 after it names none. The default
        // kinds must read as a subset, or P4 scans every P2 field again.
        let mut done = Sanitised::default();
        done.record(FieldId::Text, Kind::ALL.into_iter().collect());
        assert!(done.covers(FieldId::Text, KindSet::content()));
        assert!(done.covers(FieldId::Text, KindSet::all()));
        assert!(!done.covers(FieldId::Title, KindSet::content()));
        let mut some = Sanitised::default();
        some.record(FieldId::Text, KindSet::content());
        assert!(!some.covers(FieldId::Text, Kind::Person.into()));
    }

    #[test]
    fn author_terms_are_the_name_its_parts_and_the_handle() {
        let input = r#"{"id":"x:1","source":"x","author":{"id":"77","name":" Sanne de Vries-Öztürk ","handle":"@sannedv"}}"#;
        let (post, _) = super::super::parse::parse(input.as_bytes(), &Default::default()).unwrap();
        let mut terms = Terms::default();
        terms.push("left over");
        let from = [FieldId::AuthorName, FieldId::AuthorHandle, FieldId::AuthorId];
        let particles = Words::new(["de", "van", "der"]);
        author_terms(&post, &from, &[], &particles, &mut terms);
        let got: Vec<&str> = terms.iter().collect();
        assert_eq!(
            got,
            [
                "Sanne de Vries-Ozturk",
                "Sanne",
                "Vries",
                "Ozturk",
                "de Vries-Ozturk",
                "SannedeVries-Ozturk",
                "deVries-Ozturk",
                "S. de Vries-Ozturk",
                "S de Vries-Ozturk",
                "S.de Vries-Ozturk",
                "S.deVries-Ozturk",
                "sannedv",
                "77"
            ]
        );
        assert_eq!(format!("{terms:?}"), "Terms(13)");
        // A part with an apostrophe is also read without it.
        let mut terms = Terms::default();
        name_parts("Sean O'Neil", &particles, &mut terms);
        assert!(
            terms.iter().any(|t| t == "ONeil"),
            "{:?}",
            terms.iter().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_plain_name_gives_the_terms_folding_would_give() {
        let particles = Words::new(["de", "van", "der"]);
        for name in [
            "Sanne de Vries",
            "Jan-Willem van der Berg",
            "Sean O'Neil",
            "Li Na",
            "Ali B",
        ] {
            let terms_of = |plain: bool| {
                let mut terms = Terms {
                    plain,
                    ..Terms::default()
                };
                terms.push(name);
                name_parts(name, &particles, &mut terms);
                terms.iter().map(str::to_owned).collect::<Vec<_>>()
            };
            assert!(detect::reads_as_itself(name), "{name}");
            assert_eq!(terms_of(true), terms_of(false), "{name}");
        }
    }

    #[test]
    fn a_double_first_name_gives_an_initial_per_part() {
        let mut terms = Terms::default();
        name_parts("Jan-Willem de Groot", &Words::new(["de"]), &mut terms);
        let got: Vec<&str> = terms.iter().collect();
        for want in [
            "Jan",
            "Willem",
            "Groot",
            "de Groot",
            "J. de Groot",
            "JW de Groot",
            "J.W. de Groot",
            "J.W.de Groot",
        ] {
            assert!(got.contains(&want), "{want} in {got:?}");
        }
    }

    #[test]
    fn a_first_name_that_is_also_a_particle_is_a_part() {
        let mut terms = Terms::default();
        name_parts("Ben van Dijk", &Words::new(["ben", "van"]), &mut terms);
        let got: Vec<&str> = terms.iter().collect();
        assert!(got.contains(&"Ben"), "{got:?}");
        assert!(got.contains(&"Dijk"), "{got:?}");
        // A particle after the first name still is none.
        assert!(!got.contains(&"van"), "{got:?}");
    }

    #[test]
    fn coarsens_to_a_clean_tenth_and_is_idempotent() {
        assert_eq!(coarsen(51.441642, 0.1), 51.4);
        assert_eq!(coarsen(5.469722, 0.1), 5.5);
        assert_eq!(coarsen(-0.04, 0.1), -0.0);
        assert_eq!(coarsen(coarsen(52.3676, 0.1), 0.1), 52.4);
        assert_eq!(coarsen(52.3676, 0.25), 52.25);
        assert_eq!(coarsen(52.3676, 1.0), 52.0);
    }
}
