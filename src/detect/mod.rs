//! Personal-data detectors for Dutch/English social-media posts.
//!
//! [`Detectors`] is compiled once and shared. [`Detectors::find`] reads a
//! text through its normalised view ([`view`]: Unicode digits, dashes and
//! spaces as ASCII, invisible characters skipped, accents folded), runs the
//! name dictionary and the obfuscated-address matcher, then one
//! multi-pattern regex pass for the pattern detectors (validated by
//! checksums, phone numbers by libphonenumber's metadata, context by the
//! rule set's [`Cues`]), and maps every hit back to the original text.
//! [`redact`] replaces the hits with placeholders.

pub(crate) mod bytes;
mod cues;
mod dict;
mod email;
mod iban;
mod memo;
mod patterns;
mod person;
mod phone;
mod plan;
mod redact;
mod settle;
mod tables;
mod validate;
mod view;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_contact;
#[cfg(test)]
mod tests_names;
#[cfg(test)]
mod tests_numbers;
#[cfg(test)]
mod tests_prop;

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

pub use cues::{Cues, Words};
pub use person::NameLists;
pub use redact::{RedactError, redact};

/// What kind of personal data a hit is; also the key in rule files and placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Phone,
    Iban,
    Bsn,
    Card,
    Postcode,
    Ip,
    Name,
    /// An `@handle` of somebody: only where a rule asks for it (P2).
    Mention,
    /// A private person's name found by the lexicons and its position
    /// (not a listed term): only where a rule asks for it (P2).
    Person,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Email,
        Kind::Phone,
        Kind::Iban,
        Kind::Bsn,
        Kind::Card,
        Kind::Postcode,
        Kind::Ip,
        Kind::Name,
        Kind::Mention,
        Kind::Person,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
            Kind::Bsn => "bsn",
            Kind::Card => "card",
            Kind::Postcode => "postcode",
            Kind::Ip => "ip",
            Kind::Name => "name",
            Kind::Mention => "mention",
            Kind::Person => "person",
        }
    }

    /// Inverse of [`Kind::as_str`]; ASCII case-insensitive because rule files are hand-written.
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn default_placeholder(self) -> &'static str {
        match self {
            Kind::Email => "[email]",
            Kind::Phone => "[phone]",
            Kind::Iban => "[iban]",
            Kind::Bsn => "[bsn]",
            Kind::Card => "[card]",
            Kind::Postcode => "[address]",
            Kind::Ip => "[ip]",
            Kind::Name => "[name]",
            Kind::Mention => "[mention]",
            Kind::Person => "[name]",
        }
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`Kind`]s as a bitmask: `Copy`, two bytes, so passing it per call is free.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KindSet(u16);

impl KindSet {
    pub const fn empty() -> KindSet {
        KindSet(0)
    }

    /// Every kind there is, and no other bit: a set built from kinds
    /// compares equal to it (`Sanitised::covers` relies on that).
    pub const fn all() -> KindSet {
        KindSet((1 << Kind::ALL.len()) - 1)
    }

    /// What a `redact` action finds when it names no detectors: the
    /// personal data of P4 and the dictionary names. Mentions and person
    /// names are only redacted where a rule names them (a brand's `@handle`
    /// and the public figures named in a public post stay).
    pub const fn content() -> KindSet {
        KindSet(KindSet::all().0 & !(Kind::Mention.bit() | Kind::Person.bit()))
    }

    pub const fn contains(self, kind: Kind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn insert(&mut self, kind: Kind) {
        self.0 |= kind.bit();
    }

    pub fn remove(&mut self, kind: Kind) {
        self.0 &= !kind.bit();
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub const fn intersection(self, other: KindSet) -> KindSet {
        KindSet(self.0 & other.0)
    }

    pub const fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl FromIterator<Kind> for KindSet {
    fn from_iter<I: IntoIterator<Item = Kind>>(iter: I) -> KindSet {
        let mut set = KindSet::empty();
        for k in iter {
            set.insert(k);
        }
        set
    }
}

impl From<Kind> for KindSet {
    fn from(kind: Kind) -> KindSet {
        KindSet(kind.bit())
    }
}

impl fmt::Debug for KindSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Kind::as_str)).finish()
    }
}

/// One detected item: `start..end` are byte offsets into the text, on char boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Errors from [`Detectors::new`]. Messages never contain dictionary terms
/// (they are personal data); the sources only carry sizes and indices.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("failed to compile the built-in detector patterns")]
    Patterns(#[source] patterns::BuildError),
    #[error("failed to build the name dictionary")]
    Dictionary(#[source] aho_corasick::BuildError),
    #[error("failed to build the obfuscated e-mail matcher")]
    Obfuscated(#[source] email::ObfuscatedError),
    #[error("failed to build the list of names that are not names")]
    Person(#[source] aho_corasick::BuildError),
}

/// The detectors could not read a text for certain (the caller fails
/// closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// A hit in the normalised view could not be mapped back to the
    /// original text.
    #[error("a detected span could not be mapped back to the original text")]
    Unmappable,
    /// The pattern automaton gave up on the text.
    #[error("the pattern scan gave up on the text")]
    GaveUp,
}

/// Compiled once, immutable, `Send + Sync`, shared across threads.
pub struct Detectors {
    kinds: KindSet,
    patterns: Option<patterns::PatternSet>,
    dict: Option<dict::Dictionary>,
    obfuscated: Option<email::Obfuscated>,
    person: Option<person::Person>,
    cues: Cues,
    /// Whose entries in the memo of clean short texts are this set's.
    memo_owner: u64,
}

thread_local! {
    /// The view of the text being scanned, reused between calls.
    static VIEW: RefCell<view::View> = RefCell::new(view::View::default());
}

impl Detectors {
    /// `kinds`: which detectors are on (`Name` = the dictionary and per-record
    /// terms). `terms`: dictionary terms; terms shorter than 2 bytes after
    /// trimming are ignored because they would match everywhere. `cues`:
    /// the rule set's context words; `names`: its name lexicons.
    pub fn new(
        kinds: &[Kind],
        terms: &[String],
        cues: &Cues,
        names: &NameLists,
    ) -> Result<Detectors, DetectError> {
        let kinds: KindSet = kinds.iter().copied().collect();
        let patterns = patterns::PatternSet::new(kinds, cues).map_err(DetectError::Patterns)?;
        let dict = if kinds.contains(Kind::Name) {
            dict::Dictionary::new(terms).map_err(DetectError::Dictionary)?
        } else {
            None
        };
        let obfuscated = if kinds.contains(Kind::Email) {
            email::Obfuscated::new(cues).map_err(DetectError::Obfuscated)?
        } else {
            None
        };
        let person = if kinds.contains(Kind::Person) {
            person::Person::new(names, &cues.particles).map_err(DetectError::Person)?
        } else {
            None
        };
        Ok(Detectors {
            kinds,
            patterns,
            dict,
            obfuscated,
            person,
            cues: cues.clone(),
            memo_owner: memo::next_owner(),
        })
    }

    /// The kinds this instance was compiled with.
    pub fn kinds(&self) -> KindSet {
        self.kinds
    }

    /// The context words this instance was compiled with.
    pub fn cues(&self) -> &Cues {
        &self.cues
    }

    /// Clears `out`, then fills it with all hits in `text`: non-overlapping,
    /// sorted by start, byte ranges of `text` on char boundaries, only of
    /// kinds in `only` (intersected with the compiled kinds). `extra_terms`
    /// are per-record literals searched like dictionary terms when `Name` is
    /// on; give them folded ([`fold`]).
    ///
    /// The detectors read the normalised view of `text`; a hit covers every
    /// original character that produced it, invisible ones included.
    /// Overlapping hits merge into one span (when in doubt, redact more); a
    /// name inside a pattern hit (an address built from the name) takes the
    /// pattern's kind.
    ///
    /// Pattern detection always runs for all compiled kinds and is filtered
    /// by `only`, so text of a disabled kind is never re-read as another kind.
    /// Context checks treat reported neighbours as the placeholders they will
    /// become, which makes `redact` + `find` idempotent for the same `only`.
    pub fn find(
        &self,
        text: &str,
        only: KindSet,
        extra_terms: &[&str],
        out: &mut Vec<Hit>,
    ) -> Result<(), Unreadable> {
        self.find_noting(text, only, extra_terms, out, &mut false)
    }

    /// [`Detectors::find`], setting `reread` when a number candidate the
    /// scan rejected read into a hit, or into a name or spelled-out address
    /// found before the scan, or when the obfuscated-address matchers ran:
    /// replacing a hit may change what they read there, so the result
    /// needs its confirming pass (`settle.rs`).
    fn find_noting(
        &self,
        text: &str,
        only: KindSet,
        extra_terms: &[&str],
        out: &mut Vec<Hit>,
        reread: &mut bool,
    ) -> Result<(), Unreadable> {
        out.clear();
        let only = only.intersection(self.kinds);
        if only.is_empty() || text.is_empty() {
            return Ok(());
        }
        VIEW.with(|cell| {
            let Ok(mut view) = cell.try_borrow_mut() else {
                // Not re-entrant; a nested call gets a view of its own.
                let mut own = view::View::default();
                return self.find_through(&mut own, text, only, extra_terms, out, reread);
            };
            self.find_through(&mut view, text, only, extra_terms, out, reread)
        })
    }

    fn find_through(
        &self,
        view: &mut view::View,
        text: &str,
        only: KindSet,
        extra_terms: &[&str],
        out: &mut Vec<Hit>,
        reread: &mut bool,
    ) -> Result<(), Unreadable> {
        let census = view::Census::of(text);
        if !view.build(text, &census) {
            return self.find_remembering(text, &census, only, extra_terms, out, reread);
        }
        let census = view::Census::of(&view.text);
        self.find_remembering(&view.text, &census, only, extra_terms, out, reread)?;
        for h in out.iter_mut() {
            *h = view.to_original(text, *h).ok_or(Unreadable::Unmappable)?;
        }
        merge_overlaps(out);
        Ok(())
    }

    /// [`Detectors::find_in`], answered from the memo of clean short texts
    /// where it can be (`memo.rs`): a page name, place or tag seen clean
    /// before is not read again.
    fn find_remembering(
        &self,
        text: &str,
        census: &view::Census,
        only: KindSet,
        extra_terms: &[&str],
        out: &mut Vec<Hit>,
        reread: &mut bool,
    ) -> Result<(), Unreadable> {
        let Some(key) = memo::Key::new(self.memo_owner, only, text) else {
            return self.find_in(text, census, only, extra_terms, out, reread);
        };
        // The record's own terms first: where one occurs, the text is read
        // in full; where none does, it reads as if there were none.
        if only.contains(Kind::Name) && !extra_terms.is_empty() {
            dict::find_extra(text, extra_terms, out);
            if !out.is_empty() {
                out.clear();
                return self.find_in(text, census, only, extra_terms, out, reread);
            }
        }
        if memo::is_clean(&key) {
            return Ok(());
        }
        self.find_in(text, census, only, &[], out, reread)?;
        if out.is_empty() {
            memo::note_clean(&key);
        }
        Ok(())
    }

    /// [`Detectors::find`] on text that is its own view.
    fn find_in(
        &self,
        text: &str,
        census: &view::Census,
        only: KindSet,
        extra_terms: &[&str],
        out: &mut Vec<Hit>,
        reread: &mut bool,
    ) -> Result<(), Unreadable> {
        // Names and obfuscated addresses first: pattern context checks must
        // know which neighbours will become placeholders.
        if only.contains(Kind::Name) {
            if let Some(d) = &self.dict {
                d.find(text, out);
            }
            dict::find_extra(text, extra_terms, out);
        }
        if only.contains(Kind::Person)
            && let Some(p) = &self.person
        {
            p.find(text, out);
        }
        if only.contains(Kind::Email)
            && let Some(o) = &self.obfuscated
        {
            // The matchers read across words and lines, and judge a match
            // by what follows it (`12 @kb dot mail. jan@example.nl`: cut
            // short by the address, whole once it is a placeholder).
            *reread |= o.find(text, census, out);
        }
        merge_overlaps(out);
        let pre = out.len();
        let mut pattern_kinds = only;
        pattern_kinds.remove(Kind::Name);
        pattern_kinds.remove(Kind::Person);
        // Every pattern holds an ASCII digit, a `:` (IPv6) or an `@`
        // (e-mail, mention): without one the scan has nothing to find.
        let candidates = census.digit || census.colon || census.at;
        if let (Some(p), false, true) = (&self.patterns, pattern_kinds.is_empty(), candidates) {
            let patterns::Reread(again) = p
                .scan(text, census, pattern_kinds, &self.cues, pre, out)
                .map_err(|patterns::GaveUp| Unreadable::GaveUp)?;
            *reread |= again;
        }
        if pre > 0 && out.len() > pre {
            merge_overlaps(out);
        }
        Ok(())
    }
}

/// How many find-and-replace passes [`Detectors::sanitise`] makes at most.
/// One pass nearly always finds everything; a second may find data whose
/// context changed when a neighbour became a placeholder.
const MAX_PASSES: usize = 4;

/// Why a text could not be sanitised for certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unsanitisable {
    #[error(transparent)]
    Unreadable(#[from] Unreadable),
    #[error(transparent)]
    Redact(#[from] RedactError),
    #[error("redaction did not settle within {MAX_PASSES} passes")]
    Unsettled,
}

impl Detectors {
    /// Replaces every hit in `text` with its placeholder, and repeats on the
    /// result until nothing more is found, so that sanitising the output
    /// again changes nothing. Returns the text (borrowed when nothing was
    /// found) and the kinds found. `hits` is scratch space.
    ///
    /// `inert`: the kinds whose placeholder is inert
    /// ([`Detectors::inert_placeholder`]). A pass whose placeholders are all
    /// inert and stand apart from their neighbours is final without the
    /// confirming pass (see `settle.rs`); give `KindSet::empty()` to always
    /// confirm.
    pub fn sanitise<'a, 'p>(
        &self,
        text: &'a str,
        only: KindSet,
        extra_terms: &[&str],
        hits: &mut Vec<Hit>,
        placeholder: impl Fn(Kind) -> &'p str + Copy,
        inert: KindSet,
    ) -> Result<(Cow<'a, str>, KindSet), Unsanitisable> {
        let mut found = KindSet::empty();
        let mut reread = false;
        let scope = settle::Scope {
            only: only.intersection(self.kinds),
            inert,
            extra_terms,
        };
        self.find_noting(text, only, extra_terms, hits, &mut reread)?;
        if hits.is_empty() {
            return Ok((Cow::Borrowed(text), found));
        }
        let mut current = String::new();
        for _ in 0..MAX_PASSES {
            found = found.union(hits.iter().map(|h| h.kind).collect());
            let input = if current.is_empty() { text } else { &current };
            let next = redact(input, hits, placeholder)?.into_owned();
            if !reread && settle::is_final(self, scope, input, &next, hits, placeholder) {
                return Ok((Cow::Owned(next), found));
            }
            current = next;
            reread = false;
            self.find_noting(&current, only, extra_terms, hits, &mut reread)?;
            if hits.is_empty() {
                return Ok((Cow::Owned(current), found));
            }
        }
        Err(Unsanitisable::Unsettled)
    }
}

/// `text` as the detectors read it (accents folded, Unicode digits and
/// spaces as ASCII): how per-record terms must be given to [`Detectors::find`].
pub fn fold(text: &str, out: &mut String) {
    view::fold_into(text, out);
}

/// Whether `text` reads as itself in the view ([`fold`] would copy it):
/// then so does every piece of it, and, when it holds no `%`, every
/// joining of its pieces with single spaces and dots.
pub fn reads_as_itself(text: &str) -> bool {
    !view::needed(text)
}

/// Sorts hits and merges overlapping ones into one span covering both. A
/// merged span keeps the kind of its first non-name hit: a name inside an
/// address is part of the address. `sort_unstable` does not allocate.
fn merge_overlaps(hits: &mut Vec<Hit>) {
    hits.sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut kept: usize = 0;
    for i in 0..hits.len() {
        let h = hits[i];
        match kept.checked_sub(1).map(|k| &mut hits[k]) {
            Some(last) if h.start < last.end => {
                last.end = last.end.max(h.end);
                if matches!(last.kind, Kind::Name | Kind::Person) {
                    last.kind = h.kind;
                }
            }
            _ => {
                hits[kept] = h;
                kept += 1;
            }
        }
    }
    hits.truncate(kept);
}

/// True when `start..end` overlaps one of `sorted` (disjoint, sorted by start).
fn overlaps_any(sorted: &[Hit], start: usize, end: usize) -> bool {
    let i = sorted.partition_point(|h| h.end <= start);
    sorted.get(i).is_some_and(|h| h.start < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.as_str()), Some(k));
        }
        assert_eq!(Kind::from_name("EMAIL"), Some(Kind::Email));
        assert_eq!(Kind::from_name("address"), None);
        assert_eq!(Kind::Postcode.default_placeholder(), "[address]");
    }

    #[test]
    fn kind_set_ops() {
        let mut s: KindSet = [Kind::Email, Kind::Ip].into_iter().collect();
        assert!(s.contains(Kind::Email) && s.contains(Kind::Ip) && !s.contains(Kind::Name));
        s.insert(Kind::Name);
        s.remove(Kind::Email);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![Kind::Ip, Kind::Name]);
        assert_eq!(format!("{s:?}"), r#"{"ip", "name"}"#);
        assert!(KindSet::all().contains(Kind::Name));
        assert_eq!(Kind::ALL.into_iter().collect::<KindSet>(), KindSet::all());
        assert_eq!(
            KindSet::content().union([Kind::Mention, Kind::Person].into_iter().collect()),
            KindSet::all()
        );
        assert!(KindSet::empty().is_empty());
    }

    #[test]
    fn overlapping_hits_merge() {
        let h = |kind, start, end| Hit { kind, start, end };
        let mut v = vec![
            h(Kind::Name, 5, 9),
            h(Kind::Name, 0, 3),
            h(Kind::Email, 0, 6),
            h(Kind::Name, 6, 8),
            h(Kind::Name, 10, 12),
        ];
        merge_overlaps(&mut v);
        assert_eq!(v, vec![h(Kind::Email, 0, 9), h(Kind::Name, 10, 12)]);
        let h = |start, end| Hit {
            kind: Kind::Name,
            start,
            end,
        };
        assert!(overlaps_any(&[h(2, 4), h(8, 9)], 3, 5));
        assert!(!overlaps_any(&[h(2, 4), h(8, 9)], 4, 8));
    }

    #[test]
    fn detectors_are_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Detectors>();
    }
}
