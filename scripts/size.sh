#!/usr/bin/env bash
# make size: build the release npm package (build-pkg.sh release: wasm-opt -Oz, esbuild --minify)
# and print raw / gzip -9 / brotli -q 11 bytes of what a page loads: the .wasm and the entry
# (index.js: in the release build, the wasm-bindgen glue and its snippets are bundled into it;
# where they are apart, they are counted too).
#   scripts/size.sh                 the release package into pkg/: headless at pkg/, forms (ui) at pkg/ui/
#   scripts/size.sh --compare-opt   also rebuild with opt-level "s" to compare with "z"
#   scripts/size.sh --no-build      measure the release package already in pkg/ (make test)
#   SIZE_BUDGET_GZIP=46080 scripts/size.sh   exit 1 when the headless .wasm+glue gzip exceeds it
#   UI_BUDGET_GZIP=15360 scripts/size.sh     exit 1 when the ui build adds more than that (issue 6)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; ROOT="$(cd "$here/.." && pwd)"
. "$here/env.sh"
cd "$ROOT"

optimize() { # optimize DIR
  local w="$1/clerk_wasm_bg.wasm"
  "$WASM_OPT" $WASM_OPT_FLAGS "$w" -o "$w.opt" && mv "$w.opt" "$w"
}
bytes() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
br() { brotli -q 11 -c "$1" | wc -c | tr -d ' '; }
row() { printf '| %-44s | %9s | %8s | %8s |\n' "$@"; }
table() { # table LABEL DIR → prints rows, sets TOTAL_GZ
  local dir=$2 files=() f tr=0 tg=0 tb=0
  # The release entry has its glue and snippets bundled in; a dev or NO_SHRINK build has them apart.
  files=("$dir/clerk_wasm_bg.wasm")
  [ -f "$dir/clerk_wasm.js" ] && files+=("$dir/clerk_wasm.js")
  [ -f "$dir/index.js" ] && files+=("$dir/index.js")
  while IFS= read -r f; do files+=("$f"); done < <(find "$dir/snippets" -name '*.js' 2>/dev/null | sort)
  for f in "${files[@]}"; do
    local r g b; r=$(bytes "$f"); g=$(gz "$f"); b=$(br "$f")
    tr=$((tr + r)); tg=$((tg + g)); tb=$((tb + b))
    local label=${f#"$dir"/}; case $label in snippets/*) label="snippets/…/${label##*/}" ;; esac
    row "$1: $label" "$r" "$g" "$b"
  done
  row "$1: **total shipped**" "$tr" "$tg" "$tb"
  TOTAL_GZ=$tg
}

[ "${1:-}" = --no-build ] || scripts/build-pkg.sh release "$ROOT/pkg"
echo
row "file (release, wasm-opt -Oz, minified)" "raw B" "gzip B" "brotli B"
row "---" "---:" "---:" "---:"
table headless "$ROOT/pkg"; HEADLESS_GZ=$TOTAL_GZ
if [ -d "$ROOT/pkg/ui" ]; then
  # clerk-wasm/ui: what a page importing the forms entry downloads instead of the headless one.
  table "ui" "$ROOT/pkg/ui"
  UI_ADDS_GZ=$((TOTAL_GZ - HEADLESS_GZ))
  echo "ui build adds $UI_ADDS_GZ B gzip over the headless build"
fi

if [ "${1:-}" = --compare-opt ]; then
  echo; echo 'opt-level comparison (headless, lto, codegen-units=1, panic=abort):'
  row "variant" "raw B" "gzip B" "brotli B"
  row "---" "---:" "---:" "---:"
  for lvl in z s; do
    out="$ROOT/target-size/opt-$lvl"
    NO_SHRINK=1 CARGO_TARGET_DIR="$ROOT/target-size" CARGO_PROFILE_RELEASE_OPT_LEVEL=$lvl scripts/build-pkg.sh release "$out" headless
    w="$out/clerk_wasm_bg.wasm"
    row "opt-level=$lvl, no wasm-opt" "$(bytes "$w")" "$(gz "$w")" "$(br "$w")"
    optimize "$out"
    row "opt-level=$lvl + wasm-opt -Oz" "$(bytes "$w")" "$(gz "$w")" "$(br "$w")"
  done
fi

if [ -n "${SIZE_BUDGET_GZIP:-}" ]; then
  if [ "$HEADLESS_GZ" -gt "$SIZE_BUDGET_GZIP" ]; then
    echo "FAIL: headless .wasm + JS glue is $HEADLESS_GZ B gzip, over the budget of $SIZE_BUDGET_GZIP B"; exit 1
  fi
  echo "ok: headless .wasm + JS glue is $HEADLESS_GZ B gzip, within the budget of $SIZE_BUDGET_GZIP B"
fi
if [ -n "${UI_BUDGET_GZIP:-}" ]; then
  if [ -z "${UI_ADDS_GZ:-}" ]; then echo "FAIL: no ui build in $ROOT/pkg/ui to measure"; exit 1; fi
  if [ "$UI_ADDS_GZ" -gt "$UI_BUDGET_GZIP" ]; then
    echo "FAIL: the ui build adds $UI_ADDS_GZ B gzip, over the budget of $UI_BUDGET_GZIP B"; exit 1
  fi
  echo "ok: the ui build adds $UI_ADDS_GZ B gzip, within the budget of $UI_BUDGET_GZIP B"
fi
