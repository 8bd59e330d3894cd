#!/usr/bin/env bash
# P4 — complete enrolments per second (guide/quality.md): COUNT consumers and cards are
# registered through the API, then COUNT enrolments are POSTed as fast as wrk sends them
# (each card once), and the clock runs from the first POST until every operation is
# SUCCESSFUL in the store and every notification is delivered to the stand-in issuer
# (c2psim; polled in the store every 0.1 s, read-only). The simulator (c2psim)
# adds no latency and injects no faults; each enrolment is the engine's whole work: the
# directory calls (lookup, enrol or add card), the token service's calls back into c2pd's
# /tsp, the operation's terminal state, durable, and the notifications of the operation
# (and of the token service's DIGITIZE) signed and delivered. Target >= 2,000/s (absolute).
#
# Nothing is pinned: c2pd (WORKERS reactor threads, store writer, engine), c2psim and wrk
# share the machine's CPUs, as in production-like use of one 2-core machine. A
# measurement, not a test: it exits 0 when the target is missed and says "BELOW TARGET".
#
# Usage: bench/enrolments_complete.sh
# Environment: COUNT=20000, WORKERS=2, CONNECTIONS=64, MAX_IN_FLIGHT (engine, default
#   c2pd's), DEADLINE=600 (seconds to wait for completion), BUILD_DIR=build/release,
#   SKIP_DEPS=1.
# The last line of output is one JSON object; everything before it is for people.
set -euo pipefail

readonly TARGET=2000
COUNT=${COUNT:-20000}
WORKERS=${WORKERS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DEADLINE=${DEADLINE:-600}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init enrolments_complete
source "$(dirname "${BASH_SOURCE[0]}")/enrol_lib.sh"
bench_require_ints COUNT WORKERS CONNECTIONS DEADLINE
bench_build c2pd c2pctl c2psim

engine=
[[ -z ${MAX_IN_FLIGHT:-} ]] || engine="max_in_flight = $MAX_IN_FLIGHT"
enrol_setup "$WORKERS" "" "" "$engine"
enrol_register "$COUNT"

count_status() {
  enrol_sql "SELECT status, COUNT(*) FROM operations
             WHERE operation = 'CLICK_TO_PAY_ENROLMENT' GROUP BY status" | tr '\n' ' '
}
now() { date +%s.%N; }

load_before=$(bench_load)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
c0=$(ticks "$c2pd_pid") s0=$(ticks "$sim_pid")
t0=$(now)
enrol_fire "$COUNT"
t_accepted=$(now)
successful=0
undelivered=1
t_successful=
until ((successful == COUNT && undelivered == 0)); do
  # One query, one snapshot: two would race with the engine finishing operations between
  # them. An operation's notification is queued in the unit that ends it, so once all are
  # SUCCESSFUL, no QUEUED or SENDING notification left means every one was delivered.
  IFS='|' read -r successful ended undelivered < <(enrol_sql "SELECT COUNT(*) FILTER (WHERE status = 'SUCCESSFUL'),
    COUNT(*) FILTER (WHERE status <> 'PENDING'),
    (SELECT COUNT(*) FROM notifications WHERE state IN ('QUEUED', 'SENDING')) FROM operations
    WHERE operation = 'CLICK_TO_PAY_ENROLMENT'")
  if [[ -z $t_successful ]] && ((successful == COUNT)); then t_successful=$(now); fi
  if ((ended == COUNT && successful < COUNT)); then
    say "some enrolments did not succeed: $(count_status)"; break
  fi
  if awk -v t0="$t0" -v t="$(now)" -v d="$DEADLINE" 'BEGIN { exit !(t - t0 > d) }'; then
    say "not all SUCCESSFUL and notified after ${DEADLINE}s: $(count_status), $undelivered notifications undelivered"
    break
  fi
  kill -0 "$c2pd_pid" 2>/dev/null || { say "c2pd died:"; tail -n 20 "$tmp/c2pd.log" >&2; exit 1; }
  sleep 0.1
done
t_done=$(now)
[[ -n $t_successful ]] || t_successful=$t_done
IFS='|' read -r delivered dead < <(enrol_sql "SELECT COUNT(*) FILTER (WHERE state = 'DELIVERED'),
  COUNT(*) FILTER (WHERE state = 'DEAD') FROM notifications")
# Not done until delivered: a run whose notifications are left behind does not count.
((undelivered == 0)) || successful=0
if ((successful < COUNT)); then
  # What became of the others (codes and messages carry no card or personal data).
  enrol_sql "SELECT status, network, error_code, error_message, COUNT(*) FROM operations
             WHERE operation = 'CLICK_TO_PAY_ENROLMENT' AND status <> 'SUCCESSFUL'
             GROUP BY 1, 2, 3, 4" | sed 's/^/  not successful: /' >&2
  grep -v '"level":"info"' "$tmp/c2pd.log" | tail -n 20 | sed 's/^/  c2pd log: /' >&2 || true
fi
c1=$(ticks "$c2pd_pid") s1=$(ticks "$sim_pid")
load_after=$(bench_load)
stats=$(curl -fsS "$sim_url/sim/v1/stats")
read -r enrol_calls duplicates < <(python3 -c '
import json, sys
s = json.loads(sys.argv[1])
print(s["visa"]["enrolCalls"] + s["mastercard"]["enrolCalls"],
      s["visa"]["duplicateEnrolments"] + s["mastercard"]["duplicateEnrolments"])' "$stats")

hz=$(getconf CLK_TCK)
read -r elapsed accept_s successful_s rate accept_rate c2pd_ms sim_ms < <(awk -v t0="$t0" \
  -v ta="$t_accepted" -v ts="$t_successful" -v td="$t_done" -v n="$successful" \
  -v c="$((c1 - c0))" -v s="$((s1 - s0))" -v hz="$hz" 'BEGIN {
  printf "%.2f %.2f %.2f %.0f %.0f %.3f %.3f\n", td - t0, ta - t0, ts - t0, n / (td - t0),
    n / (ta - t0), c / hz / (n > 0 ? n : 1) * 1000, s / hz / (n > 0 ? n : 1) * 1000 }')
verdict=$(bench_verdict "$rate" "$TARGET")
echo
echo "P4 complete enrolments, $COUNT cards (half Visa, half Mastercard), c2psim without latency or faults"
echo "  machine: $(bench_machine); load average before/after: $load_before/$load_after"
echo "  $successful SUCCESSFUL and notified in $elapsed s: $rate enrolments/s (target >= $TARGET/s): $verdict"
echo "  the $COUNT POSTs were all accepted in $accept_s s ($accept_rate/s, while the engine worked); all SUCCESSFUL at $successful_s s"
echo "  CPU per enrolment: c2pd $c2pd_ms ms, c2psim $sim_ms ms; directory enrol calls $enrol_calls, duplicates $duplicates"
echo "  notifications: $delivered delivered (registrations, enrolments, token events), $dead dead"
printf '{"bench":"enrolments_complete","count":%s,"successful":%s,"elapsed_s":%s,"enrolments_per_s":%s,"accept_s":%s,"successful_s":%s,"c2pd_cpu_ms_per_enrolment":%s,"c2psim_cpu_ms_per_enrolment":%s,"directory_enrol_calls":%s,"duplicate_enrolments":%s,"notifications_delivered":%s,"notifications_dead":%s,"target":%s,"target_met":%s,"workers":%s,"load_before":%s,"load_after":%s}\n' \
  "$COUNT" "$successful" "$elapsed" "$rate" "$accept_s" "$successful_s" "$c2pd_ms" "$sim_ms" \
  "$enrol_calls" "$duplicates" "$delivered" "$dead" "$TARGET" \
  "$([[ $verdict == "meets target" ]] && echo true || echo false)" \
  "$WORKERS" "$load_before" "$load_after"
