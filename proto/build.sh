set -e
cd /work/proto; . scripts/env.sh; export CARGO_TARGET_DIR=/work/target-proto
cargo build -q --release --target wasm32-unknown-unknown --lib --features jscore
rm -rf /tmp/pp /tmp/proto-pkg && wasm-bindgen --target web --out-dir /tmp/pp $CARGO_TARGET_DIR/wasm32-unknown-unknown/release/clerk_wasm.wasm
$WASM_OPT -Oz /tmp/pp/clerk_wasm_bg.wasm -o /tmp/pp/o.wasm
mkdir -p /tmp/proto-pkg && cp -R /tmp/pp/snippets /tmp/pp/clerk_wasm.js /tmp/proto-pkg/ && cp /tmp/pp/o.wasm /tmp/proto-pkg/clerk_wasm_bg.wasm
E=$(cd /tmp/proto-pkg && ls snippets/*/src/jscore_js/errors.js)
sed "s#'./errors.js'#'./$E'#g" /work/proto/proto/index.js > /tmp/proto-pkg/index.js
ES=/work/main/tests/e2e/node_modules/.bin/esbuild
tot=0
for f in clerk_wasm_bg.wasm clerk_wasm.js index.js $E; do
  p=/tmp/proto-pkg/$f
  case $f in *.js) $ES $p --minify --keep-names --outfile=/tmp/m.js --log-level=warning; p=/tmp/m.js ;; esac
  g=$(gzip -9c $p | wc -c); tot=$((tot+g)); echo "$f $(wc -c <$p) raw, $g gz"
done
echo "TOTAL gz $tot"
V=$(awk -F'"' '/^version = /{print $2; exit}' /work/proto/Cargo.toml); echo "{\"name\": \"clerk-wasm\", \"version\": \"$V\"}" > /tmp/proto-pkg/package.json
