#!/usr/bin/env bash
# Repository-scanning benchmark: finfocus-vantage against gitleaks (default
# config, and a config holding only equivalent Vantage rules) and ripgrep
# searching the same keywords, on the same trees in one run:
#   1. a deterministic synthetic monorepo (20,000 files, 210 MB, 40 planted
#      Vantage tokens in Go, Python, YAML, Terraform, Markdown and JSON);
#   2. the Go source tree of the installed toolchain.
# Prints a markdown table of wall time (hyperfine mean), peak RSS and the
# ratios, and checks that every planted token is found.
#
#   bash bench/repo-scan.sh            # everything (gitleaks default takes minutes)
#   QUICK=1 bash bench/repo-scan.sh    # skip gitleaks' default config
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${BENCH_OUT:-/tmp/ffv-bench}
mkdir -p "$out"
need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
need rg ripgrep
need python3 python3
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$out/finfocus-vantage" ./cmd/finfocus-vantage
[ -x "$out/bin/gitleaks" ] || CGO_ENABLED=0 GOBIN="$out/bin" go install github.com/zricethezav/gitleaks/v8@v8.30.1
ffv=$out/finfocus-vantage
gl=$out/bin/gitleaks
corpus=$out/corpus
[ -d "$corpus" ] || go run ./bench/gencorpus -out "$corpus" -files 20000 -mb 210

# Planted tokens: every one must be found.
"$ffv" check --format json --output "$out/corpus.json" "$corpus" || true
python3 - "$out/corpus.json" "$corpus.planted.tsv" <<'PY'
import json, sys
found = {f["file"].split("corpus/", 1)[-1] for f in json.load(open(sys.argv[1]))["findings"]}
planted = [l.split("\t")[0] for l in open(sys.argv[2])]
missing = [p for p in planted if p not in found]
print(f"planted tokens found: {len(planted) - len(missing)}/{len(planted)}")
if missing:
    print("missing:", missing); sys.exit(1)
PY

keywords='vantage|vntg_tkn_'
bench_tree() {
  local name=$1 dir=$2
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null 2>&1 || true # warm the page cache
  local files mb
  files=$(find "$dir" -type f | wc -l)
  mb=$(du -sm "$dir" | cut -f1)
  local cmds=(
    "finfocus-vantage;$ffv check --format json --output $out/ffv-report.json $dir;10"
    "ripgrep;rg -c -i $keywords $dir;10"
    "gitleaks (Vantage rules);$gl dir --no-banner -l error --exit-code 0 -c $root/bench/gitleaks-vantage.toml --report-path $out/gl-report.json --report-format json $dir;2"
  )
  [ -n "${QUICK:-}" ] || cmds+=("gitleaks (default config);$gl dir --no-banner -l error --exit-code 0 --report-path $out/gl-report.json --report-format json $dir;1")
  : > "$out/$name.tsv"
  for c in "${cmds[@]}"; do
    IFS=';' read -r label cmd runs <<<"$c"
    hyperfine -N -i --warmup $((runs > 2 ? 2 : 0)) --runs "$runs" --export-json "$out/h.json" "$cmd" >/dev/null 2>&1
    mean=$(python3 -c "import json;print(json.load(open('$out/h.json'))['results'][0]['mean'])")
    /usr/bin/time -o "$out/rss" -f %M $cmd >/dev/null 2>&1 || true
    printf '%s\t%s\t%s\n' "$label" "$mean" "$(tail -1 "$out/rss")" >> "$out/$name.tsv"
  done
  python3 - "$out/$name.tsv" "$name" "$files" "$mb" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
ours = float(rows[0][1])
print(f"\n### {sys.argv[2]}: {sys.argv[3]} files, {sys.argv[4]} MB\n")
print("| tool | wall (mean) | peak RSS | time vs finfocus-vantage |")
print("|---|---|---|---|")
for label, mean, rss in rows:
    m = float(mean)
    print(f"| {label} | {m*1000:.0f} ms | {int(rss)/1024:.0f} MB | {m/ours:.2f}x |")
PY
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3)"
bench_tree corpus "$corpus"
bench_tree go-src "$(go env GOROOT)/src"
