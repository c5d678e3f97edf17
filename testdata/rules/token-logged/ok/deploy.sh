#!/usr/bin/env bash
set -euo pipefail
: "${FINFOCUS_VANTAGE_TOKEN:?set FINFOCUS_VANTAGE_TOKEN}"
echo "::add-mask::$FINFOCUS_VANTAGE_TOKEN"
echo "token is set"
printf '%s' "$FINFOCUS_VANTAGE_TOKEN" > "$RUNNER_TEMP/token"
echo "$FINFOCUS_VANTAGE_TOKEN" | docker login --password-stdin registry.example.com
curl -sS -H "Authorization: Bearer $FINFOCUS_VANTAGE_TOKEN" https://api.vantage.sh/v2/me
