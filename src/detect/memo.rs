//! A memo of short texts in which the detectors found nothing.
//!
//! Page names, places and tags repeat from record to record (every comment
//! on a page carries the page's name), and on such short strings the fixed
//! cost of the detectors is most of their cost. A text found clean for a
//! set of kinds is clean again: detection is a pure function of the
//! compiled rules, the kinds asked for and the text. Per-record terms are
//! not part of the key: the caller looks for them first, and a text where
//! none occurs reads as if there were none.
//!
//! Only clean results are kept, each with its text in full, so a look-up
//! never answers for another text (no trust in the hash alone). One
//! direct-mapped table per thread; a new text simply takes its slot.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use super::KindSet;

/// Texts up to this many bytes are kept.
pub(super) const MAX_LEN: usize = 64;

/// Slots per thread (a power of two): ~90 KB.
const SLOTS: usize = 1024;

/// A fresh owner id for each compiled detector set, so that slots of one
/// rule set never answer for another (reload, `anoniem diff`).
pub(super) fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[derive(Clone, Copy)]
struct Slot {
    /// 0: empty (owner ids start at 1).
    owner: u64,
    hash: u64,
    only: KindSet,
    len: u8,
    text: [u8; MAX_LEN],
}

const EMPTY: Slot = Slot {
    owner: 0,
    hash: 0,
    only: KindSet::empty(),
    len: 0,
    text: [0; MAX_LEN],
};

struct Memo {
    slots: Box<[Slot]>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo {
        slots: vec![EMPTY; SLOTS].into_boxed_slice(),
    });
}

/// What identifies a text's result.
pub(super) struct Key<'t> {
    owner: u64,
    hash: u64,
    only: KindSet,
    text: &'t [u8],
}

impl<'t> Key<'t> {
    /// `None` for a text too long (or empty) to be kept.
    pub(super) fn new(owner: u64, only: KindSet, text: &'t str) -> Option<Key<'t>> {
        let text = text.as_bytes();
        if text.is_empty() || text.len() > MAX_LEN {
            return None;
        }
        let hash = rustc_hash::FxBuildHasher.hash_one(text);
        Some(Key {
            owner,
            hash,
            only,
            text,
        })
    }

    fn slot(&self) -> usize {
        // The high bits: FxHash mixes them best.
        (self.hash >> 54) as usize % SLOTS
    }

    fn matches(&self, s: &Slot) -> bool {
        s.owner == self.owner
            && s.hash == self.hash
            && s.only == self.only
            && s.text.get(..usize::from(s.len)) == Some(self.text)
    }
}

/// Whether `key`'s text was found clean before (on this thread).
pub(super) fn is_clean(key: &Key<'_>) -> bool {
    MEMO.with(|m| {
        m.try_borrow()
            .ok()
            .and_then(|m| m.slots.get(key.slot()).map(|s| key.matches(s)))
            .unwrap_or(false)
    })
}

/// Notes that `key`'s text holds nothing of its kinds.
pub(super) fn note_clean(key: &Key<'_>) {
    MEMO.with(|m| {
        let Ok(mut m) = m.try_borrow_mut() else { return };
        let (Some(slot), Ok(len)) = (m.slots.get_mut(key.slot()), u8::try_from(key.text.len())) else {
            return;
        };
        let mut text = [0; MAX_LEN];
        text[..key.text.len()].copy_from_slice(key.text);
        *slot = Slot {
            owner: key.owner,
            hash: key.hash,
            only: key.only,
            len,
            text,
        };
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Kind;

    #[test]
    fn answers_only_for_the_same_text_kinds_and_owner() {
        let owner = next_owner();
        let kinds = KindSet::content();
        let key = Key::new(owner, kinds, "Coolblue").unwrap();
        assert!(!is_clean(&key));
        note_clean(&key);
        assert!(is_clean(&Key::new(owner, kinds, "Coolblue").unwrap()));
        assert!(!is_clean(&Key::new(owner, kinds, "coolblue").unwrap()));
        assert!(!is_clean(
            &Key::new(owner, kinds.union(Kind::Person.into()), "Coolblue").unwrap()
        ));
        assert!(!is_clean(&Key::new(next_owner(), kinds, "Coolblue").unwrap()));
        assert!(Key::new(owner, kinds, "").is_none());
        assert!(Key::new(owner, kinds, &"x".repeat(MAX_LEN + 1)).is_none());
        assert!(Key::new(owner, kinds, &"x".repeat(MAX_LEN)).is_some());
    }
}
