# clerk-wasm — two commands for a newcomer: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install demo test size bench fuzz pkg emulator clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: ## install every missing tool (idempotent; seconds when all present)
	@scripts/install.sh

demo: install ## build, start the emulator and serve www/, print the URLs (Ctrl-C stops both)
	@scripts/demo.sh

test: install ## run every suite; ends with "N passed, N failed"
	@scripts/test.sh

size: install ## release npm package into pkg/ (+ pkg/ui/), wasm-opt -Oz, raw/gzip/brotli table
	@scripts/size.sh

bench: install ## benchmarks: ClerkJS vs clerk-wasm (cold page → load(), requests per flow); memory over 1,000 sign-ins (leaks fail); emulator req/s and p99
	@scripts/bench.sh
	@scripts/bench-emulator.sh

fuzz: ## fuzz the core: ≥10⁶ random inputs (parsers, decoders, the engine), new seed each run (FUZZ_SEED= replays)
	@scripts/fuzz.sh

pkg: install ## build the npm package (dev profile) into pkg/: headless at pkg/, forms at pkg/ui/
	@scripts/build-pkg.sh dev

emulator: ## run the emulator alone on :4010 with ./data/emulator.sqlite
	@cargo run -q -p clerk-emulator -- --port 4010 --db ./data/emulator.sqlite

clean: ## remove build outputs (keeps installed tools; pkg-ui/ is the old separate ui package)
	@cargo clean; rm -rf pkg pkg-ui data/test-* target-size
