#!/usr/bin/env python3
"""Fault tests of `anoniem run` against a real Apache Kafka broker.

Each test runs the stage (ANONIEM_BIN) as its own process(es), configured by
ANONIEM_* environment variables, against a single-node KRaft broker started
by tests/kafka/broker.sh, feeds the input with Kafka's console producer and
checks the output id by id with Kafka's console consumer
(`--property print.key=true`, and `--isolation-level read_committed` for
exactly-once):

  crash      100,000 generated posts (examples/gen_corpus) streamed in; the
             stage is killed with SIGKILL 5 times at random moments (each
             while it is producing) and restarted each time.
             at-least-once: every id is in the output; exactly-once: every id
             exactly once for a read_committed reader. Repeats are reported.
  broker     the broker is killed with SIGKILL mid-stream, left down for 10 s
             and started again on the same log dir and ports: no id missing
             (exactly-once: none twice either).
  rebalance  three instances in one group on a 6-partition input, one
             killed with SIGKILL mid-stream: the survivors take over its
             partitions after the session timeout, and no id is missing.
  poison     an invalid-JSON record and a record over max_record_bytes in the
             middle of the stream go to the dead-letter topic (with their
             reason kind) and the stream goes on.
  poison-default-limit
             with the default limits, a 1.56 MB record (over max_record_bytes)
             and a 1.02 MB one whose output is over max_message_bytes become
             dead letters without their bytes (header anoniem-omitted).

Every input record with a readable id yields exactly one output record
(sanitised upsert or tombstone) keyed by that id; rejects go to the
dead-letter topic. The generated corpus has no rejects.

Usage (from the repository root; .ci/run runs it with no arguments):

  ANONIEM_BIN=target/debug/anoniem tests/e2e/faults.py [TEST...] [--guarantee G]

TEST: crash, broker, rebalance, poison, poison-default-limit (default: all, in
that order).
Environment: FAULT_SEED (random seed; printed), FAULT_RECORDS (crash test,
default 100000), FAULT_KEEP=1 keeps the work dir, FAULT_RUN_KNOWN_BUGS=1 also
runs the parts that a known stage bug fails (none at present). KAFKA_VERSION,
KAFKA_CACHE_DIR: see tests/kafka/broker.sh.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KAFKA = os.path.join(ROOT, "tests", "kafka")
SESSION_TIMEOUT_MS = 6000
KEY = "fault-test-pseudonym-key-not-secret"
GUARANTEES = ("at-least-once", "exactly-once")


def log(msg):
    print(f"faults: {msg}", file=sys.stderr, flush=True)


class Fail(Exception):
    pass


class Skip(Exception):
    """A part of a test that a known stage bug fails. `every`: skip the
    test for the other guarantee as well."""

    def __init__(self, msg, every=False):
        super().__init__(msg)
        self.every = every


def need(cond, msg):
    if not cond:
        raise Fail(msg)


class Interrupted(BaseException):
    pass


def on_signal(signum, _frame):
    # Once: `timeout` signals this process and its process group, and the
    # cleanup must not be interrupted by the second signal.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Interrupted(f"signal {signum}")


# ------------------------------------------------------------------ harness


class Harness:
    """The broker, the processes of the tests, Kafka clients for progress."""

    def __init__(self, work, anoniem, seed):
        self.work = work
        self.anoniem = anoniem
        self.rng = random.Random(seed)
        self.env = dict(os.environ, KAFKA_STATE_DIR=os.path.join(work, "kafka"))
        self.procs = []  # (Popen, name) still to be cleaned up
        self.bootstrap = None
        self._consumer = None
        self._admin = None
        self.gen = os.environ.get("GEN_CORPUS") or os.path.join(
            os.path.dirname(anoniem), "examples", "gen_corpus")

    # -- broker and tools

    def broker(self, cmd, timeout=120):
        r = subprocess.run([os.path.join(KAFKA, "broker.sh"), cmd], env=self.env, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in r.stderr.splitlines():
            log(line)
        need(r.returncode == 0, f"broker.sh {cmd} failed ({r.returncode})")
        return r.stdout.strip()

    def start_broker(self):
        self.bootstrap = self.broker("start")
        return self.bootstrap

    def create_topic(self, topic, partitions, *configs):
        cmd = [os.path.join(KAFKA, "topics.sh"), "--bootstrap-server", self.bootstrap, "--create",
               "--topic", topic, "--partitions", str(partitions)]
        for c in configs:
            cmd += ["--config", c]
        r = subprocess.run(cmd, env=self.env, timeout=60, capture_output=True, text=True)
        need(r.returncode == 0, f"cannot create topic {topic}: {r.stderr.strip()[-500:]}")

    def console_read(self, reads, idle_ms=5000):
        """Reads topics from the beginning with Kafka's console consumer (one
        process per topic, all at once), each until it is idle for
        `idle_ms`. `reads`: [(topic, read_committed, with_headers)]. Returns
        per topic [(key, headers-or-None)]."""
        procs = []
        for topic, read_committed, headers in reads:
            cmd = [os.path.join(KAFKA, "console-consumer.sh"), "--bootstrap-server", self.bootstrap,
                   "--topic", topic, "--from-beginning", "--timeout-ms", str(idle_ms),
                   "--isolation-level", "read_committed" if read_committed else "read_uncommitted",
                   "--property", "print.key=true", "--property", "print.value=false",
                   "--consumer-property", "fetch.max.bytes=16777216"]
            if headers:
                cmd += ["--property", "print.headers=true"]
            out = tempfile.TemporaryFile(dir=self.work)
            err = tempfile.TemporaryFile(dir=self.work)
            procs.append((topic, headers, subprocess.Popen(cmd, env=self.env, stdout=out, stderr=err),
                          out, err))
        results = []
        for topic, headers, p, out, err in procs:
            try:
                p.wait(timeout=300)
            except subprocess.TimeoutExpired:
                p.kill()
                raise Fail(f"console consumer on {topic} did not finish within 300s")
            out.seek(0)
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
            m = re.search(r"Processed a total of (\d+) messages", text)
            need(m is not None, f"console consumer on {topic} failed: {text[-800:]}")
            lines = out.read().decode("utf-8", "replace").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            need(len(lines) == int(m.group(1)),
                 f"console consumer on {topic}: {len(lines)} lines for {m.group(1)} messages")
            got = []
            for line in lines:
                if headers:
                    hdr, _, k = line.rpartition("\t")
                    got.append((k, hdr))
                else:
                    got.append((line, None))
            results.append(got)
        return results

    def console_producer(self, topic, lines, rate=None, max_bytes=None):
        """Feeds `lines` (b"key\\tvalue") to Kafka's console producer, at
        `rate` lines/s until .fast is set, then at full speed. Returns the
        feeder; .done() tells whether the producer exited, .rc its status."""
        cmd = [os.path.join(KAFKA, "console-producer.sh"), "--bootstrap-server", self.bootstrap,
               "--topic", topic, "--property", "parse.key=true", "--property", "key.separator=\t"]
        props = {"acks": "all", "enable.idempotence": "true", "linger.ms": "5",
                 "batch.size": "131072", "compression.type": "lz4",
                 "delivery.timeout.ms": "300000", "max.block.ms": "300000",
                 "request.timeout.ms": "20000", "retry.backoff.ms": "200"}
        if max_bytes:
            props["max.request.size"] = str(max_bytes)
        for k, v in props.items():
            cmd += ["--producer-property", f"{k}={v}"]
        errlog = open(os.path.join(self.work, f"producer-{topic}.log"), "wb")
        p = subprocess.Popen(cmd, env=self.env, stdin=subprocess.PIPE, stdout=errlog,
                             stderr=subprocess.STDOUT)
        self.procs.append((p, f"console producer {topic}"))
        return Feeder(p, lines, rate)

    # -- the stage

    def stage(self, name, t, guarantee, group, extra=None):
        env = dict(self.env)
        env.update({
            "ANONIEM_BROKERS": self.bootstrap,
            "ANONIEM_GROUP_ID": group,
            "ANONIEM_INPUT_TOPIC": t["in"],
            "ANONIEM_OUTPUT_TOPIC": t["out"],
            "ANONIEM_DEAD_LETTER_TOPIC": t["dlq"],
            "ANONIEM_RULES_DIR": os.path.join(ROOT, "rules"),
            "ANONIEM_PSEUDONYM_KEY": KEY,
            "ANONIEM_GUARANTEE": guarantee,
            "ANONIEM_TRANSACTIONAL_ID": f"{group}-{name}",
            "ANONIEM_KAFKA_CLIENT_ID": name,
            "ANONIEM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS),
            "ANONIEM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS": "500",
            "ANONIEM_LOG": os.environ.get("FAULT_LOG", "info"),
            "NO_COLOR": "1",
        })
        env.update(extra or {})
        path = os.path.join(self.work, f"stage-{group}-{name}.log")
        with open(path, "ab") as f:
            f.write(f"==== start {time.strftime('%H:%M:%S')}\n".encode())
            p = subprocess.Popen([self.anoniem, "run"], env=env, stdout=f, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
        p.log = path
        p.name = name
        p.started = time.monotonic()
        self.procs.append((p, f"stage {name}"))
        return p

    def alive(self, p, what="the stage"):
        if p.poll() is not None:
            raise Fail(f"{what} ({p.name}) exited by itself with status {p.returncode}; "
                       f"log {p.log}:\n" + tail(p.log))

    def sigkill(self, p):
        p.kill()
        p.wait(timeout=30)

    def sigterm(self, p, bound=45):
        """SIGTERM; the stage must exit 0 within `bound` seconds."""
        p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=30)
            raise Fail(f"stage {p.name} did not exit within {bound}s of SIGTERM")
        need(rc == 0, f"stage {p.name} exited with {rc} after SIGTERM (0 expected); log {p.log}:\n"
             + tail(p.log))

    # -- Kafka clients for progress (kafka-python; recreated after errors)

    def end_offsets(self, topic):
        for attempt in range(3):
            try:
                if self._consumer is None:
                    self._consumer = KafkaConsumer(bootstrap_servers=self.bootstrap,
                                                   request_timeout_ms=10000,
                                                   api_version_auto_timeout_ms=10000)
                parts = self._consumer.partitions_for_topic(topic) or []
                tps = [TopicPartition(topic, p) for p in sorted(parts)]
                return {tp.partition: o for tp, o in self._consumer.end_offsets(tps).items()}
            except Exception as e:  # the broker may be down or restarting
                self.drop_clients()
                if attempt == 2:
                    raise Fail(f"cannot read the end offsets of {topic}: {e!r}")
                time.sleep(1)

    def committed(self, group, topic):
        try:
            if self._admin is None:
                self._admin = KafkaAdminClient(bootstrap_servers=self.bootstrap,
                                               request_timeout_ms=10000)
            offsets = self._admin.list_consumer_group_offsets(group)
            return {tp.partition: m.offset for tp, m in offsets.items() if tp.topic == topic}
        except Exception:
            self.drop_clients()
            return {}

    def members(self, group):
        """{client id: [partitions]} of the group's members, or None."""
        try:
            if self._admin is None:
                self._admin = KafkaAdminClient(bootstrap_servers=self.bootstrap,
                                               request_timeout_ms=10000)
            info = self._admin.describe_consumer_groups([group])[0]
            if info.state != "Stable":
                return None
            out = {}
            for m in info.members:
                parts = []
                a = m.member_assignment
                for _topic, ps in (getattr(a, "assignment", None) or []):
                    parts += list(ps)
                out[m.client_id] = sorted(parts)
            return out
        except Exception:
            self.drop_clients()
            return None

    def drop_clients(self):
        for c in (self._consumer, self._admin):
            try:
                if c is not None:
                    c.close()
            except Exception:
                pass
        self._consumer = self._admin = None

    def last_stable(self, topic):
        """{partition: last stable offset}: where a read_committed reader
        stops while a transaction is open."""
        c = KafkaConsumer(bootstrap_servers=self.bootstrap, isolation_level="read_committed",
                          request_timeout_ms=10000)
        try:
            parts = c.partitions_for_topic(topic) or []
            tps = [TopicPartition(topic, p) for p in sorted(parts)]
            return {tp.partition: o for tp, o in c.end_offsets(tps).items()}
        finally:
            c.close()

    def wait_stable(self, topics, bound):
        """Waits until no transaction is open on `topics` (the last stable
        offset is the end offset of every partition); returns the seconds."""
        started = time.monotonic()
        while True:
            open_ = {}
            for topic in topics:
                ends, lso = self.end_offsets(topic), self.last_stable(topic)
                open_.update({f"{topic}/{p}": (lso.get(p), e) for p, e in ends.items() if lso.get(p) != e})
            if not open_:
                return time.monotonic() - started
            if time.monotonic() - started > bound:
                raise Fail(f"transactions still open after {bound}s: (last stable, end) {open_}")
            time.sleep(0.5)

    def output_count(self, topic):
        return sum(self.end_offsets(topic).values())

    def wait_committed(self, group, topic, bound, stages=()):
        """Waits until `group` has committed the end of every partition of
        `topic` (then every output of the input is written)."""
        ends = self.end_offsets(topic)
        deadline = time.monotonic() + bound
        while True:
            got = self.committed(group, topic)
            if all(got.get(p, -1) >= e for p, e in ends.items()):
                return
            for s in stages:
                self.alive(s)
            if time.monotonic() > deadline:
                raise Fail(f"group {group} did not commit the end of {topic} within {bound}s: "
                           f"committed {got}, ends {ends}")
            time.sleep(0.5)

    def cleanup(self):
        self.drop_clients()
        for p, _ in reversed(self.procs):
            if p.poll() is None:
                p.kill()
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pass
        self.procs = []


class Feeder:
    """Writes lines to a process's stdin in a thread: `rate` lines/s (None:
    all at once) until `fast` is set."""

    def __init__(self, proc, lines, rate):
        self.proc = proc
        self.lines = lines
        self.rate = rate
        self.fast = threading.Event()
        self.written = 0
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            last = time.monotonic()
            credit = 0.0
            i = 0
            n = len(self.lines)
            while i < n:
                if self.rate and not self.fast.is_set():
                    # self.rate may change while this runs.
                    now = time.monotonic()
                    credit += (now - last) * self.rate
                    last = now
                    if credit < 1:
                        time.sleep(0.05)
                        continue
                    j = min(i + int(credit), n)
                    credit -= j - i
                else:
                    j = n
                self.proc.stdin.write(b"".join(self.lines[i:j]))
                self.proc.stdin.flush()
                i = j
                self.written = i
            self.proc.stdin.close()
        except Exception as e:  # noqa: BLE001 - reported by wait()
            self.error = e

    def wait(self, bound):
        self.fast.set()
        self.thread.join(bound)
        need(not self.thread.is_alive(), f"the console producer did not take its input within {bound}s")
        need(self.error is None, f"feeding the console producer failed: {self.error!r}")
        try:
            rc = self.proc.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            raise Fail(f"the console producer did not finish within {bound}s")
        need(rc == 0, f"the console producer exited with {rc}")


def tail(path, n=25):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join("    " + l[:300] for l in lines[-n:])
    except OSError:
        return "    (no log)"


# ------------------------------------------------------------------ input and checks


def corpus(h, n, seed):
    """n generated posts as console-producer lines b"id\\tjson\\n"."""
    r = subprocess.run([h.gen, str(n), str(seed)], capture_output=True, timeout=300)
    need(r.returncode == 0, f"{h.gen} failed: {r.stderr[-500:]!r}")
    lines = []
    for raw in r.stdout.splitlines():
        if not raw.strip():
            continue
        rid = json.loads(raw)["id"]
        lines.append(rid.encode() + b"\t" + raw + b"\n")
    need(len(lines) == n, f"gen_corpus wrote {len(lines)} records, not {n}")
    return lines


def topics(h, name, guarantee, partitions=3, extra=()):
    g = "alo" if guarantee == "at-least-once" else "eos"
    t = {"in": f"{name}-{g}-in", "out": f"{name}-{g}-out", "dlq": f"{name}-{g}-dlq"}
    h.create_topic(t["in"], partitions, *extra)
    # Not compacted: repeats must stay visible to be counted.
    h.create_topic(t["out"], 3)
    h.create_topic(t["dlq"], 3, *extra)
    return t, f"{name}-{g}"


def check_output(h, t, guarantee, sent_keys, dead=None, dead_headers=None):
    """Reads the input, output and dead-letter topics with Kafka's console
    consumer and checks them id by id. `sent_keys`: the keys fed to the
    producer; `dead`: {key: reason kind} of the records that must become
    dead letters. Returns a summary."""
    dead = dead or {}
    eos = guarantee == "exactly-once"
    if eos:
        # A transaction left open by an instance that died for good holds
        # read_committed readers back until the coordinator aborts it.
        waited = h.wait_stable([t["out"], t["dlq"]], 120)
        if waited > 1:
            log(f"  read_committed readers waited {waited:.0f}s for an open transaction to be aborted")
    r_in, r_out, dl = h.console_read([(t["in"], False, False), (t["out"], eos, False),
                                      (t["dlq"], eos, True)])
    # The console consumer's idle timeout also runs while it joins its
    # group: on a loaded machine a reader can give up before its first
    # fetch and report 0 messages. The input and output are never empty
    # here, so an empty read is read again, with a longer wait (a topic
    # that really is empty stays empty and fails below).
    if not r_in or not r_out:
        log(f"  a console consumer read nothing within 5s (input {len(r_in)}, output {len(r_out)}); "
            f"reading again with 30s")
        r_in, r_out = h.console_read([(t["in"], False, False), (t["out"], eos, False)], idle_ms=30000)
    inp = Counter(k for k, _ in r_in)
    sent = Counter(sent_keys)
    need(inp == sent, f"the input topic holds {sum(inp.values())} records, {sum(sent.values())} were fed "
         f"to the console producer ({len(sent - inp)} keys short, {len(inp - sent)} keys more)")
    expected = Counter({k: c for k, c in inp.items() if k not in dead})
    out = Counter(k for k, _ in r_out)
    missing = sorted(set(expected) - set(out))
    unexpected = sorted(set(out) - set(expected))
    need(not missing, f"{len(missing)} of {len(expected)} ids missing from the output, e.g. {missing[:5]}")
    need(not unexpected, f"{len(unexpected)} output keys that are no input id, e.g. {unexpected[:5]}")
    short = [k for k in expected if out[k] < expected[k]]
    need(not short, f"{len(short)} ids with fewer outputs than inputs, e.g. {short[:5]}")
    repeats = sum(out.values()) - sum(expected.values())
    twice = [k for k in expected if out[k] > expected[k]]
    if eos:
        need(repeats == 0, f"exactly-once: {repeats} repeated outputs for a read_committed reader "
             f"({len(twice)} ids, e.g. {twice[:5]})")
    dkeys = Counter(k for k, _ in dl)
    need(set(dkeys) == set(dead), f"dead letters for {sorted(dkeys)}, expected {sorted(dead)}")
    for k, hdr in dl:
        m = re.search(r"anoniem-reason-kind:([a-z_]+)", hdr or "")
        need(m and m.group(1) == dead[k], f"dead letter {k}: kind {m.group(1) if m else None}, "
             f"expected {dead[k]} (headers {hdr[:200]!r})")
        want = (dead_headers or {}).get(k)
        need(want is None or re.search(want, hdr or ""), f"dead letter {k}: headers {hdr[:300]!r} "
             f"do not match {want!r}")
    if eos:
        need(all(c == 1 for c in dkeys.values()), f"exactly-once: dead letters repeated {dict(dkeys)}")
    return (f"{sum(inp.values())} in, {sum(out.values())} out for {len(expected)} ids "
            f"(none missing; {repeats} repeats over {len(twice)} ids), "
            f"{sum(dkeys.values())} dead letters")


RECOVERY_S = 90  # after the broker is back, the stage must catch up within this


def errors_logged_after(path, since):
    """How many `consumer error` lines the stage logged after `since` (epoch s)."""
    n = 0
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace")
            if "consumer error" not in line:
                continue
            try:
                ts = datetime.strptime(line[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
            except ValueError:
                continue
            if ts.timestamp() > since:
                n += 1
    return n


def wait_progress(h, topic, since, bound, stages, step=100):
    """Waits until `topic` has at least `since` + `step` records (end
    offsets; `step` is well above the transaction markers that an instance
    fencing its predecessor writes without producing anything); returns the
    count."""
    deadline = time.monotonic() + bound
    while True:
        n = h.output_count(topic)
        if n >= since + step:
            return n
        for s in stages:
            h.alive(s)
        need(time.monotonic() < deadline, f"no output progress on {topic} within {bound}s")
        time.sleep(0.2)


# ------------------------------------------------------------------ tests


def test_crash(h, guarantee):
    n = int(os.environ.get("FAULT_RECORDS", "100000"))
    kills = 5
    t, group = topics(h, "crash", guarantee)
    lines = corpus(h, n, seed=h.rng.randrange(1 << 30))
    keys = [l.split(b"\t", 1)[0].decode() for l in lines]
    # Streamed in so that the input lasts until the kills are done (about
    # 12 s per kill: the restarted instance waits for the session timeout of
    # the killed one), then at full speed.
    per_kill_s = 12
    feeder = h.console_producer(t["in"], lines, rate=n / (kills * per_kill_s))
    stage = h.stage("s1", t, guarantee, group)
    kill_times = []
    for k in range(1, kills + 1):
        feeder.rate = max(200, (n - feeder.written) / ((kills - k + 1) * per_kill_s))
        # A random moment while this instance is producing.
        base = h.output_count(t["out"])
        wait_progress(h, t["out"], base, 90, [stage])
        delay = h.rng.uniform(0.1, 2.5)
        end = time.monotonic() + delay
        while time.monotonic() < end:
            h.alive(stage)
            time.sleep(0.05)
        at = h.output_count(t["out"])
        ran = time.monotonic() - stage.started
        h.sigkill(stage)
        kill_times.append(f"{ran:.1f}")
        log(f"  SIGKILL {k}/{kills}: {ran:.1f}s after the instance started ({delay:.1f}s after its "
            f"output began), {at} records out, {feeder.written} fed")
        stage = h.stage("s1", t, guarantee, group)
    feeder.wait(300)
    h.wait_committed(group, t["in"], 300, [stage])
    h.sigterm(stage)
    summary = check_output(h, t, guarantee, keys)
    return (f"{kills} SIGKILLs, {'/'.join(kill_times)} s after each instance started; {summary}")


def test_broker(h, guarantee):
    n = 30000
    down = 10
    t, group = topics(h, "outage", guarantee)
    lines = corpus(h, n, seed=h.rng.randrange(1 << 30))
    keys = [l.split(b"\t", 1)[0].decode() for l in lines]
    feeder = h.console_producer(t["in"], lines, rate=2000)
    stage = h.stage("s1", t, guarantee, group)
    wait_progress(h, t["out"], n // 5, 120, [stage])
    time.sleep(h.rng.uniform(0, 1.5))
    at = h.output_count(t["out"])
    h.drop_clients()
    h.broker("kill")
    killed = time.monotonic()
    log(f"  broker killed with SIGKILL at {at} records out, {feeder.written} fed; down for {down}s")
    while time.monotonic() - killed < down:
        h.alive(stage)
        time.sleep(0.2)
    h.broker("start")
    back = time.monotonic() - killed
    back_wall = time.time()
    log(f"  broker back after {back:.1f}s (same log dir and address)")
    h.alive(stage)
    feeder.wait(300)
    try:
        h.wait_committed(group, t["in"], RECOVERY_S, [stage])
    except Fail as e:
        stale = errors_logged_after(stage.log, back_wall + 10)
        raise Fail(f"{RECOVERY_S}s after the broker came back the stage had not caught up ({stale} "
                   f"consumer error lines more than 10s after the broker was back: is the consumer "
                   f"loop pacing queued errors again? see ErrorPace in src/stream/mod.rs). {e}")
    recovered = time.monotonic() - killed
    h.sigterm(stage)
    summary = check_output(h, t, guarantee, keys)
    return (f"broker SIGKILLed at {at} of {n} out, unreachable {back:.0f}s, the stage committed the "
            f"end of the input {recovered:.0f}s after the kill; {summary}")


def test_rebalance(h, guarantee):
    n = 30000
    t, group = topics(h, "rebalance", guarantee, partitions=6)
    lines = corpus(h, n, seed=h.rng.randrange(1 << 30))
    keys = [l.split(b"\t", 1)[0].decode() for l in lines]
    names = ["a", "b", "c"]
    # The killed instance does not come back, so its open transaction (if
    # any) stays open until the coordinator aborts it after the transaction
    # timeout (default 60 s): until then read_committed readers of the
    # output see nothing past its first record. 10 s keeps the test short.
    extra = {"ANONIEM_WORKER_THREADS": "1", "ANONIEM_TRANSACTION_TIMEOUT_MS": "10000"}
    stages = {name: h.stage(name, t, guarantee, group, extra) for name in names}
    # All three members with two partitions each before the input starts.
    deadline = time.monotonic() + 60
    while True:
        m = h.members(group)
        if m and sorted(m) == names and all(len(p) == 2 for p in m.values()):
            break
        for s in stages.values():
            h.alive(s)
        need(time.monotonic() < deadline, f"the group did not settle on 3 members x 2 partitions "
             f"within 60s: {m}")
        time.sleep(0.5)
    log(f"  group {group}: {m}")
    feeder = h.console_producer(t["in"], lines, rate=2000)
    wait_progress(h, t["out"], n // 5, 120, stages.values())
    time.sleep(h.rng.uniform(0.5, 2.0))
    victim = h.rng.choice(names)
    orphaned = m[victim]
    at = h.output_count(t["out"])
    h.sigkill(stages[victim])
    killed = time.monotonic()
    survivors = [s for name, s in stages.items() if name != victim]
    log(f"  SIGKILL to instance {victim} (partitions {orphaned}) at {at} records out")
    deadline = killed + 60
    while True:
        m = h.members(group)
        if m and victim not in m and sorted(p for ps in m.values() for p in ps) == list(range(6)):
            break
        for s in survivors:
            h.alive(s)
        need(time.monotonic() < deadline, f"the survivors did not take over within 60s: {m}")
        time.sleep(0.2)
    took = time.monotonic() - killed
    log(f"  survivors took over after {took:.1f}s (session timeout {SESSION_TIMEOUT_MS / 1000:.0f}s): {m}")
    need(took >= SESSION_TIMEOUT_MS / 1000 - 1.5,
         f"the group rebalanced {took:.1f}s after the kill, before the session timeout")
    feeder.wait(300)
    h.wait_committed(group, t["in"], 300, survivors)
    for s in survivors:
        h.sigterm(s)
    summary = check_output(h, t, guarantee, keys)
    return f"instance {victim} SIGKILLed at {at} of {n} out; survivors took over after {took:.1f}s; {summary}"


def test_poison(h, guarantee):
    """A poison record (invalid JSON) and a record over max_record_bytes in
    the middle of the stream. The limit is lowered to 256 KiB and the large
    record is 400 KB (valid JSON), so that its dead letter (the original
    bytes) fits librdkafka's default message.max.bytes (1,000,000); with
    the default limit of 1 MiB see `poison-default-limit` below."""
    n = 6000
    t, group = topics(h, "poison", guarantee, partitions=3, extra=("max.message.bytes=8388608",))
    lines = corpus(h, n, seed=h.rng.randrange(1 << 30))
    poison = b"poison:1\t{\"id\":\"poison:1\",\"source\":\"forum\",\"text\":\"unterminated\n"
    big_doc = {"id": "forum:big-1", "source": "forum", "kind": "post", "visibility": "public",
               "url": "https://forum.example/big-1", "text": "lang bericht " * 31000}
    big = b"forum:big-1\t" + json.dumps(big_doc).encode() + b"\n"
    need(400_000 <= len(big) <= 410_000, f"large record of {len(big)} bytes")
    stream = lines[: n // 3] + [poison] + lines[n // 3: 2 * n // 3] + [big] + lines[2 * n // 3:]
    keys = [l.split(b"\t", 1)[0].decode() for l in stream]
    stage = h.stage("s1", t, guarantee, group, {"ANONIEM_MAX_RECORD_BYTES": "262144"})
    feeder = h.console_producer(t["in"], stream, rate=3000, max_bytes=8388608)
    feeder.wait(120)
    h.wait_committed(group, t["in"], 120, [stage])
    h.alive(stage)  # the stream went on
    h.sigterm(stage)
    dead = {"poison:1": "invalid_json", "forum:big-1": "too_large"}
    summary = check_output(h, t, guarantee, keys, dead)
    return f"poison at {n // 3 + 1}, 400 KB record (limit 256 KiB) at {2 * n // 3 + 2}: {summary}"


def test_poison_default_limit(h, guarantee):
    """With the default limits: a record over max_record_bytes (1 MiB), and
    a record under it whose sanitised output is over the producer's
    max_message_bytes (1,000,000). Both become dead letters (too_large)
    and, since their original bytes would not fit the producer either,
    those are left out (header `anoniem-omitted: value N`); the stream goes
    on. (Until the fix the 1.56 MB record stopped at-least-once with exit 1
    on every restart and made exactly-once abort and retry forever.)"""
    n = 1000
    t, group = topics(h, "poisonbig", guarantee, partitions=1, extra=("max.message.bytes=8388608",))
    lines = corpus(h, n, seed=h.rng.randrange(1 << 30))
    big_doc = {"id": "forum:big-2", "source": "forum", "kind": "post", "visibility": "public",
               "url": "https://forum.example/big-2", "text": "lang bericht " * 120000}
    big = b"forum:big-2\t" + json.dumps(big_doc).encode() + b"\n"
    # Under 1 MiB in, over 1,000,000 out: the text passes unchanged.
    out_doc = {"id": "forum:big-3", "source": "forum", "kind": "post", "visibility": "public",
               "url": "https://forum.example/big-3", "text": "lang bericht " * 78500}
    over = b"forum:big-3\t" + json.dumps(out_doc).encode() + b"\n"
    need(1_010_000 < len(over) < 1_048_000, f"record of {len(over)} bytes")
    stream = lines[: n // 3] + [big] + lines[n // 3: 2 * n // 3] + [over] + lines[2 * n // 3:]
    keys = [l.split(b"\t", 1)[0].decode() for l in stream]
    stage = h.stage("s1", t, guarantee, group)
    feeder = h.console_producer(t["in"], stream, max_bytes=8388608)
    feeder.wait(120)
    h.wait_committed(group, t["in"], 60, [stage])
    h.alive(stage)  # the stream went on
    h.sigterm(stage)
    summary = check_output(h, t, guarantee, keys, {"forum:big-2": "too_large", "forum:big-3": "too_large"},
                           dead_headers={"forum:big-2": r"anoniem-omitted:value 15\d{5}\b",
                                         "forum:big-3": r"anoniem-omitted:value 10[0-4]\d{4}\b"})
    return (f"{len(big) / 1e6:.2f} MB record (limit 1 MiB) and a {len(over) / 1e6:.2f} MB one whose output "
            f"is over max_message_bytes: {summary}")


TESTS = {
    "crash": test_crash,
    "broker": test_broker,
    "rebalance": test_rebalance,
    "poison": test_poison,
    "poison-default-limit": test_poison_default_limit,
}
DEFAULT = ["crash", "broker", "rebalance", "poison", "poison-default-limit"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tests", nargs="*", default=DEFAULT, help=f"of {', '.join(TESTS)}")
    ap.add_argument("--guarantee", action="append", choices=GUARANTEES,
                    help="run only these guarantees (default both)")
    args = ap.parse_args()
    for name in args.tests:
        if name not in TESTS:
            ap.error(f"unknown test {name}")
    guarantees = args.guarantee or list(GUARANTEES)
    anoniem = os.path.abspath(os.environ.get("ANONIEM_BIN", os.path.join(ROOT, "target/debug/anoniem")))
    if not os.access(anoniem, os.X_OK):
        sys.exit(f"faults: no anoniem binary at {anoniem}")
    seed = int(os.environ.get("FAULT_SEED") or random.randrange(1 << 31))
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    work = tempfile.mkdtemp(prefix="anoniem-faults.")
    h = Harness(work, anoniem, seed)
    need_keep = os.environ.get("FAULT_KEEP") == "1"
    results = []
    log(f"seed {seed} (FAULT_SEED={seed} repeats the random choices); work dir {work}")
    try:
        if not os.access(h.gen, os.X_OK):
            sys.exit(f"faults: no corpus generator at {h.gen} (cargo build --example gen_corpus, or GEN_CORPUS)")
        log(f"Apache Kafka at {h.start_broker()}")
        for name in args.tests:
            for g in guarantees:
                label = f"{name} [{g}]"
                log(f"{label}: start")
                started = time.monotonic()
                try:
                    msg = TESTS[name](h, g)
                    results.append(("ok", label))
                    print(f"faults: OK   {label} in {time.monotonic() - started:.0f}s: {msg}", flush=True)
                except Skip as e:
                    results.append(("skip", label))
                    print(f"faults: SKIP {label}: {e}", flush=True)
                    if e.every:
                        break
                except Fail as e:
                    results.append(("fail", label))
                    need_keep = True
                    print(f"faults: FAIL {label} after {time.monotonic() - started:.0f}s: {e}", flush=True)
                finally:
                    h.cleanup()
                # A test that failed with the broker down leaves it down.
                if subprocess.run([os.path.join(KAFKA, "broker.sh"), "status"], env=h.env,
                                  capture_output=True).returncode != 0:
                    h.start_broker()
    except Interrupted as e:
        need_keep = True
        print(f"faults: interrupted ({e})", flush=True)
        results.append(("fail", "interrupted"))
    finally:
        h.cleanup()
        subprocess.run([os.path.join(KAFKA, "broker.sh"), "stop"], env=h.env, timeout=90,
                       capture_output=True)
        if need_keep:
            log(f"work dir kept: {work} (stage logs, producer logs, broker state and log)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    c = Counter(r for r, _ in results)
    print(f"faults: {c['ok']} passed, {c['fail']} failed, {c['skip']} skipped", flush=True)
    return 1 if c["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
