#!/usr/bin/env bash
# Load check: peak memory of `check` over 100,000 files and over one
# 200 MB file (windowed, with --max-file-size 256MiB), and of `pull` for
# 5,000,000 rows, which must stay flat.
#
#   bash bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-/tmp/ffv-bench}
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
go build -o "$out/finfocus-vantage" ./cmd/finfocus-vantage
ffv=$out/finfocus-vantage
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -o "$out/load.time" -f "%e %M" "$@" > "$out/load.out" 2>&1 || true
  read -r wall rss < <(tail -1 "$out/load.time")
  printf '| %s | %s s | %d MB | %s |\n' "$label" "$wall" $((rss / 1024)) "$(grep -E 'problem|scanned' "$out/load.out" | tail -1 | cut -c1-80)"
}
echo "| load | wall | peak RSS | result |"
echo "|---|---|---|---|"
many=$out/many-files
if [ ! -d "$many" ]; then
  mkdir -p "$many"
  (cd "$many" && seq -f 'f%.0f' 1 100000 | xargs touch)
fi
measure "check, 100,000 empty files" "$ffv" check "$many"
big=$out/big-file
if [ ! -f "$big/dump.log" ]; then
  mkdir -p "$big"
  python3 -c "
import sys
line = 'x' * 99 + '\n'
with open('$big/dump.log', 'w') as f:
    for i in range(2_000_000):
        f.write(line)
        if i == 1_500_000:
            f.write('VANTAGE_API_TOKEN=vntg_tkn_5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b\n')
"
fi
measure "check, one 200 MB file (windowed)" "$ffv" check --max-file-size 256MiB "$big"
echo
ROWS=5000000 bash bench/pull.sh | tail -4 | head -1
