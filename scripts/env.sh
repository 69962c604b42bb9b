# Sourced by the Makefile and the scripts: puts the project's tools on PATH.
# Never exports GECKODRIVER globally: wasm-bindgen-test-runner would then pick
# Firefox for every run. Each test command sets exactly one driver variable.
export CLERK_WASM_TOOLS="${CLERK_WASM_TOOLS:-$HOME/.cache/clerk-wasm-tools}"
case ":$PATH:" in
  *":$CLERK_WASM_TOOLS/bin:"*) ;;
  *) export PATH="$CLERK_WASM_TOOLS/bin:$CLERK_WASM_TOOLS/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH" ;;
esac
export WASM_OPT="$CLERK_WASM_TOOLS/npm/node_modules/.bin/wasm-opt"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
