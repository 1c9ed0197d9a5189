//! The building blocks of the record model: a field that may be absent, null
//! or set ([`Slot`]), and a string that borrows from the input when it can
//! ([`Text`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A JSON object member that is absent, `null`, or holds a value.
///
/// Rules tell the three apart (`exists`, `clear` sets null, `remove` makes it
/// absent) and the output keeps the input's shape: an absent field stays
/// absent, a null stays null.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Slot<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Slot<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Slot::Absent)
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Slot::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Slot::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, created with `Default` first when the slot is empty; used by
    /// `set` on a child of an object that the record does not have yet.
    pub fn get_or_default(&mut self) -> &mut T
    where
        T: Default,
    {
        if !matches!(self, Slot::Value(_)) {
            *self = Slot::Value(T::default());
        }
        match self {
            Slot::Value(v) => v,
            // Just set to Value above.
            _ => unreachable!(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Slot<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Only called for members that are present (fields carry
        // `#[serde(default)]`), so `None` here means an explicit null.
        Ok(match Option::<T>::deserialize(d)? {
            None => Slot::Null,
            Some(v) => Slot::Value(v),
        })
    }
}

impl<T: Serialize> Serialize for Slot<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Slot::Value(v) => v.serialize(s),
            // Absent members are skipped by `skip_serializing_if`.
            Slot::Null | Slot::Absent => s.serialize_none(),
        }
    }
}

/// A JSON string that borrows from the input when it has no escapes.
///
/// serde's own `Cow<str>` always allocates when nested in another type, so
/// this wrapper visits borrowed strings itself: most fields pass through the
/// engine unchanged and should cost no allocation.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'a> Text<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn owned(s: impl Into<String>) -> Text<'static> {
        Text(Cow::Owned(s.into()))
    }
}

impl fmt::Debug for Text<'_> {
    // Record content must not reach logs by accident: Debug shows the length only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({} bytes)", self.0.len())
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize)]
    struct Probe<'a> {
        #[serde(default, borrow, skip_serializing_if = "Slot::is_absent")]
        a: Slot<Text<'a>>,
        #[serde(default, skip_serializing_if = "Slot::is_absent")]
        n: Slot<u64>,
    }

    #[test]
    fn absent_null_and_value_round_trip_unchanged() {
        for input in [r#"{}"#, r#"{"a":null}"#, r#"{"a":"x","n":3}"#, r#"{"n":null}"#] {
            let p: Probe = serde_json::from_str(input).unwrap();
            assert_eq!(serde_json::to_string(&p).unwrap(), input);
        }
    }

    #[test]
    fn unescaped_strings_borrow_and_escaped_ones_own() {
        let p: Probe = serde_json::from_str(r#"{"a":"plain"}"#).unwrap();
        assert!(matches!(p.a, Slot::Value(Text(Cow::Borrowed("plain")))));
        let p: Probe = serde_json::from_str(r#"{"a":"line\nbreak"}"#).unwrap();
        assert!(matches!(p.a, Slot::Value(Text(Cow::Owned(_)))));
    }

    #[test]
    fn debug_never_shows_content() {
        let t = Text::owned("Sanne de Vries");
        assert_eq!(format!("{t:?}"), "Text(14 bytes)");
    }
}
