#!/usr/bin/env bash
# Batch files (issue 9, quality.md P5): RECORDS records (default 1,000,000; one consumer
# with personal information and one card each, auto-enrolment off) in signed files of
# FILE_RECORDS records (default 150,000: the 200 MB file cap holds about that many), made
# by `c2pctl batch make` beforehand, are dropped into the sandbox issuer's spool at once;
# the clock runs until every file is DONE. The rate is compared with the JWE crypto rate,
# `openssl speed -multi 2 ecdhp256` on the same two CPUs in the same invocation (each record
# costs one ECDH: its card data's JWE). Target >= 0.5x, and c2pd's peak RSS (VmHWM) <= 256 MB.
#
# c2pd runs on both CPUs (its prepare threads are one per core). A measurement, not a
# test: it exits 0 when a target is missed and says "BELOW TARGET".
#
# Usage: bench/batch.sh
# Environment: RECORDS=1000000, FILE_RECORDS=150000, CHUNK (chunk_records), BUILD_DIR=build/release.
# The last line of output is one JSON object; everything before it is for people.
set -euo pipefail

readonly TARGET_RATIO=0.5
readonly TARGET_RSS_MB=256
RECORDS=${RECORDS:-1000000}
FILE_RECORDS=${FILE_RECORDS:-150000}
CHUNK=${CHUNK:-}  # [batch] chunk_records; empty: c2pd's default

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init batch
source "$(dirname "${BASH_SOURCE[0]}")/enrol_lib.sh"
bench_require_ints RECORDS FILE_RECORDS
bench_require_two_cpus
bench_build c2pd c2pctl c2psim

enrol_setup 2 "" ""
if [[ -n $CHUNK ]]; then
  bench_stop "$c2pd_pid"
  printf '\n[batch]\nchunk_records = %s\n' "$CHUNK" >>"$sb/c2pd.toml"
  bench_start c2pd "$c2pd_port" "$tmp/c2pd.log" "" "$BUILD_DIR/bin/c2pd" --config "$sb/c2pd.toml"
  c2pd_pid=$started_pid
fi
spool=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spoolDir"])' "$sb/sandbox.json")

# The files, made before the clock starts (outside the spool, on the same file system).
mkdir -p "$tmp/files"
files=0 left=$RECORDS
while ((left > 0)); do
  n=$((left < FILE_RECORDS ? left : FILE_RECORDS))
  files=$((files + 1))
  "$BUILD_DIR/bin/c2pctl" batch make --sandbox "$sb" --records "$n" --cards 1 \
    --batch-id "BENCH$files" --seq 1 --out "$tmp/files" >/dev/null 2>>"$tmp/make.log"
  left=$((left - n))
done
bytes=$(du -cb "$tmp"/files/*.json | tail -n 1 | cut -f1)
say "$files files, $RECORDS records, $((bytes / 1048576)) MB made"

ecdh=$(openssl speed -seconds 5 -multi 2 ecdhp256 2>/dev/null |
  awk '/ecdh \(nistp256\)/ { print $NF }' | tail -n 1)
say "reference: openssl ecdhp256 on 2 CPUs: $ecdh op/s"

load_before=$(bench_load)
t0=$(date +%s.%N)
for f in "$tmp"/files/*.json; do mv "$f" "$spool/inbox/"; done
done_files=0
for _ in $(seq 36000); do
  done_files=$(enrol_sql "SELECT COUNT(*) FROM batch_files WHERE status = 'DONE'")
  ((done_files >= files)) && break
  kill -0 "$c2pd_pid" 2>/dev/null || { say "c2pd died:"; tail -n 20 "$tmp/c2pd.log" >&2; exit 1; }
  sleep 0.1
done
t1=$(date +%s.%N)
load_after=$(bench_load)
rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$c2pd_pid/status")
ok=$(enrol_sql "SELECT COALESCE(SUM(ok), 0) FROM batch_files")
ko=$(enrol_sql "SELECT COALESCE(SUM(ko), 0) FROM batch_files")
elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
rate=$(awk -v n="$((ok + ko))" -v s="$elapsed" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
ratio=$(bench_ratio "$rate" "$ecdh")
rss_mb=$((rss_kb / 1024))
verdict=$(bench_verdict "$ratio" "$TARGET_RATIO")
rss_verdict=$(awk -v r="$rss_mb" -v t="$TARGET_RSS_MB" 'BEGIN { print (r <= t ? "meets target" : "BELOW TARGET") }')

echo
echo "Batch files: $done_files of $files files DONE, $((ok + ko)) records ($ok ok, $ko ko) in ${elapsed}s = $rate records/s"
echo "  machine: $(bench_machine); load average before/after: $load_before/$load_after"
echo "  reference ecdhp256 (2 CPUs): $ecdh op/s; ratio $ratio (target >= $TARGET_RATIO): $verdict"
echo "  c2pd peak RSS: ${rss_mb} MB (target <= $TARGET_RSS_MB MB): $rss_verdict"
printf '{"bench":"batch","records":%s,"files":%s,"done_files":%s,"ok":%s,"ko":%s,"seconds":%s,"rate":%s,"ecdh_rate":%s,"ratio":%s,"target":%s,"target_met":%s,"rss_mb":%s,"rss_target_mb":%s,"rss_met":%s,"load_before":%s,"load_after":%s}\n' \
  "$RECORDS" "$files" "$done_files" "$ok" "$ko" "$elapsed" "$rate" "$ecdh" "$ratio" "$TARGET_RATIO" \
  "$([[ $verdict == "meets target" ]] && echo true || echo false)" "$rss_mb" "$TARGET_RSS_MB" \
  "$([[ $rss_verdict == "meets target" ]] && echo true || echo false)" "$load_before" "$load_after"
