#!/usr/bin/env bash
# P7 — resident memory with COUNT (default 100,000) operations pending (guide/quality.md):
# COUNT consumers and cards are registered through the API, c2psim's two directories are
# made to fail every call (POST /sim/v1/faults, errorRate 1.0, status 503), then COUNT
# enrolments are accepted. The jobs stay PENDING and are retried with c2pd's default
# back-off (retry_base_ms 200, retry_max_ms 60000; deadline 24 h). c2pd's VmRSS (from
# /proc) is sampled every second for SETTLE seconds while the engine churns through its
# retries; the highest sample (and VmHWM, the peak over the whole run, registrations
# included) is reported. Target <= 200 MB.
#
# Nothing is pinned. A measurement, not a test: it exits 0 when the target is missed and
# says "BELOW TARGET".
#
# Usage: bench/pending_memory.sh
# Environment: COUNT=100000, WORKERS=1, CONNECTIONS=64, SETTLE=20 (seconds of sampling
#   after the last enrolment is accepted), BUILD_DIR=build/release, SKIP_DEPS=1.
# The last line of output is one JSON object; everything before it is for people.
set -euo pipefail

readonly TARGET_MB=200
COUNT=${COUNT:-100000}
WORKERS=${WORKERS:-1}
CONNECTIONS=${CONNECTIONS:-64}
SETTLE=${SETTLE:-20}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init pending_memory
source "$(dirname "${BASH_SOURCE[0]}")/enrol_lib.sh"
bench_require_ints COUNT WORKERS CONNECTIONS SETTLE
bench_build c2pd c2pctl c2psim

enrol_setup "$WORKERS" "" ""
# kB of a /proc/PID/status field.
mem() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rss_idle=$(mem "$c2pd_pid" VmRSS)
enrol_register "$COUNT"
rss_registered=$(mem "$c2pd_pid" VmRSS)
say "c2pd VmRSS: $(mb "$rss_idle") MB at start, $(mb "$rss_registered") MB after $COUNT registrations"

for network in visa mastercard; do
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"network\":\"$network\",\"errorRate\":1.0,\"status\":503}" "$sim_url/sim/v1/faults"
done
load_before=$(bench_load)
enrol_fire "$COUNT"
rss_accepted=$(mem "$c2pd_pid" VmRSS)
rss_max=$rss_accepted
for _ in $(seq "$SETTLE"); do
  sleep 1
  kill -0 "$c2pd_pid" 2>/dev/null || { say "c2pd died:"; tail -n 20 "$tmp/c2pd.log" >&2; exit 1; }
  r=$(mem "$c2pd_pid" VmRSS)
  ((r > rss_max)) && rss_max=$r
done
rss_last=$(mem "$c2pd_pid" VmRSS)
hwm=$(mem "$c2pd_pid" VmHWM)
load_after=$(bench_load)
pending=$(enrol_sql "SELECT COUNT(*) FROM operations
  WHERE operation = 'CLICK_TO_PAY_ENROLMENT' AND status = 'PENDING'")
ended=$(enrol_sql "SELECT COUNT(*) FROM operations
  WHERE operation = 'CLICK_TO_PAY_ENROLMENT' AND status <> 'PENDING'")
# Attempts that ended in "retry later" (c2psim counts only the calls it applied, none here).
retries=$(curl -fsS "$url/metrics" | awk '$1 == "c2p_job_retries_total" { print $2 }')
db_mb=$(du -cm "$sb"/c2p.db* | awk 'END { print $1 }')

max_mb=$(mb "$rss_max")
verdict=$(awk -v m="$max_mb" -v t="$TARGET_MB" 'BEGIN { print (m <= t ? "meets target" : "BELOW TARGET") }')
echo
echo "P7 resident memory with $pending operations pending (directories failing 503, jobs retrying)"
echo "  machine: $(bench_machine); load average before/after: $load_before/$load_after"
echo "  c2pd VmRSS: start $(mb "$rss_idle") MB, after $COUNT registrations $(mb "$rss_registered") MB," \
  "all enrolments accepted $(mb "$rss_accepted") MB, highest over ${SETTLE}s $max_mb MB, last $(mb "$rss_last") MB"
echo "  VmHWM (peak of the whole run): $(mb "$hwm") MB; store files ${db_mb} MB"
echo "  target <= $TARGET_MB MB (highest sample while pending): $verdict"
echo "  $pending pending, $ended ended; ${retries:-?} job attempts ended in a retry (directories answering 503)"
((pending == COUNT)) || say "WARNING: $pending pending, expected $COUNT"
printf '{"bench":"pending_memory","count":%s,"pending":%s,"ended":%s,"rss_start_mb":%s,"rss_registered_mb":%s,"rss_accepted_mb":%s,"rss_max_mb":%s,"rss_last_mb":%s,"hwm_mb":%s,"store_mb":%s,"target_mb":%s,"target_met":%s,"settle_s":%s,"retries":%s,"workers":%s,"load_before":%s,"load_after":%s}\n' \
  "$COUNT" "$pending" "$ended" "$(mb "$rss_idle")" "$(mb "$rss_registered")" "$(mb "$rss_accepted")" \
  "$max_mb" "$(mb "$rss_last")" "$(mb "$hwm")" "$db_mb" "$TARGET_MB" \
  "$([[ $verdict == "meets target" ]] && echo true || echo false)" "$SETTLE" "${retries:-null}" "$WORKERS" \
  "$load_before" "$load_after"
