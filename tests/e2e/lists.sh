#!/usr/bin/env bash
# The erasure list fed from a compacted topic, on a real Apache Kafka broker
# (tests/kafka/broker.sh: single-node KRaft on free loopback ports), with two
# instances of `anoniem run` in one group:
#
#   1. an instance whose list topic does not exist yet is not ready
#      (/readyz 503 `lists not read`), logs why, and reads no input; once
#      the topic exists it reads it and becomes ready;
#   2. with both instances ready (one input partition each), records of an
#      author sent on every input partition come out as upserts;
#   3. `anoniem lists put --list erased_authors` turns the author's next
#      records into tombstones on both instances within seconds;
#   4. `anoniem lists remove` turns them back into upserts;
#   5. Kafka's own console consumer reads the same output; both instances'
#      /metrics show the list (and no entry);
#   6. a partition added to the list topic is followed as well; SIGTERM
#      ends both instances with exit 0.
#
# kcat produces to a given partition and polls the output; every wait is
# bounded in count and time.
#
#   ANONIEM_BIN=target/debug/anoniem tests/e2e/lists.sh   (LISTS_KEEP=1 keeps the work dir)
#
# LISTS_GUARANTEE (default at-least-once; CI also runs exactly-once): the
# stages' delivery guarantee. Under exactly-once each instance has its own
# transactional id (the default, group and host name, is the same for two
# instances on one machine) and the output is read read_committed, as its
# consumers read it.
#
# Needs: java 17+ and maven (tests/kafka/broker.sh fetches Apache Kafka once),
# kcat, python3, a built anoniem (ANONIEM_BIN, default target/release/anoniem).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${ANONIEM_BIN:-target/release/anoniem}
GUARANTEE=${LISTS_GUARANTEE:-at-least-once}
case $GUARANTEE in
  at-least-once | exactly-once) ;;
  *) echo "lists: unknown LISTS_GUARANTEE $GUARANTEE" >&2; exit 2 ;;
esac
BROKER=tests/kafka/broker.sh
# "Within seconds": the bound on a list change reaching both instances'
# output, from the moment `anoniem lists` returns.
APPLY_S=10

say() { echo "lists: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }

command -v java >/dev/null || die "java not found (Java 17+ runs the Kafka broker)"
command -v kcat >/dev/null || die "kcat not installed (apt-get install kcat)"
[[ -x $BIN ]] || die "no anoniem binary at $BIN (cargo build --bin anoniem)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/anoniem-lists.XXXXXX")
export KAFKA_STATE_DIR=$WORK/kafka
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT
  trap "" INT TERM
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  KAFKA_STOP_TIMEOUT=20 "$BROKER" stop >/dev/null 2>&1 || "$BROKER" kill >/dev/null 2>&1 || true
  if [[ $rc -ne 0 || ${LISTS_KEEP:-0} == 1 ]]; then
    [[ $rc -ne 0 ]] && for f in "$WORK"/stage-*.log "$KAFKA_STATE_DIR/broker.log"; do
      [[ -s $f ]] && { say "last lines of $f:"; tail -n 25 "$f" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-300 >&2; }
    done
    say "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

BROKERS=$("$BROKER" start) || die "the Kafka broker did not start"
say "Apache Kafka at $BROKERS; stages $GUARANTEE"
IN=lists.in OUT=lists.out DLQ=lists.dlq LIST=anoniem.erased GROUP=anoniem-lists-e2e
for spec in "$IN --partitions 2" "$OUT --partitions 2 --config cleanup.policy=compact" "$DLQ --partitions 1"; do
  # shellcheck disable=SC2086
  timeout --foreground 60 tests/kafka/topics.sh --create --topic $spec >/dev/null || die "cannot create topic $spec"
done

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
declare -A MPORT
stage() {
  local name=$1
  MPORT[$name]=$(free_port)
  env ANONIEM_BROKERS="$BROKERS" ANONIEM_GROUP_ID=$GROUP ANONIEM_INPUT_TOPIC=$IN \
    ANONIEM_OUTPUT_TOPIC=$OUT ANONIEM_DEAD_LETTER_TOPIC=$DLQ ANONIEM_RULES_DIR=rules \
    ANONIEM_LIST_TOPICS="erased_authors=$LIST" ANONIEM_PSEUDONYM_KEY=lists-test-key-not-secret \
    ANONIEM_GUARANTEE=$GUARANTEE ANONIEM_TRANSACTIONAL_ID=anoniem-lists-e2e-$name \
    ANONIEM_METRICS_LISTEN=127.0.0.1:${MPORT[$name]} ANONIEM_LINGER_MS=5 ANONIEM_LOG=info NO_COLOR=1 \
    ANONIEM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS=6000 ANONIEM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS=500 \
    "$BIN" run >"$WORK/stage-$name.log" 2>&1 &
  PIDS+=("$!")
}
# GET http://127.0.0.1:PORT/PATH: prints "STATUS BODY".
get() {
  python3 - "$1" "$2" <<'PY'
import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}", timeout=5) as r:
        print(r.status, r.read().decode().strip())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode().strip())
except OSError as e:
    print(0, e)
PY
}
wait_ready() {
  local name=$1 got=""
  for _ in $(seq 1 240); do
    got=$(get "${MPORT[$name]}" /readyz)
    [[ $got == "200 ready" ]] && return 0
    sleep 0.25
  done
  die "instance $name not ready within 60 s (last /readyz: $got)"
}

# 1. Fail closed: the list topic does not exist yet.
stage a
ready=""
for _ in $(seq 1 100); do
  ready=$(get "${MPORT[a]}" /readyz)
  [[ $ready == "503 not ready: lists not read" ]] && grep -q "cannot read the list topic" "$WORK/stage-a.log" && break
  sleep 0.1
done
[[ $ready == "503 not ready: lists not read" ]] || die "without its list topic: /readyz said '$ready'"
grep -q "cannot read the list topic" "$WORK/stage-a.log" || die "no log line says why the stage waits"
timeout --foreground 60 tests/kafka/topics.sh --create --topic $LIST --partitions 1 \
  --config cleanup.policy=compact >/dev/null || die "cannot create topic $LIST"
wait_ready a
say "an instance without its list topic was not ready ('lists not read'); ready once the topic existed"

# 2. A second instance: the group splits the two input partitions.
stage b
wait_ready b
wait_ready a
say "two instances ready in group $GROUP"

# Sends round N: one post of the author (AUTHOR) on every input partition.
# Prints the ids.
AUTHOR=e2e-author-1
send_round() {
  local n=$1
  for p in 0 1; do
    local id="twitter:lists-$n-p$p"
    echo "$id|{\"id\":\"$id\",\"source\":\"twitter\",\"kind\":\"post\",\"author\":{\"id\":\"$AUTHOR\",\"name\":\"Iemand\"},\"text\":\"ronde $n\"}" \
      | kcat -b "$BROKERS" -P -t $IN -p "$p" -K '|' || die "kcat could not produce to partition $p"
    echo "$id"
  done
}
# What each id of a round became: "tombstone" or "upsert", one word per id
# in order; waits (bounded) until all came out.
outcomes() {
  local out words line id
  for _ in $(seq 1 200); do
    out=$(kcat -b "$BROKERS" -X isolation.level=read_committed -C -t $OUT -o beginning -e -q -Z \
      -f '%k %s\n' 2>/dev/null || true)
    words=()
    for id in "$@"; do
      line=$(grep "^$id " <<<"$out" | tail -n 1 || true)
      [[ -z $line ]] && break
      if [[ $line == "$id NULL" || $line == "$id " ]]; then words+=(tombstone); else words+=(upsert); fi
    done
    if [[ ${#words[@]} -eq $# ]]; then
      echo "${words[*]}"
      return 0
    fi
    sleep 0.1
  done
  die "round ids $* did not all come out within 20 s"
}
round=0
# Sends rounds until both records of a round come out as `want`, for at
# most BOUND (default APPLY_S) seconds after `since`; says how long it took.
until_all() {
  local want=$1 since=$2 bound=${3:-$APPLY_S} got
  while :; do
    round=$((round + 1))
    mapfile -t ids < <(send_round $round)
    got=$(outcomes "${ids[@]}")
    [[ $got == "$want $want" ]] && break
    ((SECONDS - since <= bound)) || die "after ${bound}s round $round still came out as '$got' (want $want on both partitions)"
    sleep 0.5
  done
  say "round $round: $want on both input partitions, $((SECONDS - since)) s after the list change"
}

# 2. Not on the list: upserts.
until_all upsert $SECONDS

# 3. Put on the erasure topic: tombstones on both instances.
"$BIN" lists put --list erased_authors --topic $LIST --brokers "$BROKERS" twitter:e2e-author-1 \
  >"$WORK/put.out" 2>&1 || { cat "$WORK/put.out" >&2; die "anoniem lists put failed"; }
grep -q "e2e-author-1" "$WORK/put.out" && die "anoniem lists put echoed the entry"
until_all tombstone $SECONDS
tombstone_round=$round
for name in a b; do
  python3 - "${MPORT[$name]}" "$name" <<'PY' || die "metrics of instance $name"
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=10).read().decode()
def value(pattern):
    m = re.search(pattern + r" (\S+)", text)
    assert m, f"no {pattern} in the metrics of instance {sys.argv[2]}"
    return float(m.group(1))
assert value(r'anoniem_list_entries\{list="erased_authors",origin="topic"\}') == 1
assert value(r'anoniem_list_updates_total\{list="erased_authors",op="put"\}') >= 1
# The erasure made this very instance produce a tombstone: both instances applied it.
assert value(r'anoniem_rule_hits_total\{rule="p8-erased-author"\}') >= 1, "instance applied no erasure"
assert "e2e-author-1" not in text, "a list entry in the metrics"
PY
done
say "both instances turned the author's records into tombstones (rule p8-erased-author hit on each)"

# 4. Removed from the topic: upserts again.
"$BIN" lists remove --list erased_authors --topic $LIST --brokers "$BROKERS" twitter:e2e-author-1 \
  >"$WORK/remove.out" 2>&1 || { cat "$WORK/remove.out" >&2; die "anoniem lists remove failed"; }
until_all upsert $SECONDS

# An invalid entry is refused before anything is sent (exit non-zero).
if "$BIN" lists put --list erased_authors --topic $LIST --brokers "$BROKERS" "no-colon" >/dev/null 2>&1; then
  die "an invalid entry was accepted"
fi

# 5. Kafka's console consumer reads the same: the erased round's records are
# tombstones (`null`), the last round's upserts.
want=$(kcat -b "$BROKERS" -X isolation.level=read_committed -C -t $OUT -o beginning -e -q -f '%k\n' \
  2>/dev/null | wc -l)
timeout --foreground 120 tests/kafka/console-consumer.sh --topic $OUT --from-beginning \
  --isolation-level read_committed \
  --property print.key=true --property key.separator=' ' --max-messages "$want" --timeout-ms 30000 \
  >"$WORK/console.txt" 2>"$WORK/console.err" || true
[[ $(wc -l <"$WORK/console.txt") -eq $want ]] || die "the console consumer read $(wc -l <"$WORK/console.txt") of $want records"
for p in 0 1; do
  grep -qx "twitter:lists-$tombstone_round-p$p null" "$WORK/console.txt" \
    || die "console consumer: twitter:lists-$tombstone_round-p$p is no tombstone"
  grep -q "^twitter:lists-$round-p$p {" "$WORK/console.txt" \
    || die "console consumer: twitter:lists-$round-p$p is no upsert"
done
say "Kafka's console consumer read the same $want output records"

# 6. A partition added to the list topic is followed too (the followers
# look for new partitions every 30 s): an entry that lands in it applies.
timeout --foreground 60 tests/kafka/topics.sh --alter --topic $LIST --partitions 2 >/dev/null \
  || die "cannot add a partition to $LIST"
added=$SECONDS
for k in $(seq 2 40); do
  out=$("$BIN" lists put --list erased_authors --topic $LIST --brokers "$BROKERS" "twitter:e2e-author-$k") \
    || die "anoniem lists put failed"
  if [[ $out == *"partition 1,"* ]]; then AUTHOR=e2e-author-$k; break; fi
done
[[ $AUTHOR != e2e-author-1 ]] || die "no entry landed in the new partition"
until_all tombstone $added 60

for i in "${!PIDS[@]}"; do
  pid=${PIDS[$i]}
  kill -TERM "$pid"
  stopped=""
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || { stopped=1; break; }; sleep 0.1; done
  [[ -n $stopped ]] || die "instance (pid $pid) did not exit within 30 s of SIGTERM"
  wait "$pid" || die "instance (pid $pid) exited with $? after SIGTERM"
done
PIDS=()
# The expected errors: instance a's, while its list topic did not exist.
warnings=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK"/stage-*.log | grep -E ' (WARN|ERROR) ' | grep -vc "cannot read the list topic" || true)
say "the instances logged $warnings other warnings/errors"
echo "lists ($GUARANTEE): 1 passed, 0 failed"
