#!/usr/bin/env bash
# make bench: the release package as shipped (build-pkg.sh release: wasm-opt -Oz, minified JS;
# headless build only) in target/bench-pkg,
# a fresh in-memory emulator, then scripts/bench-load.mjs (ClerkJS vs clerk-wasm: cold
# page → load() resolved, requests per seed flow). Not a test: it only prints numbers.
#   BENCH_RUNS=10 (default) cold loads per library.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"; . "$here/lib.sh"
cd "$ROOT"
out="${CARGO_TARGET_DIR:-$ROOT/target}/bench-pkg"
scripts/build-pkg.sh release "$out" headless
cargo build -q -p clerk-emulator
EMU_PID=
trap 'stop_pid "$EMU_PID"' EXIT
mkdir -p "${CARGO_TARGET_DIR:-$ROOT/target}"
start_emulator "${CARGO_TARGET_DIR:-$ROOT/target}/bench-emulator.log" --memory
CLERK_EMULATOR_URL="$EMU_URL" PKG_DIR="$out" node scripts/bench-load.mjs "$@"
