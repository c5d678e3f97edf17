package auth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/auth"
	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

const config = testkit.APIConfig

func load(t *testing.T) *auth.Config {
	t.Helper()
	p := filepath.Join(t.TempDir(), "vantage.yaml")
	if err := os.WriteFile(p, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := auth.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func options(base, token string) auth.Options {
	env := map[string]string{"FINFOCUS_VANTAGE_TOKEN": token, "FINFOCUS_VANTAGE_COST_REPORT_TOKEN": apitest.ReportToken}
	return auth.Options{
		BaseURL: base,
		Env:     func(n string) (string, bool) { v, ok := env[n]; return v, ok },
		Now:     time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC),
	}
}

// TestCheckVerdicts runs the live check without the command line: a
// known token is verified with its report, an unknown one is invalid
// with an auth-rejected finding on credentials.token, an unreachable API
// is unknown, and a token that cannot be resolved is the user's error.
func TestCheckVerdicts(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	cfg := load(t)
	ctx := context.Background()

	out, err := auth.Check(ctx, cfg, options(s.URL, apitest.ReadToken))
	if err != nil || out.Verdict != auth.Verified || out.Report == nil || len(out.Findings) != 0 {
		t.Fatalf("read token: %+v, %v", out, err)
	}
	if h := out.Header(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)); !strings.HasPrefix(h, "verified: ") || !strings.Contains(h, "Engineering") {
		t.Errorf("header %q", h)
	}

	out, err = auth.Check(ctx, cfg, options(s.URL, "vntg_tkn_7d1e9c3b5a2f4e6d8c0b1a9f3e5d7c2b4a6f8e1d"))
	if err != nil || out.Verdict != auth.Invalid || len(out.Findings) != 1 || out.Findings[0].RuleID != "auth-rejected" || out.Findings[0].Line != 5 {
		t.Fatalf("unknown token: %+v, %v", out, err)
	}

	s.Close()
	out, err = auth.Check(ctx, cfg, options(s.URL, apitest.ReadToken))
	if err != nil || out.Verdict != auth.Unknown || out.Err == nil || len(out.Findings) != 1 || out.Findings[0].RuleID != "auth-unverified" {
		t.Fatalf("closed server: an unknown verdict must be a finding too, so every format shows it: %+v, %v", out, err)
	}

	o := options(s.URL, "")
	o.Env = func(string) (string, bool) { return "", false }
	var ie *auth.InputError
	if _, err := auth.Check(ctx, cfg, o); !errors.As(err, &ie) {
		t.Fatalf("unset token: %v, want an *auth.InputError", err)
	}
}

// TestCheckAllTakesTheWorstVerdict: one rejected config makes the whole
// live check invalid, and each config gets a note.
func TestCheckAllTakesTheWorstVerdict(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	live, err := auth.CheckAll(context.Background(), []*auth.Config{load(t)}, options(s.URL, "vntg_tkn_7d1e9c3b5a2f4e6d8c0b1a9f3e5d7c2b4a6f8e1d"))
	if err != nil || live.Worst != auth.Invalid || len(live.Notes) != 1 || live.Verdicts[0]["verdict"] != "invalid" {
		t.Fatalf("%+v, %v", live, err)
	}
}
