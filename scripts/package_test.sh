#!/usr/bin/env bash
# The Debian package, tested the way an operator meets it (docs/operations.md, "The
# package"): build it from the release build (reused; only c2pd, c2psim and c2pctl are
# built), extract it into a scratch root, check its contents and dependencies, verify the
# systemd unit, check that the example configuration loads once its keys exist, then start
# the extracted c2pd on it (scratch state directory, a free loopback port), wait for
# /healthz and /readyz, and stop it with SIGTERM. Bounded in time; cleans up after itself.
#
#   bash scripts/package_test.sh          (SKIP_BUILD=1: package what build/release holds)
set -euo pipefail
cd "$(dirname "$0")/.."

DEADLINE_S=${DEADLINE_S:-30}   # for each wait below
scratch=$(mktemp -d "${TMPDIR:-/tmp}/c2p-package-test.XXXXXX")
pid=
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

fail() {
  echo "package test: FAIL: $*" >&2
  if [[ -f "$scratch/c2pd.log" ]]; then
    echo "--- c2pd log (last lines)" >&2
    tail -n 20 "$scratch/c2pd.log" >&2
  fi
  exit 1
}
step() { echo "== package test: $*"; }

# --- the package -------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  step "release build of c2pd, c2psim, c2pctl"
  [[ -f build/release/build.ninja ]] || cmake --preset release >/dev/null
  nice cmake --build --preset release -j "$(nproc)" --target c2pd c2psim c2pctl
fi
step "cpack"
rm -f build/release/c2p_*.deb
(cd build/release && cpack -G DEB >/dev/null)
debs=(build/release/c2p_*.deb)
[[ ${#debs[@]} -eq 1 && -f "${debs[0]}" ]] || fail "expected one build/release/c2p_*.deb"
deb=${debs[0]}
echo "   $deb"

root=$scratch/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/c2pd usr/bin/c2psim usr/bin/c2pctl; do
  [[ -x "$root/$f" ]] || fail "/$f missing or not executable"
done
for f in usr/lib/systemd/system/c2pd.service etc/c2p/c2pd.toml.example \
         usr/share/doc/c2p/operations.md usr/share/doc/c2p/configuration.md; do
  [[ -f "$root/$f" ]] || fail "/$f missing"
done
# Dependencies are computed (dpkg-shlibdeps), not hand-written; postinst needs adduser.
depends=$(dpkg-deb -f "$deb" Depends)
for d in adduser libc6 libssl3 libsqlite3-0 libcurl4; do
  [[ "$depends" == *"$d"* ]] || fail "Depends lacks $d: $depends"
done
control=$scratch/control
dpkg-deb -e "$deb" "$control"
for s in postinst prerm postrm; do
  [[ -x "$control/$s" ]] || fail "maintainer script $s missing"
  sh -n "$control/$s" || fail "$s is not valid sh"
done
grep -q 'adduser --system' "$control/postinst" || fail "postinst does not create the c2p user"
grep -qx '/etc/c2p/c2pd.toml.example' "$control/conffiles" || fail "example config not a conffile"
for b in c2pd c2psim c2pctl; do
  if ldd "$root/usr/bin/$b" | grep -q 'not found'; then fail "$b: unresolved libraries"; fi
done

# --- the systemd unit --------------------------------------------------------------------
unit=$root/usr/lib/systemd/system/c2pd.service
for line in 'User=c2p' 'ProtectSystem=strict' 'StateDirectory=c2p' 'NoNewPrivileges=yes' \
            'PrivateTmp=yes' 'ProtectHome=yes' 'CapabilityBoundingSet=' \
            'SystemCallFilter=@system-service' \
            'ExecStart=/usr/bin/c2pd --config /etc/c2p/c2pd.toml'; do
  grep -qxF "$line" "$unit" || fail "unit lacks '$line'"
done
grep -q '^RestrictAddressFamilies=' "$unit" || fail "unit lacks RestrictAddressFamilies="
if command -v systemd-analyze >/dev/null; then
  step "systemd-analyze verify"
  # verify insists that ExecStart's binary exists: point it at the extracted one.
  mkdir -p "$scratch/unit"
  sed "s#/usr/bin/c2pd#$root/usr/bin/c2pd#g" "$unit" >"$scratch/unit/c2pd.service"
  # It warns (and still exits 0) about a directive it ignores: any output fails.
  out=$(systemd-analyze verify "$scratch/unit/c2pd.service" 2>&1) || fail "verify: $out"
  [[ -z "$out" ]] || fail "systemd-analyze verify: $out"
  # Exposure 2.0 or less ("OK" on systemd's 0-10 scale; --threshold counts tenths).
  if ! systemd-analyze security --offline=yes --threshold=20 "$scratch/unit/c2pd.service" \
      >"$scratch/security.txt" 2>&1; then
    tail -n 3 "$scratch/security.txt" >&2
    fail "unit exposure above 2.0"
  fi
  grep -o 'Overall exposure level.*' "$scratch/security.txt" || true
else
  step "systemd-analyze not installed: unit verification skipped"
fi

# --- the example configuration -----------------------------------------------------------
step "example configuration"
bin=$root/usr/bin
etc=$scratch/etc/c2p
mkdir -p "$etc/keys" "$etc/issuers" "$scratch/issuer"
cp "$root/etc/c2p/c2pd.toml.example" "$etc/c2pd.toml"
# The key files the example names, made as operations.md tells the operator to.
gen() { "$bin/c2pctl" keys generate "$@" >/dev/null; }
gen --kind token-mac --out "$etc/keys/token-mac.jwk"
gen --kind jwe --out "$etc/keys/jwe.jwk" --public-out "$etc/keys/jwe.pub.jwk"
gen --kind pan --kid pan-v1 --out "$etc/keys/pan-v1.jwk"
gen --kind pan-hmac --out "$etc/keys/pan-hmac.jwk"
gen --kind issuer-signing --out "$scratch/issuer/ISSUER0001-signing.jwk" \
  --public-out "$etc/issuers/ISSUER0001-signing.pub.jwk"
out=$("$bin/c2pd" check-config --config "$etc/c2pd.toml" 2>&1) || fail "example config: $out"
echo "   $out"
# check-config does refuse: one unknown key makes the same file fail, naming the key.
sed 's/^\[server\]$/[server]\nno_such_key = 1/' "$etc/c2pd.toml" >"$etc/bad.toml"
if out=$("$bin/c2pd" check-config --config "$etc/bad.toml" 2>&1); then
  fail "check-config accepted an unknown key"
fi
[[ "$out" == *no_such_key* ]] || fail "check-config did not name the unknown key: $out"

# --- start it ----------------------------------------------------------------------------
step "start the extracted c2pd"
state=$scratch/var/lib/c2p
mkdir -p "$state"
chmod 0750 "$state"
# The example as installed, moved into the scratch root: state directory, a port the
# kernel picks (read back from the c2pd.ready log line), the log in a file.
sed -e "s#/var/lib/c2p#$state#g" -e 's/^port = 8080$/port = 0/' \
    -e "s|^# file = .*|file = \"$scratch/c2pd.log\"|" "$etc/c2pd.toml" >"$etc/run.toml"
grep -q '^port = 0$' "$etc/run.toml" || fail "example config has no 'port = 8080' line"
"$bin/c2pd" --config "$etc/run.toml" >"$scratch/c2pd.out" 2>&1 &
pid=$!

port=
for ((i = 0; i < DEADLINE_S * 10; i++)); do
  kill -0 "$pid" 2>/dev/null || fail "c2pd exited: $(cat "$scratch/c2pd.out")"
  if [[ -f "$scratch/c2pd.log" ]]; then
    port=$(grep -o '"event":"c2pd.ready".*' "$scratch/c2pd.log" | grep -o '"port":[0-9]*' |
           head -n 1 | cut -d: -f2 || true)
    [[ -n "$port" ]] && break
  fi
  sleep 0.1
done
[[ -n "$port" ]] || fail "no c2pd.ready within ${DEADLINE_S}s"
for path in /healthz /readyz; do
  code=
  for ((i = 0; i < DEADLINE_S * 10; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$path" ||
           true)
    [[ "$code" == 200 ]] && break
    sleep 0.1
  done
  [[ "$code" == 200 ]] || fail "GET $path: $code"
  echo "   GET http://127.0.0.1:$port$path -> 200"
done
[[ -f "$state/c2p.db" ]] || fail "no store at $state/c2p.db"
[[ $(stat -c %a "$state/c2p.db") == 600 ]] || fail "store file is not 0600"
[[ -d "$state/spool/ISSUER0001/inbox" ]] || fail "issuer spool not created"

step "stop (SIGTERM)"
kill -TERM "$pid"
for ((i = 0; i < DEADLINE_S * 10; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then fail "c2pd still running ${DEADLINE_S}s after SIGTERM"; fi
rc=0
wait "$pid" || rc=$?
pid=
[[ $rc -eq 0 ]] || fail "c2pd exited with $rc after SIGTERM"
grep -q '"event":"c2pd.stopped"' "$scratch/c2pd.log" || fail "no c2pd.stopped in the log"
step "passed"
