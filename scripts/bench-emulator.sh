#!/usr/bin/env bash
# Emulator throughput (not a test; part of `make bench`): builds clerk-emulator
# with release optimisations, starts it on a free loopback port, and runs
# scripts/bench-emulator.mjs against it from a separate process (node, HTTP/1.1
# keep-alive): GET /v1/client for signed-in clients, POST /v1/client/sign_ins.
# Prints req/s and p50/p90/p99 per endpoint, for an in-memory database and a
# file database (WAL) in a temporary directory.
#
#   scripts/bench-emulator.sh [--conns 16] [--duration 5]
#   BENCH_DB="memory" scripts/bench-emulator.sh     only one database kind
#
# The profile: the workspace's `release` profile is tuned for the wasm SDK's
# size (opt-level "z", panic = "abort"); the emulator is a server, so it is
# built like `release` but with opt-level 3, thin LTO and unwinding panics
# (a panic in a request becomes a 500 instead of ending the process).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"; . "$here/lib.sh"
cd "$ROOT"
bin="$(build_emu_bench)"
tmp="$(mktemp -d)"
EMU_PID=
cleanup() { stop_pid "$EMU_PID"; rm -rf "$tmp"; }
trap cleanup EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine lowers the numbers)"
for db in ${BENCH_DB:-memory file}; do
  echo
  echo "=== clerk-emulator (emu-bench profile), $db database"
  if [ "$db" = memory ]; then args=(--memory); else args=(--db "$tmp/bench.sqlite"); fi
  EMULATOR_BIN="$bin" start_emulator "$tmp/emu-$db.log" "${args[@]}"
  CLERK_EMULATOR_URL="$EMU_URL" node scripts/bench-emulator.mjs "$@"
  # A graceful stop: SIGTERM, in-flight requests finish, exit 0.
  kill -TERM "$EMU_PID"; rc=0; wait "$EMU_PID" || rc=$?; EMU_PID=
  [ "$rc" -eq 0 ] || { echo "clerk-emulator exited $rc on SIGTERM" >&2; exit 1; }
done
