//! Named lists of `source:id` entries (owned pages, erased authors), read
//! from plain text files that the privacy officer and ops maintain.

use std::collections::{HashMap, HashSet};

/// A loaded list, grouped by source so a lookup borrows the record's strings
/// and allocates nothing.
#[derive(Debug, Default)]
pub struct List {
    by_source: HashMap<Box<str>, HashSet<Box<str>>>,
    len: usize,
}

/// A line that is not `source:id`. Carries the line number only: list
/// entries are personal data (erased authors) and stay out of messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
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
            match line.split_once(':') {
                Some((source, id)) if !source.trim().is_empty() && !id.trim().is_empty() => {
                    list.insert(source.trim(), id.trim());
                }
                _ => bad.push(BadLine { line: i + 1 }),
            }
        }
        if bad.is_empty() { Ok(list) } else { Err(bad) }
    }

    fn insert(&mut self, source: &str, id: &str) {
        let ids = match self.by_source.get_mut(source) {
            Some(ids) => ids,
            None => self.by_source.entry(source.into()).or_default(),
        };
        if ids.insert(id.into()) {
            self.len += 1;
        }
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
}
