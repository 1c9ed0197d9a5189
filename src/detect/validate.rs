//! Checksums, shape and context checks for regex candidates. A check may
//! accept a shorter hit than the candidate: it trims trailing groups the
//! greedy regex took too many of.

use std::net::Ipv6Addr;

use super::bytes::leading_number;
use super::cues::Cues;
use super::patterns::Form;
use super::phone::{self, Notation};
use super::{Hit, Kind, iban, overlaps_any};

/// Digits in the number after (or before) a comma that make the comma a
/// list separator, not a decimal comma: a phone number, BSN or card has
/// more; the decimals of an amount have fewer.
const LISTED_DIGITS: usize = 6;

/// Separators that glue digit runs into one number (`12,50`, `1.234`,
/// `25-11`): a candidate touching one of these plus a digit is a fragment.
const NUMBER_SEPS: &[u8] = b".,-";

/// Outcome of validating one candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Accepted as this kind; the hit is `start..end` (possibly trimmed at
    /// either end).
    Hit(Kind, usize, usize),
    Reject,
    /// Rejected because another number continues at this offset (`12,50`):
    /// a candidate starting there is a fragment too and must be rejected.
    /// Without this, redacting that fragment would un-glue this candidate
    /// and a second pass would find it (redaction must be idempotent).
    GluedTo(usize),
}

/// The parts of the text that will become placeholders: the last accepted
/// pattern hit and the hits found before the pattern scan. Context checks
/// read a masked char as a placeholder bracket (non-word, non-digit), so a
/// second pass over the redacted text reaches the same verdicts
/// (idempotence).
pub(super) struct Mask<'a> {
    pub(super) last: (usize, usize),
    pub(super) pre: &'a [Hit],
}

impl Mask<'_> {
    fn covers(&self, pos: usize) -> bool {
        (self.last.0..self.last.1).contains(&pos) || overlaps_any(self.pre, pos, pos + 1)
    }
}

/// The label attached before a candidate's start, read at most once for
/// all the forms tried at that start, and only for the forms it decides
/// (most candidates are of other forms, and most texts have none).
pub(super) struct Label<'t> {
    text: &'t str,
    start: usize,
    read: std::cell::OnceCell<(Option<Kind>, bool)>,
}

impl<'t> Label<'t> {
    pub(super) fn at(text: &'t str, start: usize) -> Label<'t> {
        Label {
            text,
            start,
            read: std::cell::OnceCell::new(),
        }
    }

    /// (the kind a personal label names, whether it is a reference label).
    fn get(&self, cues: &Cues) -> (Option<Kind>, bool) {
        *self
            .read
            .get_or_init(|| match attached_label(self.text, self.start, cues) {
                None => (None, false),
                Some(w) => match cues.personal_kind(w) {
                    Some(k) => (Some(k), false),
                    None => (None, cues.reference.matches(w)),
                },
            })
    }

    /// The kind of personal data a label attached here names.
    pub(super) fn personal(&self, cues: &Cues) -> Option<Kind> {
        self.get(cues).0
    }

    fn reference(&self, cues: &Cues) -> bool {
        self.get(cues).1
    }
}

/// Validates the candidate `text[start..end]` of `form`; `label` is the
/// label at `start`.
pub(super) fn accept(
    form: Form,
    text: &str,
    (start, end): (usize, usize),
    label: &Label,
    mask: &Mask,
    cues: &Cues,
) -> Verdict {
    let Some(cand) = text.as_bytes().get(start..end) else {
        return Verdict::Reject;
    };
    let personal = || label.personal(cues);
    let reference = || label.reference(cues);
    let mut start = start;
    let found: Option<(Kind, usize)> = match form {
        // The regex enforces the shape; the neighbours must not continue
        // the address (`x.jan@example.nl2`: no address of ours).
        Form::Email => {
            let word = |c: char| c.is_alphanumeric() || c == '_';
            let before = text[..start].chars().next_back().is_some_and(word);
            let after = text[end..].chars().next().is_some_and(|c| word(c) || c == '@');
            return if before || after {
                Verdict::Reject
            } else {
                Verdict::Hit(Kind::Email, start, end)
            };
        }
        Form::Mention => return mention(text, start, cand, mask),
        Form::Iban => iban::accept(cand).map(|n| (Kind::Iban, n)),
        Form::CardPlain | Form::CardGrouped if reference() => None,
        Form::CardPlain | Form::CardGrouped => card(cand).map(|n| (Kind::Card, n)),
        Form::Ipv4 if version(text, start, end, cues) => None,
        Form::Ipv4 if cand.contains(&b'-') && !in_host_name(text, start, end) => None,
        Form::Ipv4 => ipv4(cand).map(|n| (Kind::Ip, n)),
        Form::Ipv6 => {
            // `IP:2001:db8::1`: the regex may start at the label's colon.
            let skip = usize::from(cand.starts_with(b":") && !cand.starts_with(b"::"));
            start += skip;
            let glued = start > 0
                && !mask.covers(start - 1)
                && text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '.' || (c == ':' && skip == 0));
            let cand = cand.get(skip..).unwrap_or_default();
            if glued {
                None
            } else {
                ipv6(cand).map(|n| (Kind::Ip, n))
            }
        }
        Form::PhoneIntl => phone::accept(Notation::International, cand).map(|n| (Kind::Phone, n)),
        // `BE (0)468.561.072`: a VAT number after its country's letters.
        Form::PhoneNational if cand.starts_with(b"(0)") && after_country_letters(text, start) => None,
        Form::PhoneNational => phone::accept(Notation::National, cand).map(|n| (Kind::Phone, n)),
        Form::PhoneNorthAmerican => phone::accept(Notation::NorthAmerican, cand).map(|n| (Kind::Phone, n)),
        Form::PhoneWhatsApp if whatsapp_link(text, start) => {
            phone::accept(Notation::WhatsApp, cand).map(|n| (Kind::Phone, n))
        }
        Form::PhoneWhatsApp => phone::accept(Notation::DutchMobileBare, cand).map(|n| (Kind::Phone, n)),
        // `WH-1000XM5`, `art/1234AB`: part of a model or article code
        // (but `NL-2611ET` is a postcode with its country).
        Form::PostcodeFirst | Form::NumberFirst | Form::PostcodeAlone
            if text[..start].ends_with(['-', '/', '_', '.'])
                && !text[..start.saturating_sub(1)]
                    .to_ascii_uppercase()
                    .ends_with("NL") =>
        {
            None
        }
        Form::PostcodeFirst | Form::NumberFirst | Form::PostcodeAlone => {
            postcode(form, cand, personal() == Some(Kind::Postcode), cues).map(|n| (Kind::Postcode, n))
        }
        Form::Bsn if reference() || after_currency(text, start) => None,
        Form::Bsn => bsn(cand).map(|n| (Kind::Bsn, n)),
        // Only a label naming personal data makes these personal; they
        // are redacted whatever their checksum (when in doubt, redact).
        Form::LabelledIban | Form::LabelledDigits => personal().map(|k| (k, last_token_with_digit(cand))),
    };
    let Some((kind, len)) = found else {
        return Verdict::Reject;
    };
    let mut hit_end = start + len;
    // An extension goes with its number: `+44 20 3456 7890x456`, `... ext. 12`.
    if kind == Kind::Phone {
        hit_end += extension(text.get(hit_end..).unwrap_or(""));
    }
    let seps = match form {
        // A port (`:8080`) may follow IPv4; IPv6 followed by `:digit` is cut short.
        Form::Ipv4 => b".".as_slice(),
        Form::Ipv6 => b".:".as_slice(),
        // `123 456 782` inside a longer space-grouped number is a fragment.
        Form::Bsn => b".,- ".as_slice(),
        _ => NUMBER_SEPS,
    };
    // A personal label glued to its number (`tel0612345678`, as in a tag)
    // is still the label: the word before is the label itself.
    let glue = match form {
        Form::LabelledIban | Form::LabelledDigits => Glue::LabelBefore,
        Form::PhoneNational | Form::PhoneIntl => Glue::Hash,
        _ => Glue::None,
    };
    match isolated(text, (start, hit_end), mask, seps, glue) {
        Verdict::Hit(..) => Verdict::Hit(kind, start, hit_end),
        other => other,
    }
}

/// A country's two capitals standing as a word before `start` (`BE `).
fn after_country_letters(text: &str, start: usize) -> bool {
    let b = text[..start].trim_end_matches(' ').as_bytes();
    let n = b.len();
    n >= 2
        && (n == 2 || !b[n - 3].is_ascii_alphanumeric())
        && std::str::from_utf8(&b[n - 2..]).is_ok_and(|cc| super::iban::countries().any(|c| c == cc))
}

/// `€ 123.456.782`: an amount, whatever its digits pass.
fn after_currency(text: &str, start: usize) -> bool {
    text[..start].trim_end_matches(' ').ends_with(['€', '$', '£'])
}

/// The length of a phone extension at the start of `rest` (`x456`,
/// ` ext. 12`, ` ext 12`), or 0.
fn extension(rest: &str) -> usize {
    let b = rest.as_bytes();
    let prefix = if b.first().is_some_and(|c| c.eq_ignore_ascii_case(&b'x')) {
        1
    } else {
        let t = rest.trim_start_matches(' ');
        let lead = rest.len() - t.len();
        let tb = t.as_bytes();
        if lead <= 1 && tb.len() >= 3 && tb[..3].eq_ignore_ascii_case(b"ext") {
            let after = &t[3..];
            let after = after.strip_prefix('.').unwrap_or(after);
            let after_space = after.strip_prefix(' ').unwrap_or(after);
            rest.len() - after_space.len()
        } else {
            return 0;
        }
    };
    let digits = b
        .get(prefix..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let glued = b.get(prefix + digits).is_some_and(|c| c.is_ascii_alphanumeric());
    if (1..=6).contains(&digits) && !glued {
        prefix + digits
    } else {
        0
    }
}

/// The word a number is attached to: the word right before it in the same
/// clause, with nothing between them but spaces, `:`, `#` and joiner words
/// (`nr.`, `nummer`). A dot ends the clause, except after a joiner or a
/// personal label (`tel.`). `ordernummer 728321539. via 5246...` attaches `via`,
/// not `ordernummer`, to the second number.
fn attached_label<'t>(text: &'t str, start: usize, cues: &Cues) -> Option<&'t str> {
    let mut rest = text.get(..start)?;
    for _ in 0..8 {
        rest = rest.trim_end_matches([' ', ':', '#']);
        // A dot ends the clause, unless it ends an abbreviated joiner (`nr.`).
        let abbreviated = rest.ends_with('.');
        let head = rest.trim_end_matches('.');
        let word_start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map(|(i, _)| i)?;
        let word = &head[word_start..];
        if cues.joiners.matches(word) {
            // A joiner written onto its label: `06-nummer`, `klant-nr`.
            rest = head[..word_start]
                .strip_suffix('-')
                .unwrap_or(&head[..word_start]);
            continue;
        }
        // A list under one label: `bestelnummer 207277059, 208 en 151928794`.
        if !abbreviated && cues.conjunctions.matches(word) {
            let mut before = head[..word_start].trim_end_matches(' ');
            loop {
                let number = before.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-'));
                if number.len() == before.len() {
                    break;
                }
                before = number.trim_end_matches(' ');
                match before.strip_suffix(',') {
                    Some(more) => before = more.trim_end_matches(' '),
                    None => break,
                }
            }
            if before.len() < head[..word_start].trim_end_matches(' ').len() {
                rest = before;
                continue;
            }
        }
        // An abbreviated personal label (`tel. 06...`) still attaches: it
        // can only force redaction. A reference label before a dot does
        // not: that dot may end the sentence.
        return (!abbreviated || cues.personal_kind(word).is_some()).then_some(word);
    }
    None
}

/// A mention: `@` and a handle, not glued to a word before it (that is an
/// address the e-mail pattern did not take, like `user@localhost`).
fn mention(text: &str, start: usize, cand: &[u8], mask: &Mask) -> Verdict {
    // A neighbour that becomes a placeholder reads as its closing bracket.
    let glued = start > 0
        && !mask.covers(start - 1)
        && text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@');
    let has_letter = cand.iter().any(|b| b.is_ascii_alphabetic() || *b == b'_');
    if glued || !has_letter {
        return Verdict::Reject;
    }
    Verdict::Hit(Kind::Mention, start, start + cand.len())
}

/// Whether `accept` can take `form` at `start` at all, read off the text
/// before any search: a bare run of digits is a phone number only in a
/// WhatsApp link or as a Dutch mobile in international form (`316...`).
/// Most rejected 8- and 9-digit runs (dates, ids in URLs) are neither, and
/// the scan then skips the search for that form's end.
pub(super) fn may_accept(form: Form, text: &str, start: usize) -> bool {
    match form {
        Form::PhoneWhatsApp => {
            whatsapp_link(text, start)
                || text
                    .as_bytes()
                    .get(start..)
                    .is_some_and(|b| b.starts_with(b"316"))
        }
        _ => true,
    }
}

/// `wa.me/31612345678`, `api.whatsapp.com/send?phone=31612345678`.
fn whatsapp_link(text: &str, start: usize) -> bool {
    let before = text.as_bytes().get(..start).unwrap_or_default();
    [b"wa.me/".as_slice(), b"phone=".as_slice()]
        .iter()
        .any(|p| before.len() >= p.len() && before[before.len() - p.len()..].eq_ignore_ascii_case(p))
}

/// The length up to the end of the last space-separated token that holds
/// a digit (`NL91 ABNA 0417 1643 00 graag` ends after `00`).
fn last_token_with_digit(cand: &[u8]) -> usize {
    let mut end = 0;
    let mut token_start = 0;
    for (i, b) in cand.iter().enumerate() {
        if *b == b' ' {
            token_start = i + 1;
        } else if b.is_ascii_digit() || cand[token_start..i].iter().any(u8::is_ascii_digit) {
            end = i + 1;
        }
    }
    end
}

/// A letter or digit that glues to a number. Letters of scripts written
/// without spaces (CJK, ...) do not: `电话415-666-7777` holds a number.
fn is_word(c: char) -> bool {
    c == '_' || (c.is_alphanumeric() && u32::from(c) < 0x0370)
}

/// The hit is not glued to a word (Unicode-aware, unlike the regex's ASCII
/// `\b`), not a hashtag/reference (`#123456782`), and not part of a longer
/// number joined by one of `seps`.
/// What may stand glued to a candidate's start.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Glue {
    None,
    /// The word before is the personal label that makes it personal.
    LabelBefore,
    /// A `#` before is no reference mark: a phone number with its trunk or
    /// country prefix (`#0612345678`) is a number to call, as it is after
    /// `ordernummer`.
    Hash,
}

fn isolated(text: &str, (start, end): (usize, usize), mask: &Mask, seps: &[u8], glue: Glue) -> Verdict {
    let (Some(before), Some(hit), Some(after)) = (text.get(..start), text.get(start..end), text.get(end..))
    else {
        return Verdict::Reject;
    };
    let bytes = text.as_bytes();
    let is_sep = |c: char| c.is_ascii() && seps.contains(&(c as u8));
    let digit_at = |p: usize| !mask.covers(p) && bytes.get(p).is_some_and(u8::is_ascii_digit);
    // Word glue needs word chars on both sides (`tel+31...` is fine).
    let (first_word, last_word) = (
        hit.chars().next().is_some_and(is_word),
        hit.chars().next_back().is_some_and(is_word),
    );
    // A comma between two long numbers lists them (`06-12345678,06-87654321`);
    // between a number and a short one it is a decimal comma (`12,50`).
    // The number is the token up to whitespace, `,` or `;`.
    let token_end = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b',' | b';');
    let listed = |from: usize, to: usize| {
        (from..to)
            .filter(|&p| bytes.get(p).is_some_and(u8::is_ascii_digit) && !mask.covers(p))
            .count()
            >= LISTED_DIGITS
    };
    if let Some(c) = before.chars().next_back().filter(|_| !mask.covers(start - 1)) {
        let glued_number = is_sep(c)
            && start >= 2
            && digit_at(start - 2)
            && !(c == ',' && {
                let from = bytes[..start - 1]
                    .iter()
                    .rposition(token_end)
                    .map_or(0, |i| i + 1);
                listed(from, start - 1)
            });
        let word_glue = first_word && is_word(c) && glue != Glue::LabelBefore;
        // `#123456782` is a reference, but not after a personal label
        // (`bsn#123456782`).
        let hashtag = c == '#' && glue == Glue::None;
        if word_glue || hashtag || glued_number {
            return Verdict::Reject;
        }
    }
    if let Some(c) = after.chars().next().filter(|_| !mask.covers(end)) {
        if last_word && is_word(c) {
            return Verdict::Reject;
        }
        if is_sep(c)
            && digit_at(end + 1)
            && !(c == ',' && {
                let to = bytes[end + 1..]
                    .iter()
                    .position(token_end)
                    .map_or(bytes.len(), |i| end + 1 + i);
                listed(end + 1, to)
            })
        {
            return Verdict::GluedTo(end + 1);
        }
    }
    Verdict::Hit(Kind::Name, start, end)
}

fn digits(cand: &[u8]) -> impl DoubleEndedIterator<Item = u32> + Clone + '_ {
    cand.iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

/// 13-19 digits of a card issuer's range, Luhn-valid, not one digit
/// repeated. A grouped candidate with more than 19 digits is cut back to
/// its longest group prefix that fits.
fn card(cand: &[u8]) -> Option<usize> {
    let mut len = cand.len();
    if digits(cand).count() > 19 {
        len = (1..cand.len())
            .rev()
            .find(|&i| !cand[i].is_ascii_digit() && digits(&cand[..i]).count() <= 19)?;
    }
    let d = digits(&cand[..len]);
    let n = d.clone().count();
    if !(13..=19).contains(&n) || !luhn(d.clone()) || !issuer(d.clone(), n) {
        return None;
    }
    // All-same-digit runs (0000 0000 0000 0000, 4444...) pass or nearly pass
    // Luhn but are fillers/test values, never a real card.
    let first = d.clone().next()?;
    if d.clone().all(|x| x == first) {
        return None;
    }
    Some(len)
}

/// The number starts in an issuer's range (ISO/IEC 7812: Mastercard, Amex,
/// Diners, JCB, Visa, Discover, Maestro, UnionPay, UATP) and has a length
/// that issuer uses. EAN-13 barcodes (87..., 97...), 14-digit SIRETs and
/// other long numbers do not.
fn issuer(mut d: impl Iterator<Item = u32>, n: usize) -> bool {
    let (Some(a), Some(b)) = (d.next(), d.next()) else {
        return false;
    };
    let two = a * 10 + b;
    match a {
        // UATP
        1 => n == 15,
        // Mastercard 2221-2720
        2 => {
            let iin = b * 100 + d.by_ref().take(2).fold(0, |v, x| v * 10 + x);
            (221..=720).contains(&iin) && n == 16
        }
        // Amex; Diners 36 (14+), 30/38/39; JCB 35
        3 => match two {
            34 | 37 => n == 15,
            36 => n >= 14,
            30 | 38 | 39 => (14..=19).contains(&n),
            35 => n >= 16,
            _ => false,
        },
        // Visa
        4 => matches!(n, 13 | 16 | 19),
        // Mastercard 51-55; Maestro 50, 56-59
        5 => match two {
            51..=55 => n == 16,
            _ => n >= 13,
        },
        // Discover, UnionPay, Maestro
        6 => n >= 16 || two == 63 || two == 67,
        _ => false,
    }
}

fn luhn(d: impl DoubleEndedIterator<Item = u32>) -> bool {
    let sum: u32 = d
        .rev()
        .enumerate()
        .map(|(i, x)| match (i % 2 == 1, x * 2) {
            (true, y) if y > 9 => y - 9,
            (true, y) => y,
            (false, _) => x,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// 11-proof over 9 digits (an 8-digit BSN is one with its leading zero
/// left off): 9*d1 + 8*d2 + ... + 2*d8 - d9 ≡ 0 (mod 11), not all zeros.
/// Dates and thousands-grouped 8-digit counts are not BSNs.
fn bsn(cand: &[u8]) -> Option<usize> {
    let n = digits(cand).count();
    if !(8..=9).contains(&n) || phone::date_or_time(cand) || (n == 8 && date8(cand)) {
        return None;
    }
    let padded = std::iter::repeat_n(0, 9 - n).chain(digits(cand));
    let mut sum: i64 = 0;
    let mut any_nonzero = false;
    for (i, x) in padded.enumerate() {
        let w: i64 = if i == 8 { -1 } else { 9 - i as i64 };
        sum += w * i64::from(x);
        any_nonzero |= x != 0;
    }
    (any_nonzero && sum.rem_euclid(11) == 0).then_some(cand.len())
}

/// An unseparated `yyyymmdd` or `ddmmyyyy` date.
fn date8(cand: &[u8]) -> bool {
    if cand.len() != 8 || !cand.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| cand[r].iter().fold(0u32, |v, b| v * 10 + u32::from(b - b'0'));
    let date =
        |y: u32, m: u32, d: u32| (1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    date(num(0..4), num(4..6), num(6..8)) || date(num(4..8), num(2..4), num(0..2))
}

/// Octets 0-255; a first octet of 0 ("this network") is no host address
/// and is how four-part version numbers usually start (`0.12.3.4`).
fn ipv4(cand: &[u8]) -> Option<usize> {
    // One separator throughout: `.`, `-` or a defanged `[.]`.
    let sep: &[u8] = if cand.contains(&b'[') {
        b"[.]"
    } else if cand.contains(&b'-') {
        b"-"
    } else {
        b"."
    };
    let mut octets = 0;
    let mut rest = cand;
    let ok = loop {
        let (n, v) = leading_number(rest);
        if n == 0 || n > 3 || v > 255 {
            break false;
        }
        octets += 1;
        rest = &rest[n..];
        if rest.is_empty() {
            break octets == 4;
        }
        match rest.strip_prefix(sep) {
            Some(more) => rest = more,
            None => break false,
        }
    };
    (ok && cand.first() != Some(&b'0')).then_some(cand.len())
}

/// Four numbers with dashes are an address only in a host name: after a
/// word and a dash (`ip-`, `cable-`) or before a domain (`.ziggo.nl`).
fn in_host_name(text: &str, start: usize, end: usize) -> bool {
    let before = text.as_bytes()[..start].strip_suffix(b"-");
    let after = text.as_bytes()[end..].strip_prefix(b".");
    before.is_some_and(|b| b.last().is_some_and(u8::is_ascii_alphabetic))
        || after.is_some_and(|a| a.first().is_some_and(u8::is_ascii_alphabetic))
}

/// Four dotted numbers next to a version word of the rule set (`versie
/// 1.2.3.4`, `the 2.3.4.5 release`), or with a pre-release tag
/// (`1.2.3.4-beta`), are a version, not an address. (A glued `v1.2.3.4`
/// never matches the address pattern at all.)
fn version(text: &str, start: usize, end: usize, cues: &Cues) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end_matches([' ', ':']);
    let word_before = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    let tagged = after
        .strip_prefix('-')
        .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()));
    let word_after = after
        .trim_start_matches(' ')
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    tagged
        || cues.version.matches(word_before)
        || (after.starts_with(' ') && cues.version.matches(word_after))
}

/// Parse-validated with std; short hex-word look-alikes (`a::b`, `c::`) are
/// rejected by requiring 3 hex digits unless the address starts with `::`.
fn ipv6(cand: &[u8]) -> Option<usize> {
    let s = std::str::from_utf8(cand).ok()?;
    let hex = cand.iter().filter(|b| b.is_ascii_hexdigit()).count();
    if hex == 0 || (hex < 3 && !s.starts_with("::")) {
        return None;
    }
    s.parse::<Ipv6Addr>().ok().map(|_| cand.len())
}

/// A postcode (four digits, two letters other than SA/SD/SS, a space or
/// a dash between them), with or without a house number. Letters in lower case, or a postcode standing
/// alone, must not read as a unit or short word (`1500 km`, `in 2019 en`),
/// unless a `postcode` label says what it is. Two years (`2024 EN 2025`)
/// are not an address.
fn postcode(form: Form, cand: &[u8], labelled: bool, cues: &Cues) -> Option<usize> {
    let pc = match form {
        // `<number>[,] <postcode>`: the postcode ends the candidate.
        Form::NumberFirst => {
            let l = cand.len().checked_sub(2)?;
            let spaced = matches!(cand.get(l.checked_sub(1)?), Some(b' ' | b'-'));
            l.checked_sub(if spaced { 5 } else { 4 })?
        }
        _ => 0,
    };
    let dashed = cand.get(pc + 4) == Some(&b'-');
    let letters = if dashed || cand.get(pc + 4) == Some(&b' ') {
        pc + 5
    } else {
        pc + 4
    };
    if !(pc..pc + 4).all(|i| cand.get(i).is_some_and(u8::is_ascii_digit)) {
        return None;
    }
    let pair = [*cand.get(letters)?, *cand.get(letters + 1)?];
    let upper = pair.iter().all(u8::is_ascii_uppercase);
    let pair = pair.map(|b| b.to_ascii_lowercase());
    if matches!(&pair, b"sa" | b"sd" | b"ss") {
        return None;
    }
    let word = std::str::from_utf8(&pair).ok()?;
    let alone = form == Form::PostcodeAlone;
    if cues.not_postcode.matches(word) && !labelled && (alone || !upper) {
        return None;
    }
    let num = |from: usize| leading_number(cand.get(from..).unwrap_or_default()).1;
    let year = |v: u32| (1900..=2099).contains(&v);
    // `1234-AB`: standing alone, a postcode in capitals or a labelled one;
    // not a code in lower case (`1234-ab`), nor a year with a suffix
    // (`2024-NL`). With a house number, as any postcode.
    // Dashes on both sides of the letters (`1234-AB-12`) read as a code
    // just as often: the same test.
    let code_shape = dashed && form == Form::PostcodeFirst && cand.get(letters + 2) == Some(&b'-');
    if dashed && (alone || code_shape) && !labelled && (!upper || year(num(pc))) {
        return None;
    }
    let number = match form {
        Form::PostcodeFirst => {
            let from = letters + 2 + cand.get(letters + 2..)?.iter().position(u8::is_ascii_digit)?;
            num(from)
        }
        Form::NumberFirst => num(0),
        _ => 0,
    };
    if year(num(pc)) && year(number) {
        return None;
    }
    // `Vanaf 2025 ga ik`: a year before a short lower-case word.
    let spaced = letters == pc + 5;
    if alone && spaced && !upper && !labelled && year(num(pc)) {
        return None;
    }
    Some(cand.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::cues::Words;

    fn d(s: &str) -> Vec<u32> {
        digits(s.as_bytes()).collect()
    }

    fn cues() -> Cues {
        Cues {
            reference: Words::new(["order*", "bestel*", "trace"]),
            personal: vec![
                (Kind::Bsn, Words::new(["bsn"])),
                (Kind::Card, Words::new(["creditcard"])),
            ],
            joiners: Words::new(["nr", "nummer"]),
            conjunctions: Words::new(["en"]),
            version: Words::new(["versie", "build"]),
            not_postcode: Words::new(["km", "en"]),
            ..Cues::default()
        }
    }

    #[test]
    fn labels_attach_within_the_clause_only() {
        let c = cues();
        fn label<'t>(t: &'t str, c: &Cues) -> Option<&'t str> {
            attached_label(t, t.find('1').unwrap(), c)
        }
        let label = |t: &'static str| label(t, &c);
        assert_eq!(label("Bestelnummer 123456782"), Some("Bestelnummer"));
        assert_eq!(label("order nr. 123456782"), Some("order"));
        assert_eq!(label("Track & trace: 123"), Some("trace"));
        assert_eq!(label("bestelling met creditcard 1234"), Some("creditcard"));
        assert_eq!(label("ordernummer 728. via 1234"), Some("via"));
        assert_eq!(label("KvK 4. mail: 1234"), Some("mail"));
        assert_eq!(label("mijn order. 1234"), None);
        assert_eq!(label("Hoi, 123456782"), None);
        assert_eq!(label("123"), None);
        assert_eq!(label("Bestelnummer 207 en 151"), Some("Bestelnummer"));
        assert_eq!(label("Bestelnummer 207, 208 en 151"), Some("Bestelnummer"));
        assert_eq!(label("tel 207 en 151"), Some("tel"));
        // A joiner written onto its label.
        assert_eq!(label("klant-nr 123456782"), Some("klant"));
        assert_eq!(label("order-nr. 123456782"), Some("order"));
    }

    #[test]
    fn phone_extensions() {
        assert_eq!(extension("x456 rest"), 4);
        assert_eq!(extension(" ext. 12"), 8);
        assert_eq!(extension(" ext12"), 6);
        assert_eq!(extension("xyz"), 0);
        assert_eq!(extension(" en 12"), 0);
    }

    #[test]
    fn version_words_before_four_numbers() {
        let c = cues();
        let v = |t: &str| {
            let start = t.find(|c: char| c.is_ascii_digit()).unwrap();
            let end = start
                + t[start..]
                    .find(|c: char| !c.is_ascii_digit() && c != '.')
                    .unwrap_or(t.len() - start);
            version(t, start, end, &c)
        };
        assert!(v("Versie 1.2.3.4"));
        assert!(v("build: 10.2.3.4"));
        assert!(v("the 2.3.4.5 build notes"));
        assert!(v("running 1.2.3.4-beta"));
        assert!(!v("IP 10.2.3.4"));
        assert!(!v("conversie 1.2.3.4"));
    }

    #[test]
    fn ipv4_with_one_separator_and_dashes_only_in_a_host_name() {
        assert_eq!(ipv4(b"83.84.85.86"), Some(11));
        assert_eq!(ipv4(b"83-84-85-86"), Some(11));
        assert_eq!(ipv4(b"83[.]84[.]85[.]86"), Some(17));
        assert_eq!(ipv4(b"83.84-85.86"), None);
        assert_eq!(ipv4(b"83-84-85-256"), None);
        let host = |t: &str| {
            let start = t.find(|c: char| c.is_ascii_digit()).unwrap();
            in_host_name(t, start, start + 11)
        };
        assert!(host("ip-83-84-85-86.ziggo.nl"));
        assert!(host("83-84-85-86.dynamic.kpn.net"));
        assert!(!host("uitslag 12-11-20-25 was raar"));
        assert!(!host("serie 83-84-85-86."));
    }

    #[test]
    fn luhn_known_values() {
        assert!(luhn(d("4111111111111111").into_iter()));
        assert!(luhn(d("378282246310005").into_iter()));
        assert!(!luhn(d("4111111111111112").into_iter()));
    }

    #[test]
    fn elf_proef() {
        assert_eq!(bsn(b"123456782"), Some(9));
        assert_eq!(bsn(b"123 456 782"), Some(11));
        assert_eq!(bsn(b"12345672"), Some(8));
        assert_eq!(bsn(b"1234-5672"), Some(9));
        assert_eq!(bsn(b"123456789"), None);
        assert_eq!(bsn(b"000000000"), None);
        // Dates and counts that pass the 11-proof.
        assert_eq!(bsn(b"20261129"), None);
        assert_eq!(bsn(b"29-11-2026"), None);
    }

    #[test]
    fn card_issuers_and_repeats() {
        assert_eq!(card(b"4111 1111 1111 1111 2024"), Some(19));
        assert_eq!(card(b"0000 0000 0000 0000"), None);
        assert_eq!(card(b"4111 1111 1111 1112"), None);
        assert_eq!(card(b"2221000000000009"), Some(16));
        // A Luhn-valid EAN-13 of a Dutch product (prefix 87) is no card.
        assert_eq!(card(b"8712345678903"), None);
    }

    #[test]
    fn postcodes() {
        let c = cues();
        let pc = |form, s: &str| postcode(form, s.as_bytes(), false, &c);
        assert_eq!(pc(Form::PostcodeFirst, "1234 ab 12a"), Some(11));
        assert_eq!(pc(Form::PostcodeAlone, "1234 AB"), Some(7));
        assert_eq!(pc(Form::PostcodeAlone, "1500 km"), None);
        assert_eq!(pc(Form::PostcodeAlone, "1500 KM"), None);
        assert_eq!(pc(Form::PostcodeFirst, "2019 en 12"), None);
        assert_eq!(pc(Form::PostcodeFirst, "2024 EN 2025"), None);
        assert_eq!(pc(Form::PostcodeFirst, "1234 SA 12"), None);
        assert_eq!(postcode(Form::PostcodeAlone, b"1500 km", true, &c), Some(7));
        // A house number after a dash; with dashes on both sides of the
        // letters, a code unless in capitals and no year.
        assert_eq!(pc(Form::PostcodeFirst, "1234AB-12"), Some(9));
        assert_eq!(pc(Form::PostcodeFirst, "1234-AB-12"), Some(10));
        assert_eq!(pc(Form::PostcodeFirst, "1234-ab-12"), None);
        assert_eq!(pc(Form::PostcodeFirst, "2024-NL-12"), None);
    }

    #[test]
    fn isolation() {
        let iso = |t, s, e, masked: usize| {
            let mask = Mask {
                last: (0, masked),
                pre: &[],
            };
            match isolated(t, (s, e), &mask, NUMBER_SEPS, Glue::None) {
                Verdict::Hit(_, _, end) => Some(end),
                Verdict::GluedTo(p) => Some(1000 + p),
                Verdict::Reject => None,
            }
        };
        assert_eq!(iso("a 12 b", 2, 4, 0), Some(4));
        assert_eq!(iso("1,12 b", 2, 4, 0), None);
        assert_eq!(iso("1,12 b", 2, 4, 1), Some(4)); // '1' is a previous hit
        assert_eq!(iso("a0612", 1, 5, 0), None);
        assert_eq!(iso("a+3161", 1, 6, 0), Some(6));
        assert_eq!(iso("a0612", 1, 5, 1), Some(5));
        assert_eq!(iso("é12", 2, 4, 0), None);
        assert_eq!(iso("#12", 1, 3, 0), None);
        assert_eq!(iso("12.", 0, 2, 0), Some(2));
        assert_eq!(iso("12,50", 0, 2, 0), Some(1003));
        // A comma between long numbers lists them.
        assert_eq!(iso("0612345678,50", 0, 10, 0), Some(1011));
        assert_eq!(iso("0612345678,0687654321", 0, 10, 0), Some(10));
        assert_eq!(iso("0612345678,06-87654321 x", 0, 10, 0), Some(10));
        assert_eq!(iso("0612345678,0687654321", 11, 21, 0), Some(21));
        assert_eq!(iso("1234,0687654321", 5, 15, 0), None);
    }
}
