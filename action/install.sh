#!/usr/bin/env bash
# Installs finfocus-vantage for the GitHub Action: builds it from the
# action's own source (version "source"), or downloads a release archive
# and checks it against the release's checksums. Puts the binary on PATH.
set -euo pipefail
: "${INPUT_VERSION:=source}"
: "${ACTION_PATH:?}"
: "${RUNNER_TEMP:?}"
bin="$RUNNER_TEMP/finfocus-vantage/bin"
mkdir -p "$bin"
exe=finfocus-vantage
case "${RUNNER_OS:-Linux}" in Windows) exe=finfocus-vantage.exe ;; esac

if [ "$INPUT_VERSION" = source ]; then
  (cd "$ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o "$bin/$exe" ./cmd/finfocus-vantage)
else
  version=${INPUT_VERSION#v}
  case "${RUNNER_OS:-Linux}" in Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;; esac
  case "${RUNNER_ARCH:-X64}" in X64) arch=amd64 ;; ARM64) arch=arm64 ;; *) echo "::error::unsupported runner architecture ${RUNNER_ARCH}"; exit 1 ;; esac
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  archive="finfocus-vantage_${version}_${os}_${arch}.${ext}"
  url="https://github.com/rshade/finfocus-vantage/releases/download/v${version}"
  tmp=$(mktemp -d)
  curl -fsSL -o "$tmp/$archive" "$url/$archive"
  curl -fsSL -o "$tmp/checksums.txt" "$url/checksums.txt"
  (cd "$tmp" && grep " $archive\$" checksums.txt | sha256sum -c -)
  if [ "$ext" = zip ]; then unzip -q -o "$tmp/$archive" -d "$tmp/x"; else mkdir -p "$tmp/x" && tar -xzf "$tmp/$archive" -C "$tmp/x"; fi
  cp "$tmp/x/$exe" "$bin/$exe"
fi
chmod +x "$bin/$exe"
echo "$bin" >> "$GITHUB_PATH"
"$bin/$exe" version
