#!/usr/bin/env bash
# quality.md R1, the long version: c2pd is killed with SIGKILL at random moments, KILLS
# times (default 60), while four clients register and enrol cards against a real c2psim;
# afterwards the fault suite's history checker must hold: every acknowledged request stored,
# every operation ended SUCCESSFUL exactly once and notified, no card enrolled twice.
# CI runs the same test with 5 kills (ctest: fault_crash_test; scripts/faults.sh runs them all).
#
# Usage: scripts/crash_soak.sh [KILLS] [SEED]
# Everything runs on loopback and stops by itself (the test's own deadlines bound it).
set -euo pipefail

kills=${1:-60}
[[ $kills =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [KILLS] [SEED]" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/deps.sh
cmake --preset asan >/dev/null
cmake --build --preset asan -j "${BUILD_JOBS:-2}" --target fault_crash_test c2pd c2psim c2pctl

export C2P_CRASH_KILLS=$kills
[[ -n ${2:-} ]] && export C2P_CRASH_SEED=$2
# ctest passes the environment through and adds the binaries' locations.
exec ctest --test-dir build/asan -R '^fault_crash_test$' --output-on-failure --timeout 1800 -V
