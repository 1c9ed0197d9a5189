//! Sentence and title templates, in Dutch and English, and the templates
//! that carry one item of personal data.

use super::personal::Pd;

/// Sentence templates. Placeholders: `{order}` `{price}` `{date}` `{time}`
/// `{version}` `{track}` `{ref}` `{pct}` (look-alikes), `{n}` `{product}`
/// `{shop}` `{city}` (plain).
pub(super) const SENTENCES_NL: &[&str] = &[
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
pub(super) const SENTENCES_EN: &[&str] = &[
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
pub(super) const TITLES_NL: &[&str] = &[
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
pub(super) const TITLES_EN: &[&str] = &[
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
pub(super) const PD_SENTENCES_NL: &[(Pd, &[&str])] = &[
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
pub(super) const PD_SENTENCES_EN: &[(Pd, &[&str])] = &[
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
