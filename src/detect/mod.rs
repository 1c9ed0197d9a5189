//! Personal-data detectors for Dutch/English social-media posts.
//!
//! [`Detectors`] is compiled once and shared; [`Detectors::find`] runs one
//! multi-pattern regex pass for the pattern detectors (validated by
//! checksums) plus an Aho-Corasick pass for the name dictionary, and
//! [`redact`] replaces the hits with placeholders.

mod dict;
mod iban;
mod patterns;
mod redact;
mod validate;

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

use std::fmt;

pub use redact::redact;

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
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Email,
        Kind::Phone,
        Kind::Iban,
        Kind::Bsn,
        Kind::Card,
        Kind::Postcode,
        Kind::Ip,
        Kind::Name,
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
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`Kind`]s as a bitmask: `Copy`, one byte, so passing it per call is free.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KindSet(u8);

impl KindSet {
    pub const fn empty() -> KindSet {
        KindSet(0)
    }

    pub const fn all() -> KindSet {
        KindSet(u8::MAX)
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
    Patterns(#[source] Box<regex_automata::meta::BuildError>),
    #[error("failed to build the name dictionary")]
    Dictionary(#[source] aho_corasick::BuildError),
}

/// Compiled once, immutable, `Send + Sync`, shared across threads.
pub struct Detectors {
    kinds: KindSet,
    patterns: Option<patterns::PatternSet>,
    dict: Option<dict::Dictionary>,
}

impl Detectors {
    /// `kinds`: which detectors are on (`Name` = the dictionary and per-record
    /// terms). `terms`: dictionary terms; terms shorter than 2 bytes after
    /// trimming are ignored because they would match everywhere.
    pub fn new(kinds: &[Kind], terms: &[String]) -> Result<Detectors, DetectError> {
        let kinds: KindSet = kinds.iter().copied().collect();
        let patterns = patterns::PatternSet::new(kinds).map_err(DetectError::Patterns)?;
        let dict = if kinds.contains(Kind::Name) {
            dict::Dictionary::new(terms).map_err(DetectError::Dictionary)?
        } else {
            None
        };
        Ok(Detectors {
            kinds,
            patterns,
            dict,
        })
    }

    /// The kinds this instance was compiled with.
    pub fn kinds(&self) -> KindSet {
        self.kinds
    }

    /// Clears `out`, then fills it with all hits in `text`: non-overlapping,
    /// sorted by start, only of kinds in `only` (intersected with the compiled
    /// kinds). `extra_terms` are per-record literals searched like dictionary
    /// terms when `Name` is on. A pattern hit wins over an overlapping name
    /// hit, because it was checksum- or shape-validated and usually contains
    /// the name (e.g. an e-mail address).
    ///
    /// Pattern detection always runs for all compiled kinds and is filtered
    /// by `only`, so text of a disabled kind is never re-read as another kind.
    /// Context checks treat reported neighbours as the placeholders they will
    /// become, which makes `redact` + `find` idempotent for the same `only`.
    pub fn find(&self, text: &str, only: KindSet, extra_terms: &[&str], out: &mut Vec<Hit>) {
        out.clear();
        let only = only.intersection(self.kinds);
        if only.is_empty() || text.is_empty() {
            return;
        }
        // Names first: pattern context checks must know which neighbours
        // will become placeholders.
        if only.contains(Kind::Name) {
            if let Some(d) = &self.dict {
                d.find(text, out);
            }
            dict::find_extra(text, extra_terms, out);
            resolve_overlaps(out);
        }
        let names = out.len();
        let mut pattern_kinds = only;
        pattern_kinds.remove(Kind::Name);
        if let (Some(p), false) = (&self.patterns, pattern_kinds.is_empty()) {
            p.scan(text, pattern_kinds, names, out);
        }
        if names > 0 && out.len() > names {
            drop_names_under_patterns(out, names);
        }
    }
}

/// `out[..names]` are name hits, the rest pattern hits (each part sorted and
/// disjoint). Drops names overlapping a pattern hit, then sorts by start.
fn drop_names_under_patterns(out: &mut Vec<Hit>, names: usize) {
    let mut kept = 0;
    for i in 0..out.len() {
        let h = out[i];
        let is_name = i < names;
        if !is_name || !overlaps_any(out.get(names..).unwrap_or_default(), h.start, h.end) {
            out[kept] = h;
            kept += 1;
        }
    }
    out.truncate(kept);
    out.sort_unstable_by_key(|h| h.start);
}

/// Sorts hits and drops overlaps, keeping the leftmost, then longest.
/// `sort_unstable` does not allocate.
fn resolve_overlaps(hits: &mut Vec<Hit>) {
    hits.sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut kept = 0;
    let mut last_end = 0;
    for i in 0..hits.len() {
        let h = hits[i];
        if kept == 0 || h.start >= last_end {
            hits[kept] = h;
            kept += 1;
            last_end = h.end;
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
        assert!(KindSet::empty().is_empty());
    }

    #[test]
    fn overlap_resolution_keeps_leftmost_longest() {
        let h = |start, end| Hit {
            kind: Kind::Name,
            start,
            end,
        };
        let mut v = vec![h(5, 9), h(0, 3), h(0, 6), h(6, 8), h(10, 12)];
        resolve_overlaps(&mut v);
        assert_eq!(v, vec![h(0, 6), h(6, 8), h(10, 12)]);
        assert!(overlaps_any(&[h(2, 4), h(8, 9)], 3, 5));
        assert!(!overlaps_any(&[h(2, 4), h(8, 9)], 4, 8));
    }

    #[test]
    fn detectors_are_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Detectors>();
    }
}
