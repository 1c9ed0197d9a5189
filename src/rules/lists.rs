//! Named lists of `source:id` entries (owned pages, erased authors), read
//! from plain text files that the privacy officer and ops maintain, and
//! optionally fed from a compacted Kafka topic as well (see
//! `crate::stream::lists`).
//!
//! A list is the union of its two parts: the file part, compiled with the
//! rule set, and the topic part, a [`Live`] overlay that the stage attaches
//! after compiling and that outlives rule reloads. The engine asks
//! [`List::contains`] once per record: both parts are read without a lock
//! and without allocating.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwap;

/// `source:id` entries, grouped by source so a lookup borrows the
/// record's strings and allocates nothing.
#[derive(Clone, Default)]
pub struct Entries {
    by_source: HashMap<Box<str>, HashSet<Box<str>>>,
    len: usize,
}

impl Entries {
    /// Adds an entry; false if it was there already.
    pub fn insert(&mut self, source: &str, id: &str) -> bool {
        let ids = match self.by_source.get_mut(source) {
            Some(ids) => ids,
            None => self.by_source.entry(source.into()).or_default(),
        };
        let added = ids.insert(id.into());
        self.len += usize::from(added);
        added
    }

    /// Removes an entry; false if it was not there.
    pub fn remove(&mut self, source: &str, id: &str) -> bool {
        let Some(ids) = self.by_source.get_mut(source) else {
            return false;
        };
        let removed = ids.remove(id);
        if ids.is_empty() {
            self.by_source.remove(source);
        }
        self.len -= usize::from(removed);
        removed
    }

    pub fn contains(&self, source: &str, id: &str) -> bool {
        self.by_source.get(source).is_some_and(|ids| ids.contains(id))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_source
            .iter()
            .flat_map(|(s, ids)| ids.iter().map(move |id| (&**s, &**id)))
    }
}

/// The entries are personal data (erased authors): `Debug` shows the count only.
impl std::fmt::Debug for Entries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entries").field("len", &self.len).finish()
    }
}

/// The topic part of a list: an immutable snapshot of the entries present
/// in the topic, replaced as a whole per batch of updates. Cloning shares
/// the same overlay.
#[derive(Clone, Default)]
pub struct Live(Arc<ArcSwap<Entries>>);

impl Live {
    pub fn new() -> Live {
        Live::default()
    }

    /// Reads the current snapshot: an atomic load, no lock, no allocation.
    pub fn contains(&self, source: &str, id: &str) -> bool {
        self.0.load().contains(source, id)
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<Entries> {
        self.0.load_full()
    }

    /// Makes `entries` the topic part, from the next lookup on.
    pub fn publish(&self, entries: Entries) {
        self.0.store(Arc::new(entries));
    }

    pub fn len(&self) -> usize {
        self.0.load().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `other` is this very overlay.
    pub fn same(&self, other: &Live) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live").field("len", &self.len()).finish()
    }
}

/// A loaded list: the file part, and the topic part once attached.
#[derive(Debug, Default)]
pub struct List {
    file: Entries,
    /// Set once, after compiling (and, on a reload, after the rule tests
    /// ran on the file part alone).
    live: OnceLock<Live>,
}

/// A line that is not `source:id`. Carries the line number only: list
/// entries are personal data (erased authors) and stay out of messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
}

/// The topic part was already attached to another overlay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the list already follows another topic overlay")]
pub struct AlreadyAttached;

/// The sizes of a list, by origin (for the metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub file: usize,
    pub topic: usize,
    /// Distinct entries in either part.
    pub total: usize,
}

/// One entry in list syntax, `source:id`: split at the first `:`, both
/// parts trimmed and non-empty (an id may contain `:`, a URL say). The
/// same syntax for a line of a list file and for a key of a list topic.
pub fn parse_entry(text: &str) -> Option<(&str, &str)> {
    let (source, id) = text.split_once(':')?;
    let (source, id) = (source.trim(), id.trim());
    (!source.is_empty() && !id.is_empty()).then_some((source, id))
}

impl List {
    /// Parses the list text: one `source:id` per line; blank lines and lines
    /// starting with `#` are skipped; spaces around either part are trimmed.
    pub fn parse(text: &str) -> Result<List, Vec<BadLine>> {
        let mut list = List::default();
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_entry(line) {
                Some((source, id)) => {
                    list.file.insert(source, id);
                }
                None => bad.push(BadLine { line: i + 1 }),
            }
        }
        if bad.is_empty() { Ok(list) } else { Err(bad) }
    }

    /// On the list: in the file, or currently present in the topic.
    pub fn contains(&self, source: &str, id: &str) -> bool {
        self.file.contains(source, id) || self.live.get().is_some_and(|l| l.contains(source, id))
    }

    /// Attaches the topic part. Attaching the same overlay again is a no-op.
    pub fn attach(&self, live: &Live) -> Result<(), AlreadyAttached> {
        let attached = self.live.get_or_init(|| live.clone());
        if attached.same(live) {
            Ok(())
        } else {
            Err(AlreadyAttached)
        }
    }

    /// The topic part, if attached.
    pub fn live(&self) -> Option<&Live> {
        self.live.get()
    }

    /// The file part.
    pub fn file(&self) -> &Entries {
        &self.file
    }

    /// Entries in the file part (the topic part: [`List::sizes`]).
    pub fn len(&self) -> usize {
        self.file.len()
    }

    pub fn is_empty(&self) -> bool {
        self.file.is_empty()
    }

    /// File, topic and distinct total; walks the topic part once.
    pub fn sizes(&self) -> Sizes {
        let file = self.file.len();
        let Some(live) = self.live.get() else {
            return Sizes {
                file,
                topic: 0,
                total: file,
            };
        };
        let snapshot = live.snapshot();
        let only_topic = snapshot
            .iter()
            .filter(|(s, id)| !self.file.contains(s, id))
            .count();
        Sizes {
            file,
            topic: snapshot.len(),
            total: file + only_topic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_comments_and_blank_lines() {
        let list =
            List::parse("# owned pages\n\nfacebook:fbp-1\n  instagram : ig-2 \nfacebook:fbp-1\n").unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.contains("facebook", "fbp-1"));
        assert!(list.contains("instagram", "ig-2"));
        assert!(!list.contains("instagram", "fbp-1"));
        assert!(!list.contains("facebook", "fbp"));
    }

    #[test]
    fn reports_bad_lines_by_number() {
        let err = List::parse("facebook:1\nno colon here\n:empty-source\nx:\n").unwrap_err();
        assert_eq!(
            err,
            vec![BadLine { line: 2 }, BadLine { line: 3 }, BadLine { line: 4 }]
        );
    }

    #[test]
    fn ids_may_contain_colons() {
        let list = List::parse("news:https://example.nl/a\n").unwrap();
        assert!(list.contains("news", "https://example.nl/a"));
    }

    #[test]
    fn entry_syntax_is_the_file_line_syntax() {
        assert_eq!(parse_entry("twitter:135"), Some(("twitter", "135")));
        assert_eq!(parse_entry(" facebook : 1 "), Some(("facebook", "1")));
        assert_eq!(
            parse_entry("news:https://x.nl/a"),
            Some(("news", "https://x.nl/a"))
        );
        for bad in ["", "twitter", ":135", "twitter:", " : ", "   "] {
            assert_eq!(parse_entry(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn entries_insert_and_remove() {
        let mut e = Entries::default();
        assert!(e.insert("twitter", "1"));
        assert!(!e.insert("twitter", "1"));
        assert!(e.insert("twitter", "2"));
        assert_eq!(e.len(), 2);
        assert!(e.remove("twitter", "1"));
        assert!(!e.remove("twitter", "1"));
        assert!(!e.remove("facebook", "1"));
        assert_eq!(e.len(), 1);
        assert!(e.remove("twitter", "2"));
        assert!(e.is_empty());
        assert!(!e.contains("twitter", "2"));
        // Debug shows no entry.
        e.insert("twitter", "secret-author");
        assert!(!format!("{e:?}").contains("secret-author"));
    }

    #[test]
    fn a_list_is_the_union_of_file_and_topic() {
        let list = List::parse("twitter:file-only\ntwitter:both\n").unwrap();
        let live = Live::new();
        list.attach(&live).unwrap();
        assert!(list.contains("twitter", "file-only"));
        assert!(!list.contains("twitter", "topic-only"));

        let mut topic = Entries::default();
        topic.insert("twitter", "topic-only");
        topic.insert("twitter", "both");
        live.publish(topic.clone());
        assert!(list.contains("twitter", "topic-only"));
        assert!(list.contains("twitter", "file-only"));
        assert_eq!(
            list.sizes(),
            Sizes {
                file: 2,
                topic: 2,
                total: 3
            }
        );

        // A tombstone in the topic removes the topic part only: the file
        // entry stays on the list.
        topic.remove("twitter", "both");
        topic.remove("twitter", "topic-only");
        live.publish(topic);
        assert!(!list.contains("twitter", "topic-only"));
        assert!(list.contains("twitter", "both"));
        assert_eq!(list.sizes().total, 2);
    }

    #[test]
    fn an_overlay_is_shared_and_attached_once() {
        let (a, b) = (List::default(), List::default());
        let live = Live::new();
        a.attach(&live).unwrap();
        b.attach(&live).unwrap();
        // The same overlay again: fine; another one: refused.
        assert_eq!(a.attach(&live), Ok(()));
        assert_eq!(a.attach(&Live::new()), Err(AlreadyAttached));
        let mut e = Entries::default();
        e.insert("forum", "x");
        live.publish(e);
        assert!(a.contains("forum", "x") && b.contains("forum", "x"));
        assert_eq!(List::default().sizes().topic, 0);
    }
}
