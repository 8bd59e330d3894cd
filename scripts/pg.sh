#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and local runs (issue 10): a fresh cluster in DIR,
# listening only on 127.0.0.1:PORT (its unix socket in DIR too), durable settings as in
# production (fsync, synchronous_commit), and a database `c2p`.
#
#   scripts/pg.sh start DIR PORT   initdb + start; PORT "auto" picks a free loopback port;
#                                  prints the URL and writes it to DIR/url
#   scripts/pg.sh url DIR          prints the URL of the cluster in DIR
#   scripts/pg.sh stop DIR         stops the cluster and removes DIR
#   scripts/pg.sh stop-server DIR [fast|immediate]
#                                  stops the server only (default: fast), keeping its files
#   scripts/pg.sh start-server DIR starts it again on the same data directory and port
#                                  (a PostgreSQL restart, for the outage tests)
#
# initdb refuses to run as root: as root the cluster belongs to the system user `c2ppg`
# (created if missing), and when that user cannot reach DIR (a checkout under /root) the
# cluster's files live in a private directory under /tmp that DIR/cluster links to.
# Authentication is `trust` on loopback only: this cluster holds test data and is
# reachable from this machine alone.
#
# C2P_PG_OPTIONS adds server settings at start, e.g. for a profile:
#   C2P_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements"
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=c2ppg
# Longest wait for the server to start or stop (pg_ctl's own bounded wait, in seconds).
WAIT_SECONDS=${PG_WAIT_SECONDS:-60}

usage() {
  echo "usage: $0 start DIR PORT|auto | url DIR | stop DIR | stop-server DIR [fast|immediate]" \
    "| start-server DIR" >&2
  exit 2
}

# Runs a command as the cluster's owner (as ourselves when we are not root).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_owner() {
  [[ $(id -u) -eq 0 ]] || return 0
  id "$PG_USER" >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
}

# A port from the 4,096 just below the kernel's ephemeral range: no port-0 bind or outgoing
# connection lands there, so the port stays ours while a test restarts the server on it. The
# tests' own servers take theirs from the band below (tests/support/ports.hpp).
free_port() {
  python3 -c 'import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
if low < 1024 + 4096 * 2:
    raise SystemExit("pg.sh: the ephemeral port range starts too low (%d) for the test bands" % low)
for _ in range(1000):
    port = random.randrange(low - 4096, low)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port")'
}

# Stops the cluster of DIR (if running) and removes DIR and the cluster's files.
remove_cluster() {
  local dir=$1 cluster
  cluster=$(readlink -f "$dir/cluster" 2>/dev/null || true)
  if [[ -n "$cluster" && -f "$cluster/data/postmaster.pid" ]]; then
    as_owner "$PG_BIN/pg_ctl" stop -D "$cluster/data" -m fast -w -t "$WAIT_SECONDS" >/dev/null ||
      as_owner "$PG_BIN/pg_ctl" stop -D "$cluster/data" -m immediate -w -t "$WAIT_SECONDS" \
        >/dev/null || true
  fi
  [[ -n "$cluster" && "$cluster" == /tmp/c2p-pg.* ]] && rm -rf "$cluster"
  rm -rf "$dir"
}

# Starts the server of the cluster whose files are in CLUSTER, on PORT.
start_server() {
  local cluster=$1 port=$2
  as_owner "$PG_BIN/pg_ctl" start -D "$cluster/data" -l "$cluster/server.log" -w \
    -t "$WAIT_SECONDS" \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$cluster' \
        -c fsync=on -c synchronous_commit=on -c max_connections=200 ${C2P_PG_OPTIONS:-}" \
    >/dev/null ||
    { cat "$cluster/server.log" >&2; exit 1; }
}

# The cluster's files of DIR (DIR/cluster may be a link into /tmp).
cluster_of() {
  readlink -f "$1/cluster"
}

# The port of DIR's cluster, from the URL `start` wrote.
port_of() {
  local url
  url=$(cat "$1/url")
  url=${url##*:}
  echo "${url%%/*}"
}

start() {
  local dir=$1 port=$2
  [[ "$port" == auto ]] && port=$(free_port)
  [[ "$port" =~ ^[0-9]+$ ]] || usage
  ensure_owner
  # A cluster left behind by an interrupted run is stopped and replaced.
  [[ -e "$dir" ]] && remove_cluster "$dir"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local cluster="$dir/cluster"
  mkdir -m 700 "$cluster"
  if [[ $(id -u) -eq 0 ]]; then
    chown "$PG_USER" "$cluster"
    if ! runuser -u "$PG_USER" -- test -w "$cluster"; then
      rmdir "$cluster"
      local private
      private=$(mktemp -d /tmp/c2p-pg.XXXXXX)
      chown "$PG_USER" "$private"
      ln -s "$private" "$cluster"
      cluster=$private
    fi
  fi
  as_owner "$PG_BIN/initdb" -D "$cluster/data" -U c2p --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log" >&2; exit 1; }
  start_server "$cluster" "$port"
  as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U c2p c2p
  local url="postgresql://c2p@127.0.0.1:$port/c2p"
  echo "$url" >"$dir/url"
  echo "$url"
}

case "${1:-}" in
  start)
    [[ $# -eq 3 ]] || usage
    start "$2" "$3"
    ;;
  url)
    [[ $# -eq 2 ]] || usage
    cat "$2/url"
    ;;
  stop)
    [[ $# -eq 2 ]] || usage
    [[ -e "$2" ]] || exit 0
    remove_cluster "$2"
    ;;
  stop-server)
    [[ $# -eq 2 || $# -eq 3 ]] || usage
    mode=${3:-fast}
    [[ "$mode" == fast || "$mode" == immediate ]] || usage
    as_owner "$PG_BIN/pg_ctl" stop -D "$(cluster_of "$2")/data" -m "$mode" -w \
      -t "$WAIT_SECONDS" >/dev/null
    ;;
  start-server)
    [[ $# -eq 2 ]] || usage
    start_server "$(cluster_of "$2")" "$(port_of "$2")"
    ;;
  *) usage ;;
esac
