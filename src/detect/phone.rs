//! Phone numbers: the regex finds candidates in every notation people
//! write; libphonenumber's metadata (the `phonenumber` crate) decides which
//! are numbers of a real numbering plan.
//!
//! A candidate is a run of digit groups. The greedy regex may take groups
//! that are not part of the number (`bel 06 12345678 24 uur`), so the longest
//! prefix of whole groups that is a valid number wins.

use super::bytes::leading_number;
use super::plan;

/// How a candidate is written, which says how to read its digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Notation {
    /// `+CC ...` or `00CC ...`, maybe with `(0)` after the country code.
    International,
    /// A trunk prefix `0`: Dutch first, then the neighbours whose local
    /// notation starts the same way.
    National,
    /// North American `(415) 555-0132`, `312.714.8142`, `415-555-0132`.
    NorthAmerican,
    /// Digits after `wa.me/`: international without the `+`.
    WhatsApp,
    /// A bare `316` and 8 digits: a Dutch mobile number in international
    /// form without its `+` (as in links and app exports).
    DutchMobileBare,
}

/// Regions tried for a national (trunk-0) number, in order, with the digit
/// counts (trunk 0 included) their numbers usually have. libphonenumber
/// also accepts longer numbers in most of these plans, so a prefix of the
/// usual length wins over a longer one (`06 12345678 24` is a mobile
/// number and a count).
const NATIONAL_REGIONS: [(&str, &[usize]); 5] = [
    ("NL", &[10]),
    ("BE", &[10, 9]),
    ("DE", &[11, 12, 10]),
    ("GB", &[11]),
    ("FR", &[10]),
];

/// Byte length of the accepted prefix of `cand`, or `None`.
pub(super) fn accept(notation: Notation, cand: &[u8]) -> Option<usize> {
    let groups = groups(cand);
    if groups.is_empty() {
        return None;
    }
    match notation {
        Notation::National if date_or_time(cand) => None,
        // One comma is a stray key (`06,12345678`); more make a list
        // (`09,10,11,12,13`).
        Notation::National if cand.iter().filter(|b| **b == b',').count() > 1 => None,
        // Digits spaced one by one (`0 5 7 8 1 3 ...`) are a code read out,
        // not a phone notation; but exactly a Dutch mobile number read out
        // that way (`0 6 1 2 3 4 5 6 7 8`) is still one to call.
        Notation::National if groups.single_digits() >= 3 && !groups.is_mobile_read_out() => None,
        // Region by region: a Dutch reading wins over a longer foreign one
        // (`06 12345678 24` is a Dutch mobile and a count, not a German
        // number of twelve digits).
        Notation::National => NATIONAL_REGIONS.iter().find_map(|&(region, usual)| {
            // Outside the Netherlands a number has at least 9 digits;
            // shorter ones are too often dates and counts.
            let ok =
                |digits: &str| (region == "NL" || digits.len() >= 9) && plan::valid_national(region, digits);
            usual
                .iter()
                .find_map(|&n| exactly(&groups, n, ok))
                .or_else(|| longest(&groups, ok))
        }),
        Notation::NorthAmerican => longest(&groups, |digits| {
            // `1-718-...`: the country code written before the area code.
            let digits = match digits.strip_prefix('1') {
                Some(rest) if digits.len() == 11 => rest,
                _ => digits,
            };
            // Any North American plan (US, Canada, the Caribbean): code 1.
            digits.len() == 10 && plan::valid_international(&format!("1{digits}"))
        }),
        Notation::DutchMobileBare => {
            let digits = &groups.digits;
            (digits.len() == 11 && digits.starts_with("316") && plan::valid_international(digits))
                .then_some(cand.len())
        }
        Notation::International | Notation::WhatsApp => {
            let found = longest(&groups, plan::valid_international);
            // A `+` and 8-15 digits is a phone number by its shape (E.164)
            // even where the metadata does not know the range: redact.
            found.or_else(|| {
                (cand.starts_with(b"+") || cand.starts_with(b"(+"))
                    .then(|| longest(&groups, |digits| (8..=15).contains(&digits.len())))
                    .flatten()
            })
        }
    }
}

/// A candidate's digits in one string, and per group of digits its
/// cumulative digit count and byte end: built once per candidate, read by
/// every region's check without allocating again. A `(0)` trunk marker
/// after a country code is no group: it is not dialled.
struct Groups {
    digits: String,
    ends: Vec<(usize, usize)>,
}

impl Groups {
    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The digits are exactly a valid Dutch mobile number (`06` and eight).
    fn is_mobile_read_out(&self) -> bool {
        self.digits.len() == 10 && self.digits.starts_with("06") && plan::valid_national("NL", &self.digits)
    }

    /// How many groups hold a single digit.
    fn single_digits(&self) -> usize {
        let mut before = 0;
        self.ends
            .iter()
            .filter(|(n, _)| std::mem::replace(&mut before, *n) + 1 == *n)
            .count()
    }
}

fn groups(cand: &[u8]) -> Groups {
    let mut out = Groups {
        digits: String::with_capacity(cand.len()),
        ends: Vec::new(),
    };
    // `00` before a country code is the international prefix, also in
    // parentheses (`(0031) 6 ...`).
    let paren = usize::from(cand.first() == Some(&b'('));
    let mut i = if cand.get(paren..).is_some_and(|c| c.starts_with(b"00")) {
        paren + 2
    } else {
        0
    };
    let mut in_group = false;
    while i < cand.len() {
        let b = cand[i];
        if cand.get(i..i + 3) == Some(b"(0)".as_slice()) && !out.is_empty() {
            i += 3;
            in_group = false;
            continue;
        }
        if b.is_ascii_digit() {
            out.digits.push(b as char);
            if !in_group {
                out.ends.push((0, i));
                in_group = true;
            }
            if let Some(g) = out.ends.last_mut() {
                *g = (out.digits.len(), i + 1);
            }
        } else {
            in_group = false;
        }
        i += 1;
    }
    out
}

/// The byte end of the prefix of whole groups with `n` digits, if there is
/// one and its digits pass `ok`.
fn exactly(groups: &Groups, n: usize, ok: impl Fn(&str) -> bool) -> Option<usize> {
    let &(count, end) = groups.ends.iter().find(|(count, _)| *count >= n)?;
    (count == n && ok(groups.digits.get(..n)?)).then_some(end)
}

/// The byte end of the longest prefix of whole groups whose digits pass `ok`.
fn longest(groups: &Groups, ok: impl Fn(&str) -> bool) -> Option<usize> {
    groups
        .ends
        .iter()
        .rev()
        .filter(|(n, _)| (6..=15).contains(n))
        .find(|(n, _)| groups.digits.get(..*n).is_some_and(&ok))
        .map(|(_, end)| *end)
}

/// `05-11-2026`, `01.12.2025`, `09.30-10.30`: a date or a time span read
/// as digits starting with 0 is no phone number; nor is a date with the
/// time after it (`01-12-2026 09:00`, read up to its hour).
pub(super) fn date_or_time(cand: &[u8]) -> bool {
    if starts_with_date(cand) {
        return true;
    }
    // At most five groups are read: more is no date or time (and a
    // candidate is checked without allocating).
    let mut buf: [&[u8]; 5] = [&[]; 5];
    let mut n = 0;
    for g in cand.split(|b| !b.is_ascii_digit()).filter(|g| !g.is_empty()) {
        let Some(slot) = buf.get_mut(n) else { return false };
        *slot = g;
        n += 1;
    }
    let groups = &buf[..n];
    let num = |g: &[u8]| leading_number(g).1;
    let day_month = |d: &[u8], m: &[u8]| (1..=31).contains(&num(d)) && (1..=12).contains(&num(m));
    let year = |y: &[u8]| y.len() == 4 && (1900..=2099).contains(&num(y));
    match groups {
        [d, m, y] if d.len() <= 2 && m.len() <= 2 => day_month(d, m) && (year(y) || y.len() == 2),
        [y, m, d] if y.len() == 4 => year(y) && day_month(d, m),
        // hh.mm-hh.mm
        [a, b, c, d] => [a, b, c, d].iter().all(|g| g.len() == 2) && num(a) < 24 && num(c) < 24,
        _ => false,
    }
}

/// `dd-mm-yyyy` (or with `/` or `.`, the same both times) and more after
/// it: nobody writes a phone number in a date's shape.
fn starts_with_date(cand: &[u8]) -> bool {
    let group = |from: usize| leading_number(cand.get(from..).unwrap_or_default());
    let (dn, day) = group(0);
    let Some(&sep) = cand.get(dn) else { return false };
    let (mn, month) = group(dn + 1);
    let (yn, year) = group(dn + 1 + mn + 1);
    matches!(sep, b'-' | b'/' | b'.')
        && (1..=2).contains(&dn)
        && (1..=2).contains(&mn)
        && cand.get(dn + 1 + mn) == Some(&sep)
        && yn == 4
        && (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && (1900..=2099).contains(&year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(n: Notation, s: &str) -> Option<&str> {
        accept(n, s.as_bytes()).map(|len| &s[..len])
    }

    #[test]
    fn dutch_numbers_in_every_notation() {
        use Notation::National as N;
        for s in [
            "0612345678",
            "06-12345678",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06/12345678",
            "020-1234567",
            "046-4555555",
            "0172 123456",
            "0800-1234",
            "0900 1234567",
            "088 123 4567",
        ] {
            assert_eq!(ok(N, s), Some(s), "{s}");
        }
        assert_eq!(ok(N, "06 12345678 24"), Some("06 12345678"));
        assert_eq!(ok(N, "05-11-2026"), None);
        assert_eq!(ok(N, "0612"), None);
        // Stray keys between the groups, but no list of numbers.
        assert_eq!(ok(N, "06*12345678"), Some("06*12345678"));
        assert_eq!(ok(N, "06,12345678"), Some("06,12345678"));
        assert_eq!(ok(N, "(0)6-12345678"), Some("(0)6-12345678"));
        assert_eq!(ok(N, "09,10,11,12,13"), None);
    }

    #[test]
    fn neighbours_and_north_america() {
        assert_eq!(ok(Notation::National, "0475 12 34 56"), Some("0475 12 34 56"));
        assert_eq!(ok(Notation::National, "020 7946 0958"), Some("020 7946 0958"));
        assert_eq!(ok(Notation::National, "030 12345678"), Some("030 12345678"));
        assert_eq!(
            ok(Notation::NorthAmerican, "(415) 555-2671"),
            Some("(415) 555-2671")
        );
        assert_eq!(ok(Notation::NorthAmerican, "312.714.8142"), Some("312.714.8142"));
        assert_eq!(ok(Notation::NorthAmerican, "123.456.7890"), None);
    }

    #[test]
    fn international() {
        use Notation::International as I;
        for s in [
            "+31 6 12345678",
            "+31 (0)6 12345678",
            "+31(0)20-1234567",
            "0031 6 12345678",
            "+44 20 7946 0958",
            // The country code in parentheses.
            "(+31) 6 12345678",
            "(+31)6-12345678",
            "(+31) (0)6 12345678",
            "(0031) 6 12345678",
            "(+32) 470 12 34 56",
        ] {
            assert_eq!(ok(I, s), Some(s), "{s}");
        }
        assert_eq!(ok(I, "+31 6 12345678 2024"), Some("+31 6 12345678"));
        assert_eq!(ok(Notation::WhatsApp, "31612345678"), Some("31612345678"));
    }

    #[test]
    fn dates_and_times() {
        assert!(date_or_time(b"05-11-2026"));
        assert!(date_or_time(b"2026-11-05"));
        assert!(date_or_time(b"09.30-10.30"));
        assert!(!date_or_time(b"06-12345678"));
        // A date and its hour, as the scan reads them.
        assert!(date_or_time(b"01-12-2026 09"));
        assert!(date_or_time(b"06/12/2026 12"));
        assert_eq!(ok(Notation::National, "06-12-2026 16"), None);
        // Not a date's shape: mixed separators, a spaced number.
        assert!(!date_or_time(b"06-12/2026 16"));
        assert!(!date_or_time(b"06 12 2026 16"));
    }
}
