#!/usr/bin/env bash
# A load run: tansu (a Kafka-compatible broker, in memory, its own process),
# `anoniem run` as a separate process, and `anoniem load` sending generated
# posts through it. Prints the load tool's rates; not part of CI (timings
# on shared machines are for humans to read, not to assert).
#
# Usage: ANONIEM_BIN=target/release/anoniem RECORDS=50000 tests/e2e/load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANONIEM_BIN:-target/release/anoniem}
RECORDS=${RECORDS:-50000}
TANSU=$(command -v tansu || echo "$HOME/.cargo/bin/tansu")
[[ -x $TANSU ]] || { echo "load: tansu not found (cargo install --locked tansu --features dynostore,libsql)" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=tcp://127.0.0.1:$PORT
"$TANSU" broker --listener-url "$URL" --advertised-listener-url "$URL" --storage-engine memory://tansu/ \
  >"$WORK/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$PORT" \
    2>/dev/null && break
  sleep 0.1
done
for topic in load-in load-out load-dlq; do
  timeout 30 "$TANSU" topic create --broker "$URL" --partitions 3 "$topic" >>"$WORK/broker.log" 2>&1
done

export ANONIEM_BROKERS=127.0.0.1:$PORT ANONIEM_INPUT_TOPIC=load-in ANONIEM_OUTPUT_TOPIC=load-out
ANONIEM_DEAD_LETTER_TOPIC=load-dlq ANONIEM_GROUP_ID=anoniem-load ANONIEM_RULES_DIR=rules \
  ANONIEM_PSEUDONYM_KEY=load-test-key-not-secret ANONIEM_LOG=warn "$BIN" run >"$WORK/stage.log" 2>&1 &
PIDS+=($!)
echo "load: broker 127.0.0.1:$PORT; stage settings: linger_ms=${ANONIEM_LINGER_MS:-20} batch_size=${ANONIEM_BATCH_SIZE:-1000000} compression=${ANONIEM_COMPRESSION:-lz4}"
"$BIN" load --records "$RECORDS" --seed 1 --timeout-s 600
