//! What the sweeper decides, pure: when an item's retention runs out (the
//! rule set's `[retention]`, by source, by `published_at`, on the calendar
//! in UTC exactly as the stage's `older_than = "retention"`), and whether
//! its author is on the erasure list (raw id, or the pseudonym the stage
//! made of it with the same key).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::engine::PseudonymKey;
use crate::engine::pseudonym::is_pseudonym;
use crate::rules::RuleSet;
use crate::rules::lists::{Entries, List};

use super::store::{ERASED, Item};

/// The policy cannot be built from this rule set.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("the rule set has no list `{0}` in [lists] (the erasure list the sweeper reads)")]
    NoList(String),
    #[error("cannot read the rule file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the rule file {path} is not TOML")]
    Toml { path: PathBuf },
    #[error(
        "the erasure list read by the sweeper does not agree with the rule set's ({read} entries read, {compiled} compiled)"
    )]
    Mismatch { read: usize, compiled: usize },
    #[error(
        "the rule set pseudonymises (rule `{0}`): the sweeper needs the same pseudonym key to find erased commenters"
    )]
    MissingKey(String),
}

/// The retention spans and the erasure list, as the sweeper applies them.
pub struct Policy {
    retention: HashMap<String, jiff::Span>,
    erasure: Erasure,
    /// BLAKE3 of the rule set (for the tombstones' `anoniem-rules` header).
    pub rules_hash: String,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("retention", &self.retention)
            .field("erased", &self.erasure.len())
            .finish_non_exhaustive()
    }
}

/// Per source, the 128 bits of the pseudonyms of erased ids.
type Pseudonyms = HashMap<String, HashSet<[u8; 16]>>;

/// The erasure list: raw `source:id` entries (the compiled list of the rule
/// set) and, per source, the pseudonyms of those ids under the key; and the
/// same for the entries of the list's topic, if the sweeper follows one.
struct Erasure {
    list: List,
    pseudonyms: Pseudonyms,
    topic: Entries,
    topic_pseudonyms: Pseudonyms,
    /// Of the file part and the key; `version` adds the topic part.
    file_version: String,
    version: String,
}

impl Erasure {
    fn len(&self) -> usize {
        let only_topic = self
            .topic
            .iter()
            .filter(|(s, i)| !self.list.contains(s, i))
            .count();
        self.list.len() + only_topic
    }
}

/// The pseudonyms the stage makes of `entries` with `key`.
fn pseudonyms_of<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    key: Option<&PseudonymKey>,
) -> Pseudonyms {
    let mut out: Pseudonyms = HashMap::new();
    if let Some(key) = key {
        for (source, id) in entries {
            if let Some(bits) = pseudonym_bits(&key.pseudonym(source, id)) {
                out.entry(source.to_owned()).or_default().insert(bits);
            }
        }
    }
    out
}

impl Policy {
    /// Builds the policy from a loaded rule set (`rules::load(dir)`, as
    /// `anoniem run` loads it), its directory (to enumerate the erasure
    /// list `list_name`), and the pseudonym key.
    pub fn new(
        rules: RuleSet,
        dir: &Path,
        list_name: &str,
        key: Option<&PseudonymKey>,
    ) -> Result<Policy, PolicyError> {
        if rules.list_id(list_name).is_none() {
            return Err(PolicyError::NoList(list_name.to_owned()));
        }
        let text = list_text(dir, list_name)?;
        Policy::from_rule_set(rules, &text, list_name, key)
    }

    /// As [`Policy::new`], with the text of the erasure list given instead
    /// of read from the rule directory (the built-in rule set of `anoniem
    /// demo`). The text must hold the entries the rule set compiled.
    pub fn from_rule_set(
        mut rules: RuleSet,
        text: &str,
        list_name: &str,
        key: Option<&PseudonymKey>,
    ) -> Result<Policy, PolicyError> {
        let id = rules
            .list_id(list_name)
            .ok_or_else(|| PolicyError::NoList(list_name.to_owned()))?;
        let (_, list) = rules.lists.swap_remove(id);
        let entries = entries(text);
        // The compiled list is what the stage checks; the sweeper enumerates
        // the same file for the pseudonyms. Both must agree.
        let distinct: HashSet<(&str, &str)> = entries.iter().copied().collect();
        if distinct.len() != list.len() || !distinct.iter().all(|(s, i)| list.contains(s, i)) {
            return Err(PolicyError::Mismatch {
                read: distinct.len(),
                compiled: list.len(),
            });
        }
        if key.is_none()
            && let Some(rule) = &rules.needs_key
        {
            return Err(PolicyError::MissingKey(rule.clone()));
        }
        let pseudonyms = pseudonyms_of(distinct.iter().copied(), key);
        let mut version = blake3::Hasher::new();
        version.update(text.as_bytes());
        if let Some(key) = key {
            // Which key: a pseudonym of a fixed probe (public anyway: the
            // stage publishes pseudonyms), never the key.
            version.update(key.pseudonym("anoniem", "sweep-probe").as_bytes());
        }
        let version = version.finalize().to_hex()[..16].to_owned();
        Ok(Policy {
            retention: std::mem::take(&mut rules.retention),
            erasure: Erasure {
                list,
                pseudonyms,
                topic: Entries::default(),
                topic_pseudonyms: HashMap::new(),
                file_version: version.clone(),
                version,
            },
            rules_hash: rules.hash.clone(),
        })
    }

    /// A policy from parts, for tests (and `anoniem demo`, to tell the due
    /// times of what it prints).
    pub fn from_parts(
        retention: HashMap<String, jiff::Span>,
        erasure_list: &str,
        key: Option<&PseudonymKey>,
    ) -> Policy {
        let list = List::parse(erasure_list).unwrap_or_default();
        let version = blake3::hash(erasure_list.as_bytes()).to_hex()[..16].to_owned();
        Policy {
            retention,
            erasure: Erasure {
                list,
                pseudonyms: pseudonyms_of(entries(erasure_list), key),
                topic: Entries::default(),
                topic_pseudonyms: HashMap::new(),
                file_version: version.clone(),
                version,
            },
            rules_hash: String::new(),
        }
    }

    /// Makes `entries` (those of the erasure list's topic) part of the
    /// erasure list, in place of the topic entries set before. The version
    /// changes with them, so every item is checked again; it is the same
    /// for the same entries, whatever order they were read in.
    pub fn set_topic_entries(&mut self, entries: Entries, key: Option<&PseudonymKey>) {
        let e = &mut self.erasure;
        e.topic_pseudonyms = pseudonyms_of(entries.iter(), key);
        e.version = if entries.is_empty() {
            e.file_version.clone()
        } else {
            let mut sorted: Vec<(&str, &str)> = entries.iter().collect();
            sorted.sort_unstable();
            let mut h = blake3::Hasher::new();
            h.update(e.file_version.as_bytes());
            for (source, id) in sorted {
                h.update(b"\n");
                h.update(source.as_bytes());
                h.update(b":");
                h.update(id.as_bytes());
            }
            h.finalize().to_hex()[..16].to_owned()
        };
        e.topic = entries;
    }

    /// When the tombstone of an item of `source` published at `published`
    /// (ns) is due by retention: `published_at` + the source's span on the
    /// calendar (UTC); never for a source without one.
    pub fn retention_due(&self, source: &str, published: Option<i128>) -> Option<i128> {
        let span = self.retention.get(source)?;
        let ts = Timestamp::from_nanosecond(published?).ok()?;
        let expires = ts.to_zoned_datetime(TimeZone::UTC).checked_add(*span).ok()?;
        Some(expires.timestamp().as_nanosecond())
    }

    /// Whether author key `source:id` (raw or pseudonym) is erased.
    pub fn is_erased(&self, author: &str) -> bool {
        let Some((source, id)) = author.split_once(':') else {
            return false;
        };
        let e = &self.erasure;
        if is_pseudonym(id) {
            pseudonym_bits(id).is_some_and(|bits| {
                [&e.pseudonyms, &e.topic_pseudonyms]
                    .iter()
                    .any(|p| p.get(source).is_some_and(|set| set.contains(&bits)))
            })
        } else {
            e.list.contains(source, id) || e.topic.contains(source, id)
        }
    }

    /// The due time of an item: [`ERASED`] for an erased author, else by retention.
    pub fn due(&self, item: &Item) -> Option<i128> {
        if item.author.as_deref().is_some_and(|a| self.is_erased(a)) {
            Some(ERASED)
        } else {
            self.retention_due(&item.source, item.published)
        }
    }

    /// The version of the erasure list (and key) in force.
    pub fn erasure_version(&self) -> &str {
        &self.erasure.version
    }

    pub fn erased_entries(&self) -> usize {
        self.erasure.len()
    }

    /// Names the retention spans, to tell when due times must be recomputed.
    pub fn retention_fingerprint(&self) -> String {
        let mut pairs: Vec<String> = self
            .retention
            .iter()
            .map(|(source, span)| format!("{source}={span}"))
            .collect();
        pairs.sort();
        pairs.join(",")
    }

    /// Reads one record value of the output topic into what the store
    /// keeps; `None` when it is not a JSON object the sweeper can read.
    pub fn item(&self, value: &[u8]) -> Option<Item> {
        let rec: OutRecord = serde_json::from_slice(value).ok()?;
        let source = rec.source.unwrap_or_default();
        let published = rec
            .published_at
            .and_then(|t| t.parse::<Timestamp>().ok())
            .map(|t| t.as_nanosecond());
        let author = rec
            .author
            .and_then(|a| a.id)
            .filter(|id| !id.is_empty())
            .map(|id| format!("{source}:{id}"));
        let mut item = Item {
            source,
            published,
            author,
            due: None,
        };
        item.due = self.due(&item);
        Some(item)
    }
}

/// The members of an output record the sweeper reads; the rest is skipped.
#[derive(Deserialize)]
struct OutRecord {
    source: Option<String>,
    published_at: Option<String>,
    author: Option<OutAuthor>,
}

#[derive(Deserialize)]
struct OutAuthor {
    id: Option<String>,
}

/// The 128 bits of an `anon-` pseudonym.
fn pseudonym_bits(p: &str) -> Option<[u8; 16]> {
    let hex = p.strip_prefix("anon-")?.as_bytes();
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let digit = |b: u8| (b as char).to_digit(16);
        out[i] = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
    }
    Some(out)
}

/// The list file's entries as `List::parse` reads them: one `source:id`
/// per line, trimmed; blank lines and `#` comments skipped.
fn entries(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(s, i)| (s.trim(), i.trim()))
        .filter(|(s, i)| !s.is_empty() && !i.is_empty())
        .collect()
}

/// The text of list `name`: its path from the `[lists]` section of the
/// rule set's files, relative to the rule directory.
fn list_text(dir: &Path, name: &str) -> Result<String, PolicyError> {
    let files = crate::rules::toml_files(dir).map_err(|_| PolicyError::NoList(name.to_owned()))?;
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|source| PolicyError::Read {
            path: path.clone(),
            source,
        })?;
        let table: toml::Table = text
            .parse()
            .map_err(|_| PolicyError::Toml { path: path.clone() })?;
        let Some(file) = table
            .get("lists")
            .and_then(|l| l.get(name))
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        let list_path = dir.join(file);
        return std::fs::read_to_string(&list_path).map_err(|source| PolicyError::Read {
            path: list_path,
            source,
        });
    }
    Err(PolicyError::NoList(name.to_owned()))
}

/// The list file of `name` in the rule set at `dir`, to watch for changes.
pub fn list_path(dir: &Path, name: &str) -> Option<PathBuf> {
    for path in crate::rules::toml_files(dir).ok()? {
        let table: toml::Table = std::fs::read_to_string(&path).ok()?.parse().ok()?;
        if let Some(file) = table
            .get("lists")
            .and_then(|l| l.get(name))
            .and_then(|v| v.as_str())
        {
            return Some(dir.join(file));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(t: &str) -> i128 {
        t.parse::<Timestamp>().unwrap().as_nanosecond()
    }

    fn key() -> PseudonymKey {
        PseudonymKey::from_secret(b"a test key of enough length").unwrap()
    }

    fn policy(list: &str) -> Policy {
        let mut retention = HashMap::new();
        retention.insert("facebook".to_owned(), "1y".parse::<jiff::Span>().unwrap());
        retention.insert("x".to_owned(), jiff::Span::new().days(30));
        Policy::from_parts(retention, list, Some(&key()))
    }

    #[test]
    fn retention_is_a_calendar_span_from_published_at_in_utc() {
        let p = policy("");
        let due = |s, t| p.retention_due(s, Some(ns(t)));
        assert_eq!(
            due("facebook", "2025-03-01T10:00:00Z"),
            Some(ns("2026-03-01T10:00:00Z"))
        );
        // A leap day plus a calendar year is the last day of February.
        assert_eq!(
            due("facebook", "2024-02-29T23:30:00Z"),
            Some(ns("2025-02-28T23:30:00Z"))
        );
        // The offset is read, the calendar is UTC's.
        assert_eq!(
            due("facebook", "2025-01-01T00:30:00+01:00"),
            Some(ns("2025-12-31T23:30:00Z"))
        );
        assert_eq!(due("x", "2026-01-31T00:00:00Z"), Some(ns("2026-03-02T00:00:00Z")));
        assert_eq!(
            due("tiktok", "2000-01-01T00:00:00Z"),
            None,
            "no retention for the source"
        );
        assert_eq!(p.retention_due("facebook", None), None, "no published_at");
    }

    #[test]
    fn the_due_time_agrees_with_the_stages_older_than() {
        // The stage tombstones when published_at + span <= now: the same
        // instant is due here.
        let p = policy("");
        let published = ns("2025-06-15T08:00:00.123456789Z");
        let due = p.retention_due("facebook", Some(published)).unwrap();
        assert_eq!(due, ns("2026-06-15T08:00:00.123456789Z"));
    }

    #[test]
    fn reads_only_what_it_needs_from_an_output_record() {
        let p = policy("");
        let item = p
            .item(br#"{"id":"facebook:1","source":"facebook","published_at":"2025-01-01T00:00:00Z","author":{"id":"100","name":"Jan"},"text":"x"}"#)
            .unwrap();
        assert_eq!(item.source, "facebook");
        assert_eq!(item.author.as_deref(), Some("facebook:100"));
        assert_eq!(item.due, Some(ns("2026-01-01T00:00:00Z")));
        let bare = p.item(br#"{"id":"news:1","source":"news"}"#).unwrap();
        assert_eq!((bare.author, bare.due, bare.published), (None, None, None));
        assert!(p.item(b"not json").is_none());
        assert!(p.item(b"[1,2]").is_none());
        let bad_time = p
            .item(br#"{"source":"facebook","published_at":"yesterday"}"#)
            .unwrap();
        assert_eq!(bad_time.due, None);
    }

    #[test]
    fn topic_entries_join_the_file_and_change_the_version() {
        let mut p = policy("facebook:100\n");
        let file_version = p.erasure_version().to_owned();
        let pseudonym = key().pseudonym("instagram", "200");
        assert!(!p.is_erased("instagram:200"));
        assert!(!p.is_erased(&format!("instagram:{pseudonym}")));

        let mut topic = Entries::default();
        topic.insert("instagram", "200");
        topic.insert("facebook", "100");
        p.set_topic_entries(topic.clone(), Some(&key()));
        assert!(p.is_erased("instagram:200") && p.is_erased("facebook:100"));
        assert!(p.is_erased(&format!("instagram:{pseudonym}")));
        assert_eq!(p.erased_entries(), 2, "an entry in both parts counts once");
        let with_topic = p.erasure_version().to_owned();
        assert_ne!(with_topic, file_version);

        // The same entries read in another order: the same version.
        let mut again = Entries::default();
        again.insert("facebook", "100");
        again.insert("instagram", "200");
        p.set_topic_entries(again, Some(&key()));
        assert_eq!(p.erasure_version(), with_topic);

        // Removed from the topic: off the list (the file entry stays).
        p.set_topic_entries(Entries::default(), Some(&key()));
        assert!(!p.is_erased("instagram:200") && p.is_erased("facebook:100"));
        assert!(!p.is_erased(&format!("instagram:{pseudonym}")));
        assert_eq!(p.erasure_version(), file_version);
    }

    #[test]
    fn erased_authors_are_found_by_raw_id_and_by_pseudonym() {
        let p = policy("# erased\nfacebook:100\ninstagram:200\n");
        assert!(p.is_erased("facebook:100"));
        assert!(!p.is_erased("facebook:1000"));
        assert!(!p.is_erased("instagram:100"));
        let anon = key().pseudonym("instagram", "200");
        assert!(p.is_erased(&format!("instagram:{anon}")));
        // The pseudonym covers source and id.
        assert!(!p.is_erased(&format!("facebook:{anon}")));
        let other = key().pseudonym("instagram", "201");
        assert!(!p.is_erased(&format!("instagram:{other}")));
        let item = p
            .item(format!(r#"{{"source":"instagram","author":{{"id":"{anon}"}}}}"#).as_bytes())
            .unwrap();
        assert_eq!(item.due, Some(ERASED));
    }

    #[test]
    fn versions_change_with_the_list_and_fingerprints_with_retention() {
        let (a, b) = (policy("facebook:1\n"), policy("facebook:1\nfacebook:2\n"));
        assert_ne!(a.erasure_version(), b.erasure_version());
        assert_eq!(a.retention_fingerprint(), "facebook=P1Y,x=P30D");
    }

    #[test]
    fn pseudonym_bits_read_only_the_pseudonym_shape() {
        assert!(pseudonym_bits(&key().pseudonym("a", "b")).is_some());
        assert!(pseudonym_bits("anon-xyz").is_none());
        assert!(pseudonym_bits("anon-0123456789abcdef0123456789abcdeg").is_none());
    }

    #[test]
    fn the_default_rule_set_builds_a_policy() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let rules = crate::rules::load(&dir).unwrap();
        let p = Policy::new(rules, &dir, "erased_authors", Some(&key())).unwrap();
        assert_eq!(p.retention_fingerprint(), "facebook=P1Y");
        assert!(p.retention_due("facebook", Some(0)).is_some());
        let rules = crate::rules::load(&dir).unwrap();
        let err = Policy::new(rules, &dir, "no_such_list", Some(&key())).unwrap_err();
        assert!(matches!(err, PolicyError::NoList(_)), "{err}");
        let rules = crate::rules::load(&dir).unwrap();
        let err = Policy::new(rules, &dir, "erased_authors", None).unwrap_err();
        assert!(matches!(err, PolicyError::MissingKey(_)), "{err}");
    }

    #[test]
    fn the_built_in_rule_set_with_its_list_text_is_the_same_policy() {
        // `anoniem demo`'s path: no directory, the list's text given.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let text = std::fs::read_to_string(dir.join("lists/erased_authors.txt")).unwrap();
        let built_in = crate::rules::embedded::default_rules().unwrap();
        let a = Policy::from_rule_set(built_in, &text, "erased_authors", Some(&key())).unwrap();
        let b = Policy::new(
            crate::rules::load(&dir).unwrap(),
            &dir,
            "erased_authors",
            Some(&key()),
        )
        .unwrap();
        assert_eq!(a.erasure_version(), b.erasure_version());
        assert_eq!(a.retention_fingerprint(), b.retention_fingerprint());
        assert_eq!(a.rules_hash, b.rules_hash);
        // A text that is not the compiled list is refused.
        let built_in = crate::rules::embedded::default_rules().unwrap();
        let err =
            Policy::from_rule_set(built_in, "facebook:1\n", "erased_authors", Some(&key())).unwrap_err();
        assert!(matches!(err, PolicyError::Mismatch { .. }), "{err}");
    }
}
