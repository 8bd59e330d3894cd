#!/usr/bin/env bash
# Builds the fuzz targets of the asan preset (clang-14, libFuzzer, ASan+UBSan: the same
# build as the tests) and runs every target declared in fuzz/CMakeLists.txt for SECONDS
# each (default 60), one after another. Each target works on a copy of its committed seeds
# (fuzz/corpus/<name>/ -> build/asan/fuzz/corpus-run/<name>/), so what it discovers stays
# out of the repository and the seeds stay small.
#
# Usage: scripts/fuzz.sh [SECONDS]
# Exit status: 0 when no target found anything, 1 on any finding (crash, sanitizer
# report, hang, failed property); crash inputs are kept in build/asan/fuzz/artifacts/<target>/.
set -euo pipefail

seconds=${1:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [SECONDS]" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=build/asan
work=$build/fuzz  # the fuzz binaries, and each run's corpus, artifacts and log

bash scripts/deps.sh

# The targets, in declaration order: c2p_fuzzer(<name> ...).
mapfile -t targets < <(sed -n 's/^c2p_fuzzer(\([a-z0-9_]*\).*/\1/p' fuzz/CMakeLists.txt)
[[ ${#targets[@]} -gt 0 ]] || { echo "fuzz: no c2p_fuzzer() in fuzz/CMakeLists.txt" >&2; exit 2; }

# Only the fuzz targets (and what they link): the rest of the tree is not fuzzed here.
# SKIP_BUILD=1 runs what build/asan holds (CI: `make test` built them, and clang-tidy reads
# the build's compile commands meanwhile, so the build is not re-configured under it).
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  timeout 3600 cmake --preset asan >/dev/null
  timeout 3600 cmake --build --preset asan --target "${targets[@]}" -j "${BUILD_JOBS:-2}"
fi

# Larger inputs than libFuzzer's 4 KiB default where the limits under test are larger:
# the HTTP header limit is 8 KiB.
extra_args() {
  case $1 in
    http_request_fuzz) echo "-max_len=12288" ;;
    jwe_compact_fuzz) echo "-max_len=8500" ;;  # the JWE cap is 8192 characters
    jws_compact_fuzz) echo "-max_len=17000" ;; # the JWS cap is 16 KiB
    token_request_fuzz) echo "-max_len=17000" ;; # the token body limit is 16 KiB
    request_bodies_fuzz) echo "-max_len=8192" ;;  # a body with every field at its longest
    tsp_bodies_fuzz) echo "-max_len=9000" ;;      # a body around an 8192-char JWE
    card_data_fuzz) echo "-max_len=6144" ;;       # the most plaintext an 8192-char JWE holds
    sim_requests_fuzz) echo "-max_len=8192" ;;    # a Visa body with its JWEs, or a card plaintext
    batch_reader_fuzz) echo "-max_len=16384" ;;   # a header, a signature and a few records
    *) ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
summary=()
for target in "${targets[@]}"; do
  name=${target%_fuzz}
  run_corpus="$work/corpus-run/$name"
  artifacts="$work/artifacts/$target"
  log="$work/logs/$target.log"
  rm -rf "$run_corpus"
  mkdir -p "$run_corpus" "$artifacts" "$(dirname "$log")"
  if [[ -d fuzz/corpus/$name ]]; then cp -R "fuzz/corpus/$name/." "$run_corpus/"; fi
  dict=()
  [[ -f fuzz/$name.dict ]] && dict=("-dict=fuzz/$name.dict")
  read -r -a extra <<<"$(extra_args "$target")"

  echo "fuzz: $target for ${seconds}s (log: $log)"
  # Artifacts of earlier runs are kept for reference; only new ones count as findings.
  stamp="$work/logs/$target.start"
  touch "$stamp"
  status=0
  # The outer timeout is a backstop for a fuzzer that wedges outside libFuzzer's own
  # per-input -timeout (start-up, exit); it is a finding too.
  timeout --kill-after=10 $((seconds + 120)) "$work/$target" \
    -max_total_time="$seconds" -timeout=5 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "${extra[@]}" "$run_corpus" \
    >"$log" 2>&1 || status=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -1)
  found=$(find "$artifacts" -type f -newer "$stamp" | wc -l)
  line="$target: ${execs:-?} execs in ${seconds}s, corpus ${corpus:-?} inputs, exit $status"
  if [[ $status -ne 0 || $found -gt 0 ]]; then
    line+=", FINDING ($found artifact(s) in $artifacts)"
    failed+=("$target")
    tail -n 40 "$log" >&2
  fi
  summary+=("$line")
done

echo
printf 'fuzz: %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no findings"
