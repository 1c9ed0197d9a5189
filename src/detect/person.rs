//! Names of private people in free text (kind `person`): a first name from
//! the lexicon with surname tokens after it (`Jan Bakker`, `Sanne de
//! Vries`, `Jan-Willem Bruins Slot`), initials with a surname (`J. de
//! Vries`, `A.M. Bakker`), and a first name alone where it stands as a name:
//! after a greeting (`Hoi Lisa`, `groetjes, Fatima`), as a reply tag at the
//! start of a text (`Sanne dat klopt`), or as a signature at its end.
//!
//! It reads the normalised view, so names match with or without accents;
//! the lexicons are folded the same way. Lexicon look-ups are hash-set
//! probes at word tokens; the look-alikes ops list (`Albert Heijn`, `Den
//! Bosch`) are one Aho-Corasick automaton. Every word list comes from the
//! rule set (`[names]`), none from here.

use std::cell::RefCell;

use rustc_hash::FxHashSet as HashSet;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use super::bytes::{self, Class};
use super::cues::Words;
use super::{Hit, Kind};

/// The lexicons and cue words of the `[names]` section, folded.
#[derive(Clone, Debug, Default)]
pub struct NameLists {
    pub first_names: Vec<String>,
    pub surnames: Vec<String>,
    /// Names that are not a name standing alone (`Roos`, `Mark`).
    pub alone: Vec<String>,
    /// Words in the lexicon that are never a name (`Hoop`, `Will`).
    pub always: Vec<String>,
    /// Phrases that look like names but are brands, shops or places.
    pub not_names: Vec<String>,
    /// Words after which a lone first name is a name: greetings, thanks,
    /// wishes, relations (`hoi`, `groetjes`, `bedankt`, `buurman`).
    pub greetings: Words,
    /// Forms of address before a surname (`mevrouw Jansen`, `meneer De Wit`).
    pub titles: Words,
}

impl NameLists {
    pub fn is_empty(&self) -> bool {
        self.first_names.is_empty()
    }
}

/// The compiled detector.
pub(super) struct Person {
    first: HashSet<String>,
    surnames: HashSet<String>,
    alone: HashSet<String>,
    always: HashSet<String>,
    not_names: Option<AhoCorasick>,
    greetings: Words,
    titles: Words,
    particles: Words,
}

fn folded_lower(s: &str) -> String {
    let mut f = String::new();
    super::view::fold_into(s.trim(), &mut f);
    f.to_lowercase()
}

impl Person {
    pub(super) fn new(
        lists: &NameLists,
        particles: &Words,
    ) -> Result<Option<Person>, aho_corasick::BuildError> {
        if lists.is_empty() {
            return Ok(None);
        }
        let set = |v: &[String]| -> HashSet<String> {
            v.iter()
                .map(|s| folded_lower(s))
                .filter(|s| !s.is_empty())
                .collect()
        };
        // A surname is looked up by its core tokens: `van der Berg` is
        // found as `Berg` after the particles.
        let surnames = lists
            .surnames
            .iter()
            .flat_map(|s| {
                folded_lower(s)
                    .split([' ', '-'])
                    .filter(|t| !t.is_empty() && !particles.matches(t))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let not_names: Vec<String> = lists
            .not_names
            .iter()
            .map(|s| folded_lower(s))
            .filter(|s| !s.is_empty())
            .collect();
        let not_names = if not_names.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    .build(&not_names)?,
            )
        };
        Ok(Some(Person {
            first: set(&lists.first_names),
            surnames,
            alone: set(&lists.alone),
            always: set(&lists.always),
            not_names,
            greetings: lists.greetings.clone(),
            titles: lists.titles.clone(),
            particles: particles.clone(),
        }))
    }

    /// Pushes person-name hits in `text` (the view) onto `out`.
    pub(super) fn find(&self, text: &str, out: &mut Vec<Hit>) {
        // Most text has no capital after its first word and no greeting:
        // nothing to look up.
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.find_in(text, &mut scratch, out),
            // Not re-entrant; a nested call gets a buffer of its own.
            Err(_) => self.find_in(text, &mut Scratch::default(), out),
        });
    }

    fn find_in(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Hit>) {
        tokens_into(text, &mut scratch.toks, &mut scratch.maps);
        let toks: &[Tok] = &scratch.toks;
        if toks.is_empty() {
            return;
        }
        // A listed look-alike blocks a name that would start inside it
        // (`Albert Heijn`), not a name it only overlaps (`Jos van den
        // Bosch`). Looked up only at tokens that could start a name.
        let starts_block = |t: &Tok| self.block_at(text, t.start).is_some();
        let is_blocked = |i: usize| {
            let t = &toks[i];
            (i.saturating_sub(3)..=i).any(|k| {
                self.block_at(text, toks[k].start)
                    .is_some_and(|end| end > t.start)
            })
        };
        let first = out.len();
        // Lower-cased first names found standing as names, for the second pass.
        let mut found: Vec<String> = Vec::new();
        // One buffer for the lower-cased token being looked up.
        let mut lower = String::new();
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            let word = &text[t.start..t.end];
            // Initials and a surname: `J. de Vries`, `A.M. Bakker`.
            if t.initial {
                let mut j = i + 1;
                while toks
                    .get(j)
                    .is_some_and(|n| n.initial && n.start == toks[j - 1].end)
                {
                    j += 1;
                }
                if let Some(end) = self.surname_chain(text, toks, j, true, false, &starts_block) {
                    out.push(hit(t.start, toks[end].end));
                    i = end + 1;
                    continue;
                }
                i += 1;
                continue;
            }
            let capital = t.upper;
            let next_capital = toks.get(i + 1).is_some_and(|n| n.upper);
            // A name in lower case stands only where a name is expected:
            // opening the text or after a greeting (`mohamed ja`, `groetjes,
            // fatima`); a form of address needs a capitalised surname.
            if !capital && !next_capital && !self.expects_name(text, toks, i) {
                // Or a form of address in lower case before a particle and
                // a capitalised surname: `mevrouw de Jong`.
                // (up to three particles: `meneer van der Berg`).
                let titled = toks
                    .get(i + 2..)
                    .is_some_and(|t| t.iter().take(3).any(|n| n.upper))
                    && self.titles.matches(word);
                if !titled {
                    i += 1;
                    continue;
                }
            }
            lower_into(word, &mut lower);
            // A form of address and a surname: `mevrouw Jansen`, `Dhr.
            // Bakker`, `mw. de Jong` (not `Dr. Oetker`). The surname may
            // open with a particle in lower case. A short title in capitals
            // is more often a postcode's letters (`7974 MW 's-Hertogenbosch`,
            // `8404 MR. Is`), a unit (`500 MW Windpark`) or a bank (`ING
            // Bank`): in capitals, a title counts with its dot and no
            // postcode's digits before it (`DHR. BAKKER`), or from four
            // letters on (`MEVROUW JANSEN`).
            let dotted = text[t.end..].starts_with(". ");
            let in_capitals = !word.bytes().any(|b| b.is_ascii_lowercase());
            let capital_title =
                in_capitals && (word.len() >= 4 || (dotted && !after_postcode_digits(&text[..t.start])));
            if (!in_capitals || capital_title) && self.titles.matches(&lower) && !is_blocked(i) {
                let j = i + 1;
                if let Some(end) = self.surname_chain(text, toks, j, true, dotted, &starts_block) {
                    out.push(hit(toks[j].start, toks[end].end));
                    i = end + 1;
                    continue;
                }
            }
            // A first name with a possessive `'s` (`Noah's moeder`) is a
            // person's, wherever it stands; the `'s` stays.
            if capital
                && let Some(stem) = lower.strip_suffix("'s")
                && self.is_first_name(stem)
                && !self.always.contains(stem)
                && !self.alone.contains(stem)
                && !is_blocked(i)
            {
                out.push(hit(t.start, t.end - 2));
                found.push(stem.to_owned());
                i += 1;
                continue;
            }
            if !self.is_first_name(&lower) || self.always.contains(&lower) || is_blocked(i) {
                i += 1;
                continue;
            }
            let exception = self.alone.contains(&lower);
            if let Some(mut end) = self.surname_chain(text, toks, i + 1, capital, false, &starts_block) {
                // A double first name before a particle: `Jan Peter de
                // Boer` (the chain stops at `de` after `Peter`).
                if end == i + 1
                    && toks
                        .get(end + 1)
                        .is_some_and(|n| !n.upper && self.particles.matches(&text[n.start..n.end]))
                {
                    let second = &text[toks[end].start..toks[end].end];
                    let mut l = String::new();
                    lower_into(second, &mut l);
                    if self.is_first_name(&l)
                        && let Some(e) =
                            self.surname_chain(text, toks, end + 1, capital, false, &starts_block)
                    {
                        end = e;
                    }
                }
                out.push(hit(t.start, toks[end].end));
                // `Ben Jansen` makes a later `Ben` a name, but not `Ben
                // benieuwd`: exceptions spread only from where they stand
                // alone as a name.
                if !exception {
                    found.push(lower.clone());
                }
                i = end + 1;
                continue;
            }
            if self.stands_as_name(text, toks, i, capital, exception) {
                out.push(hit(t.start, t.end));
                found.push(lower.clone());
            }
            i += 1;
        }
        if out.len() == first {
            return;
        }
        // Once a first name is a name in this text, so is every other
        // capitalised occurrence of it (`Hoi Jan, Jan is er niet`), and a
        // first name joined to a name by `en`/`and` (`Elif en Burak`).
        for _ in 0..2 {
            let before = out.len();
            for (k, t) in toks.iter().enumerate() {
                let word = &text[t.start..t.end];
                if t.initial || !t.upper || out[first..].iter().any(|h| h.start < t.end && t.start < h.end) {
                    continue;
                }
                lower_into(word, &mut lower);
                let same = found.contains(&lower);
                let joined = !same
                    && self.is_first_name(&lower)
                    && !self.always.contains(&lower)
                    && !self.alone.contains(&lower)
                    && self.joined_to_hit(text, toks, k, &out[first..])
                    && !is_blocked(k);
                if same || joined {
                    out.push(hit(t.start, t.end));
                    found.push(lower.clone());
                }
            }
            if out.len() == before {
                break;
            }
        }
        out[first..].sort_unstable_by_key(|h| h.start);
    }

    /// Whether a name is expected at `toks[i]`: it opens the text (or a
    /// line), or a greeting stands before it.
    fn expects_name(&self, text: &str, toks: &[Tok], i: usize) -> bool {
        let before = text[..toks[i].start].trim_end_matches(' ');
        if before.is_empty() || before.ends_with('\n') {
            return true;
        }
        i.checked_sub(1).and_then(|p| toks.get(p)).is_some_and(|p| {
            let gap =
                text[p.end..toks[i].start].trim_matches(|c: char| matches!(c, ' ' | ',' | '.' | '!' | ':'));
            gap.is_empty() && self.greetings.matches(&text[p.start..p.end])
        })
    }

    /// `toks[k]` and a hit are joined by `en`, `and`, `&` or a comma (`Tim,
    /// Tom en Daan`).
    fn joined_to_hit(&self, text: &str, toks: &[Tok], k: usize, hits: &[Hit]) -> bool {
        let conj = |a: usize, b: usize| {
            let gap = text[a..b].trim();
            gap.eq_ignore_ascii_case("en") || gap.eq_ignore_ascii_case("and") || gap == "&" || gap == ","
        };
        let t = &toks[k];
        hits.iter()
            .any(|h| (h.end <= t.start && conj(h.end, t.start)) || (t.end <= h.start && conj(t.end, h.start)))
    }

    /// Whether `word`, opening its line right before a placeholder, may
    /// read as a reply tag once the next word is the placeholder's (in
    /// lower case): a first name. A word with a character outside ASCII or
    /// a digit is assumed to be one.
    pub(super) fn reply_tag(&self, word: &str) -> bool {
        if !word
            .bytes()
            .all(|x| x.is_ascii_alphabetic() || matches!(x, b'-' | b'\''))
        {
            return true;
        }
        let lower = word.to_ascii_lowercase();
        std::iter::once(lower.as_str())
            .chain(lower.split(['-', '\'']).filter(|p| !p.is_empty()))
            .any(|w| self.is_first_name(w) || self.alone.contains(w))
    }

    /// Whether a listed look-alike (`Albert Heijn`) starting up to four
    /// words before `start..end` of `text`, or inside it, reaches into it:
    /// replacing it would unblock the look-alike's other words. Text
    /// outside ASCII there is assumed to (the view may read it otherwise).
    pub(super) fn look_alike_over(&self, text: &str, start: usize, end: usize) -> bool {
        if self.not_names.is_none() {
            return false;
        }
        let b = text.as_bytes();
        let mut from = start;
        let mut words = 0;
        while from > 0 && words < 4 && start - from < 96 {
            from -= 1;
            if b[from] == b' ' && from + 1 < start && b[from + 1] != b' ' {
                words += 1;
            }
        }
        let Some(window) = text.get(from..end) else {
            return true;
        };
        // Where the view reads the window otherwise (accents, Unicode
        // spaces and dashes, a double space), assume the worst.
        if window.contains("  ") || window.chars().any(|c| super::view::read(c).is_some()) {
            return true;
        }
        (from..end).any(|p| {
            let word_start = p == 0 || !b[p - 1].is_ascii_alphanumeric();
            word_start
                && b[p].is_ascii_alphanumeric()
                && text.is_char_boundary(p)
                && self.block_at(text, p).is_some_and(|e| e > start)
        })
    }

    fn is_first_name(&self, lower: &str) -> bool {
        self.first.contains(lower)
            || (lower.contains('-') && lower.split('-').all(|p| !p.is_empty() && self.first.contains(p)))
    }

    /// The end of a listed look-alike (brand, shop, place) starting at
    /// `pos`, as whole words.
    fn block_at(&self, text: &str, pos: usize) -> Option<usize> {
        let ac = self.not_names.as_ref()?;
        let m = ac.find(Input::new(text).span(pos..text.len()).anchored(Anchored::Yes))?;
        word_edge(text, m.end()).then_some(m.end())
    }

    /// The index of the last token of a surname after `toks[from - 1]`:
    /// particles, then one or two surname tokens, each separated by one
    /// space. The first surname token is capitalised or in the surname
    /// lexicon (only the lexicon after a first name in lower case: `jan
    /// bakker`); a second one is capitalised (`Bruins Slot`, not `PostNL`).
    fn surname_chain(
        &self,
        text: &str,
        toks: &[Tok],
        from: usize,
        capital: bool,
        dotted: bool,
        starts_block: &dyn Fn(&Tok) -> bool,
    ) -> Option<usize> {
        let mut j = from;
        let mut last = None;
        // The token that ends a particle written short (`v.d.`) or a
        // title with its dot (`dotted`: `Dhr.`), whose dot stands before
        // the next space.
        let mut short_end = if dotted {
            from.checked_sub(1).and_then(|k| toks.get(k)).map(|t| t.end)
        } else {
            None
        };
        let spaced = |a: &Tok, b: &Tok, short_end: Option<usize>| {
            let gap = &text[a.end..b.start];
            gap == " " || (a.initial && gap.is_empty()) || (short_end == Some(a.end) && gap == ". ")
        };
        // Particles: `de`, `van der`, `'t`; written short with dots or a
        // slash, `v.d.` and `v/d` read as the listed `vd`.
        while let (Some(prev), Some(t)) = (toks.get(j.wrapping_sub(1)), toks.get(j)) {
            if t.initial || !spaced(prev, t, short_end) {
                break;
            }
            if self.particles.matches(&text[t.start..t.end]) {
                j += 1;
            } else if let Some(k) = self.short_particle(text, toks, j) {
                short_end = toks.get(k - 1).map(|t| t.end);
                j = k;
            } else {
                break;
            }
        }
        for _ in 0..2 {
            let (Some(prev), Some(t)) = (toks.get(j.wrapping_sub(1)), toks.get(j)) else {
                break;
            };
            // A listed look-alike starting here ends the name (`@Wouter de
            // Albert Heijn`).
            if t.initial || !spaced(prev, t, short_end) || starts_block(t) {
                break;
            }
            let word = &text[t.start..t.end];
            let lower = &mut String::new();
            lower_into(word, lower);
            let lower: &str = lower;
            let capitalised = t.upper;
            let known = lower.split('-').any(|p| self.surnames.contains(p));
            // A second surname token must be capitalised (`Bruins Slot`);
            // a lower-case name needs the lexicon (`jan bakker`).
            let titlecase = capitalised && !word.chars().skip(1).any(char::is_uppercase);
            let ok = if last.is_some() {
                titlecase && !self.always.contains(lower) && !self.is_first_name(lower)
            } else if capital {
                (capitalised || known) && !self.always.contains(lower)
            } else {
                // A name in lower case needs the lexicon: `job in
                // Eindhoven` is no name, `jan bakker` is.
                known && !self.always.contains(lower)
            };
            if !ok {
                break;
            }
            last = Some(j);
            j += 1;
        }
        last
    }

    /// A particle written short from `toks[j]` on: single lower-case
    /// letters joined by `.` or `/` (`v.d.`, `v/d`, `v.d.r.`) whose letters
    /// make a listed particle (`vd`). The index after its last letter.
    fn short_particle(&self, text: &str, toks: &[Tok], j: usize) -> Option<usize> {
        let mut letters = [0u8; 4];
        let mut n = 0;
        let mut k = j;
        while let Some(t) = toks.get(k) {
            let word = text.as_bytes().get(t.start..t.end)?;
            let [c] = word else { break };
            if !c.is_ascii_lowercase() || n == letters.len() {
                break;
            }
            if k > j && !matches!(&text[toks[k - 1].end..t.start], "." | "/") {
                break;
            }
            letters[n] = *c;
            n += 1;
            k += 1;
        }
        let joined = std::str::from_utf8(&letters[..n]).ok()?;
        (n >= 2 && self.particles.matches(joined)).then_some(k)
    }

    /// A lone first name stands as a name after a greeting, a thank-you or
    /// a relation (`Hoi Lisa`, `groetjes, Fatima`, `groeten van Ilse`,
    /// `buurman Kees`); as a reply tag opening the text (`Sanne dat klopt`);
    /// addressed with a comma (`Haha Mohamed, jij weer`); or closing a
    /// clause (`Succes morgen Rajesh!`, `... - Kees`). A name of the
    /// exceptions (`Roos`, `Mark`) only after a greeting, and capitalised.
    fn stands_as_name(&self, text: &str, toks: &[Tok], i: usize, capital: bool, exception: bool) -> bool {
        let t = &toks[i];
        let prev_word = |k: usize| {
            k.checked_sub(1).and_then(|p| toks.get(p)).filter(|p| {
                let gap = text[p.end..toks[k].start]
                    .trim_matches(|c: char| matches!(c, ' ' | ',' | '.' | '!' | ':'));
                gap.is_empty()
            })
        };
        let greeted = prev_word(i).is_some_and(|p| {
            let w = &text[p.start..p.end];
            self.greetings.matches(w)
                || ((w.eq_ignore_ascii_case("van") || w.eq_ignore_ascii_case("from"))
                    && prev_word(i - 1).is_some_and(|g| self.greetings.matches(&text[g.start..g.end])))
        });
        if greeted {
            return capital || !exception;
        }
        if exception {
            return false;
        }
        let before = text[..t.start].trim_end_matches(' ');
        let after = &text[t.end..];
        let opens = before.is_empty() || before.ends_with('\n');
        // A reply tag is followed by the reply: a word in lower case or
        // punctuation, not a capitalised word.
        let next_lower = toks.get(i + 1).is_none_or(|n| !n.upper);
        if opens && next_lower {
            return true;
        }
        if !capital {
            return false;
        }
        if after.starts_with(',') {
            return true;
        }
        // Nothing but punctuation, emoji and spaces to the end of the
        // clause.
        let clause = after.split(['.', '!', '?', '\n']).next().unwrap_or("");
        clause.chars().all(|c| !c.is_alphanumeric())
    }
}

/// `word` in lower case, into a reused buffer.
fn lower_into(word: &str, buf: &mut String) {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

fn hit(start: usize, end: usize) -> Hit {
    Hit {
        kind: Kind::Person,
        start,
        end,
    }
}

/// A word token: a run of letters and digits starting with a letter (or
/// `'` before a letter: `'t`), with inner `-` or `'`; or an initial, an
/// upper-case letter and a dot (`J.`).
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    initial: bool,
    /// It starts with an upper-case letter.
    upper: bool,
}

/// The tokens of the text being read and the byte maps they are cut
/// from, reused between calls.
#[derive(Default)]
struct Scratch {
    toks: Vec<Tok>,
    maps: [Vec<u64>; 4],
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Clears `toks`, then fills it with the word tokens of `text`.
///
/// On bytes: any byte of a non-ASCII character counts as a letter (the
/// view has folded accented Latin letters to ASCII already). A token is a
/// run of letters and digits with inner `-` or `'` before a letter; it
/// starts at a letter (or a `'` before one) that no letter or digit
/// precedes, so a run that opens with a digit (`3SABCD`) is none. Read
/// from bit maps of the bytes, sixteen at a time: a run holds at most one
/// token, from its first possible start to the run's end, so only the
/// starts and the ends are visited, not every byte.
fn tokens_into(text: &str, toks: &mut Vec<Tok>, maps: &mut [Vec<u64>; 4]) {
    toks.clear();
    let b = text.as_bytes();
    let joiner = Class::Folded([b'-', b'\'', b'-', b'-']);
    let quote = Class::Folded([b'\''; 4]);
    bytes::bitmaps(b, [Class::Alnum, Class::Letter, joiner, quote], maps);
    let [word, letter, cont, starts] = maps;
    // In place: `cont` (a byte a token goes on through) from the joiners,
    // `starts` (where one may start) from the quotes. A `'` before a
    // letter with a word before it (`3't`) takes that letter along into
    // the word it continues: no start after it either.
    let mut glued_quote_before = 0;
    for k in 0..word.len() {
        let letter_next = (letter[k] >> 1) | (letter.get(k + 1).map_or(0, |w| w & 1) << 63);
        let word_before = (word[k] << 1) | k.checked_sub(1).map_or(0, |p| word[p] >> 63);
        let quote_before_letter = starts[k] & letter_next;
        let glued_quote = quote_before_letter & word_before;
        cont[k] = word[k] | (cont[k] & letter_next);
        starts[k] =
            (letter[k] | quote_before_letter) & !word_before & !((glued_quote << 1) | glued_quote_before);
        glued_quote_before = glued_quote >> 63;
    }
    let mut pos = 0;
    while let Some(start) = bytes::next_one(starts, pos) {
        let mut end = bytes::next_zero(cont, start).unwrap_or(b.len()).min(b.len());
        let Some(&c) = b.get(start) else { break };
        // `J.` (and `A.M.`: one initial each).
        let initial = end == start + 1 && c.is_ascii_uppercase() && b.get(end) == Some(&b'.');
        if initial {
            end += 1;
        }
        // A non-ASCII character never splits: `end` is on a boundary, as
        // a run stops only at an ASCII byte. Only a token starting with a
        // non-ASCII letter needs decoding.
        let upper = if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            text.get(start..)
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_uppercase)
        };
        toks.push(Tok {
            start,
            end,
            initial,
            upper,
        });
        pos = end.max(start + 1);
    }
}

/// `before` ends in four digits and a space, as before a postcode's letters.
fn after_postcode_digits(before: &str) -> bool {
    match before.as_bytes() {
        [.., a, b, c, d, b' '] => [a, b, c, d].iter().all(|x| x.is_ascii_digit()),
        _ => false,
    }
}

/// No letter or digit on both sides of `pos`.
fn word_edge(text: &str, pos: usize) -> bool {
    let before = text[..pos].chars().next_back().is_some_and(char::is_alphanumeric);
    let after = text[pos..].chars().next().is_some_and(char::is_alphanumeric);
    !(before && after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The byte-at-a-time tokeniser the bit maps replaced, as the reference.
    fn naive_tokens(text: &str) -> Vec<(usize, usize, bool, bool)> {
        let mut out = Vec::new();
        let b = text.as_bytes();
        let letter = |x: u8| x.is_ascii_alphabetic() || x >= 0x80;
        let word = |x: u8| x.is_ascii_alphanumeric() || x >= 0x80;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let starts = letter(c) || (c == b'\'' && b.get(i + 1).copied().is_some_and(letter));
            if !starts {
                i += 1;
                continue;
            }
            if i > 0 && word(b[i - 1]) {
                i += 1;
                while i < b.len() && word(b[i]) {
                    i += 1;
                }
                continue;
            }
            let start = i;
            i += 1;
            while i < b.len() {
                let joins = (b[i] == b'-' || b[i] == b'\'') && b.get(i + 1).copied().is_some_and(letter);
                if word(b[i]) || joins {
                    i += 1;
                } else {
                    break;
                }
            }
            let initial = i == start + 1 && c.is_ascii_uppercase() && b.get(i) == Some(&b'.');
            if initial {
                i += 1;
            }
            let upper = if c.is_ascii() {
                c.is_ascii_uppercase()
            } else {
                text[start..].chars().next().is_some_and(char::is_uppercase)
            };
            out.push((start, i, initial, upper));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn tokens_from_bit_maps_are_the_byte_by_byte_tokens(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("Jan"), Just("J"), Just("."), Just(" "), Just("-"), Just("'"),
                    Just("3"), Just("É"), Just("é"), Just("ß"), Just("_"), Just("\n"), Just("t"),
                    Just("Ω"), Just("x7"), Just(","), Just("  "),
                ],
                0..120,
            ),
        ) {
            let text: String = parts.concat();
            let mut toks = Vec::new();
            let mut maps = Default::default();
            tokens_into(&text, &mut toks, &mut maps);
            let got: Vec<_> = toks.iter().map(|t| (t.start, t.end, t.initial, t.upper)).collect();
            prop_assert_eq!(got, naive_tokens(&text), "{:?}", text);
        }
    }

    fn person() -> Person {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let lists = NameLists {
            first_names: v(&[
                "Jan",
                "Sanne",
                "Pieter",
                "Fatima",
                "Lisa",
                "Kees",
                "Anaïs",
                "Jan-Willem",
                "Albert",
                "Mark",
                "Roos",
                "Hoop",
                "Willem",
                "Anna",
            ]),
            surnames: v(&["Bakker", "de Vries", "van den Berg", "Bruins Slot", "el Amrani"]),
            alone: v(&["Mark", "Roos", "Jan"]),
            always: v(&["Hoop"]),
            not_names: v(&["Albert Heijn", "Willem II"]),
            greetings: Words::new(["hoi", "groetjes", "gr", "thanks", "buurman"]),
            titles: Words::new(["mevrouw", "meneer", "mevr", "mw", "dhr", "mr"]),
        };
        let particles = Words::new(["de", "van", "der", "den", "'t", "el", "vd"]);
        match Person::new(&lists, &particles) {
            Ok(Some(p)) => p,
            _ => panic!("builds"),
        }
    }

    fn names(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        person().find(text, &mut out);
        out.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn first_name_and_surname() {
        assert_eq!(names("Kijk Jan Bakker, dit is toch jouw straat?"), ["Jan Bakker"]);
        // A double first name, then a particle.
        assert_eq!(names("Hee Jan Pieter de Vries!"), ["Jan Pieter de Vries"]);
        assert_eq!(names("Hee Jan Pieter van den Berg!"), ["Jan Pieter van den Berg"]);
        assert_eq!(names("Pieter van den Berg was er ook"), ["Pieter van den Berg"]);
        assert_eq!(
            names("zag Jan-Willem Bruins Slot gisteren"),
            ["Jan-Willem Bruins Slot"]
        );
        assert_eq!(names("Fatima el Amrani kwam ook"), ["Fatima el Amrani"]);
        assert_eq!(names("kees van 't Hof"), ["kees"]);
        assert_eq!(names("een job in Eindhoven"), Vec::<&str>::new());
        assert_eq!(names("jan bakker zei het"), ["jan bakker"]);
        assert_eq!(names("Sanne Kwakernaak zei het"), ["Sanne Kwakernaak"]);
    }

    #[test]
    fn particles_written_short() {
        assert_eq!(names("zag Kees vd Berg gisteren"), ["Kees vd Berg"]);
        assert_eq!(names("zag Kees v.d. Berg gisteren"), ["Kees v.d. Berg"]);
        assert_eq!(names("zag Kees v/d Berg gisteren"), ["Kees v/d Berg"]);
        // Only letters that make a listed particle: `a.u.b.` is none.
        assert!(!names("hoi Kees a.u.b. Berg").iter().any(|n| n.contains("Berg")));
        assert_eq!(names("hoi Kees a.u.b. Berg"), ["Kees"]);
    }

    #[test]
    fn initials() {
        assert_eq!(
            names("volgens J. de Vries en A.M. Bakker"),
            ["J. de Vries", "A.M. Bakker"]
        );
    }

    #[test]
    fn a_first_name_alone_where_it_stands_as_one() {
        assert_eq!(names("Hoi Lisa! Leuk"), ["Lisa"]);
        assert_eq!(names("Dat klopt, groetjes, Fatima"), ["Fatima"]);
        assert_eq!(names("Sanne dat klopt"), ["Sanne"]);
        assert_eq!(names("Top service!\n- Kees"), ["Kees"]);
        assert_eq!(names("Gr. Kees"), ["Kees"]);
        assert_eq!(names("Succes morgen Lisa!"), ["Lisa"]);
        assert_eq!(names("Haha Kees, jij weer"), ["Kees"]);
        assert_eq!(names("Mijn buurman Kees zegt het"), ["Kees"]);
        assert_eq!(names("Groetjes van Lisa en Kees"), ["Lisa", "Kees"]);
        assert_eq!(names("Hoi Jan, Jan is er niet"), ["Jan", "Jan"]);
        assert_eq!(
            names("Dank u mevrouw Bakker en meneer De Vries"),
            ["Bakker", "De Vries"]
        );
        // Not standing as a name.
        assert_eq!(names("Ik zag Lisa gisteren"), Vec::<&str>::new());
    }

    #[test]
    fn a_title_with_its_dot_or_before_a_particle() {
        assert_eq!(names("mevr. Bakker was behulpzaam"), ["Bakker"]);
        assert_eq!(names("Dhr. Bakker van de service"), ["Bakker"]);
        assert_eq!(names("geholpen door Mw. de Vries"), ["de Vries"]);
        // A title in lower case mid-sentence, before a particle.
        assert_eq!(names("geholpen door mevrouw de Vries"), ["de Vries"]);
        assert_eq!(names("bedankt meneer van den Berg!"), ["van den Berg"]);
        // No capitalised surname after it: no name.
        assert_eq!(names("meneer de directeur belde"), Vec::<&str>::new());
        assert_eq!(names("Dhr. en mevr. gingen"), Vec::<&str>::new());
        // A postcode's letters are no title, nor is a unit or a bank.
        assert_eq!(names("Lindenlaan 12, 7974 MW Zwolle"), Vec::<&str>::new());
        assert_eq!(names("ophalen op 8404 MR. Is dat goed"), Vec::<&str>::new());
        assert_eq!(names("nieuw: 500 MW Windpark Zeeland"), Vec::<&str>::new());
        assert_eq!(names("geld via ING Bank overgemaakt"), Vec::<&str>::new());
        // A title in capitals with its dot, or a long one.
        assert_eq!(names("GEHOLPEN DOOR DHR. BAKKER"), ["BAKKER"]);
        assert_eq!(names("bedankt MEVROUW JANSEN"), ["JANSEN"]);
        assert_eq!(names("GEHOLPEN DOOR MW. DE VRIES"), ["DE VRIES"]);
    }

    #[test]
    fn names_listed_with_commas() {
        assert_eq!(names("Groetjes, Lisa, Kees en Sanne"), ["Lisa", "Kees", "Sanne"]);
        assert_eq!(
            names("Sanne, Kees en Pieter gingen mee"),
            ["Sanne", "Kees", "Pieter"]
        );
        // A listed look-alike after the comma stays.
        assert_eq!(names("Hoi Lisa, Albert Heijn is dicht"), ["Lisa"]);
        // An exception stays unless it stands as a name.
        assert_eq!(names("Hoi Lisa, Mark my words"), ["Lisa"]);
    }

    #[test]
    fn look_alikes_stay() {
        assert_eq!(names("Bij Albert Heijn in de rij"), Vec::<&str>::new());
        assert_eq!(names("Willem II won"), Vec::<&str>::new());
        assert_eq!(names("Roos is mijn lievelingsbloem"), Vec::<&str>::new());
        assert_eq!(names("Hoop Sanne het leuk vindt"), Vec::<&str>::new());
        assert_eq!(names("op 15 Jan 2026"), Vec::<&str>::new());
        assert_eq!(names("Mark my words"), Vec::<&str>::new());
        // Still a name with a surname.
        assert_eq!(names("Roos de Vries"), ["Roos de Vries"]);
    }

    #[test]
    fn a_quote_after_a_digit_ends() {
        // Found by the fuzzer: this looped for ever.
        assert_eq!(names("https:9'cdn.ex5555/bon.jpg"), Vec::<&str>::new());
        assert_eq!(names("9'a 9'"), Vec::<&str>::new());
    }

    #[test]
    fn accents_fold() {
        // The detector reads the view: `Anaïs` reads `Anais`.
        assert_eq!(names("Hoi Anais"), ["Anais"]);
    }
}
