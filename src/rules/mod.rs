//! Rule files: the on-disk format ([`raw`]), `compile()` into an immutable
//! [`RuleSet`], and the lists they refer to. The rule tests that `anoniem
//! check` runs live in `crate::check`.
//!
//! A rule set is a directory: every `*.toml` file directly in it, in name
//! order, plus the list and dictionary files they name (paths relative to
//! the directory), plus rule tests in `tests/*.toml`.

pub mod compile;
pub mod compiled;
mod duration;
pub mod embedded;
pub mod error;
pub mod lists;
pub mod raw;

use std::fs;
use std::path::{Path, PathBuf};

pub use compile::{SourceFile, compile};
pub use compiled::RuleSet;
pub use error::{Problem, RulesError};

/// Reads and compiles the rule set in `dir`.
pub fn load(dir: &Path) -> Result<RuleSet, RulesError> {
    let files = toml_files(dir)?
        .into_iter()
        .map(|path| read(&path).map(|text| SourceFile { path, text }))
        .collect::<Result<Vec<_>, _>>()?;
    if files.is_empty() {
        return Err(RulesError::Invalid(vec![Problem {
            file: dir.to_path_buf(),
            line: None,
            rule: None,
            key: None,
            message: "no rule files (*.toml) in this directory".into(),
        }]));
    }
    compile(&files, &mut |p: &Path| fs::read_to_string(dir.join(p)))
}

/// The `*.toml` files directly in `dir`, sorted by name.
pub fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, RulesError> {
    let io = |source| RulesError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, RulesError> {
    fs::read_to_string(path).map_err(|source| RulesError::Io {
        path: path.to_path_buf(),
        source,
    })
}
