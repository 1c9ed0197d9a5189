//! Placeholder substitution.

use std::borrow::Cow;

use super::{Hit, Kind};

/// Replaces each hit with `placeholder(kind)`. Returns `Cow::Borrowed` (no
/// allocation) when there are no hits. Hits are expected sorted and
/// disjoint as [`super::Detectors::find`] produces them; malformed ones
/// (overlapping, out of range, not on char boundaries) are skipped rather
/// than panicking.
pub fn redact<'a, 'p>(text: &'a str, hits: &[Hit], placeholder: impl Fn(Kind) -> &'p str) -> Cow<'a, str> {
    if hits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for h in hits {
        if h.start < last || h.end <= h.start {
            continue;
        }
        let (Some(keep), Some(_)) = (text.get(last..h.start), text.get(h.start..h.end)) else {
            continue;
        };
        out.push_str(keep);
        out.push_str(placeholder(h.kind));
        last = h.end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(kind: Kind, start: usize, end: usize) -> Hit {
        Hit { kind, start, end }
    }

    #[test]
    fn replaces_in_order() {
        let text = "mail a@b.nl of bel 0612345678";
        let hits = [hit(Kind::Email, 5, 11), hit(Kind::Phone, 19, 29)];
        let out = redact(text, &hits, Kind::default_placeholder);
        assert_eq!(out, "mail [email] of bel [phone]");
    }

    #[test]
    fn no_hits_borrows() {
        assert!(matches!(
            redact("x", &[], Kind::default_placeholder),
            Cow::Borrowed("x")
        ));
    }

    #[test]
    fn malformed_hits_are_skipped() {
        let text = "héllo";
        let hits = [
            hit(Kind::Name, 2, 3),  // inside 'é'
            hit(Kind::Name, 0, 1),  // out of order after the skip is fine
            hit(Kind::Name, 0, 99), // out of range
        ];
        assert_eq!(redact(text, &hits, |_| "[x]"), "[x]éllo");
    }
}
