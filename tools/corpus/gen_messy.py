#!/usr/bin/env python3
"""Generates the messy-notation corpus in tests/corpus/messy/:

    pii.jsonl         personal data that must not survive (P4), one case a line
    lookalikes.jsonl  look-alikes that must stay, one case a line

Stdlib only, deterministic (fixed seeds, one random stream per section, so a
change in one section does not reshuffle the others). Every checksum in the
corpus is computed here (IBAN mod-97, BSN 11-proof, card Luhn, EAN/ISBN check
digits, Belgian and French account keys), and the self-check at the end
re-verifies every case from its text. If the `phonenumbers` package
(libphonenumber's metadata) is installed, every phone number is also checked
to be valid for the region recorded in the case; without it that one check
is skipped (the output is the same either way).

    python3 tools/corpus/gen_messy.py            # write both files, then check them
    python3 tools/corpus/gen_messy.py --check    # only check the files as they are
    python3 tools/corpus/gen_messy.py --stdout   # print instead of writing

Case format (JSON, one object a line):
    {"class": "...", "lang": "nl"|"en", "text": "...",
     "pii": ["exact substring of text", ...]      (pii.jsonl)
     "keep": ["exact substring of text", ...]     (lookalikes.jsonl)
     "notation": "...",                            how the value is written
     "region": "NL",                               phones only (optional)
     "field": "tags"}                              optional: the record field
                                                   the text is shaped for
Characters that cannot be seen (format characters, non-ASCII spaces and
dashes) are written as \\uXXXX escapes so the files can be read and grepped;
everything else is literal UTF-8.
"""
import argparse
import ipaddress
import json
import os
import random
import re
import sys
import unicodedata

SEED = "anoniem-messy-corpus-v1"
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT_DIR = os.path.join(ROOT, "tests", "corpus", "messy")
DIGITS = "0123456789"


def rng_for(section):
    return random.Random(f"{SEED}/{section}")


# --------------------------------------------------------------------------
# Checksums
# --------------------------------------------------------------------------

def iban_check_digits(country, bban):
    rearranged = bban + country + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged.upper()))
    return "%02d" % (98 - num % 97)


def iban_make(country, bban):
    return country + iban_check_digits(country, bban) + bban


def iban_valid(s):
    s = s.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    lengths = {"NL": 18, "BE": 16, "DE": 22, "GB": 22, "FR": 27, "ES": 24, "LU": 20}
    if s[:2] in lengths and len(s) != lengths[s[:2]]:
        return False
    r = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in r)) % 97 == 1


def bsn_valid(digits):
    if len(digits) == 8:
        digits = "0" + digits
    if not re.fullmatch(r"\d{9}", digits) or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def bsn_make(rng, eight=False):
    """A 9-digit BSN passing the 11-proof. eight=True: one with a leading 0,
    so that it can be written as 8 digits."""
    while True:
        if eight:
            head = "0" + rng.choice("123456789") + "".join(rng.choice(DIGITS) for _ in range(6))
        else:
            head = rng.choice("123") + "".join(rng.choice(DIGITS) for _ in range(7))
        s = sum(int(d) * w for d, w in zip(head, range(9, 1, -1)))
        last = s % 11
        if last < 10:
            full = head + str(last)
            assert bsn_valid(full)
            return full


def luhn_valid(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(rng, prefix, length):
    body = prefix + "".join(rng.choice(DIGITS) for _ in range(length - len(prefix) - 1))
    for c in DIGITS:
        if luhn_valid(body + c):
            return body + c
    raise AssertionError


def ean13_check(d12):
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(d12))
    return str((10 - s % 10) % 10)


def isbn10_check(d9):
    s = sum(int(d) * w for d, w in zip(d9, range(10, 1, -1)))
    c = (11 - s % 11) % 11
    return "X" if c == 10 else str(c)


def eleven_proof_account(rng):
    """A 10-digit Dutch account number passing the old 11-proof (weights 10..1)."""
    while True:
        d = "".join(rng.choice(DIGITS) for _ in range(10))
        if d[0] != "0" or d[1] != "0":
            if sum(int(c) * w for c, w in zip(d, range(10, 0, -1))) % 11 == 0:
                return d


def french_rib_key(bank, branch, account):
    return "%02d" % (97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)


# --------------------------------------------------------------------------
# The normalised reading (what the issue's detection view does), for checking
# --------------------------------------------------------------------------

EXTRA_DASHES = {"\u2212", "\u207b", "\u208b", "\u02d7", "\u2043", "\ufe63"}


def fold(s):
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        if cat == "Nd":
            out.append(str(unicodedata.digit(ch)))
        elif cat == "Pd" or ch in EXTRA_DASHES:
            out.append("-")
        elif cat in ("Zs", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def only_digits(s):
    return re.sub(r"\D", "", fold(s))


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def dg(rng, n, first=DIGITS):
    return rng.choice(first) + "".join(rng.choice(DIGITS) for _ in range(n - 1))


def grp(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


class Pool:
    """Cycles through a shuffled list so that consecutive picks differ."""

    def __init__(self, rng, items):
        self.rng, self.items, self.queue = rng, list(items), []

    def pick(self):
        if not self.queue:
            self.queue = list(self.items)
            self.rng.shuffle(self.queue)
        return self.queue.pop()


# --------------------------------------------------------------------------
# Sentences people write (each {x} is where the value goes)
# --------------------------------------------------------------------------

T = {
    ("phone", "nl"): [
        "Bel me even op {x}, ik ben na zessen thuis.",
        "Voor vragen kun je altijd appen naar {x} 👍",
        "Wie heeft mijn fiets gezien?? Zwarte Gazelle, gestolen bij het station. Graag bellen: {x}",
        "Te koop: kinderwagen, zo goed als nieuw. Interesse? {x}",
        "Mijn nummer is {x}, stuur maar een berichtje",
        "Klantenservice reageert niet, ik heb nu drie keer {x} gebeld...",
        "Oppas gezocht voor woensdagmiddag, reacties graag via {x}",
        "Kat vermist in de buurt van het park! Gezien? Bel {x} aub",
        "bel mij ff terug op {x} want mn mail doet het niet",
        "Heel tevreden over de loodgieter, zijn nummer: {x}",
        "Kamer te huur per 1 maart, info: {x} (na 18u)",
        "Ik heb {x} al twee keer ingesproken, nog steeds geen reactie.",
        "Tel. {x} - vraag naar Marieke",
        "Whatsappen kan ook: {x}",
        "Gevonden: sleutelbos met rode hanger. Van jou? Bel {x}.",
        "Mobiel: {x} (liefst na 17.00)",
        "Mijn collega is bereikbaar op {x}.",
        "Wie wil er mee naar het concert? Ik heb nog 2 kaartjes, bel {x}",
        "Het nummer van de huisarts is veranderd, het is nu {x}",
        "Ik ben tijdens de vakantie alleen bereikbaar op {x}",
    ],
    ("phone", "en"): [
        "Call me on {x} if you still have the tickets",
        "Lost dog near the beach, please ring {x}!!",
        "Selling my old bike, text {x} for details",
        "You can reach their support line at {x}, they were really helpful",
        "My number is {x}, WhatsApp is fine too",
        "Tried calling {x} five times and nobody picks up. Terrible service.",
        "Room available from March, call {x} after 6pm",
        "If anyone found a black wallet, please contact me at {x}",
        "Great plumber, highly recommend. His number: {x}",
        "Ph: {x} (ask for Tom)",
        "Just ring {x} and mention this post for 10% off",
        "Babysitter needed Saturday evening, message me on {x}",
        "our new office number is {x}",
        "Mobile: {x}, landline is dead since the storm",
        "I'm only reachable on {x} while I'm abroad.",
        "Anyone selling a used pram? Text me: {x}",
    ],
    ("email", "nl"): [
        "Mail me op {x}, dan stuur ik de foto's.",
        "Stuur je cv naar {x} voor vrijdag.",
        "Contact: {x}",
        "Facturen graag naar {x} sturen, niet naar mijn werk.",
        "mijn mail is {x} voor de foto's van zaterdag",
        "Reageren kan via {x} (geen spam aub)",
        "Wie de sleutels heeft gevonden: {x}, ik trakteer!",
        "Aanmelden voor de buurtbarbecue bij {x}",
        "Mijn oude adres {x} werkt niet meer, gebruik dit account.",
        "Heb je vragen over de vereniging? Mail {x}",
        "Ik heb {x} al drie keer gemaild, geen antwoord.",
        "e-mail: {x}",
    ],
    ("email", "en"): [
        "Email me at {x} and I'll send the pictures.",
        "Send your CV to {x} by Friday.",
        "drop me a line: {x}",
        "You can contact the seller at {x}",
        "My email is {x} if you want the photos",
        "Write to {x}, they answered within a day.",
        "Questions? Mail {x}",
        "I emailed {x} three times and got nothing back.",
        "For the carpool sign-up sheet, reply to {x}",
        "Contact me: {x}",
    ],
    ("iban", "nl"): [
        "Je kunt het bedrag overmaken op {x} t.n.v. de penningmeester.",
        "Rekeningnummer: {x}",
        "Tikkie werkt niet, maak maar over naar {x}",
        "Donaties zijn welkom op {x}, alle beetjes helpen!",
        "IBAN {x}, graag met vermelding van je naam.",
        "Graag 25 euro storten op {x} voor het uitje.",
        "Mijn IBAN is {x}, stuur maar als het je uitkomt.",
        "Ze hebben het geld naar {x} gestuurd in plaats van naar mij.",
        "Contributie voor dit seizoen op {x} aub",
        "Let op: het rekeningnummer is veranderd, nieuw nummer {x}",
    ],
    ("iban", "en"): [
        "Please transfer the deposit to {x}",
        "Bank details: {x}",
        "Donations can go to {x}, every bit helps!",
        "My IBAN: {x}",
        "Wire it to {x} and I'll ship tomorrow.",
        "They refunded the money to {x} instead of my new account.",
        "Membership fee goes to {x}",
    ],
    ("bsn", "nl"): [
        "Mijn BSN is {x}, moet ik dat echt doorgeven?",
        "Ze vroegen om mijn burgerservicenummer ({x}) via de chat, is dat normaal?",
        "bsn: {x}",
        "Sofinummer {x} staat gewoon op mijn loonstrook",
        "Hier is het bsn van mijn zoon: {x}",
        "De gemeente belde en vroeg me {x} te bevestigen.",
        "Ik heb {x} ingevuld bij de aanvraag maar krijg een foutmelding",
        "Kun je {x} even in het systeem zetten?",
        "Burgerservicenummer: {x}",
        "Heb je {x} nog nodig voor het formulier?",
        "Op de brief stond gewoon {x} bovenaan, echt onzorgvuldig",
    ],
    ("bsn", "en"): [
        "They asked for my BSN {x} over the phone",
        "citizen service number: {x}",
        "My Dutch BSN is {x}, is it safe to share?",
        "the form wants {x} in box 3, is that right?",
        "The letter literally printed {x} on the envelope",
        "Can you put {x} into the system for me?",
    ],
    ("card", "nl"): [
        "Betaald met mijn creditcard {x}, maar het bedrag is twee keer afgeschreven.",
        "Kaartnummer {x} werd geweigerd bij het afrekenen",
        "Mijn visa {x} is geblokkeerd na die aankoop",
        "Iemand heeft met {x} online besteld, niet ik!",
        "Kan ik met {x} betalen of alleen met iDEAL?",
        "Ik heb {x} gebruikt en nu zie ik rare afschrijvingen",
        "creditcard: {x}",
        "Ze hebben {x} gewoon in de bevestigingsmail gezet...",
    ],
    ("card", "en"): [
        "My card {x} was charged twice",
        "Someone used {x} to buy stuff online",
        "Paid with {x} and never got the goods",
        "Card number: {x}",
        "They printed {x} on the receipt, unbelievable",
        "Is {x} still being charged for the subscription?",
    ],
    ("postcode+nr", "nl"): [
        "Afhalen op {x}, even aanbellen.",
        "Pakketje graag bezorgen op {x}",
        "Mijn adres voor de ruil: {x}",
        "We wonen op {x}, kom gerust langs.",
        "Gratis af te halen: bankstel, {x}",
        "Stuur het maar naar {x}, ik ben de hele dag thuis.",
        "Het feest is bij ons, {x}. Vanaf 20.00!",
        "Bezorger heeft het pakket bij {x} afgeleverd, maar daar woon ik niet",
    ],
    ("postcode+nr", "en"): [
        "Pick up at {x}, Amsterdam.",
        "Ship it to {x} please",
        "Send the parcel to {x}",
        "The party is at our place: {x}",
        "Free to collect: sofa, {x}",
    ],
    ("postcode", "nl"): [
        "Ik woon in {x}, valt dat binnen jullie bezorggebied?",
        "Bezorgen jullie ook in {x}?",
        "Storing in {x} al sinds vanochtend, iemand anders ook?",
        "Is glasvezel al beschikbaar in {x}?",
        "Stroom is weer uitgevallen hier in {x}",
        "Verhuisd naar {x} en de post komt nog steeds op het oude adres",
        "Wie haalt er oud papier op in {x}?",
    ],
    ("postcode", "en"): [
        "Do you deliver to {x}?",
        "Power outage in {x} since this morning",
        "We just moved to {x}, any good schools nearby?",
        "Is fibre available in {x} yet?",
    ],
    ("ip", "nl"): [
        "Mijn router geeft {x} aan als adres, klopt dat?",
        "Iemand probeert steeds in te loggen vanaf {x}",
        "Ik kan niet bij {x} komen vanaf mijn laptop",
        "De camera staat op {x} maar ik krijg geen beeld",
        "Ben ik geblokkeerd vanwege {x}?",
        "Volgens de log kwam de aanval van {x}",
        "De NAS is bereikbaar via {x}, maar alleen thuis",
    ],
    ("ip", "en"): [
        "Someone keeps logging in from {x}",
        "My server at {x} is down again",
        "Can't reach {x} from outside the network",
        "The printer is on {x}",
        "Login attempts from {x}, blocked them now",
        "Got banned, apparently because of {x}?",
    ],
}


# --------------------------------------------------------------------------
# Phone notations: each returns (shown in the text, pii substring, region)
# --------------------------------------------------------------------------

NL_AREA2 = ["10", "20", "30", "40", "50", "70", "13", "15", "23", "24", "26", "33", "35", "36",
            "38", "43", "45", "46", "53", "55", "58", "71", "72", "73", "74", "75", "76", "77",
            "78", "79"]
NL_AREA3 = ["113", "118", "162", "164", "172", "174", "180", "182", "187", "222", "229", "251",
            "252", "294", "313", "314", "318", "320", "341", "343", "345", "348", "411", "412",
            "418", "475", "478", "485", "492", "493", "495", "499", "511", "513", "515", "521",
            "523", "528", "541", "543", "544", "546", "548", "561", "566", "570", "572", "575",
            "591", "592", "594", "597", "599"]
BE_MOBILE = ["470", "471", "472", "473", "475", "476", "477", "478", "479", "484", "485", "486",
             "487", "488", "489", "491", "492", "493", "494", "495", "496", "497", "498", "499"]
BE_AREA2 = ["50", "16", "11", "13", "14", "15", "51", "56", "59", "89", "87", "81", "71", "65",
            "64", "10"]
GB_MOBILE = ["71", "72", "87", "96"]
US_AREA = ["415", "312", "212", "646", "718", "305", "617", "206", "512", "303", "404", "213"]
CA_AREA = ["416", "604", "514", "613", "403"]


def nl_mob(r):
    return r.choice("123458") + dg(r, 7)


def nl_fix2(r):
    return r.choice(NL_AREA2), dg(r, 7, "2345678")


def nl_fix3(r):
    return r.choice(NL_AREA3), dg(r, 6, "2345678")


def us_parts(r, areas):
    while True:
        ex = dg(r, 3, "23456789")
        if ex[1:] != "11":
            return r.choice(areas), ex, dg(r, 4)


def P(region, f):
    """A notation whose pii is the whole shown string."""
    return lambda r: (lambda s: (s, s, region))(f(r))


PHONE_NOTATIONS = [
    # Dutch mobiles
    ("nl-mobile-dash", P("NL", lambda r: "06-" + nl_mob(r))),
    ("nl-mobile-pairs", P("NL", lambda r: "06 " + grp(nl_mob(r), [2, 2, 2, 2], " "))),
    ("nl-mobile-dots", P("NL", lambda r: "06." + grp(nl_mob(r), [2, 2, 2, 2], "."))),
    ("nl-mobile-slash", P("NL", lambda r: "06/" + nl_mob(r))),
    ("nl-mobile-parens", P("NL", lambda r: "(06) " + nl_mob(r))),
    ("nl-mobile-spaced-dash-3-3-2", P("NL", lambda r: "06 - " + grp(nl_mob(r), [3, 3, 2], " "))),
    ("nl-mobile-compact", P("NL", lambda r: "06" + nl_mob(r))),
    ("nl-mobile-4-4", P("NL", lambda r: "06 " + grp(nl_mob(r), [4, 4], " "))),
    ("nl-mobile-dash-4-4", P("NL", lambda r: "06-" + grp(nl_mob(r), [4, 4], " "))),
    ("nl-mobile-space", P("NL", lambda r: "06 " + nl_mob(r))),
    ("nl-mobile-dash-pairs", P("NL", lambda r: "06-" + grp(nl_mob(r), [2, 2, 2, 2], "-"))),
    ("nl-mobile-plus31-space", P("NL", lambda r: "+31 6 " + nl_mob(r))),
    ("nl-mobile-plus31-compact", P("NL", lambda r: "+316" + nl_mob(r))),
    ("nl-mobile-plus31-0", P("NL", lambda r: "+31 (0)6 " + nl_mob(r))),
    ("nl-mobile-plus31-0-dash", P("NL", lambda r: "+31(0)6-" + nl_mob(r))),
    ("nl-mobile-0031-space", P("NL", lambda r: "0031 6 " + nl_mob(r))),
    ("nl-mobile-0031-compact", P("NL", lambda r: "00316" + nl_mob(r))),
    ("nl-mobile-0031-0", P("NL", lambda r: "0031 (0)6 " + nl_mob(r))),
    ("nl-mobile-plus31-pairs", P("NL", lambda r: "+31 6 " + grp(nl_mob(r), [2, 2, 2, 2], " "))),
    ("nl-mobile-plus31-dashes", P("NL", lambda r: "+31-6-" + nl_mob(r))),
    ("nl-mobile-plus31-4-4", P("NL", lambda r: "+31 6 " + grp(nl_mob(r), [4, 4], " "))),
    # Dutch landlines, 2-digit area code (010, 020, 046 ...) + 7 digits
    ("nl-fixed2-dash", P("NL", lambda r: (lambda a, s: f"0{a}-{s}")(*nl_fix2(r)))),
    ("nl-fixed2-3-4", P("NL", lambda r: (lambda a, s: f"0{a} {s[:3]} {s[3:]}")(*nl_fix2(r)))),
    ("nl-fixed2-3-2-2", P("NL", lambda r: (lambda a, s: f"0{a} {s[:3]} {s[3:5]} {s[5:]}")(*nl_fix2(r)))),
    ("nl-fixed2-spaced-dash", P("NL", lambda r: (lambda a, s: f"0{a} - {s[:3]} {s[3:5]} {s[5:]}")(*nl_fix2(r)))),
    ("nl-fixed2-parens", P("NL", lambda r: (lambda a, s: f"(0{a}) {s}")(*nl_fix2(r)))),
    ("nl-fixed2-slash", P("NL", lambda r: (lambda a, s: f"0{a}/{s}")(*nl_fix2(r)))),
    ("nl-fixed2-dots", P("NL", lambda r: (lambda a, s: f"0{a}.{s[:3]}.{s[3:5]}.{s[5:]}")(*nl_fix2(r)))),
    ("nl-fixed2-compact", P("NL", lambda r: (lambda a, s: f"0{a}{s}")(*nl_fix2(r)))),
    ("nl-fixed2-dash-3-2-2", P("NL", lambda r: (lambda a, s: f"0{a}-{s[:3]} {s[3:5]} {s[5:]}")(*nl_fix2(r)))),
    ("nl-fixed2-plus31", P("NL", lambda r: (lambda a, s: f"+31 {a} {s}")(*nl_fix2(r)))),
    ("nl-fixed2-plus31-0-dash", P("NL", lambda r: (lambda a, s: f"+31(0){a}-{s}")(*nl_fix2(r)))),
    ("nl-fixed2-plus31-0-groups", P("NL", lambda r: (lambda a, s: f"+31 (0){a} {s[:3]} {s[3:]}")(*nl_fix2(r)))),
    ("nl-fixed2-0031", P("NL", lambda r: (lambda a, s: f"0031 {a} {s}")(*nl_fix2(r)))),
    ("nl-fixed2-plus31-groups", P("NL", lambda r: (lambda a, s: f"+31 {a} {s[:3]} {s[3:5]} {s[5:]}")(*nl_fix2(r)))),
    # Dutch landlines, 3-digit area code (0172, 0546 ...) + 6 digits
    ("nl-fixed3-dash", P("NL", lambda r: (lambda a, s: f"0{a}-{s}")(*nl_fix3(r)))),
    ("nl-fixed3-space", P("NL", lambda r: (lambda a, s: f"0{a} {s}")(*nl_fix3(r)))),
    ("nl-fixed3-pairs", P("NL", lambda r: (lambda a, s: f"0{a} {s[:2]} {s[2:4]} {s[4:]}")(*nl_fix3(r)))),
    ("nl-fixed3-parens", P("NL", lambda r: (lambda a, s: f"(0{a}) {s}")(*nl_fix3(r)))),
    ("nl-fixed3-slash", P("NL", lambda r: (lambda a, s: f"0{a}/{s}")(*nl_fix3(r)))),
    ("nl-fixed3-dots", P("NL", lambda r: (lambda a, s: f"0{a}.{s[:2]}.{s[2:4]}.{s[4:]}")(*nl_fix3(r)))),
    ("nl-fixed3-3-3", P("NL", lambda r: (lambda a, s: f"0{a} {s[:3]} {s[3:]}")(*nl_fix3(r)))),
    ("nl-fixed3-compact", P("NL", lambda r: (lambda a, s: f"0{a}{s}")(*nl_fix3(r)))),
    ("nl-fixed3-dash-pairs", P("NL", lambda r: (lambda a, s: f"0{a}-{s[:2]} {s[2:4]} {s[4:]}")(*nl_fix3(r)))),
    ("nl-fixed3-plus31", P("NL", lambda r: (lambda a, s: f"+31 {a} {s}")(*nl_fix3(r)))),
    ("nl-fixed3-plus31-0-pairs", P("NL", lambda r: (lambda a, s: f"+31 (0){a} {s[:2]} {s[2:4]} {s[4:]}")(*nl_fix3(r)))),
    ("nl-fixed3-plus31-0-dash", P("NL", lambda r: (lambda a, s: f"+31(0){a}-{s}")(*nl_fix3(r)))),
    ("nl-fixed3-0031", P("NL", lambda r: (lambda a, s: f"0031 {a} {s}")(*nl_fix3(r)))),
    # Dutch service and non-geographic numbers
    ("nl-0800-4-dash", P("NL", lambda r: "0800-" + dg(r, 4))),
    ("nl-0800-4-space", P("NL", lambda r: "0800 " + dg(r, 4))),
    ("nl-0800-7-groups", P("NL", lambda r: (lambda s: f"0800 {s[:3]} {s[3:]}")(dg(r, 7)))),
    ("nl-0900-4-dash", P("NL", lambda r: "0900-" + dg(r, 4))),
    ("nl-0900-7-space", P("NL", lambda r: "0900 " + dg(r, 7))),
    ("nl-0900-7-groups", P("NL", lambda r: (lambda s: f"0900-{s[:3]} {s[3:5]} {s[5:]}")(dg(r, 7)))),
    ("nl-0909-4", P("NL", lambda r: "0909-" + dg(r, 4))),
    ("nl-088-3-4", P("NL", lambda r: (lambda s: f"088 {s[:3]} {s[3:]}")(dg(r, 7)))),
    ("nl-088-dash", P("NL", lambda r: "088-" + dg(r, 7))),
    ("nl-085-3-4", P("NL", lambda r: (lambda s: f"085 {s[:3]} {s[3:]}")(dg(r, 7)))),
    ("nl-091-dash", P("NL", lambda r: "091-" + dg(r, 7))),
    # Links
    ("tel-link-plus31", lambda r: (lambda n: ("tel:" + n, n, "NL"))("+316" + nl_mob(r))),
    ("tel-link-national", lambda r: (lambda n: ("tel:" + n, n, "NL"))("06" + nl_mob(r))),
    ("tel-link-fixed", lambda r: (lambda a, s: ("tel:+31" + a + s, "+31" + a + s, "NL"))(*nl_fix2(r))),
    ("tel-link-dashes", lambda r: (lambda n: ("tel:" + n, n, "NL"))("+31-6-" + nl_mob(r))),
    ("wa-me-https", lambda r: (lambda n: ("https://wa.me/" + n, n, "NL"))("316" + nl_mob(r))),
    ("wa-me-bare", lambda r: (lambda n: ("wa.me/" + n, n, "NL"))("316" + nl_mob(r))),
    ("wa-me-text", lambda r: (lambda n: ("https://wa.me/" + n + "?text=Hoi%20is%20het%20nog%20te%20koop", n, "NL"))("316" + nl_mob(r))),
    ("whatsapp-api", lambda r: (lambda n: ("https://api.whatsapp.com/send?phone=" + n, n, "NL"))("316" + nl_mob(r))),
    ("whatsapp-scheme", lambda r: (lambda n: ("whatsapp://send?phone=" + n, n, "NL"))("+316" + nl_mob(r))),
    # Belgium
    ("be-mobile-pairs", P("BE", lambda r: (lambda m, s: f"0{m} {s[:2]} {s[2:4]} {s[4:]}")(r.choice(BE_MOBILE), dg(r, 6)))),
    ("be-mobile-slash-dots", P("BE", lambda r: (lambda m, s: f"0{m}/{s[:2]}.{s[2:4]}.{s[4:]}")(r.choice(BE_MOBILE), dg(r, 6)))),
    ("be-mobile-slash", P("BE", lambda r: (lambda m, s: f"0{m}/{s}")(r.choice(BE_MOBILE), dg(r, 6)))),
    ("be-mobile-plus32", P("BE", lambda r: (lambda m, s: f"+32 {m} {s[:2]} {s[2:4]} {s[4:]}")(r.choice(BE_MOBILE), dg(r, 6)))),
    ("be-mobile-plus32-0", P("BE", lambda r: (lambda m, s: f"+32 (0){m} {s}")(r.choice(BE_MOBILE), dg(r, 6)))),
    ("be-mobile-0032", P("BE", lambda r: (lambda m, s: f"0032 {m} {s}")(r.choice(BE_MOBILE), dg(r, 6)))),
    ("be-fixed1-groups", P("BE", lambda r: (lambda z, s: f"0{z} {s[:3]} {s[3:5]} {s[5:]}")(r.choice("23"), dg(r, 7, "2345678")))),
    ("be-fixed1-plus32", P("BE", lambda r: (lambda z, s: f"+32 {z} {s[:3]} {s[3:5]} {s[5:]}")(r.choice("23"), dg(r, 7, "2345678")))),
    ("be-fixed1-slash-dots", P("BE", lambda r: (lambda s: f"09/{s[:3]}.{s[3:5]}.{s[5:]}")(dg(r, 7, "23")))),
    ("be-fixed2-pairs", P("BE", lambda r: (lambda z, s: f"0{z} {s[:2]} {s[2:4]} {s[4:]}")(r.choice(BE_AREA2), dg(r, 6, "2345678")))),
    ("be-fixed2-plus32", P("BE", lambda r: (lambda z, s: f"+32 {z} {s[:2]} {s[2:4]} {s[4:]}")(r.choice(BE_AREA2), dg(r, 6, "2345678")))),
    # Germany
    ("de-berlin-space", P("DE", lambda r: "030 " + dg(r, 8, "123456789"))),
    ("de-berlin-plus49", P("DE", lambda r: "+49 30 " + dg(r, 8, "123456789"))),
    ("de-berlin-parens-4-4", P("DE", lambda r: "(030) " + grp(dg(r, 8, "123456789"), [4, 4], " "))),
    ("de-berlin-slash", P("DE", lambda r: "030/" + dg(r, 8, "123456789"))),
    ("de-munich-plus49-0", P("DE", lambda r: "+49 (0)89 " + dg(r, 7, "123456789"))),
    ("de-munich-slash-groups", P("DE", lambda r: (lambda s: f"089/{s[:3]} {s[3:5]} {s[5:]}")(dg(r, 7, "123456789")))),
    ("de-hamburg-dash", P("DE", lambda r: "040-" + dg(r, 8, "123456789"))),
    ("de-koeln-space", P("DE", lambda r: "0221 " + dg(r, 7, "123456789"))),
    ("de-mobile-0151", P("DE", lambda r: "0151 " + dg(r, 8))),
    ("de-mobile-0171-slash", P("DE", lambda r: "0171/" + dg(r, 7))),
    ("de-mobile-plus49", P("DE", lambda r: "+49 151 " + dg(r, 8))),
    ("de-mobile-plus49-0", P("DE", lambda r: "+49 (0)176 " + dg(r, 8))),
    ("de-mobile-0049", P("DE", lambda r: "0049 160 " + dg(r, 7))),
    # United Kingdom
    ("gb-london-4-4", P("GB", lambda r: f"020 {dg(r, 4, '378')} {dg(r, 4)}")),
    ("gb-london-plus44", P("GB", lambda r: f"+44 20 {dg(r, 4, '378')} {dg(r, 4)}")),
    ("gb-london-plus44-0", P("GB", lambda r: f"+44 (0)20 {dg(r, 4, '378')} {dg(r, 4)}")),
    ("gb-london-parens", P("GB", lambda r: f"(020) {dg(r, 4, '378')} {dg(r, 4)}")),
    ("gb-manchester", P("GB", lambda r: f"0161 {dg(r, 3, '2345678')} {dg(r, 4)}")),
    ("gb-birmingham-plus44", P("GB", lambda r: f"+44 121 {dg(r, 3, '234567')} {dg(r, 4)}")),
    ("gb-mobile-5-6", P("GB", lambda r: f"07{r.choice(GB_MOBILE)}{dg(r, 1)} {dg(r, 6)}")),
    ("gb-mobile-plus44", P("GB", lambda r: f"+44 7{r.choice(GB_MOBILE)}{dg(r, 1)} {dg(r, 6)}")),
    ("gb-mobile-0044", P("GB", lambda r: f"0044 7{r.choice(GB_MOBILE)}{dg(r, 1)} {dg(r, 3)} {dg(r, 3)}")),
    # France
    ("fr-fixed-pairs", P("FR", lambda r: "01 " + grp(dg(r, 8), [2, 2, 2, 2], " "))),
    ("fr-fixed-dots", P("FR", lambda r: "04." + grp(dg(r, 8, "123456789"), [2, 2, 2, 2], "."))),
    ("fr-fixed-plus33", P("FR", lambda r: "+33 1 " + grp(dg(r, 8), [2, 2, 2, 2], " "))),
    ("fr-mobile-pairs", P("FR", lambda r: "06 " + grp(dg(r, 8, "0124578"), [2, 2, 2, 2], " "))),
    ("fr-mobile-plus33-0", P("FR", lambda r: "+33 (0)6 " + grp(dg(r, 8, "0124578"), [2, 2, 2, 2], " "))),
    ("fr-mobile-0033", P("FR", lambda r: "0033 7 " + grp(dg(r, 8, "345"), [2, 2, 2, 2], " "))),
    ("fr-mobile-dashes", P("FR", lambda r: "07-" + grp(dg(r, 8, "345"), [2, 2, 2, 2], "-"))),
    # United States and Canada
    ("us-parens", P("US", lambda r: (lambda a, e, n: f"({a}) {e}-{n}")(*us_parts(r, US_AREA)))),
    ("us-dots", P("US", lambda r: (lambda a, e, n: f"{a}.{e}.{n}")(*us_parts(r, US_AREA)))),
    ("us-dashes", P("US", lambda r: (lambda a, e, n: f"{a}-{e}-{n}")(*us_parts(r, US_AREA)))),
    ("us-plus1-spaces", P("US", lambda r: (lambda a, e, n: f"+1 {a} {e} {n}")(*us_parts(r, US_AREA)))),
    ("us-plus1-parens", P("US", lambda r: (lambda a, e, n: f"+1 ({a}) {e}-{n}")(*us_parts(r, US_AREA)))),
    ("us-1-dashes", P("US", lambda r: (lambda a, e, n: f"1-{a}-{e}-{n}")(*us_parts(r, US_AREA)))),
    ("us-plus1-dashes", P("US", lambda r: (lambda a, e, n: f"+1-{a}-{e}-{n}")(*us_parts(r, US_AREA)))),
    ("us-spaces", P("US", lambda r: (lambda a, e, n: f"{a} {e} {n}")(*us_parts(r, US_AREA)))),
    ("ca-parens", P("CA", lambda r: (lambda a, e, n: f"({a}) {e}-{n}")(*us_parts(r, CA_AREA)))),
    ("ca-dots", P("CA", lambda r: (lambda a, e, n: f"{a}.{e}.{n}")(*us_parts(r, CA_AREA)))),
    ("ca-plus1-dashes", P("CA", lambda r: (lambda a, e, n: f"+1-{a}-{e}-{n}")(*us_parts(r, CA_AREA)))),
]

# The notations named in the issue and the brief, written exactly so.
PHONE_LITERALS = [
    ("nl-mobile-dash", "06-12345678", "NL"),
    ("nl-mobile-pairs", "06 12 34 56 78", "NL"),
    ("nl-mobile-dots", "06.12.34.56.78", "NL"),
    ("nl-mobile-slash", "06/12345678", "NL"),
    ("nl-mobile-parens", "(06) 12345678", "NL"),
    ("nl-mobile-spaced-dash-3-3-2", "06 - 123 456 78", "NL"),
    ("nl-mobile-plus31-space", "+31 6 12345678", "NL"),
    ("nl-fixed2-7", "046-4555555", "NL"),
    ("nl-fixed3-space", "0172 123456", "NL"),
    ("nl-fixed3-dash", "0546-123456", "NL"),
    ("nl-fixed2-plus31-0-dash", "+31(0)20-1234567", "NL"),
    ("nl-0800-4-dash", "0800-1234", "NL"),
    ("nl-0900-7-space", "0900 1234567", "NL"),
    ("nl-088-3-4", "088 123 4567", "NL"),
    ("be-mobile-pairs", "0475 12 34 56", "BE"),
    ("be-fixed1-plus32", "+32 2 223 45 67", "BE"),
    ("be-fixed1-groups", "02 223 45 67", "BE"),
    ("de-berlin-space", "030 12345678", "DE"),
    ("de-berlin-plus49", "+49 30 12345678", "DE"),
    ("de-mobile-0151", "0151 23456789", "DE"),
    ("gb-london-4-4", "020 7946 0958", "GB"),
    ("gb-london-plus44", "+44 20 7946 0958", "GB"),
    ("gb-mobile-5-6", "07712 900123", "GB"),
    ("fr-fixed-pairs", "01 23 45 67 89", "FR"),
    ("fr-mobile-pairs", "06 12 34 56 78", "FR"),
    ("fr-fixed-plus33", "+33 1 23 45 67 89", "FR"),
    ("us-parens", "(415) 555-0132", "US"),
    ("us-dots", "312.714.8142", "US"),
    ("us-dashes", "415-555-0132", "US"),
    ("us-plus1-spaces", "+1 415 555 0132", "US"),
]
PHONE_LINK_LITERALS = [
    ("tel-link-plus31", "tel:+31612345678", "+31612345678", "NL"),
    ("wa-me-https", "https://wa.me/31612345678", "31612345678", "NL"),
]


# --------------------------------------------------------------------------
# E-mail
# --------------------------------------------------------------------------

FIRST = ["jan", "piet", "sanne", "femke", "daan", "lotte", "bram", "eva", "thijs", "anouk", "kees",
         "marieke", "henk", "ingrid", "ruud", "joyce", "sem", "noor", "lars", "fleur", "emma",
         "olivia", "james", "liam", "sophie", "jack", "chloe", "tom", "harry", "grace"]
LAST = ["jansen", "de vries", "van den berg", "bakker", "visser", "smit", "meijer", "de boer",
        "mulder", "de groot", "bos", "vos", "peters", "hendriks", "van dijk", "dekker", "smith",
        "jones", "taylor", "brown", "wilson", "evans"]
DOMAINS = ["gmail.com", "hotmail.com", "hotmail.nl", "outlook.com", "live.nl", "ziggo.nl",
           "kpnmail.nl", "xs4all.nl", "planet.nl", "home.nl", "telenet.be", "skynet.be",
           "yahoo.co.uk", "btinternet.com", "web.de", "gmx.de", "icloud.com", "protonmail.com",
           "online.nl", "caiway.nl", "bakkerijdevries.nl", "kapsalon-anouk.nl", "vv-sparta.nl"]


def local_part(r, style):
    f, l = r.choice(FIRST), r.choice(LAST)
    compact = l.replace(" ", "")
    dotted = l.replace(" ", ".")
    return {
        "first.last": f"{f}.{dotted}",
        "firstlast": f"{f}{compact}",
        "f.last": f"{f[0]}.{compact}",
        "first_last": f"{f}_{compact}",
        "first-year": f"{f}{r.choice(['1979', '1987', '92', '2001', '85'])}",
        "first": f,
    }[style]


def email_plain(r):
    return local_part(r, r.choice(["first.last", "firstlast", "f.last", "first_last"])) + "@" + r.choice(DOMAINS)


def _split_domain(r):
    dom = r.choice(["ziggo.nl", "gmail.com", "hotmail.com", "kpnmail.nl", "xs4all.nl", "telenet.be", "outlook.com", "live.nl"])
    return dom.split(".")


def obf(r, at, dot):
    lp = local_part(r, r.choice(["first", "first.last", "firstlast"]))
    name, tld = _split_domain(r)
    return f"{lp}{at}{name}{dot}{tld}"


EMAIL_NOTATIONS = [
    ("plain", lambda r: email_plain(r)),
    ("plain-plus-tag", lambda r: local_part(r, "first.last") + "+" + r.choice(["shop", "fb", "marktplaats", "news"]) + "@" + r.choice(DOMAINS)),
    ("plain-digits", lambda r: local_part(r, "first-year") + "@" + r.choice(DOMAINS)),
    ("plain-uppercase", lambda r: (lambda lp, d: lp.title() + "@" + d.upper())(local_part(r, "first.last"), r.choice(DOMAINS))),
    ("plain-subdomain", lambda r: local_part(r, "f.last") + "@" + r.choice(["mail.gemeente-utrecht.example", "student.uva.nl", "staff.ru.nl", "mail.vv-sparta.nl"])),
    ("plain-hyphen", lambda r: local_part(r, "first") + "-" + r.choice(LAST).replace(" ", "") + "@" + r.choice(DOMAINS)),
    ("mailto-link", lambda r: (lambda e: ("mailto:" + e, e))(email_plain(r))),
    ("angle-brackets", lambda r: (lambda e: ("<" + e + ">", e))(email_plain(r))),
    ("obf-brackets", lambda r: obf(r, " [at] ", " [dot] ")),
    ("obf-parens", lambda r: obf(r, "(at)", "(dot)")),
    ("obf-words", lambda r: obf(r, " at ", " dot ")),
    ("obf-apenstaartje-punt", lambda r: obf(r, " apenstaartje ", " punt ")),
    ("obf-brackets-at-only", lambda r: obf(r, " [at] ", ".")),
    ("obf-spaced-symbols", lambda r: obf(r, " @ ", " . ")),
    ("obf-brackets-tight", lambda r: obf(r, "[at]", "[dot]")),
    ("obf-parens-spaced", lambda r: obf(r, " (at) ", " (dot) ")),
    ("obf-upper-words", lambda r: obf(r, " AT ", " DOT ")),
    ("obf-braces", lambda r: obf(r, " {at} ", " {dot} ")),
    ("obf-at-punt", lambda r: obf(r, " at ", " punt ")),
    ("obf-words-at-only", lambda r: obf(r, " at ", ".")),
    ("obf-brackets-punt", lambda r: obf(r, " [at] ", " [punt] ")),
]

EMAIL_LITERALS = [
    ("idn-domain", "jan@münchen.de"),
    ("idn-local-domain", "zoë@café.nl"),
    ("idn-local-domain-cjk", "jörg.müller@例え.jp"),
    ("idn-local", "anaïs.lefèvre@hotmail.fr"),
    ("idn-local", "josé.garcía@gmail.com"),
    ("idn-local", "çağlar.yılmaz@outlook.com"),
    ("idn-domain", "info@bäckerei-müller.de"),
    ("idn-domain", "rene@exämple-bouw.be"),
    ("idn-local-domain", "søren@københavn.dk"),
    ("idn-local-domain", "иван.петров@почта.рф"),
    ("idn-local-domain", "δοκιμή@παράδειγμα.δοκιμή"),
    ("idn-local-domain", "用户@例子.广告"),
    ("idn-local", "noël.dupont@orange.fr"),
    ("idn-local", "müller.jürgen@web.de"),
    ("idn-punycode-domain", "jan@xn--mnchen-3ya.de"),
    ("obf-brackets", "jan [at] example [dot] nl"),
    ("obf-parens", "jan(at)example(dot)nl"),
    ("obf-words", "jan at example dot nl"),
    ("obf-apenstaartje-punt", "jan apenstaartje example punt nl"),
    ("obf-brackets-at-only", "jan [at] example.nl"),
    ("obf-spaced-symbols", "jan @ example . nl"),
    ("obf-brackets-multi-dot", "sanne.bakker [at] yahoo [dot] co [dot] uk"),
]


# --------------------------------------------------------------------------
# IBAN
# --------------------------------------------------------------------------

NL_BANKS = ["ABNA", "RABO", "INGB", "SNSB", "TRIO", "KNAB", "BUNQ", "ASNB", "RBRB"]
DE_BLZ = ["37040044", "50010517", "10010010", "20041133", "12030000", "70150000"]
GB_BANKS = ["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]
FR_BANKS = ["30006", "30004", "20041", "10278", "30003"]


def iban_nl(r):
    bank = r.choice(NL_BANKS)
    acct = "000" + dg(r, 7, "123456789") if bank == "INGB" else eleven_proof_account(r)
    return iban_make("NL", bank + acct)


def iban_be(r):
    first10 = dg(r, 10)
    key = int(first10) % 97 or 97
    return iban_make("BE", first10 + "%02d" % key)


def iban_de(r):
    return iban_make("DE", r.choice(DE_BLZ) + dg(r, 10))


def iban_gb(r):
    return iban_make("GB", r.choice(GB_BANKS) + dg(r, 6) + dg(r, 8))


def iban_fr(r):
    bank, branch, acct = r.choice(FR_BANKS), dg(r, 5), dg(r, 11)
    return iban_make("FR", bank + branch + acct + french_rib_key(bank, branch, acct))


def iban_es(r):
    return iban_make("ES", dg(r, 20))


def groups4(s, sep=" "):
    return sep.join(s[i:i + 4] for i in range(0, len(s), 4))


IBAN_NOTATIONS = [
    ("nl-compact", lambda r: iban_nl(r)),
    ("nl-groups-space", lambda r: groups4(iban_nl(r))),
    ("nl-groups-dash", lambda r: groups4(iban_nl(r), "-")),
    ("nl-groups-dot", lambda r: groups4(iban_nl(r), ".")),
    ("nl-lower-groups", lambda r: groups4(iban_nl(r)).lower()),
    ("nl-lower-compact", lambda r: iban_nl(r).lower()),
    ("nl-mixed-case", lambda r: (lambda s: s[:2] + s[2:8].lower() + s[8:])(iban_nl(r))),
    ("nl-grouping-4-4-6-4", lambda r: (lambda s: f"{s[:4]} {s[4:8]} {s[8:14]} {s[14:]}")(iban_nl(r))),
    ("nl-grouping-2-2-4-10", lambda r: (lambda s: f"{s[:2]} {s[2:4]} {s[4:8]} {s[8:]}")(iban_nl(r))),
    ("nl-grouping-8-10", lambda r: (lambda s: f"{s[:8]} {s[8:]}")(iban_nl(r))),
    ("nl-grouping-4-4-3-3-4", lambda r: (lambda s: f"{s[:4]} {s[4:8]} {s[8:11]} {s[11:14]} {s[14:]}")(iban_nl(r))),
    ("nl-grouping-4-4-pairs", lambda r: (lambda s: f"{s[:4]} {s[4:8]} " + grp(s[8:], [2, 2, 2, 2, 2], " "))(iban_nl(r))),
    ("nl-double-spaces", lambda r: groups4(iban_nl(r), "  ")),
    ("nl-dash-4-4-10", lambda r: (lambda s: f"{s[:4]}-{s[4:8]}-{s[8:]}")(iban_nl(r))),
    ("be-groups-space", lambda r: groups4(iban_be(r))),
    ("be-compact", lambda r: iban_be(r)),
    ("be-groups-dash", lambda r: groups4(iban_be(r), "-")),
    ("de-groups-space", lambda r: groups4(iban_de(r))),
    ("de-compact", lambda r: iban_de(r)),
    ("de-lower-groups", lambda r: groups4(iban_de(r)).lower()),
    ("gb-groups-space", lambda r: groups4(iban_gb(r))),
    ("gb-compact", lambda r: iban_gb(r)),
    ("gb-groups-dot", lambda r: groups4(iban_gb(r), ".")),
    ("fr-groups-space", lambda r: groups4(iban_fr(r))),
    ("fr-compact", lambda r: iban_fr(r)),
    ("es-groups-space", lambda r: groups4(iban_es(r))),
]
IBAN_LITERALS = [
    ("nl-groups-space", "NL91 ABNA 0417 1643 00"),
    ("nl-groups-dash", "NL91-ABNA-0417-1643-00"),
    ("nl-groups-dot", "NL91.ABNA.0417.1643.00"),
    ("nl-grouping-4-4-6-4", "NL91 ABNA 041716 4300"),
    ("nl-lower-groups", "nl91 abna 0417 1643 00"),
]


# --------------------------------------------------------------------------
# BSN
# --------------------------------------------------------------------------

BSN_NOTATIONS = [
    ("bsn9-plain", False, lambda s: s),
    ("bsn9-3-3-3-space", False, lambda s: grp(s, [3, 3, 3], " ")),
    ("bsn9-3-3-3-dot", False, lambda s: grp(s, [3, 3, 3], ".")),
    ("bsn9-4-2-3-dot", False, lambda s: grp(s, [4, 2, 3], ".")),
    ("bsn9-3-3-3-dash", False, lambda s: grp(s, [3, 3, 3], "-")),
    ("bsn9-2-2-2-3-space", False, lambda s: grp(s, [2, 2, 2, 3], " ")),
    ("bsn9-4-5-space", False, lambda s: grp(s, [4, 5], " ")),
    ("bsn9-leading-zero-3-3-3", True, lambda s: grp(s, [3, 3, 3], " ")),
    ("bsn9-leading-zero-plain", True, lambda s: s),
    ("bsn8-plain", True, lambda s: s[1:]),
    ("bsn8-4-4-space", True, lambda s: grp(s[1:], [4, 4], " ")),
    ("bsn8-2-3-3-dot", True, lambda s: grp(s[1:], [2, 3, 3], ".")),
    ("bsn8-4-4-dash", True, lambda s: grp(s[1:], [4, 4], "-")),
    ("bsn8-2-2-2-2-space", True, lambda s: grp(s[1:], [2, 2, 2, 2], " ")),
    ("bsn8-3-2-3-dot", True, lambda s: grp(s[1:], [3, 2, 3], ".")),
]
BSN_LITERALS = [
    ("bsn9-plain", "123456782"),
    ("bsn9-3-3-3-space", "123 456 782"),
    ("bsn9-3-3-3-dot", "123.456.782"),
    ("bsn9-4-2-3-dot", "1234.56.782"),
    ("bsn9-3-3-3-dash", "123-456-782"),
    ("bsn8-plain", "12345672"),
]


# --------------------------------------------------------------------------
# Cards
# --------------------------------------------------------------------------

def visa(r):
    return luhn_complete(r, "4" + dg(r, 5), 16)


def mastercard(r):
    if r.random() < 0.3:
        return luhn_complete(r, str(r.randint(2221, 2720)) + dg(r, 2), 16)
    return luhn_complete(r, "5" + r.choice("12345") + dg(r, 4), 16)


def amex(r):
    return luhn_complete(r, "3" + r.choice("47") + dg(r, 4), 15)


def discover(r):
    return luhn_complete(r, "6011" + dg(r, 2), 16)


def c465(s, sep):
    return f"{s[:4]}{sep}{s[4:10]}{sep}{s[10:]}"


CARD_NOTATIONS = [
    ("visa-plain", lambda r: visa(r)),
    ("visa-4x4-space", lambda r: groups4(visa(r))),
    ("visa-4x4-dash", lambda r: groups4(visa(r), "-")),
    ("visa-4x4-dot", lambda r: groups4(visa(r), ".")),
    ("mastercard-plain", lambda r: mastercard(r)),
    ("mastercard-4x4-space", lambda r: groups4(mastercard(r))),
    ("mastercard-4x4-dash", lambda r: groups4(mastercard(r), "-")),
    ("mastercard-4x4-dot", lambda r: groups4(mastercard(r), ".")),
    ("amex-4-6-5-space", lambda r: c465(amex(r), " ")),
    ("amex-4-6-5-dash", lambda r: c465(amex(r), "-")),
    ("amex-4-6-5-dot", lambda r: c465(amex(r), ".")),
    ("amex-plain", lambda r: amex(r)),
    ("discover-4x4-space", lambda r: groups4(discover(r))),
    ("visa-4x4-double-space", lambda r: groups4(visa(r), "  ")),
]
CARD_LITERALS = [
    ("mastercard-plain", "5246890855067333"),
    ("mastercard-4x4-dash", "5414-9002-2794-1754"),
]


# --------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------

PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
# Two-letter words and units that follow numbers in ordinary text; the
# generated postcodes never use one of them (in any case), so that no case
# here hinges on "1500 km" or "2019 en" being read one way or the other.
COMMON_PAIRS = {"en", "op", "in", "de", "te", "al", "is", "ik", "om", "na", "nu", "of", "zo", "er",
                "ja", "we", "je", "ze", "me", "ga", "af", "km", "mb", "gb", "kb", "hd", "cm", "mm",
                "kg", "ml", "pk", "kw", "uk", "be", "nl", "at", "to", "an", "by", "as", "he", "am",
                "pm", "no", "on", "or", "so", "up", "us", "it", "ex", "mg", "dl", "cl", "ha", "hz",
                "eu", "tv", "pc", "nr", "ok", "tb", "mp", "ct", "st", "rd", "nd", "th", "xl", "kt",
                "vs", "ca", "gr", "ms", "mw", "ns", "ps", "hp", "bv", "nv", "wc", "gw", "db"}


def postcode(r, lower_safe=True):
    while True:
        letters = r.choice(PC_LETTERS) + r.choice(PC_LETTERS)
        if letters in ("SA", "SD", "SS"):
            continue
        if lower_safe and letters.lower() in COMMON_PAIRS:
            continue
        return dg(r, 4, "123456789"), letters


def house(r):
    return str(r.choice([1, 2, 3, 5, 7, 8, 12, 14, 17, 21, 23, 33, 45, 58, 64, 101, 112, 127, 240]))


POSTCODE_NR_NOTATIONS = [
    ("pc-space-nr", lambda r: (lambda d, l: f"{d} {l} {house(r)}")(*postcode(r))),
    ("pc-compact-nr-letter", lambda r: (lambda d, l: f"{d}{l} {house(r)}{r.choice('abc')}")(*postcode(r))),
    ("pc-lower-nr-dash-addition", lambda r: (lambda d, l: f"{d} {l.lower()} {house(r)}-{r.choice('123')}")(*postcode(r))),
    ("pc-lower-nr-letter", lambda r: (lambda d, l: f"{d} {l.lower()} {house(r)}{r.choice('ab')}")(*postcode(r))),
    ("pc-lower-compact-nr", lambda r: (lambda d, l: f"{d}{l.lower()} {house(r)}")(*postcode(r))),
    ("pc-nr-space-letter", lambda r: (lambda d, l: f"{d} {l} {house(r)} {r.choice('ABC')}")(*postcode(r))),
    ("pc-nr-roman-floor", lambda r: (lambda d, l: f"{d} {l} {house(r)}-{r.choice(['I', 'II', 'III', 'huis'])}")(*postcode(r))),
    ("pc-nr-hs", lambda r: (lambda d, l: f"{d}{l} {house(r)} hs")(*postcode(r))),
    ("pc-comma-nr", lambda r: (lambda d, l: f"{d} {l}, {house(r)}")(*postcode(r))),
    ("pc-compact-all", lambda r: (lambda d, l: f"{d}{l}{house(r)}")(*postcode(r))),
    ("nr-before-pc", lambda r: (lambda d, l: f"{house(r)} {d} {l}")(*postcode(r))),
    ("pc-mixed-case-nr", lambda r: (lambda d, l: f"{d} {l[0]}{l[1].lower()} {house(r)}")(*postcode(r))),
]
POSTCODE_NR_LITERALS = [
    ("pc-space-nr", "1234 AB 12"),
    ("pc-compact-nr-letter", "1234AB 12a"),
    ("pc-lower-nr-dash-addition", "1234 ab 12-3"),
    ("nr-before-pc", "12 1234 AB"),
]
POSTCODE_ALONE_NOTATIONS = [
    ("pc-alone-space", lambda r: (lambda d, l: f"{d} {l}")(*postcode(r))),
    ("pc-alone-compact", lambda r: (lambda d, l: f"{d}{l}")(*postcode(r))),
    ("pc-alone-lower-compact", lambda r: (lambda d, l: f"{d}{l.lower()}")(*postcode(r, lower_safe=True))),
    ("pc-alone-lower-space", lambda r: (lambda d, l: f"{d} {l.lower()}")(*postcode(r, lower_safe=True))),
]
# Labelled forms: (notation, sentence with {pc} {nr}, pii template, lang, lowercase?)
POSTCODE_LABELLED = [
    ("labelled-postcode-huisnummer", "Wat is de bezorgtijd voor postcode {pc} huisnummer {nr}?", "{pc}", "nl", False),
    ("labelled-postcode-huisnummer-lower", "Geen bereik op postcode {pc} huisnummer {nr}, wie nog meer?", "{pc}", "nl", True),
    ("labelled-pc-nr", "Retour sturen naar pc: {pc}, nr {nr} graag", "{pc}", "nl", False),
    ("labelled-postcode-huisnr-lower", "Postcode: {pc}, huisnr. {nr} (achterom)", "{pc}", "nl", True),
    ("labelled-postcode-en-huisnummer", "postcode en huisnummer: {pc} {nr}", "{pc} {nr}", "nl", False),
    ("labelled-postcode-alone-lower", "Mijn postcode is {pc}, waarom krijg ik geen aanbod?", "{pc}", "nl", True),
    ("labelled-pc-alone", "PC {pc}, is daar al glasvezel?", "{pc}", "nl", False),
    ("labelled-postal-code-house-number", "postal code {pc}, house number {nr}", "{pc}", "en", False),
    ("labelled-zip-lower", "zip: {pc}, near the station", "{pc}", "en", True),
    ("labelled-adres-street-pc", "Adres: Kerkstraat {nr}, {pc} Utrecht", "{pc}", "nl", False),
    ("labelled-address-street-pc", "Address: Dorpsstraat {nr}, {pc} Ede, Netherlands", "{pc}", "en", False),
]
POSTCODE_LABELLED_LITERALS = [
    ("labelled-postcode-huisnummer", "Wat is de bezorgtijd voor postcode 1234 AB huisnummer 12?", "1234 AB"),
    ("labelled-pc-nr", "Retour sturen naar pc: 1234AB, nr 5 graag", "1234AB"),
]


# --------------------------------------------------------------------------
# IP addresses: (notation, shown, pii)
# --------------------------------------------------------------------------

def ipv4_public(r):
    return f"{r.choice([31, 37, 62, 77, 80, 81, 84, 86, 87, 89, 94, 145, 149, 176, 178, 188, 194, 212, 213, 217])}.{r.randint(1, 254)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def ipv4_private(r):
    return r.choice([f"192.168.{r.randint(0, 2)}.{r.randint(2, 254)}", f"10.0.{r.randint(0, 9)}.{r.randint(2, 254)}", f"172.16.{r.randint(0, 31)}.{r.randint(2, 254)}"])


def ipv6_global(r):
    pre = r.choice(["2a02:a44a", "2a01:7c8", "2001:1c02", "2a02:58", "2001:db8"])
    tail = ":".join("%x" % r.randint(1, 0xffff) for _ in range(4))
    return f"{pre}:{'%x' % r.randint(1, 0xffff)}:{r.randint(1, 9)}:{tail}"


IP_NOTATIONS = [
    ("ipv4-public", lambda r: (lambda a: (a, a))(ipv4_public(r))),
    ("ipv4-private", lambda r: (lambda a: (a, a))(ipv4_private(r))),
    ("ipv4-port", lambda r: (lambda a: (f"{a}:{r.choice([8080, 8443, 3389, 22, 32400])}", a))(ipv4_private(r))),
    ("ipv4-in-url", lambda r: (lambda a: (f"http://{a}/{r.choice(['admin', 'login', 'cgi-bin/status', 'index.html'])}", a))(ipv4_private(r))),
    ("ipv4-in-url-port", lambda r: (lambda a: (f"https://{a}:{r.choice([8443, 8080, 5001])}/login?next=/", a))(ipv4_public(r))),
    ("ipv4-in-url-query", lambda r: (lambda a: (f"https://forum.example.nl/log?client={a}&p=2", a))(ipv4_public(r))),
    ("ipv6-compressed", lambda r: (lambda a: (a, a))(f"2001:db8::{'%x' % r.randint(1, 0xfff)}")),
    ("ipv6-full-global", lambda r: (lambda a: (a, a))(ipv6_global(r))),
    ("ipv6-uncompressed-zeros", lambda r: (lambda a: (a, a))(f"2001:0db8:85a3:0000:0000:8a2e:{'%04x' % r.randint(1, 0xffff)}:{'%04x' % r.randint(1, 0xffff)}")),
    ("ipv6-link-local", lambda r: (lambda a: (a, a))(f"fe80::{'%x' % r.randint(1, 0xfff)}:{'%x' % r.randint(1, 0xffff)}:fe{'%02x' % r.randint(0, 255)}:{'%x' % r.randint(1, 0xffff)}")),
    ("ipv6-uppercase", lambda r: (lambda a: (a, a))(ipv6_global(r).upper())),
    ("ipv4-mapped-ipv6", lambda r: (lambda a: (a, a))("::ffff:" + ipv4_public(r))),
    ("ipv6-bracket-port", lambda r: (lambda a: (f"[{a}]:{r.choice([443, 8080, 22])}", a))(ipv6_global(r))),
    ("ipv6-in-url", lambda r: (lambda a: (f"http://[{a}]:8080/status", a))(ipv6_global(r))),
]
IP_LITERALS = [
    ("ipv4-port", "192.168.1.20:8080", "192.168.1.20"),
    ("ipv4-in-url", "http://10.0.0.7/admin", "10.0.0.7"),
    ("ipv6-compressed", "2001:db8::1", "2001:db8::1"),
    ("ipv6-link-local", "fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
    ("ipv4-mapped-ipv6", "::ffff:192.0.2.128", "::ffff:192.0.2.128"),
    ("ipv6-bracket-port", "[2001:db8::1]:443", "2001:db8::1"),
]


# --------------------------------------------------------------------------
# Unicode variants of the numeric classes
# --------------------------------------------------------------------------

def digits_to(base_cp):
    return lambda s: "".join(chr(base_cp + int(c)) if c in DIGITS else c for c in s)


def insert_invisible(ch, count=1):
    def f(s, r):
        positions = [i for i in range(1, len(s)) if s[i - 1].isdigit() and s[i].isdigit()]
        if not positions:
            positions = list(range(1, len(s)))
        chosen = sorted(r.sample(positions, min(count, len(positions))), reverse=True)
        for i in chosen:
            s = s[:i] + ch + s[i:]
        return s
    return f


# Bases: (kind, needs, generator -> (shown-ascii, region))
def _bases():
    return {
        "dash": [
            ("phone", lambda r: ("06-" + nl_mob(r), "NL")),
            ("phone", lambda r: (lambda a, s: (f"0{a}-{s}", "NL"))(*nl_fix2(r))),
            ("bsn", lambda r: (grp(bsn_make(r), [3, 3, 3], "-"), None)),
            ("iban", lambda r: (groups4(iban_nl(r), "-"), None)),
            ("card", lambda r: (groups4(visa(r), "-"), None)),
            ("phone", lambda r: (lambda a, e, n: (f"{a}-{e}-{n}", "US"))(*us_parts(r, US_AREA))),
            ("card", lambda r: (c465(amex(r), "-"), None)),
            ("phone", lambda r: (lambda a, s: (f"0{a}-{s}", "NL"))(*nl_fix3(r))),
        ],
        "space": [
            ("phone", lambda r: ("06 " + grp(nl_mob(r), [2, 2, 2, 2], " "), "NL")),
            ("postcode", lambda r: (lambda d, l: (f"{d} {l}", None))(*postcode(r))),
            ("iban", lambda r: (groups4(iban_nl(r)), None)),
            ("card", lambda r: (groups4(mastercard(r)), None)),
            ("bsn", lambda r: (grp(bsn_make(r), [3, 3, 3], " "), None)),
            ("phone", lambda r: ("+31 6 " + nl_mob(r), "NL")),
            ("postcode", lambda r: (lambda d, l: (f"{d} {l} {house(r)}", None))(*postcode(r))),
            ("phone", lambda r: (f"020 {dg(r, 4, '378')} {dg(r, 4)}", "GB")),
        ],
        "any": [
            ("phone", lambda r: ("06" + nl_mob(r), "NL")),
            ("bsn", lambda r: (bsn_make(r), None)),
            ("card", lambda r: (visa(r), None)),
            ("iban", lambda r: (iban_nl(r), None)),
            ("bsn", lambda r: (bsn_make(r, eight=True)[1:], None)),
            ("phone", lambda r: ("06-" + nl_mob(r), "NL")),
            ("postcode", lambda r: (lambda d, l: (f"{d}{l}", None))(*postcode(r))),
            ("ip", lambda r: (ipv4_public(r), None)),
            ("card", lambda r: (groups4(visa(r)), None)),
            ("phone", lambda r: (lambda a, s: (f"0{a} {s}", "NL"))(*nl_fix3(r))),
        ],
    }


# (notation, which bases, how many cases, transform(s, r))
UNICODE_VARIANTS = [
    ("unicode-fullwidth-digits", "any", 6, lambda s, r: digits_to(0xFF10)(s)),
    ("unicode-arabic-indic-digits", "any", 4, lambda s, r: digits_to(0x0660)(s)),
    ("unicode-extended-arabic-indic-digits", "any", 2, lambda s, r: digits_to(0x06F0)(s)),
    ("unicode-devanagari-digits", "any", 2, lambda s, r: digits_to(0x0966)(s)),
    ("unicode-bengali-digits", "any", 1, lambda s, r: digits_to(0x09E6)(s)),
    ("unicode-math-bold-digits", "any", 1, lambda s, r: digits_to(0x1D7CE)(s)),
    ("unicode-some-digits-fullwidth", "any", 3, lambda s, r: "".join(chr(0xFF10 + int(c)) if c in DIGITS and i % 3 == 0 else c for i, c in enumerate(s))),
    ("unicode-hyphen-u2010", "dash", 4, lambda s, r: s.replace("-", "\u2010")),
    ("unicode-nb-hyphen-u2011", "dash", 3, lambda s, r: s.replace("-", "\u2011")),
    ("unicode-figure-dash-u2012", "dash", 3, lambda s, r: s.replace("-", "\u2012")),
    ("unicode-en-dash", "dash", 5, lambda s, r: s.replace("-", "\u2013")),
    ("unicode-em-dash", "dash", 3, lambda s, r: s.replace("-", "\u2014")),
    ("unicode-minus-sign", "dash", 3, lambda s, r: s.replace("-", "\u2212")),
    ("unicode-fullwidth-hyphen-minus", "dash", 2, lambda s, r: s.replace("-", "\uff0d")),
    ("unicode-small-hyphen-minus", "dash", 1, lambda s, r: s.replace("-", "\ufe63")),
    ("unicode-no-break-space", "space", 6, lambda s, r: s.replace(" ", "\u00a0")),
    ("unicode-narrow-nbsp", "space", 4, lambda s, r: s.replace(" ", "\u202f")),
    ("unicode-thin-space", "space", 4, lambda s, r: s.replace(" ", "\u2009")),
    ("unicode-figure-space", "space", 2, lambda s, r: s.replace(" ", "\u2007")),
    ("unicode-ideographic-space", "space", 1, lambda s, r: s.replace(" ", "\u3000")),
    ("unicode-en-space", "space", 1, lambda s, r: s.replace(" ", "\u2002")),
    ("unicode-zero-width-space", "any", 5, insert_invisible("\u200b")),
    ("unicode-zero-width-non-joiner", "any", 2, insert_invisible("\u200c")),
    ("unicode-zero-width-joiner", "any", 3, insert_invisible("\u200d")),
    ("unicode-word-joiner", "any", 3, insert_invisible("\u2060")),
    ("unicode-soft-hyphen", "any", 3, insert_invisible("\u00ad")),
    ("unicode-bom-inside", "any", 2, insert_invisible("\ufeff")),
    ("unicode-several-zwsp", "any", 2, insert_invisible("\u200b", 3)),
    ("unicode-fullwidth-digits-and-hyphen", "dash", 3, lambda s, r: digits_to(0xFF10)(s).replace("-", "\uff0d")),
    ("unicode-nbsp-and-zwsp", "space", 2, lambda s, r: insert_invisible("\u200b")(s.replace(" ", "\u00a0"), r)),
    ("unicode-en-dash-and-soft-hyphen", "dash", 2, lambda s, r: insert_invisible("\u00ad")(s.replace("-", "\u2013"), r)),
    ("unicode-arabic-indic-and-nnbsp", "space", 2, lambda s, r: digits_to(0x0660)(s).replace(" ", "\u202f")),
]
EMAIL_INVISIBLE = [
    ("unicode-zero-width-space-in-email", lambda r: (lambda lp, d: f"{lp}\u200b@{d}")(local_part(r, "first.last"), r.choice(DOMAINS))),
    ("unicode-soft-hyphen-in-email", lambda r: (lambda lp, d: f"{lp[:3]}\u00ad{lp[3:]}@{d}")(local_part(r, "firstlast"), r.choice(DOMAINS))),
    ("unicode-zero-width-joiner-in-email", lambda r: (lambda lp, d: f"{lp}@{d[:2]}\u200d{d[2:]}")(local_part(r, "first"), r.choice(DOMAINS))),
]
# The issue's own examples, written exactly.
UNICODE_LITERALS = [
    ("unicode-fullwidth-digits-and-hyphen", "phone", "０６－１２３４５６７８", "NL"),
    ("unicode-fullwidth-digits", "phone", "０６-１２３４５６７８", "NL"),
    ("unicode-hyphen-u2010", "phone", "06\u201012345678", "NL"),
    ("unicode-en-dash", "phone", "06\u201312345678", "NL"),
    ("unicode-no-break-space", "phone", "06\u00a012345678", "NL"),
    ("unicode-zero-width-space", "phone", "0612\u200b345678", "NL"),
    ("unicode-arabic-indic-digits", "phone", "٠٦١٢٣٤٥٦٧٨", "NL"),
]


# --------------------------------------------------------------------------
# Context: a reference label that is not attached to the number
# (sentence, [(kind, value)], lang)
# --------------------------------------------------------------------------

def non_checksum_digits(r, n):
    while True:
        s = dg(r, n, "123456789")
        if not bsn_valid(s) and not luhn_valid(s):
            return s


CONTEXT_TEMPLATES = [
    ("ordernummer {ref}. via {card}", "card", "nl"),
    ("KvK {kvk}. mail: {card_dash}", "card", "nl"),
    ("Bestelnummer {ref}, betaald met {card_space}", "card", "nl"),
    ("Factuur {ref} - mijn bsn is {bsn}", "bsn", "nl"),
    ("Order {ref}; kaart {card_space}", "card", "nl"),
    ("Mijn ordernummer was {ref} en toen vroegen ze om {bsn}", "bsn", "nl"),
    ("Pakket {ref} is nooit aangekomen. Op het formulier staat ook {bsn}, dat had er niet op mogen staan", "bsn", "nl"),
    ("klantnummer {ref}\n{card_space}", "card", "nl"),
    ("Ticket {ref} - {bsn}", "bsn", "nl"),
    ("Referentie: {ref}. Betaald met {card_dot}", "card", "nl"),
    ("Het ordernummer staat op de bon, mijn bsn is {bsn}", "bsn", "nl"),
    ("Bestelling {ref} geannuleerd; terugstorten op kaart {card}", "card", "nl"),
    ("Kenmerk {ref}. {bsn} is het nummer van mijn moeder, niet van mij.", "bsn", "nl"),
    ("Zending {ref} kwijt. Ik heb toen met {card_space} betaald.", "card", "nl"),
    ("Factuurnummer {ref}, vervaldatum volgende week. Creditcard {amex}", "card", "nl"),
    ("order number {ref}. Paid with {card}", "card", "en"),
    ("invoice {ref}, card {card_space}", "card", "en"),
    ("Reference {ref} / BSN {bsn}", "bsn", "en"),
    ("My order #{ref} never arrived. They charged {card_dash} twice.", "card", "en"),
    ("Ticket {ref}: the form asked for {bsn}, is that legit?", "bsn", "en"),
    ("Parcel {ref} is lost.\nCard used: {card_dot}", "card", "en"),
    ("Case {ref} was closed, but {bsn8} is still on the letter.", "bsn", "en"),
    ("Ordernummer {ref}, daarna nog {bsn8} ingevuld bij de gemeente", "bsn", "nl"),
    ("track & trace {tt}, mijn kaart {card_space}", "card", "nl"),
]


# --------------------------------------------------------------------------
# Mixed and field-shaped cases
# --------------------------------------------------------------------------

def mixed_cases(r):
    out = []
    m = "06-" + nl_mob(r)
    e = email_plain(r)
    out.append(("nl", f"Bel {m} of mail {e}, ik reageer meestal binnen een uur.", [("phone", m, "NL"), ("email", e, None)], "phone+email"))
    d, l = postcode(r)
    pc = f"{d} {l} {house(r)}"
    m2 = "06 " + grp(nl_mob(r), [2, 2, 2, 2], " ")
    out.append(("nl", f"Ophalen kan op {pc}, app even van tevoren naar {m2}", [("postcode", pc, None), ("phone", m2, "NL")], "postcode+phone"))
    ib = groups4(iban_nl(r))
    b = bsn_make(r)
    out.append(("nl", f"Voor de toeslag: IBAN {ib} en BSN {b}.", [("iban", ib, None), ("bsn", b, None)], "iban+bsn"))
    e2 = obf(r, " [at] ", " [dot] ")
    m3 = "+31 6 " + nl_mob(r)
    out.append(("en", f"Reach me at {e2} or on {m3} (WhatsApp).", [("email", e2, None), ("phone", m3, "NL")], "email-obf+phone"))
    ip = ipv4_public(r)
    e3 = email_plain(r)
    out.append(("en", f"The login from {ip} used {e3} as username.", [("ip", ip, None), ("email", e3, None)], "ip+email"))
    c = groups4(visa(r))
    d, l = postcode(r)
    pc2 = f"{d}{l}"
    out.append(("nl", f"Bezorgadres {pc2}, betaald met {c}, nooit ontvangen", [("postcode", pc2, None), ("card", c, None)], "postcode+card"))
    f1 = (lambda a, s: f"0{a}-{s}")(*nl_fix2(r))
    f2 = "06-" + nl_mob(r)
    out.append(("nl", f"Overdag {f1}, 's avonds {f2}", [("phone", f1, "NL"), ("phone", f2, "NL")], "two-phones"))
    u = (lambda a, e_, n: f"({a}) {e_}-{n}")(*us_parts(r, US_AREA))
    e4 = email_plain(r)
    out.append(("en", f"US office: {u}, or email {e4}", [("phone", u, "US"), ("email", e4, None)], "us-phone+email"))
    ib2 = groups4(iban_be(r))
    bm = (lambda mm, s: f"0{mm} {s[:2]} {s[2:4]} {s[4:]}")(r.choice(BE_MOBILE), dg(r, 6))
    out.append(("nl", f"Overschrijven op {ib2}, vragen via {bm}", [("iban", ib2, None), ("phone", bm, "BE")], "be-iban+be-phone"))
    m4 = "06" + nl_mob(r)
    ip6 = ipv6_global(r)
    out.append(("en", f"Device {ip6} keeps texting {m4}", [("ip", ip6, None), ("phone", m4, "NL")], "ipv6+phone"))
    return out


def field_cases(r):
    """Short values shaped like the other free-text fields (tags, page.name,
    geo.place, media[].url)."""
    out = []
    m = "06" + nl_mob(r)
    out.append(("tags", "nl", m, [("phone", m, "NL")], "field-tag-phone"))
    e = email_plain(r)
    out.append(("tags", "nl", e, [("email", e, None)], "field-tag-email"))
    m = "06-" + nl_mob(r)
    out.append(("page.name", "nl", f"Klusbedrijf Henk {m}", [("phone", m, "NL")], "field-page-name-phone"))
    e = local_part(r, "first") + "@" + r.choice(DOMAINS)
    out.append(("page.name", "nl", f"Oppas Utrecht ({e})", [("email", e, None)], "field-page-name-email"))
    d, l = postcode(r)
    pc = f"{d} {l} {house(r)}"
    out.append(("geo.place", "nl", f"Kerkstraat, {pc}", [("postcode", pc, None)], "field-geo-place-postcode"))
    d, l = postcode(r)
    pc = f"{d}{l}"
    out.append(("geo.place", "nl", f"{pc} Amersfoort", [("postcode", pc, None)], "field-geo-place-postcode-alone"))
    e = email_plain(r)
    out.append(("media.url", "en", f"https://cdn.example.net/u/photo_1200.jpg?contact={e}&size=large", [("email", e, None)], "field-media-url-query-email"))
    m = "316" + nl_mob(r)
    out.append(("media.url", "nl", f"https://img.example.nl/advertentie/{m}/fiets.jpg", [("phone", m, "NL")], "field-media-url-path-phone"))
    m = "06" + nl_mob(r)
    out.append(("media.url", "nl", f"https://img.example.nl/a.jpg?tel={m}", [("phone", m, "NL")], "field-media-url-query-phone"))
    ip = ipv4_public(r)
    out.append(("media.url", "en", f"http://{ip}/cam/snapshot.jpg", [("ip", ip, None)], "field-media-url-ip-host"))
    return out


# --------------------------------------------------------------------------
# Look-alikes
# --------------------------------------------------------------------------

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

LT = {
    ("date", "nl"): ["Bezorgd op {x}, keurig op tijd.", "De actie loopt tot {x}.", "Concert op {x} in Ahoy, wie gaat er mee?",
                     "Afspraak verzet naar {x}, balen.", "Factuurdatum {x}, maar ik heb nog niks gekregen", "Vanaf {x} is de winkel dicht wegens verbouwing",
                     "Ingeschreven op {x} en nog steeds niks gehoord", "Houdbaar tot {x} volgens de verpakking"],
    ("date", "en"): ["Delivered on {x}, right on time.", "Offer valid until {x}.", "Event date: {x}, doors open at 7",
                     "Booked for {x} but they cancelled", "Warranty expires {x}", "Closed from {x} for renovation"],
    ("price", "nl"): ["Betaald: {x}, veel te duur voor wat je krijgt", "Nu in de aanbieding voor {x}!", "Vraagprijs {x}, bieden mag",
                      "Bezorgkosten waren {x}, dat stond nergens", "Voor {x} heb je al een prima stofzuiger"],
    ("price", "en"): ["Paid {x} and it broke after a week", "Now on sale for {x}!", "Asking {x}, open to offers", "Shipping was {x}, not mentioned anywhere"],
}


def date_variants(r):
    """One date per notation, each drawn afresh."""
    out = []
    for notation, fmt in _date_formats():
        y = r.choice([2019, 2021, 2023, 2024, 2025, 2026, 2027])
        m, d = r.randint(1, 12), r.randint(1, 28)
        out.append((notation, fmt(r, y, m, d)))
    return out


def _date_formats():
    return [
        ("date-dmy-dash", lambda r, y, m, d: f"{d:02d}-{m:02d}-{y}"),
        ("date-iso", lambda r, y, m, d: f"{y}-{m:02d}-{d:02d}"),
        ("date-dmy-dot", lambda r, y, m, d: f"{d:02d}.{m:02d}.{y}"),
        ("date-dmy-slash", lambda r, y, m, d: f"{d:02d}/{m:02d}/{y}"),
        ("date-compact-ymd", lambda r, y, m, d: f"{y}{m:02d}{d:02d}"),
        ("date-dmy-short", lambda r, y, m, d: f"{d}-{m}-{y}"),
        ("date-mdy-us", lambda r, y, m, d: f"{m:02d}/{d:02d}/{y}"),
        ("date-ymd-slash", lambda r, y, m, d: f"{y}/{m:02d}/{d:02d}"),
        ("date-iso-datetime", lambda r, y, m, d: f"{y}-{m:02d}-{d:02d}T{r.randint(0, 23):02d}:{r.choice([0, 15, 30, 45]):02d}:00Z"),
        ("date-dm-year2", lambda r, y, m, d: f"{d}-{m}-'{str(y)[2:]}"),
        ("date-words-nl", lambda r, y, m, d: f"{d} {MONTHS_NL[m - 1]} {y}"),
        ("date-words-en", lambda r, y, m, d: f"{MONTHS_EN[m - 1]} {d}, {y}"),
    ]


def lookalike_cases():
    r = rng_for("lookalikes")
    out = []

    def add(cls, lang, text, keep, notation):
        out.append({"class": cls, "lang": lang, "text": text, "keep": keep, "notation": notation})

    pools = {k: Pool(r, v) for k, v in LT.items()}

    def fill(cls, lang, x, notation):
        add(cls, lang, pools[(cls, lang)].pick().replace("{x}", x), [x], notation)

    # Dates: every notation, three times, alternating languages.
    literal_dates = [("date-dmy-dash", "29-11-2026"), ("date-iso", "2026-11-29"), ("date-dmy-dot", "29.11.2026"),
                     ("date-dmy-slash", "29/11/2026"), ("date-compact-ymd", "20261129")]
    for i, (n, x) in enumerate(literal_dates):
        fill("date", "nl" if i % 2 == 0 else "en", x, n)
    for rep in range(3):
        for j, (n, x) in enumerate(date_variants(r)):
            lang = "en" if n == "date-words-en" or n == "date-mdy-us" else ("nl" if n == "date-words-nl" else ("nl" if (rep + j) % 2 == 0 else "en"))
            fill("date", lang, x, n)
    add("date", "nl", "Lever tussen 10-11-2026 en 14-11-2026, graag.", ["10-11-2026", "14-11-2026"], "date-range")
    add("date", "nl", "Geldig van 01.03.2026 t/m 31.03.2026", ["01.03.2026", "31.03.2026"], "date-range")
    add("date", "en", "Sale runs 2026-11-24 to 2026-11-30", ["2026-11-24", "2026-11-30"], "date-range")

    # Times
    times = [
        ("nl", "Open tot 10:30 op zondag", ["10:30"], "time-colon"),
        ("nl", "Vergadering verzet naar 10.30 uur", ["10.30 uur"], "time-dot-uur"),
        ("nl", "Laatste foto genomen om 10:30:15 volgens de camera", ["10:30:15"], "time-seconds"),
        ("nl", "Ontbijt vanaf 9u30 in het clubhuis", ["9u30"], "time-u"),
        ("en", "Viewing slot 14:00-16:00, bring ID", ["14:00-16:00"], "time-range"),
        ("nl", "Aanvang 10h30, zaal open om 10h00", ["10h30", "10h00"], "time-h"),
        ("nl", "Mijn eindtijd op de halve marathon: 1:05:33!", ["1:05:33"], "time-race"),
        ("en", "We're open until 22:45 on Fridays", ["22:45"], "time-colon"),
        ("nl", "De bus van 19.15 uur reed gewoon niet", ["19.15 uur"], "time-dot-uur"),
        ("en", "The log stops at 23:59:59 every night", ["23:59:59"], "time-seconds"),
        ("en", "New PB on the 400 m: 0:59.87", ["0:59.87"], "time-ms"),
        ("nl", "Wij zijn open van 09.00-17.30 uur, zaterdag tot 16.00 uur", ["09.00-17.30 uur", "16.00 uur"], "time-range-dot"),
        ("en", "The 07:12 train to Utrecht was cancelled again", ["07:12"], "time-colon"),
        ("nl", "Spreekuur ma t/m vr 08:00-12:00 en 13:30-17:00", ["08:00-12:00", "13:30-17:00"], "time-range"),
        ("en", "Flight leaves 06:45, lands 09:20 local time", ["06:45", "09:20"], "time-colon"),
        ("nl", "Datum en tijd: 29-11-2026 10:30:15", ["29-11-2026 10:30:15"], "date-time"),
        ("en", "Kick-off 20:00 CET, gates open 18:30", ["20:00", "18:30"], "time-colon"),
        ("nl", "Om 6.45 uur stond de vuilniswagen al voor de deur", ["6.45 uur"], "time-dot-uur"),
    ]
    for lang, text, keep, n in times:
        add("time", lang, text, keep, n)

    # Prices
    prices = [
        ("nl", "Nu in de aanbieding voor € 1.234,50!", ["€ 1.234,50"], "price-eur-thousands"),
        ("nl", "Reparatie kostte €1.234,50, bijna een nieuwe wasmachine", ["€1.234,50"], "price-eur-tight"),
        ("nl", "Een broodje kaas voor 12,50 op het station, belachelijk", ["12,50"], "price-plain-comma"),
        ("nl", "Kinderfiets, vraagprijs € 45,-", ["€ 45,-"], "price-eur-dash"),
        ("nl", "Voor 1.299 euro heb je al een goede laptop", ["1.299 euro"], "price-eur-word"),
        ("nl", "Totaalbedrag EUR 499,00 incl. btw", ["EUR 499,00"], "price-eur-code"),
        ("nl", "Vraagprijs € 2.499.000 voor een rijtjeshuis, waanzin", ["€ 2.499.000"], "price-eur-big"),
        ("nl", "App kost maar €0,99 per maand", ["€0,99"], "price-eur-cents"),
        ("nl", "De offerte kwam uit op € 1 234,50", ["€ 1 234,50"], "price-eur-space-thousands"),
        ("en", "Asking $1,299.99, open to offers", ["$1,299.99"], "price-usd"),
        ("en", "Tickets went for £1,250.00 on the resale site", ["£1,250.00"], "price-gbp"),
        ("en", "Paid $49.95 and it broke after a week", ["$49.95"], "price-usd-plain"),
        ("en", "The repair quote was €1,499.00, not worth it", ["€1,499.00"], "price-eur-en"),
        ("en", "Listed at $2,450,000 and sold in a day", ["$2,450,000"], "price-usd-big"),
        ("en", "Budget is USD 1,000 max", ["USD 1,000"], "price-usd-code"),
        ("nl", "Energierekening van 189,37 per maand, wie nog meer?", ["189,37"], "price-plain-comma"),
    ]
    for lang, text, keep, n in prices:
        add("price", lang, text, keep, n)
    for _ in range(5):
        e, c = r.randint(1, 9999), r.randint(0, 99)
        x = f"€ {e:,}".replace(",", ".") + f",{c:02d}"
        fill("price", "nl", x, "price-eur-thousands")
    for _ in range(3):
        x = f"${r.randint(1, 99999):,}.{r.randint(0, 99):02d}"
        fill("price", "en", x, "price-usd")

    # Versions
    versions = [
        ("nl", "Na de update naar v1.2.3 werkt bluetooth niet meer", ["v1.2.3"], "version-v"),
        ("nl", "Sinds versie 10.2.3.4 crasht de app bij het opstarten", ["10.2.3.4"], "version-word-4-part"),
        ("en", "Running 1.2.3.4-beta on my phone, no issues so far", ["1.2.3.4-beta"], "version-4-part-suffix"),
        ("en", "iOS 17.4.1 broke my banking app", ["17.4.1"], "version-3-part"),
        ("nl", "Firmware 2.10.3 lost het probleem niet op", ["2.10.3"], "version-word"),
        ("en", "Windows build 22631.3447 keeps rebooting", ["22631.3447"], "version-build"),
        ("en", "Chrome 124.0.6367.91 renders the page blank", ["124.0.6367.91"], "version-4-part"),
        ("nl", "release 4.2.1.0 staat nu in de app store", ["4.2.1.0"], "version-word-4-part"),
        ("en", "Upgrade to v5.4.0-rc1 fixed it for me", ["v5.4.0-rc1"], "version-v-suffix"),
        ("nl", "Android 14 op mijn telefoon, app versie 3.18.0", ["3.18.0"], "version-word"),
        ("en", "version 1.0.0.1 of the driver", ["1.0.0.1"], "version-word-4-part"),
        ("nl", "Mijn router draait firmware 7.29.1.2, is dat de nieuwste?", ["7.29.1.2"], "version-word-4-part"),
        ("en", "Python 3.11.7 and pip 24.0 installed", ["3.11.7", "24.0"], "version-3-part"),
        ("nl", "Update v2.4.10.3 is eindelijk uit", ["v2.4.10.3"], "version-v-4-part"),
        ("en", "Minecraft 1.20.4 server, anyone want to join?", ["1.20.4"], "version-3-part"),
        ("nl", "Met versie 8.1.2.12 ging alles mis", ["8.1.2.12"], "version-word-4-part"),
        ("en", "Kernel 6.8.0-45-generic, still the same bug", ["6.8.0-45-generic"], "version-suffix"),
        ("nl", "Build 1.4.2.7 (beta) is stabieler dan de vorige", ["1.4.2.7"], "version-word-4-part"),
        ("en", "The 2.3.4.5 release notes say nothing about it", ["2.3.4.5"], "version-4-part-release-notes"),
        ("nl", "Software versie: 5.0.3.1", ["5.0.3.1"], "version-word-4-part"),
    ]
    for lang, text, keep, n in versions:
        add("version", lang, text, keep, n)

    # Order, tracking and reference numbers, attached to their label; many
    # of them pass a BSN or card checksum on purpose.
    refs = [
        ("nl", "ordernummer {x} is nog steeds niet verzonden", lambda: bsn_make(r), "order-label-bsn-valid"),
        ("nl", "bestelnummer: {x}, wanneer komt het?", lambda: "4111111111111111", "order-label-luhn-valid"),
        ("nl", "Pakketnummer #{x} staat al een week stil", lambda: bsn_make(r), "parcel-label-hash-bsn-valid"),
        ("nl", "Ordernummer:{x}", lambda: bsn_make(r), "order-label-colon-tight-bsn-valid"),
        ("nl", "order nr {x} klopt niet", lambda: visa(r), "order-nr-luhn-valid"),
        ("nl", "Factuurnummer {x} is dubbel betaald", lambda: bsn_make(r), "invoice-label-bsn-valid"),
        ("nl", "klantnummer: {x}, graag snel reactie", lambda: bsn_make(r), "customer-label-bsn-valid"),
        ("en", "order #{x} never arrived", lambda: bsn_make(r), "order-hash-bsn-valid"),
        ("nl", "Referentie {x} graag vermelden bij betaling", lambda: bsn_make(r), "reference-label-bsn-valid"),
        ("nl", "kenmerk: {x}", lambda: bsn_make(r), "reference-label-bsn-valid"),
        ("nl", "Dossiernummer {x} is gesloten zonder bericht", lambda: bsn_make(r), "case-label-bsn-valid"),
        ("en", "ticket #{x} still open after two weeks", lambda: visa(r), "ticket-hash-luhn-valid"),
        ("nl", "Transactienummer {x} staat niet op mijn afschrift", lambda: mastercard(r), "transaction-label-luhn-valid"),
        ("en", "Invoice number: {x}", lambda: bsn_make(r), "invoice-label-bsn-valid"),
        ("en", "Order number {x} shows delivered but nothing here", lambda: visa(r), "order-label-luhn-valid"),
        ("nl", "ordernummer {x}", lambda: bsn_make(r, eight=True)[1:], "order-label-bsn8-valid"),
        ("en", "Reference: {x}", lambda: bsn_make(r, eight=True)[1:], "reference-label-bsn8-valid"),
        ("nl", "bestelnummer {x} is geannuleerd", lambda: non_checksum_digits(r, 9), "order-label"),
        ("en", "Order #{x} arrived damaged", lambda: non_checksum_digits(r, 8), "order-hash"),
        ("nl", "Bon nr {x} kwijt, kan ik toch ruilen?", lambda: bsn_make(r), "receipt-nr-bsn-valid"),
        ("nl", "order nummer: {x}", lambda: visa(r), "order-nummer-luhn-valid"),
        ("nl", "Serienummer {x} staat op de doos", lambda: bsn_make(r), "serial-label-bsn-valid"),
        ("en", "Serial number: {x}", lambda: visa(r), "serial-label-luhn-valid"),
        ("nl", "Bestelnummer {x} en {y} zijn allebei te laat", None, "order-label-two"),
    ]
    for lang, tpl, gen, n in refs:
        if gen is None:
            a, b = bsn_make(r), bsn_make(r)
            add("order-number", lang, tpl.replace("{x}", a).replace("{y}", b), [a, b], n)
            continue
        x = gen()
        add("order-number", lang, tpl.replace("{x}", x), [x], n)
    add("order-number", "nl", "bestelnummer: 4111111111111111", ["4111111111111111"], "order-label-luhn-valid")
    add("order-number", "nl", "ordernummer 123456782 is verzonden", ["123456782"], "order-label-bsn-valid")
    add("order-number", "nl", "pakketnummer #123456782 staat stil in Nieuwegein", ["123456782"], "parcel-label-hash-bsn-valid")

    tracking = [
        ("nl", "track & trace {x} zegt 'bezorgd' maar er is niks", lambda: "3S" + "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(4)) + dg(r, 7), "tracking-postnl"),
        ("nl", "Trackingnummer: {x}", lambda: "3S" + "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(4)) + dg(r, 9), "tracking-postnl"),
        ("en", "UPS tracking number {x}, stuck in customs", lambda: "1Z" + "".join(r.choice("0123456789ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(6)) + dg(r, 10), "tracking-ups"),
        ("nl", "DHL zendingnummer {x}", lambda: "JVGL" + dg(r, 16), "tracking-dhl"),
        ("en", "tracking: {x}", lambda: "JJD" + dg(r, 18), "tracking-dhl"),
        ("nl", "DPD pakket {x} komt morgen", lambda: dg(r, 14), "tracking-dpd-digits"),
        ("nl", "Track and trace: {x}", lambda: "3S" + "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(4)) + dg(r, 7), "tracking-postnl"),
        ("en", "Parcel {x} was returned to sender", lambda: "CD" + dg(r, 9) + "NL", "tracking-international"),
        ("nl", "Zending {x} is afgeleverd bij de buren", lambda: "RR" + dg(r, 9) + "NL", "tracking-international"),
        ("en", "shipment {x} delayed", lambda: dg(r, 12), "tracking-digits"),
    ]
    for lang, tpl, gen, n in tracking:
        x = gen()
        add("tracking", lang, tpl.replace("{x}", x), [x], n)
    add("tracking", "nl", "track & trace 3SABCD1234567 staat op 'onderweg'", ["3SABCD1234567"], "tracking-postnl")

    # KvK and VAT numbers
    def kvk(attached):
        while True:
            k = dg(r, 8, "0123456789")
            if attached or not bsn_valid(k):
                return k
    kvks = [
        ("nl", "KvK {x}", True, "kvk-label"), ("nl", "KvK-nummer: {x}", True, "kvk-nummer-colon"),
        ("nl", "kvk nr {x}, btw-plichtig", True, "kvk-nr"), ("nl", "Ingeschreven bij de KvK onder nummer {x}.", False, "kvk-onder-nummer"),
        ("en", "Chamber of Commerce (KvK) no. {x}", True, "kvk-en"), ("nl", "KvK: {x} | Algemene voorwaarden", True, "kvk-footer"),
        ("nl", "Kvk {x} - Bakkerij De Vries", True, "kvk-label"), ("nl", "KvK nummer {x}", True, "kvk-nummer"),
        ("en", "Registered with the Dutch KvK under {x}", False, "kvk-under"), ("nl", "kvk-nr.: {x}", True, "kvk-nr-dot"),
    ]
    for lang, tpl, attached, n in kvks:
        x = kvk(attached)
        add("kvk", lang, tpl.replace("{x}", x), [x], n)
    add("kvk", "nl", "KvK 12345678", ["12345678"], "kvk-label")
    add("kvk", "nl", "KvK-nummer: 46814952", ["46814952"], "kvk-nummer-colon")
    for lang, tpl in [("nl", "Btw-id: NL{x}B01"), ("nl", "BTW-nummer NL{x}B02"), ("en", "VAT number NL{x}B01")]:
        x = non_checksum_digits(r, 9)
        add("kvk", lang, tpl.replace("{x}", x), ["NL" + x + tpl[-3:]], "vat-number")

    # EAN and ISBN
    def ean():
        while True:
            d12 = r.choice(["871", "870", "540", "400", "500", "300"]) + dg(r, 9)
            code = d12 + ean13_check(d12)
            return code
    eans = [("nl", "EAN {x}", "ean-label"), ("nl", "EAN-code: {x}", "ean-code-colon"), ("en", "barcode {x} on the box", "ean-barcode"),
            ("nl", "Streepjescode {x} scant niet bij de kassa", "ean-streepjescode"), ("en", "EAN: {x}", "ean-label"),
            ("nl", "artikelnummer {x}", "ean-artikelnummer"), ("en", "GTIN {x}", "ean-gtin"), ("nl", "ean {x} (zwart, maat 42)", "ean-lower")]
    for lang, tpl, n in eans:
        x = ean()
        add("ean", lang, tpl.replace("{x}", x), [x], n)
    add("ean", "nl", "EAN 8712345678906", ["8712345678906"], "ean-label")

    def isbn13(pub="90"):
        d12 = "978" + pub + dg(r, 12 - 3 - len(pub))
        return d12 + ean13_check(d12)
    for lang, tpl, style in [("nl", "ISBN {x}", "dashed"), ("nl", "Net uit: ISBN {x}", "plain"), ("en", "ISBN-13: {x}", "dashed"),
                              ("en", "isbn {x}, paperback", "plain"), ("nl", "Boek met ISBN {x} is uitverkocht", "dashed"),
                              ("en", "ISBN {x}", "spaced")]:
        code = isbn13()
        if style == "dashed":
            x = f"{code[:3]}-{code[3:5]}-{code[5:8]}-{code[8:12]}-{code[12]}"
        elif style == "spaced":
            x = f"{code[:3]} {code[3:5]} {code[5:8]} {code[8:12]} {code[12]}"
        else:
            x = code
        add("isbn", lang, tpl.replace("{x}", x), [x], "isbn13-" + style)
    # The brief's 978-90-123-4567-8 with its correct check digit (5).
    c = ean13_check("978901234567")
    add("isbn", "nl", "ISBN 978-90-123-4567-" + c, ["978-90-123-4567-" + c], "isbn13-dashed")
    add("isbn", "nl", "ISBN 978901234567" + c, ["978901234567" + c], "isbn13-plain")
    for lang, tpl in [("nl", "ISBN {x}"), ("en", "ISBN-10 {x}")]:
        d9 = "90" + dg(r, 7)
        x = f"{d9[:2]}-{d9[2:5]}-{d9[5:9]}-{isbn10_check(d9)}"
        add("isbn", lang, tpl.replace("{x}", x), [x], "isbn10-dashed")

    # Model numbers
    models = [
        ("en", "My SM-G991B won't charge anymore", "SM-G991B"), ("nl", "Sony KD-55X85J voor de helft van de prijs!", "KD-55X85J"),
        ("en", "Finally got an RTX 4090, power hungry beast", "RTX 4090"), ("nl", "Koptelefoon WH-1000XM5 klinkt geweldig", "WH-1000XM5"),
        ("nl", "Samsung QE55Q80C, wie heeft ervaring?", "QE55Q80C"), ("en", "LG OLED55C3 or OLED65C3?", "OLED55C3"),
        ("en", "MacBook model A2337 battery replacement", "A2337"), ("nl", "Ryzen 7 7800X3D met 32 GB", "7800X3D"),
        ("en", "Thinkpad T14 Gen 3, fan is loud", "T14 Gen 3"), ("nl", "Canon EOS R6 Mark II te koop", "EOS R6 Mark II"),
        ("nl", "Bosch SMV4HCX48E vaatwasser lekt", "SMV4HCX48E"), ("en", "iPhone 15 Pro Max 256GB", "iPhone 15 Pro Max"),
        ("nl", "Philips HD9252/90 airfryer, 2 jaar oud", "HD9252/90"), ("en", "Dyson V15 Detect vs V12", "V15 Detect"),
        ("nl", "Miele WWD 320 WPS wasmachine", "WWD 320 WPS"), ("en", "Intel i7-13700K runs hot", "i7-13700K"),
        ("nl", "Gazelle Ultimate C380 HMB, framemaat 57", "C380"), ("en", "Nintendo Switch OLED model HEG-001", "HEG-001"),
    ]
    for lang, text, keep in models:
        add("model", lang, text, [keep], "model-number")

    # Years and quantities
    qty = [
        ("nl", "Zowel in 2024 en 2025 ging het mis", ["2024", "2025"], "years"),
        ("nl", "Al 1500 km gereden en nog steeds tevreden", ["1500 km"], "quantity-unit"),
        ("nl", "Bundel van 2000 mb per maand is te weinig", ["2000 mb"], "quantity-unit"),
        ("en", "Only 1080p on a 4K screen, seriously?", ["1080p"], "resolution"),
        ("nl", "Recept: 500 gram bloem en 250 ml melk", ["500 gram", "250 ml"], "quantity-unit"),
        ("en", "Ordered 12 pieces, got 10", ["12 pieces"], "quantity"),
        ("nl", "Glasvezel 1000 Mbit voor 60 euro", ["1000 Mbit"], "quantity-unit"),
        ("en", "65 inch TV for 899 pounds", ["65 inch"], "quantity-unit"),
        ("nl", "Opslag van 1.5 TB is vol", ["1.5 TB"], "quantity-unit"),
        ("nl", "In 1995 was alles beter", ["1995"], "year"),
        ("en", "Since 2008 I've shopped there", ["2008"], "year"),
        ("nl", "Actie 2 + 1 gratis", ["2 + 1"], "promo"),
        ("nl", "De huurprijs is met 3,1% verhoogd", ["3,1%"], "percentage"),
        ("en", "Battery at 87% after 2 years", ["87%"], "percentage"),
        ("nl", "Maar liefst 70 procent korting", ["70 procent"], "percentage"),
        ("en", "Interest went from 3.25% to 4.5%", ["3.25%", "4.5%"], "percentage"),
        ("nl", "Opkomst was -12% t.o.v. vorig jaar", ["-12%"], "percentage"),
        ("en", "99.9% uptime my foot", ["99.9%"], "percentage"),
        ("nl", "Een 2500 mAh accu gaat geen dag mee", ["2500 mAh"], "quantity-unit"),
        ("nl", "Verbruik 1850 kWh per jaar", ["1850 kWh"], "quantity-unit"),
        ("en", "Ran 4200 m in 12 minutes", ["4200 m"], "quantity-unit"),
        ("nl", "Fiets weegt 2350 gr zonder accu", ["2350 gr"], "quantity-unit"),
    ]
    for lang, text, keep, n in qty:
        add("quantity", lang, text, keep, n)

    # A year (or any 4-digit number) followed by a short lower-case word
    yw = [
        ("nl", "Ik woon hier sinds 2019 en ben er blij mee", "2019 en"),
        ("nl", "In 2023 en daarna ging het alleen maar slechter", "2023 en"),
        ("nl", "2019 op vakantie geweest naar Texel", "2019 op"),
        ("nl", "Dat hebben ze in 2021 al beloofd", "2021 al"),
        ("nl", "Pas in 2022 is het opgelost", "2022 is"),
        ("nl", "Vanaf 2025 ga ik elke maand meer betalen", "2025 ga"),
        ("nl", "Ik heb in 2018 te laat opgezegd", "2018 te"),
        ("nl", "Sinds 2020 ik hier kom is het personeel veranderd", "2020 ik"),
        ("nl", "Begin 2024 na de verhuizing ging het mis", "2024 na"),
        ("nl", "In 2017 om deze tijd lag er sneeuw", "2017 om"),
        ("nl", "Pas in 2016 nu echt goed begonnen", "2016 nu"),
        ("nl", "Was het nou 2015 of 2014?", "2015 of"),
        ("nl", "Tot 2026 zo goed als nieuw gebleven", "2026 zo"),
        ("nl", "Sinds 2013 er weer een bakker zit is het gezellig", "2013 er"),
        ("nl", "Ik heb 1500 km gefietst op deze banden", "1500 km"),
        ("nl", "Die 3000 de gemeente kost, wie betaalt dat?", "3000 de"),
        ("nl", "Al 2200 in de pot voor het goede doel!", "2200 in"),
        ("nl", "Er zijn 1200 we nog niet gesproken hebben", "1200 we"),
        ("en", "In 2019 we moved to Utrecht", "2019 we"),
        ("en", "Back in 2021 it was cheaper", "2021 it"),
        ("en", "By 2030 or so it should be done", "2030 or"),
        ("en", "Around 2018 to 2020 they changed owners", "2018 to"),
        ("en", "2024 an absolute disaster of a season", "2024 an"),
        ("en", "The class of 2012 is having a reunion", "2012 is"),
        ("nl", "Het was 2020 ja, midden in de lockdown", "2020 ja"),
        ("nl", "In 2022 we gingen voor het eerst naar Frankrijk", "2022 we"),
    ]
    for lang, text, keep in yw:
        add("year-word", lang, text, [keep], "number-then-short-word")

    # Hex words and code that only look like IPv6
    hexs = [
        ("en", "gggg:hhhh::1234 is not an address, just a placeholder in the docs", "gggg:hhhh::1234", "not-hex"),
        ("en", "The magic value dead:beef shows up in the dump", "dead:beef", "hex-words-two-groups"),
        ("en", "Use std::vector instead of a raw array", "std::vector", "cpp-scope"),
        ("en", "Call Foo::Bar::new() in Rust", "Foo::Bar::new()", "rust-path"),
        ("nl", "In C++ schrijf je gewoon std::string s;", "std::string", "cpp-scope"),
        ("en", "HashMap::with_capacity(16) is faster here", "HashMap::with_capacity(16)", "rust-path"),
        ("en", "CSS selector a::before { content: '' }", "a::before", "css-pseudo"),
        ("en", "Error in module utils::parse at line 12", "utils::parse", "rust-path"),
        ("en", "Aspect ratio 16:9 or 21:9?", "16:9", "ratio"),
        ("nl", "De wedstrijd eindigde in 2:1 voor de thuisploeg", "2:1", "score-colon"),
        ("en", "Bible verse John 3:16 on the banner", "3:16", "verse"),
        ("en", "Set the timer to 12:34:56 exactly", "12:34:56", "time-like"),
        ("en", "MAC address format is like aa:bb:cc but shorter in our docs", "aa:bb:cc", "hex-three-groups"),
        ("en", "In C++ the scope a::b resolves to the inner namespace", "a::b", "cpp-scope-valid-ipv6-syntax"),
        ("en", "Hex dump: cafe:babe then junk", "cafe:babe", "hex-words-two-groups"),
        ("nl", "Gebruik ns::Klasse::methode() in plaats van de oude functie", "ns::Klasse::methode()", "cpp-scope"),
        ("en", "The ratio was 1:2:3 across the groups", "1:2:3", "ratio"),
    ]
    for lang, text, keep, n in hexs:
        cls = "colon-notation" if n in ("ratio", "score-colon", "verse", "time-like") else "hex-word"
        add(cls, lang, text, [keep], n)

    # Scores and sports results
    scores = [
        ("nl", "Weer verloren, 3-1 tegen Feyenoord", ["3-1"]), ("nl", "2-0 voor Ajax na 20 minuten", ["2-0"]),
        ("nl", "Ajax - PSV 2-2, wat een wedstrijd", ["2-2"]), ("en", "Won the final 6-4 6-3", ["6-4 6-3"]),
        ("nl", "Eindstand 21-19 in de derde set", ["21-19"]), ("en", "Lakers lost 102-98 last night", ["102-98"]),
        ("nl", "Jong Oranje speelde 1-1 gelijk", ["1-1"]), ("en", "Final score 24-17, what a game", ["24-17"]),
        ("nl", "Het werd 4-3 na verlenging", ["4-3"]), ("en", "Set scores 25-23, 19-25, 15-13", ["25-23, 19-25, 15-13"]),
        ("nl", "Klassement: 1. Jansen 1:02:33, 2. de Boer 1:03:10", ["1:02:33", "1:03:10"]),
        ("en", "Darts: 3-2 in sets, 11-9 in legs", ["3-2", "11-9"]),
    ]
    for lang, text, keep in scores:
        add("score", lang, text, keep, "sports-result")

    # Big counts that look like phone numbers
    counts = [
        ("nl", "Die video heeft al 1.234.567 views", ["1.234.567"]), ("en", "1,234,567 followers and still growing", ["1,234,567"]),
        ("nl", "Al 4.567.890 keer bekeken!", ["4.567.890"]), ("nl", "Petitie heeft 312.456 handtekeningen", ["312.456"]),
        ("en", "Over 12,345,678 downloads", ["12,345,678"]), ("nl", "Er wonen 17.942.942 mensen in Nederland", ["17.942.942"]),
        ("en", "The stadium holds 54,990 people", ["54,990"]), ("nl", "Inwoners: 1 234 567 volgens het CBS", ["1 234 567"]),
        ("nl", "Bezoekersaantal: 2.345.678 in 2025", ["2.345.678"]), ("en", "Goal: 10,000,000 steps this year", ["10,000,000"]),
    ]
    for lang, text, keep in counts:
        add("count", lang, text, keep, "big-count")

    # House numbers without a postcode; 4-digit postcodes without letters
    streets = [
        ("nl", "Nieuwe bakker geopend aan de Dorpsstraat 12", ["Dorpsstraat 12"]),
        ("nl", "Wegafsluiting bij Kerkstraat 1a tot vrijdag", ["Kerkstraat 1a"]),
        ("nl", "Het gemeentehuis, Stationsplein 3-5, is dicht", ["Stationsplein 3-5"]),
        ("en", "The museum at Museumplein 6 was packed", ["Museumplein 6"]),
        ("nl", "Markt op het Plein 1944 elke zaterdag", ["Plein 1944"]),
        ("nl", "Bouwproject Hoofdweg 120-124 ligt stil", ["Hoofdweg 120-124"]),
        ("nl", "De bibliotheek zit nu op Raadhuisstraat 8", ["Raadhuisstraat 8"]),
        ("en", "New cafe on Oudegracht 230, great coffee", ["Oudegracht 230"]),
        ("nl", "Regio 5611 Eindhoven heeft de meeste storingen", ["5611 Eindhoven"]),
        ("nl", "Alles binnen 1012 Amsterdam wordt met de fiets bezorgd", ["1012 Amsterdam"]),
        ("nl", "Postcodegebied 3500 en omstreken", ["3500"]),
        ("en", "Delivery only within the 1011 area", ["1011"]),
        ("nl", "Wijk 7511 in Enschede krijgt glasvezel", ["7511"]),
        ("nl", "Buslijn 1234 rijdt niet meer", ["1234"]),
    ]
    for lang, text, keep in streets:
        add("address-partial", lang, text, keep, "no-full-postcode")

    # Other numbers that are not phone numbers
    other = [
        ("nl", "Bel bij nood altijd 112", ["112"], "emergency-number"),
        ("nl", "0900-nummers zijn veel te duur", ["0900-nummers"], "prefix-only"),
        ("nl", "Lijn 12 en 13 rijden om via de Amsterdamsestraatweg", ["12 en 13"], "line-numbers"),
        ("en", "Pages 123-145 are missing from my copy", ["123-145"], "page-range"),
        ("nl", "Artikel 7:17 BW gaat over non-conformiteit", ["7:17"], "law-article"),
        ("nl", "Huisnummers 2 t/m 48 hebben geen stroom", ["2 t/m 48"], "number-range"),
        ("en", "Room 2.14 in building 3", ["2.14"], "room-number"),
        ("nl", "Zaal 1.07 is verplaatst naar 2.12", ["1.07", "2.12"], "room-number"),
        ("en", "Flight KL1234 to New York delayed", ["KL1234"], "flight-number"),
        ("nl", "Trein 3541 naar Zwolle is opgeheven", ["3541"], "train-number"),
        ("en", "Coordinates 52.0907, 5.1214 for the meeting point", ["52.0907, 5.1214"], "coordinates"),
        ("nl", "Score 8,5 op de beoordelingssite", ["8,5"], "grade"),
        ("en", "Rated 4.7/5 by 1,209 customers", ["4.7/5", "1,209"], "rating"),
        ("nl", "NEN 1010 keuring gehaald", ["NEN 1010"], "standard"),
        ("en", "ISO 27001 certified since 2019", ["ISO 27001"], "standard"),
    ]
    for lang, text, keep, n in other:
        add("other-number", lang, text, keep, n)

    # Unicode look-alikes: after normalisation these still must stay
    uni = [
        ("price", "nl", "Nu voor €\u00a01.234,50 bij de actie", ["€\u00a01.234,50"], "unicode-no-break-space"),
        ("year-range", "nl", "Gewerkt van 2019\u20132023 bij de gemeente", ["2019\u20132023"], "unicode-en-dash"),
        ("date", "nl", "Vakantie van 10\u201312 november", ["10\u201312 november"], "unicode-en-dash"),
        ("time", "nl", "Aanvang １０:３０ uur", ["１０:３０"], "unicode-fullwidth-digits"),
        ("score", "nl", "Eindstand ３-１ voor de uitploeg", ["３-１"], "unicode-fullwidth-digits"),
        ("count", "en", "1\u202f234\u202f567 views in a week", ["1\u202f234\u202f567"], "unicode-narrow-nbsp"),
        ("other-number", "en", "See pages 12\u201315 of the manual", ["12\u201315"], "unicode-en-dash"),
        ("date", "nl", "Uiterlijk 29\u00a0november\u00a02026 betalen", ["29\u00a0november\u00a02026"], "unicode-no-break-space"),
        ("score", "en", "They won 3\u20131 at home", ["3\u20131"], "unicode-en-dash"),
        ("quantity", "nl", "Temperatuur \u22125 graden vannacht", ["\u22125 graden"], "unicode-minus-sign"),
        ("date", "en", "Opening hours 09:00\u201317:00, Mon\u2013Fri", ["09:00\u201317:00"], "unicode-en-dash"),
        ("price", "en", "Only $\u20091,299.99 this week", ["$\u20091,299.99"], "unicode-thin-space"),
        ("date", "nl", "Datum: ２０２６-１１-２９", ["２０２６-１１-２９"], "unicode-fullwidth-digits"),
        ("version", "en", "Upgraded to v2.3.1\u2011beta yesterday", ["v2.3.1\u2011beta"], "unicode-nb-hyphen-u2011"),
        ("year-range", "en", "The 2010\u20142015 season stats", ["2010\u20142015"], "unicode-em-dash"),
    ]
    for cls, lang, text, keep, n in uni:
        add(cls, lang, text, keep, n)
    for cls, lang, text, keep, n in FOUND_LOOKALIKES:
        add(cls, lang, text, keep, n)
    return out


# --------------------------------------------------------------------------
# Building the pii corpus
# --------------------------------------------------------------------------

def pii_cases():
    out = []

    def add(cls, lang, text, checks, notation, field=None):
        regions = sorted({c[2] for c in checks if c[0] == "phone" and c[2]})
        case = {"class": cls, "lang": lang, "text": text, "pii": [c[1] for c in checks], "notation": notation}
        if regions:
            case["region"] = regions[0] if len(regions) == 1 else ",".join(regions)
        if field:
            case["field"] = field
        case["_checks"] = checks
        out.append(case)

    # Phones
    r = rng_for("phone")
    pools = {k: Pool(r, v) for k, v in T.items()}

    def sentence(key, lang, x):
        return pools[(key, lang)].pick().replace("{x}", x)

    for i, (notation, gen) in enumerate(PHONE_NOTATIONS):
        reps = 2 if notation.startswith(("nl-", "tel", "wa", "whatsapp")) else 1
        for k in range(reps):
            shown, pii, region = gen(r)
            lang = "nl" if (i + k) % 2 == 0 or region in ("NL", "BE") and k == 0 else "en"
            add("phone", lang, sentence("phone", lang, shown), [("phone", pii, region)], notation)
    for i, (notation, shown, region) in enumerate(PHONE_LITERALS):
        lang = "nl" if region in ("NL", "BE") else "en"
        add("phone", lang, sentence("phone", lang, shown), [("phone", shown, region)], notation)
    for notation, shown, pii, region in PHONE_LINK_LITERALS:
        add("phone", "nl", sentence("phone", "nl", shown), [("phone", pii, region)], notation)
    # Labels that name a phone number
    for lang, tpl in [("nl", "tel: {x}"), ("nl", "Mobiel {x}"), ("nl", "GSM: {x}"), ("en", "Tel. {x}"), ("en", "mobile: {x}"), ("nl", "telefoonnummer {x}")]:
        m = "06" + nl_mob(r)
        add("phone", lang, tpl.replace("{x}", m), [("phone", m, "NL")], "labelled-" + tpl.split()[0].strip(":.").lower())

    # E-mail
    r = rng_for("email")
    pools = {k: Pool(r, v) for k, v in T.items()}
    for i, (notation, gen) in enumerate(EMAIL_NOTATIONS):
        for k in range(2):
            v = gen(r)
            shown, pii = v if isinstance(v, tuple) else (v, v)
            lang = "nl" if (i + k) % 2 == 0 else "en"
            if notation.endswith("apenstaartje-punt") or notation.endswith("-punt") or "punt" in notation:
                lang = "nl"
            add("email", lang, sentence("email", lang, shown), [("email", pii, None)], notation)
    for i, (notation, shown) in enumerate(EMAIL_LITERALS):
        lang = "nl" if i % 2 == 0 or "punt" in notation else "en"
        add("email", lang, sentence("email", lang, shown), [("email", shown, None)], notation)

    # IBAN
    r = rng_for("iban")
    pools = {k: Pool(r, v) for k, v in T.items()}
    for i, (notation, gen) in enumerate(IBAN_NOTATIONS):
        reps = 2 if notation.startswith("nl-") else 1
        for k in range(reps):
            v = gen(r)
            lang = "nl" if (i + k) % 2 == 0 else "en"
            add("iban", lang, sentence("iban", lang, v), [("iban", v, None)], notation)
    for i, (notation, v) in enumerate(IBAN_LITERALS):
        lang = "nl" if i % 2 == 0 else "en"
        add("iban", lang, sentence("iban", lang, v), [("iban", v, None)], notation)

    # BSN
    r = rng_for("bsn")
    pools = {k: Pool(r, v) for k, v in T.items()}
    for i, (notation, eight, fmt) in enumerate(BSN_NOTATIONS):
        for k in range(3):
            v = fmt(bsn_make(r, eight=eight))
            lang = "nl" if (i + k) % 3 != 2 else "en"
            add("bsn", lang, sentence("bsn", lang, v), [("bsn", v, None)], notation)
    for i, (notation, v) in enumerate(BSN_LITERALS):
        add("bsn", "nl", sentence("bsn", "nl", v), [("bsn", v, None)], notation)

    # Cards
    r = rng_for("card")
    pools = {k: Pool(r, v) for k, v in T.items()}
    for i, (notation, gen) in enumerate(CARD_NOTATIONS):
        for k in range(2):
            v = gen(r)
            lang = "nl" if (i + k) % 2 == 0 else "en"
            add("card", lang, sentence("card", lang, v), [("card", v, None)], notation)
    for notation, v in CARD_LITERALS:
        add("card", "nl", sentence("card", "nl", v), [("card", v, None)], notation)

    # Postcodes
    r = rng_for("postcode")
    pools = {k: Pool(r, v) for k, v in T.items()}
    for i, (notation, gen) in enumerate(POSTCODE_NR_NOTATIONS):
        for k in range(2):
            v = gen(r)
            lang = "nl" if (i + k) % 3 != 2 else "en"
            if notation == "nr-before-pc":
                text = (f"Kerkstraat {v} Utrecht, bel maar aan" if lang == "nl" else f"Address: Dorpsstraat {v} Ede")
            else:
                text = sentence("postcode+nr", lang, v)
            add("postcode", lang, text, [("postcode", v, None)], notation)
    for notation, v in POSTCODE_NR_LITERALS:
        text = f"Kerkstraat {v} Utrecht" if notation == "nr-before-pc" else sentence("postcode+nr", "nl", v)
        add("postcode", "nl", text, [("postcode", v, None)], notation)
    for i, (notation, gen) in enumerate(POSTCODE_ALONE_NOTATIONS):
        for k in range(3):
            v = gen(r)
            lang = "nl" if (i + k) % 3 != 2 else "en"
            add("postcode", lang, sentence("postcode", lang, v), [("postcode", v, None)], notation)
    for notation, v in [("pc-alone-space", "1234 AB"), ("pc-alone-compact", "1234AB")]:
        add("postcode", "nl", sentence("postcode", "nl", v), [("postcode", v, None)], notation)
    for notation, tpl, pii_tpl, lang, lower in POSTCODE_LABELLED:
        for k in range(2):
            d, l = postcode(r)
            if lower:
                l = l.lower()
            pc = f"{d} {l}" if k == 0 else f"{d}{l}"
            nr = house(r) + (r.choice(["", "a", "-2"]) if k else "")
            text = tpl.replace("{pc}", pc).replace("{nr}", nr)
            v = pii_tpl.replace("{pc}", pc).replace("{nr}", nr)
            add("postcode", lang, text, [("postcode", v, None)], notation)
    for notation, text, v in POSTCODE_LABELLED_LITERALS:
        add("postcode", "nl", text, [("postcode", v, None)], notation)

    # IP addresses
    r = rng_for("ip")
    pools = {k: Pool(r, v) for k, v in T.items()}
    for i, (notation, gen) in enumerate(IP_NOTATIONS):
        for k in range(2):
            shown, v = gen(r)
            lang = "nl" if (i + k) % 2 == 0 else "en"
            add("ip", lang, sentence("ip", lang, shown), [("ip", v, None)], notation)
    for i, (notation, shown, v) in enumerate(IP_LITERALS):
        lang = "en" if i % 2 else "nl"
        add("ip", lang, sentence("ip", lang, shown), [("ip", v, None)], notation)

    # Unicode variants
    r = rng_for("unicode")
    pools = {k: Pool(r, v) for k, v in T.items()}
    bases = _bases()
    base_pools = {k: Pool(r, v) for k, v in bases.items()}
    for notation, which, count, transform in UNICODE_VARIANTS:
        for k in range(count):
            kind, gen = base_pools[which].pick()
            shown, region = gen(r)
            v = transform(shown, r)
            key = "postcode+nr" if kind == "postcode" and " " in shown[5:] else kind
            lang = "nl" if k % 3 != 2 else "en"
            add(kind, lang, sentence(key, lang, v), [(kind, v, region)], notation)
    for notation, gen in EMAIL_INVISIBLE:
        v = gen(r)
        add("email", "nl", sentence("email", "nl", v), [("email", v, None)], notation)
    for notation, kind, v, region in UNICODE_LITERALS:
        add(kind, "nl", sentence(kind, "nl", v), [(kind, v, region)], notation)

    # Context: a reference label that is not attached to the number
    r = rng_for("context")
    for tpl, kind, lang in CONTEXT_TEMPLATES:
        vals = {
            "ref": non_checksum_digits(r, r.choice([5, 6, 9])),
            "kvk": non_checksum_digits(r, 8),
            "tt": "3S" + "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(4)) + dg(r, 7),
            "card": visa(r), "card_space": groups4(mastercard(r)), "card_dash": groups4(visa(r), "-"),
            "card_dot": groups4(visa(r), "."), "amex": c465(amex(r), " "), "bsn": bsn_make(r),
            "bsn8": bsn_make(r, eight=True)[1:],
        }
        text = tpl
        checks = []
        for name, v in vals.items():
            if "{" + name + "}" in text:
                text = text.replace("{" + name + "}", v)
                if name.startswith(("card", "amex", "bsn")):
                    checks.append(("card" if name.startswith(("card", "amex")) else "bsn", v, None))
        add(kind, lang, text, checks, "reference-label-not-attached")
    add("card", "nl", "ordernummer 728321539. via 5246890855067333", [("card", "5246890855067333", None)], "reference-label-not-attached")
    add("card", "nl", "KvK 46814952. mail: 5414-9002-2794-1754", [("card", "5414-9002-2794-1754", None)], "reference-label-not-attached")
    # A personal label wins over a reference word next to it
    for lang, tpl, kind, gen in [
        ("nl", "Bestelling betaald met creditcard {x}", "card", lambda: groups4(visa(r))),
        ("nl", "Ordernummer staat los hiervan, BSN: {x}", "bsn", lambda: bsn_make(r)),
        ("en", "Order placed, card {x}", "card", lambda: groups4(mastercard(r), "-")),
        ("nl", "factuur t.a.v. bsn {x}", "bsn", lambda: bsn_make(r)),
        ("nl", "Referentie kaart: {x}", "card", lambda: visa(r)),
        ("en", "Case file: BSN {x}", "bsn", lambda: grp(bsn_make(r), [3, 3, 3], " ")),
    ]:
        v = gen()
        add(kind, lang, tpl.replace("{x}", v), [(kind, v, None)], "personal-label-wins")

    # Mixed and field-shaped
    r = rng_for("mixed")
    for lang, text, checks, notation in mixed_cases(r):
        add("mixed", lang, text, checks, notation)
    r = rng_for("fields")
    for field, lang, text, checks, notation in field_cases(r):
        add(checks[0][0], lang, text, checks, notation, field=field)
    # Written by hand after a leak was found by trying the stage: the form
    # that leaked, exactly as it was tried.
    for cls, lang, text, values, notation, region in FOUND_LEAKS:
        values = [values] if isinstance(values, str) else values
        add(cls, lang, text, [(cls, v, region) for v in values], notation)
    return out


# (class, lang, text, the personal data in it (one or a list), notation, phone region)
FOUND_LEAKS = [
    ("email", "nl", "Mail gerust naar jan punt jansen apenstaartje gmail punt com als je vragen hebt.",
     "jan punt jansen apenstaartje gmail punt com", "obf-local-spelled-punt", None),
    ("email", "en", "Reach me at j dot de dot vries at example dot nl please.",
     "j dot de dot vries at example dot nl", "obf-local-spelled-dot", None),
    ("email", "nl", "Stuur het naar jan . jansen @ gmail . com, dan regel ik het.",
     "jan . jansen @ gmail . com", "obf-local-spaced-dots", None),
    ("email", "nl", "Mijn adres is anouk punt jansen at telenet.be voor wie het wil.",
     "anouk punt jansen at telenet.be", "obf-local-spelled-provider", None),
    ("phone", "nl", "Met vriendelijke groet, Marieke | (+31) 6 23456789 | bel gerust",
     "(+31) 6 23456789", "intl-cc-in-parens", "NL"),
    ("phone", "en", "Reach me on (+32) 470 12 34 56 after six.",
     "(+32) 470 12 34 56", "intl-cc-in-parens", "BE"),
    ("phone", "nl", "Mijn nummer: (0031) 6-34567890, graag na 18 uur.",
     "(0031) 6-34567890", "intl-00-cc-in-parens", "NL"),
    ("phone", "nl", "Bereikbaar via 06-23456789,06-34567891 (werk en privé).",
     ["06-23456789", "06-34567891"], "nl-mobile-comma-list", "NL"),
    ("email", "nl", "Vragen? Mail naar marieke(@)gmail.com of bel de winkel.",
     "marieke(@)gmail.com", "obf-at-sign-in-parens", None),
    ("email", "en", "Send the form to j.devries[@]example.org before Friday.",
     "j.devries[@]example.org", "obf-at-sign-in-brackets", None),
    ("phone", "nl", "Interesse? Appen naar #0623456789, liefst na vijven.",
     "0623456789", "nl-mobile-after-hash", "NL"),
    ("postcode", "nl", "Pakket graag naar postcode 3512-JK, de buren nemen het aan.",
     "3512-JK", "pc-dash-labelled", None),
    ("postcode", "en", "Ship it to 7411-BV 23 please, my neighbours will sign.",
     "7411-BV 23", "pc-dash-nr", None),
    ("phone", "nl", "Bel me gerust op 06 -23456789, ook in het weekend.",
     "06 -23456789", "nl-mobile-space-before-dash", "NL"),
    ("phone", "nl", "Contact: 06- 34 56 78 91 graag na 17 uur",
     "06- 34 56 78 91", "nl-mobile-space-after-dash", "NL"),
    ("phone", "nl", "Mijn nummer is 06*34567890, bel maar.",
     "06*34567890", "nl-mobile-star", "NL"),
    ("phone", "nl", "Appen kan op 06_23456789 (liefst na vijven)",
     "06_23456789", "nl-mobile-underscore", "NL"),
    ("phone", "en", "Text me at 06,34567891 if it is still for sale",
     "06,34567891", "nl-mobile-comma", "NL"),
    ("phone", "nl", "Bereikbaar op 06\t23456789 tijdens kantooruren",
     "06\t23456789", "nl-mobile-tab", "NL"),
    ("phone", "nl", "Bellen kan via 06 . 34567890, vraag naar de eigenaar.",
     "06 . 34567890", "nl-mobile-spaced-dot", "NL"),
    ("phone", "nl", "Tel. (0)6-23456789 voor een afspraak",
     "(0)6-23456789", "nl-trunk-in-parens", "NL"),
    ("card", "en", "Charged twice on 4111/1111/1111/1111, please refund",
     "4111/1111/1111/1111", "card-slashes", None),
    ("card", "nl", "Betaald met 5500 00000000 0004 maar niks ontvangen",
     "5500 00000000 0004", "card-4-8-4", None),
    ("postcode", "nl", "Bezorgen op 3512JK-14, achterom graag.",
     "3512JK-14", "pc-nr-dash", None),
    ("email", "nl", "Foto's graag naar jan -at- example -dot- nl, dan zet ik ze online.",
     "jan -at- example -dot- nl", "obf-at-dot-in-dashes", None),
    ("email", "en", "Contact: s.devries -at- gmail.com for the full report",
     "s.devries -at- gmail.com", "obf-at-in-dashes", None),
    ("ip", "nl", "Mijn modem heet ip-83-84-85-86.ziggo.nl en is steeds offline",
     "83-84-85-86", "ipv4-dashed-host", None),
    ("ip", "en", "Blocked by the forum, my host is 77-161-22-9.fixed.kpn.net, please help",
     "77-161-22-9", "ipv4-dashed-host", None),
    ("ip", "en", "Attacker came from 185[.]220[.]101[.]4 last night",
     "185[.]220[.]101[.]4", "ipv4-defanged", None),
    ("email", "nl", "Reacties graag naar jan apestaartje example punt nl, alvast bedankt!",
     "jan apestaartje example punt nl", "obf-apestaartje", None),
    ("phone", "nl", "Bereikbaar op + 31 6 23456789, ook via WhatsApp.",
     "+ 31 6 23456789", "intl-plus-space", "NL"),
    ("phone", "en", "Typed on my phone in Japanese mode: ０６ー２３４５６７８９, call me",
     "０６ー２３４５６７８９", "fullwidth-prolonged-mark", "NL"),
]

# (class, lang, text, what must stay): look-alikes a leak hunt found
# redacted, written by hand exactly as they were tried.
FOUND_LOOKALIKES = [
    ("date", "nl", "Open dag op zaterdag 06-12-2026 16:30 uur, iedereen welkom", ["06-12-2026 16:30"], "date-time-dmy-dash"),
    ("date", "en", "Doors open 01-12-2026 09:00, first come first served", ["01-12-2026 09:00"], "date-time-dmy-dash"),
    ("date", "nl", "Aanmelden voor 06/12/2026 12:34 via de site", ["06/12/2026 12:34"], "date-time-dmy-slash"),
    ("price", "nl", "Bedrag € 123.456.782 is wel erg veel voor een schuur", ["123.456.782"], "price-bsn-shaped"),
    ("other-number", "nl", "Openingstijden 09,10,11,12,13 uur op de zaterdagen", ["09,10,11,12,13"], "number-list-commas"),
    ("other-number", "nl", "Artikelcode 2024-NL-12 is uitverkocht", ["2024-NL-12"], "code-year-dashes"),
    ("score", "nl", "De setstanden waren 12-11-20-25, spannend tot het eind", ["12-11-20-25"], "dashed-four-numbers"),
    ("other", "en", "I work-at-home. Then I walk the dog", ["work-at-home. Then"], "dashed-at-word"),
]


# --------------------------------------------------------------------------
# Self-check
# --------------------------------------------------------------------------

OBF_AT = r"\s*(?:-at-|\[@\]|\(@\)|\[at\]|\(at\)|\{at\}|\bat\b|\bapenstaartje\b|\bapestaartje\b|@)\s*"
OBF_DOT = r"\s*(?:-dot-|-punt-|\[dot\]|\(dot\)|\{dot\}|\[punt\]|\bdot\b|\bpunt\b|\.)\s*"


def deobfuscate_email(s):
    s = fold(s).strip()
    parts = re.split(OBF_AT, s, maxsplit=1, flags=re.I)
    if len(parts) != 2:
        return None
    local, domain = parts
    # A local part may be spelled out like the domain (`jan punt jansen`).
    local = re.sub(OBF_DOT, ".", local, flags=re.I)
    domain = re.sub(OBF_DOT, ".", domain, flags=re.I)
    return f"{local}@{domain}"


EMAIL_RE = re.compile(r"^[\w.+-]+@(?:[\w-]+\.)+[\w-]{2,}$", re.UNICODE)
POSTCODE_RE = re.compile(
    r"^(?:(?P<pre>\d{1,4}) )?(?P<d>[1-9]\d{3})[ -]?(?P<l>[A-Za-z]{2})"
    r"(?:(?:,? ?|-)(?P<nr>\d{1,4})(?:[ -]?(?:[A-Za-z]|[1-9]|I{1,3}|huis|hs))?)?$")


def check_value(kind, value, region, problems, where, phonelib):
    f = fold(value)
    if kind == "phone":
        if phonelib is None:
            return
        num = f.replace("(0)", "") if f.startswith(("+", "00")) else f
        # Stray keys between the groups, which libphonenumber does not read.
        num = re.sub(r"[_,\t]", " ", num)
        if re.fullmatch(r"\d{10,13}", num) and region and not num.startswith("0"):
            num = "+" + num   # wa.me/316..., ?phone=316...
        try:
            parsed = phonelib.parse(num, region)
        except phonelib.NumberParseException as e:
            problems.append(f"{where}: phone {value!r} does not parse: {e}")
            return
        if not phonelib.is_valid_number_for_region(parsed, region):
            problems.append(f"{where}: phone {value!r} not valid for {region} "
                            f"(valid={phonelib.is_valid_number(parsed)}, region={phonelib.region_code_for_number(parsed)})")
    elif kind == "email":
        e = deobfuscate_email(value)
        if not e or not EMAIL_RE.match(e):
            problems.append(f"{where}: e-mail {value!r} does not read as an address ({e!r})")
    elif kind == "iban":
        s = re.sub(r"[\s.\-]", "", f)
        if not iban_valid(s):
            problems.append(f"{where}: IBAN {value!r} fails mod-97")
    elif kind == "bsn":
        if re.search(r"[^\d\s.\-]", f):
            problems.append(f"{where}: BSN {value!r} holds other characters")
        d = only_digits(value)
        if len(d) not in (8, 9) or not bsn_valid(d):
            problems.append(f"{where}: BSN {value!r} fails the 11-proof")
    elif kind == "card":
        d = only_digits(value)
        ok = luhn_valid(d) and (
            (len(d) == 16 and (d[0] == "4" or 51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720 or d.startswith("6011")))
            or (len(d) == 15 and d[:2] in ("34", "37")))
        if not ok:
            problems.append(f"{where}: card {value!r} fails Luhn or issuer shape")
    elif kind == "postcode":
        m = POSTCODE_RE.match(f)
        if not m or m.group("l").upper() in ("SA", "SD", "SS"):
            problems.append(f"{where}: postcode {value!r} is not a full Dutch postcode span")
    elif kind == "ip":
        try:
            # Written with dashes in a host name, or defanged.
            ipaddress.ip_address(f.replace("[.]", ".") if "[.]" in f else
                                 f.replace("-", ".") if re.fullmatch(r"[\d-]+", f) else f)
        except ValueError:
            problems.append(f"{where}: IP {value!r} is not an address")
    else:
        problems.append(f"{where}: unknown kind {kind}")


def scan_lookalike(case, phonelib):
    """Finds what a detector could mistake in a look-alike text; returns notes."""
    notes = []
    text = fold(case["text"])
    for m in re.finditer(r"\d[\d .\-/]*\d", text):
        d = re.sub(r"\D", "", m.group())
        if len(d) in (8, 9) and bsn_valid(d):
            notes.append(f"BSN-valid {m.group()!r}")
        if 13 <= len(d) <= 19 and luhn_valid(d):
            notes.append(f"Luhn-valid {m.group()!r}")
    if re.search(r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{10,}", text):
        for m in re.finditer(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,30}", text):
            if iban_valid(m.group().replace(" ", "")):
                notes.append(f"IBAN-valid {m.group()!r}")
    if "@" in text:
        notes.append("contains @")
    if phonelib is not None:
        for region in ("NL", "BE", "DE", "GB", "FR", "US"):
            for m in phonelib.PhoneNumberMatcher(text, region, leniency=phonelib.Leniency.VALID):
                notes.append(f"phone-valid in {region}: {m.raw_string!r}")
    for tok in re.findall(r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*", text):
        if tok.count(":") >= 2:
            try:
                ipaddress.IPv6Address(tok)
                notes.append(f"valid IPv6 syntax {tok!r}")
            except ValueError:
                pass
    return notes


def self_check(pii, looks, phonelib):
    problems = []
    texts = set()
    for i, c in enumerate(pii):
        where = f"pii.jsonl:{i + 1}"
        if c["lang"] not in ("nl", "en"):
            problems.append(f"{where}: lang {c['lang']!r}")
        if not c["pii"]:
            problems.append(f"{where}: no pii")
        for v in c["pii"]:
            if v not in c["text"]:
                problems.append(f"{where}: {v!r} is not a substring of the text")
        if c["text"] in texts:
            problems.append(f"{where}: duplicate text")
        texts.add(c["text"])
        checks = c.get("_checks")
        if checks is None:   # read back from a file: derive the kinds
            checks = [(c["class"] if c["class"] != "mixed" else guess_kind(v), v, c.get("region")) for v in c["pii"]]
        for kind, v, region in checks:
            if kind == "phone" and region and "," in region:
                region = None
            if kind == "phone" and region is None:
                region = c.get("region") if c.get("region") and "," not in c.get("region", "") else guess_region(v)
            check_value(kind, v, region, problems, where, phonelib)
    for i, c in enumerate(looks):
        where = f"lookalikes.jsonl:{i + 1}"
        if c["lang"] not in ("nl", "en"):
            problems.append(f"{where}: lang {c['lang']!r}")
        for v in c["keep"]:
            if v not in c["text"]:
                problems.append(f"{where}: {v!r} is not a substring of the text")
        if c["text"] in texts:
            problems.append(f"{where}: duplicate text")
        texts.add(c["text"])
    return problems


def guess_kind(v):
    f = fold(v)
    if deobfuscate_email(v) and ("@" in f or re.search(r"\bat\b|\[at\]|\(at\)|apen?staartje", f, re.I)):
        return "email"
    if re.fullmatch(r"[A-Za-z]{2}\d{2}[A-Za-z0-9 .\-]+", f):
        return "iban"
    if POSTCODE_RE.match(f):
        return "postcode"
    try:
        ipaddress.ip_address(f)
        return "ip"
    except ValueError:
        pass
    d = only_digits(v)
    if len(d) in (15, 16) and luhn_valid(d):
        return "card"
    if len(d) in (8, 9) and bsn_valid(d) and not f.startswith(("0", "+")):
        return "bsn"
    return "phone"


def guess_region(v):
    f = fold(v)
    for pre, reg in (("+31", "NL"), ("0031", "NL"), ("31", "NL"), ("+32", "BE"), ("0032", "BE"), ("+49", "DE"), ("0049", "DE"),
                     ("+44", "GB"), ("0044", "GB"), ("+33", "FR"), ("0033", "FR"), ("+1", "US")):
        if f.startswith(pre):
            return reg
    return "NL"


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def escape_invisible(line):
    out = []
    for ch in line:
        cat = unicodedata.category(ch)
        if (cat in ("Cf", "Zl", "Zp") or (cat == "Zs" and ch != " ")
                or ((cat == "Pd" or ch in EXTRA_DASHES) and ch != "-")):
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def dump(cases, key):
    lines = []
    for c in cases:
        obj = {"class": c["class"], "lang": c["lang"], "text": c["text"], key: c[key], "notation": c["notation"]}
        for extra in ("region", "field"):
            if extra in c:
                obj[extra] = c[extra]
        lines.append(escape_invisible(json.dumps(obj, ensure_ascii=False)))
    return "\n".join(lines) + "\n"


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def summary(pii, looks):
    from collections import Counter
    out = []
    cls = Counter(c["class"] for c in pii)
    uni = Counter(c["class"] for c in pii if c["notation"].startswith("unicode-"))
    out.append(f"pii.jsonl: {len(pii)} cases, {sum(len(c['pii']) for c in pii)} values")
    for k, n in sorted(cls.items()):
        out.append(f"  {k:10s} {n:4d}  (of which unicode variants: {uni.get(k, 0)})")
    out.append(f"  notations: {len({(c['class'], c['notation']) for c in pii})}")
    out.append(f"  lang: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(c['lang'] for c in pii).items())))
    out.append(f"  regions: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(c.get('region') for c in pii if c.get('region')).items())))
    lcls = Counter(c["class"] for c in looks)
    out.append(f"lookalikes.jsonl: {len(looks)} cases, {sum(len(c['keep']) for c in looks)} values")
    for k, n in sorted(lcls.items()):
        out.append(f"  {k:16s} {n:4d}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="check the files as they are, write nothing")
    ap.add_argument("--stdout", action="store_true", help="print both files instead of writing them")
    ap.add_argument("--scan", action="store_true", help="also list what a detector could mistake in the look-alikes")
    args = ap.parse_args()
    try:
        import phonenumbers as phonelib
    except ImportError:
        phonelib = None
        print("note: phonenumbers not installed; phone validity not checked", file=sys.stderr)

    pii_path = os.path.join(OUT_DIR, "pii.jsonl")
    look_path = os.path.join(OUT_DIR, "lookalikes.jsonl")
    if args.check:
        pii, looks = load(pii_path), load(look_path)
        fresh_pii, fresh_looks = pii_cases(), lookalike_cases()
        if dump(fresh_pii, "pii") != open(pii_path, encoding="utf-8").read() or \
                dump(fresh_looks, "keep") != open(look_path, encoding="utf-8").read():
            print("error: the files differ from what the generator makes; regenerate them", file=sys.stderr)
            sys.exit(1)
    else:
        pii, looks = pii_cases(), lookalike_cases()

    problems = self_check(pii, looks, phonelib)
    # The written form must read back to the same cases.
    for c, back in zip(pii, [json.loads(l) for l in dump(pii, "pii").splitlines()]):
        if back["text"] != c["text"] or back["pii"] != c["pii"]:
            problems.append(f"round trip changed {c['text']!r}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)
    if args.scan:
        for i, c in enumerate(looks):
            notes = scan_lookalike(c, phonelib)
            if notes:
                print(f"lookalikes.jsonl:{i + 1} [{c['notation']}] {c['text']!r}: {'; '.join(notes)}", file=sys.stderr)
    if args.stdout:
        sys.stdout.write(dump(pii, "pii"))
        sys.stdout.write(dump(looks, "keep"))
    elif not args.check:
        os.makedirs(OUT_DIR, exist_ok=True)
        with open(pii_path, "w", encoding="utf-8") as f:
            f.write(dump(pii, "pii"))
        with open(look_path, "w", encoding="utf-8") as f:
            f.write(dump(looks, "keep"))
    print(summary(pii, looks), file=sys.stderr)


if __name__ == "__main__":
    main()
