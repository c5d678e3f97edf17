package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHook installs the hook from this repository with the real
// pre-commit, at the commit under test, and checks that a commit adding a
// config with a hardcoded token is refused with the finding shown, and a
// clean commit goes through.
func TestPreCommitHook(t *testing.T) {
	repo, run := preCommitRepo(t, "")
	write(t, repo, map[string]string{"deploy/vantage.yaml": leakyConfig})
	git(t, repo, "add", "deploy/vantage.yaml")
	out, err := run("git", "commit", "-m", "add vantage config")
	if err == nil {
		t.Fatalf("the commit with a hardcoded token went through:\n%s", out)
	}
	if !strings.Contains(out, "deploy/vantage.yaml:5:10: error:") || !strings.Contains(out, "[hardcoded-token]") {
		t.Fatalf("the refusal does not show the finding:\n%s", out)
	}
	if strings.Contains(out, tokenA) {
		t.Fatalf("pre-commit output leaks the token:\n%s", out)
	}

	// pre-commit run --files checks exactly the files named.
	write(t, repo, map[string]string{"notes.txt": "nothing here\n"})
	git(t, repo, "add", "notes.txt")
	if out, err := run("pre-commit", "run", "finfocus-vantage", "--files", "notes.txt"); err != nil {
		t.Fatalf("run --files on a clean file: %v\n%s", err, out)
	}

	write(t, repo, map[string]string{"deploy/vantage.yaml": cleanConfig})
	git(t, repo, "add", "deploy/vantage.yaml")
	if out, err := run("git", "commit", "-m", "add vantage config"); err != nil {
		t.Fatalf("the clean commit was refused: %v\n%s", err, out)
	}
}

// TestPreCommitFileNamesAreNeverOptions commits files named like options
// beside a leaky config, with and without the user's own args: the hook
// still refuses the commit, and --output=README.md writes nothing.
func TestPreCommitFileNamesAreNeverOptions(t *testing.T) {
	for _, args := range []string{"", "        args: [--fail-on=warning, --format, text]\n"} {
		t.Run(strings.TrimSpace(args), func(t *testing.T) {
			repo, run := preCommitRepo(t, args)
			write(t, repo, map[string]string{"README.md": "# the project\n"})
			git(t, repo, "add", "README.md")
			if out, err := run("git", "commit", "-m", "readme"); err != nil {
				t.Fatalf("clean commit: %v\n%s", err, out)
			}
			write(t, repo, map[string]string{"deploy/vantage.yaml": leakyConfig, "--fail-on=none": "", "--output=README.md": "", "-o=x": ""})
			git(t, repo, "add", "--", "deploy/vantage.yaml", "--fail-on=none", "--output=README.md", "-o=x")
			out, err := run("git", "commit", "-m", "leak behind flag-named files")
			if err == nil {
				t.Fatalf("files named like options let a hardcoded token through:\n%s", out)
			}
			if !strings.Contains(out, "[hardcoded-token]") {
				t.Fatalf("the refusal does not show the finding:\n%s", out)
			}
			if b, _ := os.ReadFile(filepath.Join(repo, "README.md")); string(b) != "# the project\n" {
				t.Fatalf("README.md was overwritten: %q", b)
			}
		})
	}
}

// preCommitRepo makes a repository with the hook from this repository at
// the commit under test installed by the real pre-commit, with args (a
// YAML line) added to the hook, and a runner for commands in it.
func preCommitRepo(t *testing.T, args string) (string, func(name string, args ...string) (string, error)) {
	t.Helper()
	preCommit := need(t, "pre-commit")
	root := repoRoot(t)
	rev := git(t, root, "rev-parse", "HEAD")
	if out, err := exec.Command("git", "-C", root, "cat-file", "-e", rev+":.pre-commit-hooks.yaml").CombinedOutput(); err != nil {
		t.Skipf("the commit under test has no .pre-commit-hooks.yaml yet: %s", out)
	}
	repo := t.TempDir()
	git(t, repo, "init", "-q", "-b", "main")
	write(t, repo, map[string]string{".pre-commit-config.yaml": "repos:\n  - repo: " + root + "\n    rev: " + rev + "\n    hooks:\n      - id: finfocus-vantage\n" + args})
	gomodcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit"),
		"GOMODCACHE="+strings.TrimSpace(string(gomodcache)), // reuse downloaded modules
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	run := func(name string, args ...string) (string, error) {
		if name == "pre-commit" {
			name = preCommit
		}
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(preCommit, "install"); err != nil {
		t.Fatalf("pre-commit install: %v\n%s", err, out)
	}
	git(t, repo, "add", ".pre-commit-config.yaml")
	return repo, run
}
