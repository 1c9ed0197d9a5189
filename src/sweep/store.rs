//! The sweeper's state store: per partition of the output topic, every
//! live item's id with its due time and author key, an index by due time, an
//! index by author, and the next offset to read. One redb file; every batch
//! of records is one write transaction that also moves the partition's
//! offset, so after a crash the items and the offset they were read up to
//! always agree.
//!
//! The store holds no record content beyond what the sweeper needs: the
//! source, `published_at`, and the author key (the raw `author.id` or the
//! `anon-...` pseudonym the stage published), prefixed with the source.

use std::path::{Path, PathBuf};

use redb::{Database, Durability, ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};

/// Due time of an item whose author is on the erasure list: before every
/// real due time, so the due index hands erasures out first.
pub const ERASED: i128 = i128::MIN;

/// An item as stored: (source, published_at ns, author key, due ns).
type ItemRow = (&'static str, Option<i128>, Option<&'static str>, Option<i128>);
/// (partition, id) -> [`ItemRow`].
const ITEMS: TableDefinition<(u32, &str), ItemRow> = TableDefinition::new("items");
/// (partition, due ns, id): the items that have a due time, in due order.
const DUE: TableDefinition<(u32, i128, &str), ()> = TableDefinition::new("due");
/// (partition, author key, id).
const AUTHORS: TableDefinition<(u32, &str, &str), ()> = TableDefinition::new("authors");
/// partition -> (next offset to read, live items, erasure-list version the
/// partition's items were last checked against).
const PARTS: TableDefinition<u32, (u64, u64, &str)> = TableDefinition::new("partitions");
/// Store-wide facts: the topic it mirrors, the retention it computed due times with.
const META: TableDefinition<&str, &str> = TableDefinition::new("meta");

const META_TOPIC: &str = "topic";
const META_RETENTION: &str = "retention";

/// The store failed. Messages name the file and the operation, never an
/// item's id or author.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the store directory {path}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the store {path} (is another sweeper using it?)")]
    Open {
        path: PathBuf,
        #[source]
        source: Box<redb::DatabaseError>,
    },
    #[error("the store {path} mirrors topic `{has}`, not `{wanted}`: use another directory, or --rebuild")]
    OtherTopic {
        path: PathBuf,
        has: String,
        wanted: String,
    },
    #[error("store {op} failed")]
    Db {
        op: &'static str,
        #[source]
        source: Box<redb::Error>,
    },
}

fn db<E: Into<redb::Error>>(op: &'static str) -> impl FnOnce(E) -> StoreError {
    move |e| StoreError::Db {
        op,
        source: Box::new(e.into()),
    }
}

/// What the sweeper keeps of one live item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The record's `source` (as the stage wrote it: lower case).
    pub source: String,
    /// `published_at` in nanoseconds since the epoch, if the record had one.
    pub published: Option<i128>,
    /// `source:author.id` (raw id or pseudonym), if the record had an author id.
    pub author: Option<String>,
    /// When its tombstone is due (ns), [`ERASED`] for an erased author, or
    /// never.
    pub due: Option<i128>,
}

/// One record of the output topic, as the store applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A live item under this id (an upsert).
    Upsert { id: String, item: Item },
    /// The id is gone: a tombstone, or an upsert the sweeper cannot read
    /// (which replaced whatever was there on the compacted topic).
    Delete { id: String },
    /// A record without a key: nothing to track, only the offset moves.
    Skip,
}

/// A record at its place in the topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub partition: u32,
    pub offset: u64,
    pub change: Change,
}

/// An item whose tombstone is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub id: String,
    pub due: i128,
    pub author: Option<String>,
    pub source: String,
    pub published: Option<i128>,
}

/// What a partition's state is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartState {
    /// The next offset to read: every record before it is applied.
    pub next_offset: u64,
    pub items: u64,
    /// The erasure-list version its items were last checked against.
    pub erasure_version: String,
}

/// The on-disk store. Cheap to share (`&Store`) between the consumer's
/// rebalance callback and the loop: both run on the same thread.
pub struct Store {
    db: Database,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Items read or changed per write transaction in the whole-store passes.
const CHUNK: usize = 10_000;

impl Store {
    /// Opens (or creates) `dir/sweep.redb`, with at most `cache_bytes` of
    /// page cache, for the output topic `topic`.
    pub fn open(dir: &Path, cache_bytes: usize, topic: &str) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join("sweep.redb");
        let db = Database::builder()
            .set_cache_size(cache_bytes)
            .create(&path)
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source: Box::new(source),
            })?;
        let store = Store { db, path };
        store.init(topic)?;
        Ok(store)
    }

    fn init(&self, topic: &str) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            // Create every table, so that readers never miss one.
            tx.open_table(ITEMS).map_err(db("open items"))?;
            tx.open_table(DUE).map_err(db("open due"))?;
            tx.open_table(AUTHORS).map_err(db("open authors"))?;
            tx.open_table(PARTS).map_err(db("open partitions"))?;
            let mut meta = tx.open_table(META).map_err(db("open meta"))?;
            let has = meta
                .get(META_TOPIC)
                .map_err(db("read meta"))?
                .map(|v| v.value().to_owned());
            match has {
                Some(has) if has != topic => {
                    return Err(StoreError::OtherTopic {
                        path: self.path.clone(),
                        has,
                        wanted: topic.to_owned(),
                    });
                }
                Some(_) => {}
                None => {
                    meta.insert(META_TOPIC, topic).map_err(db("write meta"))?;
                }
            }
        }
        tx.commit().map_err(db("commit"))
    }

    fn write(&self) -> Result<WriteTransaction, StoreError> {
        let mut tx = self.db.begin_write().map_err(db("begin write"))?;
        // fsync on commit: a committed offset survives a crash with its items.
        tx.set_durability(Durability::Immediate);
        Ok(tx)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store file's size in bytes.
    pub fn file_bytes(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// Live items in all partitions.
    pub fn items(&self) -> Result<u64, StoreError> {
        let tx = self.db.begin_read().map_err(db("begin read"))?;
        let t = tx.open_table(ITEMS).map_err(db("open items"))?;
        t.len().map_err(db("count items"))
    }

    /// The state of partition `p`, if the store has one.
    pub fn partition(&self, p: u32) -> Result<Option<PartState>, StoreError> {
        let tx = self.db.begin_read().map_err(db("begin read"))?;
        let t = tx.open_table(PARTS).map_err(db("open partitions"))?;
        Ok(t.get(p).map_err(db("read partition"))?.map(|v| {
            let (next_offset, items, version) = v.value();
            PartState {
                next_offset,
                items,
                erasure_version: version.to_owned(),
            }
        }))
    }

    /// Every partition the store has a state for.
    pub fn partitions(&self) -> Result<Vec<u32>, StoreError> {
        let tx = self.db.begin_read().map_err(db("begin read"))?;
        let t = tx.open_table(PARTS).map_err(db("open partitions"))?;
        let mut out = Vec::new();
        for row in t.iter().map_err(db("list partitions"))? {
            out.push(row.map_err(db("list partitions"))?.0.value());
        }
        Ok(out)
    }

    /// Applies a batch of records in one transaction. A partition seen for
    /// the first time starts with `erasure_version` (its items are checked
    /// as they come in). Records at or past a partition's next offset only.
    pub fn apply(&self, records: &[Record], erasure_version: &str) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let tx = self.write()?;
        {
            let mut items = tx.open_table(ITEMS).map_err(db("open items"))?;
            let mut due = tx.open_table(DUE).map_err(db("open due"))?;
            let mut authors = tx.open_table(AUTHORS).map_err(db("open authors"))?;
            let mut parts = tx.open_table(PARTS).map_err(db("open partitions"))?;
            // The partitions' states, changed in memory and written once.
            let mut states: Vec<(u32, PartState)> = Vec::new();
            for r in records {
                let i = match states.iter().position(|(p, _)| *p == r.partition) {
                    Some(i) => i,
                    None => {
                        let state = match parts.get(r.partition).map_err(db("read partition"))? {
                            Some(v) => {
                                let (next_offset, n, version) = v.value();
                                PartState {
                                    next_offset,
                                    items: n,
                                    erasure_version: version.to_owned(),
                                }
                            }
                            None => PartState {
                                next_offset: 0,
                                items: 0,
                                erasure_version: erasure_version.to_owned(),
                            },
                        };
                        states.push((r.partition, state));
                        states.len() - 1
                    }
                };
                let state = &mut states[i].1;
                if r.offset < state.next_offset {
                    // Applied before (the caller reads from the next offset).
                    continue;
                }
                state.next_offset = r.offset + 1;
                let p = r.partition;
                let id = match &r.change {
                    Change::Upsert { id, .. } | Change::Delete { id } => id.as_str(),
                    Change::Skip => continue,
                };
                let old = items.remove((p, id)).map_err(db("remove item"))?.map(|v| {
                    let (_, _, author, d) = v.value();
                    (author.map(str::to_owned), d)
                });
                if let Some((author, d)) = old {
                    state.items -= 1;
                    if let Some(d) = d {
                        due.remove((p, d, id)).map_err(db("remove due"))?;
                    }
                    if let Some(a) = author {
                        authors.remove((p, a.as_str(), id)).map_err(db("remove author"))?;
                    }
                }
                if let Change::Upsert { item, .. } = &r.change {
                    items
                        .insert(
                            (p, id),
                            (
                                item.source.as_str(),
                                item.published,
                                item.author.as_deref(),
                                item.due,
                            ),
                        )
                        .map_err(db("insert item"))?;
                    if let Some(d) = item.due {
                        due.insert((p, d, id), ()).map_err(db("insert due"))?;
                    }
                    if let Some(a) = &item.author {
                        authors
                            .insert((p, a.as_str(), id), ())
                            .map_err(db("insert author"))?;
                    }
                    state.items += 1;
                }
            }
            for (p, s) in &states {
                parts
                    .insert(*p, (s.next_offset, s.items, s.erasure_version.as_str()))
                    .map_err(db("write partition"))?;
            }
        }
        tx.commit().map_err(db("commit"))
    }

    /// Up to `limit` items of partition `p` due at or before `now`, in due
    /// order (erasures first), leaving out those `skip` says are in hand.
    /// Also returns the earliest retention due time at or before `now`
    /// (skipped ones included), for the lateness metric.
    pub fn due(
        &self,
        p: u32,
        now: i128,
        limit: usize,
        skip: &dyn Fn(&str) -> bool,
    ) -> Result<(Vec<DueItem>, Option<i128>), StoreError> {
        let tx = self.db.begin_read().map_err(db("begin read"))?;
        let due = tx.open_table(DUE).map_err(db("open due"))?;
        let items = tx.open_table(ITEMS).map_err(db("open items"))?;
        let mut out = Vec::new();
        let mut oldest = None;
        let end = now.saturating_add(1);
        for row in due
            .range((p, i128::MIN, "")..(p, end, ""))
            .map_err(db("scan due"))?
        {
            let (key, _) = row.map_err(db("scan due"))?;
            let (_, d, id) = key.value();
            if d != ERASED && oldest.is_none() {
                oldest = Some(d);
            }
            if out.len() >= limit {
                if oldest.is_some() {
                    break;
                }
                continue;
            }
            if skip(id) {
                continue;
            }
            let Some(v) = items.get((p, id)).map_err(db("read item"))? else {
                continue;
            };
            let (source, published, author, _) = v.value();
            out.push(DueItem {
                id: id.to_owned(),
                due: d,
                author: author.map(str::to_owned),
                source: source.to_owned(),
                published,
            });
        }
        Ok((out, oldest))
    }

    /// The ids of partition `p` whose author key is `author`.
    pub fn ids_by_author(&self, p: u32, author: &str) -> Result<Vec<String>, StoreError> {
        let tx = self.db.begin_read().map_err(db("begin read"))?;
        let t = tx.open_table(AUTHORS).map_err(db("open authors"))?;
        // Every key with exactly this author sorts before (p, author + "\0", "").
        let upper = format!("{author}\0");
        let mut out = Vec::new();
        for row in t
            .range((p, author, "")..(p, upper.as_str(), ""))
            .map_err(db("scan authors"))?
        {
            out.push(row.map_err(db("scan authors"))?.0.value().2.to_owned());
        }
        Ok(out)
    }

    /// Gives item `id` of partition `p` a new due time (no-op if it is gone).
    pub fn set_due(&self, p: u32, id: &str, new_due: Option<i128>) -> Result<(), StoreError> {
        let tx = self.write()?;
        set_due_in(&tx, p, id, new_due)?;
        tx.commit().map_err(db("commit"))
    }

    /// Re-derives the due time of every item of partition `p` (all
    /// partitions: `None`) with `f`, in transactions of [`CHUNK`] items.
    /// Returns how many changed.
    pub fn recompute(&self, p: Option<u32>, f: &dyn Fn(&Item) -> Option<i128>) -> Result<u64, StoreError> {
        let (lo, hi) = match p {
            Some(p) => (p, p.saturating_add(1)),
            None => (0, u32::MAX),
        };
        let mut from: (u32, String) = (lo, String::new());
        let mut changed = 0;
        loop {
            // Read a chunk, then write its changes: a table cannot be
            // changed while it is being iterated.
            let mut changes = Vec::new();
            let mut last = None;
            {
                let tx = self.db.begin_read().map_err(db("begin read"))?;
                let items = tx.open_table(ITEMS).map_err(db("open items"))?;
                let range = items
                    .range((from.0, from.1.as_str())..(hi, ""))
                    .map_err(db("scan items"))?;
                for row in range.take(CHUNK) {
                    let (k, v) = row.map_err(db("scan items"))?;
                    let (kp, id) = k.value();
                    let (source, published, author, d) = v.value();
                    let item = Item {
                        source: source.to_owned(),
                        published,
                        author: author.map(str::to_owned),
                        due: d,
                    };
                    let new_due = f(&item);
                    if new_due != d {
                        changes.push((kp, id.to_owned(), new_due));
                    }
                    last = Some((kp, id.to_owned()));
                }
            }
            if !changes.is_empty() {
                let tx = self.write()?;
                for (kp, id, d) in &changes {
                    set_due_in(&tx, *kp, id, *d)?;
                }
                tx.commit().map_err(db("commit"))?;
                changed += changes.len() as u64;
            }
            match last {
                // The next chunk starts just after the last key read.
                Some((kp, mut id)) => {
                    id.push('\0');
                    from = (kp, id);
                }
                None => return Ok(changed),
            }
        }
    }

    /// Records that partition `p`'s items were checked against erasure-list
    /// `version`.
    pub fn set_erasure_version(&self, p: u32, version: &str) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            let mut parts = tx.open_table(PARTS).map_err(db("open partitions"))?;
            let state = parts
                .get(p)
                .map_err(db("read partition"))?
                .map(|v| (v.value().0, v.value().1));
            if let Some((next, n)) = state {
                parts
                    .insert(p, (next, n, version))
                    .map_err(db("write partition"))?;
            }
        }
        tx.commit().map_err(db("commit"))
    }

    /// Forgets partition `p`: items, indexes and offset (to rebuild it from
    /// the beginning of the topic).
    pub fn clear_partition(&self, p: u32) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            let next = p.saturating_add(1);
            let mut items = tx.open_table(ITEMS).map_err(db("open items"))?;
            items
                .retain_in((p, "")..(next, ""), |_, _| false)
                .map_err(db("clear items"))?;
            let mut due = tx.open_table(DUE).map_err(db("open due"))?;
            due.retain_in((p, i128::MIN, "")..(next, i128::MIN, ""), |_, _| false)
                .map_err(db("clear due"))?;
            let mut authors = tx.open_table(AUTHORS).map_err(db("open authors"))?;
            authors
                .retain_in((p, "", "")..(next, "", ""), |_, _| false)
                .map_err(db("clear authors"))?;
            let mut parts = tx.open_table(PARTS).map_err(db("open partitions"))?;
            parts.remove(p).map_err(db("clear partition"))?;
        }
        tx.commit().map_err(db("commit"))
    }

    /// Forgets every partition.
    pub fn clear(&self) -> Result<(), StoreError> {
        for p in self.partitions()? {
            self.clear_partition(p)?;
        }
        Ok(())
    }

    /// The retention fingerprint the due times were computed with.
    pub fn retention(&self) -> Result<Option<String>, StoreError> {
        let tx = self.db.begin_read().map_err(db("begin read"))?;
        let t = tx.open_table(META).map_err(db("open meta"))?;
        Ok(t.get(META_RETENTION)
            .map_err(db("read meta"))?
            .map(|v| v.value().to_owned()))
    }

    pub fn set_retention(&self, fingerprint: &str) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            let mut t = tx.open_table(META).map_err(db("open meta"))?;
            t.insert(META_RETENTION, fingerprint).map_err(db("write meta"))?;
        }
        tx.commit().map_err(db("commit"))
    }
}

fn set_due_in(tx: &WriteTransaction, p: u32, id: &str, new_due: Option<i128>) -> Result<(), StoreError> {
    let mut items = tx.open_table(ITEMS).map_err(db("open items"))?;
    let mut due = tx.open_table(DUE).map_err(db("open due"))?;
    let old = items.get((p, id)).map_err(db("read item"))?.map(|v| {
        let (s, published, author, d) = v.value();
        (s.to_owned(), published, author.map(str::to_owned), d)
    });
    let Some((source, published, author, old_due)) = old else {
        return Ok(());
    };
    if old_due == new_due {
        return Ok(());
    }
    if let Some(d) = old_due {
        due.remove((p, d, id)).map_err(db("remove due"))?;
    }
    if let Some(d) = new_due {
        due.insert((p, d, id), ()).map_err(db("insert due"))?;
    }
    items
        .insert((p, id), (source.as_str(), published, author.as_deref(), new_due))
        .map_err(db("insert item"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path(), 1 << 20, "out").unwrap();
        (dir, s)
    }

    fn item(author: &str, due: Option<i128>) -> Item {
        Item {
            source: "facebook".into(),
            published: Some(0),
            author: Some(author.into()),
            due,
        }
    }

    fn up(p: u32, offset: u64, id: &str, author: &str, due: Option<i128>) -> Record {
        Record {
            partition: p,
            offset,
            change: Change::Upsert {
                id: id.into(),
                item: item(author, due),
            },
        }
    }

    fn del(p: u32, offset: u64, id: &str) -> Record {
        Record {
            partition: p,
            offset,
            change: Change::Delete { id: id.into() },
        }
    }

    fn due_ids(s: &Store, p: u32, now: i128) -> Vec<String> {
        s.due(p, now, 100, &|_| false)
            .unwrap()
            .0
            .into_iter()
            .map(|d| d.id)
            .collect()
    }

    #[test]
    fn upserts_updates_and_tombstones_keep_items_and_indexes_in_step() {
        let (_d, s) = store();
        s.apply(
            &[
                up(0, 0, "a", "facebook:1", Some(10)),
                up(0, 1, "b", "facebook:1", Some(20)),
                up(0, 2, "c", "facebook:2", None),
                up(1, 0, "d", "facebook:1", Some(5)),
            ],
            "v1",
        )
        .unwrap();
        assert_eq!(s.items().unwrap(), 4);
        assert_eq!(due_ids(&s, 0, 15), ["a"]);
        assert_eq!(due_ids(&s, 0, 20), ["a", "b"], "due exactly at its moment");
        assert_eq!(due_ids(&s, 1, 100), ["d"]);
        assert_eq!(s.ids_by_author(0, "facebook:1").unwrap(), ["a", "b"]);

        // An update moves the item in both indexes; a tombstone removes it.
        s.apply(&[up(0, 3, "a", "facebook:2", Some(30)), del(0, 4, "b")], "v1")
            .unwrap();
        assert_eq!(due_ids(&s, 0, 25), Vec::<String>::new());
        assert_eq!(due_ids(&s, 0, 30), ["a"]);
        assert!(s.ids_by_author(0, "facebook:1").unwrap().is_empty());
        assert_eq!(s.ids_by_author(0, "facebook:2").unwrap(), ["a", "c"]);
        let st = s.partition(0).unwrap().unwrap();
        assert_eq!(
            (st.next_offset, st.items, st.erasure_version.as_str()),
            (5, 2, "v1")
        );
        assert_eq!(s.items().unwrap(), 3);
    }

    #[test]
    fn a_record_before_the_next_offset_is_not_applied_twice() {
        let (_d, s) = store();
        s.apply(&[up(0, 7, "a", "x:1", Some(1))], "v").unwrap();
        s.apply(&[del(0, 7, "a"), del(0, 3, "a")], "v").unwrap();
        assert_eq!(due_ids(&s, 0, 1), ["a"]);
        assert_eq!(s.partition(0).unwrap().unwrap().next_offset, 8);
    }

    #[test]
    fn author_lookup_is_exact_not_by_prefix() {
        let (_d, s) = store();
        s.apply(
            &[
                up(0, 0, "a", "facebook:1", None),
                up(0, 1, "b", "facebook:10", None),
                up(0, 2, "c", "facebook:1\u{1}", None),
                up(1, 0, "d", "facebook:1", None),
            ],
            "v",
        )
        .unwrap();
        assert_eq!(s.ids_by_author(0, "facebook:1").unwrap(), ["a"]);
    }

    #[test]
    fn due_skips_what_is_in_hand_and_stops_at_the_limit() {
        let (_d, s) = store();
        let records: Vec<_> = (0..10)
            .map(|i| up(0, i, &format!("id{i}"), "x:1", Some(i as i128)))
            .collect();
        s.apply(&records, "v").unwrap();
        s.set_due(0, "id9", Some(ERASED)).unwrap();
        let (got, oldest) = s.due(0, 5, 3, &|id| id == "id0" || id == "id1").unwrap();
        let ids: Vec<_> = got.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["id9", "id2", "id3"], "erasures first, then by due time");
        assert_eq!(oldest, Some(0), "the oldest overdue counts skipped items too");
    }

    #[test]
    fn survives_reopening_and_refuses_another_topic() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path(), 1 << 20, "out").unwrap();
            s.apply(&[up(2, 41, "a", "x:1", Some(1))], "v").unwrap();
        }
        let s = Store::open(dir.path(), 1 << 20, "out").unwrap();
        assert_eq!(s.partition(2).unwrap().unwrap().next_offset, 42);
        assert_eq!(s.partitions().unwrap(), [2]);
        assert_eq!(due_ids(&s, 2, 1), ["a"]);
        drop(s);
        let err = Store::open(dir.path(), 1 << 20, "other").unwrap_err();
        assert!(matches!(err, StoreError::OtherTopic { .. }), "{err}");
    }

    #[test]
    fn clearing_a_partition_leaves_the_others() {
        let (_d, s) = store();
        s.apply(
            &[
                up(0, 0, "a", "x:1", Some(1)),
                up(1, 0, "b", "x:1", Some(1)),
                up(2, 0, "c", "x:1", Some(1)),
            ],
            "v",
        )
        .unwrap();
        s.clear_partition(1).unwrap();
        assert_eq!(s.partition(1).unwrap(), None);
        assert!(due_ids(&s, 1, 1).is_empty());
        assert!(s.ids_by_author(1, "x:1").unwrap().is_empty());
        assert_eq!(due_ids(&s, 0, 1), ["a"]);
        assert_eq!(due_ids(&s, 2, 1), ["c"]);
        assert_eq!(s.items().unwrap(), 2);
        s.clear().unwrap();
        assert_eq!(s.items().unwrap(), 0);
        assert!(s.partitions().unwrap().is_empty());
    }

    #[test]
    fn recompute_moves_due_times_in_chunks() {
        let (_d, s) = store();
        let n = CHUNK + 5;
        let records: Vec<_> = (0..n)
            .map(|i| {
                up(
                    (i % 2) as u32,
                    (i / 2) as u64,
                    &format!("id{i}"),
                    "x:1",
                    Some(100),
                )
            })
            .collect();
        s.apply(&records, "v").unwrap();
        let changed = s.recompute(None, &|_| Some(7)).unwrap();
        assert_eq!(changed, n as u64);
        assert_eq!(due_ids(&s, 0, 6).len(), 0);
        assert_eq!(
            s.due(0, 7, usize::MAX, &|_| false).unwrap().0.len(),
            n.div_ceil(2)
        );
        assert_eq!(s.recompute(Some(1), &|_| None).unwrap(), (n / 2) as u64);
        assert!(due_ids(&s, 1, 1000).is_empty());
        assert_eq!(s.recompute(None, &|i| i.due).unwrap(), 0);
    }
}
