#!/usr/bin/env python3
"""End-to-end test of `anoniem sweep` against a real Apache Kafka broker.

The sweeper (ANONIEM_BIN sweep) runs as its own process against a
single-node KRaft broker started by tests/kafka/broker.sh, on a compacted
output topic of 3 partitions. The items on the topic are what the stage
publishes: raw posts and comments sanitised by `anoniem anonymise` (file
mode, same rules and key), so commenters on pages no customer manages carry
the `anon-...` pseudonym. The sweeper's clock is fixed (--now); every
check is made with Kafka's own console consumer (key, value and headers of
every record), and must find tombstones for exactly the expected ids:

  retention  facebook posts published at or before now - 1 year (one of
             them exactly at the boundary) get a tombstone with header
             anoniem-fired=sweep-retention; younger ones, sources without a
             retention, and an item already deleted on the topic do not.
  erasure    two authors are added to the erasure list (one raw post
             author, one pseudonymised commenter) and the sweeper gets
             SIGHUP: all their earlier items get a tombstone
             (sweep-erasure); the same commenter's id on another source
             (another pseudonym) does not.
  sigkill    with the sweeper down, more due items are published and one
             more author is erased; the sweeper is started and killed with
             SIGKILL three times at random moments while it works (a small
             in-flight limit keeps it busy), then started once more: every
             due tombstone is there, repeats are counted and reported, and
             the restarts caught up from the store's offsets.
  rebuild    SIGTERM (exit 0), then a start with --rebuild: the store is
             rebuilt from the beginning of the topic, holds exactly the live
             items (its metrics say how many), and produces nothing new.
  two        two sweepers in one group (each its own store) share the
             partitions: more due items get their tombstones, and both
             instances produced some.
  topic      the erasure list also from a compacted list topic
             (--erasure-topic): an author put there before the start is
             swept at once; a raw author and a pseudonymised commenter put
             with `anoniem lists put` while it runs are swept within
             seconds.

Usage (from the repository root; .ci/run runs it with no arguments):

  ANONIEM_BIN=target/debug/anoniem tests/e2e/sweep.py

Environment: SWEEP_SEED (random seed; printed), SWEEP_KEEP=1 keeps the work
dir, SWEEP_LOG (the sweeper's log filter, default info). KAFKA_VERSION,
KAFKA_CACHE_DIR: see tests/kafka/broker.sh. Every wait is bounded.
"""

import calendar
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KAFKA = os.path.join(ROOT, "tests", "kafka")
KEY = "sweep-test-pseudonym-key-not-secret"
TOPIC = "posts-sanitised"
LIST_TOPIC = "anoniem.erased"
GROUP = "anoniem-sweep-e2e"
NOW = "2026-11-29T12:00:00Z"
# The stage published everything at this time: all items were young then.
PUBLISHED_AT_STAGE = "2024-12-01T00:00:00Z"
# Facebook's retention is 1y: due at or before this published_at.
BOUNDARY = "2025-11-29T12:00:00Z"
SESSION_TIMEOUT_MS = 6000


def log(msg):
    print(f"sweep-e2e: {msg}", file=sys.stderr, flush=True)


class Fail(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Fail(msg)


def tail(path, n=25):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join("    " + line[:300] for line in lines[-n:])
    except OSError:
        return "    (no log)"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ------------------------------------------------------------------ records


def post(n, published_at, author="100200300", source="facebook", kind="post", page="fbp-1029384756"):
    """A raw collected item, as the stage's input."""
    return {
        "id": f"{source}:{n}",
        "op": "upsert",
        "source": source,
        "kind": kind,
        "url": f"https://www.{source}.com/p/{n}",
        "published_at": published_at,
        "collected_at": published_at,
        "visibility": "public",
        "language": "nl",
        "page": {"id": page, "name": "Een pagina"},
        "author": {"id": author, "name": "Bol.com" if kind == "post" else "Kees Jansen"},
        "text": f"Bericht nummer {n}",
    }


def comment(n, author, source="facebook"):
    """A comment on a page no customer manages: the stage pseudonymises the author."""
    page = "fbp-unmanaged" if source == "facebook" else "igp-unmanaged"
    return post(n, "2026-06-01T09:00:00Z", author=author, source=source, kind="comment", page=page)


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + "Z"


def epoch(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


class Test:
    def __init__(self, work, anoniem, seed):
        self.work = work
        self.anoniem = anoniem
        self.rng = random.Random(seed)
        self.env = dict(os.environ, KAFKA_STATE_DIR=os.path.join(work, "kafka"))
        self.rules = os.path.join(work, "rules")
        shutil.copytree(os.path.join(ROOT, "rules"), self.rules)
        self.bootstrap = None
        self.procs = []
        self.producer = None
        self.metrics_port = free_port()

    # -- broker and tools

    def broker(self, cmd, timeout=120):
        r = subprocess.run([os.path.join(KAFKA, "broker.sh"), cmd], env=self.env, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in r.stderr.splitlines():
            log(line)
        need(r.returncode == 0, f"broker.sh {cmd} failed ({r.returncode})")
        return r.stdout.strip()

    def create_topic(self, topic=TOPIC, partitions=3):
        r = subprocess.run([os.path.join(KAFKA, "topics.sh"), "--bootstrap-server", self.bootstrap, "--create",
                            "--topic", topic, "--partitions", str(partitions), "--config",
                            "cleanup.policy=compact"],
                           env=self.env, timeout=60, capture_output=True, text=True)
        need(r.returncode == 0, f"cannot create topic {topic}: {r.stderr.strip()[-500:]}")

    def lists_put(self, entry):
        """Puts an entry on the erasure list's topic, as ops would."""
        r = subprocess.run([self.anoniem, "lists", "put", "--list", "erased_authors", "--topic", LIST_TOPIC,
                            "--brokers", self.bootstrap, entry], env=self.env, capture_output=True, text=True,
                           timeout=60)
        need(r.returncode == 0, f"anoniem lists put failed ({r.returncode}): {r.stderr[-500:]}")

    def sanitise(self, raws):
        """Runs file mode over raw items: what the stage would publish."""
        r = subprocess.run([self.anoniem, "anonymise", "--rules", self.rules, "--now", PUBLISHED_AT_STAGE,
                            "--quiet"],
                           input="".join(json.dumps(x) + "\n" for x in raws), capture_output=True, text=True,
                           timeout=120, env=dict(self.env, ANONIEM_PSEUDONYM_KEY=KEY))
        need(r.returncode == 0, f"anoniem anonymise failed ({r.returncode}): {r.stderr[-800:]}")
        out = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        need(len(out) == len(raws), f"file mode gave {len(out)} records for {len(raws)}")
        for rec in out:
            need(rec.get("op") != "delete", "the stage would not publish a test item")
        return out

    def publish(self, records, tombstones=()):
        """Produces sanitised records (and tombstones) keyed by id, as the stage does."""
        if self.producer is None:
            self.producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all", linger_ms=5,
                                          request_timeout_ms=20000)
        for rec in records:
            self.producer.send(TOPIC, key=rec["id"].encode(), value=json.dumps(rec).encode())
        for key in tombstones:
            self.producer.send(TOPIC, key=key.encode(), value=None)
        self.producer.flush(timeout=60)

    def end_offsets(self):
        c = KafkaConsumer(bootstrap_servers=self.bootstrap, request_timeout_ms=10000)
        try:
            tps = [TopicPartition(TOPIC, p) for p in range(3)]
            return {tp.partition: o for tp, o in c.end_offsets(tps).items()}
        finally:
            c.close()

    def tombstones_now(self):
        """{key: tombstones} read with kafka-python (for progress only)."""
        c = KafkaConsumer(bootstrap_servers=self.bootstrap, auto_offset_reset="earliest",
                          enable_auto_commit=False, consumer_timeout_ms=3000, request_timeout_ms=10000)
        try:
            tps = [TopicPartition(TOPIC, p) for p in range(3)]
            c.assign(tps)
            ends = c.end_offsets(tps)
            c.seek_to_beginning(*tps)
            counts = Counter()
            deadline = time.monotonic() + 60
            while any(c.position(tp) < ends[tp] for tp in tps):
                need(time.monotonic() < deadline, "kafka-python could not read the topic within 60s")
                for recs in c.poll(timeout_ms=500).values():
                    for m in recs:
                        if m.value is None:
                            counts[m.key.decode()] += 1
            return counts
        finally:
            c.close()

    def console_read(self):
        """Every record of the topic with Kafka's console consumer:
        [(key, value-or-None, headers)] in partition order."""
        cmd = [os.path.join(KAFKA, "console-consumer.sh"), "--bootstrap-server", self.bootstrap,
               "--topic", TOPIC, "--from-beginning", "--timeout-ms", "6000",
               "--property", "print.key=true", "--property", "print.value=true",
               "--property", "print.headers=true", "--property", "print.partition=true",
               "--property", "key.separator=\t", "--property", "headers.separator=|"]
        r = subprocess.run(cmd, env=self.env, capture_output=True, timeout=180)
        err = r.stderr.decode("utf-8", "replace")
        need("Processed a total of" in err, f"console consumer failed: {err[-800:]}")
        out = []
        for line in r.stdout.decode("utf-8").splitlines():
            # Partition:N<TAB>headers<TAB>key<TAB>value
            part, headers, key, value = line.split("\t", 3)
            out.append((key, None if value == "null" else value, headers, part))
        total = sum(self.end_offsets().values())
        need(len(out) == total, f"console consumer read {len(out)} records, the topic holds {total}")
        return out

    # -- the sweeper

    def sweeper(self, name, *extra, store="store", metrics=True):
        env = dict(self.env)
        env.update({
            "ANONIEM_BROKERS": self.bootstrap,
            "ANONIEM_OUTPUT_TOPIC": TOPIC,
            "ANONIEM_SWEEP_GROUP_ID": GROUP,
            "ANONIEM_RULES_DIR": self.rules,
            "ANONIEM_PSEUDONYM_KEY": KEY,
            "ANONIEM_SWEEP_STORE": os.path.join(self.work, store),
            "ANONIEM_SWEEP_CHECK_INTERVAL_MS": "1000",
            "ANONIEM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS),
            "ANONIEM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS": "500",
            "ANONIEM_KAFKA_PRODUCER_LINGER_MS": "5",
            "ANONIEM_LOG": os.environ.get("SWEEP_LOG", "info"),
            "NO_COLOR": "1",
        })
        if metrics:
            env["ANONIEM_SWEEP_METRICS_LISTEN"] = f"127.0.0.1:{self.metrics_port}"
        path = os.path.join(self.work, f"sweep-{name}.log")
        f = open(path, "ab")
        f.write(f"==== start {time.strftime('%H:%M:%S')}\n".encode())
        f.flush()
        p = subprocess.Popen([self.anoniem, "sweep", "--now", NOW, *extra], env=env, stdout=f,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        f.close()
        p.log = path
        p.name = name
        self.procs.append(p)
        return p

    def alive(self, p):
        if p.poll() is not None:
            raise Fail(f"sweeper {p.name} exited by itself with status {p.returncode}; log {p.log}:\n"
                       + tail(p.log))

    def sigkill(self, p):
        p.kill()
        p.wait(timeout=30)

    def sigterm(self, p, bound=45):
        p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=30)
            raise Fail(f"sweeper {p.name} did not exit within {bound}s of SIGTERM")
        need(rc == 0, f"sweeper {p.name} exited with {rc} after SIGTERM; log {p.log}:\n" + tail(p.log))

    def wait_tombstones(self, want, procs, bound=120):
        """Waits until every key in `want` has a tombstone on the topic."""
        deadline = time.monotonic() + bound
        while True:
            for p in procs:
                self.alive(p)
            got = self.tombstones_now()
            missing = [k for k in want if got[k] == 0]
            if not missing:
                return got
            if time.monotonic() > deadline:
                raise Fail(f"{len(missing)} of {len(want)} due tombstones missing after {bound}s, "
                           f"e.g. {missing[:3]}")
            time.sleep(1)

    def wait_log(self, p, text, bound=60):
        deadline = time.monotonic() + bound
        while True:
            self.alive(p)
            with open(p.log, "rb") as f:
                if text.encode() in f.read():
                    return
            need(time.monotonic() < deadline, f"sweeper {p.name} did not log {text!r} within {bound}s")
            time.sleep(0.2)

    def metric(self, name, bound=30):
        deadline = time.monotonic() + bound
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
                    text = r.read().decode()
                for line in text.splitlines():
                    if line.startswith(name + " ") or line.startswith(name + "{"):
                        return text, float(line.rsplit(" ", 1)[1])
            except OSError:
                pass
            need(time.monotonic() < deadline, f"metric {name} not served within {bound}s")
            time.sleep(0.5)

    def erase(self, *authors):
        path = os.path.join(self.rules, "lists", "erased_authors.txt")
        with open(path, "a") as f:
            for a in authors:
                f.write(a + "\n")

    def check(self, expect, base, what):
        """Kafka's console consumer must see new tombstones for exactly the
        ids in `expect` ({id: reason}) on top of `base` ({id: tombstones}).
        Returns the per-key tombstone counts and the number of repeats."""
        records = self.console_read()
        counts = Counter(k for k, v, _, _ in records if v is None)
        new = {k for k in counts if counts[k] > base.get(k, 0)}
        extra = sorted(new - set(expect))
        missing = sorted(set(expect) - new)
        need(not extra, f"[{what}] tombstones for ids that were not due: {extra[:5]} ({len(extra)})")
        need(not missing, f"[{what}] due ids without a tombstone: {missing[:5]} ({len(missing)})")
        # The sweeper's tombstones say why.
        for key, value, headers, _ in records:
            if value is None and key in expect and "anoniem-fired:" in headers:
                fired = headers.split("anoniem-fired:", 1)[1].split("|", 1)[0]
                need(fired in ("sweep-retention", "sweep-erasure"), f"[{what}] unexpected header {headers}")
        reasons = {}
        for key, value, headers, _ in records:
            if value is None and "anoniem-fired:sweep-" in headers:
                reasons.setdefault(key, set()).add(headers.split("anoniem-fired:sweep-", 1)[1].split("|")[0])
        for key, reason in expect.items():
            if key in reasons:
                need(reason in reasons[key], f"[{what}] {key}: tombstone reason {reasons[key]}, {reason} expected")
        repeats = sum(counts[k] - base.get(k, 0) - 1 for k in new)
        log(f"[{what}] Kafka's console consumer: {len(records)} records, new tombstones for exactly the "
            f"{len(expect)} due ids ({repeats} repeats)")
        return counts, repeats

    def cleanup(self):
        if self.producer is not None:
            try:
                self.producer.close(timeout=10)
            except Exception:
                pass
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pass


def run(t):
    t.bootstrap = t.broker("start")
    log(f"Apache Kafka at {t.bootstrap}")
    t.create_topic()

    # ---- the items, as published by the stage
    boundary = epoch(BOUNDARY)
    raws, due, young = [], {}, []
    for i in range(120):
        # Spread over two years around the boundary, whole seconds.
        at = boundary + t.rng.randint(-300, 300) * 86400 + t.rng.randint(0, 86399)
        if at == boundary:
            at += 1
        raws.append(post(1000 + i, iso(at)))
        if at <= boundary:
            due[f"facebook:{1000 + i}"] = "retention"
        else:
            young.append(f"facebook:{1000 + i}")
    # Exactly at the boundary: due at its moment; one second later: not.
    raws.append(post(2000, BOUNDARY))
    due["facebook:2000"] = "retention"
    raws.append(post(2001, iso(boundary + 1)))
    # Sources without a retention stay however old.
    raws += [post(3000 + i, "2019-05-05T10:00:00Z", source="twitter") for i in range(10)]
    raws += [post(3100 + i, "2018-01-01T10:00:00Z", source="linkedin") for i in range(10)]
    # Old, but already deleted on the topic: nothing more to do.
    raws.append(post(4000, "2024-12-01T00:00:00Z"))
    # Young posts by a page author and comments by a commenter, erased later.
    raws += [post(5000 + i, "2026-06-01T08:00:00Z", author="424242") for i in range(6)]
    raws += [comment(6000 + i, "737373") for i in range(6)]
    raws += [comment(6100 + i, "737373", source="instagram") for i in range(4)]
    raws += [comment(6200 + i, "737374") for i in range(4)]
    # Young posts by an author erased while the sweeper is down.
    raws += [post(7000 + i, "2026-07-01T08:00:00Z", author="515151") for i in range(30)]
    published = t.sanitise(raws)
    anon = {r["id"]: r["author"]["id"] for r in published if r["id"].startswith(("facebook:6", "instagram:6"))}
    need(all(v.startswith("anon-") for v in anon.values()), "commenters are pseudonymised on the output")
    t.publish(published, tombstones=["facebook:4000"])
    base = {"facebook:4000": 1}
    log(f"published {len(published)} items and 1 tombstone; {len(due)} are past retention at {NOW}")

    # ---- retention
    started = time.monotonic()
    s = t.sweeper("a")
    t.wait_tombstones(list(due), [s])
    time.sleep(3)  # anything more it would produce
    counts, _ = t.check(due, base, "retention")
    log(f"[retention] passed in {time.monotonic() - started:.1f} s")

    # ---- erasure, on SIGHUP
    started = time.monotonic()
    t.erase("facebook:424242", "facebook:737373")
    s.send_signal(signal.SIGHUP)
    erased = {f"facebook:{5000 + i}": "erasure" for i in range(6)}
    erased.update({f"facebook:{6000 + i}": "erasure" for i in range(6)})
    t.wait_tombstones(list(erased), [s])
    time.sleep(3)
    counts, _ = t.check({**due, **erased}, base, "erasure")
    log(f"[erasure] passed in {time.monotonic() - started:.1f} s (raw author and pseudonymised commenter; "
        f"the commenter's other source stays)")

    # ---- SIGKILL and restart
    started = time.monotonic()
    t.sigkill(s)
    more = []
    for i in range(600):
        at = boundary - t.rng.randint(1, 200) * 86400
        more.append(post(8000 + i, iso(at)))
    more += [post(9000 + i, "2026-10-01T00:00:00Z") for i in range(200)]
    t.publish(t.sanitise(more))
    t.erase("facebook:515151")
    late = {f"facebook:{8000 + i}": "retention" for i in range(600)}
    late.update({f"facebook:{7000 + i}": "erasure" for i in range(30)})
    log(f"sweeper killed; {len(late)} more due while it is down")
    kills = mid_work = 0
    done = 0
    for _ in range(3):
        s = t.sweeper("a", "--max-in-flight", "10")
        # Kill it while it works: once it has produced some more of them.
        deadline = time.monotonic() + 60
        target = done + t.rng.randint(10, 120)
        while True:
            t.alive(s)
            got = t.tombstones_now()
            done = sum(1 for k in late if got[k] > 0)
            if done >= min(target, len(late)):
                break
            need(time.monotonic() < deadline, f"no progress to {target} tombstones within 60s ({done})")
            time.sleep(t.rng.uniform(0.05, 0.4))
        t.sigkill(s)
        kills += 1
        mid_work += done < len(late)
        log(f"SIGKILL {kills} after {done} of {len(late)}")
    need(mid_work > 0, "no SIGKILL landed while the sweeper was at work")
    s = t.sweeper("a")
    t.wait_tombstones(list(late), [s])
    time.sleep(3)
    expect = {**due, **erased, **late}
    counts, repeats = t.check(expect, base, "sigkill")
    with open(s.log, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    need("catching up from the store's offset" in text, "the restarts did not catch up from the store")
    log(f"[sigkill] passed in {time.monotonic() - started:.1f} s: {kills} kills, no due tombstone lost, "
        f"{repeats} repeats")

    # ---- SIGTERM, then rebuild from the beginning
    started = time.monotonic()
    t.sigterm(s)
    ends = t.end_offsets()
    s = t.sweeper("rebuild", "--rebuild")
    live = {}
    for key, value, _, _ in t.console_read():
        live[key] = value is not None
    n_live = sum(live.values())
    deadline = time.monotonic() + 60
    while True:
        t.alive(s)
        _, items = t.metric("anoniem_sweep_items")
        if items == n_live:
            break
        need(time.monotonic() < deadline, f"the rebuilt store holds {items} items, {n_live} are live")
        time.sleep(0.5)
    time.sleep(3)  # two check intervals: nothing may be produced
    need(t.end_offsets() == ends, f"the rebuilt sweeper produced records: {ends} -> {t.end_offsets()}")
    with open(s.log, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    need("building from the beginning" in text, "--rebuild did not read from the beginning")
    t.sigterm(s)
    log(f"[rebuild] passed in {time.monotonic() - started:.1f} s: {n_live} live items tracked, nothing produced")

    # ---- two instances in one group share the partitions
    started = time.monotonic()
    b1 = t.sweeper("b1", store="store-b1", metrics=False)
    t.wait_log(b1, "caught up")
    b2 = t.sweeper("b2", store="store-b2", metrics=False)
    t.wait_log(b2, "caught up")
    time.sleep(2)
    shared = [post(10000 + i, iso(boundary - t.rng.randint(1, 300) * 86400)) for i in range(300)]
    t.publish(t.sanitise(shared))
    two = {f"facebook:{10000 + i}": "retention" for i in range(300)}
    t.wait_tombstones(list(two), [b1, b2])
    time.sleep(3)
    t.check({**expect, **two}, base, "two instances")
    for p in (b1, b2):
        with open(p.log, "rb") as f:
            need(b"due tombstones produced" in f.read(), f"sweeper {p.name} produced none: no share")
    t.sigterm(b1)
    t.sigterm(b2)
    log(f"[two instances] passed in {time.monotonic() - started:.1f} s: both produced a share, "
        f"every due tombstone is there")

    # ---- the erasure list from a compacted topic
    started = time.monotonic()
    t.create_topic(LIST_TOPIC, partitions=1)
    topic_raws = [post(11000 + i, "2026-06-01T08:00:00Z", author="616161") for i in range(5)]
    topic_raws += [post(11100 + i, "2026-06-01T08:00:00Z", author="626262") for i in range(5)]
    t.publish(t.sanitise(topic_raws))
    t.lists_put("facebook:616161")
    c = t.sweeper("c", "--erasure-topic", LIST_TOPIC, "--group-id", GROUP + "-topic", store="store-c",
                  metrics=False)
    at_start = {f"facebook:{11000 + i}": "erasure" for i in range(5)}
    t.wait_tombstones(list(at_start), [c])
    t.wait_log(c, "erasure list topic read")
    put_started = time.monotonic()
    t.lists_put("facebook:626262")
    t.lists_put("instagram:737373")
    put = {f"facebook:{11100 + i}": "erasure" for i in range(5)}
    put.update({f"instagram:{6100 + i}": "erasure" for i in range(4)})
    t.wait_tombstones(list(put), [c], bound=60)
    took = time.monotonic() - put_started
    time.sleep(3)
    t.check({**expect, **two, **at_start, **put}, base, "topic")
    t.sigterm(c)
    log(f"[topic] passed in {time.monotonic() - started:.1f} s: an entry put before the start swept at "
        f"once, two put while it runs swept in {took:.1f} s (raw author and pseudonymised commenter)")


def main():
    anoniem = os.path.abspath(os.environ.get("ANONIEM_BIN", os.path.join(ROOT, "target", "release", "anoniem")))
    if not os.access(anoniem, os.X_OK):
        log(f"no anoniem binary at {anoniem} (cargo build --bin anoniem)")
        return 1
    seed = int(os.environ.get("SWEEP_SEED", random.randrange(1 << 30)))
    log(f"seed {seed} (SWEEP_SEED={seed} repeats this run)")
    work = tempfile.mkdtemp(prefix="anoniem-sweep-e2e.")
    t = Test(work, anoniem, seed)
    started = time.monotonic()
    ok = False

    def on_signal(signum, _frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise Fail(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        run(t)
        ok = True
    except Fail as e:
        log(f"FAILED: {e}")
        for p in t.procs:
            log(f"last lines of {p.log}:\n{tail(p.log)}")
    finally:
        t.cleanup()
        try:
            t.broker("stop", timeout=90)
        except Exception:
            try:
                t.broker("kill", timeout=30)
            except Exception:
                pass
        if ok and os.environ.get("SWEEP_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"work dir kept: {work}")
    log(f"{'passed' if ok else 'failed'} in {time.monotonic() - started:.0f} s (seed {seed})")
    print(f"sweep-e2e: {1 if ok else 0} passed, {0 if ok else 1} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
