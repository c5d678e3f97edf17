package integration

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeRelease is a release of finfocus-vantage served like GitHub's
// release downloads, with a stub gh whose "attestation verify" accepts
// exactly the files the release workflow would have attested.
type fakeRelease struct {
	dir      string // served as /download/v1.2.3/ and /latest/download/
	attested string // sha256 sums the stub verifier accepts, one a line
	url      string
	requests []string
}

const relArchive = "finfocus-vantage_1.2.3_linux_amd64.tar.gz"

func newFakeRelease(t *testing.T) *fakeRelease {
	t.Helper()
	r := &fakeRelease{dir: t.TempDir()}
	bin := filepath.Join(t.TempDir(), "finfocus-vantage")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=1.2.3", "-o", bin, "./cmd/finfocus-vantage")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	r.writeArchive(t, bin)
	r.attested = filepath.Join(t.TempDir(), "attested")
	os.WriteFile(r.attested, []byte(sum(t, filepath.Join(r.dir, relArchive))+"\n"), 0o644)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.requests = append(r.requests, req.URL.Path)
		name := filepath.Base(req.URL.Path)
		if !strings.HasPrefix(req.URL.Path, "/download/v1.2.3/") && !strings.HasPrefix(req.URL.Path, "/latest/download/") {
			http.NotFound(w, req)
			return
		}
		http.ServeFile(w, req, filepath.Join(r.dir, name))
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	// The stub verifier: GitHub's gh attestation verify, answering from
	// the attestations the release workflow made.
	stub := t.TempDir()
	os.WriteFile(filepath.Join(stub, "gh"), []byte(`#!/bin/sh
[ "$1 $2" = "attestation verify" ] || { echo "stub gh: $*" >&2; exit 2; }
[ "$4 $5 $6 $7" = "--repo rshade/finfocus-vantage --signer-workflow rshade/finfocus-vantage/.github/workflows/release.yml" ] || { echo "stub gh: wrong identity: $4 $5 $6 $7" >&2; exit 1; }
sum=$(sha256sum "$3" | cut -d' ' -f1)
grep -qx "$sum" "$STUB_ATTESTED" || { echo "stub gh: no attestation for $3" >&2; exit 1; }
`), 0o755)
	t.Setenv("PATH", stub+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("STUB_ATTESTED", r.attested)
	t.Setenv("FINFOCUS_VANTAGE_RELEASES_URL", r.url)
	return r
}

// writeArchive packs bin as the release archive and writes checksums.txt.
func (r *fakeRelease) writeArchive(t *testing.T, bin string) {
	t.Helper()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(r.dir, relArchive))
	if err != nil {
		t.Fatal(err)
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "finfocus-vantage", Mode: 0o755, Size: int64(len(data))})
	tw.Write(data)
	tw.Close()
	gz.Close()
	f.Close()
	r.writeChecksums(t)
}

func (r *fakeRelease) writeChecksums(t *testing.T) {
	t.Helper()
	line := fmt.Sprintf("%s  %s\n", sum(t, filepath.Join(r.dir, relArchive)), relArchive)
	os.WriteFile(filepath.Join(r.dir, "checksums.txt"), []byte("0000000000000000000000000000000000000000000000000000000000000000  finfocus-vantage_1.2.3_darwin_arm64.tar.gz\n"+line), 0o644)
}

func sum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestActionDownloadsAVerifiedRelease: by default the action downloads the
// release its ref names (else the newest), and runs it only when the
// checksums and the build-provenance attestation both hold: a tampered
// archive, a tampered archive with checksums to match, and a missing
// verifier are refused before anything runs.
func TestActionDownloadsAVerifiedRelease(t *testing.T) {
	ws := t.TempDir()
	write(t, ws, map[string]string{"deploy/vantage.yaml": cleanConfig})
	push := map[string]string{"github.event_name": "push", "github.base_ref": "", "github.action_ref": "v1.2.3"}
	rel := newFakeRelease(t)

	res := runAction(t, ws, map[string]string{"version": "release", "fail-on": "none"}, push)
	if res.installCode != 0 || !strings.Contains(res.install, relArchive+" verified") || !strings.Contains(res.install, "finfocus-vantage 1.2.3") {
		t.Fatalf("good release: install exit %d\n%s", res.installCode, res.install)
	}
	if res.code != 0 {
		t.Fatalf("good release: check exit %d\n%s", res.code, res.stdout)
	}
	if got := strings.Join(rel.requests, " "); !strings.Contains(got, "/download/v1.2.3/checksums.txt") {
		t.Errorf("the action's tag v1.2.3 was not the release fetched: %s", got)
	}
	// A ref that is not a tag (a commit SHA) takes the newest release.
	rel.requests = nil
	sha := map[string]string{"github.event_name": "push", "github.base_ref": "", "github.action_ref": "63ca1f890c60e0b7a1dc9b57404ec48f1dd09bd5"}
	if res := runAction(t, ws, map[string]string{"version": "release"}, sha); res.installCode != 0 || !strings.Contains(strings.Join(rel.requests, " "), "/latest/download/checksums.txt") {
		t.Fatalf("SHA ref: exit %d, requests %v\n%s", res.installCode, rel.requests, res.install)
	}

	// The archive changed after its checksums were published.
	good, _ := os.ReadFile(filepath.Join(rel.dir, relArchive))
	os.WriteFile(filepath.Join(rel.dir, relArchive), append(append([]byte{}, good...), 0), 0o644)
	if res := runAction(t, ws, map[string]string{"version": "v1.2.3"}, push); res.installCode == 0 || !strings.Contains(res.install, "does not match the release's checksums.txt: refused") {
		t.Fatalf("tampered archive: exit %d\n%s", res.installCode, res.install)
	}
	// Archive and checksums both replaced: only the attestation is left.
	rel.writeChecksums(t)
	if res := runAction(t, ws, map[string]string{"version": "v1.2.3"}, push); res.installCode == 0 || !strings.Contains(res.install, "has no valid build-provenance attestation") {
		t.Fatalf("tampered archive and checksums: exit %d\n%s", res.installCode, res.install)
	}
	// No verifier at all: refused, never run unverified.
	os.WriteFile(filepath.Join(rel.dir, relArchive), good, 0o644)
	rel.writeChecksums(t)
	t.Setenv("PATH", "/usr/bin:/bin")
	if _, err := exec.LookPath("gh"); err == nil {
		t.Skip("a real gh is installed in /usr/bin; the no-verifier case cannot be simulated")
	}
	if res := runAction(t, ws, map[string]string{"version": "v1.2.3"}, push); res.installCode == 0 || !strings.Contains(res.install, "gh is needed to verify") {
		t.Fatalf("no verifier: exit %d\n%s", res.installCode, res.install)
	}
	// An input that is not a version is refused before any download.
	if res := runAction(t, ws, map[string]string{"version": "../../evil"}, push); res.installCode == 0 || !strings.Contains(res.install, "is not a release such as v1.2.0") {
		t.Fatalf("bad version: exit %d\n%s", res.installCode, res.install)
	}
}
