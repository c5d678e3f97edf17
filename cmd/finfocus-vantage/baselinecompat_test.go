package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rshade/finfocus-vantage/internal/testkit"
)

// TestBaselineFromTheReleaseStillMatches: testdata/baseline-compat-ddd3d76.json
// was written by `finfocus-vantage baseline` built at commit ddd3d76 (the
// release before the plugin model) in a repository holding
// testdata/baseline-compat. Run from the repository's root, and from
// elsewhere, today's check suppresses every one of those findings and
// reports none of its entries stale.
func TestBaselineFromTheReleaseStillMatches(t *testing.T) {
	src, err := filepath.Abs("../../testdata/baseline-compat")
	if err != nil {
		t.Fatal(err)
	}
	baseline, _ := filepath.Abs("../../testdata/baseline-compat-ddd3d76.json")
	repo := testkit.GitRepo(t)
	err = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		testkit.WriteFiles(t, repo, map[string]string{filepath.ToSlash(rel): string(b)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Git(t, repo, "add", "-A")
	testkit.Git(t, repo, "commit", "-qm", "fixtures")
	for _, at := range []struct{ dir, path string }{{repo, "."}, {t.TempDir(), repo}} {
		r := runCLI(t, at.dir, nil, // The baseline was written when the tool modelled only the 1c637b6
			// loader; its findings are still those of that version.
			"check", "--now", "2026-11-29", "--plugin-version", "1c637b6", "--format", "json", "--baseline", baseline, at.path)
		var rep struct {
			Findings []struct{ Rule, Severity, File string }
			Summary  map[string]int
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
		}
		if rep.Summary["suppressed"] != 13 {
			t.Errorf("from %s: %d suppressed, want the baseline's 13", at.dir, rep.Summary["suppressed"])
		}
		for _, f := range rep.Findings {
			t.Errorf("from %s: not suppressed: %+v", at.dir, f)
		}
	}
}
