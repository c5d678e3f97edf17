package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/internal/testkit"
)

// gitRepo makes a repository in a temporary folder with a committer set.
func gitRepo(t *testing.T) (dir string, run func(args ...string)) {
	t.Helper()
	dir = testkit.GitRepo(t)
	return dir, func(args ...string) { t.Helper(); testkit.Git(t, dir, args...) }
}

const leakyScript = "#!/bin/sh\nexport VANTAGE_API_TOKEN=" + tokenA + "\n"

func TestStaged(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{"deploy.sh": "#!/bin/sh\necho hi\n"})
	git("add", ".")
	git("commit", "-q", "-m", "init")
	// The work tree has the token; the index does not: --staged checks the index.
	writeFiles(t, dir, map[string]string{"deploy.sh": leakyScript})
	r := runCLI(t, dir, nil, "check", "--staged")
	if r.code != exitOK || !strings.Contains(r.stdout, "0 files scanned") {
		t.Fatalf("unstaged change was scanned: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	git("add", "deploy.sh")
	writeFiles(t, dir, map[string]string{"deploy.sh": "#!/bin/sh\necho fixed in the work tree only\n"})
	r = runCLI(t, dir, nil, "check", "--staged", "deploy.sh")
	if r.code != exitFindings || !strings.Contains(r.stdout, "deploy.sh:2:26: error: a Vantage API token") {
		t.Fatalf("staged token missed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestDiff(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{"old.sh": leakyScript, "README.md": "hello\n"})
	git("add", ".")
	git("commit", "-q", "-m", "init")
	git("tag", "base")
	writeFiles(t, dir, map[string]string{"new.sh": leakyScript, "README.md": "changed\n"})
	r := runCLI(t, dir, nil, "check", "--diff", "base")
	if r.code != exitFindings || strings.Contains(r.stdout, "old.sh") || !strings.Contains(r.stdout, "new.sh:2:26") || !strings.Contains(r.stdout, "2 files scanned") {
		t.Fatalf("--diff: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A base a full clone does not have is a typo or a failed fetch: an
	// error, never a clean diff of nothing.
	r = runCLI(t, dir, nil, "check", "--diff", "origin/main")
	if r.code != exitUsage || !strings.Contains(r.stderr, `unknown revision "origin/main"`) {
		t.Fatalf("unknown revision: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestHistory(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{"deploy.sh": leakyScript})
	git("add", ".")
	git("commit", "-q", "-m", "add deploy")
	writeFiles(t, dir, map[string]string{"deploy.sh": "#!/bin/sh\nexport VANTAGE_API_TOKEN=\"$(vault read -field=token finops/vantage)\"\n"})
	git("commit", "-q", "-am", "remove token")
	// The work tree is clean; only history still has the token.
	r := runCLI(t, dir, nil, "check")
	if r.code != exitOK {
		t.Fatalf("work tree: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, dir, nil, "check", "--history")
	if r.code != exitFindings || !strings.Contains(r.stdout, "deploy.sh:2:26: error: a Vantage API token (vntg_tkn_…6c8d) was committed in ") ||
		!strings.Contains(r.stdout, "(2026-01-02)") || !strings.Contains(r.stdout, "[token-in-history]") {
		t.Fatalf("--history: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The commit and its author date are fields, in JSON and in SARIF, as
	// gitleaks and trufflehog give them.
	first := strings.TrimSpace(testkit.Git(t, dir, "rev-list", "--max-parents=0", "HEAD"))
	r = runCLI(t, dir, nil, "check", "--history", "--format", "json")
	var rep struct {
		Findings []struct {
			Rule       string `json:"rule"`
			Commit     string `json:"commit"`
			AuthorDate string `json:"author_date"`
			HelpURI    string `json:"help_uri"`
		} `json:"findings"`
	}
	json.Unmarshal([]byte(r.stdout), &rep)
	if len(rep.Findings) == 0 {
		t.Fatalf("json: %s", r.stdout)
	}
	if f := rep.Findings[0]; f.Rule != "token-in-history" || f.Commit != first || f.AuthorDate != "2026-01-02" {
		t.Fatalf("json finding %+v, want commit %s and author_date 2026-01-02\n%s", f, first, r.stdout)
	}
	r = runCLI(t, dir, nil, "check", "--history", "--format", "sarif")
	if !strings.Contains(r.stdout, `"commit": "`+first+`"`) || !strings.Contains(r.stdout, `"authorDate": "2026-01-02"`) {
		t.Fatalf("sarif properties:\n%s", r.stdout)
	}
	// A range that excludes the commit that added it finds nothing.
	r = runCLI(t, dir, nil, "check", "--history-range", "HEAD~1..HEAD")
	if r.code != exitOK {
		t.Fatalf("--history-range: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, t.TempDir(), nil, "check", "--history")
	if r.code != exitUsage || !strings.Contains(r.stderr, "need a git work tree") {
		t.Fatalf("outside git: exit %d %s", r.code, r.stderr)
	}
}

func TestWalkerEdgeCases(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"src/app.sh":     leakyScript,
		"bin/blob":       "\x00\x01binary" + tokenA,
		"big/dump.txt":   strings.Repeat("x", 2048) + tokenA,
		"weird/bad.txt":  "\xff\xfe invalid utf-8 then " + tokenB + "\n",
		"weird/crlf.env": "FINFOCUS_VANTAGE_BASE_URL=http://vantage.example.com/v2\r\n",
	})
	os.Symlink(filepath.Join(dir, "src"), filepath.Join(dir, "src", "loop"))
	os.Symlink("/etc/passwd", filepath.Join(dir, "outside"))
	r := runCLI(t, dir, nil, "check", "--max-file-size", "1KiB")
	if r.code != exitFindings {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"src/app.sh:2:26", "weird/bad.txt:1:", "weird/crlf.env:1:27: error: FINFOCUS_VANTAGE_BASE_URL is set to \"http://vantage.example.com/v2\"", "3 files scanned, 2 skipped (1 binary, 1 too large)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "passwd") || strings.Contains(r.stdout, "src/loop") || strings.Contains(r.stdout, "outside") {
		t.Errorf("followed a symlink:\n%s", r.stdout)
	}
}

func TestAllSecrets(t *testing.T) {
	dir := t.TempDir()
	// A made-up GitHub token: only gitleaks' default rules know its shape.
	writeFiles(t, dir, map[string]string{"ci.sh": "export GH_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6\n"})
	if r := runCLI(t, dir, nil, "check"); r.code != exitOK {
		t.Fatalf("Vantage-only run reported: %s", r.stdout)
	}
	r := runCLI(t, dir, nil, "check", "--all-secrets")
	if r.code != exitFindings || !strings.Contains(r.stdout, "a secret matching gitleaks rule ") || strings.Contains(r.stdout, "ghp_R4nd0m") {
		t.Fatalf("--all-secrets: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestConfigNotIgnoredInRepo(t *testing.T) {
	dir, _ := gitRepo(t)
	writeFiles(t, dir, map[string]string{".env": "FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n"})
	r := runCLI(t, dir, nil, "check")
	if r.code != exitFindings || !strings.Contains(r.stdout, "add the line .env* to .gitignore") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	writeFiles(t, dir, map[string]string{".gitignore": ".env\n"})
	// Ignored: not walked at all; named explicitly, scanned but not "not ignored".
	if r := runCLI(t, dir, nil, "check"); r.code != exitOK {
		t.Fatalf("ignored .env was reported:\n%s", r.stdout)
	}
	r = runCLI(t, dir, nil, "check", ".env")
	if r.code != exitFindings || strings.Contains(r.stdout, "config-not-ignored") || !strings.Contains(r.stdout, "[leaked-token]") {
		t.Fatalf("explicit ignored file: exit %d\n%s", r.code, r.stdout)
	}
}

// runGit runs git in dir.
func runGit(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

func TestEndpointPasswordIsNotPrinted(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ci.env": "FINFOCUS_VANTAGE_BASE_URL=http://ci:hunter2-s3cret@proxy.example.com/v2\n"})
	for _, format := range []string{"text", "json", "sarif", "github"} {
		r := runCLI(t, dir, nil, "check", "--format", format)
		if r.code != exitFindings || !strings.Contains(r.stdout, "insecure-endpoint") || strings.Contains(r.stdout, "hunter2") {
			t.Errorf("%s: exit %d\n%s", format, r.code, r.stdout)
		}
	}
}

// TestScannedFromAnotherDirectory: git is asked about the repository that
// holds each path, not the current directory: from outside it, the same
// findings (config-not-ignored included) and --history work.
func TestScannedFromAnotherDirectory(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{".env": "FINFOCUS_VANTAGE_TOKEN=" + tokenA + "\n", "deploy.sh": leakyScript})
	git("add", "deploy.sh")
	git("commit", "-q", "-m", "leak")
	inside := runCLI(t, dir, nil, "check", "--format", "json", ".")
	outside := runCLI(t, t.TempDir(), nil, "check", "--format", "json", dir)
	count := func(s string) int { return strings.Count(s, `"rule":`) }
	if !strings.Contains(inside.stdout, "config-not-ignored") || !strings.Contains(outside.stdout, "config-not-ignored") || count(inside.stdout) != count(outside.stdout) {
		t.Fatalf("inside %d findings, outside %d:\n%s\n%s", count(inside.stdout), count(outside.stdout), inside.stdout, outside.stdout)
	}
	r := runCLI(t, t.TempDir(), nil, "check", "--history", dir)
	if r.code != exitFindings || !strings.Contains(r.stdout, "[token-in-history]") {
		t.Fatalf("--history from outside: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestFailingHistoryIsIncomplete: when git fails part way (an object
// it cannot read), the history scan is incomplete: exit 5, never 0.
func TestFailingHistoryIsIncomplete(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{"deploy.sh": leakyScript})
	git("add", ".")
	git("commit", "-q", "-m", "leak")
	writeFiles(t, dir, map[string]string{"deploy.sh": "#!/bin/sh\necho fixed\n"})
	git("commit", "-q", "-am", "fix")
	blob := testkit.Git(t, dir, "rev-parse", "HEAD~1:deploy.sh")
	if err := os.Remove(filepath.Join(dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Skip(err)
	}
	r := runCLI(t, dir, nil, "check", "--history", "--format", "json")
	if r.code != exitIncomplete || !strings.Contains(r.stderr, "could not be read to the end") || !strings.Contains(r.stdout, `"incomplete": true`) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestTwoRepositoriesInOneRun: each path's git questions go to the
// repository holding it, from a directory outside both.
func TestTwoRepositoriesInOneRun(t *testing.T) {
	var repos []string
	for _, tok := range []string{tokenA, tokenB} {
		repo := testkit.GitRepo(t)
		writeFiles(t, repo, map[string]string{"v.yaml": strings.Replace(leakyConfig, tokenA, tok, 1)})
		testkit.Git(t, repo, "add", "v.yaml")
		testkit.Git(t, repo, "commit", "-qm", "leak")
		testkit.Git(t, repo, "rm", "-q", "v.yaml")
		testkit.Git(t, repo, "commit", "-qm", "remove")
		writeFiles(t, repo, map[string]string{"staged.yaml": strings.Replace(leakyConfig, tokenA, tok, 1)})
		testkit.Git(t, repo, "add", "staged.yaml")
		repos = append(repos, repo)
	}
	elsewhere := t.TempDir()
	for _, mode := range [][]string{{"--history", "--only", "token-in-history"}, {"--staged", "--only", "hardcoded-token"}, {"--diff", "HEAD~1", "--only", "hardcoded-token"}} {
		args := append(append([]string{"check", "--format", "json"}, mode...), repos...)
		r := runCLI(t, elsewhere, nil, args...)
		var rep struct{ Findings []struct{ File string } }
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%v: exit %d: %v\n%s", mode, r.code, err, r.stderr)
		}
		for _, repo := range repos {
			found := false
			for _, f := range rep.Findings {
				found = found || strings.HasPrefix(f.File, repo) || strings.HasPrefix(filepath.Join(elsewhere, f.File), repo)
			}
			if !found {
				t.Errorf("%v: nothing found in %s: %+v\n%s", mode, repo, rep.Findings, r.stderr)
			}
		}
	}
}

// TestAllSecretsFollowsGitleaks: --all-secrets gives gitleaks' rules the
// file's path (its path allowlists apply: a go.sum hash is not a key),
// never reports Vantage identifiers, and honours the repository's
// .gitleaksignore and .gitleaks.toml for gitleaks' rules, never for the
// Vantage rules, saying so in the summary.
func TestAllSecretsFollowsGitleaks(t *testing.T) {
	const ghToken = "ghp_R4nd0mL00k1ngT0k3nV4lu3Xy2Zw9Qk8Lm7Pn6"
	repo := testkit.GitRepo(t)
	writeFiles(t, repo, map[string]string{
		"go.sum":           "github.com/x/y v1.0.0 h1:Qw2r8KjPZ7mVbN4xLs9tYc6uF3eH1aGdJ0kRwS5oTiE=\n",
		"ids.json":         `{"token": "rsrc_accss_grnt_c40f15062b6d5c37", "resource_token": "rprt_5a269d316483b01c", "api_key": "bsnss_mtrc_ab12345cde67fg8"}` + "\n",
		"scripts/ci.sh":    "export GH_TOKEN=" + ghToken + "\n",
		"scripts/other.sh": "export GH_TOKEN=" + ghToken + "\n",
		"deploy/leak.sh":   "export VANTAGE_API_TOKEN=" + tokenA + "\n",
	})
	testkit.Git(t, repo, "add", "-A")
	type report struct {
		Findings []struct{ Rule, File, Message string }
		Summary  struct{ Applied []string }
	}
	run := func() report {
		t.Helper()
		r := runCLI(t, repo, nil, "check", "--all-secrets", "--format", "json")
		var rep report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
		}
		return rep
	}
	files := func(rep report) map[string]bool {
		out := map[string]bool{}
		for _, f := range rep.Findings {
			out[f.File] = true
		}
		return out
	}
	got := files(run())
	// As gitleaks 8.30.1 reports them: not the go.sum hash (its path
	// allowlist), but the identifiers, which its generic-api-key rule
	// reports (this project's judgement is for the Vantage rules only).
	if got["go.sum"] || !got["ids.json"] {
		t.Errorf("want what gitleaks reports: ids.json, not go.sum: %v", got)
	}
	if !got["scripts/ci.sh"] || !got["scripts/other.sh"] || !got["deploy/leak.sh"] {
		t.Errorf("want the GitHub token twice and the Vantage token: %v", got)
	}
	// The repository silences everything it can: a path allowlist for
	// every file, and an ignore entry for one finding.
	writeFiles(t, repo, map[string]string{
		".gitleaks.toml": "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''^scripts/other\\.sh$''', '''^deploy/''']\n",
		// gitleaks 8.30.1 reports this line twice (github-pat and
		// generic-api-key): its ignore file must name both.
		".gitleaksignore": "scripts/ci.sh:github-pat:1\nscripts/ci.sh:generic-api-key:1\n",
	})
	rep := run()
	got = files(rep)
	if got["scripts/ci.sh"] || got["scripts/other.sh"] {
		t.Errorf(".gitleaksignore or .gitleaks.toml not applied to gitleaks' rules: %v", got)
	}
	if !got["deploy/leak.sh"] {
		t.Errorf("the repository's .gitleaks.toml silenced a Vantage token: %v", got)
	}
	if len(rep.Summary.Applied) != 2 {
		t.Errorf("summary applied = %q, want both files named", rep.Summary.Applied)
	}
	// A configuration that reads outside the tree is refused, not followed.
	writeFiles(t, repo, map[string]string{".gitleaks.toml": "[extend]\npath = \"/etc/hostname\"\n"})
	r := runCLI(t, repo, nil, "check", "--all-secrets")
	if r.code == exitOK || !strings.Contains(r.stderr, "[extend] path and url are not followed") {
		t.Errorf("extend.path: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
