#!/usr/bin/env bash
# Runs finfocus-vantage check for the GitHub Action: annotations and the job
# summary through --format github, step outputs, optional SARIF, and the
# tool's exit code as the step's result.
set -uo pipefail

args=(check --format github --fail-on "${INPUT_FAIL_ON:-error}")
for c in ${INPUT_CONFIG:-}; do args+=(--config "$c"); done
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
for n in ${INPUT_ALLOW_ENV:-}; do args+=(--allow-env "$n"); done
[ -n "${INPUT_PLUGIN_VERSION:-}" ] && args+=(--plugin-version "$INPUT_PLUGIN_VERSION")

base=${INPUT_DIFF_BASE:-}
if [ -z "$base" ] && [[ "${EVENT_NAME:-}" == pull_request* ]] && [ -n "${BASE_REF:-}" ]; then
  # Fetch the base branch if the checkout did not: with --depth only in a
  # clone that is already shallow (a depth would make a full clone
  # shallow, and --history would then read part of it). If the fetch
  # fails in a shallow clone, finfocus-vantage falls back on what the
  # clone has and says so; in a full clone an unknown base is an error.
  if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    git fetch --no-tags --depth=1 origin "$BASE_REF" >/dev/null 2>&1 || true
  else
    git fetch --no-tags origin "$BASE_REF" >/dev/null 2>&1 || true
  fi
  base="origin/$BASE_REF"
fi
[ -n "$base" ] && args+=(--diff "$base")

mask() {
  # Keep the tokens out of the log even if a later step prints them.
  for v in FINFOCUS_VANTAGE_TOKEN FINFOCUS_VANTAGE_COST_REPORT_TOKEN FINFOCUS_VANTAGE_WORKSPACE_TOKEN PULUMICOST_VANTAGE_TOKEN; do
    [ -n "${!v:-}" ] && echo "::add-mask::${!v}"
  done
}
if [ "${INPUT_LIVE:-false}" = true ]; then
  args+=(--live)
  mask
fi
if [ "${INPUT_ENV_CHECK:-false}" = true ]; then
  if [[ "${EVENT_NAME:-}" == pull_request* ]] && [ -n "${HEAD_REPO:-}" ] && [ "$HEAD_REPO" != "${REPO:-}" ]; then
    # A pull request from a fork runs without the repository's secrets:
    # the environment would look unset, which says nothing.
    echo "::notice title=finfocus-vantage::env-check skipped: a pull request from a fork gets no secrets, so its environment says nothing about the plugin's"
  else
    args+=(--env)
    mask
  fi
fi

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  # Written under the runner's temporary folder, never into the checked
  # out tree: a pull request could commit a link at that name pointing
  # anywhere. Upload steps.<id>.outputs.sarif-file.
  out_dir=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/finfocus-vantage.XXXXXX")
  sarif="$out_dir/$(basename -- "$INPUT_SARIF_FILE")"
  args+=(--report "sarif=$sarif")
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi

read -r -a paths <<< "${INPUT_PATH:-.}"
finfocus-vantage "${args[@]}" -- "${paths[@]}"
code=$?
case $code in
  0) ;;
  1) echo "finfocus-vantage found problems at or above '${INPUT_FAIL_ON:-error}' (exit 1)" ;;
  2) echo "::error title=finfocus-vantage::usage error, or a local file that cannot be read or written, such as a link inside the tree (exit 2); see the log above" ;;
  3) echo "::error title=finfocus-vantage::the Vantage API rejected the token (exit 3)" ;;
  4) echo "::error title=finfocus-vantage::the Vantage API could not be reached or answered wrongly (exit 4)" ;;
  5) echo "::error title=finfocus-vantage::the scan is incomplete: git failed part way or files could not be read (exit 5); see the notes above" ;;
esac
exit $code
