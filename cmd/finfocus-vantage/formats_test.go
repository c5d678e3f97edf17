package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// formatFixture is a repository with findings of several severities, one
// suppressed by a comment, and a message that needs escaping.
func formatFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"deploy/vantage prod.yaml": leakyConfig,
		"dev.yaml":                 strings.Replace(leakyConfig, "production", "development", 1),
		"ok.yaml":                  strings.Replace(leakyConfig, tokenA, tokenA+" # finfocus-vantage:ignore hardcoded-token,leaked-token demo fixture", 1),
		"scripts/ci.sh":            "#!/bin/sh\necho \"$FINFOCUS_VANTAGE_TOKEN\"\n",
		"values.yaml":              "env:\n  FINFOCUS_VANTAGE_BASE_URL: \"http://x.example.com/p%41?a=b:c\"\n",
		"scripts/a,b:c.sh":         "#!/bin/sh\nprintenv FINFOCUS_VANTAGE_TOKEN\n",
	})
	return dir
}

// validator returns the SARIF multitool named by SARIF_MULTITOOL (set by
// .ci/run after installing @microsoft/sarif-multitool), or skips.
func validator(t *testing.T) string {
	t.Helper()
	p := os.Getenv("SARIF_MULTITOOL")
	if p == "" {
		t.Skip("SARIF_MULTITOOL is not set; .ci/run installs @microsoft/sarif-multitool and sets it")
	}
	return p
}

var sarifErrorRe = regexp.MustCompile(`(?m)^.*: error [A-Z]+[0-9]+:.*$`)

// TestSARIFValidates runs Microsoft's validator, with its default rules and
// with GitHub's ingestion rules, on a report with results and on an empty
// one. The validator exits 0 even when it reports errors: its output is read.
func TestSARIFValidates(t *testing.T) {
	tool := validator(t)
	dir := formatFixture(t)
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"README.md": "nothing\n"})
	for name, d := range map[string]string{"findings": dir, "empty": empty} {
		out := filepath.Join(t.TempDir(), name+".sarif")
		r := runCLI(t, d, nil, "check", "--format", "sarif", "--output", out, "--now", "2026-11-28")
		if r.code == exitUsage {
			t.Fatalf("%s: %s", name, r.stderr)
		}
		for _, extra := range [][]string{nil, {"--rule-kind", "Gh"}} {
			cmd := exec.Command(tool, append([]string{"validate", out}, extra...)...)
			got, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s %v: validator failed to run: %v\n%s", name, extra, err, got)
			}
			if errs := sarifErrorRe.FindAllString(string(got), -1); len(errs) > 0 {
				t.Errorf("%s %v: the validator reports %d errors:\n%s", name, extra, len(errs), strings.Join(errs, "\n"))
			}
			if !strings.Contains(string(got), "Analysis completed successfully") {
				t.Errorf("%s %v: unexpected validator output:\n%s", name, extra, got)
			}
		}
	}
}

func TestSARIFContent(t *testing.T) {
	dir := formatFixture(t)
	r := runCLI(t, dir, nil, "check", "--format", "sarif", "--now", "2026-11-28")
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, InformationURI string
					Rules                []struct {
						ID, HelpURI      string
						FullDescription  struct{ Text string }
						Help             struct{ Text, Markdown string }
						Properties       map[string]any
						ShortDescription struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID, Level       string
				PartialFingerprints map[string]string
				Suppressions        []struct{ Kind string }
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Name != "finfocus-vantage" || len(run.Tool.Driver.Rules) < 15 {
		t.Fatalf("driver: %+v", run.Tool.Driver)
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.FullDescription.Text == "" || rule.Help.Markdown == "" || !strings.HasSuffix(rule.HelpURI, "/docs/rules/"+rule.ID+".md") || rule.Properties["security-severity"] == nil {
			t.Errorf("rule %s lacks documentation: %+v", rule.ID, rule)
		}
	}
	var suppressed, uriSeen bool
	for _, res := range run.Results {
		if len(res.Suppressions) > 0 && res.Suppressions[0].Kind == "inSource" {
			suppressed = true
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI == "deploy/vantage%20prod.yaml" && loc.Region.StartLine == 5 && loc.Region.StartColumn == 10 {
			uriSeen = true
		}
		if res.PartialFingerprints["finfocusVantage/v1"] == "" {
			t.Errorf("result without fingerprint: %+v", res)
		}
	}
	if !suppressed || !uriSeen {
		t.Errorf("suppressed %v, escaped URI with region %v", suppressed, uriSeen)
	}
}

func TestGitHubFormatAndStepSummary(t *testing.T) {
	dir := formatFixture(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	os.WriteFile(summary, []byte("earlier step\n"), 0o644)
	r := runCLI(t, dir, []string{"GITHUB_STEP_SUMMARY=" + summary}, "check", "--format", "github", "--now", "2026-11-28")
	if r.code != exitFindings {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	want := "::error file=deploy/vantage prod.yaml,line=5,endLine=5,col=10,endColumn=59,title=hardcoded-token::\"credentials.token\" holds"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("missing %q in\n%s", want, r.stdout)
	}
	// Messages are data-escaped (% only here); file names property-escaped (, and :).
	if !strings.Contains(r.stdout, `is set to "http://x.example.com/p%2541?a=b:c"`) || !strings.Contains(r.stdout, "::error file=scripts/a%2Cb%3Ac.sh,line=2,") {
		t.Errorf("data escaping:\n%s", r.stdout)
	}
	b, _ := os.ReadFile(summary)
	s := string(b)
	if !strings.HasPrefix(s, "earlier step\n### finfocus-vantage") || !strings.Contains(s, "| `scripts/ci.sh:2` | [token-logged]") || strings.Contains(s, tokenA) {
		t.Errorf("step summary:\n%s", s)
	}
}

func TestJUnitAndCheckstyleParse(t *testing.T) {
	dir := formatFixture(t)
	for _, format := range []string{"junit", "checkstyle"} {
		r := runCLI(t, dir, nil, "check", "--format", format, "--now", "2026-11-28")
		dec := xml.NewDecoder(bytes.NewReader([]byte(r.stdout)))
		var root struct {
			XMLName xml.Name
			Tests   int `xml:"tests,attr"`
			Suites  []struct {
				Name  string `xml:"name,attr"`
				Cases []struct {
					Name     string `xml:"name,attr"`
					Failures []struct {
						Message string `xml:"message,attr"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
			Files []struct {
				Name   string `xml:"name,attr"`
				Errors []struct {
					Line   int    `xml:"line,attr"`
					Source string `xml:"source,attr"`
				} `xml:"error"`
			} `xml:"file"`
		}
		if err := dec.Decode(&root); err != nil {
			t.Fatalf("%s is not well-formed XML: %v\n%s", format, err, r.stdout)
		}
		switch format {
		case "junit":
			failures := 0
			for _, s := range root.Suites {
				for _, c := range s.Cases {
					failures += len(c.Failures)
				}
			}
			if root.XMLName.Local != "testsuites" || failures == 0 || root.Tests == 0 {
				t.Errorf("junit: %+v", root)
			}
		case "checkstyle":
			if root.XMLName.Local != "checkstyle" || len(root.Files) == 0 || !strings.HasPrefix(root.Files[0].Errors[0].Source, "finfocus-vantage.") {
				t.Errorf("checkstyle: %+v", root)
			}
		}
		if strings.Contains(r.stdout, tokenA) {
			t.Errorf("%s leaks the token", format)
		}
	}
}
