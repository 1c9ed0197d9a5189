//! The `anoniem` binary as users run it: file mode, `check`, and `demo`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_anoniem");
const TEST_KEY: &str = "anoniem rule tests: not a secret";
const NOW: &str = "2026-11-25T12:00:00Z";

fn anonymise(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .arg("anonymise")
        .args(["--rules", "rules", "--now", NOW, "--quiet"])
        .args(args)
        .env("ANONIEM_PSEUDONYM_KEY", TEST_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run anoniem");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("anoniem finishes");
    writer.join().unwrap();
    out
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_sample_posts_come_out_as_the_golden_file_says() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.ndjson");
    let out = anonymise(
        &["--errors", errors.to_str().unwrap(), "samples/posts.ndjson"],
        b"",
    );
    // Three sample lines are bad on purpose: the exit status says so.
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let golden = std::fs::read_to_string("tests/golden/samples.out.ndjson").unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), golden);
    let golden_errors = std::fs::read_to_string("tests/golden/samples.errors.ndjson").unwrap();
    assert_eq!(std::fs::read_to_string(errors).unwrap(), golden_errors);
}

#[test]
fn one_output_line_per_record_in_input_order_on_any_number_of_threads() {
    let mut input = Vec::new();
    for record in anoniem::corpus::generate(20_000, 7) {
        input.extend_from_slice(&record);
        input.push(b'\n');
    }
    let one = anonymise(&["--threads", "1"], &input);
    let four = anonymise(&["--threads", "4"], &input);
    assert!(one.status.success() && four.status.success());
    assert_eq!(lines(&one.stdout).len(), 20_000);
    assert!(
        one.stdout == four.stdout,
        "4 threads give the same output, in the same order"
    );
}

#[test]
fn bad_lines_are_rejected_with_their_number_and_the_rest_goes_on() {
    let input = concat!(
        "{\"id\":\"forum:1\",\"source\":\"forum\",\"text\":\"bel 0612345678\"}\r\n",
        "\n",
        "{\"id\":\"forum:2\",\"source\":\"forum\",\"text\":\"",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "\"}\n",
        "{\"id\":\"forum:3\",\"source\":\"forum\",\"author\":{\"name\":7}}\n",
        "{\"id\":\"forum:4\",\"source\":\"forum\"}\n",
    );
    let out = anonymise(&["--max-record-bytes", "80"], input.as_bytes());
    assert_eq!(out.status.code(), Some(3));
    let stdout = lines(&out.stdout);
    assert_eq!(
        stdout,
        vec![
            r#"{"id":"forum:1","source":"forum","text":"bel [phone]"}"#,
            r#"{"id":"forum:4","source":"forum"}"#
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(r#""line":3,"kind":"too_large""#), "{stderr}");
    assert!(stderr.contains(r#""line":4,"kind":"wrong_type""#), "{stderr}");
    assert!(!stderr.contains("0612345678"), "no record content in errors");
}

#[test]
fn explain_says_which_rules_changed_which_fields() {
    let input = br#"{"id":"instagram:1","source":"instagram","kind":"comment","page":{"id":"igp-1"},"author":{"id":"9","name":"An"},"text":"Bel 0612345678","device":{"os":"x"}}"#;
    let out = anonymise(&["--explain", "-"], input);
    assert!(out.status.success());
    let explain: serde_json::Value = serde_json::from_str(lines(&out.stderr).last().unwrap()).unwrap();
    assert_eq!(explain["line"], 1);
    assert_eq!(explain["rules"], serde_json::json!(["p2-anonymous-commenter"]));
    assert_eq!(explain["dropped"], serde_json::json!(["device"]));
    let changes = explain["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "text" && c["change"] == "redacted phone")
    );
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "author.name" && c["change"] == "set")
    );
}

#[test]
fn without_a_key_the_rules_that_need_one_stop_it_at_start() {
    let out = Command::new(BIN)
        .args(["anonymise", "--rules", "rules", "samples/posts.ndjson"])
        .env_remove("ANONIEM_PSEUDONYM_KEY")
        .env_remove("ANONIEM_PSEUDONYM_KEY_FILE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing comes out");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ANONIEM_PSEUDONYM_KEY") && stderr.contains("p2-anonymous-commenter"),
        "{stderr}"
    );
}

#[test]
fn a_short_key_is_refused() {
    let out = Command::new(BIN)
        .args(["anonymise", "--rules", "rules", "samples/posts.ndjson"])
        .env("ANONIEM_PSEUDONYM_KEY", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16 bytes"));
}

#[test]
fn check_passes_on_the_shipped_rules_and_fails_on_a_broken_set() {
    let ok = Command::new(BIN)
        .args(["check", "--rules", "rules"])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("0 failed"));

    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(Path::new("rules"), dir.path());
    let broken = std::fs::read_to_string(dir.path().join("20-anonymise.toml"))
        .unwrap()
        .replace("precision = 0.1", "precision = 0.1, precisoin = 1");
    std::fs::write(dir.path().join("20-anonymise.toml"), broken).unwrap();
    let bad = Command::new(BIN)
        .args(["check", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("20-anonymise.toml:") && stderr.contains("precisoin"),
        "{stderr}"
    );
}

#[test]
fn check_fails_when_a_rule_change_breaks_a_rule_test() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(Path::new("rules"), dir.path());
    let changed = std::fs::read_to_string(dir.path().join("20-anonymise.toml"))
        .unwrap()
        .replace("value = \"Anonieme gebruiker\"", "value = \"Anoniem\"");
    std::fs::write(dir.path().join("20-anonymise.toml"), changed).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("FAIL") && stdout.contains("P2:"), "{stdout}");
}

#[test]
fn the_demo_runs_the_sample_through_an_embedded_broker_and_ends() {
    let out = Command::new(BIN)
        .arg("demo")
        .current_dir(std::env::temp_dir())
        .env("ANONIEM_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("in-process Kafka broker at 127.0.0.1:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("19 records in; out: 12 sanitised, 4 tombstones; 3 to the dead-letter topic"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("06-12345678"),
        "the demo shows sanitised records only"
    );
    // The sweeper: its clock moves to the end of the oldest live Facebook
    // item's year (a comment published 2026-11-20T10:15:00Z), and its
    // tombstone for that item is read back from the output topic.
    assert!(
        stdout.contains("anoniem demo: the sweeper's clock moves from ")
            && stdout.contains(
                " to 2027-11-20T10:15:00Z, when the retention of facebook:1234567890123456 runs out"
            ),
        "{stdout}"
    );
    let swept: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("(tombstone: removed by the sweeper"))
        .collect();
    assert_eq!(
        swept,
        [
            "facebook:1234567890123456  (tombstone: removed by the sweeper, sweep-retention: published 2026-11-20T10:15:00Z, its retention ran out at 2027-11-20T10:15:00Z)"
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("3 to the dead-letter topic; 1 removed by the sweeper; stage read 19"),
        "{stdout}"
    );
}

/// The rows of the README's bad-input table that file mode meets: each
/// record is refused (or passes) as the table says, and the lines around
/// it go on.
mod bad_input {
    use super::*;

    fn run(input: &[u8]) -> (Vec<String>, Vec<serde_json::Value>, Option<i32>) {
        let dir = tempfile::tempdir().unwrap();
        let errors = dir.path().join("errors.ndjson");
        let out = anonymise(&["--errors", errors.to_str().unwrap(), "-"], input);
        let errors = std::fs::read_to_string(errors).unwrap_or_default();
        let errors = errors.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        (lines(&out.stdout), errors, out.status.code())
    }

    const BEFORE: &str = r#"{"id":"forum:before","source":"forum"}"#;
    const AFTER: &str = r#"{"id":"forum:after","source":"forum"}"#;

    /// `record` between two good lines: the output lines, and the one error.
    fn between(record: &[u8]) -> (Vec<String>, Vec<serde_json::Value>) {
        let mut input = format!("{BEFORE}\n").into_bytes();
        input.extend_from_slice(record);
        input.extend_from_slice(format!("\n{AFTER}\n").as_bytes());
        let (out, errors, code) = run(&input);
        assert_eq!(out.first().map(String::as_str), Some(BEFORE));
        assert_eq!(out.last().map(String::as_str), Some(AFTER));
        assert_eq!(code, Some(if errors.is_empty() { 0 } else { 3 }));
        (out, errors)
    }

    fn one_error(errors: &[serde_json::Value], kind: &str) -> String {
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0]["line"], 2);
        assert_eq!(errors[0]["kind"], kind, "{errors:?}");
        errors[0]["reason"].as_str().unwrap().to_owned()
    }

    #[test]
    fn a_record_of_10_mb_is_too_large_and_never_held_whole() {
        let record = format!(
            r#"{{"id":"forum:big","source":"forum","text":"{}"}}"#,
            "jan@example.nl ".repeat(700_000)
        );
        assert!(record.len() > 10_000_000);
        let (out, errors) = between(record.as_bytes());
        assert_eq!(out.len(), 2);
        let reason = one_error(&errors, "too_large");
        assert!(reason.contains("over the limit of 1048576"), "{reason}");
    }

    #[test]
    fn nesting_100000_deep_is_too_deep() {
        let record = format!(
            r#"{{"id":"forum:deep","source":"forum","junk":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (_, errors) = between(record.as_bytes());
        one_error(&errors, "too_deep");
        // Also inside a known field, with objects.
        let record = format!(
            r#"{{"id":"forum:deep","source":"forum","author":{}{}}}"#,
            r#"{"a":"#.repeat(100_000),
            "}".repeat(100_000)
        );
        let (_, errors) = between(record.as_bytes());
        one_error(&errors, "too_deep");
    }

    #[test]
    fn a_raw_nul_byte_is_invalid_json_an_escaped_one_is_text() {
        let (_, errors) = between(b"{\"id\":\"forum:nul\",\"source\":\"forum\",\"text\":\"a\0b\"}");
        let reason = one_error(&errors, "invalid_json");
        assert!(reason.contains("column 45"), "{reason}");
        // JSON allows \u0000 in a string: it stays escaped, and what is around it is still read.
        let (out, errors) =
            between(br#"{"id":"forum:nul","source":"forum","text":"mail\u0000jan@example.nl\u0000"}"#);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            out[1],
            r#"{"id":"forum:nul","source":"forum","text":"mail\u0000[email]\u0000"}"#
        );
    }

    #[test]
    fn numbers_of_400_digits() {
        let digits = "9".repeat(400);
        // In a numeric field the model reads: refused, naming the field.
        let record = format!(r#"{{"id":"forum:n","source":"forum","metrics":{{"likes":{digits}}}}}"#);
        let (_, errors) = between(record.as_bytes());
        let reason = one_error(&errors, "wrong_type");
        assert!(
            reason.contains("`metrics.likes`") && !reason.contains("999"),
            "{reason}"
        );
        let record = format!(r#"{{"id":"forum:n","source":"forum","geo":{{"lat":{digits},"lon":4}}}}"#);
        let (_, errors) = between(record.as_bytes());
        let reason = one_error(&errors, "wrong_type");
        assert!(reason.contains("`geo.lat`"), "{reason}");
        // In a member outside the contract: dropped. As digits of a
        // coordinate: rounded. As text: text (no detector takes 400 digits).
        let record = format!(
            r#"{{"id":"forum:n","source":"forum","junk":{digits},"geo":{{"lat":0.{digits},"lon":4}},"text":"{digits}"}}"#
        );
        let (out, errors) = between(record.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            out[1],
            format!(r#"{{"id":"forum:n","source":"forum","text":"{digits}","geo":{{"lat":1.0,"lon":4.0}}}}"#)
        );
    }

    #[test]
    fn a_bom_at_the_start_of_the_stream_refuses_the_first_record_only() {
        let input = format!("\u{feff}{BEFORE}\n{AFTER}\n");
        let (out, errors, code) = run(input.as_bytes());
        assert_eq!(out, vec![AFTER.to_owned()]);
        assert_eq!(code, Some(3));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0]["line"], 1);
        assert_eq!(errors[0]["kind"], "invalid_json");
        assert_eq!(
            errors[0]["reason"],
            "not valid JSON (syntax error) at line 1, column 1"
        );
    }
}
