#!/usr/bin/env bash
# `anoniem demo --follow` watched and fed with kcat, as the README tells a
# user to: kcat (Debian's, librdkafka 2.0) reads the sanitised output from
# the demo's embedded broker, with the tombstone the demo's sweeper wrote
# when it moved the sweeper's clock past an item's retention, produces one
# more post, and sees it come out sanitised; Ctrl-C (SIGINT) then ends the
# demo with exit status 0.
#
# Usage: ANONIEM_BIN=target/debug/anoniem tests/e2e/demo_kcat.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ANONIEM_BIN:-target/release/anoniem}
command -v kcat >/dev/null || { echo "demo_kcat: kcat not installed (apt-get install kcat)" >&2; exit 1; }
WORK=$(mktemp -d)
DEMO_PID=
cleanup() {
  [[ -n $DEMO_PID ]] && kill -KILL "$DEMO_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "demo_kcat: FAIL: $*" >&2; sed 's/^/  demo: /' "$WORK/demo.out" >&2 || true; exit 1; }

ANONIEM_LOG=warn "$BIN" demo --follow >"$WORK/demo.out" 2>"$WORK/demo.err" &
DEMO_PID=$!

# The sample (19 posts) is through when 16 outputs and 3 dead letters were
# printed; then the demo moves its sweeper's clock to the end of the first
# live item's retention, and prints the sweeper's tombstone for it.
SWEPT_LINE='(tombstone: removed by the sweeper, sweep-retention'
for _ in $(seq 1 600); do
  n=$(grep -cE '^(dead-letter|[a-z]+:)' "$WORK/demo.out" || true)
  [[ $n -ge 20 ]] && grep -qF "$SWEPT_LINE" "$WORK/demo.out" && break
  kill -0 "$DEMO_PID" 2>/dev/null || die "the demo exited early"
  sleep 0.1
done
[[ ${n:-0} -ge 20 ]] || die "the sample and the sweeper's tombstone did not come through in 60 s"
SWEPT=$(grep -F "$SWEPT_LINE" "$WORK/demo.out" | cut -d' ' -f1)
[[ $SWEPT == facebook:1234567890123456 ]] || die "the sweeper removed '$SWEPT' (want facebook:1234567890123456)"
grep -q "^anoniem demo: the sweeper's clock moves from .* to 2027-11-20T10:15:00Z, when the retention of $SWEPT runs out" "$WORK/demo.out" \
  || die "the demo did not say where it moved the sweeper's clock"
ADDR=$(sed -n 's/.*in-process Kafka broker at \([0-9.:]*\).*/\1/p' "$WORK/demo.out" | head -1)
[[ -n $ADDR ]] || die "no broker address printed"

# kcat reads the output topic: 17 records, 5 of them tombstones (null
# values): 16 from the stage, and the sweeper's, after the item's upsert,
# with its reason in the anoniem-fired header.
kcat -b "$ADDR" -C -t posts.sanitised -o beginning -e -q -f '%k\t%S\t%h\t%s\n' >"$WORK/out.tsv" 2>"$WORK/kcat.err" \
  || die "kcat could not read the output: $(cat "$WORK/kcat.err")"
records=$(wc -l <"$WORK/out.tsv")
tombstones=$(awk -F'\t' '$2 == -1' "$WORK/out.tsv" | wc -l)
[[ $records -eq 17 && $tombstones -eq 5 ]] || die "kcat saw $records records, $tombstones tombstones (want 17, 5)"
grep -q '06-12345678' "$WORK/out.tsv" && die "a phone number reached the output"
last=$(awk -F'\t' -v k="$SWEPT" '$1 == k { print ($2 == -1 ? "tombstone" : "upsert") "\t" $3 }' "$WORK/out.tsv" | tail -1)
[[ $last == tombstone$'\t'*anoniem-fired=sweep-retention* ]] \
  || die "kcat did not see the sweeper's tombstone for $SWEPT last (saw: $last)"
[[ $(awk -F'\t' -v k="$SWEPT" '$1 == k' "$WORK/out.tsv" | wc -l) -eq 2 ]] \
  || die "kcat did not see $SWEPT published, then tombstoned"

# kcat produces a new post; the demo's stage sanitises it.
echo 'forum:kcat-1|{"id":"forum:kcat-1","source":"forum","text":"Mail me at piet@example.nl"}' \
  | kcat -b "$ADDR" -P -t posts.collected -K '|' 2>"$WORK/kcat.err" || die "kcat could not produce"
for _ in $(seq 1 300); do
  grep -q '^forum:kcat-1 ' "$WORK/demo.out" && break
  sleep 0.1
done
grep -q '^forum:kcat-1 .*Mail me at \[email\]' "$WORK/demo.out" || die "the post produced with kcat did not come out sanitised"

kill -INT "$DEMO_PID"
status=0
for _ in $(seq 1 300); do kill -0 "$DEMO_PID" 2>/dev/null || break; sleep 0.1; done
wait "$DEMO_PID" || status=$?
DEMO_PID=
[[ $status -eq 0 ]] || die "the demo exited with $status after SIGINT"
echo "demo_kcat: OK: kcat read 17 records (4 tombstones from the stage, 1 from the sweeper for $SWEPT) from $ADDR, produced one that came out sanitised; demo exited 0 on SIGINT"
