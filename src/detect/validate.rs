//! Checksums, shape and context checks for regex candidates. A check may
//! accept a shorter hit than the candidate: it trims trailing digit groups
//! the greedy regex took too many of.

use std::net::Ipv6Addr;

use super::patterns::Form;
use super::{Hit, iban, overlaps_any};

/// Separators that glue digit runs into one number (`12,50`, `1.234`,
/// `25-11`): a candidate touching one of these plus a digit is a fragment.
const NUMBER_SEPS: &[u8] = b".,-";

/// Outcome of validating one candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Accepted; the hit ends here (possibly trimmed).
    Hit(usize),
    Reject,
    /// Rejected because another number continues at this offset (`12,50`):
    /// a candidate starting there is a fragment too and must be rejected.
    /// Without this, redacting that fragment would un-glue this candidate
    /// and a second pass would find it (redaction must be idempotent).
    GluedTo(usize),
}

/// The parts of the text that will become placeholders: the last accepted
/// pattern hit and the name hits. Context checks read a masked char as a
/// placeholder bracket (non-word, non-digit), so a second pass over the
/// redacted text reaches the same verdicts (idempotence).
pub(super) struct Mask<'a> {
    pub(super) last: (usize, usize),
    pub(super) names: &'a [Hit],
}

impl Mask<'_> {
    fn covers(&self, pos: usize) -> bool {
        (self.last.0..self.last.1).contains(&pos) || overlaps_any(self.names, pos, pos + 1)
    }
}

/// Validates the candidate `text[start..end]` of `form`.
pub(super) fn accept(form: Form, text: &str, start: usize, end: usize, mask: &Mask) -> Verdict {
    let Some(cand) = text.as_bytes().get(start..end) else {
        return Verdict::Reject;
    };
    let len = match form {
        // The regex already enforces the whole shape; nothing to check.
        Form::Email => Some(cand.len()),
        Form::IbanCompact | Form::IbanGrouped => iban::accept(cand),
        Form::CardPlain | Form::CardSpaced | Form::CardDashed if labelled_reference(text, start) => None,
        Form::CardPlain | Form::CardSpaced | Form::CardDashed => card(cand),
        Form::Ipv4 if after_version_word(text, start) => None,
        Form::Ipv4 => ipv4(cand),
        Form::Ipv6 => ipv6(cand),
        Form::PhoneNlIntl => phone_nl_intl(cand),
        Form::PhoneIntl => phone_intl(cand),
        Form::PhoneNl => prefix_with_digits(cand, 10),
        Form::PostcodeFirst | Form::NumberFirst => postcode(form, cand),
        Form::BsnPlain | Form::BsnDotted | Form::BsnSpaced if labelled_reference(text, start) => None,
        Form::BsnPlain | Form::BsnDotted | Form::BsnSpaced => bsn(cand),
    };
    let Some(len) = len else {
        return Verdict::Reject;
    };
    let hit_end = start + len;
    let seps = match form {
        Form::Email => return Verdict::Hit(hit_end),
        // A port (`:8080`) may follow IPv4; IPv6 followed by `:digit` is cut short.
        Form::Ipv4 => b".".as_slice(),
        Form::Ipv6 => b".:".as_slice(),
        // `123 456 782` inside a longer space-grouped number is a fragment.
        Form::BsnSpaced => b".,- ".as_slice(),
        _ => NUMBER_SEPS,
    };
    isolated(text, start, hit_end, mask, seps)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The hit is not glued to a word (Unicode-aware, unlike the regex's ASCII
/// `\b`), not a hashtag/reference (`#123456782`), and not part of a longer
/// number joined by one of `seps`.
fn isolated(text: &str, start: usize, end: usize, mask: &Mask, seps: &[u8]) -> Verdict {
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
    if let Some(c) = before.chars().next_back().filter(|_| !mask.covers(start - 1)) {
        let glued_number = is_sep(c) && start >= 2 && digit_at(start - 2);
        if (first_word && is_word(c)) || c == '#' || glued_number {
            return Verdict::Reject;
        }
    }
    if let Some(c) = after.chars().next().filter(|_| !mask.covers(end)) {
        if last_word && is_word(c) {
            return Verdict::Reject;
        }
        if is_sep(c) && digit_at(end + 1) {
            return Verdict::GluedTo(end + 1);
        }
    }
    Verdict::Hit(end)
}

/// Length of the shortest prefix of `cand` holding exactly `n` digits,
/// provided it ends a digit group (a longer run is a different number).
/// This trims trailing groups the greedy regex took too many of.
fn prefix_with_digits(cand: &[u8], n: usize) -> Option<usize> {
    let mut count = 0;
    for (i, b) in cand.iter().enumerate() {
        if b.is_ascii_digit() {
            count += 1;
            if count == n {
                let glued = cand.get(i + 1).is_some_and(u8::is_ascii_digit);
                return (!glued).then_some(i + 1);
            }
        }
    }
    None
}

fn digits(cand: &[u8]) -> impl DoubleEndedIterator<Item = u32> + Clone + '_ {
    cand.iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

/// After `+31`/`0031` and an optional `(0)`: 9 digits not starting with 0
/// (the regex enforces the non-zero start).
fn phone_nl_intl(cand: &[u8]) -> Option<usize> {
    let mut i = if cand.first() == Some(&b'+') { 3 } else { 4 };
    while cand.get(i).is_some_and(|b| *b == b' ' || *b == b'-') {
        i += 1;
    }
    // The trunk 0 after the country code, as `(0)` or (a common slip) bare.
    if cand.get(i..i + 3) == Some(b"(0)".as_slice()) {
        i += 3;
    } else if cand.get(i) == Some(&b'0') {
        i += 1;
    }
    while cand.get(i).is_some_and(|b| *b == b' ' || *b == b'-') {
        i += 1;
    }
    Some(i + prefix_with_digits(cand.get(i..)?, 9)?)
}

/// Other `+` numbers: 8-15 digits (E.164). `+31` numbers must pass the
/// stricter Dutch rule instead, which has already been tried.
fn phone_intl(cand: &[u8]) -> Option<usize> {
    if cand.starts_with(b"+31") {
        return None;
    }
    let n = digits(cand).count();
    (8..=15).contains(&n).then_some(cand.len())
}

/// 13-19 digits, Luhn-valid, not one digit repeated. A grouped candidate with
/// more than 19 digits is cut back to its longest group prefix that fits.
fn card(cand: &[u8]) -> Option<usize> {
    let mut len = cand.len();
    if digits(cand).count() > 19 {
        len = (1..cand.len())
            .rev()
            .find(|&i| !cand[i].is_ascii_digit() && digits(&cand[..i]).count() <= 19)?;
    }
    let d = digits(&cand[..len]);
    let n = d.clone().count();
    if !(13..=19).contains(&n) || !luhn(d.clone()) {
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

/// 11-proof: 9*d1 + 8*d2 + ... + 2*d8 - d9 ≡ 0 (mod 11), not all zeros.
fn bsn(cand: &[u8]) -> Option<usize> {
    let mut sum: i64 = 0;
    let mut n = 0;
    let mut any_nonzero = false;
    for (i, x) in digits(cand).enumerate() {
        let w: i64 = if i == 8 { -1 } else { 9 - i as i64 };
        sum += w * i64::from(x);
        any_nonzero |= x != 0;
        n += 1;
    }
    (n == 9 && any_nonzero && sum.rem_euclid(11) == 0).then_some(cand.len())
}

/// Octets 0-255; a first octet of 0 ("this network") is no host address
/// and is how four-part version numbers usually start (`0.12.3.4`).
fn ipv4(cand: &[u8]) -> Option<usize> {
    let ok = cand.split(|b| *b == b'.').all(|octet| {
        let v = octet.iter().fold(0u32, |v, b| v * 10 + u32::from(b - b'0'));
        !octet.is_empty() && octet.len() <= 3 && v <= 255
    });
    (ok && cand.first() != Some(&b'0')).then_some(cand.len())
}

/// A number labelled as an order, invoice, parcel or other reference by
/// one of the two words before it ("bestelnummer 123456782", "order nr.
/// 4111...") is that reference, even when it happens to pass the BSN or
/// card checksum (1 in 11 and 1 in 10 random numbers do). A label naming
/// the personal number itself ("BSN", "creditcard") wins.
fn labelled_reference(text: &str, start: usize) -> bool {
    const REFERENCE: &[&str] = &[
        "order",
        "bestel",
        "factuur",
        "invoice",
        "referentie",
        "reference",
        "ref",
        "kenmerk",
        "track",
        "pakket",
        "parcel",
        "zending",
        "shipment",
        "klantnummer",
        "customer",
        "artikel",
        "article",
        "ticket",
        "case",
        "dossier",
        "kvk",
        "btw",
        "ean",
        "isbn",
        "barcode",
        "serienummer",
        "serial",
        "transactie",
        "transaction",
        "bon",
        "receipt",
    ];
    const PERSONAL: &[&str] = &[
        "bsn",
        "sofi",
        "burgerservice",
        "card",
        "kaart",
        "visa",
        "mastercard",
        "amex",
    ];
    let from = start.saturating_sub(40);
    let before = text.get(from..start).or_else(|| text.get(..start)).unwrap_or("");
    let words: Vec<String> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect();
    let last_two = &words[words.len().saturating_sub(2)..];
    // Short cues must be the whole word ("ref", not "refund"); longer ones
    // may start it ("bestelnummer", "ordernummer", "factuurnummer").
    let cue = |w: &str, c: &str| if c.len() <= 4 { w == c } else { w.starts_with(c) };
    let labelled = |cues: &[&str]| last_two.iter().any(|w| cues.iter().any(|c| cue(w, c)));
    labelled(REFERENCE) && !labelled(PERSONAL)
}

/// Four dotted numbers right after "version", "versie", "build",
/// "release" or "firmware" are a version, not an address. (A glued
/// `v1.2.3.4` never matches the address pattern at all.)
fn after_version_word(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end_matches([' ', ':']);
    let word = before
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    ["version", "versie", "build", "release", "firmware"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
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

/// Letters other than SA/SD/SS, and not two years (`2024 EN 2025`).
fn postcode(form: Form, cand: &[u8]) -> Option<usize> {
    let is_pc_digit = |i: usize| cand.get(i).is_some_and(u8::is_ascii_digit);
    let (pc_start, letters, number) = match form {
        Form::PostcodeFirst => {
            let l = if cand.get(4) == Some(&b' ') { 5 } else { 4 };
            let n = cand.get(l + 2..)?.iter().position(u8::is_ascii_digit)?;
            (0, l, l + 2 + n)
        }
        _ => {
            // Shape `<number>[,] <postcode>`: the postcode ends the candidate.
            let l = cand.len().checked_sub(2)?;
            let spaced = cand.get(l.checked_sub(1)?) == Some(&b' ');
            let p = l.checked_sub(if spaced { 5 } else { 4 })?;
            (p, l, 0)
        }
    };
    if !(0..4).all(|i| is_pc_digit(pc_start + i)) {
        return None;
    }
    let pair = [
        cand.get(letters)?.to_ascii_uppercase(),
        cand.get(letters + 1)?.to_ascii_uppercase(),
    ];
    if matches!(&pair, b"SA" | b"SD" | b"SS") {
        return None;
    }
    let num = |from: usize| {
        cand.get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0u32, |v, b| {
                v.saturating_mul(10).saturating_add(u32::from(b - b'0'))
            })
    };
    let year = |v: u32| (1900..=2099).contains(&v);
    if year(num(pc_start)) && year(num(number)) {
        return None;
    }
    Some(cand.len())
}

#[cfg(test)]
mod version_tests {
    use super::after_version_word;

    #[test]
    fn reference_labels_before_a_number() {
        use super::labelled_reference;
        assert!(labelled_reference("Bestelnummer 123456782", 13));
        assert!(labelled_reference("order nr. 123456782", 10));
        assert!(labelled_reference("Track & trace: 4111111111111111", 15));
        assert!(!labelled_reference("mijn BSN 123456782", 9));
        assert!(!labelled_reference(
            "bestelling met creditcard 4111111111111111",
            26
        ));
        assert!(!labelled_reference("Hoi, 123456782", 5));
    }

    #[test]
    fn version_words_before_four_numbers() {
        assert!(after_version_word("Versie 1.2.3.4", 7));
        assert!(after_version_word("build: 10.2.3.4", 7));
        assert!(!after_version_word("IP 10.2.3.4", 3));
        assert!(!after_version_word("conversie 1.2.3.4", 10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u32> {
        digits(s.as_bytes()).collect()
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
        assert_eq!(bsn(b"123456789"), None);
        assert_eq!(bsn(b"000000000"), None);
    }

    #[test]
    fn digit_prefix_trims_only_at_group_end() {
        assert_eq!(prefix_with_digits(b"06 12345678 24", 10), Some(11));
        assert_eq!(prefix_with_digits(b"06123456789", 10), None);
        assert_eq!(prefix_with_digits(b"0612", 10), None);
    }

    #[test]
    fn card_trims_extra_group_and_rejects_repeats() {
        assert_eq!(card(b"4111 1111 1111 1111 2024"), Some(19));
        assert_eq!(card(b"0000 0000 0000 0000"), None);
        assert_eq!(card(b"4111 1111 1111 1112"), None);
    }

    #[test]
    fn isolation() {
        let iso = |t, s, e, masked: usize| {
            let mask = Mask {
                last: (0, masked),
                names: &[],
            };
            isolated(t, s, e, &mask, NUMBER_SEPS)
        };
        assert_eq!(iso("a 12 b", 2, 4, 0), Verdict::Hit(4));
        assert_eq!(iso("1,12 b", 2, 4, 0), Verdict::Reject);
        assert_eq!(iso("1,12 b", 2, 4, 1), Verdict::Hit(4)); // '1' is a previous hit
        assert_eq!(iso("a0612", 1, 5, 0), Verdict::Reject);
        assert_eq!(iso("a+3161", 1, 6, 0), Verdict::Hit(6));
        assert_eq!(iso("a0612", 1, 5, 1), Verdict::Hit(5));
        assert_eq!(iso("é12", 2, 4, 0), Verdict::Reject);
        assert_eq!(iso("#12", 1, 3, 0), Verdict::Reject);
        assert_eq!(iso("12.", 0, 2, 0), Verdict::Hit(2));
        assert_eq!(iso("12,50", 0, 2, 0), Verdict::GluedTo(3));
    }
}
