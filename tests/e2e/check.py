#!/usr/bin/env python3
"""End-to-end check of `anoniem run` against a real Kafka-protocol broker.

Started by tests/e2e/run.sh, which runs the broker (Apache Kafka, from
tests/kafka/broker.sh) and the stage.

    check.py stream     produce the input, wait until the stage's group has
                        committed the end of every input partition, read the
                        output and dead-letter topics up to their end offsets,
                        compare them record by record with what file mode
                        (`anoniem anonymise`) makes of the same input
    check.py committed  after the stage stopped: its consumer group committed
                        the end of every input partition

With --exactly-once the topics are read with isolation.level=read_committed
and every output and dead letter must be there exactly once.

The records read are also written to WORKDIR/output.kafka-python.txt (one
`key<TAB>value` line per output record, `null` for a tombstone) so that
run.sh can compare them with what Kafka's own console consumer reads.

What is expected comes from the engine itself: the very lines that are
produced are written to input.ndjson and run through
`anoniem anonymise --rules R --now T --explain --errors F`, which gives per
input line the sanitised record or a tombstone, the rules that fired, or the
reject kind.

The clock. Retention (rules/10-remove.toml, p7-retention: Facebook items
older than a year become tombstones) depends on `now`, and the stage uses the
real clock, per record, at the moment it processes it. The corpus generator
dates its records relative to 2026-11-25T12:00:00Z, and the real clock is
whatever it is, so some records may be near their expiry. Instead of dropping
such records, file mode runs twice: at T0, taken before the first record is
produced, and at T1, taken after the output was read back. The stage's clock
was inside [T0, T1] for every record, and retention is monotonic in time, so
for each record the stage's result must be the T0 or the T1 result. Records
for which those two differ are counted as "time-dependent" and either result
is accepted for them (exactly that record: everything else must match
exactly). One record is made to be time-dependent: a Facebook post that
reaches its retention two seconds after the input is built. Rejections do not depend on the clock; the check asserts that.

Two records are stream-only (file mode cannot express a null value): a null
value under the key of a produced post must come out as a tombstone under
that key with `anoniem-fired: delete-is-tombstone`, and a null value with an
empty key (kafka-python cannot send one with no key at all) must become a dead letter of kind `empty_record` without a value
(src/stream/output.rs).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

HEADERS_OUT = ("anoniem-rules", "anoniem-fired")
HEADERS_DLQ = (
    "anoniem-reason",
    "anoniem-reason-kind",
    "anoniem-source-topic",
    "anoniem-source-partition",
    "anoniem-source-offset",
    "anoniem-rules",
)

# Personal data of samples/posts.ndjson that must not reach any output value
# (phones in several notations, e-mail addresses, IBAN, BSN, card). E-mail
# addresses anywhere in the input (corpus included) are added by regex.
KNOWN_PERSONAL = [
    "06-12345678",
    "0612345678",
    "+44 20 7946 0958",
    "kees.jansen@example.nl",
    "pietje@example.com",
    "NL91 ABNA 0417 1643 00",
    "DE89 3704 0044 0532 0130 00",
    "111222333",
    "4111 1111 1111 1111",
    "+31 (0)40 249 27 00",
]
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


class Failures:
    def __init__(self):
        self.items = []

    def add(self, msg):
        self.items.append(msg)

    def report(self, limit=25):
        for m in self.items[:limit]:
            print(f"e2e: MISMATCH: {m}", file=sys.stderr)
        if len(self.items) > limit:
            print(f"e2e: ... and {len(self.items) - limit} more mismatches", file=sys.stderr)


def log(msg):
    print(f"e2e: {msg}", file=sys.stderr, flush=True)


def utc_now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---------------------------------------------------------------- the input


def build_input(samples_path, corpus_path, versions, deletes_every):
    """The records to produce, in order: (key bytes or None, value bytes or
    None, in_file_mode). Samples first, then the corpus with second versions
    and delete events of some of its posts interleaved further on, so that
    some keys have two or three records whose order matters."""
    records = []
    with open(samples_path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if not line.strip():
                continue
            records.append((id_key(line), line, True))
    # A Facebook post that reaches its retention (a year) two seconds from
    # now, i.e. while the test runs: its outcome depends on when the stage
    # processes it, and it shows the time-dependent path of the check at work.
    now = datetime.now(timezone.utc).replace(microsecond=0)
    try:
        year_ago = now.replace(year=now.year - 1)
    except ValueError:  # 29 February
        year_ago = now.replace(year=now.year - 1, day=28)
    published = (year_ago + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    clock = {"id": "facebook:9990000000000001", "source": "facebook", "kind": "post",
             "url": "https://www.facebook.com/e2e/posts/9990000000000001",
             "published_at": published, "language": "nl", "visibility": "public",
             "author": {"id": "100009990000001", "name": "Klok"},
             "text": "Dit bericht verloopt tijdens de test."}
    line = json.dumps(clock, separators=(",", ":")).encode()
    records.append((id_key(line), line, True))
    with open(corpus_path, "rb") as f:
        corpus = [l.rstrip(b"\n") for l in f if l.strip()]
    # Second versions of the first `versions` upserts that have a text, each
    # 150 records after its first; every `deletes_every`-th of them also gets
    # a delete event 150 records after that.
    later = defaultdict(list)
    chosen = []
    for i, line in enumerate(corpus):
        if len(chosen) >= versions:
            break
        obj = json.loads(line)
        if obj.get("op", "upsert") == "upsert" and isinstance(obj.get("text"), str):
            obj["text"] += " (bewerkt)"
            v2 = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
            later[i + 150].append(v2)
            if len(chosen) % deletes_every == 0:
                later[i + 300].append(json.dumps({"id": obj["id"], "op": "delete"}).encode())
            chosen.append(obj["id"])
    for i, line in enumerate(corpus):
        records.append((id_key(line), line, True))
        for extra in later.pop(i, []):
            records.append((id_key(extra), extra, True))
    for i in sorted(later):
        for extra in later[i]:
            records.append((id_key(extra), extra, True))
    # Stream-only: a null value under the key of a corpus post that is not
    # touched otherwise, and a null value without a key.
    null_key = None
    for line in corpus[len(corpus) // 2 :]:
        obj = json.loads(line)
        if obj.get("op", "upsert") == "upsert" and obj["id"] not in chosen:
            null_key = obj["id"].encode()
            break
    assert null_key, "no corpus post for the null-value record"
    records.append((null_key, None, False))
    # kafka-python refuses a record with neither key nor value; an empty key
    # is "no key" to the stage as well.
    records.append((b"", None, False))
    return records, len(chosen)


def id_key(line):
    """The post id of a line, as the record key; None where it has none."""
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if isinstance(obj, dict) and isinstance(obj.get("id"), str) and obj["id"]:
        return obj["id"].encode()
    return None


# ---------------------------------------------------------------- file mode


def file_mode(args, input_path, now, tag):
    """Runs `anoniem anonymise` on the input at clock `now`. Returns per input
    line number: ("out", id, value-or-None, fired) or ("reject", kind)."""
    out_path = os.path.join(args.workdir, f"file-{tag}.ndjson")
    err_path = os.path.join(args.workdir, f"file-{tag}.errors")
    explain_path = os.path.join(args.workdir, f"file-{tag}.explain")
    cmd = [args.anoniem, "anonymise", "--rules", args.rules, "--now", now, "--explain",
           "--errors", err_path, "--quiet", input_path]
    with open(out_path, "wb") as out, open(explain_path, "wb") as explain:
        rc = subprocess.run(cmd, stdout=out, stderr=explain, timeout=300).returncode
    if rc not in (0, 3):  # 3: some lines were rejected
        sys.exit(f"e2e: file mode failed (exit {rc}): {' '.join(cmd)}; see {explain_path}")
    with open(out_path, "rb") as f:
        outputs = [l.rstrip(b"\n") for l in f]
    explains = []
    with open(explain_path, "rb") as f:
        for l in f:
            if l.startswith(b"{"):
                explains.append(json.loads(l))
    result = {}
    with open(err_path, "rb") as f:
        for l in f:
            e = json.loads(l)
            result[e["line"]] = ("reject", e["kind"])
    if len(outputs) != len(explains):
        sys.exit(f"e2e: file mode wrote {len(outputs)} records but {len(explains)} explain lines")
    for out, ex in zip(outputs, explains):
        line = ex["line"]
        if line in result:
            sys.exit(f"e2e: file mode line {line} both rejected and written")
        value = None if ex["outcome"] == "tombstone" else json.loads(out)
        if value is not None and value.get("id") != ex["id"]:
            sys.exit(f"e2e: file mode line {line}: explain id {ex['id']} != record id")
        result[line] = ("out", ex["id"], value, ",".join(ex["rules"]))
    return result


def rules_hash_prefix(args):
    out = subprocess.run([args.anoniem, "check", "--rules", args.rules], capture_output=True,
                         text=True, timeout=60)
    m = re.search(r"hash ([0-9a-f]{12})", out.stdout)
    if out.returncode != 0 or not m:
        sys.exit(f"e2e: `anoniem check --rules {args.rules}` failed: {out.stdout}{out.stderr}")
    return m.group(1)


# ---------------------------------------------------------------- Kafka


def produce(args, records):
    """Produces in order (one request in flight per connection, so retries
    cannot reorder); returns (partition, offset) of each record."""
    producer = KafkaProducer(
        bootstrap_servers=args.brokers,
        acks="all",
        linger_ms=5,
        batch_size=16384,
        max_in_flight_requests_per_connection=1,
        retries=5,
        request_timeout_ms=30000,
        max_block_ms=30000,
    )
    futures = [producer.send(args.input_topic, key=k, value=v) for k, v, _ in records]
    producer.flush(timeout=60)
    positions = []
    for fut in futures:
        md = fut.get(timeout=60)
        positions.append((md.partition, md.offset))
    producer.close(timeout=10)
    return positions


def wait_committed(args, ends, deadline_s):
    """Waits until the stage's group has committed `ends` ({partition: end
    offset}) on every input partition: then every output of the input was
    acknowledged (at-least-once) or committed (exactly-once). Returns
    whether it did within the deadline, and the last committed offsets."""
    admin = KafkaAdminClient(bootstrap_servers=args.brokers, request_timeout_ms=10000)
    deadline = time.monotonic() + deadline_s
    committed = {}
    try:
        while True:
            try:
                offsets = admin.list_consumer_group_offsets(args.group)
            except KafkaError as e:  # the coordinator may be loading
                log(f"cannot read the group's offsets yet: {e!r}")
                offsets = {}
            committed = {tp.partition: m.offset for tp, m in offsets.items()
                         if tp.topic == args.input_topic}
            if all(committed.get(p, -1) >= end for p, end in ends.items()):
                return True, committed
            if time.monotonic() >= deadline:
                return False, committed
            time.sleep(0.5)
    finally:
        admin.close()


def read_topics(args, topics, deadline_s):
    """Reads `topics` from the beginning (no group) up to the end offsets
    they have now (for a read_committed reader: the last stable offsets), or
    until the deadline. Returns {topic: [records in partition/offset order]}."""
    consumer = KafkaConsumer(
        bootstrap_servers=args.brokers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=200,
        isolation_level="read_committed" if args.exactly_once else "read_uncommitted",
    )
    tps = []
    for topic in topics:
        parts = None
        for _ in range(50):
            parts = consumer.partitions_for_topic(topic)
            if parts:
                break
            time.sleep(0.2)
        if not parts:
            sys.exit(f"e2e: topic {topic} has no partitions")
        tps += [TopicPartition(topic, p) for p in sorted(parts)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    ends = consumer.end_offsets(tps)
    got = {t: [] for t in topics}
    deadline = time.monotonic() + deadline_s
    # Positions pass transaction markers too, so a partition is done when
    # its position reaches the end offset, whatever the last record was.
    while any(consumer.position(tp) < ends[tp] for tp in tps):
        if time.monotonic() >= deadline:
            short_of = {f"{tp.topic}/{tp.partition}": (consumer.position(tp), ends[tp])
                        for tp in tps if consumer.position(tp) < ends[tp]}
            log(f"reading stopped at the deadline; (position, end) short of the end: {short_of}")
            break
        for recs in consumer.poll(timeout_ms=500).values():
            for r in recs:
                got[r.topic].append(r)
    consumer.close()
    for t in topics:
        got[t].sort(key=lambda r: (r.partition, r.offset))
    return got


def headers_of(record, fail, where):
    """The headers as a dict; a header that comes twice is a mismatch."""
    h = {}
    for k, v in record.headers or []:
        if k in h:
            fail.add(f"{where}: header {k} twice")
        h[k] = None if v is None else v.decode("utf-8", "replace")
    return h


# ---------------------------------------------------------------- checks


def order_ok(observed, expected):
    """Whether the per-key sequence `observed` is what at-least-once may make
    of `expected` (a list of sets of acceptable items): the expected
    sequence in order, where after a restart or rebalance the stage may go
    back to an earlier point and repeat from there (a repeat must again be in
    order). Every expected item must appear, and the stream must end on the
    last one."""
    states = {-1}  # position in `expected` of the last item matched
    for item in observed:
        nxt = set()
        for pos in states:
            for j in range(0, min(pos + 1, len(expected) - 1) + 1):
                if item in expected[j]:
                    nxt.add(j)
        if not nxt:
            return False
        states = nxt
    return (len(expected) - 1) in states


def canon(value):
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def cmd_stream(args):
    fail = Failures()
    os.makedirs(args.workdir, exist_ok=True)
    records, n_versions = build_input(args.samples, args.corpus, args.versions, 3)
    input_path = os.path.join(args.workdir, "input.ndjson")
    file_lines = []  # input line number -> index in `records`
    with open(input_path, "wb") as f:
        for i, (_, v, in_file) in enumerate(records):
            if in_file:
                assert b"\n" not in v
                f.write(v + b"\n")
                file_lines.append(i)
    hash_prefix = rules_hash_prefix(args)

    t0 = utc_now()
    log(f"producing {len(records)} records to {args.input_topic} (T0 {t0})")
    started = time.monotonic()
    positions = produce(args, records)
    with open(os.path.join(args.workdir, "state.json"), "w") as f:
        ends = defaultdict(int)
        for p, o in positions:
            ends[p] = max(ends[p], o + 1)
        json.dump({"input_ends": ends, "group": args.group}, f)
    log(f"produced in {time.monotonic() - started:.1f}s; input partitions: "
        + ", ".join(f"{p}: {ends[p]}" for p in sorted(ends)))

    exp0 = file_mode(args, input_path, t0, "t0")
    n_out = sum(1 for r in exp0.values() if r[0] == "out") + 1  # + the keyed null
    n_dlq = sum(1 for r in exp0.values() if r[0] == "reject") + 1  # + the keyless null
    log(f"expecting {n_out} output records and {n_dlq} dead letters; waiting for the "
        f"group {args.group} to commit the end of the input")
    done, committed = wait_committed(args, ends, args.wait)
    if not done:
        fail.add(f"group {args.group} did not commit the end of {args.input_topic} within "
                 f"{args.wait:.0f}s: committed {committed}, ends {dict(ends)}")
    else:
        log(f"committed after {time.monotonic() - started:.1f}s; reading back to the end offsets")
    got = read_topics(args, [args.output_topic, args.dead_letter_topic], 60)
    t1 = utc_now()
    with open(os.path.join(args.workdir, "output.kafka-python.txt"), "wb") as f:
        for r in got[args.output_topic]:
            f.write((r.key or b"") + b"\t" + (b"null" if r.value is None else r.value) + b"\n")
    exp1 = file_mode(args, input_path, t1, "t1")

    # Expected per input record (index into `records`).
    by_index = {}
    time_dependent = 0
    for line, idx in enumerate(file_lines, start=1):
        a, b = exp0[line], exp1[line]
        if a[0] != b[0] or (a[0] == "reject" and a != b):
            fail.add(f"input line {line}: file mode rejects at one clock only: {a} / {b}")
            continue
        if a[0] == "reject":
            by_index[idx] = a
            continue
        if a[1] != b[1]:
            fail.add(f"input line {line}: file mode id differs between clocks")
        alts = {(canon(a[2]), a[3]), (canon(b[2]), b[3])}
        time_dependent += len(alts) > 1
        by_index[idx] = ("out", a[1], alts)
    null_idx, nokey_idx = len(records) - 2, len(records) - 1
    by_index[null_idx] = ("out", records[null_idx][0].decode(), {(None, "delete-is-tombstone")})
    by_index[nokey_idx] = ("reject", "empty_record")

    # ---- output topic
    expected_per_key = defaultdict(list)
    for idx in sorted(by_index):
        e = by_index[idx]
        if e[0] == "out":
            expected_per_key[e[1]].append(e[2])
    input_at = defaultdict(list)  # output key -> input positions, for messages
    for idx, e in by_index.items():
        if e[0] == "out":
            input_at[e[1]].append(positions[idx])
    observed_per_key = defaultdict(list)
    partitions_per_key = defaultdict(set)
    out_records = got[args.output_topic]
    tombstones = 0
    full_hash = None
    for r in out_records:
        where = f"{args.output_topic}/{r.partition}@{r.offset}"
        h = headers_of(r, fail, where)
        for name in HEADERS_OUT:
            if name not in h or h[name] is None:
                fail.add(f"{where}: header {name} missing")
        rules = h.get("anoniem-rules") or ""
        if not rules.startswith(hash_prefix):
            fail.add(f"{where}: anoniem-rules {rules!r} is not the rule set's hash {hash_prefix}...")
        if full_hash is None:
            full_hash = rules
        elif rules != full_hash:
            fail.add(f"{where}: anoniem-rules {rules!r} differs from {full_hash!r}")
        if r.key is None:
            fail.add(f"{where}: output record without a key")
            continue
        key = r.key.decode("utf-8", "replace")
        if r.value is None:
            value = None
            tombstones += 1
        else:
            try:
                value = json.loads(r.value)
            except ValueError:
                fail.add(f"{where}: value is not JSON: {r.value[:200]!r}")
                continue
            if value.get("id") != key:
                fail.add(f"{where}: key {key} but value id {value.get('id')!r}")
        observed_per_key[key].append((canon(value), h.get("anoniem-fired")))
        partitions_per_key[key].add(r.partition)

    for key in sorted(set(observed_per_key) - set(expected_per_key)):
        fail.add(f"output key {key!r} that file mode does not produce")
    missing = 0
    for key, expected in sorted(expected_per_key.items()):
        observed = observed_per_key.get(key, [])
        if not observed:
            missing += 1
            fail.add(f"output key {key!r} missing (input at {args.input_topic} "
                     + ", ".join(f"{p}@{o}" for p, o in input_at[key]) + ")")
            continue
        if len(partitions_per_key[key]) > 1:
            fail.add(f"output key {key!r} in several partitions {sorted(partitions_per_key[key])}")
        unexpected = [item for item in observed if not any(item in alts for alts in expected)]
        for item in unexpected:
            fail.add(f"output key {key!r}: unexpected record (value, fired) {short(item)}; "
                     f"file mode: {short(sorted(expected[0]))}")
        if unexpected:
            continue
        if observed[-1] not in expected[-1]:
            fail.add(f"output key {key!r}: last record {short(observed[-1])} is not file mode's "
                     f"last {short(sorted(expected[-1]))}")
        elif not order_ok(observed, expected):
            fail.add(f"output key {key!r}: {len(observed)} records out of order "
                     f"(expected {len(expected)} in input order)")
    expected_total = sum(len(v) for v in expected_per_key.values())
    duplicates = len(out_records) - expected_total
    if args.exactly_once and duplicates:
        fail.add(f"exactly-once: {len(out_records)} output records for {expected_total} expected "
                 f"({duplicates} more) for a read_committed reader")
    multi = sum(1 for v in expected_per_key.values() if len(v) > 1)

    # ---- dead letters
    where_of = {pos: idx for idx, pos in enumerate(positions)}
    dlq_seen = {}
    dlq_dups = 0
    for r in got[args.dead_letter_topic]:
        where = f"{args.dead_letter_topic}/{r.partition}@{r.offset}"
        h = headers_of(r, fail, where)
        absent = [n for n in HEADERS_DLQ if n not in h or h[n] is None]
        if absent:
            fail.add(f"{where}: headers {absent} missing (has {sorted(h)})")
            continue
        if h["anoniem-source-topic"] != args.input_topic:
            fail.add(f"{where}: anoniem-source-topic {h['anoniem-source-topic']!r}")
        if not h["anoniem-rules"].startswith(hash_prefix):
            fail.add(f"{where}: anoniem-rules {h['anoniem-rules']!r}")
        if not h["anoniem-reason"]:
            fail.add(f"{where}: empty anoniem-reason")
        try:
            pos = (int(h["anoniem-source-partition"]), int(h["anoniem-source-offset"]))
        except ValueError:
            fail.add(f"{where}: source partition/offset not numbers: {h}")
            continue
        idx = where_of.get(pos)
        if idx is None:
            fail.add(f"{where}: source position {pos} is no produced record")
            continue
        if pos in dlq_seen:
            dlq_dups += 1
        dlq_seen[pos] = True
        exp = by_index.get(idx)
        key, value, _ = records[idx]
        if exp is None or exp[0] != "reject":
            fail.add(f"{where}: input record {idx} ({short(value)}) is not rejected by file mode")
            continue
        if h["anoniem-reason-kind"] != exp[1]:
            fail.add(f"{where}: kind {h['anoniem-reason-kind']!r}, file mode says {exp[1]!r}")
        if r.value != value:
            fail.add(f"{where}: value is not the original bytes: {short(r.value)} != {short(value)}")
        if r.key != key and (r.key or key):  # None and b"" are both "no key"
            fail.add(f"{where}: key {r.key!r} != input key {key!r}")
    if args.exactly_once and dlq_dups:
        fail.add(f"exactly-once: {dlq_dups} dead letters twice for a read_committed reader")
    rejected = {positions[i] for i, e in by_index.items() if e[0] == "reject"}
    for pos in sorted(rejected - set(dlq_seen)):
        fail.add(f"no dead letter for the rejected input record at {args.input_topic}/{pos[0]}@{pos[1]}")
    kinds = Counter(e[1] for e in by_index.values() if e[0] == "reject")

    # ---- personal data
    personal = set(KNOWN_PERSONAL)
    for _, v, _ in records:
        if v:
            personal.update(EMAIL.findall(v.decode("utf-8", "replace")))
    leaks = 0
    for r in out_records:
        if r.value is None:
            continue
        text = r.value.decode("utf-8", "replace")
        for p in personal:
            if p in text:
                leaks += 1
                fail.add(f"{args.output_topic}/{r.partition}@{r.offset}: personal data {p!r} in the output")

    summary = (
        f"{len(records)} produced ({len(file_lines)} via file mode: samples, an expiring post, corpus, "
        f"{n_versions} second versions and their deletes; 2 null values); "
        f"output {len(out_records)} records for {len(expected_per_key)} keys "
        f"({multi} with several versions), {tombstones} tombstones, {max(duplicates, 0)} duplicates; "
        f"dead letters {len(got[args.dead_letter_topic])} ({dlq_dups} duplicates) of kinds "
        + ",".join(f"{k}={n}" for k, n in sorted(kinds.items()))
        + f"; {time_dependent} time-dependent; {len(personal)} personal-data strings, {leaks} leaks; "
        f"took {time.monotonic() - started:.1f}s"
    )
    if fail.items:
        fail.report()
        print(f"e2e: FAILED ({len(fail.items)} mismatches, {missing} keys missing): {summary}")
        return 1
    print(f"e2e: OK: {summary}")
    return 0


def short(x, n=160):
    s = repr(x)
    return s if len(s) <= n else s[:n] + "..."


def cmd_committed(args):
    """The group's committed offset of every input partition is its end."""
    with open(os.path.join(args.workdir, "state.json")) as f:
        state = json.load(f)
    consumer = KafkaConsumer(bootstrap_servers=args.brokers, group_id=args.group,
                             enable_auto_commit=False)
    bad = []
    parts = consumer.partitions_for_topic(args.input_topic) or set()
    tps = [TopicPartition(args.input_topic, p) for p in sorted(parts)]
    # The broker's end offsets, and the producer's acknowledgements: the same.
    ends = {tp.partition: o for tp, o in consumer.end_offsets(tps).items()}
    got = {}
    for tp in tps:
        p = tp.partition
        got[p] = consumer.committed(tp)
        acked = state["input_ends"].get(str(p), 0)
        if ends[p] != acked:
            bad.append(f"partition {p}: end offset {ends[p]}, but the producer's last offset + 1 is {acked}")
        if got[p] != ends[p]:
            bad.append(f"partition {p}: committed {got[p]}, end {ends[p]}")
    consumer.close(autocommit=False)
    if bad:
        print(f"e2e: FAILED: group {args.group} did not commit the end of {args.input_topic}: "
              + "; ".join(bad))
        return 1
    print(f"e2e: OK: group {args.group} committed the end of every input partition {got}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["stream", "committed"])
    ap.add_argument("--brokers", required=True)
    ap.add_argument("--input-topic", required=True)
    ap.add_argument("--output-topic", required=True)
    ap.add_argument("--dead-letter-topic", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--anoniem", default="target/release/anoniem")
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--samples", default="samples/posts.ndjson")
    ap.add_argument("--corpus", help="NDJSON from examples/gen_corpus")
    ap.add_argument("--versions", type=int, default=60,
                    help="corpus posts that get a second version (every third also a delete)")
    ap.add_argument("--wait", type=float, default=120,
                    help="seconds to wait for the stage to commit the end of the input")
    ap.add_argument("--exactly-once", action="store_true",
                    help="read with read_committed; no output or dead letter may come twice")
    args = ap.parse_args()
    if args.command == "stream":
        if not args.corpus:
            ap.error("stream needs --corpus")
        return cmd_stream(args)
    return cmd_committed(args)


if __name__ == "__main__":
    sys.exit(main())
