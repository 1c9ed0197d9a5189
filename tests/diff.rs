//! `anoniem diff`: a known rule change, reported record by record, with the
//! exit status a CI job on the rules repository can rely on.

use std::path::Path;
use std::process::{Command, Output};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_anoniem");

fn diff(old: &Path, new: &Path) -> Output {
    Command::new(BIN)
        .args(["diff", "--now", "2026-11-25T12:00:00Z", "--rules"])
        .arg(old)
        .arg("--rules-new")
        .arg(new)
        .arg("samples/posts.ndjson")
        .env_remove("ANONIEM_PSEUDONYM_KEY")
        .output()
        .expect("run anoniem diff")
}

fn changed_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(Path::new("rules"), dir.path());
    let base = dir.path().join("00-base.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    // Another placeholder for phone numbers, and Facebook posts kept ten years.
    let text = text
        .replace("phone = \"[phone]\"", "phone = \"[telefoon]\"")
        .replace("facebook = \"1y\"", "facebook = \"10y\"");
    std::fs::write(&base, text).unwrap();
    dir
}

#[test]
fn the_same_rules_change_nothing_and_exit_0() {
    let out = diff(Path::new("rules"), Path::new("rules"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 changed"));
}

#[test]
fn a_rule_change_is_reported_record_by_record_and_exits_1() {
    let new = changed_rules();
    let out = diff(Path::new("rules"), new.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Every record with a phone number: its text changes.
    let text_changed: Vec<&str> = lines
        .iter()
        .filter(|l| {
            l["fields"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["field"] == "text"))
        })
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        text_changed,
        [
            "facebook:1234567890123456",
            "facebook:2234567890123456",
            "instagram:17900000000000001",
            "linkedin:7250000000000000001"
        ]
    );
    // The expired Facebook post stops being a tombstone: P7 no longer fires.
    let expired = lines
        .iter()
        .find(|l| l["before"] == "tombstone")
        .expect("a record stops being a tombstone");
    assert_eq!(expired["after"], "upsert");
    assert_eq!(expired["rules_before"], serde_json::json!(["p7-retention"]));
    // No values unless asked for.
    assert!(lines.iter().all(|l| !l.to_string().contains("\"before\":\"bel")));
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("5 changed"), "{summary}");
    assert!(summary.contains("1 stop being tombstones"), "{summary}");
    assert!(summary.contains("rule p7-retention: 1 -> 0  *"), "{summary}");
}

#[test]
fn a_broken_rule_set_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), "[[rule]]\nname = 1\n").unwrap();
    let out = diff(Path::new("rules"), dir.path());
    assert_eq!(out.status.code(), Some(2));
}
