//! A deterministic generator of realistic collected-post records (the
//! contract in `shared/contract/post.md`), for benchmarks and tests.
//!
//! Same seed, same records, on every platform: the generator carries its own
//! small PRNG (splitmix64) and needs no dependency. The records look like the
//! feed: a mix of sources, kinds, Dutch and English text, about a fifth with
//! personal data in `title`/`text` (e-mail, phones in several notations,
//! IBAN, BSN, card numbers, addresses, IP addresses, dictionary names), many
//! with look-alikes that must stay (order numbers, prices, dates, times,
//! versions, tracking codes), comments on owned and third-party pages,
//! coordinates, unknown members the allow-list drops, and a few percent of
//! records that the rules remove (private, delete events, erased authors,
//! Facebook posts past retention).
//!
//! Every checksummed number it writes as personal data is valid (IBAN
//! mod-97, BSN 11-proof, card Luhn); every digit run it writes as a
//! look-alike fails those checks, so a correct detector leaves it alone.

use std::io::Write as _;

use jiff::Timestamp;
use jiff::tz::Offset;

/// The fixed clock of the benchmarks: retention is measured from here.
pub const BENCH_NOW: &str = "2026-11-25T12:00:00Z";

/// [`BENCH_NOW`] as a timestamp.
pub fn bench_now() -> Timestamp {
    Timestamp::constant(1_795_608_000, 0)
}

/// What to generate. The shares are fractions of all records.
#[derive(Debug, Clone)]
pub struct CorpusConfig {
    pub seed: u64,
    /// The clock the records are dated against (retention uses it).
    pub now: Timestamp,
    /// Records with personal data in `title`/`text`.
    pub personal_data_share: f64,
    /// Delete events (`{"id":...,"op":"delete"}`).
    pub delete_share: f64,
    /// Items with `visibility: private`.
    pub private_share: f64,
    /// Items by an author on the erasure list.
    pub erased_share: f64,
    /// Facebook posts published more than a year before `now`.
    pub expired_share: f64,
    /// Items with `geo`.
    pub geo_share: f64,
    /// Items with members outside the contract (raw HTML, device data, ...).
    pub extra_fields_share: f64,
    /// Facebook/Instagram comments that are on an owned page.
    pub owned_page_share: f64,
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig {
            seed: 0x5EED_2026_1125,
            now: bench_now(),
            personal_data_share: 0.2,
            delete_share: 0.02,
            private_share: 0.02,
            erased_share: 0.01,
            expired_share: 0.02,
            geo_share: 0.15,
            extra_fields_share: 0.15,
            owned_page_share: 0.3,
        }
    }
}

impl CorpusConfig {
    pub fn with_seed(seed: u64) -> Self {
        CorpusConfig {
            seed,
            ..CorpusConfig::default()
        }
    }
}

/// What the default rules are expected to make of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A public upsert: it comes out sanitised.
    Upsert,
    /// A delete event (P6): a tombstone.
    Delete,
    /// `visibility: private` (P1): a tombstone.
    Private,
    /// By an author on `erased_authors.txt` (P8): a tombstone.
    ErasedAuthor,
    /// A Facebook post older than a year (P7): a tombstone.
    Expired,
}

impl Event {
    pub fn is_tombstone(self) -> bool {
        self != Event::Upsert
    }
}

/// What the generator put into a record, for tests and split benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordInfo {
    pub event: Event,
    pub source: &'static str,
    /// Personal data (P4) in `title` or `text`.
    pub personal_data: bool,
    /// Look-alikes (order numbers, prices, dates, ...) in `title` or `text`.
    pub lookalikes: bool,
    /// A Facebook/Instagram comment or reply on a page no customer manages
    /// (P2 applies).
    pub third_party_comment: bool,
    /// Members outside the contract.
    pub extra_fields: bool,
}

/// splitmix64: tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (item, w) in items {
            let w = u64::from(*w);
            if r < w {
                return *item;
            }
            r -= w;
        }
        items[items.len() - 1].0
    }

    fn digit(&mut self) -> u8 {
        self.below(10) as u8
    }

    /// `n` random decimal digits, the first not zero when `lead` is false.
    fn digits(&mut self, n: usize, lead_zero: bool) -> Vec<u8> {
        (0..n)
            .map(|i| {
                if i == 0 && !lead_zero {
                    1 + self.below(9) as u8
                } else {
                    self.digit()
                }
            })
            .collect()
    }
}

/// Deterministic record generator.
#[derive(Debug, Clone)]
pub struct Generator {
    cfg: CorpusConfig,
    rng: Rng,
    seq: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Nl,
    En,
}

/// The personal-data kinds of P4, as the generator writes them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pd {
    Email,
    PhoneNl,
    PhoneIntl,
    Iban,
    Bsn,
    Card,
    Address,
    Ipv4,
    Ipv6,
    Name,
}

const PD_WEIGHTS: &[(Pd, u32)] = &[
    (Pd::Email, 20),
    (Pd::PhoneNl, 22),
    (Pd::PhoneIntl, 7),
    (Pd::Iban, 12),
    (Pd::Bsn, 6),
    (Pd::Card, 8),
    (Pd::Address, 12),
    (Pd::Ipv4, 6),
    (Pd::Ipv6, 3),
    (Pd::Name, 4),
];

const SOURCES: &[(&str, u32)] = &[
    ("facebook", 30),
    ("instagram", 14),
    ("twitter", 20),
    ("linkedin", 5),
    ("news", 8),
    ("blog", 5),
    ("forum", 7),
    ("review", 7),
    ("youtube", 4),
];

#[derive(Clone, Copy)]
struct PageDef {
    id: &'static str,
    name: &'static str,
    slug: &'static str,
}

/// On `rules/lists/owned_pages.txt`.
const OWNED_FACEBOOK: &[PageDef] = &[
    PageDef {
        id: "fbp-1029384756",
        name: "Bol.com",
        slug: "bolcom",
    },
    PageDef {
        id: "fbp-5566778899",
        name: "Coolblue",
        slug: "coolblue",
    },
];
const OWNED_INSTAGRAM: &[PageDef] = &[PageDef {
    id: "igp-2233445566",
    name: "Coolblue",
    slug: "coolblue",
}];
const OTHER_FACEBOOK: &[PageDef] = &[
    PageDef {
        id: "fbp-1122334455",
        name: "Albert Heijn",
        slug: "albertheijn",
    },
    PageDef {
        id: "fbp-4455667788",
        name: "Gemeente Voorbeeld",
        slug: "gemeente.voorbeeld",
    },
    PageDef {
        id: "fbp-3141592653",
        name: "NS",
        slug: "NS",
    },
    PageDef {
        id: "fbp-2718281828",
        name: "KPN",
        slug: "kpn",
    },
    PageDef {
        id: "fbp-1618033988",
        name: "PostNL",
        slug: "postnl",
    },
    PageDef {
        id: "fbp-9080706050",
        name: "Omroep Brabant",
        slug: "omroepbrabant",
    },
];
const OTHER_INSTAGRAM: &[PageDef] = &[
    PageDef {
        id: "igp-9988776655",
        name: "someinfluencer",
        slug: "someinfluencer",
    },
    PageDef {
        id: "igp-1212343456",
        name: "Zalando",
        slug: "zalando",
    },
    PageDef {
        id: "igp-5656787890",
        name: "HEMA",
        slug: "hema",
    },
];
const NEWS_SITES: &[(&str, &str)] = &[
    ("nos.nl", "NOS"),
    ("nu.nl", "NU.nl"),
    ("ad.nl", "AD"),
    ("rtlnieuws.nl", "RTL Nieuws"),
    ("bbc.co.uk", "BBC News"),
    ("dutchnews.nl", "DutchNews.nl"),
];
const YOUTUBE_CHANNELS: &[(&str, &str)] = &[
    ("UCx8Kq2vB1nR4tY7uW0zPq3A", "Tech Review NL"),
    ("UC4mLp9sD2fG6hJ8kZ1xCv5B", "Unboxing Daily"),
    ("UCq7Wn3eR5tY9uI1oP4aS6dF", "Consumentenbond"),
];
const REVIEW_SHOPS: &[(&str, &str)] = &[
    ("kiyoh-shop-1", "Webshop X"),
    ("kiyoh-shop-2", "Fietsenwinkel Y"),
    ("trustpilot-coolblue", "Coolblue"),
    ("trustpilot-zalando", "Zalando"),
];

/// On `rules/lists/erased_authors.txt`.
const ERASED: &[(&str, &str, &str)] = &[
    ("twitter", "1350000000000000001", "someone"),
    ("facebook", "100009999999999", "erased.person"),
];

const FIRST_NAMES: &[&str] = &[
    "Sanne",
    "Kees",
    "Mark",
    "Fatima",
    "Daan",
    "Emma",
    "Lucas",
    "Julia",
    "Sem",
    "Tess",
    "Noah",
    "Lotte",
    "Bram",
    "Fleur",
    "Mohamed",
    "Anouk",
    "Thijs",
    "Iris",
    "Ruben",
    "Eva",
    "Jasper",
    "Sophie",
    "Ahmed",
    "Lisa",
    "Jan",
    "Marieke",
    "Oliver",
    "Charlotte",
    "James",
    "Amelia",
    "Harry",
    "Grace",
    "Jack",
    "Chloe",
    "Thomas",
    "Hannah",
    "Lars",
    "Yara",
    "Milan",
    "Nina",
];
const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "van der Berg",
    "Janssen",
    "el Amrani",
    "Yilmaz",
    "van Dijk",
    "Kok",
    "Vermeulen",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Müller",
    "Schmidt",
    "Öztürk",
    "van den Heuvel",
    "Koster",
    "Prins",
    "Huisman",
    "Kramer",
    "Willems",
];
const MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "hotmail.nl",
    "outlook.com",
    "ziggo.nl",
    "kpnmail.nl",
    "live.nl",
    "icloud.com",
    "example.nl",
    "xs4all.nl",
];
const CITIES: &[(&str, f64, f64)] = &[
    ("Amsterdam", 52.370216, 4.895168),
    ("Rotterdam", 51.922500, 4.479170),
    ("Utrecht", 52.090700, 5.121400),
    ("Eindhoven", 51.441642, 5.469722),
    ("Den Haag", 52.078663, 4.288788),
    ("Groningen", 53.219383, 6.566502),
    ("Tilburg", 51.555100, 5.091300),
    ("Nijmegen", 51.812600, 5.837200),
    ("Breda", 51.571900, 4.768300),
    ("Zwolle", 52.516800, 6.083000),
    ("Maastricht", 50.851400, 5.691000),
    ("Leeuwarden", 53.201200, 5.799900),
    ("'s-Hertogenbosch", 51.697800, 5.303700),
    ("Almere", 52.350800, 5.264700),
];
const STREETS: &[&str] = &[
    "Dorpsstraat",
    "Kerkstraat",
    "Stationsweg",
    "Kennedyplein",
    "Molenweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Hoofdstraat",
    "Parallelweg",
    "Emmastraat",
    "Lindenlaan",
    "Oude Gracht",
    "Prinsengracht",
];
const SHOPS: &[&str] = &[
    "Bol.com",
    "Coolblue",
    "Albert Heijn",
    "PostNL",
    "KPN",
    "Ziggo",
    "NS",
    "Zalando",
    "MediaMarkt",
    "Thuisbezorgd",
    "HEMA",
    "Odido",
];
const PRODUCTS_NL: &[&str] = &[
    "wasmachine",
    "koptelefoon",
    "laptop",
    "stofzuiger",
    "e-bike",
    "telefoon",
    "koffiezetapparaat",
    "airfryer",
    "winterjas",
    "tablet",
    "robotstofzuiger",
    "magnetron",
];
const PRODUCTS_EN: &[&str] = &[
    "washing machine",
    "pair of headphones",
    "laptop",
    "vacuum cleaner",
    "e-bike",
    "phone",
    "coffee maker",
    "air fryer",
    "winter coat",
    "tablet",
    "robot vacuum",
    "microwave",
];
const TAGS_NL: &[&str] = &[
    "klantenservice",
    "bezorging",
    "storing",
    "retour",
    "actie",
    "review",
    "nieuws",
    "duurzaam",
    "wonen",
    "tech",
];
const TAGS_EN: &[&str] = &[
    "customerservice",
    "delivery",
    "outage",
    "returns",
    "sale",
    "review",
    "news",
    "tech",
    "unboxing",
    "fashion",
];
const EMOJI: &[&str] = &["👍", "😡", "🙏", "😂", "📦", "❤️", "🤔", "🎉"];

/// Sentence templates. Placeholders: `{order}` `{price}` `{date}` `{time}`
/// `{version}` `{track}` `{ref}` `{pct}` (look-alikes), `{n}` `{product}`
/// `{shop}` `{city}` (plain).
const SENTENCES_NL: &[&str] = &[
    "Mijn bestelling {order} is nog steeds niet binnen.",
    "Ik heb op {date} besteld en nog niets ontvangen.",
    "Volgens de track & trace ({track}) ligt het pakket al drie dagen in {city}.",
    "Wat een slechte service, ik wacht al {n} dagen op antwoord.",
    "De bezorger was er om {time}, netjes op tijd!",
    "Ik heb {price} betaald voor een {product} die na een week al kapot was.",
    "Kan iemand mij vertellen waarom de app sinds de update naar versie {version} steeds crasht?",
    "Top geholpen door de klantenservice, binnen {n} minuten opgelost.",
    "Het pakket is bij de buren afgeleverd, maar die zijn op vakantie.",
    "Retour aangemeld op {date}, maar het bedrag van {price} is nog niet teruggestort.",
    "Waarom kost verzenden ineens {price}?",
    "Prima product, doet wat het moet doen.",
    "De {product} is eindelijk weer op voorraad!",
    "Helaas is mijn {product} beschadigd aangekomen; de doos was half open en er zat een deuk in de zijkant.",
    "Ik heb al {n} keer gebeld en word steeds doorverbonden naar een andere afdeling.",
    "Factuur {ref} klopt niet: er staat {price} op terwijl de actieprijs {price} was.",
    "In {city} was vanochtend een storing tussen {time} en {time}.",
    "De gemeente meldt dat de werkzaamheden op {date} beginnen en ongeveer {n} weken duren.",
    "Volgens het nieuws stijgen de prijzen dit jaar met {pct}.",
    "Bedankt voor de snelle reactie!",
    "Eerlijk gezegd had ik meer verwacht van een {product} van {price}.",
    "Na het updaten naar {version} werkt alles weer.",
    "Bestelnummer {order}, besteld op {date}, staat nog steeds op 'in behandeling'.",
    "Ik krijg steeds de melding \"betaling mislukt\" bij het afrekenen.",
    "De levering was een dag eerder dan verwacht, super!",
    "Kunnen jullie mij een DM sturen? Het gaat om zending {track}.",
    "Al {n} jaar klant, maar dit is de eerste keer dat het zo misgaat.",
    "Heeft iemand anders ook last van de storing bij {shop}?",
    "Het afhaalpunt in {city} is op zondag gesloten, dat stond nergens vermeld.",
    "Ik ben benieuwd hoe {shop} dit gaat oplossen.",
    "Zaterdag om {time} staat de monteur voor de deur, hopelijk komt hij nu wel.",
    "De korting van {pct} werd niet verrekend in mijn winkelwagen.",
    "Goede prijs-kwaliteitverhouding, ik zou hem zeker opnieuw kopen.",
    "Volgens de chat is mijn klacht onder kenmerk {ref} geregistreerd.",
    "Het nieuwe filiaal in {city} opent op {date} om {time}.",
    "Mooi initiatief, ga zo door!",
    "Waarom moet ik voor een simpele vraag {n} formulieren invullen?",
    "De {product} die ik op {date} kocht is al vervangen, netjes opgelost.",
    "Let op: de actie geldt alleen tot en met {date}.",
    "Ik heb het pakket om {time} bij het servicepunt opgehaald, ging prima.",
    "Geen idee waarom mijn account geblokkeerd is, ik heb niks geks gedaan.",
    "Het energiecontract wordt per {date} duurder: van {price} naar {price} per maand.",
    "Na drie weken wachten, twee keer bellen en een e-mail zonder antwoord heb ik de bestelling maar geannuleerd; jammer, want de {product} zelf leek me prima.",
];
const SENTENCES_EN: &[&str] = &[
    "My order {order} still hasn't arrived.",
    "I ordered on {date} and haven't received anything yet.",
    "Tracking ({track}) says the parcel has been sitting in {city} for three days.",
    "Terrible service, I've been waiting {n} days for a reply.",
    "The courier came at {time}, right on time!",
    "Paid {price} for a {product} that broke after a week.",
    "Does anyone know why the app keeps crashing since the update to version {version}?",
    "Customer service sorted it out in {n} minutes, great job.",
    "The parcel was left with the neighbours, who are on holiday.",
    "Return registered on {date}, but the {price} refund still hasn't come through.",
    "Why does shipping suddenly cost {price}?",
    "Great product, does exactly what it says.",
    "The {product} is finally back in stock!",
    "Unfortunately my {product} arrived damaged; the box was half open and there was a dent in the side.",
    "I've called {n} times and keep getting transferred to another department.",
    "Invoice {ref} is wrong: it says {price} while the sale price was {price}.",
    "There was an outage in {city} this morning between {time} and {time}.",
    "The council says the roadworks start on {date} and will take about {n} weeks.",
    "According to the news, prices will rise by {pct} this year.",
    "Thanks for the quick reply!",
    "Honestly I expected more from a {product} at {price}.",
    "After updating to {version} everything works again.",
    "Order number {order}, placed on {date}, is still 'processing'.",
    "I keep getting \"payment failed\" at checkout.",
    "Delivery was a day earlier than expected, brilliant!",
    "Could you DM me? It's about shipment {track}.",
    "Customer for {n} years, and this is the first time it went this wrong.",
    "Is anyone else affected by the outage at {shop}?",
    "The pickup point in {city} is closed on Sundays, which wasn't mentioned anywhere.",
    "Curious to see how {shop} is going to fix this.",
    "The engineer is due on Saturday at {time}, hopefully he turns up this time.",
    "The {pct} discount wasn't applied in my basket.",
    "Good value for money, would definitely buy again.",
    "The chat agent said my complaint was logged under reference {ref}.",
    "The new store in {city} opens on {date} at {time}.",
    "Lovely initiative, keep it up!",
    "Why do I need to fill in {n} forms for a simple question?",
    "The {product} I bought on {date} has already been replaced, nicely handled.",
    "Note: the offer is only valid until {date}.",
    "Picked up the parcel at the service point at {time}, no problems.",
    "No idea why my account was blocked, I didn't do anything weird.",
    "Our energy bill goes up from {price} to {price} a month as of {date}.",
    "After three weeks of waiting, two phone calls and an email nobody answered I cancelled the order; a shame, because the {product} itself looked fine.",
];
const TITLES_NL: &[&str] = &[
    "Storing bij {shop} voorbij",
    "Prijzen stijgen met {pct} in {city}",
    "Nieuwe versie {version} van de app uitgebracht",
    "Vraag over mijn bestelling {order}",
    "Werkzaamheden in {city} vanaf {date}",
    "Ervaringen met de {product} van {shop}?",
    "Snelle levering",
    "Nooit meer bij {shop}",
    "Koffie in {city}",
    "Pakket kwijt sinds {date}",
];
const TITLES_EN: &[&str] = &[
    "Outage at {shop} resolved",
    "Prices up {pct} in {city}",
    "Version {version} of the app released",
    "Question about my order {order}",
    "Roadworks in {city} from {date}",
    "Anyone tried the {product} from {shop}?",
    "Great service",
    "Never again at {shop}",
    "Coffee in {city}",
    "Parcel missing since {date}",
];
/// One `{pd}` each.
const PD_SENTENCES_NL: &[(Pd, &[&str])] = &[
    (
        Pd::Email,
        &[
            "Mail me gerust op {pd}.",
            "Reageer maar via {pd}, dan stuur ik de foto's.",
            "Mijn e-mailadres is {pd}",
        ],
    ),
    (
        Pd::PhoneNl,
        &[
            "Bel me op {pd}.",
            "Ik ben bereikbaar op {pd} tussen 9 en 17 uur.",
            "Graag terugbellen op {pd}",
            "Mijn nummer: {pd}",
        ],
    ),
    (
        Pd::PhoneIntl,
        &[
            "Ik zit in het buitenland, bel me op {pd}.",
            "Bereikbaar via {pd} (tijdverschil!).",
        ],
    ),
    (
        Pd::Iban,
        &[
            "Mijn rekeningnummer is {pd}, graag terugstorten.",
            "Het geld mag naar {pd} t.n.v. mij.",
        ],
    ),
    (
        Pd::Bsn,
        &[
            "Ze vroegen om mijn BSN ({pd}), is dat normaal?",
            "Op de brief staat mijn BSN {pd} gewoon in beeld.",
        ],
    ),
    (
        Pd::Card,
        &[
            "Betaald met creditcard {pd}, maar geen bevestiging ontvangen.",
            "Er is twee keer afgeschreven van kaart {pd}.",
        ],
    ),
    (
        Pd::Address,
        &[
            "Mijn adres is {pd}.",
            "Het pakket moest naar {pd}, niet naar de buren.",
            "Kom het maar ophalen op {pd}.",
        ],
    ),
    (
        Pd::Ipv4,
        &[
            "Mijn IP is {pd}, misschien kunnen jullie in de logs kijken.",
            "De storing komt volgens mij van {pd}.",
        ],
    ),
    (
        Pd::Ipv6,
        &[
            "Mijn modem heeft adres {pd} en doet niks meer.",
            "Verbinding met {pd} valt steeds weg.",
        ],
    ),
    (
        Pd::Name,
        &[
            "Groetjes van {pd}",
            "Vraag het anders even aan {pd}, die weet er alles van.",
        ],
    ),
];
const PD_SENTENCES_EN: &[(Pd, &[&str])] = &[
    (
        Pd::Email,
        &[
            "Feel free to email me at {pd}.",
            "Reply to {pd} and I'll send the photos.",
            "My email is {pd}",
        ],
    ),
    (
        Pd::PhoneNl,
        &[
            "Call me on {pd}.",
            "You can reach me at {pd} during office hours.",
            "Please call back on {pd}",
        ],
    ),
    (
        Pd::PhoneIntl,
        &["DM me or call {pd}.", "I'm abroad, my number is {pd}."],
    ),
    (
        Pd::Iban,
        &[
            "My account number is {pd}, please refund.",
            "Send the money to {pd} please.",
        ],
    ),
    (
        Pd::Bsn,
        &[
            "They asked for my BSN ({pd}), is that normal?",
            "The letter shows my citizen service number {pd} in plain sight.",
        ],
    ),
    (
        Pd::Card,
        &[
            "Paid with card {pd} but got no confirmation.",
            "My card {pd} was charged twice.",
        ],
    ),
    (
        Pd::Address,
        &[
            "My address is {pd}.",
            "The parcel should have gone to {pd}, not next door.",
        ],
    ),
    (
        Pd::Ipv4,
        &[
            "My IP is {pd} if you want to check the logs.",
            "The outage seems to come from {pd}.",
        ],
    ),
    (
        Pd::Ipv6,
        &[
            "My router has address {pd} and does nothing.",
            "Connection to {pd} keeps dropping.",
        ],
    ),
    (Pd::Name, &["Cheers, {pd}", "Ask {pd}, they know all about it."]),
];

impl Generator {
    pub fn new(cfg: CorpusConfig) -> Self {
        let rng = Rng::new(cfg.seed);
        Generator { cfg, rng, seq: 0 }
    }

    /// Appends one record (a JSON object, no newline) to `out`.
    pub fn next_record(&mut self, out: &mut Vec<u8>) -> RecordInfo {
        self.seq += 1;
        let cfg = &self.cfg;
        let roll = self.rng.unit();
        let mut edge = 0.0;
        let mut event = Event::Upsert;
        for (e, share) in [
            (Event::Delete, cfg.delete_share),
            (Event::Private, cfg.private_share),
            (Event::ErasedAuthor, cfg.erased_share),
            (Event::Expired, cfg.expired_share),
        ] {
            edge += share;
            if roll < edge {
                event = e;
                break;
            }
        }
        // Deletes carry no text: the others make up the share.
        let pd_share = (cfg.personal_data_share / (1.0 - cfg.delete_share)).min(1.0);
        let personal_data = event != Event::Delete && self.rng.chance(pd_share);
        let source: &'static str = match event {
            Event::Expired => "facebook",
            Event::ErasedAuthor => self.rng.pick(ERASED).0,
            _ => self.rng.weighted(SOURCES),
        };
        let mut rec = Rec {
            rng: &mut self.rng,
            cfg: &self.cfg,
            seq: self.seq,
            site: NEWS_SITES[0],
            info: RecordInfo {
                event,
                source,
                personal_data,
                lookalikes: false,
                third_party_comment: false,
                extra_fields: false,
            },
        };
        if event == Event::Delete {
            rec.delete(out);
        } else {
            rec.upsert(out);
        }
        rec.info
    }
}

/// `n` records from `seed` with the default configuration.
pub fn generate(n: usize, seed: u64) -> Vec<Vec<u8>> {
    generate_labelled(n, seed).into_iter().map(|(r, _)| r).collect()
}

/// As [`generate`], with what each record holds.
pub fn generate_labelled(n: usize, seed: u64) -> Vec<(Vec<u8>, RecordInfo)> {
    let mut g = Generator::new(CorpusConfig::with_seed(seed));
    (0..n)
        .map(|_| {
            let mut out = Vec::with_capacity(1024);
            let info = g.next_record(&mut out);
            (out, info)
        })
        .collect()
}

/// Writes one JSON object member by member; strings are escaped by
/// serde_json.
struct Obj<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Obj<'o> {
    fn open(out: &'o mut Vec<u8>) -> Obj<'o> {
        out.push(b'{');
        Obj { out, first: true }
    }

    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        json_str(self.out, k);
        self.out.push(b':');
    }

    fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        json_str(self.out, v);
    }

    fn u64(&mut self, k: &str, v: u64) {
        self.key(k);
        let _ = write!(self.out, "{v}");
    }

    fn f64(&mut self, k: &str, v: f64) {
        self.key(k);
        let _ = serde_json::to_writer(&mut *self.out, &v);
    }

    fn bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
    }

    fn null(&mut self, k: &str) {
        self.key(k);
        self.out.extend_from_slice(b"null");
    }

    fn obj(&mut self, k: &str) -> Obj<'_> {
        self.key(k);
        Obj::open(self.out)
    }

    fn strs(&mut self, k: &str, vs: &[String]) {
        self.key(k);
        self.out.push(b'[');
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            json_str(self.out, v);
        }
        self.out.push(b']');
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

fn json_str(out: &mut Vec<u8>, s: &str) {
    // Writing a string to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The state of one record being written.
struct Rec<'g> {
    rng: &'g mut Rng,
    cfg: &'g CorpusConfig,
    seq: u64,
    info: RecordInfo,
    /// The news site, chosen with the id.
    site: (&'static str, &'static str),
}

struct AuthorDef {
    id: Option<String>,
    name: String,
    handle: Option<String>,
    avatar_url: Option<String>,
    profile_url: Option<String>,
    followers: Option<u64>,
    verified: Option<bool>,
}

impl Rec<'_> {
    fn native_id(&mut self) -> String {
        let digits = |rng: &mut Rng, n: usize| digit_string(&rng.digits(n, false));
        match self.info.source {
            "facebook" => digits(self.rng, 16),
            "instagram" => format!("179{}", digits(self.rng, 14)),
            "twitter" => format!("18{}", digits(self.rng, 17)),
            "linkedin" => format!("72{}", digits(self.rng, 17)),
            "news" => {
                self.site = self.rng.pick(NEWS_SITES);
                format!("{}/artikel/{}", self.site.0, digits(self.rng, 7))
            }
            "blog" => format!("blog{}.example.nl/2026/11/post-{}", self.rng.below(40), self.seq),
            "forum" => format!("tweakers.net/forum/{}", digits(self.rng, 7)),
            "review" => format!("kiyoh/{}", digits(self.rng, 6)),
            "youtube" => format!("{}:comment:{}", self.video_id(), self.rng.range(1, 999)),
            _ => digits(self.rng, 12),
        }
    }

    fn video_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..11).map(|_| self.rng.pick(ALPHABET) as char).collect()
    }

    fn delete(&mut self, out: &mut Vec<u8>) {
        let native = self.native_id();
        let mut o = Obj::open(out);
        o.str("id", &format!("{}:{native}", self.info.source));
        o.str("op", "delete");
        if self.rng.chance(0.3) {
            o.str("source", self.info.source);
        }
        o.close();
    }

    fn kind(&mut self) -> &'static str {
        let r = &mut *self.rng;
        match (self.info.source, self.info.event) {
            // A post by the erased Facebook author, or any old post.
            ("facebook", Event::ErasedAuthor | Event::Expired) => {
                r.weighted(&[("post", 5), ("comment", 3), ("reply", 1)])
            }
            ("facebook" | "instagram", _) => r.weighted(&[("post", 25), ("comment", 55), ("reply", 20)]),
            ("twitter", _) => r.weighted(&[("post", 60), ("reply", 40)]),
            ("linkedin", _) => r.weighted(&[("post", 70), ("comment", 30)]),
            ("news", _) => r.weighted(&[("article", 90), ("comment", 10)]),
            ("blog", _) => r.weighted(&[("article", 80), ("comment", 20)]),
            ("forum", _) => r.weighted(&[("post", 60), ("reply", 40)]),
            ("review", _) => "review",
            ("youtube", _) => r.weighted(&[("comment", 80), ("reply", 20)]),
            _ => "post",
        }
    }

    fn person(&mut self) -> (String, String) {
        let first = self.rng.pick(FIRST_NAMES);
        let last = self.rng.pick(LAST_NAMES);
        let name = format!("{first} {last}");
        let squashed: String = last.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let handle = match self.rng.below(4) {
            0 => format!("{}{}", first.to_lowercase(), squashed.to_lowercase()),
            1 => format!("{}.{}", first.to_lowercase(), squashed.to_lowercase()),
            2 => format!("{}_{}", first.to_lowercase(), self.rng.range(1, 99)),
            _ => format!(
                "{}{}{}",
                &first[..1].to_lowercase(),
                squashed.to_lowercase(),
                self.rng.range(70, 99)
            ),
        };
        (name, handle)
    }

    fn author(&mut self) -> AuthorDef {
        let source = self.info.source;
        if self.info.event == Event::ErasedAuthor {
            let (_, id, handle) = *ERASED.iter().find(|e| e.0 == source).unwrap_or(&ERASED[0]);
            return AuthorDef {
                id: Some(id.into()),
                name: "Iemand".into(),
                handle: Some(handle.into()),
                avatar_url: None,
                profile_url: None,
                followers: Some(self.rng.range(0, 300)),
                verified: None,
            };
        }
        let (name, handle) = self.person();
        let followers = Some(self.rng.range(0, 3000));
        match source {
            "facebook" => {
                let id = format!("1000{}", self.num(11));
                AuthorDef {
                    avatar_url: Some(format!("https://cdn.example/avatars/{id}.jpg")),
                    profile_url: Some(format!("https://www.facebook.com/{handle}")),
                    id: Some(id),
                    name,
                    handle: Some(handle),
                    followers,
                    verified: Some(false),
                }
            }
            "instagram" => {
                let id = self.num(10);
                AuthorDef {
                    avatar_url: Some(format!("https://cdn.example/ig/{id}.jpg")),
                    profile_url: Some(format!("https://www.instagram.com/{handle}")),
                    id: Some(id),
                    name,
                    handle: Some(format!("@{handle}")),
                    followers,
                    verified: Some(self.rng.chance(0.03)),
                }
            }
            "twitter" => {
                let id = format!("1{}", self.num(18));
                AuthorDef {
                    avatar_url: Some(format!("https://pbs.example/profile_images/{id}/a.jpg")),
                    profile_url: Some(format!("https://x.com/{handle}")),
                    id: Some(id),
                    name,
                    handle: Some(handle),
                    followers,
                    verified: Some(self.rng.chance(0.1)),
                }
            }
            "linkedin" => AuthorDef {
                id: Some(format!("ACoAAB{}", self.num(5))),
                name,
                profile_url: Some(format!("https://www.linkedin.com/in/{handle}")),
                handle: Some(handle),
                avatar_url: None,
                followers,
                verified: Some(false),
            },
            "youtube" => AuthorDef {
                id: Some(format!("UC{}", self.video_id())),
                name,
                handle: Some(format!("@{handle}")),
                avatar_url: Some(format!("https://yt3.example/{}.jpg", self.num(9))),
                profile_url: None,
                followers: None,
                verified: None,
            },
            "forum" => AuthorDef {
                id: Some(format!("u{}", self.num(6))),
                name: handle.clone(),
                handle: Some(handle),
                avatar_url: None,
                profile_url: None,
                followers: None,
                verified: None,
            },
            "news" => AuthorDef {
                id: None,
                name: if self.rng.chance(0.5) {
                    "Redactie".into()
                } else {
                    name
                },
                handle: None,
                avatar_url: None,
                profile_url: None,
                followers: None,
                verified: None,
            },
            _ => AuthorDef {
                id: None,
                name,
                handle: None,
                avatar_url: None,
                profile_url: None,
                followers: None,
                verified: None,
            },
        }
    }

    /// `n` digits, not starting with zero.
    fn num(&mut self, n: usize) -> String {
        self.rng
            .digits(n, false)
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect()
    }

    fn timestamp(&mut self, age_secs: i64) -> Timestamp {
        Timestamp::from_second(self.cfg.now.as_second() - age_secs).unwrap_or(self.cfg.now)
    }

    fn write_ts(&mut self, o: &mut Obj<'_>, key: &str, ts: Timestamp) {
        if self.rng.chance(0.15) {
            o.str(key, &ts.display_with_offset(Offset::constant(1)).to_string());
        } else {
            o.str(key, &ts.to_string());
        }
    }

    fn upsert(&mut self, out: &mut Vec<u8>) {
        let source = self.info.source;
        let kind = self.kind();
        let native = self.native_id();
        let id = format!("{source}:{native}");
        let lang = if self.rng.chance(match source {
            "news" | "forum" | "blog" => 0.8,
            "linkedin" | "youtube" => 0.4,
            _ => 0.65,
        }) {
            Lang::Nl
        } else {
            Lang::En
        };
        let comment = matches!(kind, "comment" | "reply");

        // The page: whose page a Facebook/Instagram item is on.
        let mut page: Option<(String, String, String)> = None;
        match source {
            "facebook" | "instagram" => {
                let (owned, other) = if source == "facebook" {
                    (OWNED_FACEBOOK, OTHER_FACEBOOK)
                } else {
                    (OWNED_INSTAGRAM, OTHER_INSTAGRAM)
                };
                let on_owned = self.rng.chance(self.cfg.owned_page_share);
                let p = if on_owned {
                    self.rng.pick(owned)
                } else {
                    self.rng.pick(other)
                };
                page = Some((p.id.into(), p.name.into(), p.slug.into()));
                self.info.third_party_comment = comment && !on_owned && self.info.event == Event::Upsert;
            }
            "news" => {
                let (site, name) = self.site;
                page = Some((site.into(), name.into(), site.into()));
            }
            "youtube" => {
                let (id, name) = self.rng.pick(YOUTUBE_CHANNELS);
                page = Some((id.into(), name.into(), id.into()));
            }
            "review" => {
                let (id, name) = self.rng.pick(REVIEW_SHOPS);
                page = Some((id.into(), name.into(), id.into()));
            }
            _ => {}
        }
        // Page posts on Facebook/Instagram are by the page itself.
        let page_post = matches!(source, "facebook" | "instagram")
            && kind == "post"
            && self.info.event != Event::ErasedAuthor;
        let author = match (&page, page_post) {
            (Some((pid, pname, _)), true) => AuthorDef {
                id: Some(pid.clone()),
                name: pname.clone(),
                handle: None,
                avatar_url: None,
                profile_url: None,
                followers: Some(self.rng.range(1000, 900_000)),
                verified: Some(true),
            },
            _ => self.author(),
        };

        let parent = if comment {
            Some(format!("{source}:{}", self.num(12)))
        } else {
            None
        };
        let url = match source {
            "facebook" => {
                let slug = page.as_ref().map_or("groups/buurt", |p| p.2.as_str());
                match &parent {
                    Some(p) => format!(
                        "https://www.facebook.com/{slug}/posts/{}?comment_id={native}",
                        p.split(':').nth(1).unwrap_or("")
                    ),
                    None => format!("https://www.facebook.com/{slug}/posts/{native}"),
                }
            }
            "instagram" => format!("https://www.instagram.com/p/{}/c/{native}", self.video_id()),
            "twitter" => format!(
                "https://x.com/{}/status/{native}",
                author.handle.as_deref().unwrap_or("i")
            ),
            "linkedin" => format!("https://www.linkedin.com/feed/update/urn:li:activity:{native}"),
            "news" => format!("https://{native}"),
            "blog" => format!("https://{native}"),
            "forum" => format!(
                "https://gathering.tweakers.net/forum/list_messages/{}",
                native.rsplit('/').next().unwrap_or("")
            ),
            "review" => format!(
                "https://www.kiyoh.com/reviews/{}",
                native.rsplit('/').next().unwrap_or("")
            ),
            "youtube" => format!(
                "https://www.youtube.com/watch?v={}&lc={}",
                native.split(':').next().unwrap_or(""),
                native.rsplit(':').next().unwrap_or("")
            ),
            _ => format!("https://example.org/{native}"),
        };

        // Dates: recent, except for expired posts and the odd old article.
        let age = match (self.info.event, source) {
            (Event::Expired, _) => self.rng.range(400, 1100) as i64 * 86_400,
            (_, "facebook") => {
                self.rng.range(0, 300 * 86_400) as i64 / if self.rng.chance(0.8) { 10 } else { 1 }
            }
            (_, "news" | "blog") if self.rng.chance(0.2) => self.rng.range(30, 900) as i64 * 86_400,
            _ => self.rng.range(0, 30 * 86_400) as i64,
        };
        let published = self.timestamp(age + 120);
        let delay = self.rng.range(60, 3600) as i64;
        let collected = self.timestamp((age + 120 - delay).max(0));

        // Title and text.
        let has_title = matches!(kind, "article" | "review")
            || (source == "forum" && kind == "post")
            || (source == "youtube" && self.rng.chance(0.0));
        let currency = self.rng.pick(&["€", "€", "£", "$"]);
        let mut texts = Texts {
            rng: &mut *self.rng,
            lang,
            currency,
            lookalikes: false,
        };
        let (n_min, n_max) = match kind {
            "article" => (3, 6),
            "review" => (2, 4),
            "post" if source == "forum" => (2, 5),
            "post" if source == "twitter" => (1, 2),
            "post" => (1, 4),
            _ => (1, 3),
        };
        // Short comments are the most common.
        let n_sentences = if n_max > n_min && texts.rng.chance(0.25) {
            n_min as usize
        } else {
            texts.rng.range(n_min, n_max) as usize
        };
        let mut sentences: Vec<String> = (0..n_sentences).map(|_| texts.sentence()).collect();
        let mut title = if has_title { Some(texts.title()) } else { None };
        if self.info.personal_data {
            let items = if texts.rng.chance(0.2) { 2 } else { 1 };
            for _ in 0..items {
                let pd = texts.rng.weighted(PD_WEIGHTS);
                let s = texts.pd_sentence(pd);
                match &mut title {
                    Some(t) if texts.rng.chance(0.1) => {
                        t.push_str(" - ");
                        t.push_str(&texts.pd_value(pd));
                    }
                    _ => {
                        let at = texts.rng.below(sentences.len() as u64 + 1) as usize;
                        sentences.insert(at, s);
                    }
                }
            }
        }
        // P2: a commenter signing with their own name on a third-party page.
        if self.info.third_party_comment && texts.rng.chance(0.25) {
            let first = author.name.split(' ').next().unwrap_or("");
            sentences.push(match lang {
                Lang::Nl => format!("Groet, {first}"),
                Lang::En => format!("Cheers, {first}"),
            });
        }
        if texts.rng.chance(0.08) {
            let e = texts.rng.pick(EMOJI);
            if let Some(last) = sentences.last_mut() {
                last.push(' ');
                last.push_str(e);
            }
        }
        let sep = if kind == "article" && texts.rng.chance(0.5) {
            "\n\n"
        } else {
            " "
        };
        let mut text = sentences.join(sep);
        if source == "twitter" && texts.rng.chance(0.4) {
            let tag = match lang {
                Lang::Nl => texts.rng.pick(TAGS_NL),
                Lang::En => texts.rng.pick(TAGS_EN),
            };
            text.push_str(" #");
            text.push_str(tag);
        }
        self.info.lookalikes = texts.lookalikes;

        // Write it, in the contract's order.
        let mut o = Obj::open(out);
        o.str("id", &id);
        if self.rng.chance(0.5) {
            o.str("op", "upsert");
        }
        o.str("source", source);
        o.str("kind", kind);
        o.str("url", &url);
        self.write_ts(&mut o, "published_at", published);
        if self.rng.chance(0.85) {
            self.write_ts(&mut o, "collected_at", collected);
        }
        o.str("language", if lang == Lang::Nl { "nl" } else { "en" });
        match self.info.event {
            Event::Private => o.str("visibility", "private"),
            _ if self.rng.chance(0.9) => o.str("visibility", "public"),
            _ => {}
        }
        if let Some((pid, pname, _)) = &page {
            let mut p = o.obj("page");
            p.str("id", pid);
            p.str("name", pname);
            p.close();
        }
        if let Some(parent) = &parent {
            o.str("parent_id", parent);
        }
        let extra = self.rng.chance(self.cfg.extra_fields_share);
        self.info.extra_fields = extra;
        {
            let mut a = o.obj("author");
            if let Some(v) = &author.id {
                a.str("id", v);
            }
            a.str("name", &author.name);
            if let Some(v) = &author.handle {
                a.str("handle", v);
            }
            if let Some(v) = &author.avatar_url {
                a.str("avatar_url", v);
            }
            if let Some(v) = &author.profile_url {
                a.str("profile_url", v);
            }
            if let Some(v) = author.followers {
                a.u64("followers", v);
            }
            if let Some(v) = author.verified {
                a.bool("verified", v);
            }
            if extra && self.rng.chance(0.3) {
                // Outside the contract: must never reach the output.
                let h = author.handle.as_deref().unwrap_or("user").trim_start_matches('@');
                a.str("email", &format!("{h}@{}", self.rng.pick(MAIL_DOMAINS)));
            }
            a.close();
        }
        match &title {
            Some(t) => o.str("title", t),
            None if comment && self.rng.chance(0.3) => o.null("title"),
            None => {}
        }
        o.str("text", &text);
        if self.rng.chance(self.cfg.geo_share) {
            let (place, lat, lon) = self.rng.pick(CITIES);
            let mut g = o.obj("geo");
            if self.rng.chance(0.85) {
                let jitter = |rng: &mut Rng| (rng.unit() - 0.5) * 0.08;
                let lat = ((lat + jitter(self.rng)) * 1e6).round() / 1e6;
                let lon = ((lon + jitter(self.rng)) * 1e6).round() / 1e6;
                g.f64("lat", lat);
                g.f64("lon", lon);
            }
            g.str("place", place);
            g.str("country", "NL");
            g.close();
        }
        if self.rng.chance(0.3) {
            o.key("media");
            o.out.push(b'[');
            let n = if self.rng.chance(0.8) { 1 } else { 2 };
            for i in 0..n {
                if i > 0 {
                    o.out.push(b',');
                }
                let mut m = Obj::open(o.out);
                let video = self.rng.chance(0.2);
                m.str("type", if video { "video" } else { "image" });
                let url = match (&author.id, self.info.third_party_comment && self.rng.chance(0.3)) {
                    (Some(aid), true) => format!("https://cdn.example/u/{aid}/{}.jpg", self.num(6)),
                    _ => format!(
                        "https://cdn.example/m/{}.{}",
                        self.num(8),
                        if video { "mp4" } else { "jpg" }
                    ),
                };
                m.str("url", &url);
                m.close();
            }
            o.out.push(b']');
        }
        if self.rng.chance(0.85) {
            let mut m = o.obj("metrics");
            m.u64("likes", self.rng.below(200));
            if self.rng.chance(0.8) {
                m.u64("shares", self.rng.below(30));
                m.u64("comments", self.rng.below(50));
            }
            m.close();
        }
        if self.rng.chance(0.35) {
            let n = self.rng.range(1, 3);
            let mut tags: Vec<String> = (0..n)
                .map(|_| {
                    match lang {
                        Lang::Nl => self.rng.pick(TAGS_NL),
                        Lang::En => self.rng.pick(TAGS_EN),
                    }
                    .to_owned()
                })
                .collect();
            if self.info.third_party_comment
                && self.rng.chance(0.2)
                && let Some(h) = &author.handle
            {
                tags.push(h.trim_start_matches('@').to_owned());
            }
            tags.sort();
            tags.dedup();
            o.strs("tags", &tags);
        }
        if extra {
            match self.rng.below(3) {
                0 => {
                    let html = format!(
                        "<div class=\"post\" data-id=\"{native}\"><p>{}</p><span class=\"meta\">{}</span></div>",
                        text.replace('\n', "<br>"),
                        author.name
                    );
                    o.str("raw_html", &html);
                }
                1 => {
                    let mut d = o.obj("device");
                    d.str("os", if self.rng.chance(0.5) { "iOS" } else { "Android" });
                    d.str(
                        "app_version",
                        &format!(
                            "{}.{}.{}",
                            self.rng.range(1, 30),
                            self.rng.below(20),
                            self.rng.below(10)
                        ),
                    );
                    d.str("ip", &format!("203.0.113.{}", self.rng.range(1, 254)));
                    d.close();
                }
                _ => {
                    let mut c = o.obj("crawler");
                    c.str("node", &format!("crawl-{:02}", self.rng.range(1, 12)));
                    c.u64("run", self.rng.range(10_000, 99_999));
                    c.f64("lang_confidence", (self.rng.range(500, 999) as f64) / 1000.0);
                    c.close();
                }
            }
        }
        o.close();
    }
}

/// Text generation for one record.
struct Texts<'r> {
    rng: &'r mut Rng,
    lang: Lang,
    /// English texts use one currency throughout.
    currency: &'static str,
    lookalikes: bool,
}

impl Texts<'_> {
    fn sentence(&mut self) -> String {
        let t = match self.lang {
            Lang::Nl => self.rng.pick(SENTENCES_NL),
            Lang::En => self.rng.pick(SENTENCES_EN),
        };
        self.expand(t, None)
    }

    fn title(&mut self) -> String {
        let t = match self.lang {
            Lang::Nl => self.rng.pick(TITLES_NL),
            Lang::En => self.rng.pick(TITLES_EN),
        };
        self.expand(t, None)
    }

    fn pd_sentence(&mut self, pd: Pd) -> String {
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

    fn expand(&mut self, template: &str, pd: Option<&str>) -> String {
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

    fn placeholder(&mut self, name: &str, pd: Option<&str>, out: &mut String) {
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

    fn pd_value(&mut self, pd: Pd) -> String {
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

fn digit_string(ds: &[u8]) -> String {
    ds.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Digits that no checksummed detector should take: an 8- or 9-digit run
/// fails the BSN 11-proof, a 12- to 19-digit run fails Luhn.
fn safe_number(r: &mut Rng, len: usize) -> String {
    loop {
        let ds = r.digits(len, false);
        let bsn_like = (8..=9).contains(&len) && bsn_valid(&ds);
        let card_like = (12..=19).contains(&len) && luhn_valid(&ds);
        if !bsn_like && !card_like {
            return digit_string(&ds);
        }
    }
}

/// The BSN 11-proof; an 8-digit number counts with a leading zero.
pub fn bsn_valid(ds: &[u8]) -> bool {
    if ds.len() != 9 && ds.len() != 8 {
        return false;
    }
    let mut nine = [0u8; 9];
    nine[9 - ds.len()..].copy_from_slice(ds);
    let sum: i64 = nine
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let w = if i == 8 { -1 } else { 9 - i as i64 };
            w * i64::from(d)
        })
        .sum();
    sum % 11 == 0
}

pub fn luhn_valid(ds: &[u8]) -> bool {
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// IBAN mod-97 over the compact form (no spaces).
pub fn iban_valid(iban: &str) -> bool {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 15 || !compact.is_ascii() {
        return false;
    }
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    mod97(&rearranged) == Some(1)
}

fn mod97(s: &str) -> Option<u32> {
    let mut m = 0u32;
    for c in s.chars() {
        let v = c.to_digit(36)?;
        m = if v >= 10 {
            (m * 100 + v) % 97
        } else {
            (m * 10 + v) % 97
        };
    }
    Some(m)
}

fn email(r: &mut Rng) -> String {
    let first = r.pick(FIRST_NAMES).to_lowercase();
    let last: String = r
        .pick(LAST_NAMES)
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let domain = r.pick(MAIL_DOMAINS);
    match r.below(5) {
        0 => format!("{first}.{last}@{domain}"),
        1 => format!("{}.{last}{}@{domain}", &first[..1], r.range(60, 99)),
        2 => format!("{first}{last}@{domain}"),
        3 => format!("{first}_{}@{domain}", r.range(1, 999)),
        _ => format!("info+{last}@{last}-webshop.nl"),
    }
}

fn phone_nl(r: &mut Rng) -> String {
    if r.chance(0.65) {
        // Mobile: 06 and eight digits.
        let d = digit_string(&r.digits(8, true));
        let (a, b) = d.split_at(4);
        match r.below(9) {
            0 => format!("06-{d}"),
            1 => format!("06{d}"),
            2 => format!("06 {a} {b}"),
            3 => format!("06 {} {} {} {}", &d[..2], &d[2..4], &d[4..6], &d[6..]),
            4 => format!("+31 6 {d}"),
            5 => format!("+316{d}"),
            6 => format!("+31 (0)6 {a} {b}"),
            7 => format!("0031 6 {d}"),
            _ => format!("(06) {d}"),
        }
    } else {
        // Landline: a two-digit area code and seven digits, or three and six.
        let (area, rest) = if r.chance(0.6) {
            (
                r.pick(&["10", "20", "30", "40", "50", "70", "71", "73", "76"]),
                digit_string(&r.digits(7, false)),
            )
        } else {
            (
                r.pick(&["113", "172", "251", "318", "492", "575", "595"]),
                digit_string(&r.digits(6, false)),
            )
        };
        match r.below(6) {
            0 => format!("0{area}-{rest}"),
            1 => format!("0{area} {} {}", &rest[..3], &rest[3..]),
            2 => format!("+31 {area} {rest}"),
            3 if rest.len() == 7 => format!("+31 (0){area} {} {} {}", &rest[..3], &rest[3..5], &rest[5..]),
            4 => format!("0031 {area} {rest}"),
            _ => format!("0{area}{rest}"),
        }
    }
}

fn phone_intl(r: &mut Rng) -> String {
    let d = |r: &mut Rng, n| digit_string(&r.digits(n, false));
    match r.below(6) {
        0 => format!("+44 20 {} {}", d(r, 4), d(r, 4)),
        1 => format!("+44 7700 900{:03}", r.below(1000)),
        2 => format!("+44 (0)161 {} {}", d(r, 3), d(r, 4)),
        3 => format!("+49 30 {}", d(r, 8)),
        4 => format!("+49 (0)89 {}", d(r, 7)),
        _ => format!("+49 151 {}", d(r, 8)),
    }
}

fn iban_with_check(country: &str, bban: &str) -> String {
    let m = mod97(&format!("{bban}{country}00")).unwrap_or(0);
    format!("{country}{:02}{bban}", 98 - m)
}

fn iban(r: &mut Rng) -> String {
    let compact = match r.below(8) {
        0 => "NL91ABNA0417164300".to_owned(),
        1 => "DE89370400440532013000".to_owned(),
        2..=4 => {
            let bank = r.pick(&["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]);
            let acct = digit_string(&r.digits(10, true));
            iban_with_check("NL", &format!("{bank}{acct}"))
        }
        5..=6 => iban_with_check("DE", &digit_string(&r.digits(18, false))),
        _ => {
            // Belgian: ten digits and their own mod-97 check (97 for 0).
            let body = digit_string(&r.digits(10, false));
            let n: u64 = body.parse().unwrap_or(0);
            let c = match n % 97 {
                0 => 97,
                c => c,
            };
            iban_with_check("BE", &format!("{body}{c:02}"))
        }
    };
    if r.chance(0.5) {
        let mut spaced = String::with_capacity(compact.len() + 6);
        for (i, c) in compact.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                spaced.push(' ');
            }
            spaced.push(c);
        }
        spaced
    } else {
        compact
    }
}

fn bsn(r: &mut Rng) -> String {
    let ds = loop {
        let mut ds = r.digits(8, false);
        let sum: u32 = ds
            .iter()
            .enumerate()
            .map(|(i, &d)| (9 - i as u32) * u32::from(d))
            .sum();
        let check = sum % 11;
        if check < 10 {
            ds.push(check as u8);
            break ds;
        }
    };
    let s = digit_string(&ds);
    match r.below(5) {
        0 => format!("{}.{}.{}", &s[..4], &s[4..6], &s[6..]),
        1 => format!("{} {} {}", &s[..3], &s[3..6], &s[6..]),
        _ => s,
    }
}

fn card(r: &mut Rng) -> String {
    let (prefix, len): (&str, usize) = r.pick(&[
        ("4", 16),
        ("4", 16),
        ("51", 16),
        ("55", 16),
        ("2221", 16),
        ("34", 15),
        ("37", 15),
    ]);
    let mut ds: Vec<u8> = prefix.bytes().map(|b| b - b'0').collect();
    while ds.len() < len - 1 {
        ds.push(r.digit());
    }
    ds.push(0);
    if !luhn_valid(&ds) {
        // The check digit: whatever makes the sum a multiple of ten.
        let last = ds.len() - 1;
        for c in 1..10 {
            ds[last] = c;
            if luhn_valid(&ds) {
                break;
            }
        }
    }
    let s = digit_string(&ds);
    let sep = r.pick(&[" ", " ", "-", ""]);
    if len == 15 {
        format!("{}{sep}{}{sep}{}", &s[..4], &s[4..10], &s[10..])
    } else {
        format!("{}{sep}{}{sep}{}{sep}{}", &s[..4], &s[4..8], &s[8..12], &s[12..])
    }
}

fn address(r: &mut Rng) -> String {
    // Letters that Dutch postcodes use; SA, SD and SS are never issued.
    const LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXZ";
    let street = r.pick(STREETS);
    let number = r.range(1, 250);
    let suffix = r.pick(&["", "", "", "a", "-2", " B"]);
    let digits = r.range(1000, 9999);
    let (a, b) = loop {
        let a = r.pick(LETTERS) as char;
        let b = r.pick(LETTERS) as char;
        if !(a == 'S' && matches!(b, 'A' | 'D' | 'S')) {
            break (a, b);
        }
    };
    let space = if r.chance(0.7) { " " } else { "" };
    let city = r.pick(CITIES).0;
    if r.chance(0.6) {
        format!("{street} {number}{suffix}, {digits}{space}{a}{b} {city}")
    } else {
        format!("{street} {number}{suffix}, {digits}{space}{a}{b}")
    }
}

fn ipv4(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("192.168.{}.{}", r.below(3), r.range(2, 254)),
        1 => format!("10.{}.{}.{}", r.below(256), r.below(256), r.range(1, 254)),
        2 => format!("203.0.113.{}", r.range(1, 254)),
        3 => format!("84.{}.{}.{}", r.range(24, 31), r.below(256), r.range(1, 254)),
        _ => format!("145.{}.{}.{}", r.range(53, 131), r.below(256), r.range(1, 254)),
    }
}

fn ipv6(r: &mut Rng) -> String {
    let h = |r: &mut Rng| format!("{:x}", r.below(0x10000));
    match r.below(3) {
        0 => format!("2001:db8::{}", h(r)),
        1 => format!("2a02:a46b:{}:{}:{}:{}:{}:{}", h(r), h(r), h(r), h(r), h(r), h(r)),
        _ => format!("fe80::{}:{}:{}:{}", h(r), h(r), h(r), h(r)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::engine::{Engine, Limits, Outcome, Trace};
    use crate::{check, rules};

    const N: usize = 2_000;

    #[test]
    fn bench_now_is_the_documented_instant() {
        assert_eq!(bench_now(), BENCH_NOW.parse::<Timestamp>().unwrap());
    }

    #[test]
    fn same_seed_same_records_other_seed_other_records() {
        assert_eq!(generate(300, 7), generate(300, 7));
        assert_ne!(generate(300, 7), generate(300, 8));
    }

    #[test]
    fn every_record_is_one_valid_json_object_on_one_line() {
        for r in generate(N, 1) {
            assert!(!r.contains(&b'\n'));
            let v: serde_json::Value = serde_json::from_slice(&r).unwrap();
            assert!(v.is_object());
            assert!(v["id"].is_string());
        }
    }

    #[test]
    fn records_average_about_0_7_kb() {
        for seed in [1, 2, 3] {
            let recs = generate(N, seed);
            let mean = recs.iter().map(Vec::len).sum::<usize>() as f64 / recs.len() as f64;
            assert!(
                (600.0..=800.0).contains(&mean),
                "seed {seed}: mean {mean:.0} bytes"
            );
        }
    }

    #[test]
    fn shares_are_within_tolerance() {
        let recs = generate_labelled(10_000, 3);
        let share = |f: &dyn Fn(&RecordInfo) -> bool| {
            recs.iter().filter(|(_, i)| f(i)).count() as f64 / recs.len() as f64
        };
        let pd = share(&|i| i.personal_data);
        assert!((0.18..=0.22).contains(&pd), "personal data share {pd}");
        let look = share(&|i| i.lookalikes);
        assert!(look > 0.4, "look-alike share {look}");
        let removed = share(&|i| i.event.is_tombstone());
        assert!((0.05..=0.10).contains(&removed), "tombstone share {removed}");
        for e in [Event::Delete, Event::Private, Event::ErasedAuthor, Event::Expired] {
            assert!(share(&|i| i.event == e) > 0.005, "{e:?}");
        }
        assert!(share(&|i| i.third_party_comment) > 0.1);
        assert!(share(&|i| i.extra_fields) > 0.1);
        let sources: std::collections::BTreeSet<_> = recs.iter().map(|(_, i)| i.source).collect();
        assert_eq!(sources.len(), SOURCES.len());
    }

    #[test]
    fn checksummed_personal_data_is_valid_and_look_alikes_are_not() {
        let mut r = Rng::new(42);
        for _ in 0..500 {
            assert!(iban_valid(&iban(&mut r)));
            let b: Vec<u8> = bsn(&mut r)
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect();
            assert!(bsn_valid(&b));
            let c: Vec<u8> = card(&mut r)
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect();
            assert!(luhn_valid(&c));
            for len in [8, 9, 16] {
                let n: Vec<u8> = safe_number(&mut r, len).bytes().map(|b| b - b'0').collect();
                assert!(!bsn_valid(&n), "{n:?}");
                assert!(len != 16 || !luhn_valid(&n), "{n:?}");
            }
        }
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(iban_valid("DE89 3704 0044 0532 0130 00"));
        assert!(!iban_valid("NL91ABNA0417164301"));
        assert!(bsn_valid(&[1, 1, 1, 2, 2, 2, 3, 3, 3]));
        assert!(luhn_valid(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    }

    #[test]
    fn the_default_rules_accept_every_record_and_remove_what_they_should() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let rules = rules::load(&dir).unwrap();
        let engine = Engine::new(rules, Some(check::test_key()), Limits::default()).unwrap();
        let now = bench_now();
        let mut trace = Trace::default();
        let mut out = Vec::new();
        for (i, (rec, info)) in generate_labelled(N, 5).iter().enumerate() {
            let outcome = match engine.apply(rec, now, &mut trace) {
                Ok(o) => o,
                Err(e) => panic!("record {i} rejected: {e}: {}", String::from_utf8_lossy(rec)),
            };
            assert_eq!(
                outcome.is_tombstone(),
                info.event.is_tombstone(),
                "record {i} ({:?}): {}",
                info.event,
                String::from_utf8_lossy(rec)
            );
            out.clear();
            outcome.write_json(&mut out);
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            if let Outcome::Upsert(_) = outcome {
                for gone in ["raw_html", "device", "crawler"] {
                    assert!(v.get(gone).is_none());
                }
                assert!(v["author"].get("email").is_none());
                if info.third_party_comment {
                    assert_eq!(v["author"]["name"], "Anonieme gebruiker", "record {i}");
                }
            }
        }
    }
}
