#!/usr/bin/env bash
# Runs clang-tidy-14 (the repository's .clang-tidy) on every production source file and
# fails on any warning in the project's own code. Needs a configured build directory with
# compile_commands.json (default build/asan, as `make test` leaves it).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
build=${1:-build/asan}
[[ -f "$build/compile_commands.json" ]] || { echo "tidy: no $build/compile_commands.json"; exit 2; }

mapfile -t files < <(git ls-files 'src/*.cpp' 'tools/*.cpp' | grep -v '_test\.cpp$')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# GCC-only warning flags in the compile commands are unknown to clang: not our findings.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 4 clang-tidy-14 -p "$build" --quiet \
    --extra-arg=-Wno-unknown-warning-option 2>/dev/null >"$log" || true
findings=$(grep -E '^/.*: (warning|error):' "$log" | grep -vE '^/usr/' | sort -u || true)
if [[ -n "$findings" ]]; then
  echo "tidy: findings in project code:"
  echo "$findings"
  exit 1
fi
echo "tidy: ${#files[@]} files clean"
