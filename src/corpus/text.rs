//! Expanding templates into the title and text of a record.

use super::personal::{Pd, address, bsn, card, email, iban, ipv4, ipv6, phone_intl, phone_nl, safe_number};
use super::rng::Rng;
use super::templates::{PD_SENTENCES_EN, PD_SENTENCES_NL, SENTENCES_EN, SENTENCES_NL, TITLES_EN, TITLES_NL};
use super::vocab::{CITIES, PRODUCTS_EN, PRODUCTS_NL, SHOPS};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Nl,
    En,
}

/// Text generation for one record.
pub(super) struct Texts<'r> {
    pub(super) rng: &'r mut Rng,
    pub(super) lang: Lang,
    /// English texts use one currency throughout.
    pub(super) currency: &'static str,
    pub(super) lookalikes: bool,
}

impl Texts<'_> {
    pub(super) fn sentence(&mut self) -> String {
        let t = match self.lang {
            Lang::Nl => self.rng.pick(SENTENCES_NL),
            Lang::En => self.rng.pick(SENTENCES_EN),
        };
        self.expand(t, None)
    }

    pub(super) fn title(&mut self) -> String {
        let t = match self.lang {
            Lang::Nl => self.rng.pick(TITLES_NL),
            Lang::En => self.rng.pick(TITLES_EN),
        };
        self.expand(t, None)
    }

    pub(super) fn pd_sentence(&mut self, pd: Pd) -> String {
        let table = match self.lang {
            Lang::Nl => PD_SENTENCES_NL,
            Lang::En => PD_SENTENCES_EN,
        };
        let templates = table
            .iter()
            .find(|(k, _)| *k == pd)
            .map_or(&["{pd}"][..], |(_, t)| *t);
        let t = self.rng.pick(templates);
        let value = self.pd_value(pd);
        self.expand(t, Some(&value))
    }

    pub(super) fn expand(&mut self, template: &str, pd: Option<&str>) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            self.placeholder(name, pd, &mut out);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    pub(super) fn placeholder(&mut self, name: &str, pd: Option<&str>, out: &mut String) {
        let nl = self.lang == Lang::Nl;
        let look = matches!(
            name,
            "order" | "price" | "date" | "time" | "version" | "track" | "ref" | "pct"
        );
        self.lookalikes |= look;
        let r = &mut *self.rng;
        match name {
            "pd" => out.push_str(pd.unwrap_or("")),
            "order" => {
                let len = r.pick(&[7usize, 8, 9, 10]);
                let n = safe_number(r, len);
                if r.chance(0.4) {
                    out.push('#');
                }
                out.push_str(&n);
            }
            "price" => {
                let euros = if r.chance(0.2) {
                    r.range(1000, 4999)
                } else {
                    r.range(1, 999)
                };
                let cents = r.pick(&[0u64, 49, 50, 95, 99, 56, 25]);
                if nl {
                    let e = if euros >= 1000 {
                        format!("{}.{:03}", euros / 1000, euros % 1000)
                    } else {
                        euros.to_string()
                    };
                    match r.below(3) {
                        0 => out.push_str(&format!("€ {e},{cents:02}")),
                        1 => out.push_str(&format!("€{e},{cents:02}")),
                        _ => out.push_str(&format!("EUR {e},{cents:02}")),
                    }
                } else {
                    let e = if euros >= 1000 {
                        format!("{},{:03}", euros / 1000, euros % 1000)
                    } else {
                        euros.to_string()
                    };
                    out.push_str(&format!("{}{e}.{cents:02}", self.currency));
                }
            }
            "date" => {
                let d = r.range(1, 28);
                let m = r.range(1, 12);
                let y = r.pick(&[2025u64, 2026, 2026, 2027]);
                const MONTHS_NL: [&str; 12] = [
                    "januari",
                    "februari",
                    "maart",
                    "april",
                    "mei",
                    "juni",
                    "juli",
                    "augustus",
                    "september",
                    "oktober",
                    "november",
                    "december",
                ];
                const MONTHS_EN: [&str; 12] = [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ];
                let month = if nl { MONTHS_NL } else { MONTHS_EN }[(m - 1) as usize];
                match r.below(4) {
                    0 => out.push_str(&format!("{d:02}-{m:02}-{y}")),
                    1 => out.push_str(&format!("{y}-{m:02}-{d:02}")),
                    2 => out.push_str(&format!("{d} {month}")),
                    _ if nl => out.push_str(&format!("{d}/{m}/{y}")),
                    _ => out.push_str(&format!("{m}/{d}/{y}")),
                }
            }
            "time" => {
                let h = r.range(7, 22);
                let m = r.pick(&[0u64, 15, 30, 45, 10, 5]);
                if nl && r.chance(0.3) {
                    out.push_str(&format!("{h:02}.{m:02} uur"));
                } else {
                    out.push_str(&format!("{h:02}:{m:02}"));
                }
            }
            "version" => match r.below(4) {
                0 => out.push_str(&format!("{}.{}.{}", r.range(1, 12), r.below(20), r.below(10))),
                1 => out.push_str(&format!("v{}.{}", r.range(1, 9), r.below(10))),
                2 => out.push_str(&format!("{}.{}.{}", r.range(15, 18), r.below(6), r.below(3))),
                // Four parts, but no IPv4 address: the third is over 255.
                _ => out.push_str(&format!(
                    "10.0.{}.{}",
                    r.range(19_041, 26_100),
                    r.range(1000, 5000)
                )),
            },
            "track" => {
                if r.chance(0.6) {
                    out.push_str("3S");
                    for _ in 0..4 {
                        out.push(char::from(b'A' + r.below(26) as u8));
                    }
                    out.push_str(&safe_number(r, 9));
                } else {
                    out.push_str(r.pick(&["RR", "CZ", "LX"]));
                    out.push_str(&safe_number(r, 9));
                    out.push_str("NL");
                }
            }
            "ref" => match r.below(3) {
                0 => out.push_str(&format!("F2026-{:02}-{:04}", r.range(1, 12), r.range(1, 9999))),
                1 => out.push_str(&format!("CS-{}", r.range(100_000, 999_999))),
                _ => out.push_str(&format!("2026/{:06}", r.range(1, 999_999))),
            },
            "pct" => {
                if nl && r.chance(0.5) {
                    out.push_str(&format!("{},{}%", r.range(1, 15), r.below(10)));
                } else {
                    out.push_str(&format!("{}%", r.range(2, 40)));
                }
            }
            "n" => out.push_str(&r.range(2, 45).to_string()),
            "product" => out.push_str(r.pick(if nl { PRODUCTS_NL } else { PRODUCTS_EN })),
            "shop" => out.push_str(r.pick(SHOPS)),
            "city" => out.push_str(r.pick(CITIES).0),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
    }

    pub(super) fn pd_value(&mut self, pd: Pd) -> String {
        let r = &mut *self.rng;
        match pd {
            Pd::Email => email(r),
            Pd::PhoneNl => phone_nl(r),
            Pd::PhoneIntl => phone_intl(r),
            Pd::Iban => iban(r),
            Pd::Bsn => bsn(r),
            Pd::Card => card(r),
            Pd::Address => address(r),
            Pd::Ipv4 => ipv4(r),
            Pd::Ipv6 => ipv6(r),
            // On rules/lists/names.txt.
            Pd::Name => (r.pick(&["Pietje Puk", "@pietjepuk", "pietje puk"])).to_owned(),
        }
    }
}
