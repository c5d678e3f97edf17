#!/usr/bin/env bash
# Compares this tree with an earlier revision in one run, as whole
# processes: one config (median of 50), a generated 5,000-file corpus, and
# `--history` of public repositories given as clones (median of 3).
#
#   bash bench/compare.sh [BASE_REV] [CLONE...]
#
# BASE_REV defaults to 63d8774 (the release before the no-false-all-clear
# and every-spelling work). Clones are, for example, git clones of the
# fetched gitleaks/gitleaks and kubernetes/examples mirrors.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-63d8774}
shift || true
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
out=$(mktemp -d)
trap 'git worktree remove --force "$out/base" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
build() { (cd "$1" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$2" ./cmd/finfocus-vantage); }
git worktree add -q "$out/base" "$base"
build "$out/base" "$out/old"
build . "$out/new"
[ -d "$out/corpus" ] || go run ./bench/gencorpus -out "$out/corpus" -files 5000 -mb 50 >/dev/null
echo "== one config ($base vs this tree)"
hyperfine -N --warmup 10 --runs 50 -i \
  "$out/old check --now 2026-11-28 testdata/examples/vantage-prod.yaml" \
  "$out/new check --now 2026-11-28 testdata/examples/vantage-prod.yaml"
echo "== 5,000-file corpus"
(cd "$out/corpus" && hyperfine -N --warmup 1 --runs 8 -i "$out/old check ." "$out/new check .")
for clone in "$@"; do
  echo "== --history of $clone"
  (cd "$clone" && hyperfine -N --runs 3 -i "$out/old check --history --only token-in-history ." "$out/new check --history --only token-in-history .")
done
