//! Logs: JSON lines on request, no colour codes when stderr is no terminal,
//! and no record content at any level, trace included.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_anoniem");

fn demo(format: &str) -> Output {
    Command::new(BIN)
        .args(["--log-format", format, "demo"])
        .env("RUST_LOG", "trace")
        .output()
        .expect("run anoniem demo")
}

/// What identifies someone in the sample posts: the author fields, and
/// every token of the free text with a digit or an `@` in it.
fn personal_values() -> Vec<String> {
    let mut out = Vec::new();
    for line in std::fs::read_to_string("samples/posts.ndjson").unwrap().lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        for f in ["id", "name", "handle", "profile_url"] {
            if let Some(s) = v["author"][f].as_str().filter(|s| s.len() >= 5) {
                out.push(s.to_owned());
            }
        }
        for f in ["title", "text"] {
            for token in v[f].as_str().unwrap_or("").split_whitespace() {
                let t = token.trim_matches(|c: char| !c.is_alphanumeric());
                if t.len() >= 6 && t.chars().any(|c| c.is_ascii_digit() || c == '@') {
                    out.push(t.to_owned());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn trace_logs_hold_no_personal_data_and_json_lines_parse() {
    let out = demo("json");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let logs = String::from_utf8(out.stderr).expect("utf-8 logs");
    assert!(logs.lines().count() > 20, "trace level logs something");
    for line in logs.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(v["level"].is_string() && v["timestamp"].is_string(), "{line}");
    }
    assert!(!logs.contains('\u{1b}'), "no colour codes in JSON logs");
    let values = personal_values();
    assert!(values.len() > 10, "the samples hold personal data ({values:?})");
    for v in &values {
        assert!(!logs.contains(v.as_str()), "{v:?} is in the logs");
    }
}

#[test]
fn human_logs_have_no_colour_codes_off_a_terminal() {
    let out = demo("human");
    assert!(out.status.success());
    let logs = String::from_utf8_lossy(&out.stderr);
    assert!(!logs.is_empty());
    assert!(!logs.contains('\u{1b}'), "colour codes in logs written to a pipe");
}
