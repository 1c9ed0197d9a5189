//! Evaluating compiled conditions against a record.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::rules::compiled::{Cond, MaxAge, RuleSet, Scalar};

use crate::model::field::{FieldId, SlotRef};
use crate::model::record::Post;
use crate::model::slot::Slot;

/// A condition that cannot be decided for this record; the record is refused.
#[derive(Debug)]
pub struct Undecidable(pub &'static str);

/// Per-record evaluation state.
pub struct Eval<'e> {
    pub rules: &'e RuleSet,
    pub now: Timestamp,
    /// Which patterns of each regex set matched, computed on first use per
    /// record (one scan of the field for all `matches` conditions on it).
    regex_hits: Vec<Option<Vec<bool>>>,
}

impl<'e> Eval<'e> {
    pub fn new(rules: &'e RuleSet, now: Timestamp) -> Self {
        Eval {
            rules,
            now,
            regex_hits: Vec::new(),
        }
    }

    /// The record changed: cached regex results may be stale.
    pub fn invalidate(&mut self) {
        self.regex_hits.iter_mut().for_each(|h| *h = None);
    }

    pub fn eval(&mut self, cond: &Cond, post: &Post<'_>) -> Result<bool, Undecidable> {
        Ok(match cond {
            Cond::All(cs) => {
                for c in cs {
                    if !self.eval(c, post)? {
                        return Ok(false);
                    }
                }
                true
            }
            Cond::Any(cs) => {
                for c in cs {
                    if self.eval(c, post)? {
                        return Ok(true);
                    }
                }
                false
            }
            Cond::Not(c) => !self.eval(c, post)?,
            Cond::Equals(f, values) => equals(post, *f, values),
            Cond::Exists(f, want) => {
                let mut exists = false;
                post.visit(*f, &mut |slot| exists |= slot.exists());
                exists == *want
            }
            Cond::Matches { field, set, pattern } => self.matches(post, *field, *set, *pattern),
            Cond::InList(f, list) => {
                let source = post.source.value().map(|s| s.as_str()).unwrap_or("");
                let list = &self.rules.lists[*list].1;
                let mut found = false;
                post.each_str(*f, &mut |v| found |= list.contains(source, v));
                found
            }
            Cond::OlderThan(f, age) => self.older_than(post, *f, age)?,
        })
    }

    fn matches(&mut self, post: &Post<'_>, field: FieldId, set: usize, pattern: usize) -> bool {
        if self.regex_hits.len() <= set {
            self.regex_hits.resize(set + 1, None);
        }
        let regex_set = &self.rules.matchers.sets[set].1;
        let hits = self.regex_hits[set].get_or_insert_with(|| {
            let mut hits = vec![false; regex_set.len()];
            post.each_str(field, &mut |v| {
                for i in regex_set.matches(v).iter() {
                    hits[i] = true;
                }
            });
            hits
        });
        hits.get(pattern).copied().unwrap_or(false)
    }

    fn older_than(&self, post: &Post<'_>, f: FieldId, age: &MaxAge) -> Result<bool, Undecidable> {
        let span = match age {
            MaxAge::Fixed(span) => *span,
            MaxAge::Retention => {
                let source = post.source.value().map(|s| s.as_str()).unwrap_or("");
                match self.rules.retention.get(source) {
                    Some(span) => *span,
                    // No maximum for this source: never too old.
                    None => return Ok(false),
                }
            }
        };
        let Some(text) = post.str_of(f) else {
            return Err(Undecidable("the timestamp it checks is missing"));
        };
        // Validated when parsed; a failure here still refuses the record.
        let ts: Timestamp = text
            .parse()
            .map_err(|_| Undecidable("the timestamp it checks is not RFC 3339"))?;
        let expires = ts
            .to_zoned_datetime(TimeZone::UTC)
            .checked_add(span)
            .map_err(|_| Undecidable("the timestamp it checks is out of range"))?;
        Ok(expires.timestamp() <= self.now)
    }
}

fn equals(post: &Post<'_>, f: FieldId, values: &[Scalar]) -> bool {
    let mut hit = false;
    if f == FieldId::Tags {
        post.each_str(f, &mut |s| {
            hit |= values.iter().any(|v| matches!(v, Scalar::Str(w) if w == s))
        });
        return hit;
    }
    post.visit(f, &mut |slot| {
        hit |= values.iter().any(|v| match (&slot, v) {
            (SlotRef::Str(Slot::Value(s)), Scalar::Str(w)) => s.as_str() == w,
            (SlotRef::U64(Slot::Value(n)), Scalar::U64(m)) => n == m,
            (SlotRef::F64(Slot::Value(x)), Scalar::F64(y)) => x == y,
            (SlotRef::Bool(Slot::Value(b)), Scalar::Bool(c)) => b == c,
            _ => false,
        });
    });
    hit
}
