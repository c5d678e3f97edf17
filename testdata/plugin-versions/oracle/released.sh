#!/usr/bin/env bash
# Prints the released plugin's (v0.1.0, v0.1.1) verdict on every scenario.
# The Go module proxy serves neither the plugin nor its SDK, so the plugin
# cannot be built here; this runs the parts of its code that decide
# instead: isLoopbackHost and parseBaseURL are extracted unchanged from
# CLIENT_GO (internal/vantageapi/client.go at e6beba2), and the driver
# follows clientForRequest step by step after checking that PLUGIN_GO
# (internal/plugin/plugin.go at 1c49346) still reads the variables, trims
# and orders its checks as the driver assumes. make-verdicts.sh calls it.
#
#   bash testdata/plugin-versions/oracle/released.sh PLUGIN_GO CLIENT_GO
set -euo pipefail
plugin_go=${1:?usage: released.sh PLUGIN_GO CLIENT_GO}
client_go=${2:?usage: released.sh PLUGIN_GO CLIENT_GO}
here=$(cd "$(dirname "$0")" && pwd)
need() { grep -qF -- "$2" "$1" || { echo "released.sh: $1 no longer has: $2" >&2; exit 3; }; }
need "$plugin_go" 'strings.TrimSpace(os.Getenv("FINFOCUS_VANTAGE_COST_REPORT_TOKEN"))'
need "$plugin_go" 'vantageapi.NewClient(os.Getenv("FINFOCUS_VANTAGE_BASE_URL"), token)'
need "$plugin_go" 'token = strings.TrimSpace(os.Getenv("FINFOCUS_VANTAGE_TOKEN"))'
need "$client_go" 'strings.HasPrefix(baseURL, "http://")'
need "$client_go" 'baseURL = "https://api.vantage.sh/v2"'
order=$(grep -nF -e '"Vantage token is required"' -e 'p.clientFactory(token)' -e '"Vantage cost report token is required"' "$plugin_go" | cut -d: -f1 | tr '\n' ' ')
read -r a b c <<<"$order"
[ -n "${c:-}" ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] || { echo "released.sh: clientForRequest's checks are no longer token, client, report" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/extract" "$tmp/run"
cp "$here/extract.go.txt" "$tmp/extract/main.go"
(cd "$tmp/extract" && go mod init extract >/dev/null 2>&1 && go run . "$client_go" isLoopbackHost parseBaseURL) > "$tmp/run/client.go"
cp "$here/released_main.go.txt" "$tmp/run/main.go"
(cd "$tmp/run" && go mod init released >/dev/null 2>&1 && go run . "$here/..")
