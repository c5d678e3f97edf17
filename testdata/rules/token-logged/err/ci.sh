#!/bin/bash -x
set -e
echo "using token $FINFOCUS_VANTAGE_TOKEN"
printf 'token=%s\n' "${VANTAGE_API_TOKEN}"
cat $FINFOCUS_VANTAGE_TOKEN_FILE
printenv FINFOCUS_VANTAGE_TOKEN
env
curl -v -H "Authorization: Bearer $FINFOCUS_VANTAGE_TOKEN" \
  https://api.vantage.sh/v2/me
