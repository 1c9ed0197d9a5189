//! TEMPORARY stub of the detectors; replaced by the real module.
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Phone,
    Iban,
    Bsn,
    Card,
    Postcode,
    Ip,
    Name,
}
impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Email,
        Kind::Phone,
        Kind::Iban,
        Kind::Bsn,
        Kind::Card,
        Kind::Postcode,
        Kind::Ip,
        Kind::Name,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
            Kind::Bsn => "bsn",
            Kind::Card => "card",
            Kind::Postcode => "postcode",
            Kind::Ip => "ip",
            Kind::Name => "name",
        }
    }
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
    pub fn default_placeholder(self) -> &'static str {
        match self {
            Kind::Postcode => "[address]",
            k => [
                "[email]", "[phone]", "[iban]", "[bsn]", "[card]", "", "[ip]", "[name]",
            ][k as usize],
        }
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindSet(u8);
impl KindSet {
    pub fn all() -> Self {
        KindSet(0xff)
    }
    pub fn contains(self, k: Kind) -> bool {
        self.0 & (1 << k as u8) != 0
    }
    pub fn insert(&mut self, k: Kind) {
        self.0 |= 1 << k as u8
    }
}
impl FromIterator<Kind> for KindSet {
    fn from_iter<I: IntoIterator<Item = Kind>>(i: I) -> Self {
        let mut s = KindSet(0);
        for k in i {
            s.insert(k)
        }
        s
    }
}
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("dictionary")]
    Dictionary,
}
pub struct Detectors;
impl Detectors {
    pub fn new(_kinds: &[Kind], _terms: &[String]) -> Result<Detectors, DetectError> {
        Ok(Detectors)
    }
    pub fn find(&self, text: &str, only: KindSet, extra_terms: &[&str], out: &mut Vec<Hit>) {
        if only.contains(Kind::Email) {
            if let Some(i) = text.find("@x.nl") {
                out.push(Hit {
                    kind: Kind::Email,
                    start: i,
                    end: i + 5,
                })
            }
        }
        if only.contains(Kind::Name) {
            for t in extra_terms {
                if let Some(i) = text.find(t) {
                    out.push(Hit {
                        kind: Kind::Name,
                        start: i,
                        end: i + t.len(),
                    })
                }
            }
        }
        out.sort_by_key(|h| h.start);
    }
}
pub fn redact<'a, 'p>(text: &'a str, hits: &[Hit], placeholder: impl Fn(Kind) -> &'p str) -> Cow<'a, str> {
    if hits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut at = 0;
    for h in hits {
        if h.start < at {
            continue;
        }
        out.push_str(&text[at..h.start]);
        out.push_str(placeholder(h.kind));
        at = h.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}
