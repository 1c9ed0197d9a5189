#!/usr/bin/env python3
"""Catch-up figures of `anoniem sweep` on Apache Kafka (not in CI).

Starts a single-node KRaft broker (tests/kafka/broker.sh), fills a
compacted 3-partition output topic with N sanitised-looking records (about
400 bytes each, none due), starts `anoniem sweep` with an empty store and
times how long it takes until its store holds all N items (its
anoniem_sweep_items metric). Prints items per second, the sweeper's peak
memory (VmHWM) and the store's size on disk.

  ANONIEM_BIN=target/release/anoniem CATCHUP_ITEMS=200000 tests/e2e/sweep_catchup.py

Every wait is bounded (CATCHUP_TIMEOUT seconds, default 600).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from kafka import KafkaProducer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KAFKA = os.path.join(ROOT, "tests", "kafka")
TOPIC = "posts-sanitised"


def log(msg):
    print(f"sweep-catchup: {msg}", file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def metric(port, name):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.rsplit(" ", 1)[1])
    except OSError:
        return None
    return None


def peak_rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main():
    anoniem = os.path.abspath(os.environ.get("ANONIEM_BIN", os.path.join(ROOT, "target", "release", "anoniem")))
    n = int(os.environ.get("CATCHUP_ITEMS", "200000"))
    bound = int(os.environ.get("CATCHUP_TIMEOUT", "600"))
    work = tempfile.mkdtemp(prefix="anoniem-sweep-catchup.")
    env = dict(os.environ, KAFKA_STATE_DIR=os.path.join(work, "kafka"))
    sweeper = None
    try:
        brokers = subprocess.run([os.path.join(KAFKA, "broker.sh"), "start"], env=env, timeout=120,
                                 capture_output=True, text=True, check=True).stdout.strip()
        subprocess.run([os.path.join(KAFKA, "topics.sh"), "--bootstrap-server", brokers, "--create",
                        "--topic", TOPIC, "--partitions", "3", "--config", "cleanup.policy=compact"],
                       env=env, timeout=60, capture_output=True, check=True)
        producer = KafkaProducer(bootstrap_servers=brokers, acks=1, linger_ms=50, batch_size=512 * 1024,
                                 compression_type="lz4", buffer_memory=128 << 20)
        started = time.monotonic()
        total = 0
        for i in range(n):
            author = f"anon-{i % 50000:032x}" if i % 3 == 0 else str(100000000000000 + i % 200000)
            value = (f'{{"id":"facebook:{10**13 + i}","source":"facebook","kind":"comment",'
                     f'"url":"https://www.facebook.com/p/{i}","published_at":"2026-{1 + i % 10:02}-01T10:15:00Z",'
                     f'"collected_at":"2026-11-20T10:16:02Z","language":"nl","visibility":"public",'
                     f'"page":{{"id":"fbp-1","name":"Een pagina"}},"author":{{"id":"{author}",'
                     f'"name":"Anonieme gebruiker","avatar_url":""}},"text":"Een reactie van ongeveer '
                     f'honderd tekens, zonder persoonsgegevens, zoals de meeste reacties zijn."}}').encode()
            total += len(value)
            producer.send(TOPIC, key=f"facebook:{10**13 + i}".encode(), value=value)
        producer.flush(timeout=bound)
        producer.close()
        log(f"{n} records ({total / 1e6:.1f} MB) produced in {time.monotonic() - started:.1f} s")

        port = free_port()
        store = os.path.join(work, "store")
        senv = dict(env, ANONIEM_PSEUDONYM_KEY="catchup-test-key-not-secret", NO_COLOR="1")
        logf = open(os.path.join(work, "sweep.log"), "wb")
        started = time.monotonic()
        sweeper = subprocess.Popen([anoniem, "sweep", "--brokers", brokers, "--output-topic", TOPIC,
                                    "--rules", os.path.join(ROOT, "rules"), "--store", store,
                                    "--now", "2026-11-29T12:00:00Z", "--metrics-listen", f"127.0.0.1:{port}"],
                                   env=senv, stdout=logf, stderr=subprocess.STDOUT)
        while True:
            if sweeper.poll() is not None:
                raise RuntimeError(f"the sweeper exited with {sweeper.returncode}; log in {work}")
            items = metric(port, "anoniem_sweep_items")
            if items is not None and items >= n:
                break
            if time.monotonic() - started > bound:
                raise RuntimeError(f"not caught up within {bound}s ({items} items)")
            time.sleep(0.2)
        took = time.monotonic() - started
        rss = peak_rss_mib(sweeper.pid)
        size = sum(os.path.getsize(os.path.join(store, f)) for f in os.listdir(store))
        print(f"sweep-catchup: {n} items caught up in {took:.1f} s ({n / took:.0f} items/s, process start "
              f"and group join included); peak RSS {rss:.0f} MiB; store {size / (1 << 20):.0f} MiB "
              f"({size / n:.0f} bytes/item)")
        return 0
    finally:
        if sweeper is not None and sweeper.poll() is None:
            sweeper.terminate()
            try:
                sweeper.wait(timeout=45)
            except subprocess.TimeoutExpired:
                sweeper.kill()
        subprocess.run([os.path.join(KAFKA, "broker.sh"), "stop"], env=env, timeout=120, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
