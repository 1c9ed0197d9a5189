#!/usr/bin/env bash
# Rules changed on disk take effect without a restart or a signal, and an
# invalid change is refused while the old rules keep working: `anoniem run`
# as its own process (the broker is librdkafka's mock cluster, hosted by
# `anoniem demo --follow`), kcat produces and reads.
#
# Usage: ANONIEM_BIN=target/debug/anoniem tests/e2e/reload.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANONIEM_BIN:-target/release/anoniem}
command -v kcat >/dev/null || { echo "reload: kcat not installed (apt-get install kcat)" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "reload: FAIL: $*" >&2; tail -20 "$WORK/stage.log" >&2 2>/dev/null || true; exit 1; }
say() { echo "reload: $*"; }

# The file exists before the loop reads it: the background job may not
# have opened it yet, and a failing sed would end the script (set -e).
: >"$WORK/demo.out"
ANONIEM_LOG=warn "$BIN" demo --follow >>"$WORK/demo.out" 2>&1 &
PIDS+=("$!")
ADDR=""
for _ in $(seq 1 300); do
  ADDR=$(sed -n 's/.*in-process Kafka broker at \([0-9.:]*\).*/\1/p' "$WORK/demo.out" | head -1)
  [[ -n $ADDR ]] && break
  sleep 0.1
done
[[ -n $ADDR ]] || die "the demo broker did not start"

cp -r rules "$WORK/rules"
MPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env ANONIEM_BROKERS="$ADDR" ANONIEM_GROUP_ID=reload ANONIEM_INPUT_TOPIC=reload.in \
  ANONIEM_OUTPUT_TOPIC=reload.out ANONIEM_DEAD_LETTER_TOPIC=reload.dlq ANONIEM_RULES_DIR="$WORK/rules" \
  ANONIEM_PSEUDONYM_KEY=reload-test-key-not-secret ANONIEM_LOG=info ANONIEM_METRICS_LISTEN=127.0.0.1:$MPORT \
  "$BIN" run >"$WORK/stage.log" 2>&1 &
STAGE=$!
PIDS+=("$STAGE")

# Sends pilot:N with a phone number, and waits (bounded) for its output:
# the record, or `TOMBSTONE`.
send_and_read() {
  local n=$1
  echo "pilot:$n|{\"id\":\"pilot:$n\",\"source\":\"pilot\",\"text\":\"bel 0612345678\"}" \
    | kcat -b "$ADDR" -P -t reload.in -K '|' || die "kcat could not produce"
  for _ in $(seq 1 300); do
    out=$(kcat -b "$ADDR" -C -t reload.out -o beginning -e -q -Z -f '%k %s\n' 2>/dev/null | grep "^pilot:$n " || true)
    [[ -n $out ]] && { [[ $out == "pilot:$n NULL" || $out == "pilot:$n " ]] && echo TOMBSTONE || echo "$out"; return; }
    sleep 0.1
  done
  die "pilot:$n did not come out"
}

send_and_read 1 | grep -q '\[phone\]' || die "the shipped rules did not redact the phone number"
say "the shipped rules run"

# A valid change (its rule tests still pass): a new rule removes items of
# the source `pilot`. No signal, no restart.
cat >>"$WORK/rules/10-remove.toml" <<'TOML'

[[rule]]
name = "p8-pilot-removed"
reason = "P8: a pilot source was withdrawn"
when = { source = "pilot" }
actions = [{ tombstone = true }]
TOML
for _ in $(seq 1 100); do grep -q "rule set reloaded" "$WORK/stage.log" && break; sleep 0.1; done
grep -q "rule set reloaded" "$WORK/stage.log" || die "the change was not picked up"
[[ $(send_and_read 2) == TOMBSTONE ]] || die "the changed rules did not take effect"
say "a change on disk took effect without a restart or a signal"

# An invalid change: refused, the running rules stay.
echo "[[rule]]" >>"$WORK/rules/20-anonymise.toml"
for _ in $(seq 1 100); do grep -q "rule reload refused" "$WORK/stage.log" && break; sleep 0.1; done
grep -q "rule reload refused" "$WORK/stage.log" || die "the invalid change was not refused"
[[ $(send_and_read 3) == TOMBSTONE ]] || die "the rules in force changed after a refused reload"
kill -0 "$STAGE" 2>/dev/null || die "the stage stopped"
python3 - "$MPORT" <<'PY' || die "metrics"
import sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=10).read().decode()
assert 'anoniem_rule_reloads_total{outcome="applied"} 1' in text, text
assert 'anoniem_rule_reloads_total{outcome="refused"}' in text, text
PY
say "OK: an invalid change was refused and the running rules kept working"
kill -TERM "$STAGE"
wait "$STAGE" || die "the stage exited with $? after SIGTERM"
