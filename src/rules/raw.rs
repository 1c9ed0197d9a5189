//! The on-disk rule format: serde structs that mirror the TOML files one to
//! one. Nothing here is checked beyond TOML syntax and known keys; that is
//! `compile()`'s job, which reports every problem with file, line and key.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// One rule file (`rules/*.toml`). Every section is optional; the singleton
/// sections (`allow`, `placeholders`, `retention`, `lists`, `dictionary`,
/// `context`, `names`) may appear in one file of the set only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub allow: Option<Spanned<RawAllow>>,
    pub placeholders: Option<Spanned<BTreeMap<Spanned<String>, String>>>,
    pub retention: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub lists: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub dictionary: Option<Spanned<RawDictionary>>,
    pub context: Option<Spanned<RawContext>>,
    pub names: Option<Spanned<RawNames>>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllow {
    pub fields: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDictionary {
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
}

/// The lexicons of the `person` detector (see `detect::NameLists`): list
/// files relative to the rule directory, one entry per line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNames {
    #[serde(default)]
    pub first_names: Vec<Spanned<String>>,
    #[serde(default)]
    pub surnames: Vec<Spanned<String>>,
    /// `word<TAB>alone|always` lines.
    #[serde(default)]
    pub exceptions: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_names: Vec<Spanned<String>>,
    #[serde(default)]
    pub greetings: Vec<Spanned<String>>,
    #[serde(default)]
    pub titles: Vec<Spanned<String>>,
}

/// The context words the detectors consult (see `detect::Cues`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    #[serde(default)]
    pub reference: Vec<Spanned<String>>,
    /// Per detector kind: labels naming that kind of personal data.
    #[serde(default)]
    pub personal: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    pub joiners: Vec<Spanned<String>>,
    #[serde(default)]
    pub conjunctions: Vec<Spanned<String>>,
    #[serde(default)]
    pub mail_domains: Vec<Spanned<String>>,
    #[serde(default)]
    pub version: Vec<Spanned<String>>,
    #[serde(default)]
    pub email_at: Vec<Spanned<String>>,
    #[serde(default)]
    pub email_dot: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_postcode: Vec<Spanned<String>>,
    #[serde(default)]
    pub house_number: Vec<Spanned<String>>,
    #[serde(default)]
    pub particles: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub name: Spanned<String>,
    pub reason: Spanned<String>,
    /// Absent: the rule applies to every record.
    pub when: Option<Spanned<RawCond>>,
    pub actions: Spanned<Vec<Spanned<RawAction>>>,
}

/// A string or a list of strings (`source = "facebook"` or `source = ["facebook", "instagram"]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// A condition table. All keys given in one table must hold (AND);
/// `any`/`not` build the rest.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCond {
    /// Shortcuts for `field = "source" | "kind" | "visibility", equals = ...`.
    pub source: Option<Spanned<OneOrMany>>,
    pub kind: Option<Spanned<OneOrMany>>,
    pub visibility: Option<Spanned<OneOrMany>>,

    /// The field the predicates below test.
    pub field: Option<Spanned<String>>,
    pub equals: Option<Spanned<toml::Value>>,
    pub exists: Option<Spanned<bool>>,
    pub matches: Option<Spanned<String>>,
    pub in_list: Option<Spanned<String>>,
    pub older_than: Option<Spanned<String>>,

    pub all: Option<Vec<Spanned<RawCond>>>,
    pub any: Option<Vec<Spanned<RawCond>>>,
    pub not: Option<Box<Spanned<RawCond>>>,
}

/// An action table: exactly one verb, with its options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub set: Option<Spanned<String>>,
    pub value: Option<Spanned<toml::Value>>,

    pub clear: Option<Spanned<OneOrMany>>,
    pub remove: Option<Spanned<OneOrMany>>,
    pub pseudonymise: Option<Spanned<OneOrMany>>,

    pub redact: Option<Spanned<OneOrMany>>,
    pub detectors: Option<Spanned<Vec<String>>>,
    pub terms_from: Option<Spanned<Vec<String>>>,

    pub coarsen: Option<Spanned<OneOrMany>>,
    pub precision: Option<Spanned<f64>>,

    pub tombstone: Option<Spanned<bool>>,
}

/// A rule-test file (`rules/tests/*.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTestFile {
    /// The clock for every test in the file unless a test sets its own.
    pub now: Option<Spanned<String>>,
    #[serde(default, rename = "test")]
    pub tests: Vec<Spanned<RawTest>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTest {
    pub name: String,
    pub now: Option<Spanned<String>>,
    /// The input record, as JSON.
    pub input: String,
    /// The expected output record, as JSON; or `tombstone = true`; or
    /// `rejected = "<reason kind>"`.
    pub output: Option<String>,
    #[serde(default)]
    pub tombstone: bool,
    pub rejected: Option<String>,
    /// When given: exactly the rules that must have changed the record.
    pub fired: Option<Vec<String>>,
}
