//! When one find-and-replace pass is final, so that [`Detectors::sanitise`]
//! can skip the pass that would only confirm it (it was about a sixth of
//! the engine's time on the half-personal-data bench corpus).
//!
//! A confirming pass finds something new only where replacing a hit changed
//! what the detectors read around it: a digit run glued to the hit now
//! stands alone (`095806-12345678`), a word glued to it now ends at a word
//! edge (`Kees0612345678`), a candidate the scan rejected read into the
//! hit, a label (`phone`) now stands before a number. The context checks
//! already treat reported neighbours as the placeholders they will become
//! (see [`Detectors::find`]). A pass is final when all of these hold, and
//! otherwise the confirming pass runs as before:
//! - every placeholder is inert ([`Detectors::inert_placeholder`]: `[`
//!   lower-case letters `]`, no cue word) and no record term is its word;
//! - every placeholder stands apart: on each side spaces, sentence
//!   punctuation or symbols such as emoji, then a letter, another
//!   placeholder or the end of the text (no digit, `@`, `-`, `/`, ...);
//! - no joiner or conjunction after it leads to a number (`[phone] nr 12`);
//! - no rejected number candidate read into a hit (the scan notes it);
//! - the person detector's neighbour rules cannot change: no first name
//!   opening its line right before a placeholder (a reply tag), no listed
//!   look-alike (`Albert Heijn`) reaching into a hit.
//!
//! `tests_prop` hunts for counterexamples on glued fragments and on
//! sentences of names, labels and personal data with the default rules.
//!
//! [`Detectors::sanitise`]: super::Detectors::sanitise
//! [`Detectors::find`]: super::Detectors::find

use super::{Detectors, Hit, Kind, KindSet};

/// Punctuation that separates without joining: a sentence or clause
/// mark, a bracket or a quote. Between a placeholder and a letter it
/// cannot build a number, an address or a word.
const SOFT: &[u8] = b",;:!?.()\"'";

/// How far the neighbour checks skip spaces and soft punctuation before
/// they give up (and ask for the confirming pass).
const REACH: usize = 16;

/// What the confirming pass would look for.
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    /// The kinds it finds (the person detector's neighbour rules matter
    /// only when `Person` is among them).
    pub only: KindSet,
    /// The kinds whose placeholder is inert
    /// ([`Detectors::inert_placeholder`]).
    pub inert: KindSet,
    /// The record's terms.
    pub extra_terms: &'a [&'a str],
}

/// Whether the text `redact` made from `hits` with these placeholders needs
/// no confirming pass.
pub(super) fn is_final<'p>(
    d: &Detectors,
    scope: Scope<'_>,
    input: &str,
    out: &str,
    hits: &[Hit],
    placeholder: impl Fn(Kind) -> &'p str,
) -> bool {
    let Scope {
        only,
        inert,
        extra_terms,
    } = scope;
    let person = d.person.as_ref().filter(|_| only.contains(Kind::Person));
    let obfuscated = d.obfuscated.is_some() && only.contains(Kind::Email);

    let b = out.as_bytes();
    // Where each placeholder stands in `out`.
    let mut delta: isize = 0;
    let mut spans = hits.iter().map(|h| {
        let p = placeholder(h.kind);
        let start = h.start.checked_add_signed(delta);
        delta += p.len() as isize - (h.end - h.start) as isize;
        (h, p, start.map(|s| (s, s + p.len())))
    });
    let mut prev_end = None;
    let mut current = spans.next();
    while let Some((hit, p, span)) = current {
        let kind = hit.kind;
        let next = spans.next();
        let Some((start, end)) = span else {
            return false;
        };
        if !inert.contains(kind) || b.get(start..end) != Some(p.as_bytes()) {
            return false;
        }
        // A term the detectors would find inside the placeholder (an
        // author called `Phone`) is left to the confirming pass.
        let word = p.get(1..p.len().saturating_sub(1)).unwrap_or_default();
        if extra_terms
            .iter()
            .any(|t| t.contains(['[', ']']) || t.trim().eq_ignore_ascii_case(word))
        {
            return false;
        }
        let next_start = next.and_then(|(_, _, s)| s).map(|(s, _)| s);
        let (Some(left), true) = (
            left_apart(out, start, prev_end),
            right_apart(out, end, next_start),
        ) else {
            return false;
        };
        // A placeholder's bracket after an at-word and a word (`mail me at
        // home [phone]`) reads to the obfuscated-address trigger as a
        // domain in brackets; where it already ran, `reread` was set.
        if obfuscated && left.is_some_and(|(s, e)| at_word_before(d, b, s, e)) {
            return false;
        }
        // The person detector reads the words beside a placeholder: a first
        // name opening its line is a reply tag when the next word is in
        // lower case (`Albert) [name]`, where `Albert) Lisa` was none), and
        // a listed look-alike (`Albert Heijn`) no longer blocks its words
        // once part of it is a placeholder.
        if let Some(person) = person {
            let tag = left.is_some_and(|(s, e)| {
                opens_line(b, s) && person.reply_tag(out.get(s..e).unwrap_or_default())
            });
            if tag || person.look_alike_over(input, hit.start, hit.end) {
                return false;
            }
        }
        // A placeholder that reads as a label (`[phone]`, `[bsn]`) could
        // reach a number through a joiner or a list (`[phone] nr 123`), and
        // a hit may have swallowed the label a later number was kept by
        // (`jan@example.nl.bestelnummer: nr 123456782`).
        if d.cues.joins_on(out.get(end..).unwrap_or_default()) {
            return false;
        }
        prev_end = Some(end);
        current = next;
    }
    true
}

/// What a placeholder is apart from on its left: `Some(None)` the start of
/// the text or another placeholder, `Some(Some(word))` the byte range of a
/// word; `None` when it is not apart.
type Apart = Option<Option<(usize, usize)>>;

/// Word bytes as the person detector's tokens have them.
fn word_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || matches!(x, b'-' | b'\'') || x >= 0x80
}

/// A character the neighbour checks step over: a space, soft punctuation,
/// or a symbol outside ASCII that the view keeps as it is and that is no
/// letter or digit in any script (an emoji: `Bel me op [phone]. 🙏`).
fn soft(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace() || SOFT.contains(&(c as u8));
    }
    super::view::read(c).is_none() && !c.is_alphanumeric() && !c.is_whitespace()
}

/// The placeholder at `at` is apart from what stands before it.
fn left_apart(out: &str, at: usize, prev_end: Option<usize>) -> Apart {
    let b = out.as_bytes();
    let Some(&c) = at.checked_sub(1).and_then(|i| b.get(i)) else {
        return Some(None);
    };
    if prev_end == Some(at) {
        return Some(None);
    }
    if !(c.is_ascii_whitespace() || matches!(c, b'(' | b'"' | b'\'')) {
        return None;
    }
    // A `'` glued to a word joined it to the hit's first letter (`Iban't@`
    // was one token; `Iban'[email]` leaves `Iban` alone).
    if c == b'\''
        && at
            .checked_sub(2)
            .and_then(|i| b.get(i))
            .is_some_and(|y| word_byte(*y))
    {
        return None;
    }
    let mut i = at;
    for ch in out.get(..at)?.chars().rev().take(REACH) {
        if prev_end == Some(i) {
            return Some(None);
        }
        if !soft(ch) {
            if !ch.is_ascii_alphabetic() {
                return None;
            }
            // A word glued to digits (`0612345678Hoi`) is no token to the
            // person detector: the token before the placeholder is then
            // further back, out of these checks' sight.
            let start = b[..i].iter().rposition(|y| !word_byte(*y)).map_or(0, |k| k + 1);
            let token = b
                .get(start)
                .is_some_and(|y| y.is_ascii_alphabetic() || *y == b'\'');
            return token.then_some(Some((start, i)));
        }
        i -= ch.len_utf8();
    }
    (i == 0 || prev_end == Some(i)).then_some(None)
}

/// The placeholder ending at `at` is apart from what follows it.
fn right_apart(out: &str, at: usize, next_start: Option<usize>) -> bool {
    let b = out.as_bytes();
    let Some(&c) = b.get(at) else {
        return true;
    };
    if next_start == Some(at) {
        return true;
    }
    // A `.` or `:` ends a sentence or a label only before a space (`[email].nl`
    // reads on as a domain).
    let ends = |i: usize| b.get(i).is_none_or(u8::is_ascii_whitespace);
    let apart = c.is_ascii_whitespace()
        || matches!(c, b',' | b';' | b'!' | b'?' | b')' | b'"' | b'\'')
        || (matches!(c, b'.' | b':') && ends(at + 1));
    // A `'` before a letter starts a token of its own once the hit before
    // it is gone (`[email]'s`).
    if !apart || (c == b'\'' && b.get(at + 1).is_some_and(|y| word_byte(*y))) {
        return false;
    }
    let mut i = at;
    for ch in out.get(at..).unwrap_or_default().chars().take(REACH) {
        if next_start == Some(i) {
            return true;
        }
        if !soft(ch) {
            return ch.is_ascii_alphabetic();
        }
        i += ch.len_utf8();
    }
    i == b.len() || next_start == Some(i)
}

/// Whether an at-word (`at`) stands before the word `start..end` of
/// `out`, with whitespace between. Anything outside ASCII there or in the
/// word is assumed to be one (the view may read it as a space).
fn at_word_before(d: &Detectors, out: &[u8], start: usize, end: usize) -> bool {
    if out.get(start..end).is_none_or(|w| !w.is_ascii()) {
        return true;
    }
    let before = &out[..start];
    // The last byte of what stands before the whitespace.
    let Some(last) = before.iter().rposition(|x| !x.is_ascii_whitespace()) else {
        return false;
    };
    if last + 1 == start {
        return false;
    }
    let from = before[..=last]
        .iter()
        .rposition(|x| !x.is_ascii_alphabetic())
        .map_or(0, |k| k + 1);
    if from > last {
        return before[last] >= 0x80;
    }
    std::str::from_utf8(&before[from..=last]).is_ok_and(|w| d.cues.email_at.matches(w))
}

/// Whether the word at `start` of `out` opens its line (nothing but
/// spaces before it there): where a first name is a reply tag. Anything
/// outside ASCII before it counts as a space (the view may read it so).
fn opens_line(out: &[u8], start: usize) -> bool {
    match out[..start]
        .iter()
        .rposition(|x| !matches!(x, b' ' | b'\t' | b'\r') && *x < 0x80)
    {
        None => true,
        Some(k) => out[k] == b'\n',
    }
}

impl Detectors {
    /// Whether `placeholder` is inert: `[` lower-case ASCII letters `]`, the
    /// detectors find nothing in it, and its word is none of the words the
    /// detectors read around a candidate (cue words, name lexicons, forms of
    /// address, greetings, particles). Only then can a text with it skip the
    /// confirming pass (see [`settle`](self)).
    pub fn inert_placeholder(&self, placeholder: &str) -> bool {
        let Some(word) = placeholder.strip_prefix('[').and_then(|p| p.strip_suffix(']')) else {
            return false;
        };
        if word.is_empty() || word.len() > 24 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
        let c = &self.cues;
        // Labels (`phone`, `order`) may be placeholders: `is_final` keeps
        // them from reaching a number (the neighbour checks see no digit).
        let cue = [
            &c.joiners,
            &c.conjunctions,
            &c.version,
            &c.email_at,
            &c.email_dot,
            &c.mail_domains,
            &c.not_postcode,
            &c.house_number,
            &c.particles,
        ]
        .into_iter()
        .any(|w| w.matches(word));
        // The person detector's rules need a name and its neighbours apart
        // by a space alone; the brackets keep a placeholder's word out of
        // them, so it may be a word of its lexicons (`[iban]`: Iban).
        if cue {
            return false;
        }
        let mut hits = Vec::new();
        self.find(placeholder, KindSet::all(), &[], &mut hits).is_ok() && hits.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::detectors;
    use super::*;

    fn hit(kind: Kind, start: usize, end: usize) -> Hit {
        Hit { kind, start, end }
    }

    /// `is_final` for the one hit covering `span` in `text`.
    fn final_for(text: &str, span: &str) -> bool {
        let start = text.find(span).unwrap_or(0);
        let hits = [hit(Kind::Phone, start, start + span.len())];
        let out = format!("{}[phone]{}", &text[..start], &text[start + span.len()..]);
        is_final(
            detectors(),
            Scope {
                only: KindSet::all(),
                inert: KindSet::all(),
                extra_terms: &[],
            },
            text,
            &out,
            &hits,
            Kind::default_placeholder,
        )
    }

    #[test]
    fn apart_placeholders_are_final() {
        for text in [
            "bel 0612345678",
            "0612345678",
            "Bel me (0612345678) of mail.",
            "bel 0612345678 en vraag naar Kees",
            "tel: 0612345678, graag voor vijf uur.",
            "Mijn nummer is 0612345678.\nGroet",
            "\"0612345678\" zei ze",
            "ik ben at home, bel 0612345678",
            "at 0612345678",
        ] {
            assert!(final_for(text, "0612345678"), "{text:?}");
        }
    }

    #[test]
    fn glued_or_numbered_neighbours_need_the_pass() {
        for text in [
            "Kees0612345678",
            "0612345678x",
            "123 456 782 0612345678",
            "0612345678 123",
            "0612345678-12345678",
            "+31 0612345678",
            "0612345678.nl",
            "06 - 0612345678",
            "mail@0612345678",
            "é 0612345678",
            "bel 0612345678 nr 123",
            "bel 0612345678 en 0201234567",
            "0612345678                    Kees",
            "Iban'0612345678",
            "0612345678's",
            "mail me at home 0612345678",
            "mail me at\u{a0}home 0612345678",
        ] {
            assert!(!final_for(text, "0612345678"), "{text:?}");
        }
    }

    #[test]
    fn neighbouring_placeholders_and_odd_placeholders() {
        let text = "0612345678, 0201234567 en jan@x.nl";
        let hits = [
            hit(Kind::Phone, 0, 10),
            hit(Kind::Phone, 12, 22),
            hit(Kind::Email, 26, 34),
        ];
        let out = "[phone], [phone] en [email]";
        let fin = |inert: KindSet, terms: &[&str]| {
            is_final(
                detectors(),
                Scope {
                    only: KindSet::all(),
                    inert,
                    extra_terms: terms,
                },
                text,
                out,
                &hits,
                Kind::default_placeholder,
            )
        };
        assert!(fin(KindSet::all(), &[]));
        // Not inert, or an author term equal to a placeholder's word.
        assert!(!fin(Kind::Phone.into(), &[]));
        assert!(!fin(KindSet::all(), &["Phone"]));
        assert!(!fin(KindSet::all(), &["[x"]));
    }

    #[test]
    fn inert_placeholders() {
        let rules = crate::rules::embedded::default_rules().expect("default rules");
        let d = &rules.detectors;
        for k in Kind::ALL {
            assert!(d.inert_placeholder(k.default_placeholder()), "{k}");
        }
        // Brackets keep a lexicon's word out of the person detector's rules.
        for p in ["[iban]", "[jan]", "[mevrouw]", "[hoi]"] {
            assert!(d.inert_placeholder(p), "{p}");
        }
        for p in [
            "[Phone]", "phone", "[de]", "[nr]", "[en]", "[versie]", "[06]", "[]", "[at]", "[punt]",
        ] {
            assert!(!d.inert_placeholder(p), "{p}");
        }
    }
}
