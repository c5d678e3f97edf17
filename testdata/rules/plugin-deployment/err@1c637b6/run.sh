#!/bin/sh
# The 1c637b6 loader reads its token from PULUMICOST_VANTAGE_TOKEN.
export FINFOCUS_VANTAGE_TOKEN="$(cat /run/secrets/vantage)"
finfocus cost actual --pulumi-state state.json --adapter vantage --from 2026-11-01 --to 2026-11-30
