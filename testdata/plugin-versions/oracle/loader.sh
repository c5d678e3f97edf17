#!/usr/bin/env bash
# Prints the 1c637b6 loader's verdict on every scenario, by running that
# commit's own LoadConfig with each scenario's environment. Needs a
# checkout of rshade/finfocus-plugin-vantage at 1c637b6 (its modules come
# from the Go module proxy). make-verdicts.sh calls it; CI does not.
#
#   bash testdata/plugin-versions/oracle/loader.sh /path/to/finfocus-plugin-vantage
set -euo pipefail
plugin=${1:?usage: loader.sh PLUGIN_CHECKOUT_AT_1c637b6}
here=$(cd "$(dirname "$0")" && pwd)
have=$(git -C "$plugin" rev-parse --short=7 HEAD)
[ "$have" = 1c637b6 ] || { echo "loader.sh: $plugin is at $have; check out 1c637b6" >&2; exit 2; }
cp "$here/loader_test.go.txt" "$plugin/internal/vantage/adapter/zz_scenario_oracle_test.go"
trap 'rm -f "$plugin/internal/vantage/adapter/zz_scenario_oracle_test.go"' EXIT
(cd "$plugin" && ORACLE_DIR="$here/.." go test -run TestScenarioOracle -count=1 -v ./internal/vantage/adapter/) |
  sed -n 's/^VERDICT\t//p'
