package main

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	{name: "diff-change-brings-its-gitleaksignore", code: exitFindings, want: []string{"aws-key.txt:1:"},
		build: func(t *testing.T, dir string) []string {
			baseAndChange(t, dir, nil, map[string]string{
				"aws-key.txt":     "aws_access_key_id = AKIAQ2L5FZ7PJXN4W3RT\n",
				".gitleaksignore": "aws-key.txt:aws-access-token:1\n",
			})
			return []string{"check", "--diff", "base", "--all-secrets"}
		}},
	{name: "diff-change-brings-its-gitleaks-toml", code: exitFindings, want: []string{"aws-key.txt:1:"},
		build: func(t *testing.T, dir string) []string {
			baseAndChange(t, dir, nil, map[string]string{
				"aws-key.txt":    "aws_access_key_id = AKIAQ2L5FZ7PJXN4W3RT\n",
				".gitleaks.toml": "[extend]\nuseDefault = true\n\n[allowlist]\npaths = ['''.*''']\n",
			})
			return []string{"check", "--diff", "base", "--all-secrets"}
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

	// 4. History reading trusts porcelain output and a permissive parser.
	{name: "history-backslash-name-edited-twice", code: exitFindings, want: []string{"old.env:1:", "token-in-history"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"old.env": tokenLine + "\n"})
			commitAll(t, dir, "old")
			// Added, the lines read "+-- /dev/null" and "+++ evil";
			// removed, "--- /dev/null": a diff parser's file headers.
			writeFiles(t, dir, map[string]string{"evil\\": "-- /dev/null\n++ evil\n"})
			commitAll(t, dir, "one")
			writeFiles(t, dir, map[string]string{"evil\\": "a\n"})
			commitAll(t, dir, "two")
			testkit.Git(t, dir, "config", "core.quotePath", "false")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-empty-file-before-a-token", code: exitFindings, want: []string{"z.env:1:24:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"a/__init__.py": "", "z.env": tokenLine + "\n"})
			commitAll(t, dir, "both")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-clean-file-first-in-the-commit", code: exitFindings, want: []string{"z.env:1:24:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"a.txt": "clean\n", "z.env": tokenLine + "\n"})
			commitAll(t, dir, "both")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-repo-config-and-attributes", code: exitFindings, want: []string{"old.env:1:24:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"old.env": tokenLine + "\n"})
			commitAll(t, dir, "old")
			writeFiles(t, dir, map[string]string{".gitattributes": "* -diff\n"})
			commitAll(t, dir, "attributes")
			for _, kv := range [][2]string{{"color.ui", "always"}, {"color.diff", "always"}, {"core.bigFileThreshold", "10"},
				{"log.showRoot", "false"}, {"format.pretty", "format:%s"}, {"diff.noprefix", "true"}, {"core.quotePath", "true"}} {
				testkit.Git(t, dir, "config", kv[0], kv[1])
			}
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-replace-ref-hides-commit", code: exitFindings, want: []string{"old.env:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"README.md": "hello\n"})
			commitAll(t, dir, "root")
			writeFiles(t, dir, map[string]string{"old.env": tokenLine + "\n"})
			commitAll(t, dir, "leak")
			leak := testkit.Git(t, dir, "rev-parse", "HEAD")
			os.Remove(filepath.Join(dir, "old.env"))
			commitAll(t, dir, "gone")
			testkit.Git(t, dir, "replace", leak, "HEAD~2")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-evil-merge", code: exitFindings, want: []string{"evil.env:1:", "token-in-history"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"README.md": "hello\n"})
			commitAll(t, dir, "root")
			testkit.Git(t, dir, "checkout", "-q", "-b", "side")
			writeFiles(t, dir, map[string]string{"side.txt": "side\n"})
			commitAll(t, dir, "side")
			testkit.Git(t, dir, "checkout", "-q", "main")
			writeFiles(t, dir, map[string]string{"main.txt": "main\n"})
			commitAll(t, dir, "main")
			testkit.Git(t, dir, "merge", "-q", "--no-ff", "--no-commit", "side")
			writeFiles(t, dir, map[string]string{"evil.env": tokenLine + "\n"})
			commitAll(t, dir, "merge side")
			os.Remove(filepath.Join(dir, "evil.env"))
			commitAll(t, dir, "gone")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-token-in-message-and-name", code: exitFindings, want: []string{"COMMIT_MSG:3:24:", "in the name of a file", "keys/vntg_tkn_…6c8d.txt:1:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"keys/" + tokenA + ".txt": "x\n"})
			testkit.Git(t, dir, "add", "-A")
			testkit.Git(t, dir, "commit", "-q", "-m", "add key\n\n"+tokenLine)
			os.RemoveAll(filepath.Join(dir, "keys"))
			commitAll(t, dir, "gone")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-all-secrets-path-allowlist", code: exitFindings, want: []string{"node_modules/x/index.js:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"node_modules/x/index.js": "const t = '" + tokenA + "'\n"})
			commitAll(t, dir, "vendored")
			os.RemoveAll(filepath.Join(dir, "node_modules"))
			commitAll(t, dir, "gone")
			return []string{"check", "--history", "--all-secrets", "--only", "token-in-history"}
		}},
	{name: "history-base64-in-a-removed-secret", code: exitFindings, want: []string{"secret.yaml:4:", "token-in-history"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"secret.yaml": "apiVersion: v1\nkind: Secret\ndata:\n  token: " + base64.StdEncoding.EncodeToString([]byte(tokenA)) + "\n"})
			commitAll(t, dir, "secret")
			os.Remove(filepath.Join(dir, "secret.yaml"))
			commitAll(t, dir, "gone")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-nested-key-and-folded-yaml", code: exitFindings, want: []string{"appsettings.json:3:", "values.yaml:2:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{
				"appsettings.json": "{\n  \"Vantage\": {\n    \"CostReportToken\": \"cr_9Xk2Lm7Qp4Rt8Vw3Yz5Bn\"\n  }\n}\n",
				"values.yaml":      "a: 1\ntoken: \"" + tokenA[:30] + "\\\n  " + tokenA[30:] + "\"\n",
			})
			commitAll(t, dir, "both")
			os.Remove(filepath.Join(dir, "appsettings.json"))
			os.Remove(filepath.Join(dir, "values.yaml"))
			commitAll(t, dir, "gone")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},
	{name: "history-shallow-says-so", code: exitOK, want: []string{"is shallow", `"incomplete": true`},
		build: func(t *testing.T, dir string) []string {
			src := filepath.Join(t.TempDir(), "src")
			os.MkdirAll(src, 0o755)
			testkit.InitRepo(t, src)
			writeFiles(t, src, map[string]string{"a.txt": "1\n"})
			commitAll(t, src, "one")
			writeFiles(t, src, map[string]string{"a.txt": "2\n"})
			commitAll(t, src, "two")
			testkit.Git(t, filepath.Dir(src), "clone", "-q", "--depth", "1", "file://"+src, dir)
			return []string{"check", "--history", "--only", "token-in-history", "--format", "json"}
		}},

	// 7. Smaller ones.
	{name: "workflow-command-file-name", code: exitFindings, want: []string{"./::error::pwned.env:1:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"::error::pwned.env": tokenLine + "\n"})
			return []string{"check", "."}
		}},
	{name: "explicit-file-over-64MiB", code: exitFindings, want: []string{"big.log:680001:24:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"big.log": strings.Repeat(strings.Repeat("x", 99)+"\n", 680000) + tokenLine + "\n"})
			return []string{"check", "big.log"}
		}},
	{name: "hook-args-value-named-like-a-file", code: exitFindings, want: []string{"a.env:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"error": "not an option\n", "a.env": tokenLine + "\n"})
			testkit.Git(t, dir, "add", "-A")
			return []string{"check", "--pre-commit", "--fail-on", "error", "error", "a.env"}
		}},
	{name: "hook-file-named-like-a-terminal-flag", code: exitFindings, want: []string{"-q:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{"-q": tokenLine + "\n", "--verbose": "x\n"})
			testkit.Git(t, dir, "add", "-A", "--", "-q", "--verbose")
			return []string{"check", "--pre-commit", "-q", "--verbose"}
		}},
	{name: "history-gitattributes-negated-diff", code: exitFindings, want: []string{"old.env:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{".gitattributes": "* !a diff\n", "old.env": tokenLine + "\n"})
			commitAll(t, dir, "old")
			return []string{"check", "--history", "--only", "token-in-history"}
		}},

	{name: "gitleaks-toml-catch-all", code: exitIncomplete, want: []string{"a.env:1:24:", "gitleaks rule catch-all (over 10000 matches)"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{
				".gitleaks.toml": "[[rules]]\nid = \"catch-all\"\nregex = '''.'''\n",
				"a.env":          tokenLine + "\n" + strings.Repeat("abcdefgh\n", 16<<10),
			})
			return []string{"check", "--all-secrets", "."}
		}},
	{name: "gitleaks-toml-uncompilable-rule", code: exitFindings, want: []string{"a.env:1:24:", `rule "broken" does not compile`, "aws-key.txt:1:"},
		build: func(t *testing.T, dir string) []string {
			testkit.InitRepo(t, dir)
			writeFiles(t, dir, map[string]string{
				".gitleaks.toml": "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"broken\"\nregex = '''(unclosed'''\n",
				"a.env":          tokenLine + "\n",
				"aws-key.txt":    "aws_access_key_id = AKIAQ2L5FZ7PJXN4W3RT\n",
			})
			return []string{"check", "--all-secrets", "."}
		}},

	{name: "config-link-in-tree", code: exitUsage, want: []string{"--config:", "never followed"},
		build: func(t *testing.T, dir string) []string {
			os.Symlink("/etc/passwd", filepath.Join(dir, "vantage.yaml"))
			return []string{"check", "--config", "vantage.yaml"}
		}},

	// 2. Searching in pieces that do not overlap.
	{name: "token-across-the-64k-seam", code: exitFindings, want: []string{"min.js:1:65518:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"min.js": strings.Repeat("a", 65536-20) + `"` + tokenA + `"` + strings.Repeat("b", 1000) + "\n"})
			return []string{"check", "."}
		}},

	{name: "many-tokens-on-one-line", code: exitFindings, want: []string{"one-line.json:1:", "and 1500 more findings of leaked-token"},
		build: func(t *testing.T, dir string) []string {
			var b strings.Builder
			for i := 0; i < 2000; i++ {
				fmt.Fprintf(&b, `"vntg_tkn_%x",`, sha1.Sum([]byte(strconv.Itoa(i))))
			}
			writeFiles(t, dir, map[string]string{"one-line.json": "[" + b.String() + "\"\"]\n"})
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
	{name: "utf16-without-bom", code: exitFindings, want: []string{"nobom.env:1:24:"},
		build: func(t *testing.T, dir string) []string {
			writeFiles(t, dir, map[string]string{"nobom.env": strings.TrimPrefix(utf16LE(tokenLine+"\r\n"), "\xff\xfe")})
			return []string{"check", "."}
		}},
	{name: "utf16-in-diff", code: exitFindings, want: []string{"ps.env:2:24:"},
		build: func(t *testing.T, dir string) []string {
			baseAndChange(t, dir, nil, map[string]string{"ps.env": utf16LE("# written by PowerShell 5\r\n" + tokenLine + "\r\n")})
			return []string{"check", "--diff", "base"}
		}},
	{name: "bom-before-plain-text-over-16MiB", code: exitFindings, want: []string{"big.txt:", "a Vantage API token"},
		build: func(t *testing.T, dir string) []string {
			// A UTF-16 byte-order mark before plain text: decoded, the
			// text is noise; the bytes as written still hold the token.
			writeFiles(t, dir, map[string]string{"big.txt": "\xff\xfe" + strings.Repeat(strings.Repeat("x", 99)+"\n", 170000) + tokenLine + "\n"})
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

// maxPeakRSS is the most memory a reproduction may take: a scan of what a
// pull request wrote must fit a small CI runner beside the build.
const maxPeakRSS = 256 << 20

// TestNoFalseAllClearMemory runs every reproduction in the built binary
// and holds its peak resident memory under maxPeakRSS, as the kernel
// counts the process (runPeak; not the race detector's inflated
// in-process heap, so it skips under -race: .ci/run runs it without).
func TestNoFalseAllClearMemory(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("measured without the race detector and -short (.ci/run's memory step)")
	}
	bin := filepath.Join(t.TempDir(), "finfocus-vantage")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			dir := t.TempDir()
			args := a.build(t, dir)
			cmd := exec.Command(bin, args...)
			cmd.Dir = dir
			out, rss, _ := runPeak(cmd)
			if cmd.ProcessState == nil {
				t.Fatalf("did not run:\n%s", out)
			}
			if code := cmd.ProcessState.ExitCode(); code != a.code {
				t.Errorf("exit %d, want %d\n%.2000s", code, a.code, out)
			}
			if strings.Contains(string(out), tokenA) {
				t.Error("the output holds the token")
			}
			if rss > maxPeakRSS {
				t.Errorf("peak memory %d MiB, over %d MiB", rss>>20, maxPeakRSS>>20)
			} else {
				t.Logf("peak memory %d MiB", rss>>20)
			}
		})
	}
}
