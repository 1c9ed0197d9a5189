#!/usr/bin/env bash
# End-to-end test: `anoniem run` as its own process, configured by the
# environment alone, against a real Apache Kafka broker in another process
# (tests/kafka/broker.sh: single-node KRaft on free loopback ports), once per
# delivery guarantee. tests/e2e/check.py produces the input with kafka-python,
# waits until the stage's group has committed the end of the input, reads the
# output and dead-letter topics back to their end offsets and compares them
# record by record with file mode. Kafka's own console consumer then reads
# the output topic too and must see the same records. Then the stage gets
# SIGTERM and must exit 0 in time, and its group must have committed the end
# of the input.
#
#   ANONIEM_BIN=target/debug/anoniem tests/e2e/run.sh
#
# Needs: java 17+ and maven (tests/kafka/broker.sh fetches Apache Kafka from
# Maven Central once, then uses its cache), python3 with kafka-python and
# lz4, the output's default compression (pip install --user
# kafka-python==2.3.3 lz4==4.4.5), and a built anoniem (ANONIEM_BIN, default
# target/release/anoniem; a debug build works as well). The corpus generator
# is taken from beside it (<dir of ANONIEM_BIN>/examples/gen_corpus, or
# GEN_CORPUS), else built with cargo in the same profile.
#
# Knobs: E2E_GUARANTEES (default "at-least-once exactly-once"), E2E_RECORDS
# (corpus records, default 2000), E2E_SEED (1), E2E_KEEP=1 keeps the work dir
# (broker state and logs, stage logs, input, file-mode results), E2E_LOG (the
# stage's log filter, default info). KAFKA_VERSION / KAFKA_CACHE_DIR: see
# tests/kafka/broker.sh.
#
# At-least-once: the check allows repeats (identical ones, in order per key).
# Exactly-once: the topics are read with isolation.level=read_committed and
# nothing may come twice.
set -euo pipefail
cd "$(dirname "$0")/../.."

ANONIEM_BIN=${ANONIEM_BIN:-target/release/anoniem}
RECORDS=${E2E_RECORDS:-2000}
SEED=${E2E_SEED:-1}
GUARANTEES=${E2E_GUARANTEES:-at-least-once exactly-once}
BROKER=tests/kafka/broker.sh
# Every wait below is bounded.
STOP_S=30

say() { echo "e2e: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }

command -v java >/dev/null || die "java not found (Java 17+ runs the Kafka broker)"
python3 -c 'import kafka, lz4' 2>/dev/null || die "python3 cannot import kafka and lz4 (the stage's default compression): pip install kafka-python==2.3.3 lz4==4.4.5"
[[ -x $ANONIEM_BIN ]] || die "no anoniem binary at $ANONIEM_BIN (cargo build --release --bin anoniem)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/anoniem-e2e.XXXXXX")
export KAFKA_STATE_DIR=$WORK/kafka
STAGE_PID=""
CHECK_PID=""
LOGS=()
cleanup() {
  local rc=$?
  # Cleanup runs once and to the end: `timeout` signals both this script and
  # its process group, so a second SIGTERM may arrive while it runs.
  trap - EXIT
  trap "" INT TERM
  for pid in $CHECK_PID $STAGE_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  KAFKA_STOP_TIMEOUT=20 "$BROKER" stop >/dev/null 2>&1 || "$BROKER" kill >/dev/null 2>&1 || true
  if [[ $rc -ne 0 ]]; then
    for f in "${LOGS[@]}" "$KAFKA_STATE_DIR/broker.log"; do
      [[ -s $f ]] && { say "last lines of $f:"; tail -n 30 "$f" | cut -c1-300 >&2; }
    done
  fi
  if [[ $rc -ne 0 || ${E2E_KEEP:-0} == 1 ]]; then
    say "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The corpus: the generator beside the binary, or built in its profile.
GEN=${GEN_CORPUS:-$(dirname "$ANONIEM_BIN")/examples/gen_corpus}
if [[ ! -x $GEN ]]; then
  profile=()
  [[ $ANONIEM_BIN == *release* ]] && profile=(--release)
  say "building the corpus generator (${profile[*]:-debug})"
  cargo build --quiet "${profile[@]}" --example gen_corpus
  GEN=target/$([[ ${#profile[@]} -gt 0 ]] && echo release || echo debug)/examples/gen_corpus
fi
"$GEN" "$RECORDS" "$SEED" >"$WORK/corpus.ndjson"

BROKERS=$("$BROKER" start) || die "the Kafka broker did not start"
say "Apache Kafka ${KAFKA_VERSION:-4.1.1} at $BROKERS (state $KAFKA_STATE_DIR)"
KEY=e2e-test-pseudonym-key-not-secret  # a test key (at least 16 bytes)
passed=0

for guarantee in $GUARANTEES; do
  case $guarantee in
    at-least-once) eos=() isolation=read_uncommitted ;;
    exactly-once) eos=(--exactly-once) isolation=read_committed ;;
    *) die "unknown guarantee $guarantee in E2E_GUARANTEES" ;;
  esac
  started=$SECONDS
  dir=$WORK/$guarantee
  mkdir -p "$dir"
  IN=posts-in-$guarantee OUT=posts-out-$guarantee DLQ=posts-dead-letter-$guarantee
  GROUP=anoniem-e2e-$guarantee
  # The output topic is compacted, as in production (P6); the test data stay
  # far below a segment (16 MiB), so the cleaner never touches them here.
  timeout --foreground 60 tests/kafka/topics.sh --create --topic "$IN" --partitions 3 >/dev/null \
    || die "cannot create topic $IN"
  timeout --foreground 60 tests/kafka/topics.sh --create --topic "$OUT" --partitions 3 --config cleanup.policy=compact >/dev/null \
    || die "cannot create topic $OUT"
  timeout --foreground 60 tests/kafka/topics.sh --create --topic "$DLQ" --partitions 3 >/dev/null \
    || die "cannot create topic $DLQ"

  # The stage: configured by the environment alone.
  LOGS+=("$dir/stage.log")
  env ANONIEM_BROKERS="$BROKERS" \
    ANONIEM_GROUP_ID="$GROUP" \
    ANONIEM_INPUT_TOPIC="$IN" \
    ANONIEM_OUTPUT_TOPIC="$OUT" \
    ANONIEM_DEAD_LETTER_TOPIC="$DLQ" \
    ANONIEM_RULES_DIR=rules \
    ANONIEM_PSEUDONYM_KEY="$KEY" \
    ANONIEM_GUARANTEE="$guarantee" \
    ANONIEM_TRANSACTIONAL_ID="$GROUP-1" \
    ANONIEM_LOG="${E2E_LOG:-info}" NO_COLOR=1 \
    "$ANONIEM_BIN" run >"$dir/stage.log" 2>&1 &
  STAGE_PID=$!
  say "[$guarantee] anoniem run (pid $STAGE_PID), group $GROUP, topics $IN -> $OUT, $DLQ"

  # The check; file mode uses the same rules and key. (In the background
  # and waited for, so that a signal to this script runs the cleanup at once.)
  status=0
  ANONIEM_PSEUDONYM_KEY="$KEY" \
    timeout 600 python3 tests/e2e/check.py stream --brokers "$BROKERS" --group "$GROUP" \
    --input-topic "$IN" --output-topic "$OUT" --dead-letter-topic "$DLQ" "${eos[@]}" \
    --anoniem "$ANONIEM_BIN" --rules rules --samples samples/posts.ndjson \
    --corpus "$WORK/corpus.ndjson" --workdir "$dir" &
  CHECK_PID=$!
  wait "$CHECK_PID" || status=$?
  CHECK_PID=""
  kill -0 "$STAGE_PID" 2>/dev/null || die "[$guarantee] anoniem run exited during the check"

  # The second independent client: Kafka's console consumer must read the
  # same output records (key and value; `null` for a tombstone).
  if [[ $status -eq 0 ]]; then
    want=$(wc -l <"$dir/output.kafka-python.txt")
    timeout --foreground 120 tests/kafka/console-consumer.sh --topic "$OUT" --from-beginning \
      --isolation-level "$isolation" --property print.key=true --max-messages "$want" \
      --timeout-ms 30000 >"$dir/output.console.txt" 2>"$dir/console.err" || true
    if ! cmp -s <(LC_ALL=C sort "$dir/output.kafka-python.txt") <(LC_ALL=C sort "$dir/output.console.txt"); then
      say "[$guarantee] kafka-python read $want output records, the console consumer $(wc -l <"$dir/output.console.txt"); first differences:"
      diff <(LC_ALL=C sort "$dir/output.kafka-python.txt") <(LC_ALL=C sort "$dir/output.console.txt") \
        | head -n 6 | cut -c1-200 >&2 || true
      tail -n 5 "$dir/console.err" >&2
      die "[$guarantee] Kafka's console consumer does not read what kafka-python read"
    fi
    say "[$guarantee] Kafka's console consumer ($isolation) read the same $want output records"
  fi

  # SIGTERM: drain, commit, exit 0 within the bound.
  kill -TERM "$STAGE_PID"
  stopped=""
  for _ in $(seq 1 $((STOP_S * 10))); do
    kill -0 "$STAGE_PID" 2>/dev/null || { stopped=1; break; }
    sleep 0.1
  done
  [[ -n $stopped ]] || die "[$guarantee] anoniem run did not exit within ${STOP_S}s of SIGTERM"
  stage_rc=0
  wait "$STAGE_PID" || stage_rc=$?
  STAGE_PID=""
  [[ $stage_rc -eq 0 ]] || die "[$guarantee] anoniem run exited with status $stage_rc after SIGTERM (0 expected)"
  say "[$guarantee] anoniem run exited 0 after SIGTERM: $(sed 's/\x1b\[[0-9;]*m//g' "$dir/stage.log" | grep -o 'stage stopped.*' | tail -n 1)"
  [[ $status -eq 0 ]] || die "[$guarantee] the output does not match file mode (see above)"

  timeout 60 python3 tests/e2e/check.py committed --brokers "$BROKERS" --group "$GROUP" \
    --input-topic "$IN" --output-topic "$OUT" --dead-letter-topic "$DLQ" --workdir "$dir" \
    || die "[$guarantee] offsets not committed"

  warnings=$(sed 's/\x1b\[[0-9;]*m//g' "$dir/stage.log" | grep -cE ' (WARN|ERROR) ' || true)
  say "[$guarantee] passed in $((SECONDS - started)) s; the stage logged $warnings warnings/errors"
  passed=$((passed + 1))
done

echo "e2e: $passed passed, 0 failed"
