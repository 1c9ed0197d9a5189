//! Bytes to a checked [`Post`], or the reason it is refused.
//!
//! Fail closed: anything the model cannot read for certain (bad JSON, a
//! known field of the wrong type, a duplicate key, a missing id, an unknown
//! `op`, a timestamp that is not RFC 3339) is refused, never passed on.

use super::reject::Reject;
use crate::model::record::Post;
use crate::model::slot::{Slot, Text};

/// The reasons a record is refused before any rule runs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Records above this size are refused unread.
    pub max_record_bytes: usize,
    /// Records with objects or arrays nested deeper than this are refused,
    /// wherever the nesting is (the parser skips unknown members without a
    /// depth limit of its own).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record_bytes: 1024 * 1024,
            max_depth: 32,
        }
    }
}

/// What a record asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Upsert,
    Delete,
}

pub fn parse<'a>(input: &'a [u8], limits: &Limits) -> Result<(Post<'a>, Op), Reject> {
    if input.len() > limits.max_record_bytes {
        return Err(Reject::TooLarge {
            size: input.len(),
            limit: limits.max_record_bytes,
        });
    }
    if nesting_exceeds(input, limits.max_depth) {
        return Err(Reject::TooDeep);
    }
    // One UTF-8 check of the whole record (JSON is UTF-8, RFC 8259), so the
    // parser need not check each string again: invalid bytes anywhere,
    // even in a member that would be dropped, refuse the record.
    // simdutf8's check reads ASCII a vector at a time; std's error, read
    // only for a refused record, gives the position.
    let text = simdutf8::basic::from_utf8(input).map_err(|_| {
        let valid = std::str::from_utf8(input).err().map_or(0, |e| e.valid_up_to());
        let (line, column) = position(input, valid);
        Reject::InvalidJson {
            what: "not UTF-8",
            line,
            column,
        }
    })?;
    // A record is a JSON object. serde would also read a struct from an
    // array, field by position (`["x:1",null,"x"]`): refuse that shape.
    if text.trim_start().starts_with('[') {
        return Err(Reject::WrongType {
            path: "(record)".into(),
            what: "the record must be a JSON object (an array found)".into(),
        });
    }
    let mut post: Post<'a> = match serde_json::from_str(text) {
        Ok(post) => post,
        Err(e) => return Err(explain_error(input, e)),
    };
    // The values that decide which rules apply read in one form, so that
    // `FACEBOOK`, ` facebook` or `Comment` cannot step around a rule.
    for slot in [
        &mut post.op,
        &mut post.source,
        &mut post.kind,
        &mut post.visibility,
    ] {
        if let Slot::Value(t) = slot {
            normalise(t);
        }
    }
    let op = validate(&post)?;
    Ok((post, op))
}

/// True when objects and arrays nest deeper than `max`. One pass; string
/// contents are skipped with memchr. Malformed input returns false and is
/// left to the parser to refuse.
fn nesting_exceeds(input: &[u8], max: usize) -> bool {
    // Depth cannot exceed the number of opening brackets, which a
    // branch-free count finds far faster than the scan below walks the
    // record (and faster than memchr2 stopping at every bracket).
    if opening_brackets(input) <= max {
        return false;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match b {
            b'"' => {
                i += 1;
                loop {
                    let Some(rest) = input.get(i..) else { return false };
                    match memchr::memchr2(b'"', b'\\', rest) {
                        // An escape: skip the backslash and the byte after it.
                        Some(j) if rest[j] == b'\\' => i += j + 2,
                        Some(j) => {
                            i += j + 1;
                            break;
                        }
                        None => return false,
                    }
                }
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// How many `{` and `[` bytes `input` holds, strings included.
fn opening_brackets(input: &[u8]) -> usize {
    use crate::detect::bytes::{Class, count_where};
    // Sixteen bytes at a time (a plain byte fold did not vectorise well:
    // it was about a twentieth of a record's time without detection).
    // Lower-casing leaves brackets as they are.
    count_where(input, Class::Folded([b'{', b'[', b'[', b'[']))
}

/// Trims and lower-cases a policy value, allocating only when it changes.
fn normalise(t: &mut Text<'_>) {
    let s = t.as_str();
    let trimmed = s.trim();
    if trimmed.len() != s.len() || trimmed.chars().any(char::is_uppercase) {
        *t = Text::owned(trimmed.to_lowercase());
    }
}

/// The `<source>:` prefix of the id names the record's source (checked
/// after normalising: `Facebook:1` with source `facebook` agrees).
fn id_agrees(id: &str, source: &str) -> bool {
    id.split_once(':')
        .is_some_and(|(prefix, rest)| !rest.is_empty() && prefix.trim().eq_ignore_ascii_case(source))
}

fn validate(post: &Post<'_>) -> Result<Op, Reject> {
    match &post.id {
        Slot::Value(id) if !id.as_str().trim().is_empty() => {}
        Slot::Value(_) => {
            return Err(Reject::InvalidValue {
                field: "id",
                what: "is empty",
            });
        }
        _ => return Err(Reject::MissingId),
    }
    let op = match post.op.value().map(|t| t.as_str()) {
        None | Some("upsert") => Op::Upsert,
        Some("delete") => Op::Delete,
        Some(_) => {
            return Err(Reject::InvalidValue {
                field: "op",
                what: "must be \"upsert\" or \"delete\"",
            });
        }
    };
    let id = post.id.value().map(Text::as_str).unwrap_or_default();
    let disagrees = |source: &Text<'_>| !id_agrees(id, source.as_str());
    if op == Op::Delete {
        // A delete may carry its source; if it does, it must agree.
        if post.source.value().is_some_and(disagrees) {
            return Err(Reject::InvalidValue {
                field: "id",
                what: "does not start with `<source>:`",
            });
        }
        return Ok(op);
    }
    match post.source.value() {
        None => return Err(Reject::MissingSource),
        Some(s) if s.as_str().is_empty() => return Err(Reject::MissingSource),
        Some(s) if disagrees(s) => {
            return Err(Reject::InvalidValue {
                field: "id",
                what: "does not start with `<source>:`",
            });
        }
        Some(_) => {}
    }
    for (field, slot) in [
        ("published_at", &post.published_at),
        ("collected_at", &post.collected_at),
    ] {
        if let Slot::Value(t) = slot
            && t.as_str().parse::<jiff::Timestamp>().is_err()
        {
            return Err(Reject::InvalidValue {
                field,
                what: "is not an RFC 3339 timestamp",
            });
        }
    }
    if let Slot::Value(geo) = &post.geo {
        for (field, slot, max) in [("geo.lat", &geo.lat, 90.0), ("geo.lon", &geo.lon, 180.0)] {
            if let Slot::Value(x) = slot
                && !(x.is_finite() && x.abs() <= max)
            {
                return Err(Reject::InvalidValue {
                    field,
                    what: "is out of range",
                });
            }
        }
    }
    Ok(op)
}

/// 1-based line and column of a byte offset.
fn position(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset.min(input.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let column = before.len() - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// Turns a parse error into a reason that names the field but never echoes
/// the value. The reason kind comes from serde_json's error category and
/// from the input's structure, never from the text of serde's messages
/// (which quote values and may change wording between versions).
fn explain_error(input: &[u8], e: serde_json::Error) -> Reject {
    use std::collections::HashSet;
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::error::Category;
    use serde_path_to_error::Segment;

    /// The JSON kind of the value at `path` in the input, and for an
    /// object whether one of its keys appears twice; `None` if the path is
    /// not there.
    struct Probe<'p>(&'p [Segment]);

    type Found = Option<(&'static str, bool)>;

    impl<'de> DeserializeSeed<'de> for Probe<'_> {
        type Value = Found;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl Probe<'_> {
        fn leaf(&self, kind: &'static str) -> Found {
            self.0.is_empty().then_some((kind, false))
        }
    }

    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = Found;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Found, E> {
            Ok(self.leaf("a boolean"))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Found, E> {
            Ok(self.leaf("a number"))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Found, E> {
            Ok(self.leaf("a number"))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Found, E> {
            Ok(self.leaf("a number"))
        }
        fn visit_str<E>(self, _: &str) -> Result<Found, E> {
            Ok(self.leaf("a string"))
        }
        fn visit_unit<E>(self) -> Result<Found, E> {
            Ok(self.leaf("null"))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
            let target = match self.0.first() {
                None => None,
                Some(Segment::Seq { index }) => Some(*index),
                Some(_) => {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    return Ok(None);
                }
            };
            let mut found = None;
            let mut i = 0;
            loop {
                let more = if Some(i) == target {
                    seq.next_element_seed(Probe(&self.0[1..]))?.map(|f| found = f)
                } else {
                    seq.next_element::<IgnoredAny>()?.map(|_| ())
                };
                if more.is_none() {
                    break;
                }
                i += 1;
            }
            Ok(if self.0.is_empty() {
                Some(("an array", false))
            } else {
                found
            })
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
            let target = match self.0.first() {
                Some(Segment::Map { key }) => Some(key.as_str()),
                _ => None,
            };
            let mut keys = HashSet::new();
            let mut repeated = false;
            let mut found = None;
            while let Some(key) = map.next_key::<String>()? {
                if target == Some(key.as_str()) && found.is_none() {
                    found = map.next_value_seed(Probe(&self.0[1..]))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
                if self.0.is_empty() && !keys.insert(key) {
                    repeated = true;
                }
            }
            Ok(if self.0.is_empty() {
                Some(("an object", repeated))
            } else {
                found
            })
        }
    }

    /// A reject naming the field (or object) where the model failed.
    fn field_error(input: &[u8]) -> Reject {
        // Parse again (rare path) to learn where it failed: at a field
        // (the path names it), or at an object the model reads (a key
        // in it appears twice, or it is not an object at all).
        let mut de = serde_json::Deserializer::from_slice(input);
        let (path, segments) = match serde_path_to_error::deserialize::<_, Post<'_>>(&mut de) {
            Err(err) => (err.path().to_string(), err.path().iter().cloned().collect()),
            Ok(_) => (String::new(), Vec::new()),
        };
        let mut de = serde_json::Deserializer::from_slice(input);
        let found = Probe(&segments).deserialize(&mut de).ok().flatten();
        // The path names the model's own fields (an error can only
        // arise in a field the model reads), never input text.
        let at = if segments.is_empty() {
            "(record)".to_owned()
        } else {
            path
        };
        // The model reads a struct from an array too (positionally); an
        // error in its first element means the record is an array.
        if let Some(Segment::Seq { .. }) = segments.first() {
            return Reject::WrongType {
                path: "(record)".into(),
                what: "the record must be a JSON object (an array found)".into(),
            };
        }
        match found {
            Some(("an object", true)) => Reject::WrongType {
                path: at,
                what: "a member appears twice".into(),
            },
            Some((kind, _)) if segments.is_empty() => Reject::WrongType {
                path: at,
                what: format!("the record must be a JSON object ({kind} found)"),
            },
            Some((kind, _)) => Reject::WrongType {
                path: at,
                what: format!("wrong type or value ({kind} found)"),
            },
            None => Reject::WrongType {
                path: at,
                what: "wrong type or value".into(),
            },
        }
    }

    match e.classify() {
        // Valid JSON the model cannot hold (a number of 400 digits in a
        // numeric field: serde_json calls that a syntax error): the input
        // itself parses, so it is the field's value that is wrong.
        Category::Syntax if serde_json::from_slice::<IgnoredAny>(input).is_ok() => field_error(input),
        Category::Syntax | Category::Io => Reject::InvalidJson {
            what: "syntax error",
            line: e.line(),
            column: e.column(),
        },
        Category::Eof => Reject::InvalidJson {
            what: "truncated",
            line: e.line(),
            column: e.column(),
        },
        Category::Data => field_error(input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(input: &str) -> Reject {
        parse(input.as_bytes(), &Limits::default()).unwrap_err()
    }

    #[test]
    fn accepts_a_minimal_upsert_and_a_delete() {
        let (_, op) = parse(br#"{"id":"x:1","source":"x"}"#, &Limits::default()).unwrap();
        assert_eq!(op, Op::Upsert);
        let (_, op) = parse(br#"{"id":"x:1","op":"delete"}"#, &Limits::default()).unwrap();
        assert_eq!(op, Op::Delete);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert_eq!(reject(r#"{"source":"x"}"#), Reject::MissingId);
        assert_eq!(reject(r#"{"id":null,"source":"x"}"#), Reject::MissingId);
        assert_eq!(reject(r#"{"id":"x:1"}"#), Reject::MissingSource);
        assert_eq!(reject(r#"{"id":"x:1","op":"purge"}"#).kind(), "invalid_value");
        assert_eq!(reject(r#"{"id":" ","source":"x"}"#).kind(), "invalid_value");
        assert_eq!(reject(r#"{"id":"x:1","source":"x""#).kind(), "invalid_json");
        assert_eq!(
            reject(r#"{"id":"x:1","source":"x"} trailing"#).kind(),
            "invalid_json"
        );
        assert_eq!(reject("[1,2]").kind(), "wrong_type");
        // An array of the right values by position is no record either.
        assert_eq!(reject(r#"["x:1",null,"x"]"#).kind(), "wrong_type");
        assert_eq!(reject(r#" ["x:1","upsert","x"]"#).kind(), "wrong_type");
        assert_eq!(reject("\u{feff}{}").kind(), "invalid_json");
    }

    #[test]
    fn names_the_field_of_the_wrong_type_without_its_value() {
        let r = reject(r#"{"id":"x:1","source":"x","author":{"followers":"Sanne de Vries"}}"#);
        assert_eq!(
            r,
            Reject::WrongType {
                path: "author.followers".into(),
                what: "wrong type or value (a string found)".into()
            }
        );
        assert!(!r.to_string().contains("Sanne"));
        let r = reject(r#"{"id":"x:1","source":"x","media":[{"url":42}]}"#);
        assert_eq!(
            r.to_string(),
            "field `media[0].url`: wrong type or value (a number found)"
        );
        let r = reject(r#"{"id":"x:1","source":"x","author":{"followers":-3}}"#);
        assert_eq!(
            r.to_string(),
            "field `author.followers`: wrong type or value (a number found)"
        );
        let r = reject(r#"{"id":"x:1","source":"x","media":{"url":"https://x/1"}}"#);
        assert_eq!(
            r.to_string(),
            "field `media`: wrong type or value (an object found)"
        );
        let r = reject(r#"{"id":"x:1","source":"x","tags":["a",{"k":"Sanne"}]}"#);
        assert_eq!(
            r.to_string(),
            "field `tags[1]`: wrong type or value (an object found)"
        );
    }

    #[test]
    fn numbers_the_model_cannot_hold_name_their_field() {
        let digits = "9".repeat(400);
        let r = reject(&format!(
            r#"{{"id":"x:1","source":"x","author":{{"followers":{digits}}}}}"#
        ));
        assert_eq!(
            (r.kind(), r.to_string().contains("`author.followers`")),
            ("wrong_type", true),
            "{r}"
        );
        let r = reject(&format!(
            r#"{{"id":"x:1","source":"x","geo":{{"lat":{digits},"lon":1}}}}"#
        ));
        assert_eq!(
            (r.kind(), r.to_string().contains("`geo.lat`")),
            ("wrong_type", true),
            "{r}"
        );
        assert!(!r.to_string().contains("999"), "{r}");
        // In a member the model skips, or as digits it can round, they pass.
        let ok = format!(r#"{{"id":"x:1","source":"x","junk":{digits},"geo":{{"lat":0.{digits},"lon":1}}}}"#);
        assert!(parse(ok.as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn a_record_that_is_no_object_is_named_as_such() {
        for (input, kind) in [
            ("[1,2]", "an array"),
            ("\"Sanne\"", "a string"),
            ("42", "a number"),
            ("null", "null"),
        ] {
            let r = reject(input);
            assert_eq!(
                r,
                Reject::WrongType {
                    path: "(record)".into(),
                    what: format!("the record must be a JSON object ({kind} found)")
                },
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_duplicate_keys() {
        let r = reject(r#"{"id":"x:1","source":"x","text":"a","text":"b"}"#);
        assert_eq!(r.to_string(), "field `(record)`: a member appears twice");
        let r = reject(r#"{"id":"x:1","source":"x","author":{"name":"Sanne","name":"Jan"}}"#);
        assert_eq!(r.to_string(), "field `author`: a member appears twice");
        let r = reject(r#"{"id":"x:1","source":"x","media":[{},{"url":"a","url":"b"}]}"#);
        assert_eq!(r.to_string(), "field `media[1]`: a member appears twice");
        // Unknown members are skipped, repeated or not.
        assert!(
            parse(
                br#"{"id":"x:1","source":"x","junk":1,"junk":2}"#,
                &Limits::default()
            )
            .is_ok()
        );
    }

    #[test]
    fn refuses_records_over_the_size_limit_unread() {
        let limits = Limits {
            max_record_bytes: 10,
            ..Limits::default()
        };
        let r = parse(br#"{"id":"x:1","source":"x"}"#, &limits).unwrap_err();
        assert_eq!(r.kind(), "too_large");
    }

    #[test]
    fn refuses_deep_nesting_even_in_unknown_fields() {
        let deep = format!(
            r#"{{"id":"x:1","source":"x","junk":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(reject(&deep), Reject::TooDeep);
    }

    #[test]
    fn counts_opening_brackets_across_chunks() {
        let input = format!("{}x{}]}}", "[".repeat(300), "{".repeat(300));
        assert_eq!(opening_brackets(input.as_bytes()), 600);
        assert_eq!(opening_brackets(b""), 0);
    }

    #[test]
    fn brackets_inside_strings_do_not_count_as_nesting() {
        let text = format!(
            r#"{{"id":"x:1","source":"x","text":"{}\\\" {}"}}"#,
            "[".repeat(100),
            "{".repeat(100)
        );
        assert!(parse(text.as_bytes(), &Limits::default()).is_ok());
        let ok = format!(
            r#"{{"id":"x:1","source":"x","junk":{}{}}}"#,
            "[".repeat(31),
            "]".repeat(31)
        );
        assert!(parse(ok.as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn refuses_bad_timestamps_and_coordinates() {
        let r = reject(r#"{"id":"x:1","source":"x","published_at":"yesterday"}"#);
        assert_eq!(r.kind(), "invalid_value");
        let r = reject(r#"{"id":"x:1","source":"x","geo":{"lat":91.0,"lon":0}}"#);
        assert_eq!(r.kind(), "invalid_value");
    }

    #[test]
    fn refuses_invalid_utf8_in_known_fields() {
        let mut bytes = br#"{"id":"x:1","source":"x","text":"ab"}"#.to_vec();
        let at = bytes.len() - 3;
        bytes[at] = 0xff;
        assert_eq!(
            parse(&bytes, &Limits::default()).unwrap_err().kind(),
            "invalid_json"
        );
    }
}
