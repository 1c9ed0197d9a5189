//! The shipped rule set: its rule tests pass, the built-in copy is the same
//! set, and bad rule files are refused with file, line and key.

use std::path::Path;

use anoniem::check;
use anoniem::engine::{Engine, Limits};
use anoniem::rules::{self, RulesError};

fn problems(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lists")).unwrap();
    std::fs::write(dir.path().join("lists/pages.txt"), "facebook:1\n").unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    match rules::load(dir.path()) {
        Ok(_) => String::new(),
        Err(e @ RulesError::Invalid(_)) => e.to_string(),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

const ALLOW: &str = "[allow]\nfields = [\"id\", \"text\", \"author.name\"]\n";

#[test]
fn the_shipped_rule_tests_pass() {
    let rules = rules::load(Path::new("rules")).expect("the shipped rules compile");
    let engine = Engine::new(rules, Some(check::test_key()), Limits::default()).unwrap();
    let report = check::run_tests(&engine, Path::new("rules")).expect("the rule tests are readable");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{}: {}", f.name, f.message))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(report.passed >= 30, "only {} rule tests ran", report.passed);
}

#[test]
fn the_built_in_rule_set_is_the_shipped_one() {
    let shipped = rules::load(Path::new("rules")).unwrap();
    let built_in = rules::embedded::default_rules().unwrap();
    assert_eq!(
        shipped.hash, built_in.hash,
        "src/rules/embedded.rs must list every file of rules/"
    );
}

#[test]
fn every_rule_names_its_obligation() {
    let shipped = rules::load(Path::new("rules")).unwrap();
    for rule in &shipped.rules {
        assert!(
            rule.reason.starts_with('P'),
            "rule {} cites no obligation: {}",
            rule.name,
            rule.reason
        );
    }
    let obligations: std::collections::BTreeSet<&str> = shipped
        .rules
        .iter()
        .map(|r| r.reason.split(':').next().unwrap())
        .collect();
    for p in ["P1", "P2", "P4", "P5", "P6", "P7", "P8"] {
        assert!(obligations.contains(p), "no rule for {p}");
    }
}

#[test]
fn unknown_keys_are_refused_with_file_and_line() {
    let err = problems(&[(
        "a.toml",
        &format!("{ALLOW}\n[[rule]]\nname = \"x\"\nreason = \"P1\"\nwehn = {{}}\nactions = []\n"),
    )]);
    assert!(err.starts_with("1 problem(s)"), "{err}");
    assert!(err.contains("a.toml:7: unknown field `wehn`"), "{err}");
}

#[test]
fn a_bad_regex_names_the_rule_and_key() {
    let err = problems(&[(
        "a.toml",
        &format!(
            "{ALLOW}\n[[rule]]\nname = \"spam\"\nreason = \"P3: x\"\nwhen = {{ field = \"text\", matches = \"(unclosed\" }}\nactions = [{{ remove = \"text\" }}]\n"
        ),
    )]);
    assert!(err.contains("a.toml:7"), "{err}");
    assert!(
        err.contains("rule `spam`") && err.contains("when.matches") && err.contains("bad regex"),
        "{err}"
    );
}

#[test]
fn an_unknown_detector_names_the_known_ones() {
    let err = problems(&[(
        "a.toml",
        &format!(
            "{ALLOW}\n[[rule]]\nname = \"r\"\nreason = \"P4: x\"\nactions = [{{ redact = \"text\", detectors = [\"emial\"] }}]\n"
        ),
    )]);
    assert!(
        err.contains("unknown detector `emial`") && err.contains("email"),
        "{err}"
    );
    assert!(err.contains("actions[0].detectors"), "{err}");
}

#[test]
fn a_missing_list_is_refused() {
    let err = problems(&[(
        "a.toml",
        &format!(
            "{ALLOW}\n[lists]\nowned = \"lists/nope.txt\"\n\n[[rule]]\nname = \"r\"\nreason = \"P2: x\"\nwhen = {{ field = \"author.name\", in_list = \"other\" }}\nactions = [{{ remove = \"text\" }}]\n"
        ),
    )]);
    assert!(
        err.contains("lists.owned") && err.contains("cannot read"),
        "{err}"
    );
    assert!(err.contains("no list `other`"), "{err}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = problems(&[(
        "a.toml",
        &format!(
            "{ALLOW}\n[[rule]]\nname = \"a\"\nreason = \"P1\"\nwhen = {{ field = \"autor.id\", exists = true }}\nactions = [{{ tombstone = true }}]\n\n\
             [[rule]]\nname = \"b\"\nreason = \"P5\"\nactions = [{{ coarsen = \"geo\", precision = 0 }}]\n\n\
             [[rule]]\nname = \"c\"\nreason = \"P9\"\nactions = [{{ set = \"id\", value = \"x\" }}]\n"
        ),
    )]);
    assert!(err.starts_with("3 problem(s)"), "{err}");
    assert!(err.contains("unknown field `autor.id`"), "{err}");
    assert!(err.contains("precision"), "{err}");
    assert!(err.contains("`id` cannot be changed"), "{err}");
}

#[test]
fn a_rule_set_without_an_allow_list_is_refused() {
    let err = problems(&[(
        "a.toml",
        "[[rule]]\nname = \"r\"\nreason = \"P1\"\nactions = [{ tombstone = true }]\n",
    )]);
    assert!(err.contains("no [allow] section"), "{err}");
}

#[test]
fn a_list_of_a_million_entries_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lists")).unwrap();
    let mut list = String::with_capacity(30_000_000);
    for i in 0..1_000_000u32 {
        list.push_str(&format!("facebook:1000{i:011}\n"));
    }
    std::fs::write(dir.path().join("lists/erased.txt"), list).unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        format!(
            "{ALLOW}\n[lists]\nerased = \"lists/erased.txt\"\n\n[[rule]]\nname = \"p8\"\nreason = \"P8: x\"\n\
             when = {{ field = \"author.name\", in_list = \"erased\" }}\nactions = [{{ tombstone = true }}]\n"
        ),
    )
    .unwrap();
    // Speed is measured elsewhere; this checks that it loads and looks up right.
    let rules = rules::load(dir.path()).unwrap();
    assert_eq!(rules.lists[0].1.len(), 1_000_000);
    assert!(rules.lists[0].1.contains("facebook", "100000000999999"));
}

#[test]
fn a_placeholder_the_detectors_would_find_is_refused() {
    let text = problems(&[(
        "a.toml",
        &format!("{ALLOW}[placeholders]\nphone = \"[tel 0612345678]\"\nemail = \"[x@example.nl]\"\n"),
    )]);
    assert!(text.contains("placeholders.phone"), "{text}");
    assert!(text.contains("placeholders.email"), "{text}");
    assert!(
        problems(&[(
            "a.toml",
            &format!("{ALLOW}[placeholders]\nphone = \"[telefoon]\"\n")
        )])
        .is_empty()
    );
}

#[test]
fn context_and_names_words_are_checked() {
    let text = problems(&[(
        "a.toml",
        &format!("{ALLOW}[context]\nreference = [\"order nr\"]\n[context.personal]\nname = [\"x\"]\n"),
    )]);
    assert!(text.contains("context.reference"), "{text}");
    assert!(text.contains("context.personal"), "{text}");
    let text = problems(&[(
        "a.toml",
        &format!("{ALLOW}[names]\nfirst_names = [\"missing.txt\"]\ngreetings = [\"hoi daar\"]\n"),
    )]);
    assert!(text.contains("names.first_names"), "{text}");
    assert!(text.contains("names.greetings"), "{text}");
}
