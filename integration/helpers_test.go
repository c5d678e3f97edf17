package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rshade/finfocus-vantage/internal/testkit"
)

// Made-up tokens and configs shared with the command's tests.
const (
	tokenA      = testkit.TokenA
	cleanConfig = testkit.CleanConfig
	leakyConfig = testkit.LeakyConfig
)

// git runs git in dir with a fixed identity; write writes files into dir.
var (
	git   = testkit.Git
	write = testkit.WriteFiles
)

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
