//! The generator's JSON writer: one object, member by member, in the order
//! `record` writes them (the contract's order).

use std::io::Write as _;

/// Writes one JSON object member by member; strings are escaped by
/// serde_json.
pub(super) struct Obj<'o> {
    pub(super) out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Obj<'o> {
    pub(super) fn open(out: &'o mut Vec<u8>) -> Obj<'o> {
        out.push(b'{');
        Obj { out, first: true }
    }

    pub(super) fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        json_str(self.out, k);
        self.out.push(b':');
    }

    pub(super) fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        json_str(self.out, v);
    }

    pub(super) fn u64(&mut self, k: &str, v: u64) {
        self.key(k);
        let _ = write!(self.out, "{v}");
    }

    pub(super) fn f64(&mut self, k: &str, v: f64) {
        self.key(k);
        let _ = serde_json::to_writer(&mut *self.out, &v);
    }

    pub(super) fn bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
    }

    pub(super) fn null(&mut self, k: &str) {
        self.key(k);
        self.out.extend_from_slice(b"null");
    }

    pub(super) fn obj(&mut self, k: &str) -> Obj<'_> {
        self.key(k);
        Obj::open(self.out)
    }

    pub(super) fn strs(&mut self, k: &str, vs: &[String]) {
        self.key(k);
        self.out.push(b'[');
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            json_str(self.out, v);
        }
        self.out.push(b']');
    }

    pub(super) fn close(self) {
        self.out.push(b'}');
    }
}

pub(super) fn json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}
