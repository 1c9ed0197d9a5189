//! Context words the detectors consult: labels before numbers, the words
//! of obfuscated e-mail addresses, version words, name particles. They are
//! policy, so they come from the rule files (`[context]`), where `anoniem
//! check` tests them; nothing here holds a word of its own.

use rustc_hash::FxHashSet;

use super::Kind;

/// A list of cue words, folded like the detectors' view (lower case, no
/// accents). A word ending in `*` matches every word it starts
/// (`bestel*`: `bestelnummer`); any other matches whole words only.
#[derive(Clone, Default)]
pub struct Words {
    /// Whole words, sorted (for `iter` and equality).
    exact: Vec<String>,
    /// Prefixes (written with `*`), without the `*`.
    prefixes: Vec<String>,
    /// The whole words again, for the look-up.
    set: FxHashSet<Box<[u8]>>,
    /// A 4096-bit filter over the first two bytes and the length of each
    /// whole word: most words are rejected by this one load, before any
    /// copy or hash (the detectors ask for nearly every word).
    shapes: Box<[u64]>,
    /// The same over the first two bytes of each prefix (a one-byte prefix
    /// by its byte alone), and the shortest prefix.
    prefix_shapes: Box<[u64]>,
    min_prefix: usize,
}

impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.exact == other.exact && self.prefixes == other.prefixes
    }
}

impl Eq for Words {}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words")
            .field("exact", &self.exact)
            .field("prefixes", &self.prefixes)
            .finish()
    }
}

/// Longer words are no cue (and are not lower-cased on the stack).
const MAX_WORD: usize = 48;

const FILTER_BITS: usize = 4096;

/// The filter bit of a word's first two bytes (in lower case) and `len`.
fn shape(b: &[u8], len: usize) -> usize {
    let byte = |i: usize| usize::from(b.get(i).map_or(0, u8::to_ascii_lowercase));
    (byte(0).wrapping_mul(31) ^ byte(1).wrapping_mul(131) ^ len.wrapping_mul(1031)) % FILTER_BITS
}

fn set_bit(bits: &mut [u64], i: usize) {
    if let Some(w) = bits.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

fn get_bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

impl Words {
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Words {
        let mut exact = Vec::new();
        let mut prefixes = Vec::new();
        for w in words {
            let mut folded = String::new();
            super::view::fold_into(w.as_ref().trim(), &mut folded);
            let folded = folded.to_lowercase();
            match folded.strip_suffix('*') {
                Some("") => {}
                Some(prefix) => prefixes.push(prefix.to_owned()),
                None if folded.is_empty() => {}
                None => exact.push(folded),
            }
        }
        exact.sort();
        exact.dedup();
        prefixes.sort();
        prefixes.dedup();
        let mut shapes = vec![0u64; FILTER_BITS / 64].into_boxed_slice();
        let mut set = FxHashSet::default();
        for w in &exact {
            let b = w.as_bytes();
            if !b.is_empty() && b.len() <= MAX_WORD {
                set_bit(&mut shapes, shape(b, b.len()));
                set.insert(b.into());
            }
        }
        let mut prefix_shapes = vec![0u64; FILTER_BITS / 64].into_boxed_slice();
        for p in &prefixes {
            if !p.is_empty() {
                set_bit(&mut prefix_shapes, shape(p.as_bytes(), 0));
            }
        }
        let min_prefix = prefixes.iter().map(String::len).min().unwrap_or(usize::MAX);
        Words {
            exact,
            prefixes,
            set,
            shapes,
            prefix_shapes,
            min_prefix,
        }
    }

    /// True when `word` (as it reads in the view: accents already folded)
    /// is one of the cues, ignoring ASCII case. Called for nearly every
    /// word of some texts: no allocation, and most words are rejected by
    /// their first byte and length alone.
    pub fn matches(&self, word: &str) -> bool {
        let b = word.as_bytes();
        if b.is_empty() || b.len() > MAX_WORD {
            return false;
        }
        let exact = get_bit(&self.shapes, shape(b, b.len()));
        // A prefix is filtered by as many of its bytes as it has (one or two).
        let prefix = b.len() >= self.min_prefix
            && (get_bit(&self.prefix_shapes, shape(b, 0))
                || get_bit(&self.prefix_shapes, shape(b.get(..1).unwrap_or_default(), 0)));
        if !exact && !prefix {
            return false;
        }
        let mut buf = [0u8; MAX_WORD];
        let lower = &mut buf[..b.len()];
        lower.copy_from_slice(b);
        lower.make_ascii_lowercase();
        let lower: &[u8] = lower;
        (exact && self.set.contains(lower))
            || (prefix && self.prefixes.iter().any(|p| lower.starts_with(p.as_bytes())))
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty()
    }

    /// The words and prefixes (without their `*`), for building patterns.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.prefixes.iter().chain(&self.exact).map(String::as_str)
    }
}

/// Every cue the detectors use; see `[context]` in the README.
#[derive(Clone, Debug, Default)]
pub struct Cues {
    /// Labels of references (order, invoice, parcel, KvK, ...): a
    /// checksum-passing BSN or card number attached to one stays.
    pub reference: Words,
    /// Labels naming personal data: a number attached to one is redacted
    /// as that kind, whatever its checksum says.
    pub personal: Vec<(Kind, Words)>,
    /// Words that may stand between a label and its number (`nr`, `nummer`).
    pub joiners: Words,
    /// Words that join numbers in a list under one label (`en`, `and`).
    pub conjunctions: Words,
    /// Words before a dotted four-part number that make it a version.
    pub version: Words,
    /// Words for `@` and `.` in obfuscated e-mail addresses.
    pub email_at: Words,
    pub email_dot: Words,
    /// Mail providers' domain names: `anouk at telenet.be` is an address
    /// (while `shop at bol.com` is a shop).
    pub mail_domains: Words,
    /// Letter pairs after four digits that are not postcode letters when
    /// written in lower case or alone (units, short words: `km`, `en`).
    pub not_postcode: Words,
    /// Words between a postcode and its house number (`huisnummer`).
    pub house_number: Words,
    /// Name particles: not identifying on their own (`de`, `van`).
    pub particles: Words,
}

impl Cues {
    /// Whether `after` (the text after a label) goes on, past spaces, soft
    /// punctuation and joiners or conjunctions (`nr`, `en`), to a number:
    /// how a label reaches a later number (`[phone] nr 123`, `en 123`).
    /// Read as the view reads it: a Unicode space is a space, and a
    /// character the view reads otherwise (a Unicode digit) may be a digit.
    pub(super) fn joins_on(&self, after: &str) -> bool {
        let soft = |c: char| c.is_whitespace() || ",;:!?.()\"'#".contains(c);
        let mut rest = after.trim_start_matches(soft);
        // A handful of joiners at most; more is no label's reach.
        for _ in 0..4 {
            let len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let word = &rest[..len];
            if word.is_empty() {
                break;
            }
            if !(self.joiners.matches(word) || self.conjunctions.matches(word)) {
                return false;
            }
            rest = rest[len..].trim_start_matches(soft);
        }
        rest.starts_with(|c: char| c == '+' || c.is_numeric() || super::view::read(c).is_some())
    }

    /// The kind a personal label names, if `word` is one.
    pub fn personal_kind(&self, word: &str) -> Option<Kind> {
        self.personal
            .iter()
            .find(|(_, words)| words.matches(word))
            .map(|(k, _)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_and_prefixes() {
        let w = Words::new(["ref", "bestel*", " Rekening* ", "*", ""]);
        assert!(w.matches("ref") && w.matches("REF"));
        assert!(!w.matches("refund"));
        assert!(w.matches("bestelnummer") && w.matches("Bestel"));
        assert!(w.matches("rekeningnummer"));
        assert!(!w.matches("bestl"));
        assert_eq!(w.iter().collect::<Vec<_>>(), ["bestel", "rekening", "ref"]);
    }

    #[test]
    fn cues_are_folded() {
        let w = Words::new(["Télefoon"]);
        assert!(w.matches("telefoon"));
    }
}
