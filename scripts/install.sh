#!/usr/bin/env bash
# Installs every tool the build and the test suites need, from registries only
# (Debian apt, crates.io, npm). Idempotent: each step is skipped when its tool is
# already present at the pinned version, so a warm run takes about a second.
#
# Tools go to $CLERK_WASM_TOOLS (default ~/.cache/clerk-wasm-tools), outside the
# checkout, so fresh clones on the same machine reuse them. Source scripts/env.sh
# afterwards (the Makefile does) to get them on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=scripts/env.sh
. "$here/env.sh"

WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
BINARYEN_VERSION=132.0.0

log() { printf '[install] %s\n' "$*" >&2; }
timed() { # timed LABEL CMD...
  local label=$1 t0 t1; shift
  t0=$(date +%s)
  "$@"
  t1=$(date +%s)
  log "$label: $((t1 - t0)) s"
}

mkdir -p "$CLERK_WASM_TOOLS/bin"

# 1. Rust target for the SDK.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  timed "rustup target wasm32" rustup target add wasm32-unknown-unknown
fi

# 1b. The standard library's source, from which the release package rebuilds std for size
#     (scripts/build-pkg.sh says how); a component of the same toolchain, from the same place.
if ! rustup component list --installed | grep -qx 'rust-src'; then
  timed "rustup component rust-src" rustup component add rust-src
fi

# 2. Browsers and drivers from Debian (never a browser download of a test tool).
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  timed "apt-get update" $SUDO apt-get update -qq
  timed "apt ${need_apt[*]}" env DEBIAN_FRONTEND=noninteractive \
    $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if command -v wasm-opt >/dev/null 2>&1 && wasm-opt --version 2>/dev/null | grep -q 'version 108'; then
  log "WARNING: Debian's binaryen 108 is on PATH and miscompiles wasm-bindgen output; using npm binaryen instead"
fi

# 3. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock.
wb_version=$(awk '$0=="name = \"wasm-bindgen\""{getline; gsub(/version = |"/,""); print; exit}' "$root/Cargo.lock")
have_wb=$("$CLERK_WASM_TOOLS/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" != "$wb_version" ]; then
  # --locked can fail when a mirror lacks a locked transitive version; retry unlocked.
  timed "wasm-bindgen-cli $wb_version" bash -c \
    "cargo install -q --locked --root '$CLERK_WASM_TOOLS' wasm-bindgen-cli --version '=$wb_version' \
     || cargo install -q --root '$CLERK_WASM_TOOLS' wasm-bindgen-cli --version '=$wb_version' --force"
fi

# 4. wasm-pack (always run with --mode no-install) and geckodriver, built from crates.io.
have_wp=$("$CLERK_WASM_TOOLS/bin/wasm-pack" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wp" != "$WASM_PACK_VERSION" ]; then
  timed "wasm-pack $WASM_PACK_VERSION" cargo install -q --locked --root "$CLERK_WASM_TOOLS" wasm-pack --version "=$WASM_PACK_VERSION"
fi
have_gd=$("$CLERK_WASM_TOOLS/bin/geckodriver" --version 2>/dev/null | awk 'NR==1{print $2}' || true)
if [ "$have_gd" != "$GECKODRIVER_VERSION" ]; then
  timed "geckodriver $GECKODRIVER_VERSION" cargo install -q --locked --root "$CLERK_WASM_TOOLS" geckodriver --version "=$GECKODRIVER_VERSION"
fi

# 5. wasm-opt from npm binaryen (a node build; Debian's 108 breaks the externref table).
if [ "$("$CLERK_WASM_TOOLS/npm/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  timed "npm binaryen $BINARYEN_VERSION" npm install -s --no-audit --no-fund --prefix "$CLERK_WASM_TOOLS/npm" --save-exact "binaryen@$BINARYEN_VERSION"
fi

# 6. JS dependencies of the tests and the release build (playwright-core, the pinned @clerk/clerk-js, esbuild, ...), from the lock file.
if [ ! -d "$root/tests/e2e/node_modules" ] || [ "$root/tests/e2e/package-lock.json" -nt "$root/tests/e2e/node_modules/.package-lock.json" ]; then
  timed "npm ci tests/e2e" npm ci -s --no-audit --no-fund --prefix "$root/tests/e2e"
fi

log "tools ready in $CLERK_WASM_TOOLS"
