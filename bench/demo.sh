#!/usr/bin/env bash
# The README demo: start vantage-fake on loopback, run check, auth and pull
# against it with the bundled demo config, show the output, stop the fake.
#
#   make demo     (or: bash bench/demo.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill $fake 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/finfocus-vantage" ./cmd/finfocus-vantage
go build -o "$tmp/vantage-fake" ./cmd/vantage-fake
"$tmp/vantage-fake" --addr 127.0.0.1:0 --rows 12000 > "$tmp/fake.log" 2>&1 &
fake=$!
for _ in $(seq 100); do grep -q serving "$tmp/fake.log" 2>/dev/null && break; sleep 0.1; done
cat "$tmp/fake.log"
base=$(sed -n 's/^vantage-fake serving //p' "$tmp/fake.log")
[ -n "$base" ] || { echo "vantage-fake did not start" >&2; exit 1; }

# The fake's made-up tokens, as CI secrets would provide real ones.
export FINFOCUS_VANTAGE_BASE_URL="$base"
export FINFOCUS_VANTAGE_TOKEN=vntg_tkn_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c
export FINFOCUS_VANTAGE_COST_REPORT_TOKEN=rprt_5f4e3d2c1b0a9988
ffv="$tmp/finfocus-vantage"
cfg=testdata/examples/demo/vantage.yaml
now=2026-11-28

step() { printf '\n$ %s\n' "$*"; }
step finfocus-vantage check --resolve-env --config $cfg
"$ffv" check --now $now --resolve-env --config $cfg
step finfocus-vantage auth --config $cfg
"$ffv" auth --now $now --config $cfg
step finfocus-vantage pull --config $cfg --format focus-csv --output costs.csv
"$ffv" pull --now $now --config $cfg --format focus-csv --output "$tmp/costs.csv"
echo "first rows of costs.csv:"
head -3 "$tmp/costs.csv"
