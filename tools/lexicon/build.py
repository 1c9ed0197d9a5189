#!/usr/bin/env python3
"""Builds the person-name lexicons in rules/lists/ (issue 8, item 2).

Writes, sorted by code point, unique, UTF-8, one entry a line, each with a
`#` header that names source and licence:

  rules/lists/first_names.txt      first names
  rules/lists/surnames.txt         surnames, as the data set writes them
                                   (`de Vries`, `van der Berg`, `De Backer`)
  rules/lists/name_exceptions.txt  `word<TAB>alone|always`, from exceptions.tsv

Sources: the person providers of Faker (MIT), pinned below, plus the
hand-written lists next to this script (public domain). Latin script only.
wordfreq is used by `--suggest` alone, to propose exception candidates; its
data (CC BY-SA 4.0) is never written to the repository.

Usage (from the repository root):

  pip install --user -r tools/lexicon/requirements.txt
  python3 tools/lexicon/build.py             # write the three lists
  python3 tools/lexicon/build.py --check     # exit 1 if they are stale
  python3 tools/lexicon/build.py --suggest   # new first names that are common
                                             # words and have no decision yet
                                             # (--all: reviewed ones too)

The build itself needs Faker only; it refuses another Faker version than
FAKER_VERSION, so the output is reproducible (pass --any-faker to try one).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

FAKER_VERSION = "40.63.0"
WORDFREQ_VERSION = "3.1.1"
# How many of the commonest words per language `--suggest` compares against.
SUGGEST_TOP_N = 20_000

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "rules" / "lists"

# Faker person providers, and why each is in. Arabic (ar_*) and Hindi
# (hi_IN) providers are left out: their names are in Arabic and Devanagari
# script only; the hand-written lists cover Moroccan, Arabic and Surinamese
# Hindustani names in Latin script instead.
LOCALES = {
    "nl_NL": "Dutch",
    "nl_BE": "Flemish",
    "en_GB": "British English",
    "en_US": "American English",
    "de_DE": "German (one of the largest foreign-born groups)",
    "fr_FR": "French",
    "tr_TR": "Turkish",
    "pl_PL": "Polish",
    "id_ID": "Indonesian",
    "en_IN": "Indian, in Latin script (Surinamese Hindustani names)",
    "es_ES": "Spanish (Antillean, Latin-American and Spanish Dutch)",
    "pt_PT": "Portuguese (Portuguese and Cape Verdean Dutch)",
    "pt_BR": "Brazilian Portuguese",
    "it_IT": "Italian",
    "ro_RO": "Romanian",
    "tw_GH": "Ghanaian (Twi)",
}

HAND_FIRST = HERE / "hand_first_names.txt"
HAND_SURNAMES = HERE / "hand_surnames.txt"
DROP = HERE / "drop.tsv"
EXCEPTIONS = HERE / "exceptions.tsv"

# One name token: letters (any Latin script), joined by single hyphens or
# apostrophes (Jean-Claude, D'Hondt, O'Neill).
TOKEN = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")
# One surname token: like a name token, and may start or end with an
# apostrophe (`van 't Hof`, `'s Gravensande`, `d'Ancona`).
SURNAME_TOKEN = re.compile(r"^'?[^\W\d_]+(?:[-'][^\W\d_]+)*'?$")
WHEN = {"alone", "always"}


def is_latin(text: str) -> bool:
    """True if every letter of `text` is a Latin-script letter."""
    return all(
        not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")
        for ch in text
    )


def tidy(text: str) -> str:
    """NFC, typographic apostrophe to ASCII, single spaces, no stray dots."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    text = " ".join(text.split())
    return text.rstrip(".")


def is_surname(text: str) -> bool:
    """Tokens separated by single spaces, at least one starting with a
    capital (`de Vries`, `van 't Hof`)."""
    tokens = text.split(" ")
    return all(SURNAME_TOKEN.match(t) for t in tokens) and any(
        t.lstrip("'")[:1].isupper() for t in tokens
    )


def oddly_cased(text: str) -> bool:
    """Not starting with a capital, or two capitals in a row (`COmfort`)."""
    return not text[:1].isupper() or any(
        a.isupper() and b.isupper() for a, b in zip(text, text[1:])
    )


def read_plain(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(tidy(line))
    return lines


def read_tsv(path: Path, columns: int) -> list[list[str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns or not all(c.strip() for c in cells):
            sys.exit(f"{path.name}:{n}: expected {columns} tab-separated cells")
        rows.append([tidy(c) if i < 2 else c for i, c in enumerate(cells)])
    return rows


def faker_names(any_version: bool) -> tuple[dict, dict]:
    """first name -> locales, surname -> locales, from Faker's providers."""
    try:
        import faker
    except ImportError:
        sys.exit(f"Faker is missing: pip install --user faker=={FAKER_VERSION}")
    if faker.VERSION != FAKER_VERSION and not any_version:
        sys.exit(
            f"Faker {faker.VERSION} is installed, the build is pinned to "
            f"{FAKER_VERSION}: pip install --user faker=={FAKER_VERSION} "
            "(or pass --any-faker and update FAKER_VERSION and the sources)"
        )
    first: dict[str, set[str]] = defaultdict(set)
    last: dict[str, set[str]] = defaultdict(set)
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in dir(provider):
            if attr.startswith("_"):
                continue
            value = getattr(provider, attr)
            if callable(value) or isinstance(value, str):
                continue
            if "first_name" in attr:
                target = first
            elif "last_name" in attr:
                target = last
            else:
                continue
            for name in value:  # tuples, lists and weighted OrderedDicts
                target[tidy(name)].add(locale)
        if locale == "pl_PL":
            # Faker lists Polish surnames in their male form only; the
            # female form of -ski/-cki/-dzki ends in -ska/-cka/-dzka.
            for name in provider.male_last_names:
                name = tidy(name)
                if name.endswith("ki"):
                    last[name[:-1] + "a"].add(locale)
    return first, last


def dedupe_case(names: dict[str, set[str]]) -> dict[str, set[str]]:
    """Keeps one spelling per case-insensitive name: the one most locales
    give, then the one that sorts first (`D'Hondt` before `D'hondt`)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[name.casefold()].append(name)
    kept = {}
    for variants in groups.values():
        best = min(variants, key=lambda v: (-len(names[v]), v))
        kept[best] = set().union(*(names[v] for v in variants))
    return kept


def build(any_version: bool) -> tuple[list[str], list[str], list[tuple[str, str]], dict]:
    faker_first, faker_last = faker_names(any_version)
    drops = defaultdict(set)
    for kind, entry, _why in read_tsv(DROP, 3):
        if kind not in ("first", "surname"):
            sys.exit(f"drop.tsv: unknown list {kind!r}")
        drops[kind].add(entry)

    stats = defaultdict(int)
    first: dict[str, set[str]] = defaultdict(set)
    for name, locales in faker_first.items():
        if " " in name:
            stats["first: multi-word left out"] += 1  # `Juan Carlos`: both parts are listed
        elif not is_latin(name):
            stats["first: non-Latin left out"] += 1
        elif not TOKEN.match(name) or oddly_cased(name) or len(name) < 2:
            stats["first: malformed left out"] += 1
        elif name in drops["first"]:
            stats["first: dropped by drop.tsv"] += 1
        else:
            first[name] |= locales
    for name in read_plain(HAND_FIRST):
        if not (TOKEN.match(name) and is_latin(name)):
            sys.exit(f"hand_first_names.txt: not a name token: {name!r}")
        first[name].add("hand")

    last: dict[str, set[str]] = defaultdict(set)
    for name, locales in faker_last.items():
        if not is_latin(name):
            stats["surname: non-Latin left out"] += 1
        elif name in drops["surname"]:
            stats["surname: dropped by drop.tsv"] += 1
        elif not is_surname(name) or len(name) < 2:
            stats["surname: malformed left out"] += 1
        else:
            last[name] |= locales
    for name in read_plain(HAND_SURNAMES):
        if not (is_surname(name) and is_latin(name)):
            sys.exit(f"hand_surnames.txt: not a surname: {name!r}")
        last[name].add("hand")

    first = dedupe_case(first)
    last = dedupe_case(last)

    exceptions = []
    seen = set()
    for word, when, _why in read_tsv(EXCEPTIONS, 3):
        if when not in WHEN:
            sys.exit(f"exceptions.tsv: {word}: `when` must be alone or always, not {when!r}")
        if word.casefold() in seen:
            sys.exit(f"exceptions.tsv: {word} is listed twice")
        seen.add(word.casefold())
        exceptions.append((word, when))

    stats["first names"] = len(first)
    stats["surnames"] = len(last)
    stats["exceptions"] = len(exceptions)
    for locale in [*LOCALES, "hand"]:
        stats[f"first names from {locale}"] = sum(locale in v for v in first.values())
        stats[f"surnames from {locale}"] = sum(locale in v for v in last.values())
    return sorted(first), sorted(last), sorted(exceptions), stats


def header(title: str, lines: list[str]) -> str:
    locales = ", ".join(LOCALES)
    text = [
        f"# {title}",
        "# GENERATED by tools/lexicon/build.py: do not edit by hand; change the",
        "# script or its inputs in tools/lexicon/ and rebuild. See LEXICON-SOURCES.md.",
        f"# Source: Faker {FAKER_VERSION} (MIT License, Copyright (c) 2012 Daniele Faraglia;",
        "#   full licence text in LEXICON-SOURCES.md),",
        f"#   person providers {locales};",
        "#   Latin-script entries only.",
        "# Plus hand-written names in tools/lexicon/ (public domain, CC0 1.0).",
    ]
    text += [f"# {line}" if line else "#" for line in lines]
    return "\n".join(text) + "\n"


def render(any_version: bool) -> tuple[dict[Path, str], dict]:
    first, last, exceptions, stats = build(any_version)
    files = {
        OUT / "first_names.txt": header(
            "First names for the person-name detector (issue 8).",
            ["One name a line, as written; match ignoring case and diacritics."],
        )
        + "".join(f"{n}\n" for n in first),
        OUT / "surnames.txt": header(
            "Surnames for the person-name detector (issue 8).",
            [
                "One surname a line, as the data set writes it, particles included",
                "(`de Vries`, `van der Berg`, `De Backer`, `El Amrani`).",
            ],
        )
        + "".join(f"{n}\n" for n in last),
        OUT / "name_exceptions.txt": "\n".join(
            [
                "# Names that are far more often something else (issue 8).",
                "# GENERATED by tools/lexicon/build.py from tools/lexicon/exceptions.tsv,",
                "# where each decision has its reason. Hand-checked; candidates were the",
                "# lexicon's first names that are common Dutch or English words",
                "# (wordfreq, consulted at build time only; none of its data is here).",
                "# Public domain (CC0 1.0).",
                "#",
                "# Format: word<TAB>when",
                "#   alone   not a name when it stands alone (greeting, signature, reply",
                "#           tag); still a name when a surname follows (`Roos de Vries`)",
                "#   always  never a name, neither alone nor before a surname",
                "",
            ]
        )
        + "".join(f"{w}\t{when}\n" for w, when in exceptions),
    }
    return files, stats


def suggest(show_all: bool) -> None:
    """Prints first names that are among the commonest Dutch or English
    words and have no decision in exceptions.tsv yet, so a person can
    decide. Only names not in the committed first_names.txt are printed
    (the others were reviewed when they came in), unless show_all."""
    try:
        import wordfreq
    except ImportError:
        sys.exit(f"wordfreq is missing: pip install --user wordfreq=={WORDFREQ_VERSION}")
    first, _last, exceptions, _stats = build(any_version=True)
    decided = {w.casefold() for w, _ in exceptions}
    committed = set()
    current = OUT / "first_names.txt"
    if current.exists():
        committed = set(read_plain(current))
    ranks: dict[str, dict[str, int]] = {}
    for lang in ("nl", "en"):
        for i, word in enumerate(wordfreq.top_n_list(lang, SUGGEST_TOP_N), 1):
            ranks.setdefault(word, {}).setdefault(lang, i)

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.casefold())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    folded: dict[str, dict[str, int]] = {}
    for word, r in ranks.items():
        for lang, rank in r.items():
            folded.setdefault(fold(word), {}).setdefault(lang, rank)
    count = 0
    for name in first:
        r = folded.get(fold(name))
        if not r or name.casefold() in decided:
            continue
        if name in committed and not show_all:
            continue
        count += 1
        mark = "" if name in committed else "\tnew"
        where = " ".join(f"{lang}#{rank}" for lang, rank in sorted(r.items()))
        print(f"{name}\t{where}{mark}")
    print(f"# {count} candidates without a decision", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the lists are stale")
    parser.add_argument("--suggest", action="store_true", help="print exception candidates")
    parser.add_argument("--all", action="store_true", help="with --suggest: reviewed names too")
    parser.add_argument("--any-faker", action="store_true", help="allow another Faker version")
    args = parser.parse_args()
    if args.suggest:
        suggest(args.all)
        return
    files, stats = render(args.any_faker)
    stale = []
    for path, text in files.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    for key, value in stats.items():
        print(f"{key}: {value}")
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        sys.exit(1 if stale else 0)
    for path in stale:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
