package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rshade/finfocus-vantage/internal/testkit"
)

// attack is one reproduction of a way a pull request (or a repository
// handed over) tried to get a Vantage token past check: the tree it
// builds, the command run on it, and the exit the command must give.
// Every row was seen to pass the token with exit 0 (or hang, or print
// it) on the release before its fix.
type attack struct {
	name string
	// build makes the tree in dir and returns the arguments of check.
	build func(t *testing.T, dir string) []string
	code  int
	// want are strings the output must hold (stdout and stderr).
	want []string
}

// tokenLine is a committed token in .env form.
const tokenLine = "FINFOCUS_VANTAGE_TOKEN=" + tokenA

// commitAll commits everything in dir with a message.
func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	testkit.Git(t, dir, "add", "-A")
	testkit.Git(t, dir, "commit", "-q", "--no-verify", "-m", msg)
}

// baseAndChange makes a repository whose base commit (tagged base) holds
// base and whose work tree then holds change, committed.
func baseAndChange(t *testing.T, dir string, base, change map[string]string) {
	t.Helper()
	testkit.InitRepo(t, dir)
	writeFiles(t, dir, map[string]string{"README.md": "hello\n"})
	writeFiles(t, dir, base)
	commitAll(t, dir, "base")
	testkit.Git(t, dir, "tag", "base")
	writeFiles(t, dir, change)
	commitAll(t, dir, "change")
}

// utf16LE encodes s as UTF-16 little-endian with a byte-order mark, as
// Windows PowerShell 5's > writes it.
func utf16LE(s string) string {
	var b strings.Builder
	b.WriteString("\xff\xfe")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

var attacks = []attack{
	// 1. The change grants its own suppressions.
	{name: "gitleaks-allow-in-env", code: exitFindings, want: []string{"a.env:1:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.env": tokenLine + " # gitleaks:allow\n"})
			return []string{"check", "."}
		}},
	{name: "gitleaks-allow-in-sh", code: exitFindings, want: []string{"a.sh:2:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.sh": "#!/bin/sh\nexport " + tokenLine + " # gitleaks:allow\n"})
			return []string{"check", "."}
		}},
	{name: "gitleaks-allow-in-json", code: exitFindings, want: []string{"a.json:1:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.json": `{"token": "` + tokenA + `"} // gitleaks:allow` + "\n"})
			return []string{"check", "."}
		}},
	{name: "ignore-without-reason", code: exitFindings, want: []string{"a.env:2:", "gives no reason"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.env": "# finfocus-vantage:ignore leaked-token\n" + tokenLine + "\n"})
			return []string{"check", "."}
		}},
	{name: "ignore-unparseable-expiry", code: exitFindings, want: []string{"a.env:2:", "invalid expiry"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.env": "# finfocus-vantage:ignore leaked-token exp=someday a test fixture\n" + tokenLine + "\n"})
			return []string{"check", "."}
		}},
	{name: "ignore-expiry-years-ahead", code: exitFindings, want: []string{"more than a year ahead"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.sh": "# finfocus-vantage:ignore token-logged exp=2031-01-01 debugging\necho $FINFOCUS_VANTAGE_TOKEN\n"})
			return []string{"check", "--fail-on", "warning", "."}
		}},
	{name: "diff-change-adds-ignore-on-token", code: exitFindings, want: []string{"a.env:2:", "cannot be made safe by a comment"},
		build: func(t *testing.T, dir string) []string {
			baseAndChange(t, dir, nil, map[string]string{"a.env": "# finfocus-vantage:ignore leaked-token,config-not-ignored exp=2026-12-31 a test fixture\n" + tokenLine + "\n"})
			return []string{"check", "--diff", "base"}
		}},
	{name: "diff-change-adds-ignore-on-other-rule", code: exitFindings, want: []string{"suppression added by this change", "1 suppressed"},
		build: func(t *testing.T, dir string) []string {
			baseAndChange(t, dir, nil, map[string]string{"a.sh": "# finfocus-vantage:ignore token-logged exp=2026-12-31 debugging a job\necho $FINFOCUS_VANTAGE_TOKEN\n"})
			return []string{"check", "--diff", "base", "--fail-on", "warning"}
		}},
	{name: "diff-change-adds-its-baseline-entry", code: exitFindings, want: []string{"a.env:1:", "from base"},
		build: func(t *testing.T, dir string) []string {
			baseAndChange(t, dir, map[string]string{"baseline.json": "{\"version\": \"1\", \"findings\": []}\n"}, map[string]string{"a.env": tokenLine + "\n"})
			// The change writes its own fingerprint into the baseline.
			t.Chdir(dir)
			if r := runCLI(t, dir, nil, "baseline", "--output", "baseline.json", "."); r.code != exitOK {
				t.Fatalf("baseline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			commitAll(t, dir, "baseline")
			return []string{"check", "--diff", "base", "--baseline", "baseline.json"}
		}},
	{name: "summary-says-suppressed", code: exitOK, want: []string{"1 suppressed"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"a.sh": "# finfocus-vantage:ignore token-logged exp=2026-12-31 debugging a job\necho $FINFOCUS_VANTAGE_TOKEN\n"})
			return []string{"check", "--format", "github", "."}
		}},

	// What must keep working: a waiver the base already holds, and the
	// author's own waiver before a commit (CI judges the pull request).
	{name: "diff-inherited-ignore-holds", code: exitOK, want: []string{"1 suppressed"},
		build: func(t *testing.T, dir string) []string {
			waiver := "# finfocus-vantage:ignore token-logged exp=2026-12-31 debugging a job\necho $FINFOCUS_VANTAGE_TOKEN\n"
			baseAndChange(t, dir, map[string]string{"a.sh": waiver}, map[string]string{"a.sh": "#!/bin/sh\n" + waiver})
			return []string{"check", "--diff", "base", "--fail-on", "warning"}
		}},
	{name: "staged-author-ignore-holds", code: exitOK, want: []string{"1 suppressed"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"a.sh": "# finfocus-vantage:ignore token-logged exp=2026-12-31 debugging a job\necho $FINFOCUS_VANTAGE_TOKEN\n"})
			testkit.Git(t, dir, "add", "-A")
			return []string{"check", "--staged", "--fail-on", "warning"}
		}},

	// 5. Writes follow links the pull request committed.
	{name: "output-through-committed-link", code: exitUsage, want: []string{"never followed"},
		build: func(t *testing.T, dir string) []string {
			outside := filepath.Join(t.TempDir(), "x")
			writeFiles(t, filepath.Dir(outside), map[string]string{"x": "keep\n"})
			os.Symlink(outside, filepath.Join(dir, "finfocus-vantage.sarif"))
			t.Cleanup(func() {
				if b, _ := os.ReadFile(outside); string(b) != "keep\n" {
					t.Errorf("the link's target was written: %q", b)
				}
			})
			return []string{"check", "--format", "sarif", "--output", "finfocus-vantage.sarif", "."}
		}},
	{name: "report-through-linked-folder", code: exitUsage, want: []string{"never followed"},
		build: func(t *testing.T, dir string) []string {
			outside := t.TempDir()
			os.Symlink(outside, filepath.Join(dir, "out"))
			t.Cleanup(func() {
				if names, _ := os.ReadDir(outside); len(names) > 0 {
					t.Errorf("written outside the tree: %v", names)
				}
			})
			return []string{"check", "--report", "sarif=out/r.sarif", "."}
		}},
	{name: "baseline-link-in-tree", code: exitUsage, want: []string{"never followed"},
		build: func(t *testing.T, dir string) []string {
			os.Symlink("/etc/passwd", filepath.Join(dir, "baseline.json"))
			return []string{"check", "--baseline", "baseline.json", "."}
		}},

	// 2. Searching in pieces that do not overlap.
	{name: "token-across-the-64k-seam", code: exitFindings, want: []string{"min.js:1:65518:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"min.js": strings.Repeat("a", 65536-20) + `"` + tokenA + `"` + strings.Repeat("b", 1000) + "\n"})
			return []string{"check", "."}
		}},

	// 3. Size and type gaps.
	{name: "staged-over-64MiB", code: exitFindings, want: []string{"big.log:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"big.log": strings.Repeat(strings.Repeat("x", 99)+"\n", 680000) + tokenLine + "\n"})
			testkit.Git(t, dir, "add", "big.log")
			return []string{"check", "--staged"}
		}},
	{name: "binary-over-16MiB", code: exitFindings, want: []string{"blob.bin:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"blob.bin": "\x00" + strings.Repeat("x", 17<<20) + tokenLine + "\n"})
			return []string{"check", "."}
		}},
	{name: "diff-link-became-file", code: exitFindings, want: []string{"leak.env:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"README.md": "hello\n"})
			if err := os.Symlink("README.md", filepath.Join(dir, "leak.env")); err != nil {
				t.Skip(err)
			}
			commitAll(t, dir, "base")
			testkit.Git(t, dir, "tag", "base")
			os.Remove(filepath.Join(dir, "leak.env"))
			writeFiles(t, dir, map[string]string{"leak.env": tokenLine + "\n"})
			commitAll(t, dir, "change")
			return []string{"check", "--diff", "base"}
		}},
	{name: "staged-link-became-file", code: exitFindings, want: []string{"leak.env:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"README.md": "hello\n"})
			if err := os.Symlink("README.md", filepath.Join(dir, "leak.env")); err != nil {
				t.Skip(err)
			}
			commitAll(t, dir, "base")
			os.Remove(filepath.Join(dir, "leak.env"))
			writeFiles(t, dir, map[string]string{"leak.env": tokenLine + "\n"})
			testkit.Git(t, dir, "add", "-A")
			return []string{"check", "--staged"}
		}},
	{name: "utf16-with-bom", code: exitFindings, want: []string{"ps.env:2:24:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"ps.env": utf16LE("# written by PowerShell 5\r\n" + tokenLine + "\r\n")})
			return []string{"check", "."}
		}},
	{name: "utf16-staged", code: exitFindings, want: []string{"ps.env:2:24:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"ps.env": utf16LE("# written by PowerShell 5\r\n" + tokenLine + "\r\n")})
			testkit.Git(t, dir, "add", "-A")
			return []string{"check", "--staged"}
		}},
}

// TestNoFalseAllClear runs every reproduction: none may pass a token
// with exit 0 or print it (runCLI fails on a printed token).
func TestNoFalseAllClear(t *testing.T) {
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			dir := t.TempDir()
			args := a.build(t, dir)
			r := runCLI(t, dir, nil, args...)
			out := r.stdout + r.stderr
			if r.code != a.code {
				t.Errorf("exit %d, want %d\n%.3000s", r.code, a.code, out)
			}
			for _, w := range a.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q\n%.3000s", w, out)
				}
			}
		})
	}
}
