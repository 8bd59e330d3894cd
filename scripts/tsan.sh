#!/usr/bin/env bash
# ThreadSanitizer run of the unit tests that run threads (issue 11): the engine (its thread,
# the operation watch, the profile reader), the store (group writers, reader pools, on
# SQLite and on the throwaway PostgreSQL), notify (outbound OAuth and the issuer client
# against a live server) and the HTTP server and client. Builds the tsan preset (g++-12,
# -fsanitize=thread, Debug -O1) in build/tsan, only those targets, and runs them through
# ctest (which starts and stops the test PostgreSQL for store_test).
#
# Usage: scripts/tsan.sh [--e2e]
#   --e2e  also builds c2pd, c2psim and c2pctl under TSan and runs the Click to Pay
#          end-to-end suites (below) on both stores: the engine, the notifier, the batch
#          processor, the HTTP workers and the store writer threads of a real c2pd.
# Every process's report (a test binary, c2pd, c2psim) is written to
# build/tsan/tsan-reports/report.<pid> (TSAN_OPTIONS log_path) and printed at the end.
# Exit status: 0 when every suite passed and no process reported anything, 1 otherwise.
# Not part of CI's main path (make test, .ci/run): a TSan build is a build of its own.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

targets=(engine_test store_test notify_test http_test http_client_test)
tests=("${targets[@]}")
# The end-to-end suites of --e2e: every Click to Pay flow through c2pd's engine and store.
e2e=(enrol_e2e_test card_c2p_e2e_test consumer_c2p_e2e_test lanes_e2e_test
     notifications_e2e_test tsp_e2e_test batch_e2e_test)
if [[ ${1:-} == --e2e ]]; then
  targets+=(c2pd c2psim c2pctl "${e2e[@]}")
  for t in "${e2e[@]}"; do tests+=("$t" "${t}_postgres"); done
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--e2e]" >&2
  exit 2
fi
regex="^($(IFS='|'; echo "${tests[*]}"))\$"

[[ ${SKIP_DEPS:-0} == 1 ]] || bash scripts/deps.sh

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake --preset tsan "${launcher[@]}" >/dev/null
nice cmake --build --preset tsan --target "${targets[@]}" -j "${BUILD_JOBS:-2}"

# halt_on_error: a process stops at its first report (its suite fails). second_deadlock_stack:
# both stacks of a lock-order inversion. The suppressions file names third-party reports
# only (each line justified there); c2p's own races are fixed, never suppressed.
reports=build/tsan/tsan-reports
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/scripts/tsan.supp log_path=$root/$reports/report ${TSAN_OPTIONS:-}"
status=0
ctest --test-dir build/tsan -R "$regex" --output-on-failure --timeout 1200 || status=1

shopt -s nullglob
found=("$reports"/report.*)
if [[ ${#found[@]} -gt 0 ]]; then
  echo "tsan: ${#found[@]} report(s):" >&2
  for f in "${found[@]}"; do
    echo "== $f" >&2
    cat "$f" >&2
  done
  status=1
else
  echo "tsan: no reports"
fi
exit "$status"
