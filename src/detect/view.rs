//! The normalised view the detectors read: personal data written with
//! Unicode digits, dashes or spaces, invisible characters, accents or
//! percent-escapes reads as its plain ASCII form, and every byte of the view
//! knows which character of the original it came from.
//!
//! In the view:
//! - every Unicode decimal digit is its ASCII digit (`０６` → `06`);
//! - every dash, hyphen and minus is `-`; every space separator is ` `;
//! - format characters (zero-width space and joiners, word joiner, soft
//!   hyphen, BOM, direction marks) and combining marks are left out;
//! - typographic apostrophes are `'` (`O’Neil`), the ideographic full
//!   stop is `.`;
//! - fullwidth ASCII is ASCII; Latin letters lose their accents (`Ï` → `I`,
//!   `ß` → `ss`), so names compare without diacritics;
//! - `%XX` escapes of printable ASCII are decoded (`jan%40example.nl`);
//! - a run of spaces reads as one (`4111  1111`).
//!
//! A hit in the view maps back to the span of the original that produced it:
//! from the first byte of its first character to the last byte of its last,
//! so invisible characters inside are replaced too. Text that needs none of
//! this gets no view at all ([`View::build`] returns false) and is scanned as
//! it is, at no extra cost.

use super::Hit;
use super::tables::{RANGES, Read};

/// A normalised copy of a text and, per byte, where it came from.
#[derive(Default)]
pub(super) struct View {
    pub(super) text: String,
    /// `starts[i]`: the byte offset in the original of the character that
    /// produced view byte `i`; one extra entry holds the original's length.
    starts: Vec<u32>,
}

/// How the view reads one character; `None` when it is itself.
pub(super) fn read(c: char) -> Option<Read> {
    if c.is_ascii() {
        return None;
    }
    let cp = u32::from(c);
    let i = RANGES.partition_point(|(_, last, _)| *last < cp);
    match RANGES.get(i) {
        Some(&(first, _, r)) if first <= cp => Some(match r {
            Read::Digit(zero) => Read::Digit(zero + (cp - first) as u8),
            other => other,
        }),
        _ => None,
    }
}

/// The value of a `%XX` escape at the start of `b` if it is printable ASCII.
fn percent_escape(b: &[u8]) -> Option<u8> {
    let hex = |x: u8| (x as char).to_digit(16);
    match b {
        [b'%', h, l, ..] => {
            let v = hex(*h)? * 16 + hex(*l)?;
            (0x20..0x7f).contains(&v).then_some(v as u8)
        }
        _ => None,
    }
}

/// Which bytes a text holds, from one pass over it: enough for the
/// detectors that cannot match to skip the text without a search of their
/// own. Most fields (tags, page names, places) are short and plain, and a
/// search call costs more than reading them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Census {
    pub(super) digit: bool,
    pub(super) colon: bool,
    pub(super) at: bool,
    /// `[`, `(`, `{` or `<`.
    pub(super) open: bool,
    pub(super) percent: bool,
    /// A byte that is not ASCII.
    pub(super) other: bool,
    /// Two spaces in a row.
    pub(super) double_space: bool,
    /// ASCII whitespace (what `\s` matches in ASCII mode).
    pub(super) space: bool,
}

const DIGIT: u8 = 1;
const COLON: u8 = 2;
const AT: u8 = 4;
const OPEN: u8 = 8;
const PERCENT: u8 = 16;
const OTHER: u8 = 32;
const SPACE: u8 = 64;

/// The class bits of each byte.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' => DIGIT,
            b':' => COLON,
            b'@' => AT,
            b'[' | b'(' | b'{' | b'<' => OPEN,
            b'%' => PERCENT,
            0x80..=0xff => OTHER,
            _ => 0,
        };
        b += 1;
    }
    let mut i = 0;
    while i < SPACES.len() {
        t[SPACES[i] as usize] = SPACE;
        i += 1;
    }
    t
};

/// The bytes `\s` matches in ASCII mode (`(?-u)`), as the detectors' patterns read it.
pub(super) const SPACES: [u8; 6] = [b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r'];

impl Census {
    pub(super) fn of(text: &str) -> Census {
        let b = text.as_bytes();
        let mut bits = 0u8;
        for c in b {
            bits |= CLASS[usize::from(*c)];
        }
        // Branch-free over the pairs, so it vectorises.
        let double_space = b
            .iter()
            .zip(b.iter().skip(1))
            .fold(false, |acc, (x, y)| acc | ((*x == b' ') & (*y == b' ')));
        Census {
            digit: bits & DIGIT != 0,
            colon: bits & COLON != 0,
            at: bits & AT != 0,
            open: bits & OPEN != 0,
            percent: bits & PERCENT != 0,
            other: bits & OTHER != 0,
            double_space,
            space: bits & SPACE != 0,
        }
    }

    /// True when the text reads differently in the view.
    pub(super) fn needs_view(&self, text: &str) -> bool {
        let b = text.as_bytes();
        self.double_space
            || (self.percent && memchr::memchr_iter(b'%', b).any(|i| percent_escape(&b[i..]).is_some()))
            // Only the non-ASCII characters need a table lookup, and only
            // they are decoded: the ASCII runs between them are skipped.
            || (self.other && non_ascii(text).any(|c| read(c).is_some()))
    }
}

/// The non-ASCII characters of `text`, found by skipping its ASCII runs a
/// chunk at a time (emoji and accents are rare in mostly plain text).
fn non_ascii(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let rest = text.get(pos..)?;
        let i = first_non_ascii(rest.as_bytes())?;
        let c = rest.get(i..)?.chars().next()?;
        pos += i + c.len_utf8();
        Some(c)
    })
}

fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    super::bytes::first_where(bytes, super::bytes::Class::NonAscii)
}

/// A set of bytes: one load and a bit test per look-up.
#[derive(Clone, Copy, Default)]
pub(super) struct Bytes([u64; 4]);

impl Bytes {
    pub(super) fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    pub(super) fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// True when `text` reads differently in the view.
pub(super) fn needed(text: &str) -> bool {
    Census::of(text).needs_view(text)
}

/// Appends `text` as the view reads it to `out` (for terms compared
/// against a view: dictionary entries, author names).
pub(super) fn fold_into(text: &str, out: &mut String) {
    if !needed(text) {
        out.push_str(text);
        return;
    }
    let mut view = View::default();
    view.fill(text);
    out.push_str(&view.text);
}

impl View {
    /// Fills the view of `text`; false (and an empty view) when the text
    /// reads as itself, so callers scan the original instead.
    pub(super) fn build(&mut self, text: &str, census: &Census) -> bool {
        self.text.clear();
        self.starts.clear();
        if !census.needs_view(text) {
            return false;
        }
        self.fill(text);
        true
    }

    fn fill(&mut self, text: &str) {
        self.text.clear();
        self.starts.clear();
        self.text.reserve(text.len());
        self.starts.reserve(text.len() + 1);
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < text.len() {
            let Some(c) = text.get(i..).and_then(|s| s.chars().next()) else {
                break;
            };
            let at = i as u32;
            let mut width = c.len_utf8();
            match (c, read(c)) {
                ('%', _) if percent_escape(&bytes[i..]).is_some() => {
                    if let Some(v) = percent_escape(&bytes[i..]) {
                        self.push(v as char, at);
                    }
                    width = 3;
                }
                (_, None) => self.push_str(text.get(i..i + width).unwrap_or_default(), at),
                (_, Some(Read::Digit(d))) => self.push((b'0' + d) as char, at),
                (_, Some(Read::Skip)) => {}
                (_, Some(Read::Text(t))) => self.push_str(t, at),
            }
            i += width;
        }
        self.starts.push(text.len() as u32);
    }

    fn push(&mut self, c: char, at: u32) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf), at);
    }

    fn push_str(&mut self, s: &str, at: u32) {
        // A space after a space adds nothing: runs of spaces read as one.
        if s == " " && self.text.ends_with(' ') {
            return;
        }
        self.text.push_str(s);
        self.starts.extend(std::iter::repeat_n(at, s.len()));
    }

    /// The span of `original` (the text the view was built from) that
    /// produced view bytes `hit.start..hit.end`. `None` if the hit is not a
    /// span of this view.
    pub(super) fn to_original(&self, original: &str, hit: Hit) -> Option<Hit> {
        if hit.start >= hit.end || hit.end > self.text.len() {
            return None;
        }
        let start = *self.starts.get(hit.start)? as usize;
        let last = *self.starts.get(hit.end - 1)? as usize;
        // The last character ends where the next one starts: a `%XX`
        // escape is three bytes wide, a character its UTF-8 width.
        let end = if original.as_bytes().get(last) == Some(&b'%')
            && percent_escape(&original.as_bytes()[last..]).is_some()
        {
            last + 3
        } else {
            last + original.get(last..)?.chars().next()?.len_utf8()
        };
        original.get(start..end)?;
        Some(Hit {
            kind: hit.kind,
            start,
            end,
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn non_ascii_characters_are_found_between_ascii_runs() {
        let long = format!("{}é{}😡x€", "a".repeat(40), "b".repeat(70));
        for text in ["", "plain", "é", "aé", "éa", "ß😡ü", long.as_str()] {
            let want: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
            assert_eq!(non_ascii(text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    use super::*;
    use crate::detect::Kind;

    fn view(s: &str) -> View {
        let mut v = View::default();
        assert!(v.build(s, &Census::of(s)), "{s:?} needs a view");
        v
    }

    #[test]
    fn needed_finds_what_changes_a_text_anywhere() {
        assert!(!needed("plain ascii text, 06-12345678 and 100%"));
        assert!(!needed(""));
        for at in [0, 1, 30, 31, 32, 33, 63, 64, 90] {
            let pad = "x".repeat(at);
            assert!(needed(&format!("{pad}  y")), "double space at {at}");
            assert!(needed(&format!("{pad}%40y")), "escape at {at}");
            assert!(needed(&format!("{pad}\u{ff10}y")), "fullwidth digit at {at}");
            assert!(!needed(&format!("{pad} y z")), "single spaces at {at}");
            assert!(!needed(&format!("{pad}%zz")), "no escape at {at}");
        }
        // Non-ASCII that reads as itself (a letter of another script).
        assert!(!needed("\u{5317}\u{4eac}"));
    }

    #[test]
    fn plain_text_needs_no_view() {
        let mut v = View::default();
        for text in ["bel 06-12345678, 100% zeker", "中文 text"] {
            assert!(!v.build(text, &Census::of(text)));
            assert!(v.text.is_empty());
        }
    }

    #[test]
    fn reads_digits_dashes_spaces_and_skips_format_characters() {
        assert_eq!(view("０６-１２３４").text, "06-1234");
        assert_eq!(view("06\u{2010}1\u{2013}2\u{2212}3").text, "06-1-2-3");
        assert_eq!(view("06\u{a0}12\u{202f}34\u{3000}5").text, "06 12 34 5");
        assert_eq!(view("4111  1111 \u{a0} 1").text, "4111 1111 1");
        assert_eq!(view("06\u{200b}12\u{ad}34\u{feff}\u{2060}5").text, "0612345");
        assert_eq!(view("٠٦١٢").text, "0612");
    }

    #[test]
    fn folds_accents_and_decodes_escapes() {
        assert_eq!(view("ANAÏS Anaïs Straße Øre").text, "ANAIS Anais Strasse Ore");
        assert_eq!(view("Anai\u{308}s").text, "Anais");
        assert_eq!(view("jan%40example.nl%2").text, "jan@example.nl%2");
        assert_eq!(view("ｊａｎ＠ｘ．ｎｌ").text, "jan@x.nl");
    }

    #[test]
    fn hits_map_back_to_whole_original_characters() {
        let orig = "tel ０６\u{200b}-１２ ok";
        let v = view(orig);
        assert_eq!(v.text, "tel 06-12 ok");
        let h = v
            .to_original(
                orig,
                Hit {
                    kind: Kind::Phone,
                    start: 4,
                    end: 9,
                },
            )
            .unwrap();
        assert_eq!(&orig[h.start..h.end], "０６\u{200b}-１２");

        let orig = "a%40b c";
        let v = view(orig);
        let h = v
            .to_original(
                orig,
                Hit {
                    kind: Kind::Email,
                    start: 0,
                    end: 3,
                },
            )
            .unwrap();
        assert_eq!(&orig[h.start..h.end], "a%40b");

        let orig = "Straße";
        let v = view(orig);
        // Half of `ss` still covers the whole `ß`.
        let h = v
            .to_original(
                orig,
                Hit {
                    kind: Kind::Name,
                    start: 0,
                    end: 5,
                },
            )
            .unwrap();
        assert_eq!(&orig[h.start..h.end], "Straß");
        assert!(
            v.to_original(
                orig,
                Hit {
                    kind: Kind::Name,
                    start: 3,
                    end: 99
                }
            )
            .is_none()
        );
    }

    #[test]
    fn fold_matches_view() {
        let mut s = String::new();
        fold_into("Anaïs van der Berg", &mut s);
        assert_eq!(s, "Anais van der Berg");
    }
}
