#!/usr/bin/env python3
"""Runs anoniem over the peer test cases (tests/corpus/peers/cases.jsonl) and
reports, per peer project and class, how much personal data was replaced
(recall) and how many look-alikes stayed, listing every failure.

    python3 tools/corpus/eval_peers.py                  # table and failures
    python3 tools/corpus/eval_peers.py --json out.json  # also every verdict as JSON
    python3 tools/corpus/eval_peers.py --fail-under 0.95  # exit 1 below that

Every case becomes one forum post ({"id": "forum:<n>", "source": "forum",
"kind": "post", "text": ...}); the posts go through
`anoniem anonymise --rules rules --quiet` in one run (one thread). The
binary is target/release/anoniem; when it is missing it is built with
`cargo build --release --bin anoniem`. ANONIEM_PSEUDONYM_KEY is set to a
throwaway key when the environment has none.

How a value is judged. The output is the input with spans replaced by the
placeholders of the rule set ([phone], [email], ...), so the output is
aligned with the input to find, character by character, what was replaced.
A value's letters and digits (its separators do not count) are then:
  all replaced   -> pii: redacted        keep: redacted (a false positive)
  some replaced  -> pii: partial (a miss: part of it is still readable)
                    keep: partial (counted as a false positive)
  none replaced  -> pii: survived        keep: kept
A pii value also counts as survived when the output, with every separator
(spaces, dashes, dots, slashes, brackets, colons) taken out, still holds it
with its separators taken out more often than the input does outside the
personal data. Where the output cannot be aligned (the stage changed more
than the placeholders), the judgement falls back to these substring checks
and the line says so.

Figures:
  recall      = pii values redacted / pii values
  keep rate   = keep values kept / keep values
  precision   = pii redacted / (pii redacted + keep values touched), i.e. of
                the values this corpus scores, the share of replacements
                that hit personal data
`unscored` values (the peer and P4 disagree, see the case's note) are
reported as information, never counted.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CASES = os.path.join(ROOT, "tests", "corpus", "peers", "cases.jsonl")
BIN = os.path.join(ROOT, "target", "release", "anoniem")
CLASSES = ["email", "phone", "iban", "bsn", "card", "postcode", "ip"]
SEP = re.compile(r"[\s\-\u2010-\u2015\u2212.,/()\[\]:'\"_]+")


def placeholders(rules_dir):
    found = {}
    for name in sorted(os.listdir(rules_dir)):
        if name.endswith(".toml"):
            with open(os.path.join(rules_dir, name), "rb") as fh:
                data = tomllib.load(fh)
            found.update(data.get("placeholders", {}))
    if not found:
        sys.exit(f"error: no [placeholders] in {rules_dir}")
    return found          # kind -> placeholder text


def compact(s):
    return SEP.sub("", unicodedata.normalize("NFKC", s)).lower()


def align(orig, out, ph_texts):
    """For each character of orig, the placeholder that replaced it (or
    None), or None for the whole when the output does not align."""
    ph_re = re.compile("|".join(re.escape(p) for p in sorted(ph_texts, key=len, reverse=True)))
    parts, pos = [], 0
    for m in ph_re.finditer(out):
        parts.append(("lit", out[pos:m.start()]))
        parts.append(("ph", m.group(0)))
        pos = m.end()
    parts.append(("lit", out[pos:]))
    pattern = "".join(re.escape(t) if k == "lit" else "(.*?)" for k, t in parts)
    try:
        m = re.fullmatch(pattern, orig, re.S)
    except RecursionError:
        m = None
    if not m:
        return None
    covered = [None] * len(orig)
    g = 1
    for k, t in parts:
        if k == "ph":
            s, e = m.span(g)
            if orig[s:e] != t:
                for i in range(s, e):
                    covered[i] = t
            g += 1
    return covered


def occurrences(text, value):
    """Where value stands in text as a token of its own (no letter or digit
    glued to either side: "065555" is not inside "065555555555"), or, when
    it never does (the peer glued it on purpose: "abc+14156667777"), every
    place it occurs."""
    alone = [m.start() for m in re.finditer(r"(?<![^\W_])" + re.escape(value) + r"(?![^\W_])", text)]
    if alone:
        return alone
    out, i = [], text.find(value)
    while i >= 0:
        out.append(i)
        i = text.find(value, i + len(value))
    return out


def significant(value):
    idx = [i for i, ch in enumerate(value) if ch.isalnum()]
    return idx or list(range(len(value)))


def judge(orig, out, covered, value, kind, residual):
    """(status, placeholders that covered it)"""
    sig = significant(value)
    if covered is not None:
        fracs, phs = [], set()
        for start in occurrences(orig, value):
            hits = [covered[start + i] for i in sig]
            fracs.append(sum(h is not None for h in hits) / len(hits))
            phs.update(h for h in hits if h)
        if not fracs:
            return "missing", phs
        full = all(f == 1 for f in fracs)
        none = all(f == 0 for f in fracs)
        status = "all" if full else ("none" if none else "some")
    else:
        phs = set()
        status = "none" if out.count(value) >= orig.count(value) else "all"
    if kind == "pii" and status == "all":
        cv = compact(value)
        if cv and compact(out).count(cv) > compact(residual).count(cv):
            status = "some"
    names = {"pii": {"all": "redacted", "some": "partial", "none": "survived"},
             "keep": {"all": "redacted", "some": "partial", "none": "kept"},
             "unscored": {"all": "redacted", "some": "partial", "none": "kept"}}
    return names[kind][status], phs


def shape(value):
    s = re.sub(r"[0-9]", "9", value)
    s = re.sub(r"[A-Z]", "A", s)
    s = re.sub(r"[a-z]", "a", s)
    s = re.sub(r"9{5,}", lambda m: "9{%d}" % len(m.group(0)), s)
    return s


def ensure_binary(path):
    if os.path.exists(path):
        return
    print(f"{path} is missing: building it (cargo build --release --bin anoniem)", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--bin", "anoniem"], cwd=ROOT, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default=CASES)
    ap.add_argument("--bin", default=BIN)
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--json", help="write every verdict to this file")
    ap.add_argument("--fail-under", type=float, help="exit 1 when recall or precision is below this")
    ap.add_argument("--no-failures", action="store_true", help="only the tables")
    args = ap.parse_args()

    cases = [json.loads(l) for l in open(args.cases, encoding="utf-8") if l.strip()]
    ph = placeholders(args.rules)
    ph_kind = {v: k for k, v in ph.items()}
    ensure_binary(args.bin)

    env = dict(os.environ)
    env.setdefault("ANONIEM_PSEUDONYM_KEY", "peer-corpus-throwaway-key-0123456789abcdef")
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "posts.jsonl")
        errs = os.path.join(tmp, "errors.jsonl")
        with open(inp, "w", encoding="utf-8") as fh:
            for n, case in enumerate(cases, 1):
                fh.write(json.dumps({"id": f"forum:{n}", "source": "forum", "kind": "post",
                                     "text": case["text"]}, ensure_ascii=False) + "\n")
        run = subprocess.run([args.bin, "anonymise", "--rules", args.rules, "--quiet", "--threads", "1",
                              "--errors", errs, inp], env=env, capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            sys.exit(f"error: anoniem exited {run.returncode}")
        outputs = {}
        for line in run.stdout.splitlines():
            if line.strip():
                rec = json.loads(line)
                outputs[rec["id"]] = rec
        rejected = open(errs, encoding="utf-8").read().splitlines() if os.path.exists(errs) else []

    verdicts = []
    unaligned = 0
    for n, case in enumerate(cases, 1):
        orig = case["text"]
        rec = outputs.get(f"forum:{n}")
        if rec is None:
            for kind in ("pii", "keep", "unscored"):
                for v in case.get(kind, []):
                    verdicts.append(dict(n=n, case=case, kind=kind, value=v, status="rejected", out=None, ph=[]))
            continue
        out = rec.get("text", "")
        covered = align(orig, out, list(ph.values()))
        if covered is None:
            unaligned += 1
        residual = orig
        for v in sorted(case.get("pii", []), key=len, reverse=True):
            residual = residual.replace(v, "\x00")
        for kind in ("pii", "keep", "unscored"):
            for v in case.get(kind, []):
                status, phs = judge(orig, out, covered, v, kind, residual)
                verdicts.append(dict(n=n, case=case, kind=kind, value=v, status=status, out=out,
                                     ph=sorted(ph_kind.get(p, p) for p in phs), aligned=covered is not None))

    # ---- tables
    def tally(vs):
        t = collections.Counter()
        for v in vs:
            t[(v["kind"], v["status"])] += 1
        pii = sum(t[("pii", s)] for s in ("redacted", "partial", "survived", "rejected", "missing"))
        keep = sum(t[("keep", s)] for s in ("kept", "redacted", "partial", "rejected", "missing"))
        red = t[("pii", "redacted")]
        kept = t[("keep", "kept")]
        touched = t[("keep", "redacted")] + t[("keep", "partial")]
        recall = red / pii if pii else None
        keep_rate = kept / keep if keep else None
        precision = red / (red + touched) if pii and (red + touched) else None
        return dict(pii=pii, redacted=red, keep=keep, kept=kept, touched=touched,
                    recall=recall, keep_rate=keep_rate, precision=precision,
                    unscored=sum(t[("unscored", s)] for s in ("kept", "redacted", "partial")),
                    unscored_redacted=t[("unscored", "redacted")])

    def fmt(x):
        return "   -  " if x is None else f"{x:6.3f}"

    def row(label, vs):
        r = tally(vs)
        return (f"{label:<28} {r['redacted']:>5}/{r['pii']:<5} {fmt(r['recall'])}   "
                f"{r['kept']:>4}/{r['keep']:<4} {fmt(r['keep_rate'])}   {fmt(r['precision'])}   "
                f"{r['unscored_redacted']:>3}/{r['unscored']:<3}")

    head = (f"{'':<28} {'pii redacted':>11} {'recall':>6}   {'keep kept':>9} {'rate':>6}   "
            f"{'precis':>6}   {'unscored red.':>13}")
    projects = sorted({v["case"]["source"].split(":")[0] for v in verdicts})
    print(f"{len(cases)} cases, {len(verdicts)} values; anoniem: {args.bin}")
    if unaligned:
        print(f"{unaligned} outputs could not be aligned with their input (judged by substrings)")
    if rejected:
        print(f"{len(rejected)} records rejected by the stage (dead-letter)")
    print()
    print("By class")
    print(head)
    for cl in CLASSES:
        vs = [v for v in verdicts if v["case"]["class"] == cl]
        if vs:
            print(row(cl, vs))
    print(row("ALL", verdicts))
    print()
    print("By source and class")
    print(head)
    for p in projects:
        pv = [v for v in verdicts if v["case"]["source"].split(":")[0] == p]
        print(row(p, pv))
        for cl in CLASSES:
            vs = [v for v in pv if v["case"]["class"] == cl]
            if vs:
                print(row("  " + cl, vs))

    # ---- failures
    fails = [v for v in verdicts if (v["kind"] == "pii" and v["status"] != "redacted")
             or (v["kind"] == "keep" and v["status"] != "kept")]
    wrong_kind = [v for v in verdicts if v["kind"] == "pii" and v["status"] == "redacted"
                  and v["ph"] and v["case"]["class"] not in v["ph"]]
    if not args.no_failures:
        print()
        print(f"Failures: {len(fails)}")
        groups = collections.defaultdict(list)
        for v in fails:
            groups[(v["case"]["class"], v["kind"], v["status"])].append(v)
        for (cl, kind, status), vs in sorted(groups.items()):
            label = {"pii": "personal data not replaced", "keep": "look-alike replaced"}[kind]
            print(f"\n== {cl}: {label} ({status}): {len(vs)}")
            for v in sorted(vs, key=lambda v: (shape(v["value"]), v["value"])):
                src = v["case"]["source"]
                print(f"  {v['value']!r:<42} shape {shape(v['value'])!r}")
                print(f"      in:  {v['case']['text']!r}")
                print(f"      out: {v['out']!r}" + ("" if v.get("aligned", True) else "   (not aligned)"))
                print(f"      from {src}" + (f"; note: {v['case']['note']}" if v["case"].get("note") else ""))
        unsc = [v for v in verdicts if v["kind"] == "unscored"]
        if unsc:
            print(f"\nUnscored (not counted): {len(unsc)}")
            for v in unsc:
                print(f"  {v['status']:<9} {v['value']!r:<40} in {v['case']['text']!r}")
                print(f"            {v['case'].get('note', '')}")
        if wrong_kind:
            print(f"\nRedacted under another class's placeholder (counted as redacted): {len(wrong_kind)}")
            for v in wrong_kind:
                print(f"  {v['case']['class']:<8} {v['value']!r:<40} as {','.join(v['ph'])}: {v['out']!r}")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({
                "overall": tally(verdicts),
                "by_class": {cl: tally([v for v in verdicts if v["case"]["class"] == cl]) for cl in CLASSES},
                "by_source": {p: {cl: tally([v for v in verdicts if v["case"]["source"].split(":")[0] == p
                                             and v["case"]["class"] == cl]) for cl in CLASSES}
                              for p in projects},
                "verdicts": [{k: v[k] for k in ("n", "kind", "value", "status", "out", "ph")} |
                             {"source": v["case"]["source"], "class": v["case"]["class"], "text": v["case"]["text"]}
                             for v in verdicts],
            }, fh, ensure_ascii=False, indent=1)

    if args.fail_under is not None:
        r = tally(verdicts)
        if (r["recall"] or 0) < args.fail_under or (r["precision"] or 0) < args.fail_under:
            sys.exit(1)


if __name__ == "__main__":
    main()
