//! The record model as JSON: byte for byte what `serde_json::to_writer`
//! writes for the model's `Serialize` derive (the tests compare the two),
//! but strings without a byte to escape are copied as they are.
//!
//! serde_json checks every byte of every string against its escape table,
//! one byte at a time; output strings mostly come straight from the input
//! and need no escape, and a branch-free check of that is much cheaper.

use super::slot::{Slot, Text};

/// Appends the JSON of a model value to `out`.
pub trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>);
}

impl WriteJson for Text<'_> {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_str(out, self.as_str());
    }
}

impl WriteJson for u64 {
    fn write_json(&self, out: &mut Vec<u8>) {
        // serde_json's own number formatting; writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, self);
    }
}

impl WriteJson for f64 {
    fn write_json(&self, out: &mut Vec<u8>) {
        let _ = serde_json::to_writer(&mut *out, self);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl<T: WriteJson> WriteJson for Slot<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Slot::Value(v) => v.write_json(out),
            // As `Serialize for Slot`; struct members that are absent are
            // skipped before this is reached.
            Slot::Null | Slot::Absent => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_json(out);
        }
        out.push(b']');
    }
}

/// A JSON object written member by member; members whose slot is absent
/// are skipped, as `skip_serializing_if = "Slot::is_absent"` does.
pub struct ObjectWriter<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> ObjectWriter<'o> {
    pub fn open(out: &'o mut Vec<u8>) -> ObjectWriter<'o> {
        out.push(b'{');
        ObjectWriter { out, first: true }
    }

    /// `name` is a field name of the model: plain ASCII, never escaped.
    pub fn member<T: WriteJson>(&mut self, name: &str, slot: &Slot<T>) {
        if slot.is_absent() {
            return;
        }
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        slot.write_json(self.out);
    }

    pub fn close(self) {
        self.out.push(b'}');
    }
}

/// A JSON string. Exactly the bytes serde_json escapes (control bytes, `"`
/// and `\`) send it to serde_json; anything else is copied.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

fn needs_escape(bytes: &[u8]) -> bool {
    // Branch-free OR over 64-byte chunks vectorises; `any` per byte does not.
    let dirty = |chunk: &[u8]| {
        chunk
            .iter()
            .fold(false, |acc, &b| acc | (b < 0x20) | (b == b'"') | (b == b'\\'))
    };
    bytes.chunks(64).any(dirty)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::engine::parse::parse;
    use crate::engine::{Engine, Limits, Outcome, Post, Trace};

    #[test]
    fn strings_match_serde_json_for_every_byte_that_matters() {
        let mut cases: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "Sanne de Vries ❤️ €12,50".into(),
            "quote \" backslash \\ slash / del \u{7f} ls \u{2028}".into(),
            "x".repeat(200) + "\n",
        ];
        for b in 0u8..0x80 {
            cases.push(format!("a{}b", char::from(b)));
        }
        for s in cases {
            let mut ours = Vec::new();
            write_str(&mut ours, &s);
            assert_eq!(ours, serde_json::to_vec(&s).unwrap(), "{s:?}");
            let mut via_text = Vec::new();
            Text(Cow::Borrowed(&s)).write_json(&mut via_text);
            assert_eq!(via_text, ours);
        }
    }

    #[test]
    fn numbers_and_slots_match_serde_json() {
        for x in [0.0, -0.0, 51.4, 1e300, -1.5e-7, f64::MAX] {
            let mut ours = Vec::new();
            Slot::Value(x).write_json(&mut ours);
            assert_eq!(ours, serde_json::to_vec(&x).unwrap());
        }
        for n in [0, 7, u64::MAX] {
            let mut ours = Vec::new();
            n.write_json(&mut ours);
            assert_eq!(ours, serde_json::to_vec(&n).unwrap());
        }
        let mut ours = Vec::new();
        Slot::<bool>::Null.write_json(&mut ours);
        assert_eq!(ours, b"null");
    }

    fn assert_same(post: &Post<'_>) {
        let mut ours = Vec::new();
        post.write_json(&mut ours);
        let theirs = serde_json::to_vec(post).unwrap();
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
    }

    #[test]
    fn records_match_serde_json_parsed_and_sanitised() {
        let crafted = [
            r#"{"id":"x:1","source":"x"}"#,
            r#"{"id":"x:\"1\"","op":null,"source":"x","title":null,"text":"tab\there \u00e9 \ud83d\ude00 \/","page":null}"#,
            r#"{"id":"x:1","source":"x","author":{},"geo":{"lat":-0.0,"lon":180,"place":null},"media":[],"tags":[]}"#,
            r#"{"id":"x:1","source":"x","media":[{"type":"image"},{},{"url":"u\n"}],"tags":["a","b\"c"],"metrics":{"likes":0,"comments":null}}"#,
            r#"{"kind":"post","id":"x:1","source":"x","author":{"verified":false,"followers":18446744073709551615,"name":"N"}}"#,
        ];
        for input in crafted {
            let (post, _) = parse(input.as_bytes(), &Limits::default()).unwrap();
            assert_same(&post);
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let engine = Engine::new(
            crate::rules::load(&dir).unwrap(),
            Some(crate::check::test_key()),
            Limits::default(),
        )
        .unwrap();
        let mut trace = Trace::default();
        for record in crate::corpus::generate(2_000, 11) {
            let (post, _) = parse(&record, &Limits::default()).unwrap();
            assert_same(&post);
            if let Ok(Outcome::Upsert(post)) = engine
                .apply(&record, crate::corpus::bench_now(), &mut trace)
                .map(|a| a.outcome)
            {
                assert_same(&post);
            }
        }
    }
}
