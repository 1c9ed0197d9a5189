//! Every condition and action of the rule-file reference (README), each
//! applied through the engine to a record.

use anoniem::check;
use anoniem::engine::{Engine, Limits, Outcome, Trace};
use anoniem::rules;

const ALLOW: &str = r#"
[allow]
fields = ["id", "op", "source", "kind", "url", "published_at", "visibility", "page", "author",
          "title", "text", "geo", "media", "metrics", "tags"]

[lists]
vips = "lists/vips.txt"

[retention]
forum = "30d"
"#;

fn engine(rules_toml: &str) -> Engine {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lists")).unwrap();
    std::fs::write(dir.path().join("lists/vips.txt"), "forum:42\n").unwrap();
    std::fs::write(dir.path().join("a.toml"), format!("{ALLOW}\n{rules_toml}")).unwrap();
    let rules = rules::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    Engine::new(rules, Some(check::test_key()), Limits::default()).unwrap()
}

/// The output of `record`, or `None` for a tombstone.
fn apply(engine: &Engine, record: &str) -> Option<serde_json::Value> {
    let now = "2026-11-25T12:00:00Z".parse().unwrap();
    match engine
        .apply(record.as_bytes(), now, &mut Trace::default())
        .unwrap()
        .outcome
    {
        Outcome::Tombstone { .. } => None,
        outcome => {
            let mut out = Vec::new();
            anoniem::file::write_line(&outcome, &mut out);
            Some(serde_json::from_slice(&out).unwrap())
        }
    }
}

fn tombstone_when(condition: &str) -> Engine {
    engine(&format!(
        "[[rule]]\nname = \"t\"\nreason = \"P0: test\"\nwhen = {condition}\nactions = [{{ tombstone = true }}]\n"
    ))
}

fn is_tombstoned(engine: &Engine, record: &str) -> bool {
    apply(engine, record).is_none()
}

#[test]
fn source_kind_and_visibility_shortcuts() {
    let e = tombstone_when(r#"{ source = ["facebook", "instagram"], kind = "comment" }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"instagram:a","source":"instagram","kind":"comment"}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"instagram:a","source":"instagram","kind":"post"}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"twitter:a","source":"twitter","kind":"comment"}"#
    ));
    let e = tombstone_when(r#"{ visibility = "private" }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","visibility":"private"}"#
    ));
}

#[test]
fn equals_on_text_numbers_and_booleans() {
    let e = tombstone_when(r#"{ field = "author.followers", equals = 0 }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","author":{"followers":0}}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","author":{"followers":1}}"#
    ));
    let e = tombstone_when(r#"{ field = "author.verified", equals = true }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","author":{"verified":true}}"#
    ));
    let e = tombstone_when(r#"{ field = "tags", equals = ["spam", "ad"] }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","tags":["news","ad"]}"#
    ));
    assert!(!is_tombstoned(&e, r#"{"id":"x:a","source":"x","tags":["news"]}"#));
}

#[test]
fn exists_tells_absent_and_null_from_present() {
    let e = tombstone_when(r#"{ field = "title", exists = false }"#);
    assert!(is_tombstoned(&e, r#"{"id":"x:a","source":"x"}"#));
    assert!(is_tombstoned(&e, r#"{"id":"x:a","source":"x","title":null}"#));
    assert!(!is_tombstoned(&e, r#"{"id":"x:a","source":"x","title":"t"}"#));
}

#[test]
fn matches_runs_regexes_and_several_on_one_field() {
    let e = engine(
        r#"
[[rule]]
name = "win"
reason = "P0: test"
when = { field = "text", matches = "(?i)winactie" }
actions = [{ tombstone = true }]

[[rule]]
name = "promo"
reason = "P0: test"
when = { field = "text", matches = "promo[0-9]+" }
actions = [{ set = "kind", value = "ad" }]
"#,
    );
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","text":"Doe mee met de WINACTIE"}"#
    ));
    let out = apply(&e, r#"{"id":"x:a","source":"x","text":"code promo25"}"#).unwrap();
    assert_eq!(out["kind"], "ad");
    let out = apply(&e, r#"{"id":"x:a","source":"x","text":"niets"}"#).unwrap();
    assert!(out.get("kind").is_none());
}

#[test]
fn in_list_looks_up_source_and_value() {
    let e = tombstone_when(r#"{ field = "author.id", in_list = "vips" }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"forum:a","source":"forum","author":{"id":"42"}}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"blog:a","source":"blog","author":{"id":"42"}}"#
    ));
}

#[test]
fn older_than_a_fixed_age_or_the_retention_table() {
    let e = tombstone_when(r#"{ field = "published_at", older_than = "7d" }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","published_at":"2026-11-17T12:00:00Z"}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","published_at":"2026-11-19T12:00:00Z"}"#
    ));
    let e = tombstone_when(r#"{ field = "published_at", older_than = "retention" }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"forum:a","source":"forum","published_at":"2026-10-01T00:00:00Z"}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"blog:a","source":"blog","published_at":"2020-10-01T00:00:00Z"}"#
    ));
}

#[test]
fn all_any_and_not_combine() {
    let e =
        tombstone_when(r#"{ any = [{ kind = "comment" }, { kind = "reply" }], not = { source = "forum" } }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"blog:a","source":"blog","kind":"reply"}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"forum:a","source":"forum","kind":"reply"}"#
    ));
    assert!(!is_tombstoned(
        &e,
        r#"{"id":"blog:a","source":"blog","kind":"post"}"#
    ));
    let e = tombstone_when(r#"{ all = [{ kind = "post" }, { field = "geo", exists = true }] }"#);
    assert!(is_tombstoned(
        &e,
        r#"{"id":"x:a","source":"x","kind":"post","geo":{"place":"Ede"}}"#
    ));
    assert!(!is_tombstoned(&e, r#"{"id":"x:a","source":"x","kind":"post"}"#));
}

#[test]
fn set_clear_remove_and_coarsen() {
    let e = engine(
        r#"
[[rule]]
name = "edit"
reason = "P0: test"
actions = [
  { set = "author.followers", value = 0 },
  { clear = ["title"] },
  { remove = ["tags", "media.url"] },
  { coarsen = "geo.lat", precision = 0.5 },
]
"#,
    );
    let out = apply(
        &e,
        r#"{"id":"x:a","source":"x","title":"t","tags":["a"],"media":[{"type":"image","url":"u"}],"geo":{"lat":52.37,"lon":4.89}}"#,
    )
    .unwrap();
    assert_eq!(
        out,
        serde_json::json!({"id":"x:a","source":"x","author":{"followers":0},"title":null,
            "media":[{"type":"image"}],"geo":{"lat":52.5,"lon":4.89}})
    );
}

#[test]
fn redact_with_chosen_detectors_only() {
    let e = engine(
        r#"
[placeholders]
phone = "<tel>"

[[rule]]
name = "r"
reason = "P4: test"
actions = [{ redact = ["text"], detectors = ["phone"] }]
"#,
    );
    let out = apply(
        &e,
        r#"{"id":"x:a","source":"x","text":"bel 0612345678 of mail a@b.nl"}"#,
    )
    .unwrap();
    assert_eq!(out["text"], "bel <tel> of mail a@b.nl");
}

#[test]
fn pseudonymise_is_stable_and_keyed_by_source() {
    let e = engine(
        "[[rule]]\nname = \"p\"\nreason = \"P9: test\"\nactions = [{ pseudonymise = \"author.id\" }]\n",
    );
    let a = apply(&e, r#"{"id":"x:a","source":"x","author":{"id":"7"}}"#).unwrap();
    let b = apply(&e, r#"{"id":"x:b","source":"x","author":{"id":"7"}}"#).unwrap();
    let c = apply(&e, r#"{"id":"y:c","source":"y","author":{"id":"7"}}"#).unwrap();
    assert_eq!(a["author"]["id"], b["author"]["id"]);
    assert_ne!(a["author"]["id"], c["author"]["id"]);
    assert!(a["author"]["id"].as_str().unwrap().starts_with("anon-"));
}

#[test]
fn a_tombstone_ends_the_rules_of_a_record() {
    let e = engine(
        r#"
[[rule]]
name = "first"
reason = "P0: test"
actions = [{ tombstone = true }]

[[rule]]
name = "never"
reason = "P0: test"
actions = [{ set = "kind", value = "x" }]
"#,
    );
    let now = "2026-11-25T12:00:00Z".parse().unwrap();
    let mut trace = Trace::default();
    let applied = e.apply(br#"{"id":"x:a","source":"x"}"#, now, &mut trace).unwrap();
    assert!(applied.outcome.is_tombstone());
    let fired: Vec<&str> = applied.fired_names().collect();
    assert_eq!(fired, vec!["first"]);
}

#[test]
fn the_allow_list_narrows_to_listed_children() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "[allow]\nfields = [\"id\", \"source\", \"geo.place\"]\n",
    )
    .unwrap();
    let e = Engine::new(rules::load(dir.path()).unwrap(), None, Limits::default()).unwrap();
    let out = apply(
        &e,
        r#"{"id":"x:a","source":"x","text":"t","geo":{"lat":1.0,"place":"Ede"}}"#,
    )
    .unwrap();
    assert_eq!(
        out,
        serde_json::json!({"id":"x:a","source":"x","geo":{"place":"Ede"}})
    );
}
