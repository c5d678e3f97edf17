#!/usr/bin/env bash
# Regenerates ../verdicts.tsv by running the real plugin's config loader on
# every config in ../configs. Needs a checkout of the plugin at the commit
# 1c637b6 (the loader vantage.PluginVersions models) and its Go modules (the module proxy serves
# them); CI does not run this, the test compares against its output.
#
#   bash testdata/realworld/oracle/oracle.sh /path/to/finfocus-plugin-vantage
set -euo pipefail
plugin=${1:?usage: oracle.sh PLUGIN_CHECKOUT}
here=$(cd "$(dirname "$0")" && pwd)
want=1c637b6
have=$(git -C "$plugin" rev-parse --short=7 HEAD)
[ "$have" = "$want" ] || { echo "oracle.sh: $plugin is at $have; check out $want (the loader vantage.PluginVersions models)" >&2; exit 2; }
cp "$here/oracle_test.go.txt" "$plugin/internal/vantage/adapter/zz_oracle_test.go"
trap 'rm -f "$plugin/internal/vantage/adapter/zz_oracle_test.go"' EXIT
{
  printf '# file\tplugin verdict\tplugin error (%s at %s, LoadConfig, no PULUMICOST_VANTAGE_* set; made by oracle/oracle.sh)\n' rshade/finfocus-plugin-vantage "$want"
  (cd "$plugin" && env -u PULUMICOST_VANTAGE_TOKEN -u PULUMICOST_VANTAGE_START_DATE -u PULUMICOST_VANTAGE_END_DATE \
    ORACLE_DIR="$here/../configs" go test -run TestOracle -count=1 -v ./internal/vantage/adapter/) |
    sed -n 's/^VERDICT\t//p' | sed 's/\t$//'
} > "$here/../verdicts.tsv.new"
mv "$here/../verdicts.tsv.new" "$here/../verdicts.tsv"
echo "wrote $(grep -vc '^#' "$here/../verdicts.tsv") verdicts"
