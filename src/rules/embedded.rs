//! The default rule set, built into the binary, so `anoniem demo` runs
//! from anywhere. `rules/` in the repository is the same set (a test checks
//! that the hashes agree).

use std::io;
use std::path::{Path, PathBuf};

use super::{RuleSet, RulesError, SourceFile, compile};

const RULE_FILES: &[(&str, &str)] = &[
    ("00-base.toml", include_str!("../../rules/00-base.toml")),
    ("10-remove.toml", include_str!("../../rules/10-remove.toml")),
    ("20-anonymise.toml", include_str!("../../rules/20-anonymise.toml")),
];

const REFERENCED: &[(&str, &str)] = &[
    (
        "lists/owned_pages.txt",
        include_str!("../../rules/lists/owned_pages.txt"),
    ),
    (
        "lists/erased_authors.txt",
        include_str!("../../rules/lists/erased_authors.txt"),
    ),
    ("lists/names.txt", include_str!("../../rules/lists/names.txt")),
    (
        "lists/first_names.txt",
        include_str!("../../rules/lists/first_names.txt"),
    ),
    (
        "lists/surnames.txt",
        include_str!("../../rules/lists/surnames.txt"),
    ),
    (
        "lists/name_exceptions.txt",
        include_str!("../../rules/lists/name_exceptions.txt"),
    ),
    (
        "lists/not_names.txt",
        include_str!("../../rules/lists/not_names.txt"),
    ),
];

/// Compiles the built-in default rule set.
pub fn default_rules() -> Result<RuleSet, RulesError> {
    let files: Vec<SourceFile> = RULE_FILES
        .iter()
        .map(|(name, text)| SourceFile {
            path: PathBuf::from("rules").join(name),
            text: (*text).to_owned(),
        })
        .collect();
    compile(&files, &mut |p: &Path| {
        REFERENCED
            .iter()
            .find(|(name, _)| Path::new(name) == p)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not part of the built-in rule set"))
    })
}
