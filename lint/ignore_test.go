package lint

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestIgnoreCheckerAsksTheFilesWorkTree: the work tree is found from the
// file, whatever the current directory; a .git that git cannot read gives
// no answer (not "not ignored", which would report the file).
func TestIgnoreCheckerAsksTheFilesWorkTree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(repo, ".gitignore"), "secret.yaml\n")
	write(filepath.Join(repo, "deep", "secret.yaml"), "x\n")
	write(filepath.Join(repo, "deep", "open.yaml"), "x\n")
	broken := t.TempDir()
	write(filepath.Join(broken, ".git"), "not a git directory\n")
	write(filepath.Join(broken, "secret.yaml"), "x\n")

	c := &IgnoreChecker{Cwd: t.TempDir()} // elsewhere
	for _, tc := range []struct {
		path            string
		ignored, inRepo bool
	}{
		{filepath.Join(repo, "deep", "secret.yaml"), true, true},
		{filepath.Join(repo, "deep", "open.yaml"), false, true},
		{filepath.Join(broken, "secret.yaml"), false, false},
	} {
		ig, in := c.Ignored(tc.path)
		if ig != tc.ignored || in != tc.inRepo {
			t.Errorf("%s: ignored %v, in repo %v; want %v, %v", tc.path, ig, in, tc.ignored, tc.inRepo)
		}
	}
	if root, _ := c.Root(filepath.Join(repo, "deep", "open.yaml")); root != repo {
		t.Errorf("root %q, want %q", root, repo)
	}
}
