//! Phone numbering plans from libphonenumber's metadata (the `phonenumber`
//! crate), compiled once into our own regexes.
//!
//! The crate's own `parse` + `is_valid` is correct but slow for a hot path
//! (a parser per call, and every pattern goes through one LRU regex cache
//! behind a mutex that all threads share), and loading its database parses
//! every pattern of every region (about 80 ms before the first number).
//! `build.rs` writes the metadata's pattern text into a table instead; a
//! region's patterns are compiled when its first number is read. The
//! validity rule is the same: a national significant number is valid in a
//! region when it matches the region's general description and at least
//! one number type (fixed line, mobile, toll free, ...), each within that
//! type's possible lengths.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use regex_automata::dfa::{Automaton, dense};
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, MatchKind};

/// A number description of the metadata: its national-number pattern (laid
/// out over lines, read with insignificant whitespace) and possible lengths.
struct Desc {
    pattern: &'static str,
    lengths: &'static [u16],
}

/// One region of the metadata, as `build.rs` writes it: the general
/// description and the descriptions of the types that make a number valid
/// (libphonenumber's `getNumberType` other than UNKNOWN) that the region has.
struct Region {
    id: &'static str,
    code: u16,
    /// The main region of its calling code (`US` for `1`).
    main: bool,
    national_prefix: Option<&'static str>,
    general: Desc,
    types: &'static [Desc],
}

include!(concat!(env!("OUT_DIR"), "/numbering_plans.rs"));

#[cfg(test)]
#[path = "plan_types.rs"]
mod plan_types;

/// One region's plan: the general description and every number type as
/// the patterns of one anchored DFA (pattern 0 general, then the types in
/// `type_lengths` order). Matching all of them is one walk over the digits
/// instead of a regex call per pattern; the DFAs are small because the
/// patterns only read ASCII digits.
struct Plan {
    dfa: dense::DFA<Vec<u32>>,
    general_lengths: &'static [u16],
    type_lengths: Vec<&'static [u16]>,
    /// The trunk prefix dialled before national numbers (`0`), if any.
    national_prefix: Option<&'static str>,
}

impl Plan {
    fn new(region: &Region) -> Option<Plan> {
        // The metadata keeps its patterns laid out over lines: read them
        // with insignificant whitespace, as the crate does. `\d` is ASCII
        // here (the numbers we check are ASCII digits), which keeps the
        // DFA small.
        let anchored = |d: &Desc| format!("(?x)^(?:{})$", d.pattern);
        let patterns: Vec<String> = std::iter::once(&region.general)
            .chain(region.types)
            .map(anchored)
            .collect();
        let dfa = dense::Builder::new()
            .configure(dense::Config::new().match_kind(MatchKind::All))
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build_many(&patterns)
            .ok()?;
        Some(Plan {
            dfa,
            general_lengths: region.general.lengths,
            type_lengths: region.types.iter().map(|d| d.lengths).collect(),
            national_prefix: region.national_prefix,
        })
    }

    /// `national`: the national significant number (no trunk prefix).
    /// Valid when it fits the general description and at least one number
    /// type, each within its possible lengths.
    fn valid(&self, national: &str) -> bool {
        let fits = |lengths: &[u16]| lengths.is_empty() || lengths.contains(&(national.len() as u16));
        if !fits(self.general_lengths) {
            return false;
        }
        let dfa = &self.dfa;
        let Ok(mut state) = dfa.start_state(&start::Config::new().anchored(Anchored::Yes)) else {
            return false;
        };
        for &b in national.as_bytes() {
            state = dfa.next_state(state, b);
            // Every pattern ends in `$`: a dead state before the end is no match.
            if dfa.is_dead_state(state) {
                return false;
            }
        }
        state = dfa.next_eoi_state(state);
        if !dfa.is_match_state(state) {
            return false;
        }
        let matched = (0..dfa.match_len(state)).map(|i| dfa.match_pattern(state, i).as_usize());
        let (mut general, mut typed) = (false, false);
        for pattern in matched {
            match pattern.checked_sub(1) {
                None => general = true,
                Some(t) => typed |= self.type_lengths.get(t).is_some_and(|l| fits(l)),
            }
        }
        general && typed
    }

    /// A number as dialled in its own country: with its trunk prefix, or
    /// without where the prefix is optional (North America's `1`).
    fn valid_national(&self, digits: &str) -> bool {
        match self.national_prefix.and_then(|p| digits.strip_prefix(p)) {
            Some(national) => self.valid(national),
            None => self.valid(digits),
        }
    }
}

/// Every region's plan, compiled on first use, shared by all threads.
pub(super) struct Plans {
    /// By region id (`NL`): the region and its plan.
    regions: HashMap<&'static str, (&'static Region, OnceLock<Option<Plan>>)>,
    /// Region ids by country calling code, main region first.
    by_code: HashMap<u16, Vec<&'static str>>,
}

fn plans() -> &'static Plans {
    static PLANS: OnceLock<Plans> = OnceLock::new();
    PLANS.get_or_init(|| {
        let mut regions = HashMap::default();
        let mut by_code: HashMap<u16, Vec<&'static str>> = HashMap::default();
        for region in REGIONS {
            regions.insert(region.id, (region, OnceLock::new()));
            let ids = by_code.entry(region.code).or_default();
            if region.main {
                ids.insert(0, region.id);
            } else {
                ids.push(region.id);
            }
        }
        Plans { regions, by_code }
    })
}

impl Plans {
    fn plan(&self, region: &str) -> Option<&Plan> {
        let (table, cell) = self.regions.get(region)?;
        cell.get_or_init(|| Plan::new(table)).as_ref()
    }
}

/// A number as written in `region` (`0612345678` in `NL`): trunk prefix
/// and national significant number.
pub(super) fn valid_national(region: &str, digits: &str) -> bool {
    plans().plan(region).is_some_and(|p| p.valid_national(digits))
}

/// A number in international form, without the `+` (`31612345678`). A
/// trunk prefix written after the country code (`+31 0 6...`, a common
/// slip) is accepted too.
pub(super) fn valid_international(digits: &str) -> bool {
    let plans = plans();
    (1..=3).any(|len| {
        let (Some(cc), Some(national)) = (digits.get(..len), digits.get(len..)) else {
            return false;
        };
        let Ok(code) = cc.parse::<u16>() else { return false };
        let Some(ids) = plans.by_code.get(&code) else {
            return false;
        };
        ids.iter().filter_map(|id| plans.plan(id)).any(|p| {
            p.valid(national)
                || p.national_prefix
                    .and_then(|np| national.strip_prefix(np))
                    .is_some_and(|n| p.valid(n))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::plan_types::TYPES;
    use super::*;
    use phonenumber::metadata::{DATABASE, Descriptor, Metadata};

    fn region(id: &str) -> &'static Region {
        REGIONS
            .iter()
            .find(|r| r.id == id)
            .expect("every region is in the table")
    }

    /// The table `build.rs` wrote holds the crate's metadata, region by
    /// region (the crate in the tests is the one the build script read).
    #[test]
    fn the_table_is_the_crates_metadata() {
        let same = |ours: &Desc, theirs: &Descriptor| {
            ours.pattern == theirs.national_number().as_str() && ours.lengths == theirs.possible_length()
        };
        assert_eq!(REGIONS.len(), DATABASE.iter().count());
        for meta in DATABASE.iter() {
            let r = region(meta.id());
            assert_eq!(r.code, meta.country_code(), "{}", r.id);
            assert_eq!(r.main, meta.is_main_country_for_code(), "{}", r.id);
            assert_eq!(r.national_prefix, meta.national_prefix(), "{}", r.id);
            assert!(same(&r.general, meta.descriptors().general()), "{}", r.id);
            let types: Vec<&Descriptor> = TYPES.iter().filter_map(|t| meta.descriptors().get(*t)).collect();
            assert_eq!(r.types.len(), types.len(), "{}", r.id);
            assert!(r.types.iter().zip(types).all(|(o, t)| same(o, t)), "{}", r.id);
        }
        assert!(region("NL").code == 31 && region("US").main && !region("CA").main);
    }

    /// Our compiled plans agree with the crate's own `is_valid`.
    #[test]
    fn agrees_with_phonenumber() {
        use phonenumber::country::Id;
        let cases: &[(Id, &str)] = &[
            (Id::NL, "0612345678"),
            (Id::NL, "0201234567"),
            (Id::NL, "0800123"),
            (Id::NL, "08001234"),
            (Id::NL, "0612345"),
            (Id::NL, "0512345678"),
            (Id::BE, "0475123456"),
            (Id::BE, "022234567"),
            (Id::DE, "03012345678"),
            (Id::DE, "015123456789"),
            (Id::GB, "02079460958"),
            (Id::GB, "07712900123"),
            (Id::FR, "0123456789"),
            (Id::US, "4155552671"),
            (Id::US, "1234567890"),
        ];
        for (region, digits) in cases {
            let theirs = phonenumber::parse(Some(*region), digits).is_ok_and(|n| phonenumber::is_valid(&n));
            let id = format!("{region:?}");
            let ours = valid_national(&id, digits);
            assert_eq!(ours, theirs, "{region:?} {digits}");
        }
        for digits in ["31612345678", "442079460958", "14155552671", "3161234"] {
            let theirs =
                phonenumber::parse(None, format!("+{digits}")).is_ok_and(|n| phonenumber::is_valid(&n));
            assert_eq!(valid_international(digits), theirs, "+{digits}");
        }
    }

    #[test]
    fn trunk_prefix_after_the_country_code() {
        assert!(valid_international("310612345678"));
        assert!(!valid_international("99912345678"));
    }

    /// Every region's plan compiles (a region whose plan failed would
    /// validate none of its numbers).
    #[test]
    fn every_region_compiles() {
        for region in REGIONS {
            assert!(Plan::new(region).is_some(), "{}", region.id);
        }
    }

    /// The DFA walk gives the verdict of the rule applied one pattern at a
    /// time (full matches, as libphonenumber's `matchesEntirely`) on many
    /// numbers, for every region. The crate's own `is_valid` is no
    /// reference here: it accepts a pattern that matches only a prefix.
    #[test]
    fn dfa_agrees_with_one_regex_per_pattern() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};

        // One compiled regex per pattern, with its possible lengths.
        type Reference = Vec<(regex::Regex, Vec<u16>)>;
        let compile = |meta: &Metadata| -> Reference {
            std::iter::once(meta.descriptors().general())
                .chain(TYPES.iter().filter_map(|t| meta.descriptors().get(*t)))
                .map(|d| {
                    let re = regex::Regex::new(&format!("(?x)^(?:{})$", d.national_number().as_str()));
                    (re.unwrap(), d.possible_length().to_vec())
                })
                .collect()
        };
        let reference = |r: &Reference, national: &str| {
            let full = |(re, lengths): &(regex::Regex, Vec<u16>)| {
                (lengths.is_empty() || lengths.contains(&(national.len() as u16))) && re.is_match(national)
            };
            full(&r[0]) && r[1..].iter().any(full)
        };
        let metas: Vec<&Metadata> = DATABASE.iter().collect();
        let refs: Vec<Reference> = metas.iter().map(|m| compile(m)).collect();
        let own: Vec<Option<Plan>> = metas.iter().map(|m| Plan::new(region(m.id()))).collect();
        let mut runner = TestRunner::new(Config {
            cases: 20_000,
            ..Config::default()
        });
        runner
            .run(&(0..metas.len(), "[1-9][0-9]{3,13}"), |(m, national)| {
                let ours = own[m].as_ref().is_some_and(|p| p.valid(&national));
                prop_assert_eq!(
                    ours,
                    reference(&refs[m], &national),
                    "{} {}",
                    metas[m].id(),
                    national
                );
                Ok(())
            })
            .unwrap();
        // Near the real ranges: every type's example number in every
        // region, its last digits varied, one digit shorter and longer.
        let mut valid = 0;
        for (m, meta) in metas.iter().enumerate() {
            let examples = TYPES.iter().filter_map(|t| meta.descriptors().get(*t)?.example());
            for example in examples {
                for n in 0..200u32 {
                    let keep = example.len().saturating_sub(3);
                    let varied = format!("{}{:03}", example.get(..keep).unwrap_or(""), n * 7 % 1000);
                    let cut = match n % 3 {
                        0 => &varied[..varied.len() - 1],
                        1 => &varied[..],
                        _ => &format!("{varied}{}", n % 10)[..],
                    };
                    let ours = own[m].as_ref().is_some_and(|p| p.valid(cut));
                    assert_eq!(ours, reference(&refs[m], cut), "{} {cut}", meta.id());
                    valid += usize::from(ours);
                }
            }
        }
        assert!(
            valid > 10_000,
            "only {valid} valid variants: the check saw too few"
        );
    }
}
