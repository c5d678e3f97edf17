#!/usr/bin/env bash
# Installs finfocus-vantage for the GitHub Action and puts it on PATH.
#
#   version "release" (the default): the release the action is pinned to
#     when its ref is a tag (v1.2.0), else the newest release;
#   version "v1.2.0": that release;
#   version "source": built from the action's own source, stamped with the
#     action's ref.
#
# A release archive runs only when it matches the release's checksums.txt
# and GitHub's build-provenance attestation for this repository verifies it
# (gh attestation verify, which GitHub's runners have): anyone who can
# change a release's files cannot also sign for the release workflow.
set -euo pipefail
: "${INPUT_VERSION:=release}"
: "${ACTION_PATH:?}"
: "${RUNNER_TEMP:?}"
repo=rshade/finfocus-vantage
releases=${FINFOCUS_VANTAGE_RELEASES_URL:-https://github.com/$repo/releases}
bin="$RUNNER_TEMP/finfocus-vantage/bin"
mkdir -p "$bin"
exe=finfocus-vantage
case "${RUNNER_OS:-Linux}" in Windows) exe=finfocus-vantage.exe ;; esac
fail() { echo "::error title=finfocus-vantage install::$*"; exit 1; }

if [ "$INPUT_VERSION" = source ]; then
  stamp=0.0.0-dev
  if [[ "${ACTION_REF:-}" =~ ^[A-Za-z0-9._/-]{1,100}$ ]]; then stamp="0.0.0-dev+${ACTION_REF//\//-}"; fi
  (cd "$ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w -X main.version=$stamp" -o "$bin/$exe" ./cmd/finfocus-vantage)
else
  case "${RUNNER_OS:-Linux}" in Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;; *) fail "unsupported runner OS ${RUNNER_OS}" ;; esac
  case "${RUNNER_ARCH:-X64}" in X64) arch=amd64 ;; ARM64) arch=arm64 ;; *) fail "unsupported runner architecture ${RUNNER_ARCH}" ;; esac
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  case "$INPUT_VERSION" in
    release)
      if [[ "${ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then url="$releases/download/$ACTION_REF"; else url="$releases/latest/download"; fi ;;
    v[0-9]*.[0-9]*.[0-9]*|[0-9]*.[0-9]*.[0-9]*)
      [[ "$INPUT_VERSION" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version \"$INPUT_VERSION\" is not a release such as v1.2.0, \"release\" or \"source\""
      url="$releases/download/v${INPUT_VERSION#v}" ;;
    *) fail "version \"$INPUT_VERSION\" is not a release such as v1.2.0, \"release\" or \"source\"" ;;
  esac
  tmp=$(mktemp -d)
  curl -fsSL --proto '=https,http' -o "$tmp/checksums.txt" "$url/checksums.txt" || fail "could not download $url/checksums.txt"
  # The archive's name comes from the checksums, and must be a release
  # archive's name for this runner: nothing else is downloaded or opened.
  archive=$(awk -v want="_${os}_${arch}.${ext}" 'substr($2, length($2) - length(want) + 1) == want { print $2; exit }' "$tmp/checksums.txt")
  [[ "$archive" =~ ^finfocus-vantage_[0-9]+\.[0-9]+\.[0-9]+_${os}_${arch}\.${ext//./\\.}$ ]] || fail "the release's checksums.txt lists no archive for ${os}_${arch}"
  curl -fsSL --proto '=https,http' -o "$tmp/$archive" "$url/$archive" || fail "could not download $url/$archive"
  want=$(awk -v a="$archive" '$2 == a { print $1; exit }' "$tmp/checksums.txt")
  if command -v sha256sum >/dev/null; then got=$(sha256sum "$tmp/$archive" | cut -d' ' -f1); else got=$(shasum -a 256 "$tmp/$archive" | cut -d' ' -f1); fi
  [ -n "$want" ] && [ "$got" = "$want" ] || fail "$archive does not match the release's checksums.txt: refused"
  command -v gh >/dev/null || fail "gh is needed to verify the release's build provenance (GitHub's runners have it); install it, or use version: source"
  # Signed by this repository's release workflow, not merely by some
  # workflow of the repository.
  gh attestation verify "$tmp/$archive" --repo "$repo" --signer-workflow "$repo/.github/workflows/release.yml" >/dev/null ||
    fail "$archive has no valid build-provenance attestation from $repo's release workflow: refused"
  if [ "$ext" = zip ]; then unzip -q -o "$tmp/$archive" -d "$tmp/x"; else mkdir -p "$tmp/x" && tar -xzf "$tmp/$archive" -C "$tmp/x"; fi
  [ -f "$tmp/x/$exe" ] && [ ! -L "$tmp/x/$exe" ] || fail "$archive holds no $exe"
  cp "$tmp/x/$exe" "$bin/$exe"
  echo "finfocus-vantage: $archive verified (checksums.txt and build provenance)"
fi
chmod +x "$bin/$exe"
echo "$bin" >> "$GITHUB_PATH"
"$bin/$exe" version | head -n 1
