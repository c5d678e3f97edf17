package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPositionCountsCharacters(t *testing.T) {
	f := NewFile("x", []byte("a\nnäme: \"héllo\"\r\nlast"))
	if l, c := f.Position(strings.Index(string(f.Src), "\"h")); l != 2 || c != 7 {
		t.Errorf("Position = %d:%d, want 2:7", l, c)
	}
	if got := f.Line(2); got != "näme: \"héllo\"" {
		t.Errorf("Line(2) = %q (CR must be dropped)", got)
	}
	if f.LineCount() != 3 || f.Line(4) != "" {
		t.Errorf("LineCount = %d", f.LineCount())
	}
}

func TestSnippetMasksSecretSpan(t *testing.T) {
	f := NewFile("x", []byte("  token: supersecretvalue1234 # note"))
	mask := func(s string) string { return "…" + s[len(s)-4:] }
	line, col, width := snippet(f, Span{Line: 1, Col: 10, EndLine: 1, EndCol: 30, Secret: true}, func(s string) string { return s }, mask)
	if strings.Contains(line, "supersecret") || line != "  token: …1234 # note" || col != 10 || width != 5 {
		t.Errorf("snippet = %q col %d width %d", line, col, width)
	}
}

// testIgnores is an ignore syntax for the engine's own tests: the engine
// knows no tool's name.
var testIgnores = &Ignores{Directive: "demo-tool:ignore", ListRules: "demo-tool rules"}

func TestParseIgnore(t *testing.T) {
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	known := []string{"a-rule", "b-rule"}
	for _, tc := range []struct {
		in      string
		active  bool
		problem string
	}{
		{" a-rule,b-rule fixture", true, ""},
		{" a-rule exp=2026-11-28 last day", true, ""},
		{" a-rule exp=2026-11-27 gone", false, "expired"},
		{" a-rule", false, "no reason"}, // an unexplained waiver waives nothing
		{" c-rule why", true, "unknown rule"},
		{"", false, "names no rule"},
		{" a-rule exp=soon why", false, "invalid expiry"},
		{" a-rule exp=2028-01-01 why", true, "more than a year ahead"},
		{" a-rule exp=2027-11-28 a year", true, ""},
		{" a-rule reason -->", true, ""},
	} {
		ig := testIgnores.parse(tc.in, now, known)
		if ig.active != tc.active || (tc.problem == "") != (ig.problem == "") || !strings.Contains(ig.problem, tc.problem) {
			t.Errorf("parseIgnore(%q) = active %v problem %q", tc.in, ig.active, ig.problem)
		}
	}
}

func TestRunnerSuppressesAndRecoversPanics(t *testing.T) {
	dir := t.TempDir()
	src := "one\n# demo-tool:ignore demo because\ntwo\nthree\n"
	os.WriteFile(filepath.Join(dir, "f.txt"), []byte(src), 0o644)
	demo := &Rule{ID: "demo", Summary: "demo", Severity: Warning, Check: func(p *Pass) error {
		for n := 1; n <= p.File.LineCount(); n++ {
			if strings.HasPrefix(p.File.Line(n), "t") {
				p.Reportf(Span{Line: n, Col: 1, EndCol: 4}, "line %d", n)
			}
		}
		return nil
	}}
	boom := &Rule{ID: "boom", Summary: "boom", Severity: Error, Check: func(p *Pass) error { panic("secret content") }}
	r := &Runner{Rules: []*Rule{demo, boom, IgnoreComment}, Known: []string{"demo", "boom"}, Ignores: testIgnores}
	res, err := r.Run(context.Background(), []Input{{Name: "f.txt", Path: filepath.Join(dir, "f.txt")}})
	if err == nil || !strings.Contains(err.Error(), "rule boom crashed on f.txt") || strings.Contains(err.Error(), "secret content") {
		t.Errorf("panic not reported safely: %v", err)
	}
	if len(res.Findings) != 2 || !res.Findings[0].Suppressed || res.Findings[1].Suppressed || res.Findings[1].Line != 4 {
		t.Errorf("findings: %+v", res.Findings)
	}
	if res.Findings[0].Fingerprint == res.Findings[1].Fingerprint {
		t.Error("distinct findings share a fingerprint")
	}
}

func TestRunnerSkipsBinaryAndLarge(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bin"), []byte("abc\x00def"), 0o644)
	os.WriteFile(filepath.Join(dir, "big"), []byte(strings.Repeat("x", 100)), 0o644)
	os.WriteFile(filepath.Join(dir, "ok"), []byte("fine"), 0o644)
	r := &Runner{MaxFileSize: 50}
	var in []Input
	for _, n := range []string{"bin", "big", "ok", "missing"} {
		in = append(in, Input{Name: n, Path: filepath.Join(dir, n)})
	}
	res, err := r.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Stats; s.Scanned != 1 || s.Binary != 1 || s.Large != 1 || len(s.Unreadable) != 1 {
		t.Errorf("stats = %+v", s)
	}
}

// TestBOMIsNotAColumn: positions in a file with a byte order mark count
// from the first visible character, in every view.
func TestBOMIsNotAColumn(t *testing.T) {
	f := NewFile("x.yaml", []byte("\xef\xbb\xbfversion: 0.2\n"))
	if f.Line(1) != "version: 0.2" {
		t.Errorf("Line(1) = %q", f.Line(1))
	}
	y := f.YAML()
	if y.Err != nil {
		t.Fatal(y.Err)
	}
	if l, c := f.Position(strings.Index(string(f.Src), "0.2")); l != 1 || c != 10 {
		t.Errorf("Position = %d:%d, want 1:10", l, c)
	}
}
