#!/usr/bin/env bash
# build-pkg.sh [dev|release] [OUT_DIR] [headless] — builds the one npm package with wasm-pack
# (--mode no-install: never downloads) for the `web` target and merges pkg-template/:
#   OUT_DIR/        the headless build            (`import { Clerk } from 'clerk-wasm'`): the core
#                   (cargo feature npm: the engine and its driver) under the JS skin (index.js)
#   OUT_DIR/ui/     the build with the `ui` feature (`import { Clerk } from 'clerk-wasm/ui'`)
#   OUT_DIR/clerk-wasm.css, OUT_DIR/script.js (the script-tag loader, loads ui/)
# A third argument `headless` skips the ui build (size experiments).
# release also shrinks what ships: wasm-opt ($WASM_OPT_FLAGS, scripts/env.sh) on each .wasm and
# esbuild --minify on each .js (identifiers kept in the error classes). NO_SHRINK=1 skips both
# (size comparisons).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"
profile=${1:-dev}; out=${2:-$ROOT/pkg}; only=${3:-}
case "$only" in ''|headless) ;; *) echo "build-pkg.sh: unknown third argument '$only' (expected: headless)" >&2; exit 2 ;; esac
cd "$ROOT"

# wasm_pack OUT [FEATURES]
wasm_pack() {
  local args=(build --mode no-install --target web --out-dir "$1" --out-name clerk_wasm --no-pack) feat=()
  [ "$profile" = release ] && args+=(--release) || args+=(--dev)
  [ -n "${2:-}" ] && feat=(-- --features "$2")
  wasm-pack -q "${args[@]}" . "${feat[@]}" 2> >(grep -v -e 'failed to get wasm-pack version' -e '^\[INFO\]' >&2)
  rm -f "$1/.gitignore"
}

# Outputs of an earlier build that this one would not overwrite (snippet dirs, the ui build).
rm -rf "$out/snippets" "$out/ui"
wasm_pack "$out" npm
if [ "$only" != headless ]; then
  wasm_pack "$out/ui" ui
fi

# The package's own files (package.json, README, types, JS entries, CSS, loader) come from pkg-template/.
cp -R "$ROOT/pkg-template/." "$out/"
# One JS shell for both entries: each imports its own build's glue (the ui one has the forms).
if [ -d "$out/ui" ]; then cp "$ROOT/pkg-template/index.js" "$out/ui/index.js"; fi
# Each entry imports the error classes from its own build's snippet.
for dir in "$out" "$out/ui"; do
  [ -f "$dir/clerk_wasm.js" ] || continue
  errors_js=$(cd "$dir" && ls snippets/*/src/js/errors.js)
  [ "$(wc -l <<<"$errors_js")" -eq 1 ] || { echo "build-pkg.sh: several errors.js in $dir/snippets" >&2; exit 1; }
  sed -i "s#__ERRORS_JS__#./$errors_js#" "$dir/index.js"
done
if [ "$only" = headless ]; then
  rm -rf "$out/ui"
fi
if [ "$profile" = release ] && [ -z "${NO_SHRINK:-}" ]; then
  esbuild=${ESBUILD:-$ROOT/tests/e2e/node_modules/.bin/esbuild}
  [ -x "$esbuild" ] || { echo "build-pkg.sh: esbuild missing ($esbuild); run scripts/install.sh" >&2; exit 1; }
  for w in "$out/clerk_wasm_bg.wasm" "$out/ui/clerk_wasm_bg.wasm"; do
    [ -f "$w" ] || continue
    "$WASM_OPT" $WASM_OPT_FLAGS "$w" -o "$w.opt" && mv "$w.opt" "$w"
  done
  # Identifiers are not renamed where names are API: the error classes (`err.name`).
  # (Exports keep their names either way: the forms' driver.js is minified fully.)
  while IFS= read -r js; do
    mode=(--minify); case "$js" in */snippets/*/errors.js) mode=(--minify-whitespace --minify-syntax) ;; esac
    "$esbuild" "$js" "${mode[@]}" --log-level=warning --outfile="$js.min" --allow-overwrite && mv "$js.min" "$js"
  done < <(find "$out" -name '*.js' -not -path '*/node_modules/*')
  # wasm-bindgen's import names carry 16 hex digits each, in the .wasm and in the glue:
  # short names instead (scripts/short-imports.mjs says why it is safe).
  for dir in "$out" "$out/ui"; do
    [ -f "$dir/clerk_wasm_bg.wasm" ] && node "$here/short-imports.mjs" "$dir" >/dev/null
  done
fi
version=$(awk -F'"' '/^version = /{print $2; exit}' "$ROOT/Cargo.toml")
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" "$out/package.json"
