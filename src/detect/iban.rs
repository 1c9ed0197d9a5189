//! IBAN validation: per-country length (SWIFT IBAN registry, ISO 13616,
//! all 89 registered countries) and the ISO 7064 mod-97 check.

/// (country code, total IBAN length), sorted by code for binary search.
#[rustfmt::skip]
const LENGTHS: &[([u8; 2], u8)] = &[
    (*b"AD", 24), (*b"AE", 23), (*b"AL", 28), (*b"AT", 20), (*b"AZ", 28),
    (*b"BA", 20), (*b"BE", 16), (*b"BG", 22), (*b"BH", 22), (*b"BI", 27),
    (*b"BR", 29), (*b"BY", 28), (*b"CH", 21), (*b"CR", 22), (*b"CY", 28),
    (*b"CZ", 24), (*b"DE", 22), (*b"DJ", 27), (*b"DK", 18), (*b"DO", 28),
    (*b"EE", 20), (*b"EG", 29), (*b"ES", 24), (*b"FI", 18), (*b"FK", 18),
    (*b"FO", 18), (*b"FR", 27), (*b"GB", 22), (*b"GE", 22), (*b"GI", 23),
    (*b"GL", 18), (*b"GR", 27), (*b"GT", 28), (*b"HN", 28), (*b"HR", 21),
    (*b"HU", 28), (*b"IE", 22), (*b"IL", 23), (*b"IQ", 23), (*b"IS", 26),
    (*b"IT", 27), (*b"JO", 30), (*b"KW", 30), (*b"KZ", 20), (*b"LB", 28),
    (*b"LC", 32), (*b"LI", 21), (*b"LT", 20), (*b"LU", 20), (*b"LV", 21),
    (*b"LY", 25), (*b"MC", 27), (*b"MD", 24), (*b"ME", 22), (*b"MK", 19),
    (*b"MN", 20), (*b"MR", 27), (*b"MT", 31), (*b"MU", 30), (*b"NI", 28),
    (*b"NL", 18), (*b"NO", 15), (*b"OM", 23), (*b"PK", 24), (*b"PL", 28),
    (*b"PS", 29), (*b"PT", 25), (*b"QA", 29), (*b"RO", 24), (*b"RS", 22),
    (*b"RU", 33), (*b"SA", 24), (*b"SC", 31), (*b"SD", 18), (*b"SE", 24),
    (*b"SI", 19), (*b"SK", 24), (*b"SM", 27), (*b"SO", 23), (*b"ST", 25),
    (*b"SV", 28), (*b"TL", 23), (*b"TN", 24), (*b"TR", 26), (*b"UA", 29),
    (*b"VA", 22), (*b"VG", 24), (*b"XK", 20), (*b"YE", 30),
];

/// The registered country codes, for the pattern: a candidate that does
/// not start with one is no IBAN, so the scan need not stop at it (`op 15
/// november 2026` has the shape).
pub(super) fn countries() -> impl Iterator<Item = &'static str> {
    LENGTHS.iter().filter_map(|(cc, _)| std::str::from_utf8(cc).ok())
}

fn country_len(cc: [u8; 2]) -> Option<usize> {
    let cc = cc.map(|b| b.to_ascii_uppercase());
    let i = LENGTHS.binary_search_by_key(&cc, |(c, _)| *c).ok()?;
    LENGTHS.get(i).map(|(_, len)| usize::from(*len))
}

/// Validates a candidate (compact, or grouped with single spaces, dashes
/// or dots in any grouping, any letter case); returns the accepted byte
/// length. If the grouped candidate runs past the country's length, the
/// prefix is taken when it ends exactly at a group boundary (the greedy
/// regex may have swallowed a following word).
pub(super) fn accept(cand: &[u8]) -> Option<usize> {
    let want = country_len([*cand.first()?, *cand.get(1)?])?;
    let mut count = 0;
    let mut byte_len = None;
    for (i, b) in cand.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            count += 1;
            if count == want {
                let at_boundary = cand.get(i + 1).is_none_or(|n| !n.is_ascii_alphanumeric());
                byte_len = at_boundary.then_some(i + 1);
                break;
            }
        }
    }
    let len = byte_len?;
    let chars = cand.get(..len)?.iter().filter(|b| b.is_ascii_alphanumeric());
    // Mod-97 over the rearranged string (BBAN, then country + check digits),
    // letters as 10..=35, folded digit by digit so nothing overflows.
    let rearranged = chars.clone().skip(4).chain(chars.take(4));
    let mut rem: u32 = 0;
    for b in rearranged {
        rem = match b.to_ascii_uppercase() {
            d @ b'0'..=b'9' => (rem * 10 + u32::from(d - b'0')) % 97,
            l @ b'A'..=b'Z' => (rem * 100 + u32::from(l - b'A') + 10) % 97,
            _ => return None,
        };
    }
    (rem == 1).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(LENGTHS.len(), 89);
    }

    #[test]
    fn registry_examples() {
        for iban in [
            "NL91ABNA0417164300",
            "NL91 ABNA 0417 1643 00",
            "nl91abna0417164300",
            "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "BE68539007547034",
            "NO93 8601 1117 947",
            "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
            "FR14 2004 1010 0505 0001 3M02 606",
            "NL91-ABNA-0417-1643-00",
            "NL91.ABNA.0417.1643.00",
            "NL91 ABNA 041716 4300",
        ] {
            assert_eq!(accept(iban.as_bytes()), Some(iban.len()), "{iban}");
        }
    }

    #[test]
    fn rejects() {
        assert_eq!(accept(b"NL92ABNA0417164300"), None); // mod-97
        assert_eq!(accept(b"NL91ABNA041716430"), None); // too short
        assert_eq!(accept(b"XX91ABNA0417164300"), None); // unknown country
        assert_eq!(accept(b"BE68539007547034X"), None); // glued extra char
    }

    #[test]
    fn trims_swallowed_group() {
        assert_eq!(accept(b"BE68 5390 0754 7034 TEST"), Some(19));
    }
}
