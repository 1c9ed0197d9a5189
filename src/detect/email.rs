//! E-mail addresses written to dodge scrapers: `jan [at] example [dot] nl`,
//! `jan(at)example(dot)nl`, `jan at example dot nl`, `jan apenstaartje
//! example punt nl`, `jan @ example . nl`. The words for `@` and `.` come
//! from the rule set (`[context] email_at`, `email_dot`). Plain addresses
//! are the pattern scan's; this runs before it, on the same view.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::{Input, meta};

use super::cues::Cues;
use super::{Hit, Kind};

pub(super) struct Obfuscated {
    re: meta::Regex,
    /// `anouk at telenet.be`: an at-word with plain dots. An address only
    /// when the local part has a dot, underscore or digit, or the domain
    /// is a mail provider's (`shop at bol.com` is a shop).
    weak: meta::Regex,
    mail_domains: super::cues::Words,
    /// The regex runs only on text holding one of these (an `@`, a
    /// bracketed or spaced at-word): most text holds none.
    trigger: AhoCorasick,
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
        let mut triggers = vec!["@".to_owned()];
        for w in cues.email_at.iter() {
            triggers.push(format!(" {w} "));
            for o in ["[", "(", "{", "<"] {
                triggers.push(format!("{o}{w}"));
                triggers.push(format!("{o} {w}"));
            }
        }
        let trigger = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&triggers)?;
        Ok(Some(Obfuscated {
            re,
            weak,
            mail_domains: cues.mail_domains.clone(),
            trigger,
        }))
    }

    /// Pushes the addresses in `text` onto `out` (sorted, disjoint).
    pub(super) fn find(&self, text: &str, out: &mut Vec<Hit>) {
        if !self.trigger.is_match(text) {
            return;
        }
        let mut pos = 0;
        while let Some(m) = self.re.search(&Input::new(text).range(pos..)) {
            if m.end() <= m.start() {
                break;
            }
            // A plain address (`jan@example.nl`) is the pattern scan's, and
            // so is one this match is only the start of (`me at jan.nl@x`).
            let s = &text[m.start()..m.end()];
            let plain = s.contains('@') && !s.bytes().any(|b| b.is_ascii_whitespace());
            let after = text.as_bytes().get(m.end()..).unwrap_or_default();
            let cut_short = after.first() == Some(&b'@')
                || (after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphanumeric));
            if !plain && !cut_short {
                out.push(Hit {
                    kind: Kind::Email,
                    start: m.start(),
                    end: m.end(),
                });
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
            let after = text.as_bytes().get(m.end()..).unwrap_or_default();
            let cut_short = after.first() == Some(&b'@')
                || (after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphanumeric));
            if (marked || provider) && !cut_short {
                out.push(Hit {
                    kind: Kind::Email,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
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
        o.find(text, &mut out);
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
