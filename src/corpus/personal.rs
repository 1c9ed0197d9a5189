//! Personal data as the generator writes it (P4), the look-alike numbers
//! that must survive, and the checksums that tell them apart.

use super::rng::Rng;
use super::vocab::{CITIES, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, STREETS};

/// The personal-data kinds of P4, as the generator writes them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pd {
    Email,
    PhoneNl,
    PhoneIntl,
    Iban,
    Bsn,
    Card,
    Address,
    Ipv4,
    Ipv6,
    Name,
}

pub(super) const PD_WEIGHTS: &[(Pd, u32)] = &[
    (Pd::Email, 20),
    (Pd::PhoneNl, 22),
    (Pd::PhoneIntl, 7),
    (Pd::Iban, 12),
    (Pd::Bsn, 6),
    (Pd::Card, 8),
    (Pd::Address, 12),
    (Pd::Ipv4, 6),
    (Pd::Ipv6, 3),
    (Pd::Name, 4),
];
pub(super) fn digit_string(ds: &[u8]) -> String {
    ds.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Digits that no checksummed detector should take: an 8- or 9-digit run
/// fails the BSN 11-proof, a 12- to 19-digit run fails Luhn.
pub(super) fn safe_number(r: &mut Rng, len: usize) -> String {
    loop {
        let ds = r.digits(len, false);
        let bsn_like = (8..=9).contains(&len) && bsn_valid(&ds);
        let card_like = (12..=19).contains(&len) && luhn_valid(&ds);
        if !bsn_like && !card_like {
            return digit_string(&ds);
        }
    }
}

/// The BSN 11-proof; an 8-digit number counts with a leading zero.
pub fn bsn_valid(ds: &[u8]) -> bool {
    if ds.len() != 9 && ds.len() != 8 {
        return false;
    }
    let mut nine = [0u8; 9];
    nine[9 - ds.len()..].copy_from_slice(ds);
    let sum: i64 = nine
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let w = if i == 8 { -1 } else { 9 - i as i64 };
            w * i64::from(d)
        })
        .sum();
    sum % 11 == 0
}

pub fn luhn_valid(ds: &[u8]) -> bool {
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// IBAN mod-97 over the compact form (no spaces).
pub fn iban_valid(iban: &str) -> bool {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 15 || !compact.is_ascii() {
        return false;
    }
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    mod97(&rearranged) == Some(1)
}

pub(super) fn mod97(s: &str) -> Option<u32> {
    let mut m = 0u32;
    for c in s.chars() {
        let v = c.to_digit(36)?;
        m = if v >= 10 {
            (m * 100 + v) % 97
        } else {
            (m * 10 + v) % 97
        };
    }
    Some(m)
}

pub(super) fn email(r: &mut Rng) -> String {
    let first = r.pick(FIRST_NAMES).to_lowercase();
    let last: String = r
        .pick(LAST_NAMES)
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let domain = r.pick(MAIL_DOMAINS);
    match r.below(5) {
        0 => format!("{first}.{last}@{domain}"),
        1 => format!("{}.{last}{}@{domain}", &first[..1], r.range(60, 99)),
        2 => format!("{first}{last}@{domain}"),
        3 => format!("{first}_{}@{domain}", r.range(1, 999)),
        _ => format!("info+{last}@{last}-webshop.nl"),
    }
}

pub(super) fn phone_nl(r: &mut Rng) -> String {
    if r.chance(0.65) {
        // Mobile: 06 and eight digits.
        let d = digit_string(&r.digits(8, true));
        let (a, b) = d.split_at(4);
        match r.below(9) {
            0 => format!("06-{d}"),
            1 => format!("06{d}"),
            2 => format!("06 {a} {b}"),
            3 => format!("06 {} {} {} {}", &d[..2], &d[2..4], &d[4..6], &d[6..]),
            4 => format!("+31 6 {d}"),
            5 => format!("+316{d}"),
            6 => format!("+31 (0)6 {a} {b}"),
            7 => format!("0031 6 {d}"),
            _ => format!("(06) {d}"),
        }
    } else {
        // Landline: a two-digit area code and seven digits, or three and six.
        let (area, rest) = if r.chance(0.6) {
            (
                r.pick(&["10", "20", "30", "40", "50", "70", "71", "73", "76"]),
                digit_string(&r.digits(7, false)),
            )
        } else {
            (
                r.pick(&["113", "172", "251", "318", "492", "575", "595"]),
                digit_string(&r.digits(6, false)),
            )
        };
        match r.below(6) {
            0 => format!("0{area}-{rest}"),
            1 => format!("0{area} {} {}", &rest[..3], &rest[3..]),
            2 => format!("+31 {area} {rest}"),
            3 if rest.len() == 7 => format!("+31 (0){area} {} {} {}", &rest[..3], &rest[3..5], &rest[5..]),
            4 => format!("0031 {area} {rest}"),
            _ => format!("0{area}{rest}"),
        }
    }
}

pub(super) fn phone_intl(r: &mut Rng) -> String {
    let d = |r: &mut Rng, n| digit_string(&r.digits(n, false));
    match r.below(6) {
        0 => format!("+44 20 {} {}", d(r, 4), d(r, 4)),
        1 => format!("+44 7700 900{:03}", r.below(1000)),
        2 => format!("+44 (0)161 {} {}", d(r, 3), d(r, 4)),
        3 => format!("+49 30 {}", d(r, 8)),
        4 => format!("+49 (0)89 {}", d(r, 7)),
        _ => format!("+49 151 {}", d(r, 8)),
    }
}

pub(super) fn iban_with_check(country: &str, bban: &str) -> String {
    let m = mod97(&format!("{bban}{country}00")).unwrap_or(0);
    format!("{country}{:02}{bban}", 98 - m)
}

pub(super) fn iban(r: &mut Rng) -> String {
    let compact = match r.below(8) {
        0 => "NL91ABNA0417164300".to_owned(),
        1 => "DE89370400440532013000".to_owned(),
        2..=4 => {
            let bank = r.pick(&["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]);
            let acct = digit_string(&r.digits(10, true));
            iban_with_check("NL", &format!("{bank}{acct}"))
        }
        5..=6 => iban_with_check("DE", &digit_string(&r.digits(18, false))),
        _ => {
            // Belgian: ten digits and their own mod-97 check (97 for 0).
            let body = digit_string(&r.digits(10, false));
            let n: u64 = body.parse().unwrap_or(0);
            let c = match n % 97 {
                0 => 97,
                c => c,
            };
            iban_with_check("BE", &format!("{body}{c:02}"))
        }
    };
    if r.chance(0.5) {
        let mut spaced = String::with_capacity(compact.len() + 6);
        for (i, c) in compact.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                spaced.push(' ');
            }
            spaced.push(c);
        }
        spaced
    } else {
        compact
    }
}

pub(super) fn bsn(r: &mut Rng) -> String {
    let ds = loop {
        let mut ds = r.digits(8, false);
        let sum: u32 = ds
            .iter()
            .enumerate()
            .map(|(i, &d)| (9 - i as u32) * u32::from(d))
            .sum();
        let check = sum % 11;
        if check < 10 {
            ds.push(check as u8);
            break ds;
        }
    };
    let s = digit_string(&ds);
    match r.below(5) {
        0 => format!("{}.{}.{}", &s[..4], &s[4..6], &s[6..]),
        1 => format!("{} {} {}", &s[..3], &s[3..6], &s[6..]),
        _ => s,
    }
}

pub(super) fn card(r: &mut Rng) -> String {
    let (prefix, len): (&str, usize) = r.pick(&[
        ("4", 16),
        ("4", 16),
        ("51", 16),
        ("55", 16),
        ("2221", 16),
        ("34", 15),
        ("37", 15),
    ]);
    let mut ds: Vec<u8> = prefix.bytes().map(|b| b - b'0').collect();
    while ds.len() < len - 1 {
        ds.push(r.digit());
    }
    ds.push(0);
    if !luhn_valid(&ds) {
        // The check digit: whatever makes the sum a multiple of ten.
        let last = ds.len() - 1;
        for c in 1..10 {
            ds[last] = c;
            if luhn_valid(&ds) {
                break;
            }
        }
    }
    let s = digit_string(&ds);
    let sep = r.pick(&[" ", " ", "-", ""]);
    if len == 15 {
        format!("{}{sep}{}{sep}{}", &s[..4], &s[4..10], &s[10..])
    } else {
        format!("{}{sep}{}{sep}{}{sep}{}", &s[..4], &s[4..8], &s[8..12], &s[12..])
    }
}

pub(super) fn address(r: &mut Rng) -> String {
    // Letters that Dutch postcodes use; SA, SD and SS are never issued.
    const LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXZ";
    let street = r.pick(STREETS);
    let number = r.range(1, 250);
    let suffix = r.pick(&["", "", "", "a", "-2", " B"]);
    let digits = r.range(1000, 9999);
    let (a, b) = loop {
        let a = r.pick(LETTERS) as char;
        let b = r.pick(LETTERS) as char;
        if !(a == 'S' && matches!(b, 'A' | 'D' | 'S')) {
            break (a, b);
        }
    };
    let space = if r.chance(0.7) { " " } else { "" };
    let city = r.pick(CITIES).0;
    if r.chance(0.6) {
        format!("{street} {number}{suffix}, {digits}{space}{a}{b} {city}")
    } else {
        format!("{street} {number}{suffix}, {digits}{space}{a}{b}")
    }
}

pub(super) fn ipv4(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("192.168.{}.{}", r.below(3), r.range(2, 254)),
        1 => format!("10.{}.{}.{}", r.below(256), r.below(256), r.range(1, 254)),
        2 => format!("203.0.113.{}", r.range(1, 254)),
        3 => format!("84.{}.{}.{}", r.range(24, 31), r.below(256), r.range(1, 254)),
        _ => format!("145.{}.{}.{}", r.range(53, 131), r.below(256), r.range(1, 254)),
    }
}

pub(super) fn ipv6(r: &mut Rng) -> String {
    let h = |r: &mut Rng| format!("{:x}", r.below(0x10000));
    match r.below(3) {
        0 => format!("2001:db8::{}", h(r)),
        1 => format!("2a02:a46b:{}:{}:{}:{}:{}:{}", h(r), h(r), h(r), h(r), h(r), h(r)),
        _ => format!("fe80::{}:{}:{}:{}", h(r), h(r), h(r), h(r)),
    }
}
