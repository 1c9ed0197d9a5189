//! The fixed word lists: sources, pages, names, places, shops, products,
//! tags. Some entries must match the default rule lists (owned pages, erased
//! authors); those say so.

pub(super) const SOURCES: &[(&str, u32)] = &[
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
pub(super) struct PageDef {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) slug: &'static str,
}

/// On `rules/lists/owned_pages.txt`.
pub(super) const OWNED_FACEBOOK: &[PageDef] = &[
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
pub(super) const OWNED_INSTAGRAM: &[PageDef] = &[PageDef {
    id: "igp-2233445566",
    name: "Coolblue",
    slug: "coolblue",
}];
pub(super) const OTHER_FACEBOOK: &[PageDef] = &[
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
pub(super) const OTHER_INSTAGRAM: &[PageDef] = &[
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
pub(super) const NEWS_SITES: &[(&str, &str)] = &[
    ("nos.nl", "NOS"),
    ("nu.nl", "NU.nl"),
    ("ad.nl", "AD"),
    ("rtlnieuws.nl", "RTL Nieuws"),
    ("bbc.co.uk", "BBC News"),
    ("dutchnews.nl", "DutchNews.nl"),
];
pub(super) const YOUTUBE_CHANNELS: &[(&str, &str)] = &[
    ("UCx8Kq2vB1nR4tY7uW0zPq3A", "Tech Review NL"),
    ("UC4mLp9sD2fG6hJ8kZ1xCv5B", "Unboxing Daily"),
    ("UCq7Wn3eR5tY9uI1oP4aS6dF", "Consumentenbond"),
];
pub(super) const REVIEW_SHOPS: &[(&str, &str)] = &[
    ("kiyoh-shop-1", "Webshop X"),
    ("kiyoh-shop-2", "Fietsenwinkel Y"),
    ("trustpilot-coolblue", "Coolblue"),
    ("trustpilot-zalando", "Zalando"),
];

/// On `rules/lists/erased_authors.txt`.
pub(super) const ERASED: &[(&str, &str, &str)] = &[
    ("twitter", "1350000000000000001", "someone"),
    ("facebook", "100009999999999", "erased.person"),
];

pub(super) const FIRST_NAMES: &[&str] = &[
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
pub(super) const LAST_NAMES: &[&str] = &[
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
pub(super) const MAIL_DOMAINS: &[&str] = &[
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
pub(super) const CITIES: &[(&str, f64, f64)] = &[
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
pub(super) const STREETS: &[&str] = &[
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
pub(super) const SHOPS: &[&str] = &[
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
pub(super) const PRODUCTS_NL: &[&str] = &[
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
pub(super) const PRODUCTS_EN: &[&str] = &[
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
pub(super) const TAGS_NL: &[&str] = &[
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
pub(super) const TAGS_EN: &[&str] = &[
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
pub(super) const EMOJI: &[&str] = &["👍", "😡", "🙏", "😂", "📦", "❤️", "🤔", "🎉"];
