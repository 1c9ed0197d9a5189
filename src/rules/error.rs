//! Errors of loading and compiling a rule set: every problem found, each
//! with file, line and key, so ops can fix them all in one go.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based; `None` when the problem is about the file as a whole.
    pub line: Option<usize>,
    /// The rule the problem is in, if any.
    pub rule: Option<String>,
    /// The key the problem is at (`when.matches`, `actions[2].detectors`, ...).
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(":")?;
        if let Some(rule) = &self.rule {
            write!(f, " rule `{rule}`:")?;
        }
        if let Some(key) = &self.key {
            write!(f, " key `{key}`:")?;
        }
        write!(f, " {}", self.message)
    }
}

/// A rule set that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} problem(s) in the rule files:\n{}", .0.len(), Problems(.0))]
    Invalid(Vec<Problem>),
}

struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Collects problems for one file; turns byte spans into line numbers.
pub struct Reporter<'s> {
    file: PathBuf,
    text: &'s str,
    rule: Option<String>,
    pub problems: Vec<Problem>,
}

impl<'s> Reporter<'s> {
    pub fn new(file: &Path, text: &'s str) -> Self {
        Reporter {
            file: file.to_path_buf(),
            text,
            rule: None,
            problems: Vec::new(),
        }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Problems reported from now on belong to this rule.
    pub fn in_rule(&mut self, rule: Option<&str>) {
        self.rule = rule.map(str::to_owned);
    }

    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// A problem at a byte span of the file.
    pub fn at(&mut self, span: std::ops::Range<usize>, key: &str, message: impl Into<String>) {
        let line = Some(self.line_of(span.start));
        self.problems.push(Problem {
            file: self.file.clone(),
            line,
            rule: self.rule.clone(),
            key: (!key.is_empty()).then(|| key.to_owned()),
            message: message.into(),
        });
    }

    /// A problem about the file as a whole.
    pub fn whole(&mut self, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.clone(),
            line: None,
            rule: None,
            key: None,
            message: message.into(),
        });
    }
}
