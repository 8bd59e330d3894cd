#!/usr/bin/env bash
# Installs the Debian packages c2p needs to build, test and run. Idempotent and quiet when
# nothing is missing. Boost is pinned to the 1.81 packages: the default libboost-dev (1.74)
# conflicts with them.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl libsqlite3-dev sqlite3 libcurl4-openssl-dev libpq-dev postgresql-15
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev libexpected-dev
  libgtest-dev libgmock-dev
  clang-14 libclang-rt-14-dev clang-format-14
  curl wrk nginx-light python3 python3-jwcrypto
  dpkg-dev file
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are absent or older than a day.
if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
  $SUDO apt-get update -qq >/dev/null
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  # Lists younger than a day can still name versions the mirror no longer has.
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
