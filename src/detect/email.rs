//! E-mail addresses written to dodge scrapers: `jan [at] example [dot] nl`,
//! `jan(at)example(dot)nl`, `jan at example dot nl`, `jan apenstaartje
//! example punt nl`, `jan @ example . nl`, `jan -at- example -dot- nl`.
//! The words for `@` and `.` come
//! from the rule set (`[context] email_at`, `email_dot`). Plain addresses
//! are the pattern scan's; this runs before it, on the same view.

use regex_automata::{Input, meta};

use super::bytes::{Class, any_pair_where};
use super::cues::Cues;
use super::view::{Census, SPACES};
use super::{Hit, Kind};

pub(super) struct Obfuscated {
    re: meta::Regex,
    /// `anouk at telenet.be`: an at-word with plain dots. An address only
    /// when the local part has a dot, underscore or digit, or the domain
    /// is a mail provider's (`shop at bol.com` is a shop).
    weak: meta::Regex,
    mail_domains: super::cues::Words,
    /// Both matchers need an at-word with whitespace on both sides unless
    /// a bracket or an `@` stands beside it: the at-words, and their first
    /// bytes in lower case (four at most, repeated to fill: a chunk is
    /// compared at once), or any byte when they have more.
    at_words: Vec<String>,
    at_firsts: Class,
    /// The dot-words, for what must follow a bare at-word.
    dot_words: Vec<String>,
    /// Every at- and dot-word, for the bracketed forms.
    cue_words: Vec<String>,
}

/// Why the obfuscated-address matcher could not be built (a bug: its
/// pattern is fixed but for escaped cue words).
#[derive(Debug, thiserror::Error)]
pub enum ObfuscatedError {
    #[error("obfuscated e-mail pattern: {0}")]
    Regex(#[from] Box<meta::BuildError>),
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
        // Brackets, or dashes with whitespace outside (`jan -at- example
        // -dot- nl`; `work-at-home.nl` has none).
        let open = r"(?:[\[({<]|\s-)";
        let close = r"(?:[\])}>]|-\s)";
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
        // The local part may be spelled out too (`jan punt jansen
        // apenstaartje ...`, `jan . jansen @ ...`): its first words are
        // part of the address, not text before it. Before a bracketed or
        // spaced `@` any dot will do, as in the domain; before a bare
        // at-word only a dot-word or a bracketed dot.
        let any_local = format!(r"{local}(?:{any_dot}{local})*");
        let strict_local = format!(r"{local}(?:{strict_dot}{local})*");
        let pattern = format!(
            r"(?-u)(?i)\b(?:{any_local}(?:{strong_at}){label}(?:{any_dot}{label})*{any_dot}{tld}|{strict_local}\s+(?:{at})\s+{label}(?:{strict_dot}{label})*{strict_dot}{tld})\b"
        );
        let local = strict_local;
        let re = meta::Regex::new(&pattern).map_err(Box::new)?;
        let weak = format!(r"(?-u)(?i)\b{local}\s+(?:{at})\s+{label}(?:\.{label})*\.{tld}\b");
        let weak = meta::Regex::new(&weak).map_err(Box::new)?;
        // The matchers run only on text that holds an `@` beside
        // whitespace, a bracket, or an at-word with whitespace on both
        // sides: every address either pattern can match holds one of those
        // (a dot-word alone makes none). No occurrence between whitespace
        // is passed over: one inside another match has a letter before it,
        // and of two at one start the longer is tried first; the shorter
        // has a letter after it (cue words hold no whitespace).
        let at_words: Vec<String> = cues.email_at.iter().map(str::to_owned).collect();
        let mut firsts: Vec<u8> = at_words
            .iter()
            .filter_map(|w| w.bytes().next())
            .map(|b| b.to_ascii_lowercase())
            .collect();
        firsts.sort_unstable();
        firsts.dedup();
        let at_firsts = match firsts.as_slice() {
            [a] => Class::Folded([*a; 4]),
            [a, b] => Class::Folded([*a, *b, *b, *b]),
            [a, b, c] => Class::Folded([*a, *b, *c, *c]),
            [a, b, c, d] => Class::Folded([*a, *b, *c, *d]),
            _ => Class::Any,
        };
        Ok(Some(Obfuscated {
            re,
            weak,
            mail_domains: cues.mail_domains.clone(),
            at_words,
            at_firsts,
            dot_words: cues.email_dot.iter().map(str::to_owned).collect(),
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
        let space = |j: Option<usize>| j.and_then(|j| text.get(j)).is_some_and(|b| SPACES.contains(b));
        // `@` with a space beside it (a plain address or mention has none).
        let spaced_at =
            || memchr::memchr_iter(b'@', text).any(|i| space(i.checked_sub(1)) || space(Some(i + 1)));
        // An at-word between whitespace (` at `, `\nAT\t`), in any case,
        // with a domain after it: looked for only where whitespace stands
        // before a byte an at-word starts with, found a chunk of pairs at a
        // time.
        let spaced_word = || {
            any_pair_where(text, Class::Space, self.at_firsts, |i| {
                let start = i + 1;
                let rest = text.get(start..).unwrap_or_default();
                self.at_words.iter().any(|w| {
                    let w = w.as_bytes();
                    let after = start + w.len();
                    rest.get(..w.len()).is_some_and(|r| r.eq_ignore_ascii_case(w))
                        && space(Some(after))
                        && self.domain_follows(text, after)
                })
            })
        };
        // A bracket opening on `@`, `.` or a cue word: `[at]`, `( dot )`.
        let opens_cue = |i: usize| {
            let rest = text.get(i + 1..).unwrap_or_default();
            let rest = &rest[rest.iter().take_while(|b| SPACES.contains(b)).count()..];
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
        // A dash after whitespace opening on one: ` -at- `.
        let dashed = || memchr::memchr_iter(b'-', text).any(|i| space(i.checked_sub(1)) && opens_cue(i));
        // The spaced forms need whitespace: a one-word text (a tag, a
        // place, a URL) is passed over without a search.
        (census.space && ((census.at && spaced_at()) || spaced_word() || dashed()))
            || (census.open && bracketed())
    }

    /// After a bare at-word, both matchers want a domain label and then a
    /// dot: `.` right after it, a bracket, or a dot-word between
    /// whitespace. Most ` at ` in English (`at 09:45`, `at the shop`) has
    /// none, and the regexes are not run for it.
    fn domain_follows(&self, text: &[u8], at_end: usize) -> bool {
        let rest = text.get(at_end..).unwrap_or_default();
        let skip_spaces = |from: usize| {
            from + rest
                .get(from..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| SPACES.contains(b))
                .count()
        };
        let label_start = skip_spaces(0);
        let label_len = rest
            .get(label_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if label_len == 0 {
            return false;
        }
        let label_end = label_start + label_len;
        if rest.get(label_end) == Some(&b'.') {
            return rest.get(label_end + 1).is_some_and(u8::is_ascii_alphanumeric);
        }
        let next = skip_spaces(label_end);
        let tail = rest.get(next..).unwrap_or_default();
        match tail.first() {
            Some(b'[' | b'(' | b'{' | b'<') => true,
            Some(_) if next > label_end => self.dot_words.iter().any(|w| {
                tail.get(..w.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(w.as_bytes()))
                    && tail.get(w.len()).is_some_and(|b| SPACES.contains(b))
            }),
            _ => false,
        }
    }

    /// Pushes the addresses in `text` onto `out` (sorted, disjoint).
    /// Returns whether the matchers ran (the text holds a trigger).
    pub(super) fn find(&self, text: &str, census: &Census, out: &mut Vec<Hit>) -> bool {
        if !self.triggered(text.as_bytes(), census) {
            return false;
        }
        let mut pos = 0;
        while let Some(m) = self.re.search(&Input::new(text).range(pos..)) {
            if m.end() <= m.start() {
                break;
            }
            // A plain address (`jan@example.nl`) is the pattern scan's, and
            // so is one this match is only the start of (`me at jan.nl@x`).
            // An `@` in brackets (`jan(@)example.nl`) is not plain: the
            // scan does not read it.
            let s = &text[m.start()..m.end()];
            let plain = s.contains('@')
                && !s
                    .bytes()
                    .any(|b| b.is_ascii_whitespace() || matches!(b, b'[' | b'(' | b'{' | b'<'));
            if !plain && !cut_short(text, m.end()) {
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
            // A local part written with dot-words (`anouk punt jansen at
            // telenet.be`) has more than one word before the at-word.
            let spelled = s.split_whitespace().count() > 3;
            let marked = spelled || local.contains(['.', '_']) || local.bytes().any(|b| b.is_ascii_digit());
            let provider = domain
                .split('.')
                .next()
                .is_some_and(|d| self.mail_domains.matches(d));
            if (marked || provider) && !cut_short(text, m.end()) {
                out.push(email(m.start(), m.end()));
            }
        }
        true
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
            // Any whitespace, any case (the trigger once wanted spaces and
            // three spellings of `at`).
            "jan\tat example dot nl",
            "jan\naT example dot nl",
            // The local part spelled with dot-words too: none of it stays.
            "jan punt jansen apenstaartje gmail punt com",
            "j dot de dot vries at example dot nl",
            "jan (dot) jansen [at] example [dot] nl",
            "anouk punt jansen at telenet.be",
            "jan . jansen @ gmail . com",
        ] {
            assert_eq!(found(&format!("mail {addr} graag")), vec![addr], "{addr}");
        }
        // A text of one word: no whitespace at all.
        for addr in [
            "jan(at)example(dot)nl",
            "jan[at]example.nl",
            "j.de.vries{at}mail[.]example[.]nl",
            // The `@` itself in brackets, without a space.
            "jan(@)example.nl",
            "jan[@]example[.]nl",
            "jan{@}example.nl",
            "jan<@>example.nl",
        ] {
            assert_eq!(found(addr), vec![addr], "{addr}");
        }
    }

    #[test]
    fn an_at_word_that_starts_another_is_found_too() {
        // `at` is the start of `atje`: the trigger must not stop at the
        // shorter word and miss the longer one between whitespace.
        let cues = Cues {
            email_at: Words::new(["at", "atje"]),
            email_dot: Words::new(["punt"]),
            ..Cues::default()
        };
        let Ok(Some(o)) = Obfuscated::new(&cues) else {
            panic!("builds")
        };
        for text in ["mail jan atje example punt nl", "mail jan\tATJE\nexample punt nl"] {
            let mut out = Vec::new();
            o.find(text, &Census::of(text), &mut out);
            let got: Vec<&str> = out.iter().map(|h| &text[h.start..h.end]).collect();
            assert_eq!(got.len(), 1, "{text:?}: {got:?}");
            assert!(
                got[0].starts_with("jan") && got[0].ends_with("nl"),
                "{text:?}: {got:?}"
            );
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

    /// Plain English `at` (a time, a place, the end of a sentence) does not
    /// start the regex searches: only an at-word with a domain and a dot
    /// after it does.
    #[test]
    fn trigger_passes_over_plain_at() {
        let cues = Cues {
            email_at: Words::new(["at", "apenstaartje"]),
            email_dot: Words::new(["dot", "punt"]),
            ..Cues::default()
        };
        let Ok(Some(o)) = Obfuscated::new(&cues) else {
            panic!("builds")
        };
        let trig = |t: &str| o.triggered(t.as_bytes(), &Census::of(t));
        for text in [
            "due on Saturday at 09:45",
            "picked up at the service point",
            "payment failed at checkout.",
            "at at at",
            "look at - this",
        ] {
            assert!(!trig(text), "{text}");
        }
        for text in [
            "jan at example.nl",
            "jan at example dot nl",
            "jan AT example  PUNT nl",
            "jan apenstaartje example (punt) nl",
            "jan at example [.] nl",
        ] {
            assert!(trig(text), "{text}");
        }
    }

    /// The trigger lets through every text either pattern matches in: texts
    /// of address parts, cue words in any case, brackets and every kind of
    /// whitespace.
    #[test]
    fn trigger_lets_every_match_through() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};

        let cues = Cues {
            email_at: Words::new(["at", "apenstaartje"]),
            email_dot: Words::new(["dot", "punt"]),
            mail_domains: Words::new(["gmail"]),
            ..Cues::default()
        };
        let Ok(Some(o)) = Obfuscated::new(&cues) else {
            panic!("builds")
        };
        // An address in parts: local, at-separator, domain, dot-separator,
        // top-level domain, each separator built of whitespace, brackets and
        // cue words in any case; and noise around.
        let pick = |xs: &'static [&'static str]| proptest::sample::select(xs);
        const SPACES: &[&str] = &["", "", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c"];
        const OPENS: &[&str] = &["", "", "[", "(", "{", "<"];
        const CLOSES: &[&str] = &["", "", "]", ")", "}", ">"];
        const ATS: &[&str] = &["at", "AT", "aT", "Apenstaartje", "@", "dat"];
        const DOTS: &[&str] = &["dot", "DOT", "punt", ".", "afhaalpunt"];
        const WORDS: &[&str] = &[
            "jan",
            "j.de_vries",
            "x1",
            "example",
            "gmail",
            "nl",
            "com",
            "",
            "de",
        ];
        let sep = |mid: &'static [&'static str]| {
            (
                pick(SPACES),
                pick(OPENS),
                pick(SPACES),
                pick(mid),
                pick(SPACES),
                pick(CLOSES),
                pick(SPACES),
            )
                .prop_map(|(a, b, c, d, e, f, g)| [a, b, c, d, e, f, g].concat())
        };
        // Noise around, or none (a text of one word: no whitespace at all).
        let around = (pick(WORDS), pick(SPACES), pick(SPACES), pick(WORDS));
        let text = (around, pick(WORDS), sep(ATS), pick(WORDS), sep(DOTS), pick(WORDS)).prop_map(
            |((noise, s1, s2, after), local, at, domain, dot, tld)| {
                format!("{noise}{s1}{local}{at}{domain}{dot}{tld}{s2}{after}")
            },
        );
        let mut runner = TestRunner::new(Config {
            cases: 20_000,
            ..Config::default()
        });
        let matched = std::cell::Cell::new(0u32);
        runner
            .run(&text, |text| {
                let matches = o.re.is_match(&text) || o.weak.is_match(&text);
                if matches {
                    matched.set(matched.get() + 1);
                    prop_assert!(o.triggered(text.as_bytes(), &Census::of(&text)), "{:?}", text);
                }
                Ok(())
            })
            .unwrap();
        let matched = matched.get();
        assert!(matched > 200, "only {matched} texts held an address");
    }
}
