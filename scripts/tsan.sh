#!/usr/bin/env bash
# ThreadSanitizer run of the unit tests that run threads (issue 11): the engine (its thread,
# the operation watch, the profile reader), the store (group writers, reader pools, on
# SQLite and on the throwaway PostgreSQL), notify (outbound OAuth and the issuer client
# against a live server) and the HTTP server and client. Builds the tsan preset (g++-12,
# -fsanitize=thread, Debug -O1) in build/tsan, only those targets, and runs them through
# ctest (which starts and stops the test PostgreSQL for store_test).
#
# Usage: scripts/tsan.sh [CTEST_REGEX]   (default: every suite below)
# Exit status: 0 when every suite passed without a report, non-zero otherwise
# (halt_on_error=1: the first report fails its suite; the report is in ctest's output and
# in build/tsan/Testing/Temporary/LastTest.log).
# Not part of CI's main path (make test, .ci/run): a TSan build is a build of its own.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

targets=(engine_test store_test notify_test http_test http_client_test)
regex=${1:-"^($(IFS='|'; echo "${targets[*]}"))\$"}

[[ ${SKIP_DEPS:-0} == 1 ]] || bash scripts/deps.sh

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake --preset tsan "${launcher[@]}" >/dev/null
nice cmake --build --preset tsan --target "${targets[@]}" -j "${BUILD_JOBS:-2}"

# second_deadlock_stack: both stacks of a lock-order inversion. The suppressions file names
# third-party reports only (each line justified there); c2p's own races are fixed, never
# suppressed.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/scripts/tsan.supp ${TSAN_OPTIONS:-}"
ctest --test-dir build/tsan -R "$regex" --output-on-failure --timeout 1200
