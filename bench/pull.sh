#!/usr/bin/env bash
# Pull benchmark: 1,000,000 rows (200 pages of 5,000) from a local
# vantage-fake to a jsonl file, end to end through finfocus-vantage pull.
# Reports wall time, rows per second, peak RSS and CPU per row. The fake
# runs on the same 2 cores, so the figures include serving the pages.
#
#   bash bench/pull.sh            ROWS=5000000 bash bench/pull.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
out=${BENCH_OUT:-/tmp/ffv-bench}
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
go build -o "$out/finfocus-vantage" ./cmd/finfocus-vantage
go build -o "$out/vantage-fake" ./cmd/vantage-fake
# Vantage allows 1,000 requests an hour and 5 per 5 s, which would make this a
# measure of the limits (200 pages: 200 s): the fake enforces none and the
# client is unpaced (FINFOCUS_VANTAGE_PACING=off works only for a loopback API root).
"$out/vantage-fake" --addr 127.0.0.1:0 --rows "$rows" --no-limits > "$out/fake.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q serving "$out/fake.log" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^vantage-fake serving //p' "$out/fake.log")
export FINFOCUS_VANTAGE_BASE_URL=$base FINFOCUS_VANTAGE_PACING=off
export FINFOCUS_VANTAGE_TOKEN=vntg_tkn_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c
export FINFOCUS_VANTAGE_COST_REPORT_TOKEN=rprt_5f4e3d2c1b0a9988
cfg=testdata/examples/demo/vantage.yaml
# Warm the fake: it sums the report's total once per query, on first use.
curl -sf -o /dev/null -H "Authorization: Bearer $FINFOCUS_VANTAGE_TOKEN" \
  "$base/costs?cost_report_token=$FINFOCUS_VANTAGE_COST_REPORT_TOKEN&start_date=2026-10-01&end_date=2026-10-31&date_bin=day&groupings=provider%2Cservice%2Cregion&limit=1"
for format in ${FORMATS:-jsonl}; do
  /usr/bin/time -o "$out/pull.time" -f "%e %U %S %M" "$out/finfocus-vantage" pull --now 2026-11-28 --config $cfg --format "$format" --output "$out/costs.$format" 2> "$out/pull.err"
  read -r wall user sys rss < "$out/pull.time"
  lines=$(wc -l < "$out/costs.$format")
  python3 - "$rows" "$wall" "$user" "$sys" "$rss" "$format" "$lines" <<'PY'
import sys
rows, wall, user, sys_, rss, fmt, lines = int(sys.argv[1]), *map(float, sys.argv[2:6]), sys.argv[6], int(sys.argv[7])
print(f"| {fmt} | {rows:,} | {wall:.2f} s | {rows/wall:,.0f} | {rss/1024:.0f} MB | {(user+sys_)*1e6/rows:.2f} µs | {lines:,} |")
PY
done
tail -3 "$out/pull.err"
