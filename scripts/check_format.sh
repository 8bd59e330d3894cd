#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format-14 makes of it. By default it checks
# the files changed since FORMAT_BASE (a commit; CI passes the previous landing); with no
# base it checks every tracked C++ file.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

base=${FORMAT_BASE:-}
if [[ -n "$base" ]] && git rev-parse -q --verify "$base^{commit}" >/dev/null; then
  mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$base" -- '*.cpp' '*.hpp')
else
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
fi
[[ ${#files[@]} -eq 0 ]] && { echo "format: no C++ files to check"; exit 0; }

bad=()
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue
  if ! clang-format-14 --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [[ ${#bad[@]} -gt 0 ]]; then
  echo "format: these files need clang-format-14 -i (or make format):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: ${#files[@]} files OK"
