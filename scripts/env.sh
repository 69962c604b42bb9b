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
# How the release package's .wasm is shrunk (measured in README "Size"):
#   --one-caller-inline-max-function-size=18   inlines a function with one caller only when it
#                              is small: binaryen's default (no limit) merges the engine's steps
#                              into a few huge functions whose many locals and unique shapes
#                              compress worse; 3.3 KB gzip off the headless entry (issue 11,
#                              swept 0–100: 20–30 was the floor; re-swept in session 12: 15–20, 18 best)
#   --merge-similar-functions  folds functions that differ only in constants (generic copies)
#   -Oz --flatten --rereloop -Oz   -Oz, then flatten the control flow and rebuild it with the
#                              relooper: ~350 B gzip smaller than -Oz alone (issue 11)
#   --converge                 the passes again until nothing shrinks
#   --flatten --rereloop -Oz --optimize-instructions -Oz   one more round after that fixed
#                              point, with peephole rewrites: 162 B gzip less (session 12; the
#                              round inside --converge, or -Oz alone, gave 50-110 B)
#   --zero-filled-memory       the module's own memory starts zeroed (it is not imported)
#   --low-memory-unused        the first 1 KiB is never addressed (the stack sits below 1 MiB,
#                              growing down; data starts above it)
#   --strip-producers --strip-target-features   custom sections no browser reads
export WASM_OPT_FLAGS="--one-caller-inline-max-function-size=18 --merge-similar-functions -Oz --flatten --rereloop -Oz --converge --flatten --rereloop -Oz --optimize-instructions -Oz --zero-filled-memory --low-memory-unused --strip-producers --strip-target-features"
