#!/usr/bin/env bash
# The Kafka stage against a passthrough, on a real Apache Kafka broker, in
# one run with the same records. A benchmark for people to read, not a CI
# test: every wait is bounded, and it stops its broker and processes on exit.
#
#   cargo build --release --locked --bin anoniem --example passthrough --example load_compare
#   tests/e2e/load_compare.sh
#
# 1. Throughput and memory: RECORDS generated posts (default 1,000,000) are
#    produced to the input topic first (a backlog). Then `anoniem run` works
#    it off into its output topic, then examples/passthrough.rs (the same
#    librdkafka settings, ordering, offset and commit discipline, no engine)
#    the same backlog into its own, each in a fresh consumer group, alone on
#    the machine beside the broker. Rate = records / the seconds from the
#    first record on the output to the last (start-up and group join left
#    out). Peak resident memory (VmHWM) of each process while it did so.
# 2. Latency: posts are produced at half anoniem's measured rate for
#    LAT_SECONDS (default 30) to fresh topics, through anoniem, then through
#    the passthrough; per record the time from send to arrival on the
#    output; p50/p99/p99.9 over every record after the first second.
#
# Stage settings: the defaults (at-least-once, linger_ms=20,
# batch_size=1000000, compression=lz4, worker_threads = one per core), or
# whatever ANONIEM_* variables say; both processes get the same.
#
# Knobs: RECORDS, LAT_SECONDS, PARTITIONS (default 3), BIN_DIR (default
# target/release), KEEP=1 keeps the work dir. KAFKA_*: tests/kafka/broker.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

RECORDS=${RECORDS:-1000000}
LAT_SECONDS=${LAT_SECONDS:-30}
PARTITIONS=${PARTITIONS:-3}
BIN_DIR=${BIN_DIR:-target/release}
ANONIEM=$BIN_DIR/anoniem
PASS=$BIN_DIR/examples/passthrough
DRIVER=$BIN_DIR/examples/load_compare
BROKER=tests/kafka/broker.sh
SEED=7

say() { echo "load_compare: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }
for b in "$ANONIEM" "$PASS" "$DRIVER"; do
  [[ -x $b ]] || die "no $b (cargo build --release --locked --bin anoniem --example passthrough --example load_compare)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/anoniem-load.XXXXXX")
export KAFKA_STATE_DIR=$WORK/kafka
# The broker gets enough heap for a backlog of a million records.
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1g -Xms512m}
STAGE_PID=""
cleanup() {
  local rc=$?
  trap - EXIT
  trap "" INT TERM
  if [[ -n $STAGE_PID ]] && kill -0 "$STAGE_PID" 2>/dev/null; then
    kill -KILL "$STAGE_PID" 2>/dev/null || true
  fi
  KAFKA_STOP_TIMEOUT=30 "$BROKER" stop >/dev/null 2>&1 || "$BROKER" kill >/dev/null 2>&1 || true
  if [[ $rc -ne 0 || ${KEEP:-0} == 1 ]]; then say "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BOOT=$("$BROKER" start)
say "Apache Kafka at $BOOT"
topic() { timeout 60 tests/kafka/topics.sh --bootstrap-server "$BOOT" --create --topic "$1" --partitions "$PARTITIONS" >/dev/null; }
for t in in out-anoniem out-pass dlq lat-in-anoniem lat-in-pass lat-out-anoniem lat-out-pass; do topic "$t"; done

json() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# Starts a process (anoniem run or the passthrough) on IN -> OUT in GROUP.
start() { # what in out group
  local what=$1 cmd=("$1")
  [[ $what == "$ANONIEM" ]] && cmd+=(run)
  env ANONIEM_BROKERS="$BOOT" ANONIEM_INPUT_TOPIC="$2" ANONIEM_OUTPUT_TOPIC="$3" \
    ANONIEM_DEAD_LETTER_TOPIC=dlq ANONIEM_GROUP_ID="$4" ANONIEM_RULES_DIR=rules \
    ANONIEM_PSEUDONYM_KEY=load-compare-key-not-secret ANONIEM_LOG=warn \
    "${cmd[@]}" >"$WORK/$4.log" 2>&1 &
  STAGE_PID=$!
}

stop() {
  kill -TERM "$STAGE_PID" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$STAGE_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$STAGE_PID" 2>/dev/null || true
  wait "$STAGE_PID" 2>/dev/null || true
  STAGE_PID=""
}

hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

say "producing a backlog of $RECORDS posts (seed $SEED)"
P=$("$DRIVER" produce "$BOOT" in "$RECORDS" "$SEED")
BYTES=$(json "$P" bytes)
say "backlog: $RECORDS records, $BYTES bytes, produced in $(json "$P" seconds) s"

declare -A RATE MBS RSS
for what in anoniem pass; do
  bin=$ANONIEM; [[ $what == pass ]] && bin=$PASS
  start "$bin" in "out-$what" "g-$what"
  pid=$STAGE_PID
  W=$("$DRIVER" watch "$BOOT" "out-$what" "$RECORDS" 1800) || die "$what did not work off the backlog (log $WORK/g-$what.log)"
  kill -0 "$pid" 2>/dev/null || die "$what exited early (log $WORK/g-$what.log)"
  RSS[$what]=$(hwm_mib "$pid")
  stop
  s=$(json "$W" seconds)
  RATE[$what]=$(python3 -c "print(round($RECORDS / $s))")
  MBS[$what]=$(python3 -c "print(round($BYTES / $s / 1e6, 1))")
  say "$what: $RECORDS records in $s s: ${RATE[$what]} records/s, ${MBS[$what]} MB/s; peak RSS ${RSS[$what]} MiB"
done

HALF=$((RATE[anoniem] / 2))
declare -A LAT
for what in anoniem pass; do
  bin=$ANONIEM; [[ $what == pass ]] && bin=$PASS
  start "$bin" "lat-in-$what" "lat-out-$what" "g-lat-$what"
  sleep 8 # joined and assigned (the topics are empty)
  LAT[$what]=$("$DRIVER" latency "$BOOT" "lat-in-$what" "lat-out-$what" "$HALF" "$LAT_SECONDS" "$SEED") \
    || die "latency through $what"
  stop
  say "$what latency at $HALF records/s: ${LAT[$what]}"
done

python3 - "$RECORDS" "$BYTES" "${RATE[anoniem]}" "${RATE[pass]}" "${MBS[anoniem]}" "${MBS[pass]}" \
  "${RSS[anoniem]}" "${RSS[pass]}" "$HALF" "${LAT[anoniem]}" "${LAT[pass]}" <<'PY'
import json, sys
n, b, ra, rp, ma, mp, xa, xp, half = sys.argv[1:10]
la, lp = json.loads(sys.argv[10]), json.loads(sys.argv[11])
print(f"records: {int(n):,} generated posts, {int(b) / 1e6:.0f} MB")
print(f"{'':28}{'anoniem':>12}{'passthrough':>14}{'anoniem/pass':>14}")
print(f"{'throughput, records/s':28}{int(ra):>12,}{int(rp):>14,}{int(ra) / int(rp):>14.2f}")
print(f"{'throughput, MB/s':28}{float(ma):>12.1f}{float(mp):>14.1f}")
print(f"{'peak RSS on the backlog, MiB':28}{int(xa):>12}{int(xp):>14}")
for k, name in (("p50_ms", "p50"), ("p99_ms", "p99"), ("p999_ms", "p99.9")):
    print(f"{'latency ' + name + ' at ' + half + '/s, ms':28}{la[k]:>12.1f}{lp[k]:>14.1f}{'+' + format(la[k] - lp[k], '.1f'):>14}")
PY
