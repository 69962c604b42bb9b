cd /work/main; ROOT=/work/main
. scripts/env.sh; . scripts/lib.sh
start_emulator /tmp/emu-p.log --memory || exit 1
export CLERK_EMULATOR_URL="$EMU_URL"
trap 'stop_pid $EMU_PID' EXIT
PKG_DIR=/tmp/proto-pkg node --test --test-reporter=spec ${PROTO_TESTS:-tests/e2e/sdk-seed-001.test.mjs tests/e2e/sdk-seed-003.test.mjs} 2>&1 > /tmp/pt-full.log 2>&1; tail -80 /tmp/pt-full.log
