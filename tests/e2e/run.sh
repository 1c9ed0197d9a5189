#!/usr/bin/env bash
# End-to-end test: `anoniem run` as its own process, configured by the
# environment alone, against a Kafka-protocol broker in another process
# (tansu, in memory, on a free loopback port). tests/e2e/check.py produces
# the input with kafka-python, reads the output and dead-letter topics back
# and compares them record by record with file mode; then the stage gets
# SIGTERM and must exit 0 in time, and its group must have committed the end
# of the input.
#
#   ANONIEM_BIN=target/release/anoniem tests/e2e/run.sh
#
# Needs: tansu 0.6 on PATH or in ~/.cargo/bin (cargo install --locked tansu
# --version 0.6.0 --features dynostore,libsql), python3 with kafka-python
# and lz4, the output's default compression (pip install --user
# kafka-python==2.3.3 lz4==4.4.5; kafka-python 3.0.12 works too), and a
# built anoniem (ANONIEM_BIN, default target/release/anoniem; a debug build
# works as well). The corpus generator is taken from beside it
# (<dir of ANONIEM_BIN>/examples/gen_corpus, or GEN_CORPUS), else built with
# cargo in the same profile.
#
# Other knobs: E2E_RECORDS (corpus records, default 2000), E2E_SEED (1),
# E2E_KEEP=1 keeps the work dir (logs, input, file-mode results), E2E_LOG
# (the stage's log filter, default info).
#
# tansu 0.6.0 (memory storage) limitations, none of them anoniem's, and what
# this test does about them:
# - no transactions: the stage runs with guarantee = at-least-once, and the
#   check allows duplicates (identical ones, in order);
# - a member killed with SIGKILL is not expired from its group: each run has
#   its own broker and group, and the stage is stopped with SIGTERM only
#   (SIGKILL only in the cleanup after a failure);
# - a Fetch from an offset inside a stored batch returns the batches after
#   that batch: the rest of the batch is skipped. A consumer resuming from a
#   committed offset mid-batch therefore loses up to a batch per partition
#   (seen: a stage stopped with SIGTERM after committing offset 111, the next
#   one never got 111..124 and went on at 125; kafka-python's seek(15) into a
#   batch 10..19 first gets offset 20). So this test does not stop and
#   restart the stage mid-stream (the mock-cluster tests in
#   tests/stream_mock.rs do);
# - ListOffsets(latest) answers the base offset of the last batch + 1, not
#   the end of the partition: the check never asks for end offsets; it reads
#   until the expected count and a quiet period, and takes the end of each
#   input partition from the producer's acknowledgements.
set -euo pipefail
cd "$(dirname "$0")/../.."

ANONIEM_BIN=${ANONIEM_BIN:-target/release/anoniem}
RECORDS=${E2E_RECORDS:-2000}
SEED=${E2E_SEED:-1}
# Every wait below is bounded.
BROKER_START_S=30
STOP_S=30

say() { echo "e2e: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }

TANSU=$(command -v tansu || true)
[[ -z $TANSU && -x $HOME/.cargo/bin/tansu ]] && TANSU=$HOME/.cargo/bin/tansu
[[ -n $TANSU ]] || die "tansu not found: cargo install --locked tansu --features dynostore,libsql"
python3 -c 'import kafka, lz4' 2>/dev/null || die "python3 cannot import kafka and lz4 (the stage's default compression): pip install kafka-python==2.3.3 lz4==4.4.5"
[[ -x $ANONIEM_BIN ]] || die "no anoniem binary at $ANONIEM_BIN (cargo build --release --bin anoniem)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/anoniem-e2e.XXXXXX")
BROKER_PID=""
STAGE_PID=""
CHECK_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in $CHECK_PID $STAGE_PID $BROKER_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ $rc -ne 0 ]]; then
    for f in "$WORK"/stage.log "$WORK"/broker.log; do
      [[ -s $f ]] && { say "last lines of $f:"; tail -n 30 "$f" >&2; }
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

# A free loopback port (bound and released; tansu binds it right after).
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BROKERS=127.0.0.1:$PORT
URL=tcp://$BROKERS

"$TANSU" broker --listener-url "$URL" --advertised-listener-url "$URL" \
  --storage-engine memory://tansu/ >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
ready=""
for _ in $(seq 1 $((BROKER_START_S * 10))); do
  kill -0 "$BROKER_PID" 2>/dev/null || die "tansu exited at start"
  if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$PORT" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
[[ -n $ready ]] || die "tansu did not accept connections on $BROKERS within ${BROKER_START_S}s"
say "tansu $("$TANSU" --version | awk '{print $2}') on $BROKERS (pid $BROKER_PID)"

IN=posts-in OUT=posts-out DLQ=posts-dead-letter GROUP=anoniem-e2e
KEY=e2e-test-pseudonym-key-not-secret  # a test key (at least 16 bytes)
for topic in $IN $OUT $DLQ; do
  timeout 30 "$TANSU" topic create --broker "$URL" --partitions 3 "$topic" >>"$WORK/broker.log" 2>&1 \
    || die "cannot create topic $topic"
done

# The stage: configured by the environment alone.
env ANONIEM_BROKERS="$BROKERS" \
  ANONIEM_GROUP_ID="$GROUP" \
  ANONIEM_INPUT_TOPIC="$IN" \
  ANONIEM_OUTPUT_TOPIC="$OUT" \
  ANONIEM_DEAD_LETTER_TOPIC="$DLQ" \
  ANONIEM_RULES_DIR=rules \
  ANONIEM_PSEUDONYM_KEY="$KEY" \
  ANONIEM_GUARANTEE=at-least-once \
  ANONIEM_LOG="${E2E_LOG:-info}" NO_COLOR=1 \
  "$ANONIEM_BIN" run >"$WORK/stage.log" 2>&1 &
STAGE_PID=$!
say "anoniem run (pid $STAGE_PID), group $GROUP, topics $IN -> $OUT, $DLQ"

# The check; file mode uses the same rules and key.
# (In the background and waited for, so that a signal to this script
# runs the cleanup at once.)
status=0
ANONIEM_PSEUDONYM_KEY="$KEY" \
  timeout 600 python3 tests/e2e/check.py stream --brokers "$BROKERS" --group "$GROUP" \
  --input-topic $IN --output-topic $OUT --dead-letter-topic $DLQ \
  --anoniem "$ANONIEM_BIN" --rules rules --samples samples/posts.ndjson \
  --corpus "$WORK/corpus.ndjson" --workdir "$WORK" &
CHECK_PID=$!
wait "$CHECK_PID" || status=$?
CHECK_PID=""
kill -0 "$STAGE_PID" 2>/dev/null || die "anoniem run exited during the check"

# SIGTERM: drain, commit, exit 0 within the bound.
say "SIGTERM to anoniem run"
kill -TERM "$STAGE_PID"
stopped=""
for _ in $(seq 1 $((STOP_S * 10))); do
  kill -0 "$STAGE_PID" 2>/dev/null || { stopped=1; break; }
  sleep 0.1
done
[[ -n $stopped ]] || die "anoniem run did not exit within ${STOP_S}s of SIGTERM"
stage_rc=0
wait "$STAGE_PID" || stage_rc=$?
STAGE_PID=""
[[ $stage_rc -eq 0 ]] || die "anoniem run exited with status $stage_rc after SIGTERM (0 expected)"
say "anoniem run exited 0 after SIGTERM: $(sed 's/\x1b\[[0-9;]*m//g' "$WORK/stage.log" | grep -o 'stage stopped.*' | tail -n 1)"
[[ $status -eq 0 ]] || die "the output does not match file mode (see above)"

timeout 60 python3 tests/e2e/check.py committed --brokers "$BROKERS" --group "$GROUP" \
  --input-topic $IN --output-topic $OUT --dead-letter-topic $DLQ --workdir "$WORK" \
  || die "offsets not committed"

warnings=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/stage.log" | grep -cE ' (WARN|ERROR) ' || true)
say "the stage logged $warnings warnings/errors"
echo "e2e: 1 passed, 0 failed"
