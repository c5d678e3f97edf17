package scan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/scan"
)

func noEnv(string) (string, bool) { return "", false }

// TestPrepareAndRun scans a tree without the command line: the leaky
// config is found as a config, its token reported at its position.
func TestPrepareAndRun(t *testing.T) {
	dir := t.TempDir()
	testkit.WriteFiles(t, dir, map[string]string{"deploy/vantage.yaml": testkit.LeakyConfig, "README.md": "nothing\n"})
	t.Chdir(dir)
	plan, err := scan.Prepare(context.Background(), scan.Options{Env: noEnv, Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Scanned != 2 || len(res.Configs) != 1 || res.Configs[0].Name != "deploy/vantage.yaml" {
		t.Fatalf("stats %+v, configs %d", res.Stats, len(res.Configs))
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.String())
	}
	// Under the default (released) plugin the file also gets the notice that
	// the plugin reads no config file; it sorts first, at 1:1.
	wants := []string{
		`deploy/vantage.yaml:1:1: notice: plugin v0.1.1 reads no config file`,
		`deploy/vantage.yaml:5:10: error: "credentials.token" holds a literal Vantage API token`,
	}
	if len(got) != len(wants) {
		t.Fatalf("findings:\n%s\nwant %d", strings.Join(got, "\n"), len(wants))
	}
	for i, want := range wants {
		if !strings.HasPrefix(got[i], want) {
			t.Fatalf("findings:\n%s\nwant [%d] %q", strings.Join(got, "\n"), i, want)
		}
	}
	for _, g := range got {
		if strings.Contains(g, testkit.TokenA) {
			t.Fatalf("finding leaks the token: %s", g)
		}
	}
}

// TestPrepareRefusesBadInput: an unknown rule suggests the right one; an
// unknown environment and a missing file are errors before any scan.
func TestPrepareRefusesBadInput(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tc := range []struct {
		o    scan.Options
		want string
	}{
		{scan.Options{Only: []string{"hardcoded-tokn"}}, `unknown rule "hardcoded-tokn"; did you mean "hardcoded-token"?`},
		{scan.Options{Environment: "prod"}, `--environment "prod" is not one of`},
		{scan.Options{Paths: []string{"missing.yaml"}}, "missing.yaml"},
		{scan.Options{Staged: true, Diff: "main"}, "not both"},
		{scan.Options{Staged: true}, "not in one"},
	} {
		tc.o.Env = noEnv
		if _, err := scan.Prepare(context.Background(), tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}
