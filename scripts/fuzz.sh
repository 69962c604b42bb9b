#!/usr/bin/env bash
# make fuzz: the core's fuzz targets (core/tests/fuzz, stable Rust) on an optimised build
# that keeps overflow checks and debug assertions (a `fuzz` cargo profile defined on the
# command line: no Cargo.toml change), with a new seed each run, then a table of inputs
# per target and the total (≥ 10⁶ by default). A failure prints the input (the engine:
# its event trace) and the command that replays it, and the script exits non-zero.
#   FUZZ_ITERS=100000  inputs per target (the engine runs a tenth as many sequences of
#                      ~60 events; its events are what the total counts for it)
#   FUZZ_SEED=0x…      replay a run (printed in the table); FUZZ_CASE=N one case of it
#   FUZZ_SECONDS=120   the coverage-guided run (fuzz/: only with nightly and cargo-fuzz)
# `make test` runs a short, fixed-seed pass of the same targets (in its suite native-tests).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"
cd "$ROOT"
export FUZZ_ITERS="${FUZZ_ITERS:-100000}"
export FUZZ_SEED="${FUZZ_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
target="${CARGO_TARGET_DIR:-$ROOT/target}"
log="$target/fuzz.log"
mkdir -p "$target"
profile=(--profile fuzz --config 'profile.fuzz.inherits="dev"' --config 'profile.fuzz.opt-level=2'
         --config 'profile.fuzz.debug="line-tables-only"' --config 'profile.fuzz.incremental=false')

echo "=== fuzz: FUZZ_ITERS=$FUZZ_ITERS per target, FUZZ_SEED=$FUZZ_SEED (log: $log)"
t0=$(date +%s)
cargo test -p clerk-core --test fuzz "${profile[@]}" -- --nocapture --test-threads=2 >"$log" 2>&1
rc=$?
grep -aE '^(=== fuzz target|input:|replay:|thread .* panicked)|^--- engine trace' -A2 "$log" | head -200

echo
echo "| target | inputs | ms |"
echo "|---|---:|---:|"
grep -aoE 'fuzz [a-z0-9_-]+ +[0-9]+ inputs( +seed [0-9a-fx]+ +[0-9]+ ms)?' "$log" | sort -k2,2 |
  awk '{ ms = ($7 == "" ? "" : $7); printf "| %s | %d | %s |\n", $2, $3, ms }
       $2 != "engine" { total += $3 }
       END { printf "| **total** (engine: its events) | **%d** | |\n", total; print total > "/dev/stderr" }' 2>"$target/fuzz.total"
total=$(cat "$target/fuzz.total"); rm -f "$target/fuzz.total"

# Coverage-guided, optional: with a nightly toolchain and cargo-fuzz, the same generators
# and checks under libFuzzer (fuzz/, outside the workspace) for FUZZ_SECONDS (default 120).
if [ "$rc" -eq 0 ] && command -v cargo-fuzz >/dev/null 2>&1 && cargo +nightly --version >/dev/null 2>&1; then
  secs=${FUZZ_SECONDS:-120}
  flog="$target/fuzz-libfuzzer.log"
  echo
  echo "=== coverage-guided: cargo +nightly fuzz run core, ${secs} s (log: $flog)"
  (cd fuzz && cargo +nightly fuzz run core -- -max_total_time="$secs" -print_final_stats=1) >"$flog" 2>&1
  rc=$?
  execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$flog" | grep -oE '[0-9]+$' | tail -1)
  cov=$(grep -aoE 'cov: [0-9]+' "$flog" | tail -1)
  echo "libFuzzer: ${execs:-?} inputs in ${secs} s (${cov:-cov: ?} edges)$([ "$rc" -eq 0 ] && echo ', 0 failures')"
  [ "$rc" -eq 0 ] || { grep -aE 'panicked|^=== fuzz|input:|Test unit written' "$flog" | head -20; }
else
  echo "(coverage-guided fuzzing skipped: it needs a nightly toolchain and cargo-fuzz)"
fi
echo
echo "seed $FUZZ_SEED, $(( $(date +%s) - t0 )) s (build included)"
if [ "$rc" -ne 0 ]; then
  echo "FAILED: see above and $log (replay with the FUZZ_SEED/FUZZ_CASE it prints)"
  exit "$rc"
fi
if [ "${total:-0}" -lt 1000000 ] && [ "$FUZZ_ITERS" -ge 100000 ]; then
  echo "FAILED: only $total inputs"; exit 1
fi
echo "0 failures"
