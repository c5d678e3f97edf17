#!/usr/bin/env bash
# The cost of a one-file check, what pre-commit pays on every commit: the
# whole process of finfocus-vantage and of gitleaks (a config holding only
# equivalent Vantage rules) on the same config, paired in one hyperfine
# run, plus each binary's `version` (start-up alone) and the package
# initialisation budget of finfocus-vantage (GODEBUG=inittrace=1, the
# median of 20 runs per package, the 15 dearest and the total).
#
#   bash bench/init-budget.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${BENCH_OUT:-/tmp/ffv-bench}
mkdir -p "$out/one"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$out/finfocus-vantage" ./cmd/finfocus-vantage
[ -x "$out/bin/gitleaks" ] || CGO_ENABLED=0 GOBIN="$out/bin" go install github.com/zricethezav/gitleaks/v8@v8.30.1
ffv=$out/finfocus-vantage
gl=$out/bin/gitleaks
cp testdata/examples/vantage-staging.yaml "$out/one/vantage.yaml"
cd "$out/one"
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3)"
hyperfine -N --warmup 10 -i -r 100 \
  "$ffv check --now 2026-11-28 vantage.yaml" \
  "$gl dir --no-banner --exit-code 0 -c $root/bench/gitleaks-vantage.toml vantage.yaml" \
  "$ffv version" \
  "$gl version"
for i in $(seq 20); do
  GODEBUG=inittrace=1 "$ffv" check --now 2026-11-28 vantage.yaml 2>&1 >/dev/null | awk '/^init /{print $2, $5}'
done | python3 -c '
import sys, statistics, collections
t = collections.defaultdict(list)
for line in sys.stdin:
    pkg, ms = line.split()
    t[pkg].append(float(ms))
med = {p: statistics.median(v) for p, v in t.items()}
print("\n| package | init (median ms) |\n|---|---|")
for p, m in sorted(med.items(), key=lambda kv: -kv[1])[:15]:
    print(f"| {p} | {m:.2f} |")
print(f"| all {len(med)} packages | {sum(med.values()):.1f} |")
'
