#!/usr/bin/env bash
# P2 — operation GET (guide/quality.md): GET /banking/v1/issuers/{issuerId}/operations/{operationId}
# of one existing (ended) enrolment operation, with a bearer token, against nginx serving
# the very same JSON as a static file at the same path, with the same number of workers,
# in the same invocation. Target >= 0.7x nginx.
#
# c2pd (the sandbox's, bench/enrol_lib.sh, WORKERS reactor threads) and nginx are pinned
# to CPU 0, wrk (1 thread, CONNECTIONS keep-alive connections) and c2psim to CPU 1. ROUNDS
# alternating nginx/c2pd pairs; medians reported. A measurement, not a test: it exits 0
# when the target is missed and says "BELOW TARGET".
#
# Usage: bench/operation_get.sh
# Environment: WORKERS=1, DURATION=5, ROUNDS=3, CONNECTIONS=64, BUILD_DIR=build/release,
#   SKIP_DEPS=1.
# The last line of output is one JSON object; everything before it is for people.
set -euo pipefail

readonly TARGET=0.7
readonly WARMUP_SECONDS=1
WORKERS=${WORKERS:-1}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init operation_get
source "$(dirname "${BASH_SOURCE[0]}")/enrol_lib.sh"
bench_require_ints WORKERS DURATION ROUNDS CONNECTIONS
bench_require_two_cpus
bench_build c2pd c2pctl c2psim

enrol_setup "$WORKERS" 0 1
enrol_register 1
token=$(enrol_token)
op=$(curl -fsS -X POST -H "Authorization: Bearer $token" \
  "$url/banking/v1/issuers/$ISSUER/cards/crd_1/operations:clickToPayEnrolment" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["operationId"])')
path="/banking/v1/issuers/$ISSUER/operations/$op"
# The operation once ended (long-poll, bounded), so that the measured GET is a stable one.
body=
for _ in $(seq 12); do
  body=$(curl -fsS -H "Authorization: Bearer $token" "$url$path?wait=5")
  [[ $body == *'"PENDING"'* ]] || break
done
[[ $body == *'"SUCCESSFUL"'* ]] || { say "the enrolment did not succeed: $body"; exit 1; }
say "operation $op: ${#body} bytes"

nginx_port=$(bench_free_ports 1)
mkdir -p "$tmp/nginx/www$(dirname "$path")"
printf '%s' "$body" >"$tmp/nginx/www$path"
# nginx's workers may run as another user (nobody, when started as root): let them reach
# the file (traverse only for $tmp itself, whose secret files are 0600 anyway).
chmod o+x "$tmp" "$tmp/nginx"
chmod -R o+rX "$tmp/nginx/www"
bench_nginx_conf "$nginx_port" "\
    root $tmp/nginx/www;
    default_type application/json;
    location = /healthz { return 200 '{\"status\":\"ok\"}'; }"

# run SECONDS PORT: sets rps.
run() {
  local out="$tmp/wrk.out"
  bench_wrk "$1" "$out" 1 --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$2$path"
  cat "$out" >>"$tmp/wrk.log"
  rps=$(bench_rps "$out")
}

load_before=$(bench_load)
nginx_all=() c2pd_all=() ratios=()
for round in $(seq "$ROUNDS"); do
  bench_start nginx "$nginx_port" "$tmp/nginx/stdout.log" 0 \
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log"
  nginx_pid=$started_pid
  [[ $(curl -fsS "http://127.0.0.1:$nginx_port$path") == "$body" ]] ||
    { say "nginx does not serve the operation's JSON"; exit 1; }
  run "$WARMUP_SECONDS" "$nginx_port"
  run "$DURATION" "$nginx_port"; n=$rps
  bench_stop "$nginx_pid"
  run "$WARMUP_SECONDS" "$c2pd_port"
  run "$DURATION" "$c2pd_port"; c=$rps
  nginx_all+=("$n") c2pd_all+=("$c") ratios+=("$(bench_ratio "$c" "$n")")
  say "round $round: nginx static $n/s, c2pd operation GET $c/s: ${ratios[-1]}x"
done
load_after=$(bench_load)

n=$(printf '%s\n' "${nginx_all[@]}" | median)
c=$(printf '%s\n' "${c2pd_all[@]}" | median)
ratio=$(printf '%s\n' "${ratios[@]}" | median)
verdict=$(bench_verdict "$ratio" "$TARGET")
echo
echo "P2 operation GET, $WORKERS worker(s), wrk -t1 -c$CONNECTIONS -d${DURATION}s x $ROUNDS round(s), median"
echo "  machine: $(bench_machine); load average before/after: $load_before/$load_after"
echo "  nginx static $n req/s, c2pd $c req/s; ratio $ratio (per round: ${ratios[*]}; target >= $TARGET): $verdict"
printf '{"bench":"operation_get","nginx_rps":%s,"c2pd_rps":%s,"ratio":%s,"round_ratios":[%s],"target":%s,"target_met":%s,"workers":%s,"connections":%s,"duration_s":%s,"rounds":%s,"body_bytes":%s,"load_before":%s,"load_after":%s}\n' \
  "$n" "$c" "$ratio" "$(IFS=,; echo "${ratios[*]}")" "$TARGET" \
  "$([[ $verdict == "meets target" ]] && echo true || echo false)" "$WORKERS" "$CONNECTIONS" \
  "$DURATION" "$ROUNDS" "${#body}" "$load_before" "$load_after"
