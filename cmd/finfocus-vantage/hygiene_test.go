package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// Tokens that appear only in this test's files and environment.
const (
	hyFileToken = "vntg_tkn_d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0"
	hyEnvToken  = "vntg_tkn_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b"
	hyCRToken   = "cr_Hy9Gi8Ene7Tok6Xyz5Qw"
)

// TestNoOutputLeaksASecret runs every command in every format, with known
// tokens in files and in the environment and with failures forced, and
// asserts that no full token appears in standard output, standard error,
// any file written, the job summary or the step outputs.
func TestNoOutputLeaksASecret(t *testing.T) {
	fastClock(t)
	s := fakeAPI(t)
	s.AddToken(hyEnvToken, apitest.Token{Scopes: []string{"read", "write"}, Description: "hygiene", CreatedAt: "2025-01-01T00:00:00Z", Workspaces: []string{apitest.WorkspaceToken}})
	dir := t.TempDir()
	out := t.TempDir()
	tokenFile := filepath.Join(out, "token")
	os.WriteFile(tokenFile, []byte(hyEnvToken+"\r\n"), 0o644) // world-readable, CRLF: two findings
	writeFiles(t, dir, map[string]string{
		"deploy/prod.yaml":        strings.Replace(leakyConfig, tokenA, hyFileToken, 1),
		"deploy/staging.yaml":     strings.Replace(strings.Replace(leakyConfig, tokenA, hyFileToken, 1), "production", "staging", 1),
		"deploy/env.yaml":         strings.Replace(apiConfig, "${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}", hyCRToken, 1),
		".env":                    "FINFOCUS_VANTAGE_TOKEN=" + hyFileToken + "\nFINFOCUS_VANTAGE_COST_REPORT_TOKEN=" + hyCRToken + "\n",
		"main.tf":                 "provider \"vantage\" {\n  api_token = \"" + hyFileToken + "\"\n}\n",
		"secret.yaml":             "apiVersion: v1\nkind: Secret\nmetadata:\n  name: v\ndata:\n  FINFOCUS_VANTAGE_TOKEN: " + base64.StdEncoding.EncodeToString([]byte(hyFileToken)) + "\n",
		".github/workflows/x.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      FINFOCUS_VANTAGE_TOKEN: " + hyFileToken + "\n    steps:\n      - run: echo $FINFOCUS_VANTAGE_TOKEN\n",
		"notes.md":                "curl -H 'Authorization: Bearer " + hyFileToken + "' https://api.vantage.sh/v2/me\n",
	})
	summary, outputs := filepath.Join(out, "summary.md"), filepath.Join(out, "outputs")
	env := []string{
		"FINFOCUS_VANTAGE_BASE_URL=" + s.URL,
		"FINFOCUS_VANTAGE_TOKEN_FILE=" + tokenFile,
		"FINFOCUS_VANTAGE_COST_REPORT_TOKEN=" + apitest.ReportToken,
		"GITHUB_STEP_SUMMARY=" + summary, "GITHUB_OUTPUT=" + outputs,
	}
	envDirect := []string{"FINFOCUS_VANTAGE_BASE_URL=" + s.URL, "FINFOCUS_VANTAGE_TOKEN=" + hyEnvToken, "FINFOCUS_VANTAGE_COST_REPORT_TOKEN=" + apitest.ReportToken}
	var runs [][]string
	for _, f := range []string{"text", "json", "sarif", "github", "junit", "checkstyle"} {
		runs = append(runs,
			[]string{"check", "--format", f, "--resolve-env", "--all-secrets", "--history"},
			[]string{"check", "--format", f, "--output", filepath.Join(out, "check."+f), "--report", "sarif=" + filepath.Join(out, "also.sarif"), "--live"},
			[]string{"check", "--format", f, "--config", "deploy/env.yaml", "--resolve-env"},
			[]string{"auth", "--format", f, "--config", "deploy/env.yaml"},
			[]string{"auth", "--format", f, "--output", filepath.Join(out, "auth."+f)},
		)
	}
	runs = append(runs,
		[]string{"baseline", "--output", filepath.Join(out, "baseline.json")},
		[]string{"baseline"},
		[]string{"check", "--baseline", filepath.Join(out, "baseline.json"), "--format", "json"},
		[]string{"rules"},
		[]string{"pull", "--config", "deploy/env.yaml", "--output", filepath.Join(out, "costs.jsonl")},
		[]string{"pull", "--config", "deploy/env.yaml", "--skip-check", "--format", "csv"},
		[]string{"version"},
	)
	if out, err := runGit(dir, "init", "-q"); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	runGit(dir, "add", ".")
	runGit(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "leaks")
	check := func(label, text string) {
		t.Helper()
		for _, tok := range []string{hyFileToken, hyEnvToken, hyCRToken} {
			if strings.Contains(text, tok) {
				t.Fatalf("%s leaks %s…:\n%s", label, tok[:12], text)
			}
		}
	}
	for _, args := range runs {
		for _, e := range [][]string{env, envDirect} {
			r := runCLI(t, dir, e, args...)
			check(strings.Join(args, " ")+" (stdout)", r.stdout)
			check(strings.Join(args, " ")+" (stderr)", r.stderr)
		}
		// Forced failures: the API down, then rejecting every token.
		s.FailNext(12, 503)
		r := runCLI(t, dir, envDirect, args...)
		check(strings.Join(args, " ")+" with the API failing", r.stdout+r.stderr)
		s.FailNext(3, 401)
		r = runCLI(t, dir, envDirect, args...)
		check(strings.Join(args, " ")+" with the token rejected", r.stdout+r.stderr)
	}
	r := runCLI(t, dir, []string{"FINFOCUS_VANTAGE_TOKEN=" + hyEnvToken, "FINFOCUS_VANTAGE_BASE_URL=http://10.9.8.7/v2"}, "auth")
	if r.code != exitUsage {
		t.Errorf("a non-loopback http base URL was accepted: exit %d", r.code)
	}
	check("insecure base URL", r.stdout+r.stderr)
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(files) < 10 {
		t.Fatalf("only %d files were written: %v", len(files), files)
	}
	for _, f := range files {
		if f == tokenFile {
			continue
		}
		b, _ := os.ReadFile(f)
		check(f, string(b))
	}
	// The API paths (auth, --live, pull) really ran, with the env token.
	sent := 0
	for _, req := range s.Requests() {
		if req.Authorization == "Bearer "+hyEnvToken {
			sent++
		}
	}
	if sent < 20 {
		t.Errorf("only %d requests reached the fake: the live paths were not exercised", sent)
	}
}
