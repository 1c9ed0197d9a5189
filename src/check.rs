//! `anoniem check`: the rule tests kept with the rules (`tests/*.toml` in
//! the rules directory), run against the compiled rule set, so ops can
//! change a rule and prove it.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::engine::{Engine, Outcome, PseudonymKey, Trace};
use crate::model::write::WriteJson;
use crate::rules::error::Reporter;
use crate::rules::raw::{RawTest, RawTestFile};
use crate::rules::{RulesError, toml_files};

/// The key rule tests pseudonymise with, so expected pseudonyms are
/// stable. Public on purpose: production keys come from the environment.
pub const TEST_KEY_SECRET: &[u8] = b"anoniem rule tests: not a secret";

pub fn test_key() -> PseudonymKey {
    // The constant is longer than the minimum length.
    PseudonymKey::from_secret(TEST_KEY_SECRET).unwrap_or_else(|_| unreachable!())
}

/// One rule test that did not pass.
#[derive(Debug)]
pub struct Failure {
    pub file: PathBuf,
    pub line: usize,
    pub name: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub passed: usize,
    pub failures: Vec<Failure>,
}

/// Runs every test file in `dir/tests`. Problems in the test files
/// themselves (bad TOML, an unreadable input) are errors, not failures.
pub fn run_tests(engine: &Engine, dir: &Path) -> Result<Report, RulesError> {
    let tests_dir = dir.join("tests");
    let mut report = Report::default();
    if !tests_dir.is_dir() {
        return Ok(report);
    }
    let mut problems = Vec::new();
    for path in toml_files(&tests_dir)? {
        let text = fs::read_to_string(&path).map_err(|source| RulesError::Io {
            path: path.clone(),
            source,
        })?;
        let mut rep = Reporter::new(&path, &text);
        match toml::from_str::<RawTestFile>(&text) {
            Ok(file) => {
                let file_now = file.now.as_ref().map(|n| (n.span(), n.get_ref().as_str()));
                for test in &file.tests {
                    let line = rep.line_of(test.span().start);
                    let t = test.get_ref();
                    let now = t
                        .now
                        .as_ref()
                        .map(|n| (n.span(), n.get_ref().as_str()))
                        .or(file_now.clone());
                    let Some((span, now)) = now else {
                        rep.at(
                            test.span(),
                            "now",
                            "a test needs `now` (in the test or at the top of the file)",
                        );
                        continue;
                    };
                    let Ok(now) = now.parse::<Timestamp>() else {
                        rep.at(span, "now", "not an RFC 3339 timestamp");
                        continue;
                    };
                    match run_one(engine, t, now) {
                        Ok(()) => report.passed += 1,
                        Err(message) => report.failures.push(Failure {
                            file: path.clone(),
                            line,
                            name: t.name.clone(),
                            message,
                        }),
                    }
                }
            }
            Err(e) => rep.at(e.span().unwrap_or(0..0), "", e.message().trim().to_owned()),
        }
        problems.append(&mut rep.problems);
    }
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(RulesError::Invalid(problems))
    }
}

fn run_one(engine: &Engine, t: &RawTest, now: Timestamp) -> Result<(), String> {
    let expectations = [t.output.is_some(), t.tombstone, t.rejected.is_some()];
    if expectations.iter().filter(|e| **e).count() != 1 {
        return Err("a test expects exactly one of: output, tombstone = true, rejected".into());
    }
    let mut trace = Trace::default();
    let result = engine.apply(t.input.trim().as_bytes(), now, &mut trace);
    let applied = match (result, &t.rejected) {
        // A rejected record comes out nowhere: no rules changed an output.
        (Err(_), Some(_)) if t.fired.is_some() => {
            return Err("`fired` cannot be checked on a rejected record; drop it from this test".into());
        }
        (Err(r), Some(kind)) if r.kind() == kind => return Ok(()),
        (Err(r), _) => return Err(format!("rejected ({}): {r}", r.kind())),
        (Ok(_), Some(kind)) => {
            return Err(format!("expected a rejection ({kind}), got a record"));
        }
        (Ok(applied), None) => applied,
    };
    match (&applied.outcome, &t.output) {
        (Outcome::Tombstone { .. }, None) => {}
        (Outcome::Tombstone { rule, .. }, Some(_)) => {
            return Err(format!(
                "expected a record, got a tombstone by rule `{}`",
                applied.rule_name(*rule)
            ));
        }
        (Outcome::Upsert(_), None) => {
            return Err("expected a tombstone, got a record".into());
        }
        (Outcome::Upsert(post), Some(expected)) => {
            let expected: serde_json::Value =
                serde_json::from_str(expected).map_err(|e| format!("`output` is not valid JSON: {e}"))?;
            let mut got = Vec::new();
            post.write_json(&mut got);
            let got: serde_json::Value =
                serde_json::from_slice(&got).map_err(|e| format!("output is not valid JSON: {e}"))?;
            if got != expected {
                return Err(format!(
                    "output differs\n    expected: {expected}\n    got:      {got}"
                ));
            }
        }
    }
    if let Some(want) = &t.fired {
        let mut got: Vec<&str> = applied.fired_names().collect();
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            return Err(format!(
                "fired rules differ\n    expected: {want:?}\n    got:      {got:?}"
            ));
        }
    }
    Ok(())
}
