#!/usr/bin/env bash
set -euxo pipefail
finfocus-vantage pull --config vantage.yaml
export FINFOCUS_VANTAGE_TOKEN
