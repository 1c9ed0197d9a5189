//! The sweeper decides as the stage does: the same instant is due as the
//! stage's `older_than = "retention"` tombstones, and an erased author is
//! recognised in what the stage published, raw id or pseudonym. Both sides
//! run on the default rule set (`rules/`) and the same key; no broker.

use std::path::Path;

use anoniem::engine::{Engine, Limits, Outcome, Trace};
use anoniem::sweep::Policy;
use anoniem::sweep::store::{Change, ERASED, Record, Store};
use anoniem::{check, rules};
use jiff::Timestamp;

fn engine(dir: &Path) -> Engine {
    let rules = rules::load(dir).expect("rule set");
    Engine::new(rules, Some(check::test_key()), Limits::default()).expect("engine")
}

fn policy(dir: &Path) -> Policy {
    let rules = rules::load(dir).expect("rule set");
    Policy::new(rules, dir, "erased_authors", Some(&check::test_key())).expect("policy")
}

/// What the stage publishes for `input` at `now`: the record, or None for a tombstone.
fn publish(engine: &Engine, input: &str, now: Timestamp) -> Option<Vec<u8>> {
    let mut trace = Trace::default();
    match engine
        .apply(input.as_bytes(), now, &mut trace)
        .expect("not rejected")
        .outcome
    {
        Outcome::Upsert(post) => {
            let mut out = Vec::new();
            anoniem::file::write_line(&Outcome::Upsert(post), &mut out);
            Some(out)
        }
        Outcome::Tombstone { .. } => None,
    }
}

fn post(id: u64, published_at: &str) -> String {
    format!(
        r#"{{"id":"facebook:{id}","source":"facebook","kind":"post","visibility":"public","published_at":"{published_at}","author":{{"id":"1000{id}","name":"Bol.com"}},"page":{{"id":"fbp-1029384756"}},"text":"Nieuw in ons assortiment"}}"#
    )
}

#[test]
fn an_item_is_due_exactly_when_the_stage_would_tombstone_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let (engine, policy) = (engine(&dir), policy(&dir));
    let published = [
        "2025-03-01T10:00:00Z",
        "2024-02-29T23:30:00Z",
        "2025-01-01T00:30:00+01:00",
        "2025-06-15T08:00:00.123456789Z",
        "2025-12-31T23:59:59.999999999Z",
    ];
    for (i, at) in published.iter().enumerate() {
        let input = post(i as u64, at);
        // Published while young: the sweeper reads what the stage wrote.
        let young: Timestamp = at.parse().unwrap();
        let out = publish(&engine, &input, young).expect("a young post passes");
        let item = policy.item(&out).expect("readable output");
        let due = item.due.expect("facebook has a retention");
        let due_ts = Timestamp::from_nanosecond(due).unwrap();
        let just_before = Timestamp::from_nanosecond(due - 1).unwrap();
        assert!(
            publish(&engine, &input, just_before).is_some(),
            "{at}: the stage keeps it a nanosecond before {due_ts}"
        );
        assert!(
            publish(&engine, &input, due_ts).is_none(),
            "{at}: the stage tombstones it at {due_ts}"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn erased_authors_are_found_in_what_the_stage_published_raw_or_pseudonymised() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rules");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"), &dir);
    let engine = engine(&dir);
    let now: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
    // A post on an owned page keeps its author's raw id; a comment on a
    // page no customer manages gets the pseudonym (P2, P9).
    let raw = r#"{"id":"facebook:1","source":"facebook","kind":"post","visibility":"public","published_at":"2026-11-20T10:00:00Z","author":{"id":"555","name":"Bol.com"},"page":{"id":"fbp-1029384756"},"text":"x"}"#;
    let anon = r#"{"id":"instagram:2","source":"instagram","kind":"comment","visibility":"public","published_at":"2026-11-20T10:00:00Z","author":{"id":"777","name":"Sanne de Vries"},"page":{"id":"igp-elsewhere"},"text":"leuk"}"#;
    let other = r#"{"id":"instagram:3","source":"instagram","kind":"comment","visibility":"public","published_at":"2026-11-20T10:00:00Z","author":{"id":"778","name":"Jan Bakker"},"page":{"id":"igp-elsewhere"},"text":"ok"}"#;
    let published: Vec<Vec<u8>> = [raw, anon, other]
        .iter()
        .map(|r| publish(&engine, r, now).expect("published before the erasure request"))
        .collect();
    assert!(
        String::from_utf8_lossy(&published[1]).contains("\"anon-"),
        "the commenter's id is pseudonymised on the output"
    );

    // Then both authors ask for erasure.
    let list = dir.join("lists/erased_authors.txt");
    let mut text = std::fs::read_to_string(&list).unwrap();
    text.push_str("facebook:555\ninstagram:777\n");
    std::fs::write(&list, text).unwrap();
    let policy = policy(&dir);
    let dues: Vec<Option<i128>> = published
        .iter()
        .map(|out| policy.item(out).expect("readable").due)
        .collect();
    assert_eq!(dues[0], Some(ERASED), "raw author id");
    assert_eq!(dues[1], Some(ERASED), "pseudonymised commenter");
    assert_ne!(dues[2], Some(ERASED), "another commenter stays");
    // And the stage agrees for what it sees from now on.
    let engine = self::engine(&dir);
    assert!(publish(&engine, raw, now).is_none());
    assert!(publish(&engine, anon, now).is_none());
    assert!(publish(&engine, other, now).is_some());
}

#[test]
fn a_store_rebuilt_from_the_changelog_equals_the_one_kept_up_to_date() {
    // The store applied in one go and in small batches, with updates and
    // tombstones in between, ends in the same state.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let policy = policy(&dir);
    let mut records = Vec::new();
    for i in 0..300u64 {
        let p = (i % 3) as u32;
        let id = format!("facebook:{}", i % 120);
        let change = if i % 7 == 0 {
            Change::Delete { id }
        } else {
            let out = post(i % 120, &format!("2025-{:02}-01T00:00:00Z", 1 + i % 12));
            Change::Upsert {
                id,
                item: policy.item(out.as_bytes()).unwrap(),
            }
        };
        records.push(Record {
            partition: p,
            offset: i / 3,
            change,
        });
    }
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let one = Store::open(a.path(), 1 << 20, "out").unwrap();
    one.apply(&records, policy.erasure_version()).unwrap();
    let many = Store::open(b.path(), 1 << 20, "out").unwrap();
    for chunk in records.chunks(7) {
        many.apply(chunk, policy.erasure_version()).unwrap();
    }
    let far = i128::MAX - 1;
    for p in 0..3 {
        let due = |s: &Store| s.due(p, far, usize::MAX, &|_| false).unwrap().0;
        assert_eq!(due(&one), due(&many));
        assert_eq!(one.partition(p).unwrap(), many.partition(p).unwrap());
    }
    assert_eq!(one.items().unwrap(), many.items().unwrap());
}
