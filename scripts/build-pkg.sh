#!/usr/bin/env bash
# build-pkg.sh [dev|release] [OUT_DIR] [FEATURES] — builds the npm package with wasm-pack
# (--mode no-install: never downloads) for the `web` target and merges pkg-template/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"
profile=${1:-dev}; out=${2:-$ROOT/pkg}; features=${3:-}
args=(build --mode no-install --target web --out-dir "$out" --out-name clerk_wasm --no-pack)
[ "$profile" = release ] && args+=(--release) || args+=(--dev)
[ -n "$features" ] && feat=(-- --features "$features") || feat=()
cd "$ROOT"
wasm-pack -q "${args[@]}" . "${feat[@]}" 2> >(grep -v -e 'failed to get wasm-pack version' -e '^\[INFO\]' >&2)
# The package's own files (package.json, README, types, JS entry) come from pkg-template/.
cp -R "$ROOT/pkg-template/." "$out/"
errors_js=$(cd "$out" && ls snippets/*/src/js/errors.js)
sed -i "s#__ERRORS_JS__#./$errors_js#" "$out/index.js"
rm -f "$out/.gitignore"
version=$(awk -F'"' '/^version = /{print $2; exit}' "$ROOT/Cargo.toml")
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" "$out/package.json"
