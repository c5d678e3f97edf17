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

// fenceRe matches a fenced yaml block and its label: ```yaml good|bad.
var fenceRe = regexp.MustCompile("(?ms)^```yaml([^\\n]*)\\n(.*?)^```")

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
			// The info string is "yaml good|bad [PATH]": PATH names the file
			// the example is checked as (a workflow, say).
			// A field @V checks it for plugin version V (default: the newest).
			var fields []string
			version := ""
			for _, f := range strings.Fields(m[1]) {
				if v, ok := strings.CutPrefix(f, "@"); ok {
					version = v
					continue
				}
				fields = append(fields, f)
			}
			label, body, name := "", m[2], "example.yaml"
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
