//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// TestPullSurvivesKill starts pull as a real process writing to a file,
// kills it mid-pull (SIGKILL, then SIGINT), and checks that the previous
// file is intact and nothing is left that a next run could mistake for
// output. SIGINT must end with exit 130.
func TestPullSurvivesKill(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "finfocus-vantage")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			s := apitest.NewServer()
			defer s.Close()
			s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 40000})
			s.PageDelay = 150 * time.Millisecond
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
			out := filepath.Join(dir, "costs.jsonl")
			os.WriteFile(out, []byte("previous pull\n"), 0o644)
			cmd := exec.Command(bin, "pull", "--config", "vantage.yaml", "--output", out, "--now", "2026-11-28")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), apiEnv(s, apitest.ReadToken)...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(20 * time.Second)
			for pages := 0; pages < 3; { // within the first 5-second window: auth takes 2 requests
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("the pull did not get going:\n%s", stderr.String())
				}
				pages = 0
				for _, r := range s.Requests() {
					if r.Path == "/v2/costs" {
						pages++
					}
				}
				time.Sleep(20 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			code := cmd.ProcessState.ExitCode()
			if sig == syscall.SIGINT && code != exitInterrupted {
				t.Errorf("SIGINT: exit %d (%v), want %d\n%s", code, err, exitInterrupted, stderr.String())
			}
			if b, _ := os.ReadFile(out); string(b) != "previous pull\n" {
				t.Errorf("the previous output was changed: %.80q", b)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if len(names) != 2 {
				t.Errorf("left behind: %v", names)
			}
			noSecrets(t, stderr.String())
		})
	}
}
