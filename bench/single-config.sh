#!/usr/bin/env bash
# Times `finfocus-vantage check` on one plugin config as a whole process
# (what a pre-commit hook pays on every commit), plus the Go benchmarks
# for one config and for 1,000 configs.
#
#   bash bench/single-config.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
out=$(mktemp -d)
CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$out/finfocus-vantage" ./cmd/finfocus-vantage
echo "== one config, whole process (hyperfine)"
hyperfine -N --warmup 10 -i \
  "$out/finfocus-vantage check --now 2026-11-28 testdata/examples/vantage-prod.yaml" \
  "$out/finfocus-vantage check --now 2026-11-28 testdata/examples"
echo "== engine benchmarks"
go test ./rules -run '^$' -bench 'BenchmarkCheck' -benchmem
rm -rf "$out"
