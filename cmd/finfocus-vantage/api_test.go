package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// apiConfig is the shared config for tests against the fake API.
const apiConfig = testkit.APIConfig

// apiEnv points the CLI at a fake with the given token.
func apiEnv(s *apitest.Server, token string) []string {
	return []string{"FINFOCUS_VANTAGE_BASE_URL=" + s.URL, "FINFOCUS_VANTAGE_TOKEN=" + token, "FINFOCUS_VANTAGE_COST_REPORT_TOKEN=" + apitest.ReportToken}
}

// noSecrets fails when output holds one of the fake's tokens.
func noSecrets(t *testing.T, texts ...string) {
	t.Helper()
	for _, text := range texts {
		for _, tok := range []string{apitest.ReadToken, apitest.WriteToken} {
			if strings.Contains(text, tok) {
				t.Fatalf("output leaks a token:\n%s", text)
			}
		}
	}
}

func TestAuthVerdicts(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})

	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "auth", "--config", "vantage.yaml", "--now", "2026-11-28")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, `verified: token "finops-ci reader" (scopes: read), created 2026-09-15 (74 days ago); cost report "Engineering (all providers)"`) {
		t.Fatalf("verified: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	last := s.Requests()[len(s.Requests())-1]
	if last.Path != "/v2/cost_reports/"+apitest.ReportToken || last.Authorization != "Bearer "+apitest.ReadToken {
		t.Errorf("report request %+v", last)
	}

	r = runCLI(t, dir, apiEnv(s, "vntg_tkn_7d1e9c3b5a2f4e6d8c0b1a9f3e5d7c2b4a6f8e1d"), "auth", "--config", "vantage.yaml", "--format", "json")
	var rep struct {
		Auth     map[string]any
		Findings []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	if r.code != exitAuth || rep.Auth["verdict"] != "invalid" || len(rep.Findings) != 1 || rep.Findings[0].Rule != "auth-rejected" || rep.Findings[0].File != "vantage.yaml" {
		t.Fatalf("invalid: exit %d\n%s", r.code, r.stdout)
	}
	noSecrets(t, r.stdout, r.stderr)

	s.FailNext(2, 503)
	r = runCLI(t, dir, apiEnv(s, apitest.ReadToken), "auth", "--config", "vantage.yaml")
	if r.code != exitAPI || !strings.HasPrefix(r.stdout, "unknown: the token could not be checked: ") {
		t.Fatalf("unknown: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A write-scoped token, no rotated_at: least privilege and age from created_at.
	writeFiles(t, dir, map[string]string{"prod.yaml": strings.Replace(strings.Replace(apiConfig, "  rotated_at: 2026-10-15\n", "", 1), "staging", "production", 1)})
	r = runCLI(t, dir, apiEnv(s, apitest.WriteToken), "auth", "--config", "prod.yaml", "--now", "2026-11-28")
	if r.code != exitFindings || !strings.Contains(r.stdout, "[token-write-scope]") || !strings.Contains(r.stdout, "token created 392 days ago (2025-11-01); production tokens") {
		t.Fatalf("write scope: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	noSecrets(t, r.stdout, r.stderr)

	// A report the token cannot find.
	env := apiEnv(s, apitest.ReadToken)
	env[2] = "FINFOCUS_VANTAGE_COST_REPORT_TOKEN=rprt_00000000deadbeef"
	r = runCLI(t, dir, env, "auth", "--config", "vantage.yaml")
	if r.code != exitFindings || !strings.Contains(r.stdout, "vantage.yaml:8:22: error: the cost report") || !strings.Contains(r.stdout, "[report-not-found]") {
		t.Fatalf("report not found: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestAuthRefusesInsecureBaseURL(t *testing.T) {
	r := runCLI(t, t.TempDir(), []string{"FINFOCUS_VANTAGE_TOKEN=" + apitest.ReadToken, "FINFOCUS_VANTAGE_BASE_URL=http://vantage.example.com/v2"}, "auth")
	if r.code != exitUsage || !strings.Contains(r.stderr, "would send the token unencrypted") {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	noSecrets(t, r.stdout, r.stderr)
}

func TestPullEndToEnd(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
	for _, format := range []string{"jsonl", "csv", "focus-csv", "focus-jsonl"} {
		out := filepath.Join(dir, "costs."+format)
		r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--format", format, "--output", out, "--now", "2026-11-28")
		if r.code != exitOK || !strings.Contains(r.stderr, "pulled 12000 rows in 12 pages (2026-10-01 … 2026-10-31)") || !strings.Contains(r.stderr, "reconciled with the API") {
			t.Fatalf("%s: exit %d\n%s", format, r.code, r.stderr)
		}
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Fatalf("%s: no output: %v", format, err)
		}
		noSecrets(t, r.stdout, r.stderr)
	}
	// The dates from flags override the config's.
	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--start-date", "2026-11-01", "--end-date", "2026-11-07")
	last := s.Requests()[len(s.Requests())-1]
	if r.code != exitOK || !strings.Contains(last.Query, "start_date=2026-11-01") || !strings.Contains(last.Query, "end_date=2026-11-07") || strings.Count(r.stdout, "\n") != 12000 {
		t.Fatalf("flags: exit %d %s %+v", r.code, r.stderr, last)
	}
}

func TestPullFailures(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
	out := filepath.Join(dir, "costs.jsonl")
	keep := func() { os.WriteFile(out, []byte("previous\n"), 0o644) }
	check := func(name string, want int, env []string, args ...string) {
		t.Helper()
		keep()
		r := runCLI(t, dir, env, append([]string{"pull", "--config", "vantage.yaml", "--output", out}, args...)...)
		if r.code != want {
			t.Errorf("%s: exit %d, want %d\n%s", name, r.code, want, r.stderr)
		}
		if b, _ := os.ReadFile(out); string(b) != "previous\n" {
			t.Errorf("%s: the previous output was changed", name)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 2 {
			t.Errorf("%s: leftover files %v", name, entries)
		}
		noSecrets(t, r.stdout, r.stderr)
	}
	check("rejected token", exitAuth, apiEnv(s, "vntg_tkn_7d1e9c3b5a2f4e6d8c0b1a9f3e5d7c2b4a6f8e1d"))
	s.BadTotal = true
	check("totals", exitAPI, apiEnv(s, apitest.ReadToken))
	s.BadTotal = false
	s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{}, apitest.Fault{Status: 500}, apitest.Fault{Status: 500})
	check("server errors past max_retries", exitAPI, apiEnv(s, apitest.ReadToken))
	// The config rules run first: an error stops the pull before any request.
	writeFiles(t, dir, map[string]string{"vantage.yaml": strings.Replace(apiConfig, "page_size: 1000", "page_size: 9000", 1)})
	n := len(s.Requests())
	check("bad config", exitFindings, apiEnv(s, apitest.ReadToken))
	if len(s.Requests()) != n {
		t.Error("requests were made for a config with errors")
	}
}

func TestCheckLive(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"deploy/vantage.yaml": apiConfig})
	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "check", "--live", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stdout, "note: live check of deploy/vantage.yaml: verified") {
		t.Fatalf("live ok: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, dir, apiEnv(s, "vntg_tkn_7d1e9c3b5a2f4e6d8c0b1a9f3e5d7c2b4a6f8e1d"), "check", "--live", "--format", "json")
	if r.code != exitAuth || !strings.Contains(r.stdout, `"auth-rejected"`) || !strings.Contains(r.stdout, `"verdict": "invalid"`) {
		t.Fatalf("live rejected: exit %d\n%s", r.code, r.stdout)
	}
	// Static errors first: the live check does not run.
	writeFiles(t, dir, map[string]string{"deploy/vantage.yaml": strings.Replace(apiConfig, "granularity: day", "granularity: daily", 1)})
	n := len(s.Requests())
	r = runCLI(t, dir, apiEnv(s, apitest.ReadToken), "check", "--live")
	if r.code != exitFindings || len(s.Requests()) != n || !strings.Contains(r.stdout+r.stderr, "live check skipped: the findings above reach --fail-on error") {
		t.Fatalf("live after static errors: exit %d, %d requests\n%s%s", r.code, len(s.Requests())-n, r.stdout, r.stderr)
	}
}

// TestPullLocalWriteFailures: a write that fails on this machine (a missing
// folder, a file where a folder should be, a full disk) is exit 2 with the
// user's path and what to do, never exit 4 (the API) or a temporary name.
func TestPullLocalWriteFailures(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig, "afile": "x"})
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(dir, "missing", "costs.jsonl"), "the folder " + filepath.Join(dir, "missing") + " does not exist; create it first"},
		{filepath.Join(dir, "afile", "costs.jsonl"), "is a file, not a folder"},
		{"/dev/full", "the disk is full"},
	} {
		if tc.out == "/dev/full" {
			if _, err := os.Stat("/dev/full"); err != nil {
				continue
			}
		}
		r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--output", tc.out, "--now", "2026-11-28")
		if r.code != exitUsage || !strings.Contains(r.stderr, "cannot write "+tc.out+": "+tc.want) && !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, want %d and %q\n%s", tc.out, r.code, exitUsage, tc.want, r.stderr)
		}
		if strings.Contains(r.stderr, atomicfile.TempPrefix) {
			t.Errorf("%s: the message names a temporary file:\n%s", tc.out, r.stderr)
		}
	}
}

// TestPullFormatFromTheOutputName: --output costs.parquet writes Parquet
// without --format; a format that does not fit the name is refused.
func TestPullFormatFromTheOutputName(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--output", "costs.parquet", "--now", "2026-11-28")
	b, _ := os.ReadFile(filepath.Join(dir, "costs.parquet"))
	if r.code != exitOK || !strings.HasPrefix(string(b), "PAR1") {
		t.Fatalf("exit %d, starts %.4q\n%s", r.code, b, r.stderr)
	}
	r = runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--output", "costs.csv", "--now", "2026-11-28")
	b, _ = os.ReadFile(filepath.Join(dir, "costs.csv"))
	if r.code != exitOK || !strings.HasPrefix(string(b), "accrued_at,") || !regexp.MustCompile(`\n2026-10-\d\d,`).Match(b) {
		t.Fatalf("csv: exit %d, starts %.60q\n%s", r.code, b, r.stderr)
	}
	n := len(s.Requests())
	r = runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--format", "csv", "--output", "costs.parquet")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--format csv does not write .parquet files") || len(s.Requests()) != n {
		t.Fatalf("mismatch: exit %d, %d requests\n%s", r.code, len(s.Requests())-n, r.stderr)
	}
}

// TestPullDataset: pull --dataset writes a partition per billing period
// and the manifest, says what it did, and refuses --output beside it.
func TestPullDataset(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--dataset", "costs", "--start-date", "2026-09-25", "--end-date", "2026-10-05", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stderr, "dataset costs: 2 billing period(s) pulled (2026-09, 2026-10)") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, p := range []string{"costs/manifest.json", "costs/billing_period=2026-09/part-0.parquet", "costs/billing_period=2026-10/part-0.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	r = runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--dataset", "costs", "--output", "x.parquet")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--dataset and --output do not go together") {
		t.Fatalf("with --output: exit %d\n%s", r.code, r.stderr)
	}
}

// TestAuthRefusesAMalformedTokenBeforeSendingIt: a token of the wrong
// shape is a token-format error (exit 1), and the API never sees it.
func TestAuthRefusesAMalformedTokenBeforeSendingIt(t *testing.T) {
	s := fakeAPI(t)
	for _, tok := range []string{"abc", "vntg_tkn_0f1e2d3c4b5a", "rprt_5f4e3d2c1b0a9988"} {
		env := []string{"FINFOCUS_VANTAGE_BASE_URL=" + s.URL, "FINFOCUS_VANTAGE_TOKEN=" + tok, "FINFOCUS_VANTAGE_COST_REPORT_TOKEN=" + apitest.ReportToken}
		r := runCLI(t, t.TempDir(), env, "auth")
		if r.code != exitFindings || !strings.Contains(r.stdout, "malformed: the token is a") || !strings.Contains(r.stdout, "[token-format]") || strings.Contains(r.stdout+r.stderr, tok) {
			t.Errorf("%.6s…: exit %d\n%s%s", tok, r.code, r.stdout, r.stderr)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests reached the API with a malformed token", n)
	}
}

// TestPullDatasetNeverThroughALink: a dataset folder that is a link the
// repository committed is refused (exit 2), and nothing is written where
// it points.
func TestPullDatasetNeverThroughALink(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	outside := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
	if err := os.Symlink(outside, filepath.Join(dir, "costs")); err != nil {
		t.Skip(err)
	}
	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--dataset", "costs", "--now", "2026-11-28")
	if r.code != exitUsage {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote through the link: %v", entries)
	}
}
