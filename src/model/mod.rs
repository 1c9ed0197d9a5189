//! The record model: the fields of the collected-post contract
//! (`shared/contract/post.md`) as typed Rust, borrowed from the input where
//! possible; field paths (`author.name`) and access to what they name; and
//! the JSON writer of the output. Rules compile against it and the engine
//! applies them to it.

pub mod field;
pub mod record;
pub mod slot;
pub mod write;

pub use field::FieldId;
pub use record::Post;
pub use slot::{Slot, Text};
