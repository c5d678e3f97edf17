package rules

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
)

// TestDetectorAgreesWithGitleaks holds the project's detector to gitleaks'
// own (linked into this test only) on the same configurations and texts:
// gitleaks' default rules with the Vantage rules, and every configuration
// in gitleaks' testdata that loads on its own (allowlists with AND and OR
// conditions, regex targets, stop words, path-only and required rules),
// over gitleaks' testdata and this project's rule fixtures, each with its
// path. Every (rule, secret, line) must match.
func TestDetectorAgreesWithGitleaks(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/zricethezav/gitleaks/v8").Output()
	if err != nil {
		t.Skipf("gitleaks' module is not available: %v", err)
	}
	glData := filepath.Join(strings.TrimSpace(string(out)), "testdata")
	type text struct{ path, raw string }
	var texts []text
	for _, root := range []string{glData, "../testdata"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil || len(b) > 1<<20 || slices.Contains(b, 0) {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			texts = append(texts, text{filepath.ToSlash(rel), string(b)})
			return nil
		})
	}
	// Cases the fixtures may lack: the allow comment, a path-only rule,
	// entropy below and above the threshold, a generic key beside a
	// specific one, a Vantage token.
	texts = append(texts,
		text{"a.go", "token := \"ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6\" // gitleaks:allow\n"},
		text{"b.go", "token := \"ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6\"\napi_key = \"ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6\"\n"},
		text{"certs/client.p12", "not really a certificate\n"},
		text{"c.py", "api_key = \"aaaaaaaaaaaaaaaaaaaaaaaa\"\nsecret_key = \"q8Zr2LmX0vN7tB4kW9pC3sD6\"\n"},
		text{"d.env", "VANTAGE_API_TOKEN=vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d\nfinfocus_vantage_cost_report_token: cr_9Xk2Lm7Qp4Rt8Vw3Yz\n"},
	)
	if len(texts) < 200 {
		t.Fatalf("only %d texts", len(texts))
	}
	quietGitleaks()
	configs := map[string]config.Config{}
	base, err := newDetector(true)
	if err != nil {
		t.Fatal(err)
	}
	configs["default+vantage"] = base.cfg
	tomls, _ := filepath.Glob(filepath.Join(glData, "config", "*.toml"))
	for _, p := range tomls {
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if cfg, err := repoGitleaksConfig(src); err == nil && len(cfg.Rules) > 0 {
			configs[filepath.Base(p)] = cfg
		}
	}
	if len(configs) < 5 {
		t.Fatalf("only %d configurations load", len(configs))
	}
	compared, found := 0, 0
	for name, cfg := range configs {
		ours := detectorFor(cfg)
		theirs := detect.NewDetector(cfg)
		theirs.MaxDecodeDepth = 0
		for _, tx := range texts {
			var want, got []string
			for _, f := range theirs.Detect(detect.Fragment{Raw: tx.raw, FilePath: tx.path}) {
				want = append(want, fmt.Sprintf("%s %q line %d", f.RuleID, f.Secret, f.StartLine))
			}
			for _, l := range ours.detect(fragment{raw: tx.raw, path: tx.path}) {
				got = append(got, fmt.Sprintf("%s %q line %d", l.rule, l.secret, l.line))
			}
			slices.Sort(want)
			slices.Sort(got)
			compared++
			found += len(want)
			if !slices.Equal(want, got) {
				t.Errorf("%s on %s:\ngitleaks: %q\nours:     %q", name, tx.path, want, got)
			}
		}
	}
	t.Logf("%d configurations x texts compared, %d findings agreed", compared, found)
	if found < 100 {
		t.Errorf("only %d findings: the comparison proves little", found)
	}
}
