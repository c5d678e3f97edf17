package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// badToken is planted in the bad-input corpus.
const badToken = "vntg_tkn_5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b"

// TestBadInputCorpus checks every file of testdata/bad/: the check
// finishes without a crash, with the documented exit code, a clear finding
// with its position where there is one, and bounded memory.
func TestBadInputCorpus(t *testing.T) {
	cases := []struct {
		file, want string
		code       int
	}{
		{"invalid-indent.yaml", "invalid-indent.yaml:2:9: error: YAML syntax error: mapping value is not allowed in this context", exitFindings},
		{"invalid-unclosed-quote.yaml", "invalid-unclosed-quote.yaml:4:10: error: YAML syntax error: could not find end character of double-quoted text", exitFindings},
		{"invalid-tab.yaml", "invalid-tab.yaml:4:1: error: YAML syntax error: found character", exitFindings},
		{"invalid-flow.yaml", "invalid-flow.yaml:3:29: error: YAML syntax error", exitFindings},
		{"alias-bomb.yaml", `alias-bomb.yaml:13:22: warning: "params.cost_report_token" uses an alias`, exitFindings},
		{"deep-nesting.yaml", "deep-nesting.yaml:4:270: error: YAML syntax error: nesting deeper than 256 levels", exitFindings},
		{"deep-block-nesting.yaml", "no problems in 0 configs, 1 file scanned", exitOK},
		{"duplicate-keys.yaml", `duplicate-keys.yaml:3:1: error: duplicate key "source" (first defined at line 2)`, exitFindings},
		{"bom.yaml", `bom.yaml:4:10: error: "credentials.token" holds a literal Vantage API token (vntg_tkn_…7a6b)`, exitFindings},
		{"crlf.yaml", `crlf.yaml:4:10: error: "credentials.token" holds a literal Vantage API token`, exitFindings},
		{"invalid-utf8.yaml", `invalid-utf8.yaml:5:10: error: "credentials.token" holds a literal Vantage API token`, exitFindings},
		{"nul.yaml", "nul.yaml:4:10: error: a Vantage API token (vntg_tkn_…7a6b) is committed here", exitFindings}, // a NUL hides no token
		{"random.bin", "0 files scanned, 1 skipped (1 binary, 0 too large)", exitOK},
		{"broken.tf", "broken.tf:3:10: warning: Terraform syntax error: invalid expression", exitFindings},
		{"broken.tf", `broken.tf:2:16: error: provider "vantage" sets api_token to a literal token (vntg_tkn_…7a6b)`, exitFindings},
		{"heredoc.tfvars", "heredoc.tfvars:2:1: error: a Vantage API token (vntg_tkn_…7a6b) is committed here", exitFindings},
		{".github/workflows/anchors.yml", `anchors.yml:3:27: error: a Vantage API token (vntg_tkn_…7a6b) is committed here`, exitFindings},
		{".github/workflows/anchors.yml", `anchors.yml:16:14: error: echo prints FINFOCUS_VANTAGE_TOKEN to the log`, exitFindings},
	}
	root, _ := filepath.Abs("../../testdata/bad")
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			// Outside a git work tree: config-not-ignored does not apply.
			dir := t.TempDir()
			src, _ := os.ReadFile(filepath.Join(root, tc.file))
			writeFiles(t, dir, map[string]string{tc.file: string(src)})
			r := runCLI(t, dir, nil, "check", "--now", "2026-11-28", tc.file)
			runtime.ReadMemStats(&after)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.want) {
				t.Errorf("exit %d (want %d); want %q in:\n%s%s", r.code, tc.code, tc.want, r.stdout, r.stderr)
			}
			if strings.Contains(r.stderr, "crashed") {
				t.Errorf("a rule crashed:\n%s", r.stderr)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 && !raceEnabled {
				t.Errorf("allocated %d MiB checking a %d-byte file", alloc>>20, len(src))
			}
			if strings.Contains(r.stdout, badToken) {
				t.Error("output leaks the planted token")
			}
		})
	}
}

// TestBadInputGenerated covers inputs too large to commit: a 50 MB
// single-line file, lines of 1 MB, a symlink loop, and a folder of 100,000
// empty files.
func TestBadInputGenerated(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("x", 50<<20) + " VANTAGE_TOKEN=" + badToken + "\n"
	writeFiles(t, dir, map[string]string{
		"big/single-line.txt": big,
		"long/lines.txt":      strings.Repeat(strings.Repeat("a", 1<<20)+"\n", 3) + "FINFOCUS_VANTAGE_BASE_URL=http://vantage.example.com/v2 " + strings.Repeat("b", 1<<20) + "\n",
	})
	os.Symlink(filepath.Join(dir, "loop"), filepath.Join(dir, "loop"))
	os.MkdirAll(filepath.Join(dir, "cycle"), 0o755)
	os.Symlink(filepath.Join(dir, "cycle"), filepath.Join(dir, "cycle", "again"))

	// No default size limit: the 50 MB line is read in windows.
	r := runCLI(t, dir, nil, "check", "--now", "2026-11-28")
	if r.code != exitFindings || !strings.Contains(r.stdout, "big/single-line.txt:1:52428816: error: a Vantage API token") ||
		!strings.Contains(r.stdout, "long/lines.txt:4:27: error: FINFOCUS_VANTAGE_BASE_URL is set to") {
		t.Fatalf("no default size limit: exit %d\n%.2000s", r.code, r.stdout)
	}
	if r := runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--max-file-size", "10MiB"); !strings.Contains(r.stdout, "1 skipped (0 binary, 1 too large)") {
		t.Fatalf("--max-file-size 10MiB: exit %d\n%.2000s", r.code, r.stdout)
	}
	if len(r.stdout) > 20000 {
		t.Errorf("a 1 MB line was printed whole (%d bytes of output)", len(r.stdout))
	}
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--max-file-size", "64MiB", "big")
	if r.code != exitFindings || !strings.Contains(r.stdout, "big/single-line.txt:1:52428816: error: a Vantage API token (vntg_tkn_…7a6b)") {
		t.Fatalf("50 MB line: exit %d\n%.2000s", r.code, r.stdout)
	}
	if len(r.stdout) > 20000 || strings.Contains(r.stdout, badToken) {
		t.Errorf("the 50 MB line was printed, or leaked the token")
	}

	many := filepath.Join(dir, "many")
	os.MkdirAll(many, 0o755)
	for i := 0; i < 100000; i++ {
		f, err := os.Create(filepath.Join(many, "f"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	r = runCLI(t, dir, nil, "check", "many")
	if r.code != exitOK || !strings.Contains(r.stdout, "no problems in 0 configs, 100000 files scanned") {
		t.Fatalf("100,000 files: exit %d\n%s", r.code, r.stdout)
	}
}

// TestLargeFileInWindows: a file over the window threshold is checked in
// bounded memory, and findings keep the file's own positions, also for a
// token that straddles two windows.
func TestLargeFileInWindows(t *testing.T) {
	dir := t.TempDir()
	line := strings.Repeat("x", 99) + "\n" // 100 bytes a line
	var b strings.Builder
	for b.Len() < 4<<20-30 {
		b.WriteString(line)
	}
	// Straddles the first window boundary (4 MiB).
	b.WriteString("key=" + badToken + "\n")
	straddle := strings.Count(b.String(), "\n")
	for b.Len() < 40<<20 {
		b.WriteString(line)
	}
	b.WriteString("VANTAGE_HOST=http://evil.example.com\n")
	last := strings.Count(b.String(), "\n")
	writeFiles(t, dir, map[string]string{"dump.log": b.String()})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := runCLI(t, dir, nil, "check", "--max-file-size", "64MiB")
	runtime.ReadMemStats(&after)
	for _, want := range []string{
		"dump.log:" + strconv.Itoa(straddle) + ":5: error: a Vantage API token (vntg_tkn_…7a6b) is committed here",
		"dump.log:" + strconv.Itoa(last) + ":14: error: VANTAGE_HOST is set to",
		"2 problems",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 && !raceEnabled {
		t.Errorf("allocated %d MiB for a 40 MiB file: it was not windowed", alloc>>20)
	}
}
