//! `--explain`: per record, which rules changed which fields, and which
//! members of the input the record model dropped. One JSON line each.

use std::io::Write;

use serde::Serialize;

use crate::engine::{Applied, FieldId};

/// Writes the `--explain` line for a record (`applied` from an explaining
/// `Trace`: without one it lists the rules but no changes).
pub fn write_explain(
    line: u64,
    input: &[u8],
    applied: &Applied<'_, '_>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Explained<'r> {
        line: u64,
        id: &'r str,
        outcome: &'static str,
        rules: Vec<&'r str>,
        changes: Vec<ChangeLine<'r>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        dropped: Vec<String>,
    }
    #[derive(Serialize)]
    struct ChangeLine<'r> {
        rule: &'r str,
        field: &'static str,
        change: String,
    }
    let outcome = &applied.outcome;
    let explained = Explained {
        line,
        id: outcome.id(),
        outcome: if outcome.is_tombstone() {
            "tombstone"
        } else {
            "upsert"
        },
        rules: applied.fired_names().collect(),
        changes: applied
            .changes()
            .iter()
            .map(|(r, f, c)| ChangeLine {
                rule: applied.rule_name(*r),
                field: f.path(),
                change: c.to_string(),
            })
            .collect(),
        dropped: unknown_members(input),
    };
    serde_json::to_writer(&mut *out, &explained)?;
    out.write_all(b"\n")
}

/// The members of `input` that are not in the record model: the parser
/// skipped them, so no rule reports them. For `--explain` only (it parses
/// the record a second time).
fn unknown_members(input: &[u8]) -> Vec<String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<String>) {
        let serde_json::Value::Object(map) = value else {
            return;
        };
        for (key, v) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match FieldId::from_path(&path) {
                None => out.push(path),
                Some(FieldId::Media) => {
                    if let serde_json::Value::Array(items) = v {
                        for item in items {
                            walk(&path, item, out);
                        }
                    }
                }
                Some(_) => walk(&path, v, out),
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(input) {
        walk("", &value, &mut out);
    }
    out.sort();
    out.dedup();
    out
}
