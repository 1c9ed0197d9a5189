//! Context words the detectors consult: labels before numbers, the words
//! of obfuscated e-mail addresses, version words, name particles. They are
//! policy, so they come from the rule files (`[context]`), where `anoniem
//! check` tests them; nothing here holds a word of its own.

use super::Kind;

/// A list of cue words, folded like the detectors' view (lower case, no
/// accents). A word ending in `*` matches every word it starts
/// (`bestel*`: `bestelnummer`); any other matches whole words only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words(Vec<String>);

impl Words {
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Words {
        let mut out: Vec<String> = words
            .into_iter()
            .map(|w| {
                let mut folded = String::new();
                super::view::fold_into(w.as_ref().trim(), &mut folded);
                folded.to_lowercase()
            })
            .filter(|w| !w.is_empty() && w != "*")
            .collect();
        out.sort();
        out.dedup();
        Words(out)
    }

    /// True when `word` (as it reads in the view: accents already folded)
    /// is one of the cues, ignoring ASCII case.
    pub fn matches(&self, word: &str) -> bool {
        self.0.iter().any(|c| match c.strip_suffix('*') {
            Some(prefix) => {
                word.len() >= prefix.len()
                    && word.is_char_boundary(prefix.len())
                    && word[..prefix.len()].eq_ignore_ascii_case(prefix)
            }
            None => word.eq_ignore_ascii_case(c),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The words without their `*` (for building patterns).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|w| w.trim_end_matches('*'))
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
        assert_eq!(w.iter().collect::<Vec<_>>(), ["bestel", "ref", "rekening"]);
    }

    #[test]
    fn cues_are_folded() {
        let w = Words::new(["Télefoon"]);
        assert!(w.matches("telefoon"));
    }
}
