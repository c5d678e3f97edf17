#!/usr/bin/env bash
# Regenerates ../verdicts.tsv: each plugin version's verdict on every
# scenario, from that version's own code (see loader.sh and released.sh).
#
#   bash testdata/plugin-versions/oracle/make-verdicts.sh PLUGIN_CHECKOUT_AT_1c637b6 PLUGIN_GO CLIENT_GO
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
{
  printf '# scenario\tversion\tverdict\twhat the plugin says (made by oracle/make-verdicts.sh: 1c637b6 by its LoadConfig; v0.1.1 by released.sh from plugin.go at 1c49346 and client.go at e6beba2)\n'
  bash "$here/loader.sh" "$1" | sed 's/\t$//'
  bash "$here/released.sh" "$2" "$3" | sed 's/\t$//'
} > "$here/../verdicts.tsv.new"
mv "$here/../verdicts.tsv.new" "$here/../verdicts.tsv"
echo "wrote $(grep -vc '^#' "$here/../verdicts.tsv") verdicts"
