#!/usr/bin/env bash
# make bench: the release package as shipped (build-pkg.sh release: wasm-opt -Oz, minified JS;
# the headless entry and, for the memory bench's forms, ui/) in target/bench-pkg,
# a fresh in-memory emulator, then scripts/bench-load.mjs (ClerkJS vs clerk-wasm: cold
# page → load() resolved, requests per seed flow) and scripts/bench-memory.mjs (1,000
# sign-in/sign-out and 100 email-link cycles in one page, the forms' mount/unmount in
# another: wasm memory, JS heap, live timers/listeners/requests). Not a test: it prints
# numbers (the memory bench exits non-zero when something leaks).
#   BENCH_RUNS=30 (default; the spread on a 2-core machine is wide) cold loads per library; MEM_CYCLES=1000, MEM_LINK_CYCLES=100,
#   MEM_MOUNT_CYCLES=100.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"; . "$here/lib.sh"
cd "$ROOT"
out="${CARGO_TARGET_DIR:-$ROOT/target}/bench-pkg"
scripts/build-pkg.sh release "$out"
cargo build -q -p clerk-emulator
EMU_PID=
trap 'stop_pid "$EMU_PID"' EXIT
mkdir -p "${CARGO_TARGET_DIR:-$ROOT/target}"
start_emulator "${CARGO_TARGET_DIR:-$ROOT/target}/bench-emulator.log" --memory
CLERK_EMULATOR_URL="$EMU_URL" PKG_DIR="$out" node scripts/bench-load.mjs "$@"
# The memory bench against a fresh emulator built for speed (the emu-bench profile that
# scripts/bench-emulator.sh builds next, so built once): the emulator keeps ended sessions
# in the client, so each of the 1,000 cycles answers a larger client; a debug build makes
# that most of an hour.
stop_pid "$EMU_PID"; EMU_PID=
EMULATOR_BIN="$(build_emu_bench)" \
  start_emulator "${CARGO_TARGET_DIR:-$ROOT/target}/bench-memory-emulator.log" --memory
CLERK_EMULATOR_URL="$EMU_URL" PKG_DIR="$out" node scripts/bench-memory.mjs
