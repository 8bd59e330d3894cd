# Shared plumbing of the enrolment benchmarks (enrol_accept, operation_get,
# enrolments_complete, pending_memory); sourced after bench/lib.sh and bench_init, never
# run on its own. Source it after bench_init (it writes into $tmp).
#
# enrol_setup WORKERS C2PD_CPUS SIM_CPUS [ENGINE-TOML]: a sandbox directory ($sb) made by
#   `c2pd sandbox` (keys, secrets, c2psim.toml), then c2psim and c2pd started from it
#   directly, pinned as asked: c2pd with WORKERS reactor threads, no access log, log level
#   warn, no rate limits on the two sandbox issuers, and ENGINE-TOML appended as its
#   [engine] table. Sets c2pd_port, sim_port, url, sim_url, c2pd_pid, sim_pid.
# enrol_token: prints a fresh access token of SANDBOX001 (valid 15 min).
# enrol_prepare N: writes $tmp/consumers.tsv and $tmp/cards.tsv, N lines each
#   ("path TAB body"): consumer cons_I with stored personal information, card crd_I with
#   its own Luhn-valid test PAN (ending 4242; even I Visa, odd I Mastercard) in a fresh
#   ECDH-ES + A256GCM JWE to the sandbox's key.
# enrol_walk FILE METHOD WHAT: sends every line of FILE once (wrk, CONNECTIONS
#   connections) and returns when all have been answered; fails on any answer that is not
#   2xx.
# enrol_fire N: POSTs …:clickToPayEnrolment for crd_1…crd_N once each (as enrol_walk).
# enrol_sql SQL: one query on c2pd's store (SQLite or PostgreSQL), unaligned output.
#
# STORE=postgresql runs c2pd on a throwaway PostgreSQL (scripts/pg.sh, stopped on exit)
# instead of the embedded SQLite. NODES=N (PostgreSQL only, default 1) starts N c2pd
# nodes on that store behind nginx (deploy/nginx/c2p.conf.template, NGINX_WORKERS workers,
# default 1); `url` is then nginx's, c2pd_pid the first node's. WRITE_CONNECTIONS=N sets
# each node's `[store] write_connections` (PostgreSQL; c2pd's default otherwise).

readonly ISSUER=SANDBOX001

enrol_setup() {
  local workers=$1 c2pd_cpus=$2 sim_cpus=$3 engine=${4:-}
  sb="$tmp/sandbox"
  # The sandbox puts c2psim on PORT+10: find a port whose +10 is free too.
  local p
  for _ in $(seq 20); do
    p=$(bench_free_ports 1)
    python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' \
      $((p + 10)) 2>/dev/null && break
  done
  c2pd_port=$p sim_port=$((p + 10))
  # One short run of the sandbox makes every key, secret and both configurations.
  bench_start sandbox "$c2pd_port" "$tmp/sandbox-first.log" "" \
    "$BUILD_DIR/bin/c2pd" sandbox --dir "$sb" --port "$c2pd_port"
  bench_stop "$started_pid"
  # Its c2psim ends with it (SIGTERM on its parent's death): wait until the port is free.
  for _ in $(seq 50); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$sim_port/healthz" || break
    sleep 0.1
  done
  python3 - "$sb/c2pd.toml" "$workers" "$engine" <<'PY'
import sys
path, workers, engine = sys.argv[1], sys.argv[2], sys.argv[3]
out = []
for line in open(path):
    if line.startswith("#"):
        continue
    if line.startswith('level = "info"'):
        line = 'level = "warn"\n'
    out.append(line)
    if line.startswith("port = "):
        out.append("threads = %s\naccess_log = false\n" % workers)
    if line.startswith('personal_data = "stored"'):
        out.append("rate_limit_per_second = 0\ntoken_rate_limit_per_second = 0\n")
text = "# Generated from the sandbox's by bench/enrol_lib.sh.\n" + "".join(out)
if engine:
    text += "\n[engine]\n" + engine + "\n"
open(path, "w").write(text)
PY
  local nodes=${NODES:-1}
  bench_require_ints nodes
  if [[ ${STORE:-sqlite} == postgresql ]]; then
    # Outside $tmp: the cluster's owner (not root) must reach its directory.
    pg_dir=$(mktemp -u "${TMPDIR:-/tmp}/c2p-bench-pg.XXXXXX")
    trap 'bench_pg_stats; bench_cleanup; bash scripts/pg.sh stop "$pg_dir"' EXIT
    if [[ -n ${PG_STATS:-} ]]; then
      export C2P_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements,auto_explain \
        -c auto_explain.log_min_duration=${PG_STATS_EXPLAIN_MS:-100} -c auto_explain.log_analyze=on ${PG_EXTRA:-}"
    fi
    pg_url=$(bash scripts/pg.sh start "$pg_dir" auto)
    if [[ -n ${PG_STATS:-} ]]; then
      psql -q "$pg_url" -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    fi
    sed -i "s|^url = \"sqlite:.*\"|url = \"$pg_url\"|" "$sb/c2pd.toml"
    grep -q "^url = \"$pg_url\"" "$sb/c2pd.toml" || { say "no [store] url to replace"; exit 1; }
    if [[ -n ${WRITE_CONNECTIONS:-} ]]; then
      bench_require_ints WRITE_CONNECTIONS
      sed -i "s|^url = \"$pg_url\"|&\nwrite_connections = $WRITE_CONNECTIONS|" "$sb/c2pd.toml"
    fi
    say "store: PostgreSQL ($pg_url), $nodes node(s)"
  elif ((nodes > 1)); then
    say "NODES > 1 needs STORE=postgresql"; exit 2
  fi
  bench_start c2psim "$sim_port" "$tmp/c2psim.log" "$sim_cpus" \
    "$BUILD_DIR/bin/c2psim" --config "$sb/c2psim.toml"
  sim_pid=$started_pid
  bench_start c2pd "$c2pd_port" "$tmp/c2pd.log" "$c2pd_cpus" \
    "$BUILD_DIR/bin/c2pd" --config "$sb/c2pd.toml"
  c2pd_pid=$started_pid
  url="http://127.0.0.1:$c2pd_port"
  sim_url="http://127.0.0.1:$sim_port"
  ((nodes > 1)) && enrol_more_nodes "$nodes" "$c2pd_cpus"
  return 0
}

# Nodes 2…N (same configuration, their own ports) and nginx in front of all of them.
enrol_more_nodes() {
  local nodes=$1 cpus=$2 upstreams="server 127.0.0.1:$c2pd_port;" n port
  for ((n = 2; n <= nodes; n++)); do
    port=$(bench_free_ports 1)
    sed "s/^port = $c2pd_port\$/port = $port/" "$sb/c2pd.toml" >"$sb/c2pd-$n.toml"
    bench_start "c2pd node $n" "$port" "$tmp/c2pd-$n.log" "$cpus" \
      "$BUILD_DIR/bin/c2pd" --config "$sb/c2pd-$n.toml"
    upstreams+=" server 127.0.0.1:$port;"
  done
  local prefix="$tmp/nginx-front" front
  front=$(bench_free_ports 1)
  mkdir -p "$prefix"
  sed -e "s|\${C2P_NODES}|$upstreams|" -e "s|\${C2P_LISTEN}|127.0.0.1:$front|" \
    -e "s|\${NGINX_PREFIX}|$prefix|g" \
    -e "s|^worker_processes auto;|worker_processes ${NGINX_WORKERS:-1};|" \
    deploy/nginx/c2p.conf.template >"$prefix/nginx.conf"
  bench_start "nginx front" "$front" "$prefix/out.log" "$cpus" \
    /usr/sbin/nginx -p "$prefix" -c "$prefix/nginx.conf"
  url="http://127.0.0.1:$front"
}

# PG_STATS=1: where PostgreSQL's time went during the run (pg_stat_statements) and the
# plans of the slowest statements (auto_explain), printed before the cluster is removed.
bench_pg_stats() {
  [[ -n ${PG_STATS:-} && -n ${pg_url:-} ]] || return 0
  say "PostgreSQL statements by total time (PG_STATS):"
  psql -q "$pg_url" -P pager=off -c "SELECT calls, round(total_exec_time) AS total_ms,
      round(mean_exec_time::numeric, 3) AS mean_ms, round(max_exec_time::numeric, 1) AS max_ms,
      left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${PG_STATS_TOP:-20}" || true
  local log
  log="$pg_dir/cluster/server.log"
  say "the first plans over ${PG_STATS_EXPLAIN_MS:-100} ms (auto_explain, $log):"
  grep -A40 -m3 'duration: .* plan:' "$log" | head -150 || true
}

enrol_token() { "$BUILD_DIR/bin/c2pctl" token --sandbox "$sb" --url "$url"; }

enrol_prepare() {
  /usr/bin/python3 - "$sb/keys/jwe.pub.jwk" "$1" "$tmp" "$ISSUER" <<'PY'
import base64, hashlib, json, os, struct, sys
from multiprocessing import Pool
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

pub = json.load(open(sys.argv[1]))
count, out_dir, issuer = int(sys.argv[2]), sys.argv[3], sys.argv[4]

def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def unb64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

peer = ec.EllipticCurvePublicNumbers(int.from_bytes(unb64(pub["x"]), "big"),
                                     int.from_bytes(unb64(pub["y"]), "big"),
                                     ec.SECP256R1()).public_key()

def jwe(plaintext):
    # RFC 7518 §4.6 ECDH-ES (direct key agreement) with A256GCM; Concat KDF, one round.
    eph = ec.generate_private_key(ec.SECP256R1())
    z = eph.exchange(ec.ECDH(), peer)
    n = eph.public_key().public_numbers()
    header = {"alg": "ECDH-ES", "enc": "A256GCM", "kid": pub["kid"],
              "epk": {"kty": "EC", "crv": "P-256", "x": b64(n.x.to_bytes(32, "big")),
                      "y": b64(n.y.to_bytes(32, "big"))}}
    info = (struct.pack(">I", 7) + b"A256GCM" + struct.pack(">I", 0) * 2 +
            struct.pack(">I", 256))
    cek = hashlib.sha256(struct.pack(">I", 1) + z + info).digest()
    protected = b64(json.dumps(header, separators=(",", ":")).encode())
    iv = os.urandom(12)
    sealed = AESGCM(cek).encrypt(iv, plaintext, protected.encode())
    return ".".join([protected, "", b64(iv), b64(sealed[:-16]), b64(sealed[-16:])])

def luhn(head):
    for d in "0123456789":
        pan = head + d + "4242"
        s = 0
        for i, c in enumerate(reversed(pan)):
            v = int(c)
            if i % 2 == 1:
                v = v * 2 - 9 if v * 2 > 9 else v * 2
            s += v
        if s % 10 == 0:
            return pan

INFO = json.dumps({"personalInformation": {
    "language": "en-US", "firstName": "Jane", "lastName": "Doe",
    "email": "jane.bench@example.com",
    "mobilePhoneNumber": {"countryCode": "33", "phoneNumber": "612345678"},
    "billingAddress": {"addressLine1": "1 rue de la Paix", "city": "Paris",
                       "postalCode": "75002", "countryCode": "FR"}}}, separators=(",", ":"))

def lines(i):
    visa = i % 2 == 0
    pan = luhn(("4%010d" if visa else "51%09d") % i)
    card = json.dumps({"pan": pan, "exp": "1230"}).encode()
    body = json.dumps({"consumerId": "cons_%d" % i,
                       "cardProductId": "VISA_CLASSIC" if visa else "MC_STANDARD",
                       "encryptedData": jwe(card)}, separators=(",", ":"))
    return ("/banking/v2/issuers/%s/consumers/cons_%d\t%s\n" % (issuer, i, INFO),
            "/banking/v2/issuers/%s/cards/crd_%d\t%s\n" % (issuer, i, body))

with Pool(2) as pool, open(out_dir + "/consumers.tsv", "w") as consumers, \
        open(out_dir + "/cards.tsv", "w") as cards:
    for c, k in pool.imap(lines, range(1, count + 1), chunksize=1000):
        consumers.write(c)
        cards.write(k)
PY
}

# The walker: each line once, then /healthz until every answer is in; the thread writes
# "answered non2xx" to the marker file and stops, and the script interrupts wrk.
cat >"$tmp/walk.lua" <<'LUA'
local paths, bodies, i, done, bad, token, method, marker = {}, {}, 0, 0, 0, "", "PUT", ""
local HEALTHZ = '{"status":"ok"}'
-- wrk calls request() once after init to check the script, and discards the result.
local checked = false
init = function(args)
  for l in io.lines(args[1]) do
    local p, b = l:match("^(%S+)\t?(.*)$")
    paths[#paths + 1] = p
    bodies[#bodies + 1] = b
  end
  method, token, marker = args[2], args[3], args[4]
end
request = function()
  if not checked then
    checked = true
    return wrk.format("GET", "/healthz")
  end
  if i < #paths then
    i = i + 1
    local b = bodies[i]
    if b == "" then b = nil end
    return wrk.format(method, paths[i], {["Content-Type"] = "application/json",
                                         ["Authorization"] = "Bearer " .. token}, b)
  end
  return wrk.format("GET", "/healthz")
end
response = function(status, headers, body)
  -- The /healthz answers sent while the last lines are in flight are not counted.
  if done >= #paths or body == HEALTHZ then return end
  done = done + 1
  if status < 200 or status > 299 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("walk: " .. status .. " " .. body .. "\n") end
  end
  if done == #paths then
    local f = io.open(marker, "w")
    f:write(done .. " " .. bad .. "\n")
    f:close()
    wrk.thread:stop()
  end
end
LUA

enrol_walk() {
  local file=$1 method=$2 what=$3 marker="$tmp/walk.done" token started=$SECONDS
  token=$(enrol_token)
  rm -f "$marker"
  wrk -t1 -c"$CONNECTIONS" -d3600s -s "$tmp/walk.lua" "$url" -- "$file" "$method" "$token" \
    "$marker" >"$tmp/walk.out" 2>"$tmp/walk.err" &
  local pid=$!
  bench_pids+=("$pid")
  until [[ -s $marker ]]; do
    kill -0 "$pid" 2>/dev/null || { say "wrk ended early:"; cat "$tmp/walk.err" >&2; exit 1; }
    kill -0 "$c2pd_pid" 2>/dev/null || { say "c2pd died:"; tail -n 20 "$tmp/c2pd.log" >&2; exit 1; }
    sleep 0.2
  done
  bench_stop "$pid"
  local answered bad
  read -r answered bad <"$marker"
  if ((bad > 0)); then say "$what: $bad of $answered answers not 2xx:"; cat "$tmp/walk.err" >&2; exit 1; fi
  say "$what: $answered in $((SECONDS - started)) s"
}

enrol_fire() {
  local n=$1 i
  for ((i = 1; i <= n; i++)); do
    echo "/banking/v1/issuers/$ISSUER/cards/crd_$i/operations:clickToPayEnrolment"
  done >"$tmp/enrol.tsv"
  enrol_walk "$tmp/enrol.tsv" POST "enrolments accepted"
}

# Registers N consumers and cards (enrol_prepare, then two walks).
enrol_register() {
  local started=$SECONDS
  say "preparing $1 consumers and cards (a fresh ECDH-ES JWE each)"
  enrol_prepare "$1"
  say "prepared in $((SECONDS - started)) s; registering"
  enrol_walk "$tmp/consumers.tsv" PUT "consumers registered"
  enrol_walk "$tmp/cards.tsv" PUT "cards registered"
}

# Reads the store (read-only) with sqlite3; the WAL lets c2pd write meanwhile.
enrol_sql() {
  if [[ ${STORE:-sqlite} == postgresql ]]; then
    psql -X -q -t -A -F '|' "$pg_url" -c "$1"
  else
    sqlite3 -readonly "file:$sb/c2p.db" "$1"
  fi
}

# The store writer's totals from c2pd's /metrics: "<groups> <units> <commit seconds>".
# Two samples around a run give its group commits, their mean size and mean duration.
enrol_writer_totals() {
  curl -fs --max-time 2 "$url/metrics" | awk '
    /^c2p_store_commit_batch_size_count/ { g = $2 } /^c2p_store_commit_batch_size_sum/ { u = $2 }
    /^c2p_store_commit_seconds_sum/ { s = $2 }
    END { printf "%d %d %.6f\n", g, u, s }'
}

# "N groups, U units/group, C ms/commit" between two enrol_writer_totals samples.
enrol_writer_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " "); g = y[1] - x[1]; u = y[2] - x[2]; s = y[3] - x[3]
    if (g <= 0) { print "no group commit"; exit }
    printf "%d group commits, %.1f units each, %.2f ms each (BEGIN to durable COMMIT)", g, u / g, 1000 * s / g }'
}
