#!/bin/sh
set -x
echo "$FINFOCUS_VANTAGE_TOKEN"
curl -v -H "Authorization: Bearer $FINFOCUS_VANTAGE_TOKEN" https://api.vantage.sh/v2/me
