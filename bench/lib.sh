# Shared plumbing of the bench/*.sh scripts; sourced by them, never run on its own.
#
# After `bench_init NAME`: the working directory is the repository root, BUILD_DIR is set
# (default build/release), `say` writes "NAME: …" to stderr, $tmp is a fresh directory,
# and on exit every process in bench_pids is stopped (TERM, then KILL after 5 s) and $tmp
# removed. Every wait here is bounded, so a wedged server or build cannot hold the machine.

readonly BUILD_TIMEOUT=${BUILD_TIMEOUT:-3600}
readonly READY_TIMEOUT_S=${READY_TIMEOUT_S:-15}

bench_init() {
  bench_name=$1
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cd "$root"
  BUILD_DIR=${BUILD_DIR:-build/release}
  [[ -n ${SKIP_DEPS:-} ]] || bash scripts/deps.sh
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/c2p-bench-$bench_name.XXXXXX")
  bench_pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

say() { echo "$bench_name: $*" >&2; }

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]+"${bench_pids[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]+"${bench_pids[@]}"}"; do bench_reap "$pid"; done
  rm -rf "$tmp"
}

# Waits up to 5 s for a signalled process, then kills and reaps it.
bench_reap() {
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Stops one process started by bench_start and drops it from the cleanup list.
bench_stop() {
  kill -TERM "$1" 2>/dev/null || true
  bench_reap "$1"
  local kept=() p
  for p in "${bench_pids[@]+"${bench_pids[@]}"}"; do [[ $p == "$1" ]] || kept+=("$p"); done
  bench_pids=("${kept[@]+"${kept[@]}"}")
}

# Fails (exit 2) unless every named variable holds a positive integer.
bench_require_ints() {
  local v
  for v in "$@"; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { say "$v must be a positive integer"; exit 2; }
  done
}

# Server and load generator are pinned apart, so two CPUs are needed.
bench_require_two_cpus() {
  (($(nproc) >= 2)) || { say "needs 2 CPUs (server and load generator pinned apart)"; exit 2; }
}

# Builds only the named targets of the release preset (BUILD_JOBS jobs, default 2).
bench_build() {
  say "building $* (release preset) in $BUILD_DIR"
  if ! { timeout "$BUILD_TIMEOUT" cmake --preset release -B "$BUILD_DIR" &&
    timeout "$BUILD_TIMEOUT" cmake --build "$BUILD_DIR" --target "$@" -j "${BUILD_JOBS:-2}"; } \
    >"$tmp/build.log" 2>&1; then
    say "build failed:"; tail -n 40 "$tmp/build.log" >&2; exit 1
  fi
}

# Prints N free loopback ports (the kernel picks them), space-separated.
bench_free_ports() {
  python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "${1:-1}"
}

# bench_start NAME PORT LOG CPUS CMD…: starts CMD in the background (pinned to CPUS
# unless empty), output appended to LOG; sets started_pid once /healthz on PORT answers.
bench_start() {
  local name=$1 port=$2 log=$3 cpus=$4
  shift 4
  if [[ -n $cpus ]]; then taskset -c "$cpus" "$@" >>"$log" 2>&1 &
  else "$@" >>"$log" 2>&1 &
  fi
  started_pid=$!
  bench_pids+=("$started_pid")
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz"; do
    kill -0 "$started_pid" 2>/dev/null || { say "$name exited:"; tail -n 20 "$log" >&2; exit 1; }
    ((SECONDS < deadline)) || { say "$name not ready in ${READY_TIMEOUT_S}s"; tail -n 20 "$log" >&2; exit 1; }
    sleep 0.1
  done
}

# bench_wrk SECONDS OUT CPUS WRK-ARGS…: one wrk run (one thread, CONNECTIONS connections),
# pinned to CPUS unless empty. Run in the background and waited for, so that a TERM or
# INT runs the cleanup at once instead of after the run.
bench_wrk() {
  local seconds=$1 out=$2 cpus=$3
  shift 3
  local pin=()
  [[ -z $cpus ]] || pin=(taskset -c "$cpus")
  timeout $((seconds + 30)) "${pin[@]}" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" "$@" >"$out" &
  local pid=$!
  bench_pids+=("$pid")
  wait "$pid" || true
  local kept=() p
  for p in "${bench_pids[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  bench_pids=("${kept[@]+"${kept[@]}"}")
}

# Prints the requests/s of a wrk output; exits on non-2xx answers (they would make the
# figure meaningless) or an output it cannot read.
bench_rps() {
  local r
  r=$(awk '/^Requests\/sec:/ { print $2 }' "$1")
  if grep -q 'Non-2xx or 3xx responses' "$1"; then say "errors in run:"; cat "$1" >&2; exit 1; fi
  [[ -n $r ]] || { say "could not parse wrk output"; cat "$1" >&2; exit 1; }
  echo "$r"
}

# The median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
    if (NR % 2) print v[m]; else printf "%.3f\n", (v[m] + v[m + 1]) / 2 }'
}

# A / B with three decimals (0 when B is 0).
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# "meets target" or "BELOW TARGET" for ratio $1 against target $2.
bench_verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "meets target" : "BELOW TARGET") }'; }

bench_load() { cut -d' ' -f1 /proc/loadavg; }

# CPU count and model, for the records in docs/performance.md.
bench_machine() {
  echo "$(nproc) CPUs, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
}

# bench_keys DIR KIND…: c2pctl generates each key kind into DIR/KIND.jwk.
bench_keys() {
  local dir=$1 kind
  shift
  for kind in "$@"; do
    "$BUILD_DIR/bin/c2pctl" keys generate --kind "$kind" --out "$dir/$kind.jwk" >/dev/null
  done
}

# Writes $tmp/nginx/nginx.conf: the reference server every bench compares c2pd with, on
# 127.0.0.1:PORT with WORKERS workers, keep-alive and no access log, every path inside
# $tmp/nginx. LOCATIONS is the text of the server block after its listen line (the
# bench's own locations, /healthz included).
# Usage: bench_nginx_conf PORT LOCATIONS
bench_nginx_conf() {
  local port=$1 locations=$2
  mkdir -p "$tmp/nginx"
  cat >"$tmp/nginx/nginx.conf" <<EOF
# Generated by bench/lib.sh for $0; every path stays inside $tmp/nginx.
daemon off;
master_process on;
worker_processes $WORKERS;
pid $tmp/nginx/nginx.pid;
lock_file $tmp/nginx/nginx.lock;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
$locations
  }
}
EOF
}
