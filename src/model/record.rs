//! The typed record model: the fields of the collected-post contract
//! (`shared/contract/post.md`), borrowed from the input where possible.
//!
//! The model is the outer allow-list: a member that is not in the contract is
//! skipped by the parser and can never reach the output, whatever the rule
//! files say. The rule files' `[allow]` list narrows it further.

use serde::{Deserialize, Serialize};

use super::slot::{Slot, Text};
use super::write::{ObjectWriter, WriteJson};

/// Every member defaults to absent and is skipped when absent, so the
/// output keeps the input's shape. `WriteJson` writes the members in the
/// same order and under the same names as the `Serialize` derive.
macro_rules! record_struct {
    ($(#[$m:meta])* pub struct $name:ident<$lt:lifetime> { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, Deserialize, Serialize)]
        #[serde(bound(deserialize = "'de: 'a"))]
        pub struct $name<$lt> {
            $(
                #[serde(default, skip_serializing_if = "Slot::is_absent")]
                pub $field: $ty,
            )*
        }

        impl WriteJson for $name<'_> {
            fn write_json(&self, out: &mut Vec<u8>) {
                let mut o = ObjectWriter::open(out);
                $({
                    const NAME: &str = member_name(stringify!($field));
                    o.member(NAME, &self.$field);
                })*
                o.close();
            }
        }
    };
}

/// The JSON name of a field: serde drops the `r#` of a raw identifier.
const fn member_name(field: &'static str) -> &'static str {
    match field.as_bytes() {
        [b'r', b'#', rest @ ..] => match std::str::from_utf8(rest) {
            Ok(name) => name,
            Err(_) => field,
        },
        _ => field,
    }
}

record_struct! {
    /// One collected post, comment, article or review.
    pub struct Post<'a> {
        id: Slot<Text<'a>>,
        op: Slot<Text<'a>>,
        source: Slot<Text<'a>>,
        kind: Slot<Text<'a>>,
        url: Slot<Text<'a>>,
        published_at: Slot<Text<'a>>,
        collected_at: Slot<Text<'a>>,
        language: Slot<Text<'a>>,
        visibility: Slot<Text<'a>>,
        page: Slot<Page<'a>>,
        parent_id: Slot<Text<'a>>,
        author: Slot<Author<'a>>,
        title: Slot<Text<'a>>,
        text: Slot<Text<'a>>,
        geo: Slot<Geo<'a>>,
        media: Slot<Vec<Media<'a>>>,
        metrics: Slot<Metrics>,
        tags: Slot<Vec<Text<'a>>>,
    }
}

record_struct! {
    /// The page, channel or account an item was posted on.
    pub struct Page<'a> {
        id: Slot<Text<'a>>,
        name: Slot<Text<'a>>,
    }
}

record_struct! {
    pub struct Author<'a> {
        id: Slot<Text<'a>>,
        name: Slot<Text<'a>>,
        handle: Slot<Text<'a>>,
        avatar_url: Slot<Text<'a>>,
        profile_url: Slot<Text<'a>>,
        followers: Slot<u64>,
        verified: Slot<bool>,
    }
}

record_struct! {
    pub struct Geo<'a> {
        lat: Slot<f64>,
        lon: Slot<f64>,
        place: Slot<Text<'a>>,
        country: Slot<Text<'a>>,
    }
}

record_struct! {
    pub struct Media<'a> {
        r#type: Slot<Text<'a>>,
        url: Slot<Text<'a>>,
    }
}

/// Engagement counts.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Metrics {
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub likes: Slot<u64>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub shares: Slot<u64>,
    #[serde(default, skip_serializing_if = "Slot::is_absent")]
    pub comments: Slot<u64>,
}

impl WriteJson for Metrics {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = ObjectWriter::open(out);
        o.member("likes", &self.likes);
        o.member("shares", &self.shares);
        o.member("comments", &self.comments);
        o.close();
    }
}
