#!/usr/bin/env bash
# The fault suite (quality.md R1–R5, issue 11; docs/reliability.md): every ctest test
# labelled `faults` (tests/faults), each ending with the history checker. Without an
# argument, the short versions CI runs; with `long`, the long ones: 60 kills (R1), ten
# times the load (R2, R3), an hour of issuer outage on a clock ten times slower than CI's
# (36 s), a 2,000-record batch killed three times (R5). A knob already set in the
# environment is kept.
#
# Usage: scripts/faults.sh [long] [ctest -R regex]
# Everything runs on loopback and stops by itself: each test has its own deadlines and
# ctest's --timeout bounds it (30 minutes).
set -euo pipefail

mode=${1:-short}
[[ $mode == short || $mode == long ]] || { echo "usage: $0 [short|long] [REGEX]" >&2; exit 2; }
regex=${2:-}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/deps.sh
cmake --preset asan >/dev/null
# The scenarios declared in tests/faults/CMakeLists.txt, and the processes they start.
mapfile -t targets < <(sed -n 's/^c2p_test(\([a-z0-9_]*\).*/\1/p' tests/faults/CMakeLists.txt)
[[ ${#targets[@]} -gt 0 ]] || { echo "faults: no c2p_test() in tests/faults" >&2; exit 2; }
cmake --build --preset asan -j "${BUILD_JOBS:-2}" --target "${targets[@]}" c2pd c2psim c2pctl

if [[ $mode == long ]]; then
  export C2P_CRASH_KILLS=${C2P_CRASH_KILLS:-60}
  export C2P_FAULT_CONSUMERS=${C2P_FAULT_CONSUMERS:-8000}
  export C2P_FAULT_CARDS=${C2P_FAULT_CARDS:-400}
  export C2P_FAULT_CLOCK_SCALE=${C2P_FAULT_CLOCK_SCALE:-100}
  export C2P_FAULT_BATCH_RECORDS=${C2P_FAULT_BATCH_RECORDS:-2000}
  export C2P_FAULT_BATCH_KILLS=${C2P_FAULT_BATCH_KILLS:-3}
fi
# ctest passes the environment through and adds the binaries' locations. The whole output
# goes to build/asan/faults.log; the figures of each scenario (the lines
# docs/reliability.md quotes) and any failure are shown here.
args=(--test-dir build/asan -L '^faults$' --output-on-failure --timeout 1800 -V)
[[ -n $regex ]] && args+=(-R "$regex")
log=build/asan/faults.log
rc=0
ctest "${args[@]}" >"$log" 2>&1 || rc=$?
grep -E '^[0-9]+: R[0-9]' "$log" || true
if [[ $rc -ne 0 ]]; then
  grep -E -A3 'Failure$|\[  FAILED  \]' "$log" | head -100 || true
fi
grep -E 'tests passed|Total Test time' "$log" || true
echo "faults ($mode): full output in $log"
exit "$rc"
