package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Made-up tokens that look real.
const tokenA = "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d"

// repoRoot is the root of this repository.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// need returns the path of a tool, skipping the test when it is missing,
// or failing when FINFOCUS_VANTAGE_INTEGRATION=1 says it must be there.
func need(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("FINFOCUS_VANTAGE_INTEGRATION") == "1" {
			t.Fatalf("%s is not installed, and FINFOCUS_VANTAGE_INTEGRATION=1 requires it", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
	return p
}

// git runs git in dir with a fixed identity.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const leakyConfig = `version: 0.1
source: vantage
environment: production
credentials:
  token: ` + tokenA + `
  rotated_at: 2026-10-15
params:
  cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}
`

const cleanConfig = `version: 0.1
source: vantage
environment: staging
credentials:
  token: ${FINFOCUS_VANTAGE_TOKEN}
params:
  cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}
`
