#!/usr/bin/env bash
# build-pkg.sh [dev|release] [OUT_DIR] [headless] — builds the one npm package with wasm-pack
# (--mode no-install: never downloads) for the `web` target and merges pkg-template/:
#   OUT_DIR/        the headless build            (`import { Clerk } from 'clerk-wasm'`): the core
#                   (cargo feature npm: the engine and its driver) under the JS skin (index.js)
#   OUT_DIR/ui/     the build with the `ui` feature (`import { Clerk } from 'clerk-wasm/ui'`)
#   OUT_DIR/clerk-wasm.css, OUT_DIR/script.js (the script-tag loader, loads ui/)
# A third argument `headless` skips the ui build (size experiments).
# release also shrinks what ships: std rebuilt for size, wasm-opt ($WASM_OPT_FLAGS, scripts/env.sh) on each
# .wasm then its functions ordered for gzip (order-functions.mjs),
# short import names (short-imports.mjs), the glue's loader cut to the one call the entry makes
# (slim-init.mjs), and esbuild: each entry (index.js, ui/index.js) bundled
# with its wasm-bindgen glue and the glue's snippets (the error classes, the forms' driver) into
# one module, minified by esbuild then terser, so a page loads two files (the entry and its
# .wasm) instead of four, and gzip sees one stream; script.js minified. NO_SHRINK=1 skips all
# of it but the std rebuild (BUILD_STD=0 skips that); the dev build keeps the files apart and readable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"
profile=${1:-dev}; out=${2:-$ROOT/pkg}; only=${3:-}
case "$only" in ''|headless) ;; *) echo "build-pkg.sh: unknown third argument '$only' (expected: headless)" >&2; exit 2 ;; esac
cd "$ROOT"

# Release: the dependencies' source paths in panic locations lose the builder's cargo home
# (`$HOME/.cargo/registry/src/index.crates.io-…/gloo-net-0.6.0/src/…` → `index.crates.io-…/…`),
# so the shipped .wasm names no directory of the machine that built it. With the std rebuild
# below (`-Zlocation-detail=none`) no path is left to remap; this covers BUILD_STD=0.
if [ "$profile" = release ]; then
  export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/="
fi

# Release: the standard library is rebuilt with the package (rust-src, from scripts/install.sh) so
# that a panic is a bare trap (`-Cpanic=immediate-abort`: no panic machinery, messages or
# formatting reach the .wasm), panic locations carry no file names (`-Zlocation-detail=none`) and
# `{:?}` prints nothing (`-Zfmt-debug=none`: nothing the package shows uses Debug). A panic was
# already an uncatchable trap (panic=abort, no hook), so nothing a page sees changes; the headless
# entry is 4.1 KB gzip smaller. These are unstable flags, accepted by the machine's stable toolchain
# under RUSTC_BOOTSTRAP=1, scoped to this build (the dev build, the tests and the Rust API as a
# dependency use stock std). BUILD_STD=0 builds without them (size comparisons).
std_env=()
if [ "$profile" = release ] && [ "${BUILD_STD:-1}" != 0 ]; then
  std_env=(RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    "RUSTFLAGS=${RUSTFLAGS:+$RUSTFLAGS }-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none")
fi

# wasm_pack OUT [FEATURES]
wasm_pack() {
  local args=(build --mode no-install --target web --out-dir "$1" --out-name clerk_wasm --no-pack) feat=()
  [ "$profile" = release ] && args+=(--release) || args+=(--dev)
  [ -n "${2:-}" ] && feat=(-- --features "$2")
  if ! env "${std_env[@]}" wasm-pack -q "${args[@]}" . "${feat[@]}" 2> >(grep -v -e 'failed to get wasm-pack version' -e '^\[INFO\]' >&2); then
    [ ${#std_env[@]} -gt 0 ] && echo "build-pkg.sh: the release build with a rebuilt std failed (unstable flags change between toolchains: see the comment above std_env); BUILD_STD=0 builds with stock std, 4.1 KB gzip larger" >&2
    return 1
  fi
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
# The skin's operation table, generated from the core's `Op` (core/examples/ops_js.rs).
ops=$(cargo run -q -p clerk-core --example ops_js)
grep -q '^export const load = 0;$' <<<"$ops" \
  || { echo "build-pkg.sh: the operation table ops.js was not generated" >&2; exit 1; }
# The crate's version, in package.json and in each entry's `version()`.
version=$(awk -F'"' '/^version = /{print $2; exit}' "$ROOT/Cargo.toml")
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" "$out/package.json"
# One JS shell for both entries: each imports its own build's glue (the ui one has the forms).
if [ -f "$out/ui/clerk_wasm.js" ]; then
  sed "s#^const ui = undefined;\$#import { ui } from './clerk_wasm.js';#" "$ROOT/pkg-template/index.js" >"$out/ui/index.js"
  grep -q "^import { ui } from './clerk_wasm.js';\$" "$out/ui/index.js" \
    || { echo "build-pkg.sh: the ui entry's import of the forms was not written" >&2; exit 1; }
fi
# Each entry: the operation table beside it, the error classes from its own build's snippet,
# the version.
for dir in "$out" "$out/ui"; do
  [ -f "$dir/clerk_wasm.js" ] || continue
  printf '%s\n' "$ops" >"$dir/ops.js"
  errors_js=$(cd "$dir" && ls snippets/*/src/js/errors.js)
  [ "$(wc -l <<<"$errors_js")" -eq 1 ] || { echo "build-pkg.sh: several errors.js in $dir/snippets" >&2; exit 1; }
  sed -i -e "s#__ERRORS_JS__#./$errors_js#" \
    -e "s/^export const version = () => '0.0.0-template';\$/export const version = () => '$version';/" "$dir/index.js"
  grep -q "^export const version = () => '$version';\$" "$dir/index.js" \
    || { echo "build-pkg.sh: the version was not written into $dir/index.js" >&2; exit 1; }
done
if [ "$only" = headless ]; then
  rm -rf "$out/ui"
fi
if [ "$profile" = release ] && [ -z "${NO_SHRINK:-}" ]; then
  esbuild=${ESBUILD:-$ROOT/tests/e2e/node_modules/.bin/esbuild}
  [ -x "$esbuild" ] || { echo "build-pkg.sh: esbuild missing ($esbuild); run scripts/install.sh" >&2; exit 1; }
  terser=${TERSER:-$ROOT/tests/e2e/node_modules/.bin/terser}
  [ -x "$terser" ] || { echo "build-pkg.sh: terser missing ($terser); run scripts/install.sh" >&2; exit 1; }
  for w in "$out/clerk_wasm_bg.wasm" "$out/ui/clerk_wasm_bg.wasm"; do
    [ -f "$w" ] || continue
    "$WASM_OPT" $WASM_OPT_FLAGS "$w" -o "$w.opt" && mv "$w.opt" "$w"
    # Functions alike in shape side by side, for gzip (order-functions.mjs says why).
    node "$here/order-functions.mjs" "$w"
  done
  # wasm-bindgen's import names carry 16 hex digits each, in the .wasm and in the glue:
  # short names instead (scripts/short-imports.mjs says why it is safe).
  for dir in "$out" "$out/ui"; do
    [ -f "$dir/clerk_wasm_bg.wasm" ] && node "$here/short-imports.mjs" "$dir" >/dev/null
  done
  # The glue's general loader (paths, Requests, bytes, deprecated forms) becomes the one call
  # the entry makes (scripts/slim-init.mjs says why it is safe).
  for dir in "$out" "$out/ui"; do
    [ -f "$dir/clerk_wasm.js" ] && node "$here/slim-init.mjs" "$dir"
  done
  # One module per entry: the entry, its glue and the glue's snippets. Identifiers may be
  # renamed: the error classes spell their `name` themselves (src/js/errors.js). The glue
  # finds its .wasm beside the module (`new URL('clerk_wasm_bg.wasm', import.meta.url)`).
  for dir in "$out" "$out/ui"; do
    [ -f "$dir/index.js" ] || continue
    # An operation the skin names that ops.js lacks (`O.signInCreat`) fails the build.
    "$esbuild" "$dir/index.js" --bundle --format=esm --minify --log-level=warning \
      --log-override:import-is-undefined=error --outfile="$dir/index.js.min" --allow-overwrite
    # terser after esbuild: its compressor finds what esbuild's minifier leaves (~260 B gzip on
    # the headless entry; esbuild bundles, terser alone over the plain bundle is ~65 B worse).
    "$terser" "$dir/index.js.min" --module --compress --mangle --output "$dir/index.js"
    rm "$dir/index.js.min"
    rm -rf "$dir/clerk_wasm.js" "$dir/clerk_wasm.d.ts" "$dir/snippets" "$dir/ops.js"
  done
  "$esbuild" "$out/script.js" --minify --log-level=warning --outfile="$out/script.js.min" --allow-overwrite
  mv "$out/script.js.min" "$out/script.js"
fi
