// Package testkit holds the helpers the command's tests and the
// integration tests share: made-up tokens that look real, sample configs,
// files written into a temporary tree, and git run with a fixed identity.
// Only tests import it.
package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Made-up API tokens in the real format. They were never issued.
const (
	TokenA = "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d"
	TokenB = "vntg_tkn_8b2e4d6f0a1c3e5b7d9f1b3d5f7a9c0e2b4d6f81"
)

// ReportID is a made-up cost report identifier (not a secret).
const ReportID = "rprt_3f9a1c2b7d4e6f80"

// LeakyConfig is a production config with TokenA written into it.
const LeakyConfig = `version: 0.1
source: vantage
environment: production
credentials:
  token: ` + TokenA + `
  rotated_at: 2026-10-15
params:
  cost_report_token: ` + ReportID + `
  granularity: day
`

// CleanConfig is a staging config that both the plugin and
// finfocus-vantage load without a finding: the token from
// PULUMICOST_VANTAGE_TOKEN, the report identifier written out.
const CleanConfig = `version: 0.1
source: vantage
environment: staging
credentials:
  token: ${PULUMICOST_VANTAGE_TOKEN}
  rotated_at: 2026-10-15
params:
  cost_report_token: ` + ReportID + `
  granularity: day
`

// APIConfig is a staging config for tests against the fake API: token and
// report from the environment, one retry, October 2026 by day.
const APIConfig = `version: 0.1
source: vantage
environment: staging
credentials:
  token: ${FINFOCUS_VANTAGE_TOKEN}
  rotated_at: 2026-10-15
params:
  cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}
  granularity: day
  start_date: "2026-10-01"
  end_date: "2026-10-31"
  page_size: 1000
  max_retries: 1
`

// WriteFiles writes files (slash-separated names relative to dir).
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Git runs git in dir with a fixed identity and dates, failing the test
// when it fails, and returns its trimmed output.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// GitRepo makes a repository with branch main in a temporary folder,
// skipping the test when git is not installed.
func GitRepo(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	Git(t, dir, "init", "-q", "-b", "main")
	return dir
}

// InitRepo makes dir a repository with branch main, skipping the test when
// git is not installed.
func InitRepo(t testing.TB, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	Git(t, dir, "init", "-q", "-b", "main")
}
