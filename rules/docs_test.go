package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
)

// fenceRe matches a fenced example block, its language and its label:
// ```yaml good|bad [PATH], ```sh bad deploy.sh, ```hcl good main.tf.
var fenceRe = regexp.MustCompile("(?ms)^```(yaml|sh|bash|hcl|dockerfile|env|json)([^\\n]*)\\n(.*?)^```")

// exampleName is the file an example without a PATH is checked as.
var exampleName = map[string]string{"yaml": "example.yaml", "sh": "example.sh", "bash": "example.sh", "hcl": "main.tf", "dockerfile": "Dockerfile", "env": ".env", "json": "example.json"}

// TestDocExamples checks every yaml example in README.md and docs/rules:
// a block labelled good must produce no finding at all; a block labelled
// bad must produce a finding (of the page's rule, on a rule page). An
// unlabelled yaml block fails, so no example goes untested.
func TestDocExamples(t *testing.T) {
	pages, _ := filepath.Glob("../docs/rules/*.md")
	pages = append(pages, "../README.md")
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.Base(page), ".md")
		if rules.ByID(id) == nil {
			id = ""
		}
		for i, m := range fenceRe.FindAllStringSubmatch(string(src), -1) {
			// The info string is "LANG good|bad [PATH]": PATH names the file
			// the example is checked as (a workflow, say).
			// A field @V checks it for plugin version V (default: the newest).
			// A block in another language than yaml without a label is
			// not an example (a README's shell commands).
			lang := m[1]
			m = []string{m[0], m[2], m[3]}
			if lang != "yaml" && !strings.HasPrefix(strings.TrimSpace(m[1]), "good") && !strings.HasPrefix(strings.TrimSpace(m[1]), "bad") {
				continue
			}
			var fields []string
			version := ""
			for _, f := range strings.Fields(m[1]) {
				if v, ok := strings.CutPrefix(f, "@"); ok {
					version = v
					continue
				}
				fields = append(fields, f)
			}
			label, body, name := "", m[2], exampleName[lang]
			if len(fields) > 0 {
				label = fields[0]
			}
			if len(fields) > 1 {
				name = fields[1]
			}
			t.Run(filepath.Base(page)+"/"+label+"#"+string(rune('0'+i)), func(t *testing.T) {
				fs := checkExample(t, name, body, version)
				if label == "good" {
					fs = withoutReadingNotices(fs) // the README and docs may carry them
				}
				var got []string
				for _, f := range fs {
					if !f.Suppressed && (label == "good" || id == "" || f.RuleID == id) {
						got = append(got, f.String())
					}
				}
				switch label {
				case "good":
					if len(got) > 0 {
						t.Errorf("good example produces findings:\n%s\n%s", strings.Join(got, "\n"), body)
					}
				case "bad":
					if len(got) == 0 {
						t.Errorf("bad example produces no finding of %q:\n%s", id, body)
					}
				default:
					t.Errorf("yaml block without a good or bad label:\n%s", body)
				}
			})
		}
	}
}

func checkExample(t *testing.T, name, body, version string) []lint.Finding {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	r := rules.NewRunner(rules.Defaults(), &lint.Settings{Now: goldenNow, ReaderVersion: version})
	res, err := r.Run(context.Background(), []lint.Input{{Name: name, Path: path}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

// notRunOnOneFile are the rules an example of one file cannot show: the
// live check, the environment, the history, git's ignore rules, a second
// config, a baseline. Their pages show a session instead.
var notRunOnOneFile = map[string]bool{
	"auth-rejected": true, "auth-forbidden": true, "auth-unverified": true, "report-not-found": true,
	"token-write-scope": true, "plugin-env": true, "token-in-history": true, "config-not-ignored": true,
	"token-reuse": true, "stale-baseline": true,
}

// TestRulePagesTeach: every rule has a page that says what it finds (and
// its default severity), why it matters, how to fix it, its options and
// how to suppress it, with examples: a bad and a good one that
// TestDocExamples runs through the rules, or, for a rule one file cannot
// show, a session.
func TestRulePagesTeach(t *testing.T) {
	for _, rule := range rules.All {
		src, err := os.ReadFile("../docs/rules/" + rule.ID + ".md")
		if err != nil {
			t.Errorf("%s has no page: %v", rule.ID, err)
			continue
		}
		page := string(src)
		if !strings.HasPrefix(page, "# "+rule.ID+"\n") || !strings.Contains(page, "Default severity: **"+rule.Severity.String()+"**") {
			t.Errorf("%s: the page does not start with its title and its default severity (%s)", rule.ID, rule.Severity)
		}
		for _, part := range []string{"## Why it matters", "## How to fix", "## Examples", "## Options", "## Suppress"} {
			i := strings.Index(page, "\n"+part+"\n")
			if i < 0 {
				t.Errorf("%s: no %q section", rule.ID, part)
				continue
			}
			body := page[i+len(part)+2:]
			if j := strings.Index(body, "\n## "); j >= 0 {
				body = body[:j]
			}
			if len(strings.Fields(body)) < 8 {
				t.Errorf("%s: %q says too little: %q", rule.ID, part, strings.TrimSpace(body))
			}
		}
		if intro := strings.SplitN(page, "\n## ", 2)[0]; len(strings.Fields(intro)) < 12 {
			t.Errorf("%s: the opening says too little of what the rule finds", rule.ID)
		}
		var bad, good int
		for _, m := range fenceRe.FindAllStringSubmatch(page, -1) {
			switch f := strings.Fields(m[2]); {
			case len(f) > 0 && f[0] == "bad":
				bad++
			case len(f) > 0 && f[0] == "good":
				good++
			}
		}
		switch {
		case notRunOnOneFile[rule.ID]:
			if !strings.Contains(page, "```console") {
				t.Errorf("%s: its Examples show no session (```console)", rule.ID)
			}
		case bad == 0 || good == 0:
			t.Errorf("%s: %d bad and %d good examples; each page needs at least one of both", rule.ID, bad, good)
		}
	}
}
