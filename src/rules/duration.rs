//! Ages in rule files: `1y`, `6mo`, `2w`, `30d`, `12h`. Years and months are
//! calendar units ("older than a calendar year" is P7's wording), so they
//! are added to the timestamp on the calendar, not as a fixed number of days.

/// Parses an age like `1y` into a calendar span.
pub fn parse_span(text: &str) -> Result<jiff::Span, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || {
        format!("bad age `{text}`: write a whole number and a unit: y, mo, w, d or h (like `1y` or `30d`)")
    };
    let n: i64 = num.parse().map_err(|_| bad())?;
    if n <= 0 {
        return Err(format!("bad age `{text}`: must be more than zero"));
    }
    let span = jiff::Span::new();
    let span = match unit {
        "y" => span.try_years(n),
        "mo" => span.try_months(n),
        "w" => span.try_weeks(n),
        "d" => span.try_days(n),
        "h" => span.try_hours(n),
        _ => return Err(bad()),
    };
    span.map_err(|_| format!("bad age `{text}`: too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(parse_span("1y").unwrap().get_years(), 1);
        assert_eq!(parse_span("6mo").unwrap().get_months(), 6);
        assert_eq!(parse_span("2w").unwrap().get_weeks(), 2);
        assert_eq!(parse_span(" 30d ").unwrap().get_days(), 30);
        assert_eq!(parse_span("12h").unwrap().get_hours(), 12);
    }

    #[test]
    fn rejects_what_is_not_an_age() {
        for bad in ["", "y", "1", "1 year", "0d", "-1d", "1.5y", "99999999999y"] {
            assert!(parse_span(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
