//! Name dictionary (Aho-Corasick over ops' terms) and per-record extra
//! terms: whole-word matches of kind `Name`, run on the normalised view,
//! with terms folded the same way, so they match in any case and with or
//! without accents (`ANAÏS`, `Anais`).

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, Input, MatchKind};

use super::bytes::{Class, each_start_where};
use super::view::Bytes;
use super::{Hit, Kind};

/// Terms shorter than this (after trimming) would match nearly everywhere.
const MIN_TERM_LEN: usize = 2;

/// Up to this many term bytes (~2000 names) the dictionary is a DFA.
const DFA_MAX_TERM_BYTES: usize = 32 * 1024;

pub(super) struct Dictionary {
    ac: AhoCorasick,
    /// A handful of terms are found faster by a scan for their first
    /// bytes than by a case-insensitive automaton (its prefilter finds little).
    small: Option<Vec<String>>,
}

/// Up to this many terms, [`Dictionary::small`] is used.
const SMALL: usize = 8;

impl Dictionary {
    /// `Ok(None)` when no usable term remains.
    pub(super) fn new(terms: &[String]) -> Result<Option<Dictionary>, BuildError> {
        let terms: Vec<String> = terms
            .iter()
            .map(|t| {
                let mut folded = String::new();
                super::view::fold_into(t.trim(), &mut folded);
                folded
            })
            .filter(|t| t.len() >= MIN_TERM_LEN)
            .collect();
        if terms.is_empty() {
            return Ok(None);
        }
        // A DFA scans ~1.5x faster than the contiguous NFA but costs ~160
        // bytes of memory per term byte (~5 MB at the limit); beyond it the
        // NFA is used (100k names: ~26 MB as an NFA, far too big as a DFA).
        let term_bytes: usize = terms.iter().map(|t| t.len()).sum();
        let kind = if term_bytes <= DFA_MAX_TERM_BYTES {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(&terms)?;
        let small = (terms.len() <= SMALL).then_some(terms);
        Ok(Some(Dictionary { ac, small }))
    }

    /// Pushes whole-word name hits onto `out`.
    pub(super) fn find(&self, text: &str, out: &mut Vec<Hit>) {
        if let Some(terms) = &self.small {
            let first = out.len();
            find_extra(text, terms, out);
            // Overlapping terms (`jan`, `jan de`): leftmost, then longest.
            out[first..].sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
            let mut kept = first;
            for k in first..out.len() {
                if kept == first || out[k].start >= out[kept - 1].end {
                    out[kept] = out[k];
                    kept += 1;
                }
            }
            out.truncate(kept);
            return;
        }
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = self.ac.find(Input::new(text).span(pos..text.len())) else {
                break;
            };
            let start = m.start();
            match self.whole_word_end(text, start, m.end()) {
                Some(end) => {
                    push_name(text, start, end, out);
                    pos = end;
                }
                // Only advance one byte: another term may start inside this
                // match (`xjan de vries` with term `de vries`).
                None => pos = start + 1,
            }
        }
    }

    /// The longest term at `start` that is a whole word: the leftmost-longest
    /// match first, then shorter ones. A search over `start..end-1` returns
    /// the longest shorter term at `start` if there is one, since no match
    /// can start further left; a match starting later means there is none.
    fn whole_word_end(&self, text: &str, start: usize, mut end: usize) -> Option<usize> {
        if !starts_word(text, start) {
            return None;
        }
        loop {
            if ends_word(text, end) {
                return Some(end);
            }
            let m = self.ac.find(Input::new(text).span(start..end.checked_sub(1)?))?;
            if m.start() != start {
                return None;
            }
            end = m.end();
        }
    }
}

/// Per-record terms (author name, handle): a small slice, so a plain scan
/// for their first letters is enough (four letters to a pass), every term
/// with that letter compared at each of its places. Allocation-free.
pub(super) fn find_extra<S: AsRef<str>>(text: &str, terms: &[S], out: &mut Vec<Hit>) {
    // The terms trimmed, with their first letter in lower case, on the
    // stack: a record has a handful (more are taken a stackful at a time).
    const ON_STACK: usize = 8;
    for chunk in terms.chunks(ON_STACK) {
        let mut prepared: [(u8, &[u8]); ON_STACK] = [(0, &[]); ON_STACK];
        let mut n = 0;
        for t in chunk {
            let t = trimmed(t.as_ref()).as_bytes();
            if let (Some(first), true) = (t.first(), t.len() >= MIN_TERM_LEN) {
                prepared[n] = (first.to_ascii_lowercase(), t);
                n += 1;
            }
        }
        find_prepared(text, &prepared[..n], out);
    }
}

/// `t.trim()`, without its Unicode look-ups when both ends are plain ASCII
/// (as the engine's terms are).
fn trimmed(t: &str) -> &str {
    let b = t.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        t
    } else {
        t.trim()
    }
}

fn find_prepared(text: &str, terms: &[(u8, &[u8])], out: &mut Vec<Hit>) {
    let hay = text.as_bytes();
    let mut at = |i: usize| {
        let rest = hay.get(i..).unwrap_or_default();
        let Some(&b) = rest.first() else { return };
        // Inside a word: no term starting with a letter or digit starts
        // here (what `starts_word` says, without decoding).
        let word_byte = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
        if word_byte(b)
            && i.checked_sub(1)
                .and_then(|p| hay.get(p))
                .is_some_and(|&p| word_byte(p))
        {
            return;
        }
        let first = b.to_ascii_lowercase();
        for &(f, t) in terms {
            let Some(window) = rest.get(..t.len()) else {
                continue;
            };
            let end = i + t.len();
            if f == first && window.eq_ignore_ascii_case(t) && starts_word(text, i) && ends_word(text, end) {
                push_name(text, i, end, out);
            }
        }
    };
    // The distinct first letters, four to a pass: each pass reads the text
    // sixteen bytes at a time and stops only where one of its letters
    // stands outside a word (a name's parts and initials share theirs, so
    // one pass is the rule). The hits of several passes are sorted by the
    // caller.
    let mut firsts: [u8; 4] = [0; 4];
    let mut n = 0;
    let mut done = Bytes::default();
    let mut pass = |firsts: [u8; 4]| each_start_where(hay, Class::Folded(firsts), &mut at);
    for &(first, _) in terms {
        if done.contains(first) {
            continue;
        }
        done.insert(first);
        firsts[n] = first;
        n += 1;
        if n == firsts.len() {
            pass(firsts);
            n = 0;
        }
    }
    if let Some(&last) = firsts[..n].last() {
        // Fill the unused slots with a letter already in the pass.
        firsts[n..].fill(last);
        pass(firsts);
    }
}

/// Records a name hit; a directly preceding `@` is absorbed so a handle
/// (`@sannedevries`) is redacted whole even when the term lacks the `@`.
fn push_name(text: &str, start: usize, end: usize, out: &mut Vec<Hit>) {
    let start = match start.checked_sub(1) {
        Some(at) if text.as_bytes().get(at) == Some(&b'@') => at,
        _ => start,
    };
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return;
    }
    out.push(Hit {
        kind: Kind::Name,
        start,
        end,
    });
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A match edge that is a word char must not continue a word (`Jan` in
/// `Janssen`); edges that are punctuation (`@handle`) need nothing.
fn starts_word(text: &str, start: usize) -> bool {
    let (Some(before), Some(rest)) = (text.get(..start), text.get(start..)) else {
        return false;
    };
    match (before.chars().next_back(), rest.chars().next()) {
        (Some(prev), Some(first)) => !(is_word(prev) && is_word(first)),
        _ => true,
    }
}

fn ends_word(text: &str, end: usize) -> bool {
    let (Some(head), Some(after)) = (text.get(..end), text.get(end..)) else {
        return false;
    };
    match (head.chars().next_back(), after.chars().next()) {
        (Some(last), Some(next)) => !(is_word(last) && is_word(next)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(terms: &[&str], text: &str) -> Vec<String> {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let mut out = Vec::new();
        if let Ok(Some(d)) = Dictionary::new(&terms) {
            d.find(text, &mut out);
        }
        out.iter().map(|h| text[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(names(&["Jan"], "Jan, Janssen en januari"), vec!["Jan"]);
        assert!(names(&["Jan"], "Janssen januari xjan").is_empty());
    }

    #[test]
    fn shorter_term_when_longest_is_not_a_word() {
        assert_eq!(names(&["jan", "jan de"], "jan devries"), vec!["jan"]);
        assert_eq!(names(&["jan", "jan de"], "jan de vries"), vec!["jan de"]);
    }

    #[test]
    fn term_after_rejected_start() {
        assert_eq!(
            names(&["xjan de", "de vries"], "axjan de vries"),
            vec!["de vries"]
        );
    }

    #[test]
    fn short_and_blank_terms_ignored() {
        assert!(matches!(Dictionary::new(&[" ".into(), "a".into()]), Ok(None)));
    }

    #[test]
    fn extra_terms_case_insensitive_whole_word() {
        let text = "Groeten van SANNE en sannetje, @sanne";
        let mut out = Vec::new();
        find_extra(text, &["sanne", "x", ""], &mut out);
        let got: Vec<&str> = out.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(got, vec!["SANNE", "@sanne"]);
    }

    #[test]
    fn extra_terms_sharing_a_letter_and_more_than_a_stackful() {
        let text = "Hoi Sanne Smit, S. Smit en smit99 en Zoe";
        let mut many: Vec<String> = (0..30).map(|i| format!("term{i}")).collect();
        many.push("Zoe".into());
        let mut terms: Vec<&str> = vec!["Sanne Smit", "Sanne", "Smit", "S. Smit", "smit99"];
        terms.extend(many.iter().map(String::as_str));
        let mut out = Vec::new();
        find_extra(text, &terms, &mut out);
        out.sort_by_key(|h| (h.start, h.end));
        let got: Vec<&str> = out.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(
            got,
            vec!["Sanne", "Sanne Smit", "Smit", "S. Smit", "Smit", "smit99", "Zoe"]
        );
    }

    #[test]
    fn extra_terms_at_word_starts_after_any_character() {
        let text =
            "Sanne, \u{2019}Sanne\u{2019}, \u{a0}Sanne, éSanne, xSanne, 9Sanne, _Sanne, (sanne) x@sanne";
        let mut out = Vec::new();
        find_extra(text, &["Sanne", "@sanne"], &mut out);
        out.sort_by_key(|h| h.start);
        out.dedup();
        let got: Vec<&str> = out.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(got, vec!["Sanne", "Sanne", "Sanne", "sanne", "@sanne"]);
    }

    #[test]
    fn many_first_letters_in_one_pass_find_what_each_term_finds_alone() {
        // Three or more first letters take the one-pass path; one term
        // alone takes memchr. Both must find the same places.
        let terms = [
            "Sanne",
            "@sanne",
            "de Vries",
            "S. de Vries",
            "100041911269066",
            "_x9",
            "@jdv",
        ];
        let texts = [
            "Sanne, \u{2019}Sanne\u{2019}, \u{a0}Sanne, éSanne, xSanne, 9Sanne, _Sanne, (sanne) x@sanne x@jdv",
            "id 100041911269066, x100041911269066 en 1000419112690667; S. de Vries of de vries",
            "dede Vries, ade Vries, @de vries, ß_x9 _x9 a_x9",
        ];
        let sorted = |mut v: Vec<Hit>| {
            v.sort_by_key(|h| (h.start, h.end));
            v
        };
        for text in texts {
            let mut together = Vec::new();
            find_extra(text, &terms, &mut together);
            let mut alone = Vec::new();
            for t in terms {
                find_extra(text, &[t], &mut alone);
            }
            assert_eq!(sorted(together), sorted(alone), "{text:?}");
        }
        // And what they find: whole words, a handle inside a word.
        let text = texts[0];
        let mut out = Vec::new();
        find_extra(text, &terms, &mut out);
        let mut out = sorted(out);
        out.dedup();
        let got: Vec<&str> = out.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(got, vec!["Sanne", "Sanne", "Sanne", "sanne", "@sanne", "@jdv"]);
    }
}
