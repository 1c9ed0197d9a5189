//! Placeholder substitution.

use std::borrow::Cow;

use super::{Hit, Kind};

/// A hit that cannot be replaced cleanly: overlapping the one before, empty,
/// out of range or not on char boundaries. Skipping it would let the data
/// through, so the caller fails closed instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a detected span could not be replaced")]
pub struct RedactError;

/// Replaces each hit with `placeholder(kind)`. Returns `Cow::Borrowed` (no
/// allocation) when there are no hits. Hits must be sorted and disjoint as
/// [`super::Detectors::find`] produces them; any other is an error.
pub fn redact<'a, 'p>(
    text: &'a str,
    hits: &[Hit],
    placeholder: impl Fn(Kind) -> &'p str,
) -> Result<Cow<'a, str>, RedactError> {
    if hits.is_empty() {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for h in hits {
        if h.start < last || h.end <= h.start {
            return Err(RedactError);
        }
        let (Some(keep), Some(_)) = (text.get(last..h.start), text.get(h.start..h.end)) else {
            return Err(RedactError);
        };
        out.push_str(keep);
        out.push_str(placeholder(h.kind));
        last = h.end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Ok(Cow::Owned(out))
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
        assert_eq!(out, Ok("mail [email] of bel [phone]".into()));
    }

    #[test]
    fn no_hits_borrows() {
        assert!(matches!(
            redact("x", &[], Kind::default_placeholder),
            Ok(Cow::Borrowed("x"))
        ));
    }

    #[test]
    fn malformed_hits_are_errors_not_skipped() {
        let text = "héllo";
        for hits in [
            vec![hit(Kind::Name, 2, 3)],                        // inside 'é'
            vec![hit(Kind::Name, 0, 3), hit(Kind::Name, 1, 4)], // overlapping
            vec![hit(Kind::Name, 0, 99)],                       // out of range
            vec![hit(Kind::Name, 2, 2)],                        // empty
        ] {
            assert_eq!(redact(text, &hits, |_| "[x]"), Err(RedactError), "{hits:?}");
        }
    }
}
