#!/usr/bin/env bash
# P1 — enrol POSTs accepted (guide/quality.md): POST …/cards/{cardId}/operations:clickToPayEnrolment
# with a valid bearer token, each on a distinct registered card (a second enrolment of a
# card is 409, not what is measured), answered 202 once the operation and its job are
# durable in the store; against nginx `return 202` (same body shape) with the same number
# of workers, in the same invocation. Targets: >= 0.5x nginx, and c2pd's p99 <= 10 ms.
#
# c2pd (WORKERS reactor threads, its store writer and its engine) and nginx run pinned to
# CPU 0; wrk (1 thread, CONNECTIONS keep-alive connections) and c2psim run on CPU 1. c2pd
# is the sandbox's (`c2pd sandbox` makes keys and configurations; bench/enrol_lib.sh), with
# real networks: c2psim is running and the engine works the accepted jobs during the run,
# as it would in production. CARDS consumers and cards are registered through the API
# first; each wrk run walks card ids from where the previous one stopped. A measurement,
# not a test: it exits 0 when a target is missed and says "BELOW TARGET".
#
# Usage: bench/enrol_accept.sh
# Environment: WORKERS=1, DURATION=4 (seconds per measured run, after a 1 s warm-up),
#   CONNECTIONS=64, CARDS=50000 (must exceed c2pd's rate x (DURATION + 1) + CONNECTIONS;
#   the script says so when it runs out), BUILD_DIR=build/release, SKIP_DEPS=1.
# The last line of output is one JSON object; everything before it is for people.
set -euo pipefail

readonly TARGET=0.5
readonly TARGET_P99_MS=10
readonly WARMUP_SECONDS=1
WORKERS=${WORKERS:-1}
DURATION=${DURATION:-4}
CONNECTIONS=${CONNECTIONS:-64}
CARDS=${CARDS:-50000}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init enrol_accept
source "$(dirname "${BASH_SOURCE[0]}")/enrol_lib.sh"
bench_require_ints WORKERS DURATION CONNECTIONS CARDS
bench_require_two_cpus
bench_build c2pd c2pctl c2psim

enrol_setup "$WORKERS" 0 1
enrol_register "$CARDS"

# --- nginx: the reference ----------------------------------------------------------------
nginx_port=$(bench_free_ports 1)
mkdir -p "$tmp/nginx"
bench_nginx_conf "$nginx_port" "\
    location = /healthz { return 200 '{\"status\":\"ok\"}'; }
    location / {
      default_type application/json;
      add_header Location /banking/v1/issuers/$ISSUER/operations/op_-P8AXM9y0123456789abcdefghijkl;
      return 202 '{\"operationId\":\"op_-P8AXM9y0123456789abcdefghijkl\",\"status\":\"PENDING\"}';
    }"

# Walks crd_N from an offset (wrk argument 1), one enrolment per request.
cat >"$tmp/enrol.lua" <<LUA
local i, token = 0, ""
init = function(args)
  i = tonumber(args[1])
  token = args[2]
end
request = function()
  i = i + 1
  return wrk.format("POST", "/banking/v1/issuers/$ISSUER/cards/crd_" .. i ..
                    "/operations:clickToPayEnrolment", {["Authorization"] = "Bearer " .. token})
end
LUA

to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

offset=0 sent=0
# run SECONDS PORT: one wrk run; sets rps, p99 (ms), answered (responses counted by wrk).
run() {
  local seconds=$1 port=$2 out="$tmp/wrk.out"
  bench_wrk "$seconds" "$out" 1 --latency -s "$tmp/enrol.lua" "http://127.0.0.1:$port" -- \
    "$offset" "$token"
  cat "$out" >>"$tmp/wrk.log"
  answered=$(awk '/requests in/ { print $1 }' "$out")
  # Requests in flight when wrk stopped were sent but not counted: skip past them.
  offset=$((offset + answered + CONNECTIONS))
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    if ((offset > CARDS)); then say "ran out of registered cards: raise CARDS"; fi
    say "non-2xx answers:"; cat "$out" >&2; exit 1
  fi
  rps=$(bench_rps "$out")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
}

token=$(enrol_token)
load_before=$(bench_load)
bench_start nginx "$nginx_port" "$tmp/nginx/stdout.log" 0 \
  nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log"
nginx_pid=$started_pid
saved=$offset
run "$WARMUP_SECONDS" "$nginx_port"
run "$DURATION" "$nginx_port"
nginx_rps=$rps nginx_p99=$p99
bench_stop "$nginx_pid"
say "nginx return 202: $nginx_rps/s, p99 $nginx_p99 ms"

offset=$saved
ticks() { awk '{ print $14 + $15 }' "/proc/$c2pd_pid/stat"; }
run "$WARMUP_SECONDS" "$c2pd_port"
sent=$answered
t0=$(ticks)
w0=$(enrol_writer_totals)
run "$DURATION" "$c2pd_port"
w1=$(enrol_writer_totals)
t1=$(ticks)
sent=$((sent + answered))
c2pd_rps=$rps c2pd_p99=$p99
cores=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v d="$DURATION" 'BEGIN { printf "%.2f", t / hz / d }')
say "c2pd enrol accepted: $c2pd_rps/s, p99 $c2pd_p99 ms (c2pd CPU $cores cores)"
writer=$(enrol_writer_delta "$w0" "$w1")
say "store writer during the run: $writer"
load_after=$(bench_load)

# Every 202 must be an operation in the store (more may be: the in-flight ones at wrk's stop).
stored=$(enrol_sql "SELECT COUNT(*) FROM operations WHERE operation = 'CLICK_TO_PAY_ENROLMENT'")
if ((stored < sent)); then
  say "LOST OPERATIONS: $sent enrolments answered 202, $stored in the store"; exit 1
fi

ratio=$(bench_ratio "$c2pd_rps" "$nginx_rps")
verdict=$(bench_verdict "$ratio" "$TARGET")
p99_met=$(awk -v p="$c2pd_p99" -v t="$TARGET_P99_MS" 'BEGIN { print (p <= t ? "true" : "false") }')
echo
echo "P1 enrol POST accepted, $WORKERS worker(s), wrk -t1 -c$CONNECTIONS -d${DURATION}s, distinct cards"
echo "  machine: $(bench_machine); load average before/after: $load_before/$load_after"
printf '  %-6s %10s req/s   p99 %8s ms\n' nginx "$nginx_rps" "$nginx_p99" c2pd "$c2pd_rps" "$c2pd_p99"
echo "  ratio c2pd/nginx: $ratio (target >= $TARGET): $verdict"
if [[ $p99_met == true ]]; then echo "  p99 ${c2pd_p99} ms (target <= $TARGET_P99_MS ms): meets target"
else echo "  p99 ${c2pd_p99} ms (target <= $TARGET_P99_MS ms): BELOW TARGET"; fi
echo "  $sent accepted enrolments answered 202, $stored operations stored; c2pd CPU $cores cores"
printf '{"bench":"enrol_accept","nginx_rps":%s,"c2pd_rps":%s,"ratio":%s,"nginx_p99_ms":%s,"c2pd_p99_ms":%s,"c2pd_cores":%s,"target":%s,"target_met":%s,"p99_target_ms":%s,"p99_met":%s,"workers":%s,"connections":%s,"duration_s":%s,"cards":%s,"load_before":%s,"load_after":%s}\n' \
  "$nginx_rps" "$c2pd_rps" "$ratio" "$nginx_p99" "$c2pd_p99" "$cores" "$TARGET" \
  "$([[ $verdict == "meets target" ]] && echo true || echo false)" "$TARGET_P99_MS" "$p99_met" \
  "$WORKERS" "$CONNECTIONS" "$DURATION" "$CARDS" "$load_before" "$load_after"
