#!/usr/bin/env python3
"""Builds tests/corpus/peers/cases.jsonl: test cases taken from the test
suites of peer projects (python-stdnum, phonenumbers/libphonenumber,
Presidio, deduce, scrubadub), for the P4 classes anoniem handles: email,
phone, iban, bsn, card, postcode, ip.

Stdlib only, plus the two peer packages themselves, imported from their
unpacked sdists (pure Python, nothing to build): python-stdnum labels every
IBAN, BSN and postcode case, phonenumbers every phone case (real metadata).

Get the peers (pinned; see tests/corpus/peers/README.md for why three of
them come from their repositories: their PyPI sdists ship no tests):

    mkdir -p /tmp/peers && cd /tmp/peers
    pip download --no-deps --no-binary :all: -d dl python-stdnum==2.2 phonenumbers==9.0.43
    tar xzf dl/python_stdnum-2.2.tar.gz && tar xzf dl/phonenumbers-9.0.43.tar.gz
    git clone https://github.com/microsoft/presidio presidio
    git -C presidio checkout 0aa9f8e44275cb52c00fbbebe19168e934e1f076
    git clone https://github.com/vmenger/deduce deduce
    git -C deduce checkout 8ba9af648679237bf3565afdd3ce6a187895464e          # deduce 3.0.6
    git clone https://github.com/LeapBeyond/scrubadub scrubadub
    git -C scrubadub checkout 53772cbef417da290d25c95373031f786ab3b5c6       # scrubadub 2.0.1

    python3 tools/corpus/gen_peers.py --peers /tmp/peers            # write the file
    python3 tools/corpus/gen_peers.py --peers /tmp/peers --check    # compare only

Case format (one JSON object a line):
    {"source": "<project>:<file in the peer's tree>",
     "class": "email|phone|iban|bsn|card|postcode|ip",
     "text": "...",                   the peer's sentence, or a bare value in
                                      "contact: <value> graag"
     "pii": ["...", ...],             substrings that must be redacted
     "keep": ["...", ...],            substrings that must stay (the peer's
                                      negative cases that are no personal data
                                      by P4 either)
     "unscored": ["...", ...],        the peer's expectation and P4 disagree or
                                      P4 leaves it open: reported, not scored
     "note": "..."}                   why a case deviates from the peer's label
A case has at least one of pii/keep/unscored. A text holding values of two
classes appears once per class, each line with its own class's values.
Characters that cannot be seen are written as \\uXXXX escapes.
"""
import argparse
import ast
import glob
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "corpus", "peers", "cases.jsonl")

PINS = {
    "python-stdnum": "2.2",
    "phonenumbers": "9.0.43",
    "presidio": "0aa9f8e44275cb52c00fbbebe19168e934e1f076",
    "deduce": "8ba9af648679237bf3565afdd3ce6a187895464e",
    "scrubadub": "53772cbef417da290d25c95373031f786ab3b5c6",
}
BARE = "contact: {} graag"
REGIONS = ["NL", "BE", "DE", "GB", "FR", "US", "CA"]   # the local notations P4/README name
CLASSES = ["email", "phone", "iban", "bsn", "card", "postcode", "ip"]

stdnum = phonenumbers = None


# --------------------------------------------------------------------------
# Collecting cases
# --------------------------------------------------------------------------

class Corpus:
    def __init__(self):
        self.cases = []
        self.seen = {}
        self.problems = []

    def add(self, source, cls, text, pii=(), keep=(), unscored=(), note=None):
        assert cls in CLASSES, cls
        pii, keep, unscored = [list(dict.fromkeys(v for v in xs if v)) for xs in (pii, keep, unscored)]
        if not (pii or keep or unscored):
            return
        for v in pii + keep + unscored:
            if v not in text:
                self.problems.append(f"{source}: {v!r} is not in {text!r}")
        project = source.split(":")[0]
        key = (project, cls, text)
        if key in self.seen:
            if self.seen[key] != (pii, keep, unscored):
                self.problems.append(f"{source}: {text!r} comes twice with different values")
            return
        self.seen[key] = (pii, keep, unscored)
        case = {"source": source, "class": cls, "text": text}
        if pii:
            case["pii"] = pii
        if keep:
            case["keep"] = keep
        if unscored:
            case["unscored"] = unscored
        if note:
            case["note"] = note
        self.cases.append(case)

    def bare(self, source, cls, value, kind, note=None):
        """A peer case that is a value alone: embed it in a neutral sentence."""
        value = value.strip()
        self.add(source, cls, BARE.format(value), note=note, **{kind: [value]})


def is_bare(text):
    """A peer text that is only a value (no word of three or more letters
    besides the value's own tokens)."""
    return " " not in text.strip() or not re.search(r"(?<![A-Za-z0-9])[a-z]{3,}(?![A-Za-z0-9])", text)


def bare_or_sentence(c, source, cls, text, pii=(), keep=(), unscored=(), note=None):
    if is_bare(text) and text.strip() in list(pii) + list(keep) + list(unscored):
        kind = "pii" if pii else ("keep" if keep else "unscored")
        c.bare(source, cls, text, kind, note)
    else:
        c.add(source, cls, text, pii, keep, unscored, note)


# --------------------------------------------------------------------------
# Checks (labels come from the peers' own libraries where they have one)
# --------------------------------------------------------------------------

def digits(s):
    return re.sub(r"\D", "", s)


def luhn_ok(num):
    d = [int(x) for x in digits(num)]
    if len(d) < 2:
        return False
    total = 0
    for i, x in enumerate(reversed(d)):
        if i % 2:
            x *= 2
            if x > 9:
                x -= 9
        total += x
    return total % 10 == 0


def card_issuer(num):
    """The issuer whose range and length the digits fit (and Luhn passes),
    or None."""
    d = digits(num)
    n = len(d)
    if not luhn_ok(d):
        return None
    p = lambda *xs: any(d.startswith(x) for x in xs)
    i2, i4, i6 = int(d[:2] or 0), int(d[:4] or 0), int(d[:6] or 0)
    if p("4") and n in (13, 16, 19):
        return "Visa"
    if (51 <= i2 <= 55 or 2221 <= i4 <= 2720) and n == 16:
        return "Mastercard"
    if p("34", "37") and n == 15:
        return "Amex"
    if (300 <= int(d[:3]) <= 305 or p("36", "38", "39", "3095")) and 14 <= n <= 19:
        return "Diners"
    if (p("6011", "65") or 644 <= int(d[:3]) <= 649 or 622126 <= i6 <= 622925) and 16 <= n <= 19:
        return "Discover"
    if 3528 <= i4 <= 3589 and 16 <= n <= 19:
        return "JCB"
    if p("62") and 16 <= n <= 19:
        return "UnionPay"
    if (p("50") or 56 <= i2 <= 69) and 12 <= n <= 19:
        return "Maestro"
    if p("1") and n == 15:
        return "UATP"
    return None


def bsn_ok(num):
    d = digits(num)
    if len(d) == 8:
        d = "0" + d
    if len(d) != 9 or int(d) == 0:
        return False
    return (sum((9 - i) * int(x) for i, x in enumerate(d[:8])) - int(d[8])) % 11 == 0


def mod97_ok(num):
    s = re.sub(r"[^A-Za-z0-9]", "", num).upper()
    if len(s) < 5 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    r = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in r)) % 97 == 1


def iban_registry_length(cc):
    from stdnum import iban as siban
    info = siban._ibandb.info(cc.upper() + "00")
    if not info or not info[0][1]:
        return None
    bban = info[0][1].get("bban", "")
    return 4 + sum(int(n) for n in re.findall(r"(\d+)!", bban))


def iban_label(value, peer_ok=None):
    """(kind, note) for an IBAN-like value, by P4: mod-97 checked, any letter
    case, grouped with spaces, dashes or dots. peer_ok: the peer's verdict,
    for the note when P4 and the peer disagree."""
    from stdnum import iban as siban
    if siban.is_valid(value):
        if peer_ok is False:
            why = []
            if re.search(r"[a-z]", value):
                why.append("lower-case letters (P4: any letter case)")
            if re.match(r"[A-Za-z]\s+[A-Za-z]", value):
                why.append("a space inside the country code (README: grouped with spaces in any way)")
            return "pii", "the peer rejects it for " + (" and ".join(why) or "its notation") + \
                "; python-stdnum accepts it: an IBAN by P4"
        return "pii", None
    up = value.upper()
    if up != value and siban.is_valid(up):
        return "pii", "the peer rejects it for its lower-case letters; P4 and the README: any letter case"
    if siban.is_valid(up, check_country=False):
        return "pii", ("the peer rejects it on a country-specific check (national check digits or bank "
                       "code); mod-97, length and BBAN format pass: an IBAN by P4 (mod-97 checked)")
    compact = re.sub(r"[^A-Za-z0-9]", "", up)
    if mod97_ok(compact) and iban_registry_length(compact[:2]) == len(compact):
        if siban.is_valid(compact):
            return "unscored", ("mod-97 passes; written with separators P4 does not name "
                                "(the peer rejects it for them)")
        return "unscored", ("mod-97 and length pass but the BBAN format does not (a letter where the "
                            "registry has a digit or the reverse); the peer rejects it, P4 does not say")
    return "keep", None


PHONE_LABEL = re.compile(r"(?i)(?:\b(?:tel|telefoon\w*|telnr|mobiel\w*|mobile|gsm|whatsapp\w*|phone\w*|fax|bel|bellen|sms)"
                         r"(?:\s+(?:nr|nummer|no|number|num)\b\.?)?\s*[:#]?\s*)$")


def phone_valid_in(value, regions=REGIONS):
    """The first region in which libphonenumber (real metadata) finds the
    value a valid number, or None."""
    pn = phonenumbers
    d = digits(unicodedata.normalize("NFKC", value))
    for r in regions:
        # As a local notation only as people write one: with the trunk
        # prefix 0 (or 00 for abroad), or ten digits (eleven with a leading
        # 1) in North America. libphonenumber itself also takes a national
        # number without its prefix ("12345678" as Belgian), which nobody
        # reading a post would.
        if r in ("NL", "BE", "DE", "GB", "FR") and not d.startswith("0"):
            continue
        if r in ("US", "CA") and not (len(d) == 10 or (len(d) == 11 and d.startswith("1"))):
            continue
        try:
            n = pn.parse(value, r)
        except pn.NumberParseException:
            continue
        if pn.is_valid_number(n):
            return pn.region_code_for_number(n) or r
    return None


def plus_number(value):
    return value.lstrip().startswith(("+", "\uff0b"))


PEER_REGION = {"09-7625400": "an Israeli", "090-1234-5678": "a Japanese",
               "052 5552606": "an Israeli", "074-7111234": "an Israeli"}


def phone_label(value, text=None, peer_region=None):
    """(kind, note) for a phone value the peer expects to be found."""
    if plus_number(value):
        if phone_valid_in(value, ["ZZ"]):
            return "pii", None
        if len(digits(unicodedata.normalize("NFKC", value))) >= 8:
            return "pii", "not valid in libphonenumber's real metadata, but any '+' number is redacted (P4, README)"
        return "unscored", "a '+' number too short for any numbering plan"
    region = phone_valid_in(value)
    if region:
        if value in PEER_REGION:
            return "pii", "the peer means %s number; as written it is also a valid %s number" % (
                PEER_REGION[value], region)
        if peer_region and not phone_valid_in(value, [peer_region]):
            return "pii", "not a valid %s number, but as written a valid %s one (a phone by P4 either way)" % (
                peer_region, region)
        return "pii", None
    if text is not None:
        i = text.find(value)
        if i >= 0 and PHONE_LABEL.search(text[:i]):
            return "pii", "not valid in a region the README names, but attached to a phone label (fail closed)"
    return "unscored", ("not a valid number in the regions whose local notation the README names "
                        "(NL, BE, DE, GB, FR, US, CA); the peer finds it")


def lookalike_verdict(value, is_date=False):
    """For a number the peers use as something else (an ISBN, a VAT number,
    a date): 'keep', or 'unscored' with the reason when one of P4's own
    checks would take it for personal data after all. Dates always stay
    (the README: a date is no BSN and no phone number, whatever its digits)."""
    if is_date:
        return "keep", None
    v = unicodedata.normalize("NFKC", value)
    sepless = re.sub(r"(?<=\d)[ .\-/](?=\d)", "", v)
    why = []
    for m in re.finditer(r"(?<!\d)\d{8,9}(?!\d)", sepless):
        if bsn_ok(m.group(0)):
            why.append("holds %s, which passes the BSN 11-proof (unlabelled, P4 redacts it)" % m.group(0))
    for m in re.finditer(r"(?<!\d)\d{12,19}(?!\d)", sepless):
        if card_issuer(m.group(0)):
            why.append("holds %s, which passes Luhn in the %s range and length" % (m.group(0), card_issuer(m.group(0))))
    from stdnum import iban as siban
    if re.match(r"[A-Za-z]{2}\d{2}", re.sub(r"\W", "", v)) and siban.is_valid(re.sub(r"[^A-Za-z0-9]", "", v)):
        why.append("a valid IBAN as written")
    if re.fullmatch(r"[\d ().+\-/]+", v) and len(digits(v)) >= 7 and phone_valid_in(v):
        why.append("as written a valid %s phone number" % phone_valid_in(v))
    elif not re.fullmatch(r"[\d ().+\-/]+", v):
        # The number inside a code ("BE 0202.239.951"): a valid phone number as written?
        for m in re.finditer(r"(?<![\w.])\+?\d[\d .\-/]*\d(?![\w])", v):
            run = m.group(0)
            if len(digits(run)) >= 9 and phone_valid_in(run):
                why.append("holds %s, as written also a valid %s phone number" % (run, phone_valid_in(run)))
    return ("unscored", "; ".join(why)) if why else ("keep", None)


def lookalike_class(value):
    """The class whose detector a look-alike could fool, by its shape."""
    compact = re.sub(r"[^A-Za-z0-9]", "", value)
    if re.match(r"[A-Za-z]{2}", compact):
        return "iban"
    if compact.isdigit():
        n = len(compact)
        if n in (8, 9):
            return "bsn"
        if 12 <= n <= 19:
            return "card"
    return "phone"


def date_class(value):
    if re.search(r"\d{4}[\s-]*[A-Za-z]", value):
        return "postcode"            # four digits and a word: "2011 mei 17"
    if len(digits(value)) == 8 and re.fullmatch(r"\d{8}", value):
        return "bsn"
    return "phone"


def add_lookalike(c, source, value, what, text=None, cls=None):
    kind, why = lookalike_verdict(value, is_date=what.startswith("a date"))
    note = "a look-alike: %s" % what + ("; " + why if why else "")
    cls = cls or lookalike_class(value)
    if text is None:
        c.bare(source, cls, value, kind, note)
    else:
        c.add(source, cls, text, note=note, **{kind: [value]})


def strip_extension(value):
    return re.sub(r"(?i)[\s,;]*(?:x|ext\.?|ext:|extension|int\.|#|~)\s*\d{1,7}\s*$", "", value).strip()


# --------------------------------------------------------------------------
# A small evaluator for the literals in pytest.mark.parametrize lists
# --------------------------------------------------------------------------

def lit(node):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(lit(e) for e in node.elts)
    if isinstance(node, ast.JoinedStr):
        return "".join(lit(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return lit(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -lit(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return lit(node.left) + lit(node.right)
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "u":
        return lit(node.args[0])
    raise ValueError(ast.dump(node))


def parametrized(path):
    """(function name, argument names, rows) for each parametrize list."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and getattr(dec.func, "attr", "") == "parametrize":
                names = [n.strip() for n in lit(dec.args[0]).split(",")]
                yield node.name, names, [lit(r) for r in dec.args[1].elts]


def spans(text, positions):
    return [text[s:e] for s, e in positions]


# --------------------------------------------------------------------------
# Presidio
# --------------------------------------------------------------------------

def presidio(c, root):
    t = os.path.join(root, "presidio-analyzer", "tests")
    rel = lambda f: "presidio:presidio-analyzer/tests/" + f

    # Credit cards
    f = "test_credit_card_recognizer.py"
    for _, names, rows in parametrized(os.path.join(t, f)):
        for text, n, _scores, res in rows:
            if n:
                vals = spans(text, res)
                note = None
                if any(not d.startswith(("2", "3", "4", "5", "6")) for d in map(digits, vals)):
                    note = "prefix 1 (UATP): Luhn passes, the peer counts it a card"
                bare_or_sentence(c, rel(f), "card", text, pii=vals, note=note)
            else:
                vals = re.findall(r"\d[\d -]{10,}\d", text)
                if re.search(r"(?i)card", text):
                    c.add(rel(f), "card", text, unscored=vals,
                          note="Luhn fails, but the text calls it a card number: the label is not attached "
                               "by the README's rule ('is' between), fail-closed may still redact it")
                else:
                    bare_or_sentence(c, rel(f), "card", text, keep=vals)

    # E-mail
    f = "test_email_recognizer.py"
    for _, names, rows in parametrized(os.path.join(t, f)):
        for text, n, pos in rows:
            if n:
                bare_or_sentence(c, rel(f), "email", text, pii=spans(text, pos))
            elif "@" in text:
                c.add(rel(f), "email", text, keep=re.findall(r"\S+@\S*", text))
            else:
                c.add(rel(f), "email", text, keep=["hello-world"])

    # IBAN
    f = "test_iban_recognizer.py"
    for _, names, rows in parametrized(os.path.join(t, f)):
        if names[0] != "iban":
            continue
        for text, n, res in rows:
            if n:
                vals = spans(text, res)
                bare_or_sentence(c, rel(f), "iban", text, pii=vals)
                continue
            m = re.search(r"[A-Z]{1,2}\s?[A-Z]?\d[\dA-Za-z /-]{8,}[\dA-Za-z]", text)
            if "Peartree" in text:
                # No IBAN, but a North American phone number the peer does not look for.
                ph = re.search(r"\d{3}-\d{3}-\d{4}", text).group(0)
                kind, note = phone_label(ph)
                c.add(rel(f), "phone", text, **{kind: [ph]},
                      note="from the IBAN tests (no IBAN there); the US number in it is a phone by P4")
                c.add(rel(f), "iban", text, keep=["3843 Peartree Road"])
                continue
            value = m.group(0).strip() if m else text.strip()
            if text.strip().startswith(value) and re.fullmatch(r"[A-Za-z0-9 /-]+", text.strip()) and \
                    len(text.strip().split()) <= 10 and not re.search(r"[a-z]{3,}", text):
                value = text.strip()
            if "failed" in text:
                value = text.replace(" failed", "").strip()
            kind, note = iban_label(value, peer_ok=False)
            if value == text.strip():
                c.bare(rel(f), "iban", value, kind, note)
            else:
                c.add(rel(f), "iban", text, **{kind: [value]}, note=note)

    # IP addresses
    f = "test_ip_recognizer.py"
    glued = re.compile(r"^(?:IP|text|foo)(?=[0-9:])|(?<=[0-9])text$")
    for fn, names, rows in parametrized(os.path.join(t, f)):
        for row in rows:
            text, n, pos, scores = row
            text_s = text.strip()
            if n:
                if not pos:
                    pos = ((0, len(text)),)
                pii, unsc, notes = [], [], []
                for (s, e), (lo, hi) in zip(pos, scores if scores else [(0.6, 0.81)] * len(pos)):
                    v = text[s:e]
                    addr = re.sub(r"(%[A-Za-z0-9]+)?(/\d+)?$", "", v)
                    if not re.search(r"[0-9A-Fa-f]", addr.replace("::", "")) or (hi != "max" and hi <= 0.15):
                        unsc.append(v)
                        notes.append("the unspecified address '::' (the peer itself scores it 0.05-0.15)")
                    elif addr == "0.0.0.0":
                        unsc.append(v)
                        notes.append("the unspecified address 0.0.0.0 (IPv4's '::'): it names no host")
                    else:
                        if addr != v:
                            notes.append("the peer's span includes the prefix length or zone (/24, %eth0); "
                                         "only the address is scored")
                        pii.append(addr)
                note = "; ".join(dict.fromkeys(notes)) or None
                if text_s == "192.168.1.1.1":
                    c.bare(rel(f), "ip", text_s, "unscored",
                           "five dotted numbers: the peer finds the first four; reads as a version too")
                    continue
                bare_or_sentence(c, rel(f), "ip", text, pii=pii, unscored=unsc, note=note)
            else:
                if " " in text_s and fn != "test_when_invalid_ip_then_no_match":
                    value = text_s.split()[-1]
                    c.add(rel(f), "ip", text, keep=[value])
                elif glued.search(text_s):
                    c.bare(rel(f), "ip", text_s, "unscored",
                           "an address glued to letters: the peer finds none, P4 does not say")
                else:
                    c.bare(rel(f), "ip", text_s, "keep")

    # Phone numbers
    f = "test_phone_recognizer.py"
    for fn, names, rows in parametrized(os.path.join(t, f)):
        if "leniency" in names:
            by_text = {}
            for text, n, _ents, pos, _score, leniency in rows:
                by_text.setdefault(text, []).append((leniency, spans(text, pos)))
            for text, found in by_text.items():
                found.sort(reverse=True)          # strictest leniency first
                strict = found[0][1]
                pii, unsc, notes = [], [], []
                for _, vals in found:
                    for v in vals:
                        if v in pii or v in unsc:
                            continue
                        kind, note = phone_label(v, text) if v in strict or plus_number(v) else (
                            "unscored", "found only at the peer's more lenient matching")
                        if v not in strict and re.search(r"[A-Za-z]" + re.escape(v), text):
                            kind, note = "unscored", "glued to a word ('is415-...'): found only at the peer's most lenient matching"
                        elif v not in strict and not plus_number(v):
                            kind, note = "unscored", "a number with a stray prefix ('91-415-...'): found only at the peer's more lenient matching"
                        (pii if kind == "pii" else unsc).append(v)
                        if note:
                            notes.append(note)
                c.add(rel(f), "phone", text, pii=pii, unscored=unsc, note="; ".join(dict.fromkeys(notes)) or None)
            continue
        for row in rows:
            text, n, _ents, pos = row[:4]
            pii, unsc, notes = [], [], []
            for v in spans(text, pos):
                kind, note = phone_label(v, text)
                (pii if kind == "pii" else unsc).append(v)
                if note:
                    notes.append(note)
            c.add(rel(f), "phone", text, pii=pii, unscored=unsc, note="; ".join(dict.fromkeys(notes)) or None)

    # Dates: look-alikes that stay
    f = "test_date_recognizer.py"
    for fn, names, rows in parametrized(os.path.join(t, f)):
        if names[:2] != ["text", "expected_len"]:
            continue
        for row in rows:
            text, n, pos = row[:3]
            if not n:
                continue
            for v in spans(text, pos):
                add_lookalike(c, rel(f), v, "a date (the peer's date tests; P4 keeps dates)",
                              text=None if v == text else text, cls=date_class(v))

    # Context sentences (IP and phone only)
    f = "data/context_sentences_tests.txt"
    lines = [l.strip() for l in open(os.path.join(t, f), encoding="utf-8") if l.strip() and not l.startswith("#")]
    for ent, text in zip(lines[0::2], lines[1::2]):
        if ent == "IP_ADDRESS":
            c.add(rel(f), "ip", text, pii=re.findall(r"\d+\.\d+\.\d+\.\d+", text))
        elif ent == "PHONE_NUMBER":
            pii, unsc, notes = [], [], []
            vals = re.findall(r"\(\d{3}\) \d{3}-\d{4}|\d{3} \d{7}|\d{10}|\d{3}-\d{7}", text)
            for v in vals:
                kind, note = phone_label(v, text)
                (pii if kind == "pii" else unsc).append(v)
                if note:
                    notes.append(note)
            c.add(rel(f), "phone", text, pii=pii, unscored=unsc, note="; ".join(dict.fromkeys(notes)) or None)

    # The end-to-end demo text
    f = "e2e-tests/resources/demo.txt"
    demo = open(os.path.join(root, f), encoding="utf-8").read()
    src = "presidio:" + f
    spec = [
        ("My credit card number is 4095-2609-9393-4932 and my crypto wallet id is 16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ.",
         [("card", "pii", "4095-2609-9393-4932")]),
        ("On September 18 I visited microsoft.com and sent an email to test@presidio.site,  from IP 192.168.0.1.",
         [("email", "pii", "test@presidio.site"), ("ip", "pii", "192.168.0.1")]),
        ("My passport: 191280342 and my phone number: (212) 555-1234.",
         [("phone", "pii", "(212) 555-1234")]),
        ("This is a valid International Bank Account Number: IL150120690000003111111 . Can you please check the "
         "status on bank account 954567876544?",
         [("iban", None, "IL150120690000003111111"), ("iban", "pii", "954567876544")]),
        ("For more information see the Code of Conduct FAQ or contact opencode@microsoft.com with any additional "
         "questions or comments.", [("email", "pii", "opencode@microsoft.com")]),
    ]
    for text, vals in spec:
        if text not in demo:
            c.problems.append(f"{src}: text not found: {text[:40]!r}")
            continue
        by_cls = {}
        notes = {}
        for cls, kind, v in vals:
            if cls == "iban" and kind is None:
                kind, note = iban_label(v)
                if note:
                    notes[cls] = note
            if v == "954567876544":
                notes[cls] = ("a bank account number attached to 'account' (an iban label in "
                              "[context.personal]): redacted whatever its checksum says")
            by_cls.setdefault(cls, {}).setdefault(kind, []).append(v)
        for cls, kinds in by_cls.items():
            c.add(src, cls, text, note=notes.get(cls), **kinds)
        if "191280342" in text and bsn_ok("191280342"):
            c.add(src, "bsn", text, pii=["191280342"],
                  note="a passport number in the peer; it passes the 11-proof, so an unlabelled BSN by P4")


# --------------------------------------------------------------------------
# deduce
# --------------------------------------------------------------------------

def deduce(c, root):
    d = os.path.join(root, "tests", "data", "regression_cases")
    src = lambda f: "deduce:tests/" + f

    f = "data/regression_cases/emails.json"
    for ex in json.load(open(os.path.join(d, "emails.json")))["examples"]:
        vals = [a["text"] for a in ex["annotations"]]
        bare_or_sentence(c, src(f), "email", ex["text"], pii=vals)
    f = "data/regression_cases/urls.json"
    for ex in json.load(open(os.path.join(d, "urls.json")))["examples"]:
        if "@" in ex["text"]:
            c.bare(src(f), "email", ex["text"], "pii")

    f = "data/regression_cases/phone_numbers.json"
    for ex in json.load(open(os.path.join(d, "phone_numbers.json")))["examples"]:
        text = ex["text"]
        vals = [a["text"] for a in ex["annotations"]]
        if not vals:
            bare_or_sentence(c, src(f), "phone", text, keep=[text.strip()])
            continue
        for v in vals:
            kind, note = phone_label(v, peer_region="NL")
            if digits(v) == "046555555":
                kind, note = "pii", ("a 3-digit area code with a 6-digit subscriber number (9 digits, one short): "
                                     "issue 7 names this notation as personal data")
            elif kind != "pii":
                note = "deduce's lenient pattern finds it; not a valid Dutch number (" + (
                    "one digit too many" if len(digits(v)) > 10 else "one digit short" if len(digits(v)) < 10
                    else "no such area code") + ")"
            bare_or_sentence(c, src(f), "phone", text, **{kind: [v]}, note=note)

    f = "data/regression_cases/dates.json"
    for ex in json.load(open(os.path.join(d, "dates.json")))["examples"]:
        text = ex["text"]
        add_lookalike(c, src(f), text, "a date (the peer's date tests; P4 keeps dates)", cls=date_class(text))

    f = "data/regression_cases/identifiers.json"
    for ex in json.load(open(os.path.join(d, "identifiers.json")))["examples"]:
        text = ex["text"]
        tags = {a["tag"] for a in ex["annotations"]}
        num = re.search(r"\d[\d ]*\d", text).group(0)
        if "bsn" in tags or bsn_ok(num):
            bare_or_sentence(c, src(f), "bsn", text, pii=[num])
        elif re.search(r"(?i)\bbsn\b", text):
            c.add(src(f), "bsn", text, pii=[num],
                  note="fails the 11-proof (the peer tags it an id, not a BSN), but attached to the label "
                       "'bsn': redacted whatever its checksum says (README)")
        else:
            bare_or_sentence(c, src(f), "bsn", text, keep=[num])

    f = "data/regression_cases/locations.json"
    for ex in json.load(open(os.path.join(d, "locations.json")))["examples"]:
        text = ex["text"]
        if not re.fullmatch(r"\d{4} ?[A-Za-z]{2}", text):
            continue
        if ex["annotations"]:
            c.bare(src(f), "postcode", text, "pii")
        elif text[5:].islower() and text[-2:].lower() == "aa":
            c.bare(src(f), "postcode", text, "pii",
                   "the peer skips a lower-case postcode with a space; P4 and the README: any letter case")
        elif text[-2:].islower():
            c.bare(src(f), "postcode", text, "keep")
        else:
            c.bare(src(f), "postcode", text, "unscored",
                   "the peer never takes 'MG' (a dose: 1250 mg); in capitals P4 does not say")

    # Sentences in the unit and pipeline tests
    specs = {
        "unit/test_annotator.py": [
            ("Geldige voorbeelden zijn: 111222333 en 123456782. Patientnummer is 01234, en ander id 01234567890.",
             {"bsn": {"pii": ["111222333", "123456782"], "unscored": ["01234567890"],
                      "note": "'ander id 01234567890' is no BSN (the peer: an id); as written it is also a valid "
                              "British number (01234 567890), so P4's British local notation may take it"}}),
            ("Telefoonnummers zijn 0314-555555, (088 755 55 55) of (06)55555555, maar 065555 is te kort en "
             "065555555555 is te lang. Verwijsnummer is 0800-9003.",
             {"phone": {"pii": ["0314-555555", "088 755 55 55", "(06)55555555", "0800-9003"],
                        "keep": ["065555"], "unscored": ["065555555555"],
                        "note": "'065555555555 is te lang': a Dutch mobile with two digits too many (the peer "
                                "skips it); as written it is also a valid German number"}}),
            ("1234.56.782", {"bsn": {"pii": ["1234.56.782"]}}),
        ],
        "pipeline/test_deduce.py": [
            ("betreft: Jan Jansen, bsn 111222333, patnr 000334433. De patient J. Jansen is 64 jaar oud en woonachtig "
             "in Utrecht. Hij werd op 10 oktober 2018 door arts Peter de Visser ontslagen van de kliniek van het UMCU. "
             "Voor nazorg kan hij worden bereikt via j.JNSEN.123@gmail.com of (06)12345678.",
             {"bsn": {"pii": ["111222333"], "keep": ["000334433"]},
              "email": {"pii": ["j.JNSEN.123@gmail.com"]},
              "phone": {"pii": ["(06)12345678"]}}),
        ],
    }
    for f, items in specs.items():
        body = open(os.path.join(root, "tests", f), encoding="utf-8").read()
        flat = re.sub(r'"\s*\n\s*"', "", body)
        for text, by_cls in items:
            if text not in flat:
                c.problems.append(f"deduce:{f}: text not found: {text[:40]!r}")
                continue
            for cls, kinds in by_cls.items():
                kinds = dict(kinds)
                note = kinds.pop("note", None)
                if text == "1234.56.782":
                    c.bare(src(f), cls, text, "pii")
                else:
                    c.add(src(f), cls, text, note=note, **kinds)


# --------------------------------------------------------------------------
# scrubadub
# --------------------------------------------------------------------------

SCRUB_TYPES = {"EMAIL": "email", "PHONE": "phone", "CREDIT_CARD": "card"}


def scrubadub(c, root):
    t = os.path.join(root, "tests")
    for path in sorted(glob.glob(os.path.join(t, "test_*.py"))):
        f = os.path.basename(path)
        src = "scrubadub:tests/" + f
        body = open(path, encoding="utf-8").read()
        for m in re.finditer(r"BEFORE:\s*(.*?)\n\s*AFTER:\s*(.*?)\n", body):
            before, after = m.group(1).strip(), m.group(2).strip()
            if "%s" in before:
                continue
            parts = re.split(r"\{\{([A-Z_]+)(?:-\d+)?\}\}", after)
            if len(parts) == 1:
                continue
            pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts))
            mm = re.fullmatch(pattern, before)
            if not mm:
                c.problems.append(f"{src}: cannot align {before!r} / {after!r}")
                continue
            by_cls = {}
            for typ, val in zip(parts[1::2], mm.groups()):
                cls = SCRUB_TYPES.get(typ)
                if cls:
                    by_cls.setdefault(cls, []).append(val)
            for cls, vals in by_cls.items():
                note = None
                if cls == "email" and any(" at " in v for v in vals):
                    note = "obfuscated 'x at gmail.com' (gmail is in mail_domains)"
                c.add(src, cls, before, pii=vals, note=note)

    # Phone numbers checked through a docstring template
    f = "test_detector_phone_numbers.py"
    src = "scrubadub:tests/" + f
    tree = ast.parse(open(os.path.join(t, f), encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "check_phone_numbers":
            for a in node.args:
                num = lit(a)
                text = "My phone number is %s" % num
                v = strip_extension(num)
                kind, note = phone_label(v, text)
                if v != num:
                    note = ((note + "; ") if note else "") + "the extension is part of the peer's span; only the number is scored"
                c.add(src, "phone", text, **{kind: [v]}, note=note)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "clean" and node.args:
            try:
                text = lit(node.args[0])
            except ValueError:
                continue
            if isinstance(text, str) and "312.714.8142" in text:
                c.add(src, "phone", text, pii=re.findall(r"\d{3}\.\d{3}\.\d{4}", text))

    # Sentences in the API, scrubber and locale tests and the example document
    specs = [
        ("test_api.py", "This is a test message for example@exampe.com", {"email": ["example@exampe.com"]}),
        ("test_api.py", "Hello @Jane call me on +33 4 41 26 62 36.", {"phone": ["+33 4 41 26 62 36"]}),
        ("test_api.py", "My cat can be contacted on example@example.com, or 1800 555-5555",
         {"email": ["example@example.com"], "phone": ["1800 555-5555"]}),
        ("test_scrubbers.py", "Alan can be reached by email alan@example.com or phone +1.312.456.6421",
         {"email": ["alan@example.com"], "phone": ["+1.312.456.6421"]}),
        ("test_scrubbers.py", "hello jane@example.com", {"email": ["jane@example.com"]}),
        ("test_scrubbers.py", "shark sent example@example.com a complaint", {"email": ["example@example.com"]}),
        ("test_scrubbers.py", "hello from example@example.com", {"email": ["example@example.com"]}),
        ("test_detector_credentials.py", "username: joe@example.com\npassword moi", {"email": ["joe@example.com"]}),
        ("test_locale.py", "Localisation is important for phone numbers '(0121) 496 0852'", {"phone": ["(0121) 496 0852"]}),
        ("example_real_data/document.txt",
         "or an example phone number 0775 2212 211 and email address mike@example.com, even if it is wildly "
         "capitalised MiKe@ExAmPlE.Com.",
         {"phone": ["0775 2212 211"], "email": ["mike@example.com", "MiKe@ExAmPlE.Com"]}),
    ]
    for f, text, by_cls in specs:
        body = open(os.path.join(t, f), encoding="utf-8").read()
        body = re.sub(r'"\s*\n\s*"', "", body)          # join literals split over lines
        probe = text.replace("\n", "\\n")
        if text not in body and probe not in body:
            c.problems.append(f"scrubadub:tests/{f}: text not found: {text[:40]!r}")
            continue
        for cls, vals in by_cls.items():
            notes = []
            pii, unsc = [], []
            for v in vals:
                kind, note = phone_label(v, text) if cls == "phone" else ("pii", None)
                (pii if kind == "pii" else unsc).append(v)
                if note:
                    notes.append(note)
            c.add("scrubadub:tests/" + f, cls, text, pii=pii, unscored=unsc, note="; ".join(notes) or None)
    c.bare("scrubadub:tests/test_detector.py", "email", "example@example.com", "pii")

    # Postal codes: the British detector's negative cases (numbers that are no postcode)
    f = "test_detector_postal_codes.py"
    tree = ast.parse(open(os.path.join(t, f), encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "to_test":
            for code, result in lit(node.value):
                if not result and len(digits(code)) >= 4:
                    c.add("scrubadub:tests/" + f, "postcode", "this is a {} test string".format(code), keep=[code],
                          note="a US ZIP+4 with a long suffix; its ten digits would also make a North American "
                               "number, but not grouped 5-5" if len(digits(code)) == 10 else None)


# --------------------------------------------------------------------------
# python-stdnum
# --------------------------------------------------------------------------

def doctest_values(text):
    """(function, argument, valid?) for the validate/is_valid calls in a
    doctest text, and (None, line, None) for the lines of numbers blocks
    with the verdict of the test that follows the block."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        m = re.match(r">>> (?:[\w.]+\.)?(validate|is_valid)\('([^']*)'(?:,\s*[^)]*)?\)", line)
        if m:
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if m.group(1) == "validate":
                ok = not nxt.startswith("Traceback")
            else:
                ok = nxt == "True"
            extra = "check_country=False" in line or "alphabet=" in line
            if not extra:
                out.append((m.group(2), ok))
        if line.startswith(">>> numbers = '''"):
            block = []
            i += 1
            while not lines[i].strip().startswith("... '''"):
                v = lines[i].strip()[4:] if lines[i].strip().startswith("... ") else ""
                if v:
                    block.append(v)
                i += 1
            # The verdict: the next list comprehension with "not ...is_valid" lists the invalid ones.
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(">>> ["):
                j += 1
            test = lines[j] if j < len(lines) else ""
            expect_valid = " not " in test and "check_country=False" not in test
            for v in block:
                out.append((v, expect_valid))
        i += 1
    return out


def module_doc(path):
    tree = ast.parse(open(path, encoding="utf-8").read())
    return ast.get_docstring(tree, clean=False) or ""


LOOKALIKES_PER_FILE = 40
LOOKALIKE_FILES = [
    ("stdnum/ean.py", "an EAN/GTIN article number", None),
    ("tests/test_ean.doctest", "an EAN/GTIN article number", None),
    ("stdnum/isbn.py", "an ISBN", None),
    ("tests/test_isbn.doctest", "an ISBN", None),
    ("stdnum/ismn.py", "an ISMN (printed music)", None),
    ("tests/test_ismn.doctest", "an ISMN (printed music)", None),
    ("stdnum/issn.py", "an ISSN (periodical)", None),
    ("stdnum/iso11649.py", "an ISO 11649 creditor reference (RF...)", None),
    ("tests/test_iso11649.doctest", "an ISO 11649 creditor reference (RF...)", None),
    ("stdnum/isin.py", "an ISIN (security)", None),
    ("tests/test_isin.doctest", "an ISIN (security)", None),
    ("stdnum/iso6346.py", "an ISO 6346 container code", None),
    ("tests/test_iso6346.doctest", "an ISO 6346 container code", None),
    ("stdnum/lei.py", "an LEI (legal entity)", None),
    ("tests/test_lei.doctest", "an LEI (legal entity)", None),
    ("stdnum/nl/btw.py", "a Dutch VAT number (btw-id)", None),
    ("stdnum/be/vat.py", "a Belgian company (VAT) number", None),
    ("tests/test_be_vat.doctest", "a Belgian company (VAT) number", None),
    ("tests/test_eu_vat.doctest", "a Dutch or Belgian VAT number", r"(?i)(NL|BE)"),
    ("stdnum/fr/siret.py", "a French company number (SIRET)", None),
    ("tests/test_fr_siret.doctest", "a French company number (SIRET)", None),
]


def stdnum_cases(c, root):
    from stdnum import luhn
    from stdnum.nl import bsn as nlbsn, postcode as nlpc

    def read(rel):
        p = os.path.join(root, rel)
        return module_doc(p) if rel.endswith(".py") else open(p, encoding="utf-8").read()

    # IBAN (generic and Belgian): label each with stdnum and P4
    for rel in ["stdnum/iban.py", "tests/test_iban.doctest", "stdnum/be/iban.py", "tests/test_be_iban.doctest"]:
        src = "python-stdnum:" + rel
        for v, peer_ok in doctest_values(read(rel)):
            v = re.split(r"\s{2,}", v.strip())[0]          # drop the BIC column of test_be_iban
            if not re.match(r"[A-Za-z]{2}", v) or len(re.sub(r"\W", "", v)) < 8:
                continue                                    # '0001' and such: no IBAN shape at all
            kind, note = iban_label(v, peer_ok)
            c.bare(src, "iban", v, kind, note)

    # BSN
    rel = "stdnum/nl/bsn.py"
    for v, _ in doctest_values(read(rel)):
        c.bare("python-stdnum:" + rel, "bsn", v, "pii" if nlbsn.is_valid(v) else "keep")

    # Dutch postcode
    rel = "stdnum/nl/postcode.py"
    for v, _ in doctest_values(read(rel)):
        if nlpc.is_valid(v):
            c.bare("python-stdnum:" + rel, "postcode", v, "pii")
        else:
            note = "no such postcode: the letter pairs SA, SD and SS are not issued" if re.search(r"\bS[ADS]$", v) else None
            c.bare("python-stdnum:" + rel, "postcode", v, "keep", note)

    # Luhn: numbers that are no card (too short, too long, or failing)
    for rel in ["stdnum/luhn.py", "tests/test_luhn.doctest"]:
        for v, _ in doctest_values(read(rel)):
            d = digits(v)
            if d != v or len(d) < 7:
                continue
            if 13 <= len(d) <= 19 and luhn.is_valid(d) and not card_issuer(d):
                c.bare("python-stdnum:" + rel, "card", v, "unscored",
                       "Luhn passes, %d digits with a %s prefix but no card length of that issuer "
                       "(an IMEI: 49-015420-323751-8); P4 does not say" % (len(d), d[0]))
            else:
                c.bare("python-stdnum:" + rel, "card", v, "keep")

    # Numbers of other kinds (article and book numbers, company VAT and
    # registration numbers, payment references, securities, containers):
    # the look-alikes P4 keeps. Valid and invalid ones alike; at most
    # LOOKALIKES_PER_FILE from one file, spread evenly over it.
    for rel, what, pick in LOOKALIKE_FILES:
        if not os.path.exists(os.path.join(root, rel)):
            c.problems.append(f"python-stdnum: {rel} is missing")
            continue
        vals = []
        for v, _ok in doctest_values(read(rel)):
            v = v.strip()
            if pick and not re.match(pick, v):
                continue
            if len(re.sub(r"[^A-Za-z0-9]", "", v)) < 8 or v in vals:
                continue
            vals.append(v)
        if len(vals) > LOOKALIKES_PER_FILE:
            step = len(vals) / LOOKALIKES_PER_FILE
            vals = [vals[int(i * step)] for i in range(LOOKALIKES_PER_FILE)]
        for v in vals:
            add_lookalike(c, "python-stdnum:" + rel, v, what)


# --------------------------------------------------------------------------
# phonenumbers (libphonenumber)
# --------------------------------------------------------------------------

# The textual contexts of PhoneNumberMatcherTest.findPossibleInContext and
# testMatchesWithSurroundingPunctuation, without the ones that glue a number
# to letters (found only at POSSIBLE leniency) or leave it bare. The numbers
# inside them (dates, pages, times, prices) are look-alikes that stay.
CONTEXTS = [
    ("Hello ", ""),
    ("", " to call me!"),
    ("Hi there, call ", " to reach me!"),
    ("Hi there, call ", ", or don't"),
    ("It's cheap! Call ", " before 6:30"),
    ("Call ", " or +1800-123-4567!"),
    ("As quoted by Alfonso 12-15 (2009), you may call me at ", ""),
    ("As quoted by Alfonso et al. 12-15 (2009), you may call me at ", ""),
    ("As I said on 03/10/2011, you may call me at ", ""),
    ("", ", 45 days a year"),
    ("", ";x 7246433"),
    ("Call ", "/x12 more"),
    ("My number-", ""),
    ("", ".Nice day."),
    ("Tel:", "."),
    ("Tel: ", " on Saturdays."),
    ("$20 ", ""),
    ("", " 100$"),
]
CONTEXT_KEEPS = ["6:30", "12-15 (2009)", "03/10/2011", "45 days", "7246433", "$20", "100$"]


def in_context(i, number):
    lead, trail = CONTEXTS[i % len(CONTEXTS)]
    text = lead + number + trail
    keep = [k for k in CONTEXT_KEEPS if k in lead + trail]
    extra = ["+1800-123-4567"] if "+1800-123-4567" in trail else []
    return text, keep, extra


def _type_name(typ):
    T = phonenumbers.PhoneNumberType
    return {v: k for k, v in vars(T).items() if k.isupper() and isinstance(v, int)}.get(typ, str(typ))


def phone_cases(c, root):
    pn = phonenumbers
    T, F = pn.PhoneNumberType, pn.PhoneNumberFormat
    src_meta = "phonenumbers:phonenumbers/data (example numbers) in tests/phonenumbermatchertest.py contexts"
    types = [T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.SHARED_COST, T.VOIP,
             T.PERSONAL_NUMBER, T.PAGER, T.UAN, T.VOICEMAIL]
    k = 0
    for region in REGIONS:
        for typ in types:
            n = pn.example_number_for_type(region, typ)
            if n is None:
                continue
            for fmt in (F.NATIONAL, F.INTERNATIONAL, F.E164, F.RFC3966):
                s = pn.format_number(n, fmt)
                text, keep, extra = in_context(k, s)
                k += 1
                # tel:+31-10-123-4567: the number is the personal data, not the scheme
                value = s[4:] if s.startswith("tel:") else s
                note = None
                kind = "pii"
                if fmt == F.NATIONAL and len(digits(s)) < 9 and not s.startswith("0"):
                    kind = "unscored"
                    note = ("%s %s written nationally with %d digits (%s): no prefix a reader knows as a phone number"
                            % (region, _type_name(typ), len(digits(s)), s))
                if extra:
                    note = ((note + "; ") if note else "") + "'+1800-123-4567' in the peer's context: any '+' number (P4)"
                kinds = {kind: [value] + extra} if kind == "pii" else {kind: [value], "pii": extra}
                c.add(src_meta, "phone", text, keep=keep, note=note, **kinds)
        inv = pn.invalid_example_number(region)
        if inv is not None:
            nat = pn.format_number(inv, F.NATIONAL)
            c.bare("phonenumbers:phonenumbers/phonenumberutil.py (invalid_example_number)", "phone", nat, "keep")
            e164 = pn.format_number(inv, F.E164)
            kind, note = phone_label(e164)
            c.bare("phonenumbers:phonenumbers/phonenumberutil.py (invalid_example_number)", "phone", e164, kind,
                   note or "invalid in libphonenumber")

    # The matcher tests
    f = "tests/phonenumbermatchertest.py"
    src = "phonenumbers:" + f
    body = open(os.path.join(root, f), encoding="utf-8").read()
    tree = ast.parse(body)
    lists = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            name = node.targets[0].id
            items = []
            for e in node.value.elts:
                if isinstance(e, ast.Call) and getattr(e.func, "id", "") == "NumberTest":
                    items.append((lit(e.args[0]), lit(e.args[1])))
            lists[name] = items
    # Strings libphonenumber never takes for a number: look-alikes.
    for s, region in lists["IMPOSSIBLE_CASES"]:
        s = s.replace("&nbsp;", " ")
        if "+" in s:
            c.bare(src, "phone", s, "unscored", "digits joined by '+': the peer finds no number")
        else:
            c.bare(src, "phone", s, "keep")
    odd = {"12 7/8 - 14 12/34 - 5", "12.1 - 23.71 - 23.45", "1979-2011 100", "2012-0102 08", "2012-01-02 08",
           "9002309. 158", "800 234 1 111x1111", "65 02 53 00 00", "650//253-1234", "650 x 253 - 1234",
           "1650 x 253 - 1234", "6502531x234"}
    for s, region in lists["POSSIBLE_ONLY_CASES"]:
        c.bare(src, "phone", s, "unscored",
               "the peer finds it only at POSSIBLE leniency (not a valid number to libphonenumber either)")
    finds = []
    for name in ["EXACT_GROUPING_CASES", "STRICT_GROUPING_CASES", "VALID_CASES"]:
        finds += lists[name]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "doTestFindInContext":
            finds.append((lit(node.args[0]), lit(node.args[1])))
    for i, (s, region) in enumerate(finds):
        if s in odd:
            c.bare(src, "phone", s, "unscored",
                   "libphonenumber's test of lenient matching (test metadata); reads as dates, decimals or counts")
            continue
        if not plus_number(s) and region not in REGIONS:
            continue            # a local notation of a region P4 does not name (NZ, AR, MX, PL, IT, SG, AU)
        v = strip_extension(s)
        text, keep, extra = in_context(i, s)
        kind, note = phone_label(v, text)
        if kind == "pii" and region == "DE" and not plus_number(v) and len(digits(v)) < 9:
            kind, note = "unscored", ("a short number from libphonenumber's test metadata; the real German plan "
                                      "takes almost any 0-prefixed string of 5 or more digits, P4 does not")
        if kind != "pii" and not plus_number(v):
            note = "valid only in libphonenumber's test metadata, not in the real %s plan" % region
            if region == "US" and digits(v).startswith("011"):
                note = ("dialled with the North American exit code 011 (a New Zealand number behind it); "
                        "P4 does not name exit codes other than 00")
        if v != s:
            note = ((note + "; ") if note else "") + "the extension is part of the peer's match; only the number is scored"
        if extra:
            note = ((note + "; ") if note else "") + "'+1800-123-4567' in the peer's context: any '+' number (P4)"
        kinds = {kind: [v]}
        kinds.setdefault("pii", []).extend(extra)
        c.add(src, "phone", text, keep=keep, note=note, **kinds)

    # Whole texts from the matcher tests
    texts = [
        ("415-666-7777 - 800-443-1223 - 212-443-1223 - 650-443-1223", None),
        ("(415) 666-7777 (800) 443-1223", None),
        ("My address is CA 34215 - 415-666-7777 is my number.", "34215"),
        ("My number is (415) 666 7777. 34215 is my zip-code.", "34215"),
        ("Call 650-253-4561 -- 455-234-3451", None),
    ]
    for text, keep in texts:
        vals = re.findall(r"\(?\d{3}\)?[ -]\d{3}[ -]\d{4}", text)
        pii, unsc, notes = [], [], []
        for v in vals:
            kind, note = phone_label(v, text)
            (pii if kind == "pii" else unsc).append(v)
            if note:
                notes.append(note)
        c.add(src, "phone", text, pii=pii, keep=[keep] if keep else [], unscored=unsc,
              note="; ".join(dict.fromkeys(notes)) or None)
    c.add(src, "phone", "Call 650-253-4561--455-234-3451", unscored=["650-253-4561", "455-234-3451"],
          note="two numbers joined by '--': the peer finds neither")
    c.add(src, "phone", "80.585 [79.964, 81.191]", keep=["80.585", "79.964, 81.191"])
    # Surrounding letters and punctuation the peer accepts (valid contexts)
    for lead, trail in [("abc", ""), ("\u00c9", ""), ("\u00c9", "."), ("\u00c9", " def")]:
        for num in ("+14156667777", "(415)6667777"):
            c.add(src, "phone", lead + num + trail, pii=[num])
    for lead, trail in [("\u6211\u7684\u7535\u8bdd\u53f7\u7801\u662f", ""),
                        ("", "\u662f\u6211\u7684\u7535\u8bdd\u53f7\u7801"),
                        ("\u8bf7\u62e8\u6253", "\u6211\u5728\u660e\u5929")]:
        c.add(src, "phone", lead + "415-666-7777" + trail, pii=["415-666-7777"])


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def escape_invisible(s):
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if ch != " " and (cat in ("Cf", "Cc", "Zs", "Zl", "Zp") or ch in "\u2028\u2029"):
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def dump(cases):
    lines = []
    for case in cases:
        line = json.dumps(case, ensure_ascii=False)
        # json.dumps already escaped control characters; escape the other invisible ones.
        lines.append(escape_invisible(line))
    return "\n".join(lines) + "\n"


def summary(cases):
    from collections import Counter
    cnt = Counter()
    for case in cases:
        proj = case["source"].split(":")[0]
        for kind in ("pii", "keep", "unscored"):
            cnt[(proj, case["class"], kind)] += len(case.get(kind, []))
    projs = sorted({k[0] for k in cnt})
    rows = [f"{len(cases)} cases"]
    for p in projs:
        parts = []
        for cl in CLASSES:
            v = [cnt[(p, cl, k)] for k in ("pii", "keep", "unscored")]
            if any(v):
                parts.append(f"{cl} {v[0]}/{v[1]}/{v[2]}")
        rows.append(f"  {p}: " + ", ".join(parts) + "   (pii/keep/unscored values)")
    return "\n".join(rows)


def scan_keeps(cases):
    """Keep values that another class's check would take for personal data:
    printed so a person decides (they are look-alikes on purpose, or the
    label is wrong)."""
    out = []
    for case in cases:
        if case.get("note"):
            continue                  # already looked at: the note says why it stays
        for v in case.get("keep", []):
            d = digits(unicodedata.normalize("NFKC", v))
            why = []
            if re.fullmatch(r"[\d .-]+", v) and len(d) in (8, 9) and bsn_ok(d):
                why.append("passes the BSN 11-proof")
            if re.fullmatch(r"[\d .-]+", v) and card_issuer(d):
                why.append("passes Luhn in the %s range" % card_issuer(d))
            if len(d) >= 7 and re.fullmatch(r"[\d ().+-]+", v) and phone_valid_in(v):
                why.append("a valid %s phone number" % phone_valid_in(v))
            if why:
                out.append("keep %r in %r (%s): %s" % (v, case["text"], case["source"], ", ".join(why)))
    return out


def main():
    global stdnum, phonenumbers
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peers", required=True, help="the folder holding the unpacked peers (see above)")
    ap.add_argument("--check", action="store_true", help="compare with the file, write nothing")
    ap.add_argument("--stdout", action="store_true", help="print instead of writing")
    args = ap.parse_args()
    P = os.path.abspath(args.peers)
    roots = {
        "python-stdnum": os.path.join(P, "python_stdnum-" + PINS["python-stdnum"]),
        "phonenumbers": os.path.join(P, "phonenumbers-" + PINS["phonenumbers"]),
        "presidio": os.path.join(P, "presidio"),
        "deduce": os.path.join(P, "deduce"),
        "scrubadub": os.path.join(P, "scrubadub"),
    }
    for name, path in roots.items():
        if not os.path.isdir(path):
            sys.exit(f"error: {name} not found at {path} (see the docstring for how to get it)")
    sys.path[:0] = [roots["python-stdnum"], roots["phonenumbers"]]
    import stdnum as _stdnum
    import phonenumbers as _pn
    stdnum, phonenumbers = _stdnum, _pn
    if stdnum.__version__ != PINS["python-stdnum"] or phonenumbers.__version__ != PINS["phonenumbers"]:
        sys.exit(f"error: expected python-stdnum {PINS['python-stdnum']} and phonenumbers {PINS['phonenumbers']}, "
                 f"found {stdnum.__version__} and {phonenumbers.__version__}")
    for name in ("presidio", "deduce", "scrubadub"):
        head = os.path.join(roots[name], ".git")
        if os.path.exists(head):
            import subprocess
            rev = subprocess.run(["git", "-C", roots[name], "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
            if rev != PINS[name]:
                print(f"warning: {name} is at {rev}, the corpus was made from {PINS[name]}", file=sys.stderr)

    c = Corpus()
    stdnum_cases(c, roots["python-stdnum"])
    phone_cases(c, roots["phonenumbers"])
    presidio(c, roots["presidio"])
    deduce(c, roots["deduce"])
    scrubadub(c, roots["scrubadub"])
    if c.problems:
        print("\n".join(c.problems), file=sys.stderr)
        sys.exit(f"{len(c.problems)} problem(s)")
    for w in scan_keeps(c.cases):
        print("note: " + w, file=sys.stderr)
    text = dump(c.cases)
    for line, case in zip(text.splitlines(), c.cases):
        if json.loads(line) != case:
            sys.exit(f"error: round trip changed {case['text']!r}")
    if args.stdout:
        sys.stdout.write(text)
    elif args.check:
        if not os.path.exists(OUT) or open(OUT, encoding="utf-8").read() != text:
            sys.exit("error: cases.jsonl differs from what the generator makes; regenerate it")
    else:
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        with open(OUT, "w", encoding="utf-8") as fh:
            fh.write(text)
    print(summary(c.cases), file=sys.stderr)


if __name__ == "__main__":
    main()
