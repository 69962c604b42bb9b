#!/usr/bin/env bash
# make demo: build the npm package and the emulator, start the emulator on an SQLite file
# under ./data and a static server for www/, print the URLs. Ctrl-C stops both.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"; . "$here/lib.sh"
cd "$ROOT"
EMU_PORT=${EMU_PORT:-4010}; DEMO_PORT=${DEMO_PORT:-8080}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$EMU_PORT" || EMU_PORT=0
port_free "$DEMO_PORT" || DEMO_PORT=0

echo "building the wasm package and the emulator..."
scripts/build-pkg.sh dev "$ROOT/pkg"   # headless at pkg/, forms at pkg/ui/
cargo build -q -p clerk-emulator
mkdir -p "$ROOT/data"

EMU_PID=; SRV_PID=
cleanup() { stop_pid "$SRV_PID"; stop_pid "$EMU_PID"; }
trap cleanup EXIT INT TERM
start_emulator "$ROOT/data/emulator.log" --port "$EMU_PORT" --db "$ROOT/data/emulator.sqlite"
node scripts/serve.mjs --port "$DEMO_PORT" --root www --pkg pkg --emulator "$EMU_URL" --key "$EMU_KEY" >"$ROOT/data/serve.log" 2>&1 &
SRV_PID=$!
for _ in $(seq 1 100); do grep -q '^Demo: ' "$ROOT/data/serve.log" && break; sleep 0.1; done
DEMO_URL=$(awk '/^Demo: /{print $2; exit}' "$ROOT/data/serve.log")
cat <<MSG

  Demo:            $DEMO_URL
  Emulator inbox:  $EMU_URL/__emulator/
  Frontend API:    $EMU_URL   (use as proxyUrl)
  Publishable key: $EMU_KEY
  Database:        data/emulator.sqlite   (logs in data/*.log)

Press Ctrl-C to stop.
MSG
wait "$EMU_PID" "$SRV_PID"
