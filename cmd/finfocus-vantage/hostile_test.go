package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// Regression tests for what an attacker who writes part of a scanned
// repository can try: each case was reproduced against the release before
// its fix.

// TestDiffDoesNotFollowLinks: a committed link to a file outside the
// repository is not read in --diff mode, so its lines never reach the
// report.
func TestDiffDoesNotFollowLinks(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"secret.env": "FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n"})
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{"README.md": "hello\n"})
	git("add", ".")
	git("commit", "-q", "-m", "init")
	git("tag", "base")
	if err := os.Symlink(filepath.Join(outside, "secret.env"), filepath.Join(dir, "leak.env")); err != nil {
		t.Skip(err)
	}
	git("add", "leak.env")
	git("commit", "-q", "-m", "link")
	r := runCLI(t, dir, nil, "check", "--diff", "base", "--format", "json")
	if r.code != exitOK || strings.Contains(r.stdout, "leak.env") || !strings.Contains(r.stdout, `"skipped_special": 1`) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestShallowDiffFallsBackToSomething: in a shallow clone a base that is
// not there falls back to the merge's first parent when HEAD is a merge
// with its parents, else to the whole tree: never to nothing.
func TestShallowDiffFallsBackToSomething(t *testing.T) {
	src, git := gitRepo(t)
	writeFiles(t, src, map[string]string{"README.md": "hello\n", "old.sh": leakyScript})
	git("add", ".")
	git("commit", "-q", "-m", "init")
	base := testkit.Git(t, src, "rev-parse", "HEAD")
	git("checkout", "-q", "-b", "feature")
	writeFiles(t, src, map[string]string{"new.sh": leakyScript})
	git("add", ".")
	git("commit", "-q", "-m", "feature")
	git("checkout", "-q", "main")
	writeFiles(t, src, map[string]string{"main.txt": "main moved on\n"})
	git("add", ".")
	git("commit", "-q", "-m", "main")
	git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")

	for _, tc := range []struct {
		depth string
		want  []string
		not   string
	}{
		// actions/checkout's default: the merge alone, parents absent.
		{"1", []string{"old.sh:2:26", "new.sh:2:26", "the whole tree was scanned"}, ""},
		// Parents present: the merge's changes against its first parent.
		{"2", []string{"new.sh:2:26", "against its first parent"}, "old.sh"},
	} {
		clone := filepath.Join(t.TempDir(), "clone")
		testkit.Git(t, src, "clone", "-q", "--depth", tc.depth, "file://"+src, clone)
		r := runCLI(t, clone, nil, "check", "--diff", base[:12]+"0000")
		if r.code != exitFindings {
			t.Fatalf("depth %s: exit %d\n%s%s", tc.depth, r.code, r.stdout, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("depth %s: output lacks %q\n%s", tc.depth, w, r.stdout)
			}
		}
		if tc.not != "" && strings.Contains(r.stdout, tc.not) {
			t.Errorf("depth %s: %s scanned\n%s", tc.depth, tc.not, r.stdout)
		}
	}
}

// TestRepositoryGitConfigRunsNothing: a scanned checkout whose
// .git/config names an fsmonitor, a clean filter and a textconv driver:
// no scan mode runs any of them.
func TestRepositoryGitConfigRunsNothing(t *testing.T) {
	dir, git := gitRepo(t)
	marker := filepath.Join(t.TempDir(), "ran")
	writeFiles(t, dir, map[string]string{"a.sh": "echo hi\n", ".gitattributes": "* filter=evil diff=evil\n"})
	git("add", ".")
	git("commit", "-q", "-m", "init")
	writeFiles(t, dir, map[string]string{"a.sh": "echo changed\n", "b.sh": "echo new\n"})
	git("add", "b.sh")
	for _, kv := range [][2]string{
		{"core.fsmonitor", "touch " + marker + "-fsmonitor; false"},
		{"filter.evil.clean", "touch " + marker + "-clean; cat"},
		{"filter.evil.smudge", "touch " + marker + "-smudge; cat"},
		{"diff.evil.textconv", "touch " + marker + "-textconv; cat"},
		{"core.pager", "touch " + marker + "-pager; cat"},
	} {
		git("config", kv[0], kv[1])
	}
	os.Chtimes(filepath.Join(dir, "a.sh"), time.Now().Add(time.Hour), time.Now().Add(time.Hour)) // stat-dirty: git must look
	for _, args := range [][]string{{"check", "."}, {"check", "--diff", "HEAD"}, {"check", "--staged"}, {"check", "--history"}} {
		r := runCLI(t, dir, nil, args...)
		if r.code == exitUsage {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if ran, _ := filepath.Glob(marker + "*"); len(ran) > 0 {
			t.Fatalf("%v ran a command the repository configures: %v", args, ran)
		}
	}
}

// TestConfigCannotChooseWhichSecretIsSent: a config that references an
// undocumented variable (another secret of the CI environment) gets a
// finding, and auth and check --live refuse it (exit 2) without sending a
// single request or printing the value.
func TestConfigCannotChooseWhichSecretIsSent(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	const secret = "AKIAexampleexampleEXAMPLEsecretvalue123"
	writeFiles(t, dir, map[string]string{"vantage.yaml": strings.ReplaceAll(apiConfig, "${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}", "${AWS_SECRET_ACCESS_KEY}")})
	env := append(apiEnv(s, apitest.ReadToken), "AWS_SECRET_ACCESS_KEY="+secret)
	r := runCLI(t, dir, env, "check", "--now", "2026-11-28", "vantage.yaml")
	if r.code != exitFindings || !strings.Contains(r.stdout, "references AWS_SECRET_ACCESS_KEY, which finfocus-vantage will not read") {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"auth", "--config", "vantage.yaml"}, {"check", "--live", "--fail-on", "none", "vantage.yaml"}, {"pull", "--skip-check", "--config", "vantage.yaml"}} {
		before := len(s.Requests())
		r := runCLI(t, dir, env, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--allow-env AWS_SECRET_ACCESS_KEY") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if n := len(s.Requests()) - before; n != 0 {
			t.Errorf("%v sent %d requests", args, n)
		}
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("%v printed the secret", args)
		}
	}
	// Allowed by the user, it resolves.
	r = runCLI(t, dir, env, "auth", "--config", "vantage.yaml", "--allow-env", "AWS_SECRET_ACCESS_KEY")
	if r.code == exitUsage {
		t.Fatalf("allowed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestTokenInAFileName: a token in a file's name is a finding, and the
// name is masked in every format and in the baseline.
func TestTokenInAFileName(t *testing.T) {
	dir := t.TempDir()
	name := "backup-" + tokenA + ".txt"
	writeFiles(t, dir, map[string]string{name: "nothing inside\n", "b/" + tokenB + "/x.env": "FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n"})
	for _, format := range []string{"text", "json", "sarif", "github", "junit", "checkstyle"} {
		r := runCLI(t, dir, nil, "check", "--format", format, ".") // runCLI fails the test on any full token
		if r.code != exitFindings || !strings.Contains(r.stdout, "leaked-token") {
			t.Errorf("%s: exit %d\n%s%s", format, r.code, r.stdout, r.stderr)
		}
	}
	r := runCLI(t, dir, nil, "check", ".")
	if !strings.Contains(r.stdout, "in this file's name") {
		t.Errorf("no finding on the name:\n%s", r.stdout)
	}
	r = runCLI(t, dir, nil, "baseline", ".")
	if r.code != exitOK {
		t.Errorf("baseline: exit %d\n%s", r.code, r.stderr)
	}
}

// TestDeepTerraformIsAFindingNotACrash: 60,000 levels of nesting in a
// Terraform file that mentions Vantage overflowed the parser's stack and
// killed the process; now the file gets a finding and the scan goes on.
func TestDeepTerraformIsAFindingNotACrash(t *testing.T) {
	dir := t.TempDir()
	deep := "# vantage\nlocals {\n  x = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n}\n"
	writeFiles(t, dir, map[string]string{"deep.tf": deep, "deep.tf.json": `{"vantage": ` + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "}", "ok.env": "FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n"})
	r := runCLI(t, dir, nil, "check", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "nesting deeper than 256 levels") || !strings.Contains(r.stdout, "ok.env:1:24") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestNamesCannotInjectWorkflowCommandsOrEscapes: a file name with a
// newline and a workflow command, and content with terminal escapes,
// print on one line each, escaped, in the text and github formats and in
// the notes on stderr.
func TestNamesCannotInjectWorkflowCommandsOrEscapes(t *testing.T) {
	dir := t.TempDir()
	evil := "a\n::error file=x::injected\n::set-output name=errors::0\n.env"
	if err := os.WriteFile(filepath.Join(dir, evil), []byte("FINFOCUS_VANTAGE_TOKEN="+tokenA+"\n# \x1b]0;owned\x07 \x1b[2J\n"), 0o644); err != nil {
		t.Skip(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b\n::warning::x\x1b[31m.yaml"), []byte{0xff, 0}, 0o000); err != nil {
		t.Skip(err)
	}
	for _, format := range []string{"text", "github"} {
		r := runCLI(t, dir, nil, "check", "--format", format, ".")
		for _, out := range []string{r.stdout, r.stderr} {
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "::set-output") || strings.HasPrefix(line, "::error file=x") || strings.HasPrefix(line, "::warning::x") {
					t.Errorf("%s: an injected workflow command: %q", format, line)
				}
				if strings.ContainsAny(line, "\x1b\x07") {
					t.Errorf("%s: a terminal escape reached the output: %q", format, line)
				}
			}
		}
	}
}

// TestNULDoesNotHideAToken: a NUL at the start of an otherwise text file
// made it "binary" and hid the token behind it; binary files are still
// searched for tokens.
func TestNULDoesNotHideAToken(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"x.env": "\x00FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n"})
	r := runCLI(t, dir, nil, "check", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "[leaked-token]") || !strings.Contains(r.stdout, "1 binary") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestUnlistablePathsAreReported: a path too long for the system, below a
// walked folder, is reported instead of skipped in silence.
func TestUnlistablePathsAreReported(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	for i := 0; i < 24; i++ { // 24 × 201 bytes: past PATH_MAX (4096)
		name := strings.Repeat("d", 200)
		if err := os.Mkdir(name, 0o755); err != nil {
			t.Skip(err)
		}
		if err := os.Chdir(name); err != nil {
			t.Skip(err)
		}
	}
	if err := os.WriteFile("x.env", []byte("FINFOCUS_VANTAGE_TOKEN="+tokenA+"\n"), 0o644); err != nil {
		t.Skip(err)
	}
	r := runCLI(t, base, nil, "check", ".")
	if !strings.Contains(r.stdout, "note: could not read") || !strings.Contains(r.stdout, "file name too long") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestAFileOfTokensIsBounded: a file made of 30,000 tokens reports 500
// and counts the rest in one finding (150,000 tokens in 8.9 MB took 500 s
// and 220 MB: gitleaks and the locator both scanned the whole text per
// token).
func TestAFileOfTokensIsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 30000; i++ {
		sum := sha1.Sum([]byte(strconv.Itoa(i)))
		fmt.Fprintf(&b, "k%d = vntg_tkn_%x\n", i, sum)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"dump.txt": b.String()})
	r := runCLI(t, dir, nil, "check", "--format", "json", ".")
	if r.code != exitFindings || strings.Count(r.stdout, `"rule": "leaked-token"`) != 501 || !strings.Contains(r.stdout, "and 29500 more findings of leaked-token") {
		t.Fatalf("exit %d, %d findings\n%.2000s", r.code, strings.Count(r.stdout, `"rule"`), r.stdout)
	}
}

// TestLargeFileTokenFoundByDefault: a 30 MB text file with a token at the
// end is found with no flags (files over 10 MiB used to be skipped: "no
// problems"); it is read in bounded windows.
func TestLargeFileTokenFoundByDefault(t *testing.T) {
	dir := t.TempDir()
	line := strings.Repeat("log line without secrets ", 4) + "\n"
	body := strings.Repeat(line, 30<<20/len(line)) + "FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n"
	writeFiles(t, dir, map[string]string{"big.log": body})
	r := runCLI(t, dir, nil, "check", ".")
	if r.code != exitFindings || !strings.Contains(r.stdout, "[leaked-token]") {
		t.Fatalf("exit %d\n%.3000s", r.code, r.stdout)
	}
}

// TestServerTextIsScrubbed: a /me answer of 200 whose description holds
// the token sent, in any spelling, is printed by auth with the token
// masked, in text and JSON (it was printed whole, exit 0).
func TestServerTextIsScrubbed(t *testing.T) {
	tok := apitest.ReadToken
	body := strings.TrimPrefix(tok, "vntg_tkn_")
	var grouped strings.Builder
	for i := 0; i < len(body); i += 4 {
		if i > 0 {
			grouped.WriteByte('-')
		}
		grouped.WriteString(body[i:min(i+4, len(body))])
	}
	rev := []byte(tok)
	slices.Reverse(rev)
	spellings := map[string]string{
		"verbatim":  tok,
		"upper hex": "vntg_tkn_" + strings.ToUpper(body),
		"base64":    base64.StdEncoding.EncodeToString([]byte(tok)),
		"base64url": base64.RawURLEncoding.EncodeToString([]byte(tok)),
		"base32":    base32.StdEncoding.EncodeToString([]byte(tok)),
		"grouped":   grouped.String(),
		"reversed":  string(rev),
	}
	for name, sp := range spellings {
		for _, format := range []string{"text", "json"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				s := fakeAPI(t)
				s.Inject(apitest.Fault{Rewrite: func(b []byte) []byte {
					return bytes.ReplaceAll(b, []byte("finops-ci reader"), []byte("copy of "+sp+" for ci"))
				}})
				dir := t.TempDir()
				writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
				r := runCLI(t, dir, apiEnv(s, tok), "auth", "--config", "vantage.yaml", "--format", format)
				out := r.stdout + r.stderr
				if !strings.Contains(out, "copy of") {
					t.Fatalf("the description was not printed, so this proves nothing (exit %d):\n%s", r.code, out)
				}
				if strings.Contains(out, strings.TrimRight(sp, "=")) || strings.Contains(out, body) {
					t.Errorf("auth printed the token (%s):\n%s", name, out)
				}
			})
		}
	}
}
