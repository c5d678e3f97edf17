package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
)

// TestAllSecretsMatchesGitleaks holds `check --all-secrets`, findings as
// reported, to gitleaks' own detector with its default rules on
// gitleaks' testdata copied into a tree: the same (file, line, rule) set.
// Both decode as gitleaks does by default (five passes), and the Vantage
// rules, which gitleaks lacks, are left out.
func TestAllSecretsMatchesGitleaks(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/zricethezav/gitleaks/v8").Output()
	if err != nil {
		t.Skipf("gitleaks' module is not available: %v", err)
	}
	tree := t.TempDir()
	// Made-up secrets of common kinds, each in a place gitleaks looks.
	files := map[string]string{
		"synthetic/aws.env":     "AWS_ACCESS_KEY_ID=AKIAQ2L5FZ7PJXN4W3RT\nAWS_SECRET_ACCESS_KEY=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\n",
		"synthetic/ci.sh":       "export GH_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6\nexport NPM_TOKEN=npm_Q7pL2mX9vR4tK8nB3cZ6wY1aS5dF0gH2jK4l\n",
		"synthetic/app.py":      "SLACK = \"https://hooks.slack.com/services/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\"\napi_key = \"q8Zr2LmX0vN7tB4kW9pC3sD6\"\nstripe = \"sk_live_51Hq8Zr2LmX0vN7tB4kW9pC3sD6fG1hJ5k\"\n",
		"synthetic/config.json": `{"client_secret": "Zr2LmX0vN7tB4kW9pC3sD6fG1hJ5kL8z", "password": "hunter2"}` + "\n",
		"synthetic/multi.yaml":  "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: cTh acr2LmX0vN7tB4kW9pC3sD6fG1hJ5\n",
		"synthetic/allow.go":    "token := \"ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6\" // gitleaks:allow\n",
		"synthetic/vantage.sh":  "export VANTAGE_API_TOKEN=" + tokenA + "\n",
		"synthetic/go.sum":      "github.com/x/y v1.0.0 h1:Qw2r8KjPZ7mVbN4xLs9tYc6uF3eH1aGdJ0kRwS5oTiE=\n",
	}
	walkTexts(filepath.Join(strings.TrimSpace(string(out)), "testdata"), "gitleaks/", files)
	walkTexts("../../testdata", "fixtures/", files)
	writeFiles(t, tree, files)
	if len(files) < 200 {
		t.Fatalf("only %d files", len(files))
	}

	cfg, err := defaultGitleaks()
	if err != nil {
		t.Fatal(err)
	}
	d := detect.NewDetector(cfg)
	d.MaxDecodeDepth = 5 // gitleaks 8.30.1's default, as --all-secrets decodes
	want := map[string]bool{}
	for name, raw := range files {
		for _, f := range d.Detect(detect.Fragment{Raw: raw, FilePath: name}) {
			want[fmt.Sprintf("%s:%d %s", name, f.StartLine+1, f.RuleID)] = true
		}
	}

	r := runCLI(t, tree, nil, "check", "--all-secrets", "--only", "leaked-token", "--format", "json")
	var rep struct {
		Findings []struct {
			File, Rule, Message string
			Line                int
			DetectorRule        string `json:"detector_rule"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		// The detector's rule is a field of each finding.
		rule := f.DetectorRule
		if rule == "" {
			t.Fatalf("%s:%d has no detector_rule", f.File, f.Line)
		}
		if strings.HasPrefix(rule, "vantage-") {
			rule = "vantage"
		}
		got[fmt.Sprintf("%s:%d %s", f.File, f.Line, rule)] = true
	}
	var missed, extra []string
	for k := range want {
		// One finding per secret and place: where a Vantage rule reports
		// a credential (plain or decoded) at a line, gitleaks' finding of
		// the same text there (a generic key, a curl header) is that one.
		place, _, _ := strings.Cut(k, " ")
		if !got[k] && !got[place+" vantage"] {
			missed = append(missed, k)
		}
	}
	for k := range got {
		// Vantage findings where gitleaks has none are this project's
		// own rules at work, not a difference in gitleaks' rules.
		if !want[k] && !strings.HasSuffix(k, " vantage") {
			extra = append(extra, k)
		}
	}
	slices.Sort(missed)
	slices.Sort(extra)
	t.Logf("gitleaks %d, ours %d", len(want), len(got))
	if len(want) < 20 {
		t.Errorf("only %d gitleaks findings: the comparison proves little", len(want))
	}
	if len(missed) > 0 || len(extra) > 0 {
		t.Errorf("missed %d: %q\nextra %d: %q", len(missed), missed, len(extra), extra)
	}
}

// defaultGitleaks is gitleaks' default configuration, loaded as gitleaks
// loads it.
func defaultGitleaks() (config.Config, error) {
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return config.Config{}, err
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, err
	}
	return vc.Translate()
}

// walkTexts adds the text files below root (by prefix and their path from
// root) to
// files: under 1 MiB, no NUL, not UTF-16, no gitleaks configuration, no
// dot-folders.
func walkTexts(root, prefix string, files map[string]string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".toml") || strings.HasPrefix(rel, ".") || strings.Contains(rel, "/.") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil || len(b) > 1<<20 || slices.Contains(b, 0) || strings.HasPrefix(string(b), "\xff\xfe") || strings.HasPrefix(string(b), "\xfe\xff") {
			return nil
		}
		files[prefix+rel] = string(b)
		return nil
	})
}
