//! Field paths of the record model (`author.name`, `media.url`, ...) and
//! access to the slots they name.
//!
//! Rule files name fields by path; `compile()` turns each path into a
//! [`FieldId`] once, so applying a rule is a `match`, never a string lookup.

use std::fmt;

use super::record::Post;
use super::slot::{Slot, Text};

/// The JSON type a field holds, checked when rules are compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Str,
    U64,
    F64,
    Bool,
    /// An object, or a list (of objects or strings).
    Compound,
}

macro_rules! field_ids {
    ($( $var:ident = $path:literal : $ty:ident $(in $parent:ident)? ),* $(,)?) => {
        /// A field of the record model.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FieldId { $($var),* }

        impl FieldId {
            pub const ALL: &'static [FieldId] = &[$(FieldId::$var),*];

            /// The dotted path used in rule files.
            pub fn path(self) -> &'static str {
                match self { $(FieldId::$var => $path),* }
            }

            pub fn ty(self) -> FieldType {
                match self { $(FieldId::$var => FieldType::$ty),* }
            }

            /// The object (or list of objects) this field belongs to.
            pub fn parent(self) -> Option<FieldId> {
                match self { $(FieldId::$var => field_ids!(@parent $($parent)?)),* }
            }
        }
    };
    (@parent) => { None };
    (@parent $p:ident) => { Some(FieldId::$p) };
}

field_ids! {
    Id = "id": Str,
    Op = "op": Str,
    Source = "source": Str,
    Kind = "kind": Str,
    Url = "url": Str,
    PublishedAt = "published_at": Str,
    CollectedAt = "collected_at": Str,
    Language = "language": Str,
    Visibility = "visibility": Str,
    Page = "page": Compound,
    PageId = "page.id": Str in Page,
    PageName = "page.name": Str in Page,
    ParentId = "parent_id": Str,
    Author = "author": Compound,
    AuthorId = "author.id": Str in Author,
    AuthorName = "author.name": Str in Author,
    AuthorHandle = "author.handle": Str in Author,
    AuthorAvatarUrl = "author.avatar_url": Str in Author,
    AuthorProfileUrl = "author.profile_url": Str in Author,
    AuthorFollowers = "author.followers": U64 in Author,
    AuthorVerified = "author.verified": Bool in Author,
    Title = "title": Str,
    Text = "text": Str,
    Geo = "geo": Compound,
    GeoLat = "geo.lat": F64 in Geo,
    GeoLon = "geo.lon": F64 in Geo,
    GeoPlace = "geo.place": Str in Geo,
    GeoCountry = "geo.country": Str in Geo,
    Media = "media": Compound,
    MediaType = "media.type": Str in Media,
    MediaUrl = "media.url": Str in Media,
    Metrics = "metrics": Compound,
    MetricsLikes = "metrics.likes": U64 in Metrics,
    MetricsShares = "metrics.shares": U64 in Metrics,
    MetricsComments = "metrics.comments": U64 in Metrics,
    Tags = "tags": Compound,
}

impl FieldId {
    pub fn from_path(path: &str) -> Option<FieldId> {
        FieldId::ALL.iter().copied().find(|f| f.path() == path)
    }

    /// The direct children of an object field.
    pub fn children(self) -> impl Iterator<Item = FieldId> {
        FieldId::ALL
            .iter()
            .copied()
            .filter(move |f| f.parent() == Some(self))
    }

    /// Holds text: a string field, or `tags` (a list of strings, tested and
    /// redacted item by item).
    pub fn holds_text(self) -> bool {
        self.ty() == FieldType::Str || self == FieldId::Tags
    }

    fn bit(self) -> u64 {
        1 << (self as u8)
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// A set of fields, as a bitmask (the model has fewer than 64 fields).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldSet(u64);

impl FieldSet {
    pub fn contains(self, f: FieldId) -> bool {
        self.0 & f.bit() != 0
    }

    pub fn insert(&mut self, f: FieldId) {
        self.0 |= f.bit();
    }

    pub fn iter(self) -> impl Iterator<Item = FieldId> {
        FieldId::ALL.iter().copied().filter(move |f| self.contains(*f))
    }
}

impl fmt::Debug for FieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(FieldId::path)).finish()
    }
}

/// What rules can do to any slot, whatever its type.
pub trait AnySlot {
    fn exists(&self) -> bool;
    fn clear(&mut self) -> bool;
    fn remove(&mut self) -> bool;
}

impl<T> AnySlot for Slot<T> {
    /// Present and not null.
    fn exists(&self) -> bool {
        matches!(self, Slot::Value(_))
    }
    fn clear(&mut self) -> bool {
        let changed = !matches!(self, Slot::Null);
        *self = Slot::Null;
        changed
    }
    fn remove(&mut self) -> bool {
        let changed = !self.is_absent();
        *self = Slot::Absent;
        changed
    }
}

/// A shared view of one slot.
pub enum SlotRef<'r, 'a> {
    Str(&'r Slot<Text<'a>>),
    U64(&'r Slot<u64>),
    F64(&'r Slot<f64>),
    Bool(&'r Slot<bool>),
    Compound(&'r dyn AnySlot),
}

/// A mutable view of one slot.
pub enum SlotMut<'r, 'a> {
    Str(&'r mut Slot<Text<'a>>),
    U64(&'r mut Slot<u64>),
    F64(&'r mut Slot<f64>),
    Bool(&'r mut Slot<bool>),
    Compound(&'r mut dyn AnySlot),
}

impl SlotRef<'_, '_> {
    pub fn exists(&self) -> bool {
        match self {
            SlotRef::Str(s) => s.exists(),
            SlotRef::U64(s) => s.exists(),
            SlotRef::F64(s) => s.exists(),
            SlotRef::Bool(s) => s.exists(),
            SlotRef::Compound(s) => s.exists(),
        }
    }
}

impl SlotMut<'_, '_> {
    fn any(&mut self) -> &mut dyn AnySlot {
        match self {
            SlotMut::Str(s) => *s,
            SlotMut::U64(s) => *s,
            SlotMut::F64(s) => *s,
            SlotMut::Bool(s) => *s,
            SlotMut::Compound(s) => *s,
        }
    }
    pub fn clear(&mut self) -> bool {
        self.any().clear()
    }
    pub fn remove(&mut self) -> bool {
        self.any().remove()
    }
}

/// One table of where each field lives, expanded three times: shared access,
/// mutable access, and mutable access that creates missing parent objects
/// (for `set`). A field inside `media` is visited once per list item.
macro_rules! each_slot {
    ($post:expr, $field:expr, $cb:expr, $view:ident, [$($m:tt)*], $obj:ident, $iter:ident) => {{
        let post = $post;
        let cb = $cb;
        match $field {
            FieldId::Id => cb($view::Str(& $($m)* post.id)),
            FieldId::Op => cb($view::Str(& $($m)* post.op)),
            FieldId::Source => cb($view::Str(& $($m)* post.source)),
            FieldId::Kind => cb($view::Str(& $($m)* post.kind)),
            FieldId::Url => cb($view::Str(& $($m)* post.url)),
            FieldId::PublishedAt => cb($view::Str(& $($m)* post.published_at)),
            FieldId::CollectedAt => cb($view::Str(& $($m)* post.collected_at)),
            FieldId::Language => cb($view::Str(& $($m)* post.language)),
            FieldId::Visibility => cb($view::Str(& $($m)* post.visibility)),
            FieldId::Page => cb($view::Compound(& $($m)* post.page)),
            FieldId::PageId => if let Some(o) = post.page.$obj() { cb($view::Str(& $($m)* o.id)) },
            FieldId::PageName => if let Some(o) = post.page.$obj() { cb($view::Str(& $($m)* o.name)) },
            FieldId::ParentId => cb($view::Str(& $($m)* post.parent_id)),
            FieldId::Author => cb($view::Compound(& $($m)* post.author)),
            FieldId::AuthorId => if let Some(o) = post.author.$obj() { cb($view::Str(& $($m)* o.id)) },
            FieldId::AuthorName => if let Some(o) = post.author.$obj() { cb($view::Str(& $($m)* o.name)) },
            FieldId::AuthorHandle => if let Some(o) = post.author.$obj() { cb($view::Str(& $($m)* o.handle)) },
            FieldId::AuthorAvatarUrl => if let Some(o) = post.author.$obj() { cb($view::Str(& $($m)* o.avatar_url)) },
            FieldId::AuthorProfileUrl => if let Some(o) = post.author.$obj() { cb($view::Str(& $($m)* o.profile_url)) },
            FieldId::AuthorFollowers => if let Some(o) = post.author.$obj() { cb($view::U64(& $($m)* o.followers)) },
            FieldId::AuthorVerified => if let Some(o) = post.author.$obj() { cb($view::Bool(& $($m)* o.verified)) },
            FieldId::Title => cb($view::Str(& $($m)* post.title)),
            FieldId::Text => cb($view::Str(& $($m)* post.text)),
            FieldId::Geo => cb($view::Compound(& $($m)* post.geo)),
            FieldId::GeoLat => if let Some(o) = post.geo.$obj() { cb($view::F64(& $($m)* o.lat)) },
            FieldId::GeoLon => if let Some(o) = post.geo.$obj() { cb($view::F64(& $($m)* o.lon)) },
            FieldId::GeoPlace => if let Some(o) = post.geo.$obj() { cb($view::Str(& $($m)* o.place)) },
            FieldId::GeoCountry => if let Some(o) = post.geo.$obj() { cb($view::Str(& $($m)* o.country)) },
            FieldId::Media => cb($view::Compound(& $($m)* post.media)),
            FieldId::MediaType => if let Some(list) = post.media.$obj() {
                for o in list.$iter() { cb($view::Str(& $($m)* o.r#type)) }
            },
            FieldId::MediaUrl => if let Some(list) = post.media.$obj() {
                for o in list.$iter() { cb($view::Str(& $($m)* o.url)) }
            },
            FieldId::Metrics => cb($view::Compound(& $($m)* post.metrics)),
            FieldId::MetricsLikes => if let Some(o) = post.metrics.$obj() { cb($view::U64(& $($m)* o.likes)) },
            FieldId::MetricsShares => if let Some(o) = post.metrics.$obj() { cb($view::U64(& $($m)* o.shares)) },
            FieldId::MetricsComments => if let Some(o) = post.metrics.$obj() { cb($view::U64(& $($m)* o.comments)) },
            FieldId::Tags => cb($view::Compound(& $($m)* post.tags)),
        }
    }};
}

impl<T: Default> Slot<T> {
    /// `Some(value)`, creating the value when the slot is empty.
    fn ensure(&mut self) -> Option<&mut T> {
        Some(self.get_or_default())
    }
}

impl<'a> Post<'a> {
    /// Calls `cb` for each slot that `field` names (none when a parent object
    /// is missing; one per item for fields inside `media`).
    pub fn visit<'r>(&'r self, field: FieldId, cb: &mut dyn FnMut(SlotRef<'r, 'a>)) {
        each_slot!(self, field, cb, SlotRef, [], value, iter)
    }

    /// Like [`Post::visit`], mutably.
    pub fn visit_mut(&mut self, field: FieldId, cb: &mut dyn FnMut(SlotMut<'_, 'a>)) {
        each_slot!(self, field, cb, SlotMut, [mut], value_mut, iter_mut)
    }

    /// Like [`Post::visit_mut`], creating missing parent objects first.
    pub fn visit_mut_create(&mut self, field: FieldId, cb: &mut dyn FnMut(SlotMut<'_, 'a>)) {
        each_slot!(self, field, cb, SlotMut, [mut], ensure, iter_mut)
    }

    /// Calls `cb` for each string value of `field` (a string field, the
    /// strings in `tags`, or a string field in each `media` item).
    pub fn each_str<'r>(&'r self, field: FieldId, cb: &mut dyn FnMut(&'r str)) {
        if field == FieldId::Tags {
            if let Slot::Value(tags) = &self.tags {
                tags.iter().for_each(|t| cb(t.as_str()));
            }
            return;
        }
        self.visit(field, &mut |slot| {
            if let SlotRef::Str(Slot::Value(t)) = slot {
                cb(t.as_str());
            }
        });
    }

    /// Calls `cb` with each string of `field` mutably (see [`Post::each_str`]).
    pub fn each_text_mut(&mut self, field: FieldId, cb: &mut dyn FnMut(&mut Text<'a>)) {
        if field == FieldId::Tags {
            if let Slot::Value(tags) = &mut self.tags {
                tags.iter_mut().for_each(cb);
            }
            return;
        }
        self.visit_mut(field, &mut |slot| {
            if let SlotMut::Str(Slot::Value(t)) = slot {
                cb(t);
            }
        });
    }

    /// The first string value of `field`, if any.
    pub fn str_of(&self, field: FieldId) -> Option<&str> {
        let mut found = None;
        self.visit(field, &mut |slot| {
            if let (None, SlotRef::Str(Slot::Value(t))) = (&found, slot) {
                found = Some(t.as_str());
            }
        });
        found
    }
}
