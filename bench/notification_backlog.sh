#!/usr/bin/env bash
# Notification backlog (issue 8): COUNT (default 100,000) notifications waiting in the store
# drain to the issuer at >= 500/s. The sandbox's c2pd is stopped, COUNT successful card
# operations of SANDBOX001 and their QUEUED notifications (each card its own order key)
# are written into its store with sqlite3 — the rows the engine's terminal units write —
# and c2pd is started again: the clock runs from its start until c2psim's stand-in issuer
# has accepted every operation (its stats count requests, so the script reads c2pd's
# store: every notification DELIVERED). Every request is signed, carries the outbound OAuth
# bearer and is verified by c2psim; batches hold max_operations_per_notification (10).
#
# c2pd on CPU 0, c2psim on CPU 1. A measurement, not a test: it exits 0 when the target is
# missed and says "BELOW TARGET".
#
# Usage: bench/notification_backlog.sh
# Environment: COUNT=100000, IN_FLIGHT=4 ([notifications] max_in_flight_per_issuer),
#   BUILD_DIR=build/release, SKIP_DEPS=1.
# The last line of output is one JSON object; everything before it is for people.
set -euo pipefail

readonly TARGET_RATE=500
COUNT=${COUNT:-100000}
IN_FLIGHT=${IN_FLIGHT:-4}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init notification_backlog
source "$(dirname "${BASH_SOURCE[0]}")/enrol_lib.sh"
bench_require_ints COUNT IN_FLIGHT
bench_require_two_cpus
bench_build c2pd c2pctl c2psim

enrol_setup 1 0 1
bench_stop "$c2pd_pid"
printf '\n[notifications]\nmax_in_flight_per_issuer = %s\n' "$IN_FLIGHT" >>"$sb/c2pd.toml"

now_ms=$(($(date +%s%N) / 1000000))
sqlite3 "$sb/c2p.db" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $COUNT)
INSERT INTO operations (operation_id, issuer_id, operation, status, requestor_type,
  requestor_id, card_id, consumer_id, network, details, start_ms, end_ms)
SELECT 'op_bench_' || i, '$ISSUER', 'CLICK_TO_PAY_ENROLMENT', 'SUCCESSFUL', 'ISSUER', '$ISSUER',
  'crd_' || i, 'cons_' || i, 'VISA', '{"digitalCardId":"vdc_' || i || '"}', $now_ms, $now_ms
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $COUNT)
INSERT INTO notifications (issuer_id, kind, order_key, operation_id, pending, correlation_id,
  state, created_ms)
SELECT '$ISSUER', 'CARD', 'card:' || i, 'op_bench_' || i, 0, 'bench-' || i, 'QUEUED', $now_ms
FROM n;
COMMIT;
SQL
queued=$(enrol_sql "SELECT COUNT(*) FROM notifications WHERE state = 'QUEUED'")
say "$queued notifications queued; starting c2pd"

load_before=$(bench_load)
t0=$(date +%s.%N)
bench_start c2pd "$c2pd_port" "$tmp/c2pd-drain.log" 0 \
  "$BUILD_DIR/bin/c2pd" --config "$sb/c2pd.toml"
c2pd_pid=$started_pid
delivered=0
for _ in $(seq 6000); do
  delivered=$(enrol_sql "SELECT COUNT(*) FROM notifications WHERE state = 'DELIVERED'")
  ((delivered >= COUNT)) && break
  kill -0 "$c2pd_pid" 2>/dev/null || { say "c2pd died:"; tail -n 20 "$tmp/c2pd-drain.log" >&2; exit 1; }
  sleep 0.1
done
t1=$(date +%s.%N)
load_after=$(bench_load)
elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
rate=$(awk -v n="$delivered" -v s="$elapsed" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
messages=$(enrol_sql "SELECT COUNT(*) FROM notification_messages WHERE state = 'DELIVERED'")
dead=$(enrol_sql "SELECT COUNT(*) FROM notification_messages WHERE state = 'DEAD'")
stats=$(curl -fsS "$sim_url/sim/v1/stats")
accepted=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["issuer"]["notifications"])' <<<"$stats")
rejected=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["issuer"].get("rejected", 0))' <<<"$stats")
verdict=$(bench_verdict "$rate" "$TARGET_RATE")

echo
echo "Notification backlog: $delivered of $COUNT operations delivered in ${elapsed}s = $rate/s"
echo "  machine: $(bench_machine); load average before/after: $load_before/$load_after"
echo "  $messages requests delivered (c2psim accepted $accepted, rejected $rejected), $dead dead;" \
  "max_in_flight_per_issuer $IN_FLIGHT"
echo "  target >= $TARGET_RATE/s: $verdict"
printf '{"bench":"notification_backlog","count":%s,"delivered":%s,"seconds":%s,"rate":%s,"requests":%s,"sim_accepted":%s,"sim_rejected":%s,"dead":%s,"in_flight":%s,"target":%s,"target_met":%s,"load_before":%s,"load_after":%s}\n' \
  "$COUNT" "$delivered" "$elapsed" "$rate" "$messages" "$accepted" "$rejected" "$dead" "$IN_FLIGHT" \
  "$TARGET_RATE" "$([[ $verdict == "meets target" ]] && echo true || echo false)" \
  "$load_before" "$load_after"
