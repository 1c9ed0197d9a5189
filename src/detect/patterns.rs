//! The single multi-pattern regex for all pattern detectors, and the scan
//! loop that validates its candidates.
//!
//! Priority order (= pattern order; at the same start the earlier pattern is
//! tried first, later ones only if it fails validation): e-mail, mention,
//! IBAN, card (plain, grouped), IPv4, IPv6, phone (international, national,
//! North American), postcode (with house number after or before, alone),
//! BSN, WhatsApp link digits, and last the numbers that only a personal label
//! before them makes personal (`rekening NL12...`, `tel: 0612`).
//! Longer, checksummed shapes go first so that their digits are not claimed
//! by looser shapes (a 16-digit card is never read as a phone). BSN comes
//! late because a bare 8- or 9-digit run is weak evidence.
//!
//! Every pattern is ASCII (but the e-mail address's letters): the scan runs
//! on the normalised view (`view.rs`), where Unicode digits, dashes and
//! spaces already read as ASCII.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, Input, MatchKind, PatternID, meta};

use super::cues::Cues;
use super::validate::{self, Mask, Verdict};
use super::view::Census;
use super::{Hit, KindSet};

/// Building the pattern automata failed: the patterns are constants and
/// escaped cue words, so this is a bug, reported rather than panicking.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the e-mail and mention patterns")]
    At(#[source] Box<meta::BuildError>),
    #[error("the number patterns")]
    Numbers(#[source] Box<regex_automata::hybrid::BuildError>),
    #[error("reading the openings of the number patterns off their automaton")]
    Openings,
}

/// One notation of one detector; `validate` dispatches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    Email,
    Mention,
    Iban,
    CardPlain,
    CardGrouped,
    Ipv4,
    Ipv6,
    PhoneIntl,
    PhoneNational,
    PhoneNorthAmerican,
    PostcodeFirst,
    NumberFirst,
    PostcodeAlone,
    Bsn,
    PhoneWhatsApp,
    LabelledIban,
    LabelledDigits,
}

impl Form {
    /// The detector kind the form belongs to (the labelled forms take the
    /// kind of their label; they are enabled with any number kind).
    pub(super) fn kind(self) -> super::Kind {
        use super::Kind;
        match self {
            Form::Email => Kind::Email,
            Form::Mention => Kind::Mention,
            Form::Iban | Form::LabelledIban => Kind::Iban,
            Form::CardPlain | Form::CardGrouped => Kind::Card,
            Form::Ipv4 | Form::Ipv6 => Kind::Ip,
            Form::PhoneIntl
            | Form::PhoneNational
            | Form::PhoneNorthAmerican
            | Form::PhoneWhatsApp
            | Form::LabelledDigits => Kind::Phone,
            Form::PostcodeFirst | Form::NumberFirst | Form::PostcodeAlone => Kind::Postcode,
            Form::Bsn => Kind::Bsn,
        }
    }
}

// Building blocks. All ASCII (`(?-u)`) but the e-mail letters, so every
// match starts and ends on a char boundary. `\b` is ASCII-only; Unicode
// neighbours are checked in `validate::isolated`.
macro_rules! b {
    () => {
        r"(?-u:\b)"
    };
}
/// A separator inside a phone number: one space, dot, dash or slash, a
/// dash or slash with a space on either side or both, a spaced dot, or one
/// of the stray keys people type between the groups (`06*12345678`,
/// `06_12345678`, `06,12345678`, a tab).
macro_rules! phone_sep {
    () => {
        r"(?: ?[\-/] ?| \. |[ .*_,\t])"
    };
}
/// One digit of a phone number, maybe after a separator, or an area code
/// in parentheses.
macro_rules! phone_digit {
    () => {
        concat!(r"(?:", phone_sep!(), r"?(?:\([0-9]{1,4}\)|[0-9]))")
    };
}
/// Postcode: 4 digits (first 1-9), an optional space or dash, two letters
/// (a dash only where the validation finds it an address).
macro_rules! postcode {
    () => {
        r"[1-9][0-9]{3}[ \-]?[A-Za-z]{2}"
    };
}
/// House number with an optional addition: `12a`, `12 A`, `12-14`, `12-bis`.
macro_rules! house_number {
    () => {
        r"[1-9][0-9]{0,4}(?:[A-Za-z]|-[0-9A-Za-z]{1,4}| [A-Za-z])?(?-u:\b)"
    };
}
macro_rules! ipv4 {
    () => {
        r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"
    };
}
/// E-mail letters: any Unicode letter or digit (the view has already
/// folded Latin accents, so this is for other scripts).
macro_rules! email_char {
    () => {
        r"(?u:[\p{L}\p{N}_])"
    };
}
/// E-mail domain label: a letter or digit at both ends, dashes inside.
macro_rules! label {
    () => {
        concat!(email_char!(), r"(?:(?u:[\p{L}\p{N}_-])*", email_char!(), r")?")
    };
}

/// The patterns with a fixed text; the postcode patterns name the house
/// number cue words of the rule set and are added in [`PatternSet::new`].
fn patterns(cues: &Cues) -> Vec<(Form, String)> {
    let house_label = if cues.house_number.is_empty() {
        String::new()
    } else {
        let words: Vec<String> = cues.house_number.iter().map(regex::escape).collect();
        format!(r"(?:(?i:{})\.?:? ?)?", words.join("|"))
    };
    let fixed: &[(Form, &str)] = &[
        (
            Form::Email,
            // No `\b` around: the local part and the top-level domain may be
            // in any script; `validate` checks both neighbours.
            concat!(
                r"(?-u)",
                email_char!(),
                r"(?u:[\p{L}\p{N}_%+-])*(?:\.(?u:[\p{L}\p{N}_%+-])+)*@",
                label!(),
                r"(?:\.",
                label!(),
                r")*\.(?:xn--[a-z0-9-]+|(?u:\p{L}){2,})",
            ),
        ),
        (
            Form::Mention,
            r"(?-u)@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?",
        ),
        (Form::CardPlain, concat!(r"(?-u)", b!(), r"[0-9]{13,19}", b!())),
        (
            Form::CardGrouped,
            // `4111 1111 1111 1111`, `4111 11111111 1111`, `4111/1111/...`.
            concat!(r"(?-u)", b!(), r"[0-9]{4}(?:[ .\-/_][0-9]{3,8}){2,4}", b!()),
        ),
        // Also with dashes, as in a provider's host name
        // (`ip-83-84-85-86.ziggo.nl`), or defanged (`83[.]84[.]85[.]86`);
        // `validate` wants one separator throughout, and a dash only there.
        (
            Form::Ipv4,
            concat!(
                r"(?-u)",
                b!(),
                r"[0-9]{1,3}(?:(?:\.|-|\[\.\])[0-9]{1,3}){3}",
                b!()
            ),
        ),
        (
            Form::Ipv6,
            concat!(
                r"(?-u)(?:[0-9A-Fa-f]{0,4}:){2,7}(?:",
                ipv4!(),
                r"|[0-9A-Fa-f]{1,4})?"
            ),
        ),
        (
            Form::PhoneIntl,
            // `(+31) 6 ...`, `(0032) 470 ...`: the country code in
            // parentheses, as in business signatures; `+ 31 6 ...`, a
            // space after the plus.
            concat!(
                r"(?-u)(?:(?:\+ ?|",
                b!(),
                r"00)[1-9]|\((?:\+|00)[1-9][0-9]{0,2}\))",
                phone_digit!(),
                r"{6,20}",
                b!()
            ),
        ),
        (
            Form::PhoneNational,
            concat!(
                r"(?-u)(?:",
                b!(),
                // `0 801 23 45 67`: a trunk 0 written apart; `(088 755 55 55)`;
                // `(0)6-12345678`, the trunk marker without its country code.
                r"0 ?[1-9]|\(0[1-9][0-9]{0,3}\)|\(0[1-9]|\(0\) ?[1-9])",
                phone_digit!(),
                r"{5,14}",
                b!()
            ),
        ),
        (
            Form::PhoneNorthAmerican,
            concat!(
                r"(?-u)(?:",
                b!(),
                r"1[ .\-]?)?(?:\(1?[2-9][0-9]{2}\) ?|",
                b!(),
                r"[2-9][0-9]{2}[ .\-/])[2-9][0-9]{2}[ .\-/]?[0-9]{4}",
                b!()
            ),
        ),
    ];
    let mut out: Vec<(Form, String)> = fixed.iter().map(|(f, p)| (*f, (*p).to_owned())).collect();
    // After the mention, before the cards (priority order).
    let countries: Vec<&str> = super::iban::countries().collect();
    out.insert(
        2,
        (
            Form::Iban,
            format!(
                r"(?-u){b}(?i:{cc})[ .\-]?[0-9]{{2}}(?:[ .\-]?[A-Za-z0-9]){{11,30}}{b}",
                b = b!(),
                cc = countries.join("|")
            ),
        ),
    );
    out.push((
        Form::PostcodeFirst,
        format!(
            // `1234 AB 12`, `1234AB, 12`, `1234AB-12`.
            r"(?-u){b}{pc}(?:, ?| |-)?{house_label}{hn}",
            b = b!(),
            pc = postcode!(),
            hn = house_number!()
        ),
    ));
    out.push((
        Form::NumberFirst,
        format!(
            r"(?-u){b}[1-9][0-9]{{0,4}}[A-Za-z]?,? {pc}{b}",
            b = b!(),
            pc = postcode!()
        ),
    ));
    out.push((
        Form::PostcodeAlone,
        format!(r"(?-u){b}{pc}{b}", b = b!(), pc = postcode!()),
    ));
    let tail: &[(Form, &str)] = &[
        (
            Form::Bsn,
            concat!(r"(?-u)", b!(), r"[0-9](?:[ .\-]?[0-9]){7,8}", b!()),
        ),
        (
            Form::PhoneWhatsApp,
            concat!(r"(?-u)", b!(), r"[1-9][0-9]{7,14}", b!()),
        ),
        (
            Form::LabelledIban,
            concat!(r"(?-u)", b!(), r"[A-Za-z]{2}[0-9]{2}(?:[ .\-]?[A-Za-z0-9]){6,30}"),
        ),
        (
            Form::LabelledDigits,
            concat!(r"(?-u)[+(]?[0-9](?:", phone_sep!(), r"?[()]?[0-9]){4,30}"),
        ),
    ];
    out.extend(tail.iter().map(|(f, p)| (*f, (*p).to_owned())));
    out
}

impl Form {
    /// Whether a match of this form can start with byte `b` (a test checks
    /// it on the compiled patterns). The scan tries a lower-priority form
    /// at a rejected candidate's start only when it can: most of those
    /// anchored searches would fail at once, and each costs a regex call.
    fn can_start_with(self, b: u8) -> bool {
        match self {
            Form::Email => b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80,
            Form::Mention => b == b'@',
            Form::Iban | Form::LabelledIban => b.is_ascii_alphabetic(),
            Form::CardPlain | Form::CardGrouped | Form::Ipv4 | Form::Bsn => b.is_ascii_digit(),
            Form::Ipv6 => b.is_ascii_hexdigit() || b == b':',
            Form::PhoneIntl => matches!(b, b'+' | b'0' | b'('),
            Form::PhoneNational => matches!(b, b'0' | b'('),
            Form::PhoneNorthAmerican => matches!(b, b'1'..=b'9' | b'('),
            Form::PostcodeFirst | Form::NumberFirst | Form::PostcodeAlone | Form::PhoneWhatsApp => {
                matches!(b, b'1'..=b'9')
            }
            Form::LabelledDigits => b.is_ascii_digit() || matches!(b, b'+' | b'('),
        }
    }

    /// The forms searched around an `@` (first in priority order).
    fn around_at(self) -> bool {
        matches!(self, Form::Email | Form::Mention)
    }

    /// Only a personal label attached before it makes this form personal.
    fn needs_personal_label(self) -> bool {
        matches!(self, Form::LabelledIban | Form::LabelledDigits)
    }
}

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The patterns of the enabled kinds in priority order, in two automata:
///
/// - the forms around an `@` (e-mail, mention; first in priority): one
///   regex searched unanchored, only where the text has an `@`;
/// - all other forms: one lazy DFA run only *anchored*, at the positions
///   where a match can start (near a digit or `:`). A text holds few such
///   positions and most die within a byte or two, so this is cheaper than
///   an unanchored search, which restarts after every rejected candidate
///   and must scan backwards to find each match's start.
///
/// Trying the positions in order and taking the first that matches gives
/// the leftmost-first match of the whole set, as one regex would.
pub(super) struct PatternSet {
    /// Over `forms[..at_forms]`.
    at: Option<meta::Regex>,
    /// Over `forms[at_forms..]` (pattern id + `at_forms` = form index).
    numbers: Option<Numbers>,
    at_forms: usize,
    forms: Vec<Form>,
}

struct Numbers {
    dfa: DFA,
    caches: Pool<Cache, CacheFn>,
    openings: Openings,
}

/// The two-byte openings a number form's match can begin with, by the byte
/// before; read off the DFA once. A position whose opening is not here
/// leads the DFA to its dead state within two bytes, so it is not searched:
/// most positions near a digit are of that kind, and a search costs far
/// more than this lookup.
///
/// Bytes are read by the DFA's own byte classes (bytes of one class move
/// every state alike), so the table is a few kilobytes and stays in the
/// first-level cache: by the byte before, 256 sets of 256 bytes each were
/// 40 KB, and its look-ups missed.
struct Openings {
    /// By the byte before (256: the start of the text), the start class.
    class: Vec<u8>,
    /// The DFA's class of each byte.
    bytes: [u8; 256],
    /// Byte classes per start class (the row length of `seconds`).
    width: usize,
    /// By start class and the first byte's class, the set of the second
    /// byte's classes (a 256-bit set).
    seconds: Vec<[u64; 4]>,
}

impl Openings {
    fn new(dfa: &DFA) -> Result<Openings, BuildError> {
        let mut cache = dfa.create_cache();
        let clears = cache.clear_count();
        let mut starts = Vec::new();
        let mut class = Vec::with_capacity(257);
        for before in (0..=255u8).map(Some).chain([None]) {
            let config = start::Config::new().anchored(Anchored::Yes).look_behind(before);
            let s = dfa
                .start_state(&mut cache, &config)
                .map_err(|_| BuildError::Openings)?;
            let i = starts.iter().position(|t| *t == s).unwrap_or_else(|| {
                starts.push(s);
                starts.len() - 1
            });
            class.push(u8::try_from(i).map_err(|_| BuildError::Openings)?);
        }
        let classes = dfa.byte_classes();
        let mut bytes = [0u8; 256];
        for b in 0..=255u8 {
            bytes[usize::from(b)] = classes.get(b);
        }
        let width = bytes.iter().map(|c| usize::from(*c) + 1).max().unwrap_or(1);
        // One byte of each class stands for it.
        let mut stand_in = vec![None; width];
        for b in 0..=255u8 {
            stand_in[usize::from(bytes[usize::from(b)])].get_or_insert(b);
        }
        let stand_in: Vec<u8> = stand_in.into_iter().flatten().collect();
        if stand_in.len() != width {
            return Err(BuildError::Openings);
        }
        let mut seconds = vec![[0u64; 4]; starts.len() * width];
        for (row, (&s, &b0)) in starts
            .iter()
            .flat_map(|s| stand_in.iter().map(move |b0| (s, b0)))
            .enumerate()
        {
            let t = dfa
                .next_state(&mut cache, s, b0)
                .map_err(|_| BuildError::Openings)?;
            if t.is_dead() {
                continue;
            }
            for (c1, &b1) in stand_in.iter().enumerate() {
                let u = dfa
                    .next_state(&mut cache, t, b1)
                    .map_err(|_| BuildError::Openings)?;
                if !u.is_dead()
                    && let Some(set) = seconds.get_mut(row)
                {
                    set[c1 >> 6] |= 1 << (c1 & 63);
                }
            }
        }
        // State ids are only comparable while the cache was never cleared.
        if cache.clear_count() != clears {
            return Err(BuildError::Openings);
        }
        Ok(Openings {
            class,
            bytes,
            width,
            seconds,
        })
    }

    /// Whether a match may start at `p` (the text's byte there and after).
    fn may_start(&self, bytes: &[u8], p: usize) -> bool {
        let before = p
            .checked_sub(1)
            .and_then(|i| bytes.get(i))
            .map_or(256, |b| usize::from(*b));
        let (Some(&b0), Some(&b1)) = (bytes.get(p), bytes.get(p + 1)) else {
            // The last byte of the text: let the search decide.
            return true;
        };
        let start = self.class.get(before).map_or(0, |c| usize::from(*c));
        let (c0, c1) = (self.bytes[usize::from(b0)], self.bytes[usize::from(b1)]);
        self.seconds
            .get(start * self.width + usize::from(c0))
            .is_none_or(|set| set[usize::from(c1 >> 6)] & (1 << (c1 & 63)) != 0)
    }
}

/// A leftmost-first match: the form index and the byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Candidate {
    form: usize,
    start: usize,
    end: usize,
}

/// The lazy DFA gave up on a text (it is configured never to, so this is
/// a bug; the caller fails closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GaveUp;

impl PatternSet {
    /// `Ok(None)` when no pattern kind is enabled. The patterns are constants
    /// and escaped cue words, so an error here is a bug, but it is reported
    /// rather than panicking.
    pub(super) fn new(kinds: KindSet, cues: &Cues) -> Result<Option<PatternSet>, BuildError> {
        let numbers = [
            super::Kind::Phone,
            super::Kind::Iban,
            super::Kind::Bsn,
            super::Kind::Card,
            super::Kind::Postcode,
        ];
        let (forms, pats): (Vec<Form>, Vec<String>) = patterns(cues)
            .into_iter()
            .filter(|(f, _)| match f {
                // A personal label may name any number kind.
                Form::LabelledIban | Form::LabelledDigits => numbers.iter().any(|k| kinds.contains(*k)),
                _ => kinds.contains(f.kind()),
            })
            .unzip();
        if forms.is_empty() {
            return Ok(None);
        }
        let at_forms = forms.iter().take_while(|f| f.around_at()).count();
        let (at_pats, digit_pats) = pats.split_at(at_forms);
        let at = if at_pats.is_empty() {
            None
        } else {
            Some(meta::Regex::new_many(at_pats).map_err(|e| BuildError::At(Box::new(e)))?)
        };
        let numbers = if digit_pats.is_empty() {
            None
        } else {
            let dfa = DFA::builder()
                .configure(
                    DFA::config()
                        .match_kind(MatchKind::LeftmostFirst)
                        .starts_for_each_pattern(true)
                        // Never give up: a search that gave up would leave
                        // the text unread.
                        .minimum_cache_clear_count(None),
                )
                .syntax(syntax::Config::new().utf8(false))
                .build_many(digit_pats)
                .map_err(|e| BuildError::Numbers(Box::new(e)))?;
            let openings = Openings::new(&dfa)?;
            let for_caches = dfa.clone();
            let create: CacheFn = Box::new(move || for_caches.create_cache());
            Some(Numbers {
                dfa,
                caches: Pool::new(create),
                openings,
            })
        };
        Ok(Some(PatternSet {
            at,
            numbers,
            at_forms,
            forms,
        }))
    }

    /// Appends validated hits of kinds in `only` to `out`, sorted and
    /// disjoint. `out[..pre]` holds hits found before (names, obfuscated
    /// addresses; sorted, disjoint), which the context checks treat as
    /// future placeholders.
    pub(super) fn scan(
        &self,
        text: &str,
        census: &Census,
        only: KindSet,
        cues: &Cues,
        pre: usize,
        out: &mut Vec<Hit>,
    ) -> Result<Reread, GaveUp> {
        let mut reread = false;
        let mut search = Search {
            set: self,
            text,
            census,
            cache: self.numbers.as_ref().map(|n| n.caches.get()),
            at: None,
            ahead: Ahead::default(),
            tried_to: 0,
        };
        let bytes = text.as_bytes();
        let mut pos = 0;
        // The last pushed pattern hit; see `validate::Mask`.
        let mut last = (0, 0);
        // Start of a number glued to the last rejected candidate.
        let mut glued = None;
        // How far the candidates judged so far read: the ends of the
        // matches tried, and where a rejected one resumed. A hit that
        // starts before it, or a name found before that it covers, means a
        // placeholder there changes what the scan reads (`reread`).
        let mut reach = 0;
        while pos < text.len() {
            let Some(m) = search.leftmost(pos)? else {
                break;
            };
            let (start, end) = (m.start, m.end);
            if end <= start {
                break; // no pattern matches empty; guards against looping
            }
            search.tried_to = end;
            let judged = if glued == Some(start) {
                Err(None)
            } else {
                let mask = Mask {
                    last,
                    pre: out.get(..pre).unwrap_or_default(),
                };
                search.judge(m, &mask, cues)?
            };
            // From where this candidate read beyond its verdict.
            let beyond = match judged {
                Ok((kind, hit_start, hit_end)) => {
                    if only.contains(kind) {
                        reread |= hit_start < reach;
                        out.push(Hit {
                            kind,
                            start: hit_start,
                            end: hit_end,
                        });
                        // Only redacted hits turn into placeholders.
                        last = (hit_start, hit_end);
                    }
                    pos = hit_end;
                    hit_end
                }
                // Resume after the first word of the rejected candidate:
                // never inside a rejected digit run (its tail is no separate
                // number), but a number after a space may be one.
                Err(glue) => {
                    glued = glue.or(glued.filter(|g| *g > start));
                    pos = match self.forms.get(m.form) {
                        Some(Form::Iban) => iban_groups_end(bytes, start, end),
                        _ => first_word_end(bytes, start, end),
                    };
                    start
                }
            };
            let read_to = search.tried_to.max(pos);
            if read_to > beyond {
                // Over a name found before (`Kees NL91 ABNA ...`).
                let names = out.get(..pre).unwrap_or_default();
                reread |= super::overlaps_any(names, beyond, read_to);
                reach = reach.max(read_to);
            }
        }
        Ok(Reread(reread))
    }
}

/// Whether a candidate the scan rejected read into a hit or into a name
/// found before: once that is a placeholder, the scan may read the text
/// there otherwise, so the redaction needs its confirming pass.
pub(super) struct Reread(pub(super) bool);

/// A candidate's verdict: the hit (kind and span), or the start of a number
/// glued to it if any attempt found one.
type Judged = Result<(super::Kind, usize, usize), Option<usize>>;

/// One scan of one text: the lazy DFA's cache, and the last search for an
/// address (valid until the scan passes its start).
struct Search<'s, 't> {
    set: &'s PatternSet,
    text: &'t str,
    census: &'t Census,
    cache: Option<PoolGuard<'s, Cache, CacheFn>>,
    /// `(searched from, result)` of the last search of the `@` forms.
    at: Option<(usize, Option<Candidate>)>,
    ahead: Ahead,
    /// The furthest end of the matches tried for the candidate being judged.
    tried_to: usize,
}

impl Search<'_, '_> {
    /// The leftmost-first match of all forms starting at or after `pos`.
    fn leftmost(&mut self, pos: usize) -> Result<Option<Candidate>, GaveUp> {
        let at = self.leftmost_at(pos);
        let Some(numbers) = &self.set.numbers else {
            return Ok(at);
        };
        // A number form must start before the address: at the same start
        // the `@` forms come first in priority.
        let limit = at.map_or(self.text.len(), |m| m.start);
        let bytes = self.text.as_bytes();
        let mut p = pos;
        while let Some(q) = self
            .ahead
            .earliest_start(bytes, p, self.census)
            .filter(|q| *q < limit)
        {
            if numbers.openings.may_start(bytes, q)
                && let Some((form, end)) = self.anchored(q, None)?
            {
                return Ok(Some(Candidate { form, start: q, end }));
            }
            p = q + 1;
        }
        Ok(at)
    }

    /// The leftmost match of the `@` forms at or after `pos`, searched only
    /// when the text has an `@` there, and reused while `pos` has not passed
    /// its start (a search from later finds the same match).
    fn leftmost_at(&mut self, pos: usize) -> Option<Candidate> {
        let re = self.set.at.as_ref()?;
        if let Some((from, found)) = self.at
            && from <= pos
            && found.is_none_or(|m| m.start >= pos)
        {
            return found;
        }
        let found = email_start(self.text.as_bytes(), pos, self.census).and_then(|from| {
            let m = re.search(&Input::new(self.text).range(from..))?;
            Some(Candidate {
                form: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
        });
        self.at = Some((pos, found));
        found
    }

    /// The number forms anchored at `start` (only `form` if given): the
    /// form index and the match end.
    fn anchored(&mut self, start: usize, form: Option<usize>) -> Result<Option<(usize, usize)>, GaveUp> {
        let (Some(numbers), Some(cache)) = (&self.set.numbers, self.cache.as_mut()) else {
            return Ok(None);
        };
        let mode = match form {
            None => Anchored::Yes,
            Some(f) => match f.checked_sub(self.set.at_forms).map(PatternID::new) {
                Some(Ok(pid)) => Anchored::Pattern(pid),
                _ => return Ok(None),
            },
        };
        let found = walk(&numbers.dfa, cache, self.text.as_bytes(), start, mode)?;
        Ok(found.map(|(pid, end)| (self.set.at_forms + pid.as_usize(), end)))
    }

    /// The `@` form `form` anchored at `start`: the match end.
    fn anchored_at(&self, start: usize, form: usize) -> Option<usize> {
        let re = self.set.at.as_ref()?;
        let pid = PatternID::new(form).ok()?;
        let input = Input::new(self.text)
            .range(start..)
            .anchored(Anchored::Pattern(pid));
        re.search(&input).map(|m| m.end())
    }

    /// Validates the leftmost-first winner `m`; if it fails, tries the
    /// lower-priority forms anchored at the same start (higher ones did not
    /// match there, or they would have won). `Err` carries the start of a
    /// glued number if any attempt found one.
    fn judge(&mut self, m: Candidate, mask: &Mask, cues: &Cues) -> Result<Judged, GaveUp> {
        let (text, start) = (self.text, m.start);
        let forms = &self.set.forms;
        let mut glue = None;
        let label = validate::Label::at(text, start);
        let mut try_form = |idx: usize, end: usize| {
            let form = *forms.get(idx)?;
            match validate::accept(form, text, (start, end), &label, mask, cues) {
                Verdict::Hit(kind, s, e) => Some((kind, s, e)),
                Verdict::Reject => None,
                Verdict::GluedTo(p) => {
                    glue = glue.or(Some(p));
                    None
                }
            }
        };
        if let Some(hit) = try_form(m.form, m.end) {
            return Ok(Ok(hit));
        }
        let Some(&first_byte) = text.as_bytes().get(start) else {
            return Ok(Err(glue));
        };
        for (idx, &form) in forms.iter().enumerate().skip(m.form + 1) {
            // Skip the forms that cannot match or be accepted here without
            // a search (the validation would reject them anyway).
            if !form.can_start_with(first_byte)
                || (form.needs_personal_label() && label.personal(cues).is_none())
                || !validate::may_accept(form, text, start)
            {
                continue;
            }
            let end = if form.around_at() {
                self.anchored_at(start, idx)
            } else {
                self.anchored(start, Some(idx))?.map(|(_, end)| end)
            };
            if let Some(end) = end {
                self.tried_to = self.tried_to.max(end);
                if let Some(hit) = try_form(idx, end) {
                    return Ok(Ok(hit));
                }
            }
        }
        Ok(Err(glue))
    }
}

/// The leftmost-first match anchored at `start`: its pattern and end. The
/// DFA's own search does the same, but sets up more per call than the few
/// bytes most of our calls walk before the dead state (a test checks that
/// both agree).
fn walk(
    dfa: &DFA,
    cache: &mut Cache,
    bytes: &[u8],
    start: usize,
    mode: Anchored,
) -> Result<Option<(PatternID, usize)>, GaveUp> {
    let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
    let config = start::Config::new().anchored(mode).look_behind(before);
    let mut sid = dfa.start_state(cache, &config).map_err(|_| GaveUp)?;
    // Match states come one byte late: a match state entered on the byte at
    // `at` means a match ended at `at`.
    let mut found = None;
    for (at, &b) in bytes.iter().enumerate().skip(start) {
        sid = dfa.next_state(cache, sid, b).map_err(|_| GaveUp)?;
        if sid.is_tagged() {
            if sid.is_match() {
                found = Some((dfa.match_pattern(cache, sid, 0), at));
            } else if sid.is_dead() {
                return Ok(found);
            } else if sid.is_quit() {
                return Err(GaveUp);
            }
        }
    }
    sid = dfa.next_eoi_state(cache, sid).map_err(|_| GaveUp)?;
    if sid.is_match() {
        found = Some((dfa.match_pattern(cache, sid, 0), bytes.len()));
    }
    Ok(found)
}

/// The end of the first whitespace-free run of `bytes[start..end]`; right
/// after the `@` of a rejected mention (no digit run, and what follows it
/// may be an address or number of its own).
fn first_word_end(bytes: &[u8], start: usize, end: usize) -> usize {
    let cand = bytes.get(start..end).unwrap_or_default();
    // After `@` of a rejected mention, or the `(`/`+` of a rejected number
    // (`(192.168.1.1)`: an address starts inside).
    if matches!(cand.first(), Some(b'@' | b'(' | b'+')) {
        return start + 1;
    }
    match cand.iter().position(|b| *b == b' ') {
        Some(i) if i > 0 => start + i,
        _ => end,
    }
}

/// The end of a rejected IBAN's groups: tokens holding a digit or four
/// capitals (`NL92 ABNA 0417 1643 00`), so its digit groups are not read
/// again as a phone number; a word after it (`en bel 06...`) is.
fn iban_groups_end(bytes: &[u8], start: usize, end: usize) -> usize {
    let cand = bytes.get(start..end).unwrap_or_default();
    let mut last = 0;
    for token in cand.split(|b| *b == b' ') {
        let group = token.iter().any(u8::is_ascii_digit)
            || (token.len() == 4 && token.iter().all(u8::is_ascii_uppercase));
        if !group {
            break;
        }
        last += token.len() + 1;
    }
    start + last.saturating_sub(1).clamp(1, cand.len().max(1))
}

/// Where an e-mail address or mention at or after `pos` can start at the
/// earliest: it holds exactly one `@` and no whitespace, so it starts after
/// the last whitespace before the first `@` at or after `pos`. `census` is
/// the whole text's: a text without `@` is not searched for one.
fn email_start(bytes: &[u8], pos: usize, census: &Census) -> Option<usize> {
    if !census.at {
        return None;
    }
    let rest = bytes.get(pos..)?;
    let at = memchr::memchr(b'@', rest)?;
    let word = memchr::memrchr3(b' ', b'\n', b'\t', &rest[..at]).map_or(0, |i| i + 1);
    Some(pos + word)
}

/// The earliest start of a match at or after a position of any pattern but
/// e-mail and mention: every other pattern has an ASCII digit within its
/// first [`DIGIT_WITHIN`] bytes, or for IPv6 a `:` within its first
/// [`COLON_WITHIN`] (a test checks both on the compiled patterns). Most
/// sentences have no digit and no colon, so the automaton does not run over
/// them at all.
///
/// The scan asks from every position it tries, in increasing order, so the
/// next digit and colon found are remembered: a later question whose answer
/// lies at or beyond its position costs no search (a time such as `09:05`
/// at the end of a text was searched for again from every position before).
#[derive(Default)]
struct Ahead {
    digit: Next,
    colon: Next,
}

/// The first position of a byte class at or after `from` (`None`: none
/// there), remembered for any later question from at most that position.
#[derive(Clone, Copy, Default)]
struct Next {
    from: usize,
    found: Option<Option<usize>>,
}

impl Next {
    fn get(&mut self, pos: usize, search: impl FnOnce(usize) -> Option<usize>) -> Option<usize> {
        if let Some(found) = self.found
            && self.from <= pos
            && found.is_none_or(|i| i >= pos)
        {
            return found;
        }
        let found = search(pos);
        *self = Next {
            from: pos,
            found: Some(found),
        };
        found
    }
}

impl Ahead {
    /// `None`: no match can start at or after `pos`.
    fn earliest_start(&mut self, bytes: &[u8], pos: usize, census: &Census) -> Option<usize> {
        let rest = |p: usize| bytes.get(p..).unwrap_or_default();
        let digit = census
            .digit
            .then(|| self.digit.get(pos, |p| first_digit(rest(p)).map(|i| p + i)))
            .flatten()
            .map(|i| i.saturating_sub(DIGIT_WITHIN - 1));
        let colon = census
            .colon
            .then(|| {
                self.colon
                    .get(pos, |p| memchr::memchr(b':', rest(p)).map(|i| p + i))
            })
            .flatten()
            .map(|i| i.saturating_sub(COLON_WITHIN - 1));
        let start = match (digit, colon) {
            (Some(d), Some(c)) => d.min(c),
            (d, c) => d.or(c)?,
        };
        Some(start.max(pos))
    }
}

/// A match of any pattern but e-mail, mention and IPv6 has an ASCII digit
/// among its first this many bytes (`NL 91...`, `+31...`, `(0...`).
const DIGIT_WITHIN: usize = 4;
/// An IPv6 match has a `:` among its first this many bytes (`fe80:`).
const COLON_WITHIN: usize = 5;

fn first_digit(bytes: &[u8]) -> Option<usize> {
    // Inside a digit run (the scan asks again from the next byte) the
    // answer is the first byte.
    if bytes.first().is_some_and(u8::is_ascii_digit) {
        return Some(0);
    }
    super::bytes::first_where(bytes, super::bytes::Class::Digit)
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Kind;

    fn cues() -> Cues {
        Cues {
            house_number: super::super::cues::Words::new(["huisnummer", "nr"]),
            ..Cues::default()
        }
    }

    /// A pattern's DFA with anchored starts only: the scan only walks
    /// anchored, and an unanchored start would make the DFA track a new
    /// match at every `(` inside a phone number (gigabytes for PhoneIntl).
    fn anchored_dfa(pattern: &str) -> regex_automata::dfa::dense::DFA<Vec<u32>> {
        use regex_automata::dfa::{StartKind, dense};
        dense::Builder::new()
            .configure(dense::Config::new().start_kind(StartKind::Anchored))
            .build(pattern)
            .unwrap()
    }

    #[test]
    fn all_patterns_compile_with_one_pattern_per_form() {
        let set = PatternSet::new(KindSet::all(), &cues());
        assert!(matches!(&set, Ok(Some(s)) if s.forms.len() == patterns(&cues()).len()));
        assert!(matches!(PatternSet::new(Kind::Name.into(), &cues()), Ok(None)));
    }

    #[test]
    fn priority_order_is_documented_order() {
        let kinds: Vec<Kind> = patterns(&cues()).iter().map(|(f, _)| f.kind()).collect();
        let mut dedup = kinds.clone();
        dedup.dedup();
        assert_eq!(
            dedup,
            vec![
                Kind::Email,
                Kind::Mention,
                Kind::Iban,
                Kind::Card,
                Kind::Ip,
                Kind::Phone,
                Kind::Postcode,
                Kind::Bsn,
                Kind::Phone,
                Kind::Iban,
                Kind::Phone,
            ]
        );
    }

    #[test]
    fn earliest_start_skips_text_without_digits() {
        let at = |s: &str, pos| Ahead::default().earliest_start(s.as_bytes(), pos, &Census::of(s));
        assert_eq!(at("geen cijfers hier, alleen tekst", 0), None);
        assert_eq!(at("om 10 uur", 0), Some(0));
        assert_eq!(at("over 10 uur", 0), Some(2));
        assert_eq!(at("om 10 uur", 4), Some(4));
        assert_eq!(at("om 10 uur", 5), None);
        assert_eq!(at("1", 0), Some(0));
        assert_eq!(at("adres fe80::1", 0), Some(5));
        assert_eq!(at(&format!("{}7", "x".repeat(100)), 3), Some(97));
        assert_eq!(at("x", 5), None);
        // One `Ahead` asked in increasing order, as the scan asks, answers
        // as a fresh one does: the remembered digit and colon are reused
        // only while they lie ahead.
        for text in [
            "om 09:05 of 10:30 uur",
            "a:b 1 c::d 22 e",
            "x 1 y",
            "geen",
            "12:",
            ":12",
        ] {
            let census = Census::of(text);
            let mut kept = Ahead::default();
            for pos in 0..=text.len() + 1 {
                let fresh = Ahead::default().earliest_start(text.as_bytes(), pos, &census);
                assert_eq!(
                    kept.earliest_start(text.as_bytes(), pos, &census),
                    fresh,
                    "{text:?} at {pos}"
                );
            }
        }
    }

    #[test]
    fn email_start_is_the_word_before_the_at() {
        let at = |s: &str, pos| email_start(s.as_bytes(), pos, &Census::of(s));
        assert_eq!(at("mail naar jan@example.nl nu", 0), Some(10));
        assert_eq!(at("bel 06 of mail jan@x.nl", 0), Some(15));
        assert_eq!(at("bel 06 of mail jan@x.nl", 16), Some(16));
        assert_eq!(at("geen adres", 0), None);
        assert_eq!(at("@sanne", 0), Some(0));
    }

    /// `Form::can_start_with` on the compiled DFA of each pattern: from
    /// every anchored start state (any byte before), a byte it excludes
    /// leads nowhere.
    #[test]
    fn first_bytes_are_the_patterns_own() {
        use regex_automata::dfa::Automaton;
        use regex_automata::util::start;

        for (form, pattern) in patterns(&cues()) {
            let dfa = anchored_dfa(&pattern);
            for before in std::iter::once(None).chain((0..=255u8).map(Some)) {
                let config = start::Config::new().anchored(Anchored::Yes).look_behind(before);
                let s = dfa.start_state(&config).unwrap();
                assert!(
                    !dfa.is_match_state(dfa.next_eoi_state(s)),
                    "{form:?} matches empty"
                );
                for b in (0..=255u8).filter(|b| !form.can_start_with(*b)) {
                    let t = dfa.next_state(s, b);
                    assert!(
                        dfa.is_dead_state(t) && !dfa.is_match_state(t),
                        "{form:?} can start with byte {b:#x} after {before:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn resume_after_first_word() {
        assert_eq!(first_word_end(b"12 13 0612345678", 0, 16), 2);
        assert_eq!(first_word_end(b"1234567", 0, 7), 7);
    }

    /// The promise `Ahead::earliest_start` relies on, checked on the
    /// compiled DFA of each pattern: from every start state (any byte
    /// before), no path through the first `DIGIT_WITHIN` bytes that avoids
    /// digits (or `COLON_WITHIN` bytes that avoid `:`, for IPv6) can match
    /// or lead on to a match.
    #[test]
    fn every_pattern_needs_a_digit_or_colon_early() {
        use regex_automata::dfa::Automaton;
        use regex_automata::util::start;

        for (form, pattern) in patterns(&cues()) {
            let (within, needed): (usize, fn(u8) -> bool) = match form {
                Form::Email | Form::Mention => continue,
                Form::Ipv6 => (COLON_WITHIN, |b| b == b':'),
                _ => (DIGIT_WITHIN, |b: u8| b.is_ascii_digit()),
            };
            let dfa = anchored_dfa(&pattern);
            let mut states = Vec::new();
            for before in std::iter::once(None).chain((0..=255u8).map(Some)) {
                let config = start::Config::new().anchored(Anchored::Yes).look_behind(before);
                states.push(dfa.start_state(&config).unwrap());
            }
            for step in 0..within {
                let mut next = Vec::new();
                for &s in &states {
                    for b in (0..=255u8).filter(|b| !needed(*b)) {
                        let t = dfa.next_state(s, b);
                        assert!(!dfa.is_match_state(t), "{form:?} matches by byte {step}");
                        if !dfa.is_dead_state(t) && !next.contains(&t) {
                            next.push(t);
                        }
                    }
                    let eoi = dfa.next_eoi_state(s);
                    assert!(!dfa.is_match_state(eoi), "{form:?} matches by byte {step}");
                }
                states = next;
            }
            assert!(
                states.is_empty(),
                "{form:?} can match after {within} bytes without one"
            );
        }
    }

    /// The openings table, read by byte classes, says what the DFA says:
    /// after the byte before, a first and a second byte lead somewhere
    /// other than the dead state exactly when it lets a match start.
    #[test]
    fn openings_are_the_dfas_two_byte_openings() {
        let set = PatternSet::new(KindSet::all(), &cues()).unwrap().unwrap();
        let numbers = set.numbers.as_ref().unwrap();
        let dfa = &numbers.dfa;
        let mut cache = dfa.create_cache();
        for before in [
            None,
            Some(b' '),
            Some(b'1'),
            Some(b'a'),
            Some(b'+'),
            Some(b':'),
            Some(0xc3),
        ] {
            let config = start::Config::new().anchored(Anchored::Yes).look_behind(before);
            let s = dfa.start_state(&mut cache, &config).unwrap();
            for b0 in 0..=255u8 {
                let t = dfa.next_state(&mut cache, s, b0).unwrap();
                for b1 in 0..=255u8 {
                    let open = !t.is_dead() && !dfa.next_state(&mut cache, t, b1).unwrap().is_dead();
                    let text: Vec<u8> = before.into_iter().chain([b0, b1]).collect();
                    let p = usize::from(before.is_some());
                    assert_eq!(numbers.openings.may_start(&text, p), open, "{before:?} {b0} {b1}");
                }
            }
        }
    }

    /// `walk` finds what the DFA's own anchored search finds, at every
    /// position of texts full of numbers, for all forms and for each form.
    #[test]
    fn walk_agrees_with_the_dfa_search() {
        let set = PatternSet::new(KindSet::all(), &cues()).unwrap().unwrap();
        let numbers = set.numbers.as_ref().unwrap();
        let mut cache = numbers.dfa.create_cache();
        let texts = [
            "bel 06-12345678 of +31 (0)20 123 4567, iban NL91 ABNA 0417 1643 00",
            "1234 AB 12a, 2611ET; 4111 1111 1111 1111 en 192.168.1.1 of fe80::1:2",
            "(415) 555-0132 en 1-718-555-0199; bsn 123456782; 12-13 mei; x9",
            "tel: 0612 345 678; rekening nl12abcd0123456789; wa.me/31612345678",
            "9",
        ];
        let mut matched = 0;
        for text in texts {
            for start in 0..text.len() {
                let modes = std::iter::once(Anchored::Yes).chain(
                    (0..numbers.dfa.pattern_len()).map(|p| Anchored::Pattern(PatternID::new(p).unwrap())),
                );
                for mode in modes {
                    let input = Input::new(text).range(start..).anchored(mode);
                    let theirs = numbers.dfa.try_search_fwd(&mut cache, &input).unwrap();
                    let ours = walk(&numbers.dfa, &mut cache, text.as_bytes(), start, mode).unwrap();
                    assert_eq!(
                        ours,
                        theirs.map(|m| (m.pattern(), m.offset())),
                        "{text:?} at {start}"
                    );
                    matched += usize::from(ours.is_some());
                }
            }
        }
        assert!(matched > 100, "only {matched} matches: the texts test too little");
    }
}
