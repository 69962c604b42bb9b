# Shared shell helpers for demo.sh / test.sh / bench scripts. Source after env.sh.

# start_emulator LOGFILE ARGS... — starts the built clerk-emulator in the background on a
# free port (unless ARGS give --port), waits for its banner and /__emulator/health,
# and sets EMU_PID, EMU_URL and EMU_KEY. EMULATOR_BIN picks another build (default: debug).
start_emulator() {
  local log=$1; shift
  local bin="${EMULATOR_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/clerk-emulator}"
  local args=("$@")
  if ! printf '%s\n' "${args[@]}" | grep -qx -- '--port'; then args+=(--port 0); fi
  "$bin" "${args[@]}" >"$log" 2>&1 &
  EMU_PID=$!
  local i
  for i in $(seq 1 200); do
    EMU_URL=$(awk -F': ' '/^Frontend API: /{print $2; exit}' "$log")
    if [ -n "$EMU_URL" ] && curl -fsS "$EMU_URL/__emulator/health" >/dev/null 2>&1; then
      EMU_KEY=$(awk -F': ' '/^Publishable key: /{print $2; exit}' "$log")
      export EMU_URL EMU_KEY EMU_PID
      return 0
    fi
    if ! kill -0 "$EMU_PID" 2>/dev/null; then
      echo "clerk-emulator exited early:" >&2; cat "$log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "clerk-emulator did not become ready in 20 s:" >&2; cat "$log" >&2
  return 1
}

# build_emu_bench — builds the emulator for benchmarks (the emu-bench profile, defined here
# on the command line: release with opt-level 3, thin LTO and unwinding panics; the workspace
# release profile is tuned for the wasm package's size) and prints the binary's path.
build_emu_bench() {
  cargo build -q -p clerk-emulator --profile emu-bench \
    --config 'profile.emu-bench.inherits="release"' \
    --config 'profile.emu-bench.opt-level=3' \
    --config 'profile.emu-bench.lto="thin"' \
    --config 'profile.emu-bench.codegen-units=16' \
    --config 'profile.emu-bench.panic="unwind"' >&2
  echo "${CARGO_TARGET_DIR:-$ROOT/target}/emu-bench/clerk-emulator"
}

# stop_pid PID — terminate a background process and wait for it.
stop_pid() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
