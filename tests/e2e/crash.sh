#!/usr/bin/env bash
# At-least-once across a crash, with real processes: `anoniem run` is killed
# with SIGKILL in the middle of a run and started again; every input record
# must then be in the output (repeats allowed, counted). The broker is
# librdkafka's mock cluster, hosted by `anoniem demo --follow` in its own
# process (tansu never expires a member killed with SIGKILL); kcat produces
# and reads.
#
# Usage: ANONIEM_BIN=target/debug/anoniem tests/e2e/crash.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANONIEM_BIN:-target/release/anoniem}
N=${CRASH_RECORDS:-3000}
command -v kcat >/dev/null || { echo "crash: kcat not installed (apt-get install kcat)" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "crash: FAIL: $*" >&2; tail -20 "$WORK"/stage-*.log >&2 2>/dev/null || true; exit 1; }
say() { echo "crash: $*"; }

# The file exists before the loop reads it: the background job may not
# have opened it yet, and a failing sed would end the script (set -e).
: >"$WORK/demo.out"
ANONIEM_LOG=warn "$BIN" demo --follow >>"$WORK/demo.out" 2>&1 &
DEMO=$!
PIDS+=("$DEMO")
ADDR=""
for _ in $(seq 1 300); do
  ADDR=$(sed -n 's/.*in-process Kafka broker at \([0-9.:]*\).*/\1/p' "$WORK/demo.out" | head -1)
  [[ -n $ADDR ]] && break
  sleep 0.1
done
[[ -n $ADDR ]] || die "the demo broker did not start"

python3 - "$N" >"$WORK/input.txt" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    record = {"id": f"forum:crash{i}", "source": "forum", "kind": "post", "text": f"versie {i}, bel 0612345678"}
    print(f"forum:crash{i}|{json.dumps(record)}")
PY
kcat -b "$ADDR" -P -t crash.in -K '|' -l "$WORK/input.txt" || die "kcat could not produce"

count_out() { kcat -b "$ADDR" -C -t crash.out -o beginning -e -q -f '%k\n' 2>/dev/null || true; }

stage() {
  local name=$1
  shift
  env ANONIEM_BROKERS="$ADDR" ANONIEM_GROUP_ID=crash ANONIEM_INPUT_TOPIC=crash.in \
    ANONIEM_OUTPUT_TOPIC=crash.out ANONIEM_DEAD_LETTER_TOPIC=crash.dlq ANONIEM_RULES_DIR=rules \
    ANONIEM_PSEUDONYM_KEY=crash-test-key-not-secret ANONIEM_LOG=warn \
    ANONIEM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS=6000 ANONIEM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS=500 \
    "$@" "$BIN" run >"$WORK/stage-$name.log" 2>&1 &
}

# First run: one record in flight at a time, so it is slow and mid-run when killed.
stage first ANONIEM_MAX_IN_FLIGHT_RECORDS=1 ANONIEM_LINGER_MS=5
FIRST=$!
PIDS+=("$FIRST")
seen=0
for _ in $(seq 1 600); do
  seen=$(count_out | wc -l)
  [[ $seen -ge 300 ]] && break
  kill -0 "$FIRST" 2>/dev/null || die "the first run exited by itself"
  sleep 0.1
done
[[ $seen -ge 300 ]] || die "the first run produced only $seen records in 60 s"
kill -KILL "$FIRST"
wait "$FIRST" 2>/dev/null || true
before=$(count_out | wc -l)
[[ $before -lt $N ]] || die "the first run finished before the kill ($before records); nothing was tested"
say "killed the first run with SIGKILL after $before of $N records"

# Second run: normal settings; it gets the partitions once the dead member's
# session expires. It also serves its metrics.
MPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stage second ANONIEM_METRICS_LISTEN=127.0.0.1:$MPORT
SECOND=$!
PIDS+=("$SECOND")
unique=0
for _ in $(seq 1 900); do
  unique=$(count_out | sort -u | wc -l)
  [[ $unique -ge $N ]] && break
  kill -0 "$SECOND" 2>/dev/null || die "the second run exited"
  sleep 0.1
done
total=$(count_out | wc -l)
missing=$(comm -23 <(cut -d'|' -f1 "$WORK/input.txt" | sort -u) <(count_out | sort -u) | wc -l)
[[ $missing -eq 0 ]] || die "$missing input records never came out (unique $unique of $N)"
count_out | grep -q . || die "no output"
kcat -b "$ADDR" -C -t crash.out -o beginning -e -q -f '%s\n' 2>/dev/null | grep -q 0612345678 \
  && die "a phone number reached the output"

# Prometheus metrics: counts per rule and outcome, no record content.
python3 - "$MPORT" <<'PY' || die "metrics"
import sys, urllib.error, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=10).read().decode()
for want in ('anoniem_rule_hits_total{rule="p4-personal-data-in-content"}', "anoniem_records_in_total",
             'anoniem_records_delivered_total{topic="output"}', 'anoniem_detector_hits_total{kind="phone"}',
             'anoniem_rules_info{hash="', "anoniem_engine_seconds"):
    assert want in text, f"missing {want}"
assert "0612345678" not in text and "forum:crash" not in text, "record content in metrics"
# Alive, and ready: it holds the partitions and reads from the broker.
for path, status, body in (("/healthz", 200, "ok"), ("/readyz", 200, "ready")):
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{path}", timeout=10) as r:
        got = r.read().decode()
        assert r.status == status and body in got, (path, r.status, got)
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/nothing", timeout=10)
    raise AssertionError("/nothing answered")
except urllib.error.HTTPError as e:
    assert e.code == 404, e.code
PY

kill -TERM "$SECOND"
status=0
wait "$SECOND" || status=$?
[[ $status -eq 0 ]] || die "the second run exited with $status after SIGTERM"
kill -INT "$DEMO"
wait "$DEMO" 2>/dev/null || true
say "OK: all $N records came out after a SIGKILL mid-run; $((total - N)) repeats; the restarted stage exited 0 on SIGTERM"
