//! The single multi-pattern regex for all pattern detectors, and the scan
//! loop that validates its candidates.
//!
//! Priority order (= pattern order; at the same start the earlier pattern is
//! tried first, later ones only if it fails validation):
//! email, IBAN (compact, grouped), card (plain, spaced, dashed), IPv4, IPv6,
//! phone (+31/0031, other +, Dutch national), postcode + house number,
//! house number + postcode, BSN (plain, spaced, dotted).
//! Longer, checksummed shapes go first so that their digits are not claimed
//! by looser shapes (a 16-digit card is never read as a phone). BSN is last
//! because a bare 9-digit run is the weakest evidence.

use regex_automata::{Anchored, Input, PatternID, meta};

use super::validate::{self, Mask, Verdict};
use super::{Hit, Kind, KindSet};

/// One notation of one detector; `validate` dispatches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    Email,
    IbanCompact,
    IbanGrouped,
    CardPlain,
    CardSpaced,
    CardDashed,
    Ipv4,
    Ipv6,
    PhoneNlIntl,
    PhoneIntl,
    PhoneNl,
    PostcodeFirst,
    NumberFirst,
    BsnPlain,
    BsnSpaced,
    BsnDotted,
}

impl Form {
    pub(super) fn kind(self) -> Kind {
        match self {
            Form::Email => Kind::Email,
            Form::IbanCompact | Form::IbanGrouped => Kind::Iban,
            Form::CardPlain | Form::CardSpaced | Form::CardDashed => Kind::Card,
            Form::Ipv4 | Form::Ipv6 => Kind::Ip,
            Form::PhoneNlIntl | Form::PhoneIntl | Form::PhoneNl => Kind::Phone,
            Form::PostcodeFirst | Form::NumberFirst => Kind::Postcode,
            Form::BsnPlain | Form::BsnSpaced | Form::BsnDotted => Kind::Bsn,
        }
    }
}

// Building blocks. All ASCII (`(?-u)`), so every match starts and ends on a
// char boundary. `\b` is ASCII-only; Unicode neighbours are checked in
// `validate::isolated`.
macro_rules! b {
    () => {
        r"(?-u:\b)"
    };
}
/// Dutch subscriber part: one run, or 2-4 groups separated by single
/// spaces, or dot-separated groups only (`06.12.34.56.78`). A dash (also
/// ` - `) only after the area code, so dates like 05-11-2026 never match;
/// dots never mix with spaces, so `01.01.2026 10.30` never does either.
macro_rules! nl_subscriber {
    () => {
        r"(?:(?: - |[ -])?[0-9]{6,8}|(?: - |[ -])?[0-9]{2,4}(?: [0-9]{2,4}){1,3}|(?:\.[0-9]{2,4}){2,4})"
    };
}
/// Postcode: 4 digits (first 1-9), then two letters: uppercase with an
/// optional space, any case only when glued (`1234ab`).
macro_rules! postcode {
    () => {
        r"[1-9][0-9]{3}(?: ?[A-Z]{2}|[A-Za-z]{2})(?-u:\b)"
    };
}
/// House number with an optional addition: `12a`, `12-14`, `12-bis`.
macro_rules! house_number {
    () => {
        r"[1-9][0-9]{0,4}(?:[A-Za-z]|-[0-9A-Za-z]{1,4})?"
    };
}
macro_rules! ipv4 {
    () => {
        r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"
    };
}

/// Email domain label: alnum at both ends, dashes inside.
macro_rules! label {
    () => {
        r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    };
}

const PATTERNS: &[(Form, &str)] = &[
    (
        Form::Email,
        concat!(
            r"(?-u)",
            b!(),
            r"[A-Za-z0-9_][A-Za-z0-9_%+-]*(?:\.[A-Za-z0-9_%+-]+)*@",
            label!(),
            r"(?:\.",
            label!(),
            r")*\.[A-Za-z]{2,}",
            b!()
        ),
    ),
    (
        Form::IbanCompact,
        concat!(r"(?-u)", b!(), r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11,30}", b!()),
    ),
    (
        Form::IbanGrouped,
        concat!(
            r"(?-u)",
            b!(),
            r"[A-Za-z]{2}[0-9]{2}(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,4})?",
            b!()
        ),
    ),
    (Form::CardPlain, concat!(r"(?-u)", b!(), r"[0-9]{13,19}", b!())),
    (
        Form::CardSpaced,
        concat!(r"(?-u)", b!(), r"[0-9]{4}(?: [0-9]{3,6}){2,4}", b!()),
    ),
    (
        Form::CardDashed,
        concat!(r"(?-u)", b!(), r"[0-9]{4}(?:-[0-9]{3,6}){2,4}", b!()),
    ),
    (Form::Ipv4, concat!(r"(?-u)", b!(), ipv4!(), b!())),
    (
        Form::Ipv6,
        concat!(
            r"(?-u)(?:[0-9A-Fa-f]{0,4}:){2,7}(?:",
            ipv4!(),
            r"|[0-9A-Fa-f]{1,4})?"
        ),
    ),
    (
        Form::PhoneNlIntl,
        concat!(
            r"(?-u)(?:\+|",
            b!(),
            r"00)31[ -]?(?:\(0\)[ -]?|0[ -]?)?[1-9][0-9]{0,2}",
            nl_subscriber!(),
            b!()
        ),
    ),
    (
        Form::PhoneIntl,
        concat!(
            r"(?-u)\+[1-9][0-9]{0,2}(?:[ -]?\([0-9]{1,4}\))?(?:[ -]?[0-9]{1,6}){1,6}",
            b!()
        ),
    ),
    (
        Form::PhoneNl,
        concat!(
            r"(?-u)(?:",
            b!(),
            r"0[1-9][0-9]{0,2}|\(0[1-9][0-9]{0,2}\))",
            nl_subscriber!(),
            b!()
        ),
    ),
    (
        Form::PostcodeFirst,
        concat!(r"(?-u)", b!(), postcode!(), r",? ", house_number!(), b!()),
    ),
    (
        Form::NumberFirst,
        concat!(r"(?-u)", b!(), house_number!(), r",? ", postcode!()),
    ),
    (Form::BsnPlain, concat!(r"(?-u)", b!(), r"[0-9]{9}", b!())),
    (
        Form::BsnSpaced,
        concat!(r"(?-u)", b!(), r"[0-9]{3} [0-9]{3} [0-9]{3}", b!()),
    ),
    (
        Form::BsnDotted,
        concat!(r"(?-u)", b!(), r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}", b!()),
    ),
];

/// The compiled regex over the patterns of the enabled kinds, in priority order.
pub(super) struct PatternSet {
    re: meta::Regex,
    /// `forms[pattern id]`.
    forms: Vec<Form>,
}

impl PatternSet {
    /// `Ok(None)` when no pattern kind is enabled. The patterns are constants,
    /// so an error here is a bug, but it is reported rather than panicking.
    pub(super) fn new(kinds: KindSet) -> Result<Option<PatternSet>, Box<meta::BuildError>> {
        let (forms, pats): (Vec<Form>, Vec<&str>) = PATTERNS
            .iter()
            .filter(|(f, _)| kinds.contains(f.kind()))
            .copied()
            .unzip();
        if forms.is_empty() {
            return Ok(None);
        }
        let re = meta::Regex::new_many(&pats).map_err(Box::new)?;
        Ok(Some(PatternSet { re, forms }))
    }

    /// Appends validated hits of kinds in `only` to `out`, sorted and
    /// disjoint. `out[..names]` holds the name hits (sorted, disjoint), which
    /// the context checks treat as future placeholders.
    pub(super) fn scan(&self, text: &str, only: KindSet, names: usize, out: &mut Vec<Hit>) {
        let bytes = text.as_bytes();
        let last_at = memchr::memrchr(b'@', bytes);
        let mut pos = 0;
        // The last pushed pattern hit; see `validate::Mask`.
        let mut last = (0, 0);
        // Start of a number glued to the last rejected candidate.
        let mut glued = None;
        while pos < text.len() {
            // Where the leftmost match can start at the earliest: searching
            // from there finds the same match, without running the DFA over
            // the words before it (or at all when nothing can match).
            let from = match last_at {
                Some(at) if at >= pos => pos,
                _ => match earliest_start_without_at(bytes, pos) {
                    Some(from) => from,
                    None => break,
                },
            };
            let Some(m) = self.re.search(&Input::new(text).range(from..)) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            if end <= start {
                break; // no pattern matches empty; guards against looping
            }
            let judged = if glued == Some(start) {
                Err(None)
            } else {
                let mask = Mask {
                    last,
                    names: out.get(..names).unwrap_or_default(),
                };
                self.judge(text, m.pattern().as_usize(), start, end, &mask)
            };
            match judged {
                Ok((kind, hit_end)) => {
                    if only.contains(kind) {
                        out.push(Hit {
                            kind,
                            start,
                            end: hit_end,
                        });
                        // Only redacted hits turn into placeholders.
                        last = (start, hit_end);
                    }
                    pos = hit_end;
                }
                // Resume after the rejected candidate: never re-match inside
                // a rejected digit run (its tail is not a separate number).
                Err(glue) => {
                    glued = glue;
                    pos = end;
                }
            }
        }
    }

    /// Validates the leftmost-first winner `first`; if it fails, tries the
    /// lower-priority patterns anchored at the same start (higher ones did
    /// not match there, or they would have won). `Err` carries the start of
    /// a glued number if any attempt found one.
    fn judge(
        &self,
        text: &str,
        first: usize,
        start: usize,
        end: usize,
        mask: &Mask,
    ) -> Result<(Kind, usize), Option<usize>> {
        let mut glue = None;
        let mut try_form = |idx: usize, end: usize| {
            let form = *self.forms.get(idx)?;
            match validate::accept(form, text, start, end, mask) {
                Verdict::Hit(e) => Some((form.kind(), e)),
                Verdict::Reject => None,
                Verdict::GluedTo(p) => {
                    glue = glue.or(Some(p));
                    None
                }
            }
        };
        if let Some(hit) = try_form(first, end) {
            return Ok(hit);
        }
        for idx in first + 1..self.forms.len() {
            let Ok(pid) = PatternID::new(idx) else { break };
            let input = Input::new(text).range(start..).anchored(Anchored::Pattern(pid));
            if let Some(m) = self.re.search(&input)
                && let Some(hit) = try_form(idx, m.end())
            {
                return Ok(hit);
            }
        }
        Err(glue)
    }
}

/// The earliest start of a match at or after `pos` when no `@` follows
/// `pos` (so no e-mail address can): every other pattern has an ASCII digit
/// within its first [`DIGIT_WITHIN`] bytes, or for IPv6 a `:` within its
/// first [`COLON_WITHIN`] (a test checks both on the compiled patterns).
/// `None`: no match can start at or after `pos`. Most sentences have no
/// digit and no colon, so the regex does not run over them at all.
fn earliest_start_without_at(bytes: &[u8], pos: usize) -> Option<usize> {
    let rest = bytes.get(pos..)?;
    let digit = first_digit(rest).map(|i| i.saturating_sub(DIGIT_WITHIN - 1));
    let colon = memchr::memchr(b':', rest).map(|i| i.saturating_sub(COLON_WITHIN - 1));
    let skip = match (digit, colon) {
        (Some(d), Some(c)) => d.min(c),
        (d, c) => d.or(c)?,
    };
    Some(pos + skip)
}

/// A match of any pattern but email and IPv6 has an ASCII digit among its
/// first this many bytes (`NL91...`, `+31...`, `(0...`).
const DIGIT_WITHIN: usize = 3;
/// An IPv6 match has a `:` among its first this many bytes (`fe80:`).
const COLON_WITHIN: usize = 5;

fn first_digit(bytes: &[u8]) -> Option<usize> {
    // Branch-free OR over 32-byte chunks vectorises; `position` per byte
    // does not, so it runs only in the chunk that has a digit.
    let mut offset = 0;
    for chunk in bytes.chunks(32) {
        if chunk.iter().fold(false, |acc, b| acc | b.is_ascii_digit()) {
            return chunk.iter().position(u8::is_ascii_digit).map(|i| offset + i);
        }
        offset += chunk.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_patterns_compile_with_one_pattern_per_form() {
        let set = PatternSet::new(KindSet::all());
        assert!(matches!(&set, Ok(Some(s)) if s.forms.len() == PATTERNS.len()));
        assert!(matches!(PatternSet::new(Kind::Name.into()), Ok(None)));
    }

    #[test]
    fn priority_order_is_documented_order() {
        let kinds: Vec<Kind> = PATTERNS.iter().map(|(f, _)| f.kind()).collect();
        let mut dedup = kinds.clone();
        dedup.dedup();
        assert_eq!(
            dedup,
            vec![
                Kind::Email,
                Kind::Iban,
                Kind::Card,
                Kind::Ip,
                Kind::Phone,
                Kind::Postcode,
                Kind::Bsn
            ]
        );
    }

    #[test]
    fn earliest_start() {
        let at = |s: &str, pos| earliest_start_without_at(s.as_bytes(), pos);
        assert_eq!(at("geen cijfers hier, alleen tekst", 0), None);
        assert_eq!(at("om 10 uur", 0), Some(1));
        assert_eq!(at("om 10 uur", 4), Some(4));
        assert_eq!(at("om 10 uur", 5), None);
        assert_eq!(at("1", 0), Some(0));
        assert_eq!(at("adres fe80::1", 0), Some(6));
        assert_eq!(at(&format!("{}7", "x".repeat(100)), 3), Some(98));
        assert_eq!(at("x", 5), None);
    }

    /// The promise `earliest_start_without_at` relies on, checked on the
    /// compiled DFA of each pattern: from every start state (any byte
    /// before), no path through the first `DIGIT_WITHIN` bytes that avoids
    /// digits (or `COLON_WITHIN` bytes that avoid `:`, for IPv6) can match
    /// or lead on to a match.
    #[test]
    fn every_pattern_needs_a_digit_or_colon_early() {
        use regex_automata::dfa::{Automaton, dense};
        use regex_automata::util::start;

        for (form, pattern) in PATTERNS {
            let (within, needed): (usize, fn(u8) -> bool) = match form {
                Form::Email => continue,
                Form::Ipv6 => (COLON_WITHIN, |b| b == b':'),
                _ => (DIGIT_WITHIN, |b: u8| b.is_ascii_digit()),
            };
            let dfa = dense::DFA::new(pattern).unwrap();
            let mut states = Vec::new();
            for before in std::iter::once(None).chain((0..=255u8).map(Some)) {
                let config = start::Config::new().anchored(Anchored::Yes).look_behind(before);
                states.push(dfa.start_state(&config).unwrap());
            }
            for step in 0..within {
                let mut next = Vec::new();
                for &s in &states {
                    for b in (0..=255u8).filter(|b| !needed(*b)) {
                        let t = dfa.next_state(s, b);
                        assert!(!dfa.is_match_state(t), "{form:?} matches by byte {step}");
                        if !dfa.is_dead_state(t) && !next.contains(&t) {
                            next.push(t);
                        }
                    }
                    let eoi = dfa.next_eoi_state(s);
                    assert!(!dfa.is_match_state(eoi), "{form:?} matches by byte {step}");
                }
                states = next;
            }
            assert!(
                states.is_empty(),
                "{form:?} can match after {within} bytes without one"
            );
        }
    }
}
