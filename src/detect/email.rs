//! E-mail addresses written to dodge scrapers: `jan [at] example [dot] nl`,
//! `jan(at)example(dot)nl`, `jan at example dot nl`, `jan apenstaartje
//! example punt nl`, `jan @ example . nl`. The words for `@` and `.` come
//! from the rule set (`[context] email_at`, `email_dot`). Plain addresses
//! are the pattern scan's; this runs before it, on the same view.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::{Input, meta};

use super::cues::Cues;
use super::view::Census;
use super::{Hit, Kind};

pub(super) struct Obfuscated {
    re: meta::Regex,
    /// `anouk at telenet.be`: an at-word with plain dots. An address only
    /// when the local part has a dot, underscore or digit, or the domain
    /// is a mail provider's (`shop at bol.com` is a shop).
    weak: meta::Regex,
    mail_domains: super::cues::Words,
    /// At- and dot-words of three letters or more (`apenstaartje`, `punt`)
    /// and shorter at-words with their spaces (` at `, ` AT `, ` At `), in
    /// one automaton so the text is read once for all of them.
    words: AhoCorasick,
    /// Every at- and dot-word, for the bracketed forms.
    cue_words: Vec<String>,
}

/// Why the obfuscated-address matcher could not be built (a bug: its
/// pattern is fixed but for escaped cue words).
#[derive(Debug, thiserror::Error)]
pub enum ObfuscatedError {
    #[error("obfuscated e-mail pattern: {0}")]
    Regex(#[from] Box<meta::BuildError>),
    #[error("obfuscated e-mail trigger: {0}")]
    Trigger(#[from] aho_corasick::BuildError),
}

impl Obfuscated {
    /// `None` when the rule set names no word for `@`.
    pub(super) fn new(cues: &Cues) -> Result<Option<Obfuscated>, ObfuscatedError> {
        if cues.email_at.is_empty() {
            return Ok(None);
        }
        let alt = |w: &super::cues::Words| w.iter().map(regex::escape).collect::<Vec<_>>().join("|");
        let (at, dot) = (alt(&cues.email_at), alt(&cues.email_dot));
        let dot_words = if dot.is_empty() {
            r"\.".to_owned()
        } else {
            format!(r"{dot}|\.")
        };
        let open = r"[\[({<]";
        let close = r"[\])}>]";
        let local = r"[A-Za-z0-9_](?:[A-Za-z0-9_.%+-]*[A-Za-z0-9_])?";
        let label = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
        let tld = r"[A-Za-z]{2,6}";
        let bracketed_dot = format!(r"\s*{open}\s*(?:{dot_words})\s*{close}\s*");
        let spaced_dot = if dot.is_empty() {
            String::new()
        } else {
            format!(r"|\s+(?:{dot})\s+")
        };
        // With a bracketed `@` or `@` in spaces, any dot will do; with a
        // bare at-word (`jan at example dot nl`) only a dot-word or a
        // bracketed dot: `shop at bol.com` and `at home. Then` are no
        // addresses.
        let strong_at = format!(r"\s*{open}\s*(?:{at}|@)\s*{close}\s*|\s+@\s*|\s*@\s+");
        let any_dot = format!(r"(?:{bracketed_dot}{spaced_dot}|\s*\.\s*)");
        let strict_dot = format!(r"(?:{bracketed_dot}{spaced_dot})");
        let pattern = format!(
            r"(?-u)(?i)\b{local}(?:(?:{strong_at}){label}(?:{any_dot}{label})*{any_dot}{tld}|\s+(?:{at})\s+{label}(?:{strict_dot}{label})*{strict_dot}{tld})\b"
        );
        let re = meta::Regex::new(&pattern).map_err(Box::new)?;
        let weak = format!(r"(?-u)(?i)\b{local}\s+(?:{at})\s+{label}(?:\.{label})*\.{tld}\b");
        let weak = meta::Regex::new(&weak).map_err(Box::new)?;
        // The matchers run only on text that holds an `@` or a bracket, an
        // at- or dot-word of three letters or more, or an at-word in spaces.
        // Short words are looked for with their spaces, in three cases: a
        // case-insensitive automaton for " at " would run over all text.
        // Case variants rather than a case-insensitive automaton: a few
        // case-sensitive literals get the SIMD prefilter.
        let long = cues
            .email_at
            .iter()
            .chain(cues.email_dot.iter())
            .filter(|w| w.len() >= 3)
            .flat_map(|w| [w.to_lowercase(), w.to_uppercase(), title_case(w)]);
        let spaced = cues
            .email_at
            .iter()
            .filter(|w| w.len() < 3)
            .flat_map(|w| [w.to_lowercase(), w.to_uppercase(), title_case(w)])
            .map(|w| format!(" {w} "));
        let words = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(long.chain(spaced))?;
        Ok(Some(Obfuscated {
            re,
            weak,
            mail_domains: cues.mail_domains.clone(),
            words,
            cue_words: cues
                .email_at
                .iter()
                .chain(cues.email_dot.iter())
                .map(str::to_owned)
                .collect(),
        }))
    }

    /// Whether `text` can hold an obfuscated address at all; most text
    /// cannot, and is passed over at memchr speed.
    fn triggered(&self, text: &[u8], census: &Census) -> bool {
        // `@` with a space beside it (a plain address or mention has none).
        let spaced_at = || {
            memchr::memchr_iter(b'@', text).any(|i| {
                let space =
                    |j: Option<usize>| j.and_then(|j| text.get(j)).is_some_and(u8::is_ascii_whitespace);
                space(i.checked_sub(1)) || space(Some(i + 1))
            })
        };
        // A bracket opening on `@`, `.` or a cue word: `[at]`, `( dot )`.
        let opens_cue = |i: usize| {
            let rest = text.get(i + 1..).unwrap_or_default();
            let rest = &rest[rest.iter().take_while(|b| **b == b' ').count()..];
            rest.first().is_some_and(|b| matches!(b, b'@' | b'.'))
                || self
                    .cue_words
                    .iter()
                    .any(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
        };
        let bracketed = || {
            memchr::memchr3_iter(b'[', b'(', b'{', text).any(opens_cue)
                || memchr::memchr_iter(b'<', text).any(opens_cue)
        };
        (census.at && spaced_at()) || self.words.is_match(text) || (census.open && bracketed())
    }

    /// Pushes the addresses in `text` onto `out` (sorted, disjoint);
    /// returns how many matches were set aside.
    pub(super) fn find(&self, text: &str, census: &Census, out: &mut Vec<Hit>) -> usize {
        if !self.triggered(text.as_bytes(), census) {
            return 0;
        }
        let mut rejected = 0;
        let mut pos = 0;
        while let Some(m) = self.re.search(&Input::new(text).range(pos..)) {
            if m.end() <= m.start() {
                break;
            }
            // A plain address (`jan@example.nl`) is the pattern scan's, and
            // so is one this match is only the start of (`me at jan.nl@x`).
            let s = &text[m.start()..m.end()];
            let plain = s.contains('@') && !s.bytes().any(|b| b.is_ascii_whitespace());
            if plain || cut_short(text, m.end()) {
                rejected += 1;
            } else {
                out.push(email(m.start(), m.end()));
            }
            pos = m.end();
        }
        let mut pos = 0;
        while let Some(m) = self.weak.search(&Input::new(text).range(pos..)) {
            if m.end() <= m.start() {
                break;
            }
            pos = m.end();
            let s = &text[m.start()..m.end()];
            let (Some(local), Some(domain)) = (s.split_whitespace().next(), s.split_whitespace().last())
            else {
                continue;
            };
            let marked = local.contains(['.', '_']) || local.bytes().any(|b| b.is_ascii_digit());
            let provider = domain
                .split('.')
                .next()
                .is_some_and(|d| self.mail_domains.matches(d));
            if (marked || provider) && !cut_short(text, m.end()) {
                out.push(email(m.start(), m.end()));
            } else {
                rejected += 1;
            }
        }
        rejected
    }
}

fn email(start: usize, end: usize) -> Hit {
    Hit {
        kind: Kind::Email,
        start,
        end,
    }
}

/// The match is only the start of something longer (`me at jan.nl@x`,
/// `jan at example.nl.evil`): not an address of its own.
fn cut_short(text: &str, end: usize) -> bool {
    let after = text.as_bytes().get(end..).unwrap_or_default();
    after.first() == Some(&b'@')
        || (after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphanumeric))
}

/// `" at "` → `" At "`: the first letter upper case.
fn title_case(s: &str) -> String {
    let mut done = false;
    s.chars()
        .map(|c| {
            if !done && c.is_alphabetic() {
                done = true;
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::cues::Words;

    fn found(text: &str) -> Vec<&str> {
        let cues = Cues {
            email_at: Words::new(["at", "apenstaartje"]),
            email_dot: Words::new(["dot", "punt"]),
            mail_domains: Words::new(["gmail", "telenet"]),
            ..Cues::default()
        };
        let Ok(Some(o)) = Obfuscated::new(&cues) else {
            panic!("builds")
        };
        let mut out = Vec::new();
        o.find(text, &Census::of(text), &mut out);
        out.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn obfuscated_forms() {
        for addr in [
            "jan [at] example [dot] nl",
            "jan(at)example(dot)nl",
            "jan at example dot nl",
            "jan AT example DOT com",
            "jan apenstaartje example punt nl",
            "jan [at] example.nl",
            "jan @ example . nl",
            "j.de.vries {at} mail [.] example [.] co [.] uk",
            "anouk at telenet.be",
            "femke.de.vries at xs4all.nl",
            "jan88 at example.com",
        ] {
            assert_eq!(found(&format!("mail {addr} graag")), vec![addr], "{addr}");
        }
    }

    #[test]
    fn look_alikes() {
        for text in [
            "I was at home. Then we left",
            "look at this",
            "jan@example.nl is plain",
            "meet at 10.30 dot",
            "@sanne dot com",
            "shop at bol.com today",
            "reach me at jan.jansen@example.com",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
