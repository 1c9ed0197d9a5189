#!/usr/bin/env bash
# Runs each cargo-fuzz target for a bounded time.
#
#   fuzz/run.sh                 every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=600 fuzz/run.sh planted
#
# Targets (fuzz/fuzz_targets/):
#   engine   bytes -> parse and sanitise: no panic, a refused record has a
#            documented reason kind, an accepted one comes out as a JSON
#            object with its id, and sanitising it again changes nothing
#   planted  bytes written around personal data planted in every free-text
#            field: none of the planted values comes out
#   rules    bytes -> rule-file compile: no panic, problems named with
#            their file, a valid set sanitises a record
#
# Each starts from its seeds in fuzz/seeds/<target> (in the repository);
# what the fuzzer adds goes to a scratch directory, so a run leaves the
# repository as it was. A finding stops the run with a non-zero status and
# leaves its input in fuzz/artifacts/<target>/ (replay it with
# `cargo +nightly fuzz run -s none -a TARGET fuzz/artifacts/TARGET/FILE`).
#
# Needs the nightly toolchain (`rustup toolchain list`) and cargo-fuzz
# (`cargo install cargo-fuzz --locked`). Sanitizer: none (the code under
# test is safe Rust; libFuzzer's coverage guidance is kept), with debug
# assertions on, so an arithmetic overflow is a finding too.
set -euo pipefail
cd "$(dirname "$0")"

SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(engine planted rules)
say() { echo "fuzz: $*" >&2; }

rustup run nightly rustc --version >/dev/null 2>&1 || { say "no nightly toolchain (rustup toolchain install nightly)"; exit 1; }
cargo fuzz --version >/dev/null 2>&1 || { say "no cargo-fuzz (cargo install cargo-fuzz --locked)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/anoniem-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

FLAGS=(--sanitizer none --debug-assertions)
say "building ${TARGETS[*]} (nightly, $(rustup run nightly rustc --version))"
cargo +nightly fuzz build "${FLAGS[@]}" >"$WORK/build.log" 2>&1 || {
  tail -n 40 "$WORK/build.log" >&2
  exit 1
}
for t in "${TARGETS[@]}"; do
  mkdir -p "$WORK/$t"
  say "$t: ${SECONDS_EACH} s from $(ls "seeds/$t" | wc -l) seeds"
  # -timeout: one input taking over 10 s is a finding; -rss_limit_mb: so is
  # a process over 2 GiB. The time bound is libFuzzer's own, and `timeout`
  # stops it should that ever not hold.
  if ! timeout $((SECONDS_EACH + 120)) cargo +nightly fuzz run "${FLAGS[@]}" "$t" "$WORK/$t" "seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$WORK/$t.log" 2>&1; then
    grep -E "panicked|ERROR|SUMMARY|Test unit written|artifact" "$WORK/$t.log" | head -n 20 >&2 || true
    tail -n 30 "$WORK/$t.log" >&2
    say "$t: FAILED (input in fuzz/artifacts/$t/)"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$WORK/$t.log" | tail -n 1)
  say "$t: ok, ${runs:-?} inputs, ${cov:-cov: ?}, no finding"
done
