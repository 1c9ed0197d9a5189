//! Why a record was rejected: it goes to the error output (file mode) or the
//! dead-letter topic, never to the output.
//!
//! Messages name fields, positions and limits, never record content: they
//! end up in logs, Kafka headers and metrics.

/// A record that cannot be sanitised for certain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reject {
    #[error("record is {size} bytes, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("record is nested too deeply")]
    TooDeep,
    #[error("not valid JSON ({what}) at line {line}, column {column}")]
    InvalidJson {
        what: &'static str,
        line: usize,
        column: usize,
    },
    #[error("field `{path}`: {what}")]
    WrongType { path: String, what: String },
    #[error("record has no `id`")]
    MissingId,
    #[error("an upsert needs a `source`")]
    MissingSource,
    #[error("field `{field}`: {what}")]
    InvalidValue { field: &'static str, what: &'static str },
    #[error("rule `{rule}` cannot decide: {what}")]
    Undecidable { rule: String, what: &'static str },
    #[error("rule `{rule}` cannot redact field `{field}` for certain")]
    Unsanitisable { rule: String, field: &'static str },
}

impl Reject {
    /// A short, bounded label for metrics and headers.
    pub fn kind(&self) -> &'static str {
        match self {
            Reject::TooLarge { .. } => "too_large",
            Reject::TooDeep => "too_deep",
            Reject::InvalidJson { .. } => "invalid_json",
            Reject::WrongType { .. } => "wrong_type",
            Reject::MissingId => "missing_id",
            Reject::MissingSource => "missing_source",
            Reject::InvalidValue { .. } => "invalid_value",
            Reject::Undecidable { .. } => "undecidable",
            Reject::Unsanitisable { .. } => "unsanitisable",
        }
    }

    /// Every label [`Reject::kind`] can return, for docs and dashboards.
    pub const KINDS: [&'static str; 9] = [
        "too_large",
        "too_deep",
        "invalid_json",
        "wrong_type",
        "missing_id",
        "missing_source",
        "invalid_value",
        "undecidable",
        "unsanitisable",
    ];
}
