#!/usr/bin/env bash
# Fails when a key that c2pd's configuration loader reads (src/app/config.cpp) is not
# documented in docs/configuration.md (as `key`), so the reference cannot fall behind.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

mapfile -t keys < <(grep -oE '\(r, "[a-z_]+"|r\.(Array|StringList)\("[a-z_]+"' src/app/config.cpp |
                    grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
[[ ${#keys[@]} -gt 50 ]] || { echo "config docs: found only ${#keys[@]} keys in config.cpp"; exit 2; }
missing=()
for k in "${keys[@]}"; do
  # Sections ([[issuers]], [[card_products]]) are headings, not table rows.
  [[ "$k" == issuers || "$k" == card_products ]] && continue
  grep -qF "\`$k\`" docs/configuration.md || missing+=("$k")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "config docs: keys missing from docs/configuration.md: ${missing[*]}"
  exit 1
fi
echo "config docs: ${#keys[@]} keys documented"
