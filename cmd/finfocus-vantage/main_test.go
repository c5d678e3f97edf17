package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/internal/testkit"
)

// Made-up tokens and configs shared with the integration tests.
const (
	tokenA      = testkit.TokenA
	tokenB      = testkit.TokenB
	cleanConfig = testkit.CleanConfig
	leakyConfig = testkit.LeakyConfig
)

// writeFiles writes files into dir.
var writeFiles = testkit.WriteFiles

type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the whole CLI in-process in dir with the given environment.
func runCLI(t *testing.T, dir string, environ []string, args ...string) result {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	code := runContext(context.Background(), append([]string{"finfocus-vantage"}, args...), strings.NewReader(""), &out, &errOut, environ)
	r := result{code: code, stdout: out.String(), stderr: errOut.String()}
	for _, tok := range []string{tokenA, tokenB} {
		if strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok) {
			t.Fatalf("output leaks a token:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	}
	return r
}

func TestCheckExamples(t *testing.T) {
	r := runCLI(t, "../..", nil, "check", "--now", "2026-11-28", "testdata/examples")
	if r.code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"testdata/examples/vantage-prod.yaml:7:10: error: \"credentials.token\" holds a literal Vantage API token (vntg_tkn_…6c8d)",
		"[hardcoded-token]", "[stale-rotation]", "[unresolved-env-ref]", "[config-schema]", "[workspace-token-misuse]",
		"    7 |   token: vntg_tkn_…6c8d\n      |          ^~~~~~~~~~~~~~\n",
		"in 3 configs, 3 files scanned",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestCheckCleanAndDiscovery(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"deploy/finfocus/vantage.yaml": cleanConfig,
		"app/values.yaml":              "image: vantage/app\nreplicas: 2\n",
		"README.md":                    "nothing here\n",
	})
	r := runCLI(t, dir, nil, "check")
	// The one remark: the released plugin reads no file.
	if r.code != exitOK || !strings.Contains(r.stdout, "1 problem (0 errors, 0 warnings, 1 notice) in 1 config, 3 files scanned; for plugin v0.1.1") ||
		!strings.Contains(r.stdout, "plugin v0.1.1 reads no config file") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cfg/prod.yaml": leakyConfig})
	r := runCLI(t, dir, nil, "check", "--format", "json", "--now", "2026-11-28")
	if r.code != exitFindings {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Version  string
		Tool     struct{ Name, Version string }
		Findings []struct {
			Rule, Severity, Message, File string
			Line, Column                  int
			EndLine                       int `json:"end_line"`
			EndColumn                     int `json:"end_column"`
			Fingerprint                   string
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	// The hardcoded token, and the remark that the released plugin reads
	// no file.
	if rep.Version != "1" || rep.Tool.Name != "finfocus-vantage" || len(rep.Findings) != 2 || rep.Findings[0].Rule != "plugin-compat" {
		t.Fatalf("unexpected report: %+v", rep)
	}
	f := rep.Findings[1]
	if f.Rule != "hardcoded-token" || f.File != "cfg/prod.yaml" || f.Line != 5 || f.Column != 10 || f.EndColumn != 10+len(tokenA) || len(f.Fingerprint) != 32 {
		t.Errorf("unexpected finding: %+v", f)
	}
	for _, k := range []string{"files_scanned", "configs", "errors", "warnings", "notices", "suppressed"} {
		if _, ok := rep.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if rep.Summary["errors"] != 1 || rep.Summary["configs"] != 1 {
		t.Errorf("summary: %v", rep.Summary)
	}
}

func TestFailOn(t *testing.T) {
	dir := t.TempDir()
	// A warning only: a literal cost report token.
	writeFiles(t, dir, map[string]string{"vantage.yaml": strings.Replace(cleanConfig, testkit.ReportID, "cr_9Xk2Lm7Qp4Rt8Vw3", 1)})
	for _, tc := range []struct {
		failOn string
		want   int
	}{{"error", exitOK}, {"warning", exitFindings}, {"notice", exitFindings}, {"none", exitOK}, {"fatal", exitUsage}} {
		t.Run(tc.failOn, func(t *testing.T) {
			r := runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--fail-on", tc.failOn)
			if r.code != tc.want {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tc.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestRuleSelection(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"prod.yaml": strings.Replace(leakyConfig, "rotated_at: 2026-10-15", "rotated_at: 2025-01-01", 1)})
	r := runCLI(t, dir, nil, "check", "--only", "stale-rotation")
	if r.code != exitFindings || strings.Contains(r.stdout, "[hardcoded-token]") || !strings.Contains(r.stdout, "[stale-rotation]") {
		t.Errorf("--only: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, dir, nil, "check", "--disable", "stale-rotation,hardcoded-token,leaked-token")
	if r.code != exitOK {
		t.Errorf("--disable: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, dir, nil, "check", "--only", "hardcoded-tokn")
	if r.code != exitUsage || !strings.Contains(r.stderr, `did you mean "hardcoded-token"`) {
		t.Errorf("unknown rule: exit %d\n%s", r.code, r.stderr)
	}
	r = runCLI(t, dir, nil, "check", "--enable", "nope")
	if r.code != exitUsage {
		t.Errorf("--enable nope: exit %d", r.code)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": cleanConfig})
	for name, args := range map[string][]string{
		"format":       {"check", "--format", "xml"},
		"missing path": {"check", "does-not-exist"},
		"missing cfg":  {"check", "--config", "nope.yaml"},
		"now":          {"check", "--now", "28/11/2026"},
		"environment":  {"check", "--environment", "qa"},
		"size":         {"check", "--max-file-size", "lots"},
		"flag":         {"check", "--no-such-flag"},
		"command":      {"frobnicate"},
		"baseline":     {"check", "--baseline", "missing.json"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, dir, nil, args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d\n%s%s", r.code, exitUsage, r.stdout, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "finfocus-vantage: ") {
				t.Errorf("stderr does not explain: %q", r.stderr)
			}
		})
	}
}

// TestDidYouMean: a misspelt command or flag gets the one meant, in one
// line, exit 2.
func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"chek"}, `unknown command "chek"; did you mean "check"?`},
		{[]string{"check", "--fromat", "json"}, "did you mean --format?"},
		{[]string{"pull", "--ouput", "x.jsonl"}, "did you mean --output?"},
		{[]string{"auth", "--plugin-verison", "v0.1.1"}, "did you mean --plugin-version?"},
		{[]string{"check", "--no-colour"}, "did you mean --no-color?"},
	} {
		r := runCLI(t, t.TempDir(), nil, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d\n%s", tc.args, r.code, r.stderr)
		}
	}
}

func TestUnreadableExplicitFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": cleanConfig})
	os.Chmod(filepath.Join(dir, "vantage.yaml"), 0)
	r := runCLI(t, dir, nil, "check", "vantage.yaml")
	if r.code != exitUsage || !strings.Contains(r.stderr, "permission denied") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

func TestOutputFileAndFlagsAfterPaths(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cfg/prod.yaml": leakyConfig})
	r := runCLI(t, dir, nil, "check", "cfg", "--format", "json", "--output", "report.json", "--now", "2026-11-28")
	if r.code != exitFindings || r.stdout != "" {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil || !json.Valid(b) || !bytes.Contains(b, []byte(`"hardcoded-token"`)) {
		t.Fatalf("report.json: %v\n%s", err, b)
	}
	if bytes.Contains(b, []byte(tokenA)) {
		t.Fatal("report leaks the token")
	}
}

func TestExplicitConfigFlag(t *testing.T) {
	dir := t.TempDir()
	// Named with --config: checked as a plugin config whatever its name or content.
	writeFiles(t, dir, map[string]string{"settings.conf": "source: aws\nversion: 0.1\nparams:\n  cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}\n"})
	r := runCLI(t, dir, nil, "check", "--config", "settings.conf", "--fail-on", "warning")
	if r.code != exitFindings || !strings.Contains(r.stdout, `settings.conf:1:9: warning: "source" is "aws"`) {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestResolveEnv(t *testing.T) {
	dir, secrets := t.TempDir(), t.TempDir()
	// The FinFocus docs' style: both tokens from FINFOCUS_VANTAGE_* variables.
	finfocusStyle := strings.Replace(strings.Replace(cleanConfig, "PULUMICOST_VANTAGE_TOKEN", "FINFOCUS_VANTAGE_TOKEN", 1), testkit.ReportID, "${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}", 1)
	writeFiles(t, dir, map[string]string{"vantage.yaml": finfocusStyle})
	writeFiles(t, secrets, map[string]string{"token": tokenB + "\n"})
	r := runCLI(t, dir, nil, "check", "--resolve-env", "--now", "2026-11-28")
	if r.code != exitFindings || !strings.Contains(r.stdout, "FINFOCUS_VANTAGE_TOKEN is not set") {
		t.Errorf("unset: exit %d\n%s", r.code, r.stdout)
	}
	env := []string{"FINFOCUS_VANTAGE_TOKEN_FILE=" + filepath.Join(secrets, "token"), "FINFOCUS_VANTAGE_COST_REPORT_TOKEN=cr_9Xk2Lm7Qp4Rt8Vw3"}
	os.Chmod(filepath.Join(secrets, "token"), 0o600)
	r = runCLI(t, dir, env, "check", "--resolve-env", "--now", "2026-11-28")
	if r.code != exitOK {
		t.Errorf("set: exit %d\n%s", r.code, r.stdout)
	}
	os.Chmod(filepath.Join(secrets, "token"), 0o644)
	r = runCLI(t, dir, env, "check", "--resolve-env", "--now", "2026-11-28", "--fail-on", "warning")
	if r.code != exitFindings || !strings.Contains(r.stdout, "which other users can read (mode 0644)") {
		t.Errorf("world-readable token file: exit %d\n%s", r.code, r.stdout)
	}
}

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"prod.yaml": leakyConfig})
	r := runCLI(t, dir, nil, "baseline", "--now", "2026-11-28", "--output", "baseline.json")
	if r.code != exitOK {
		t.Fatalf("baseline: exit %d %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "baseline.json"))
	if bytes.Contains(b, []byte("vntg_tkn_")) || !bytes.Contains(b, []byte(`"rule":"hardcoded-token"`)) {
		t.Fatalf("baseline content:\n%s", b)
	}
	// Known findings are dropped and counted as suppressed, even after lines move.
	writeFiles(t, dir, map[string]string{"prod.yaml": "# moved down\n\n" + leakyConfig})
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--baseline", "baseline.json")
	if r.code != exitOK || !strings.Contains(r.stdout, "2 suppressed") {
		t.Fatalf("check --baseline: exit %d\n%s", r.code, r.stdout)
	}
	// A fixed finding leaves a stale entry, reported as a notice.
	writeFiles(t, dir, map[string]string{"prod.yaml": cleanConfig})
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--baseline", "baseline.json")
	if r.code != exitOK || !regexp.MustCompile(`baseline.json:4:1: notice: baseline entry for hardcoded-token in prod.yaml no longer matches`).MatchString(r.stdout) {
		t.Fatalf("stale: exit %d\n%s", r.code, r.stdout)
	}
	// A broken baseline is a usage error with a position.
	writeFiles(t, dir, map[string]string{"bad.json": "{\n  \"version\": \"1\",\n  \"findings\": [,]\n}\n"})
	r = runCLI(t, dir, nil, "check", "--baseline", "bad.json")
	if r.code != exitUsage || !strings.Contains(r.stderr, "bad.json:3:") {
		t.Fatalf("bad baseline: exit %d %s", r.code, r.stderr)
	}
}

func TestIgnoreCommentCountsSuppressed(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"dev.yaml": strings.Replace(leakyConfig, tokenA, tokenA+" # finfocus-vantage:ignore hardcoded-token revoked demo token", 1)})
	r := runCLI(t, dir, nil, "check", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stdout, "1 suppressed") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

func TestRulesCommand(t *testing.T) {
	r := runCLI(t, "", nil, "rules")
	for _, id := range []string{"config-schema", "hardcoded-token", "unresolved-env-ref", "workspace-token-misuse", "token-format", "stale-rotation", "token-reuse"} {
		if !strings.Contains(r.stdout, id) {
			t.Errorf("rules lacks %s", id)
		}
	}
	r = runCLI(t, "", nil, "rules", "token-reuse")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "# token-reuse\n") {
		t.Errorf("rules token-reuse: %d %q", r.code, r.stdout)
	}
	r = runCLI(t, "", nil, "rules", "token-reus")
	if r.code != exitUsage || !strings.Contains(r.stderr, `did you mean "token-reuse"`) {
		t.Errorf("unknown: %d %q", r.code, r.stderr)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := runCLI(t, "", nil, args...)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "finfocus-vantage ") {
			t.Errorf("%v: %d %q", args, r.code, r.stdout)
		}
	}
}

func TestGitAwareWalk(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".gitignore":         "local/\n",
		"local/vantage.yaml": leakyConfig,
		"ci/vantage.yaml":    cleanConfig,
	})
	cmd := exec.Command("git", "init", "-q", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	r := runCLI(t, dir, nil, "check", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stdout, "1 config, 2 files scanned") {
		t.Errorf("ignored file was scanned: exit %d\n%s", r.code, r.stdout)
	}
	// Named explicitly, an ignored file is scanned.
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28", "local/vantage.yaml")
	if r.code != exitFindings {
		t.Errorf("explicit ignored file: exit %d\n%s", r.code, r.stdout)
	}
}

func TestEnvironmentAndEnableFlags(t *testing.T) {
	dir := t.TempDir()
	// No environment key and a neutral file name: --environment decides.
	cfg := strings.Replace(strings.Replace(leakyConfig, "environment: production\n", "", 1), "rotated_at: 2026-10-15", "rotated_at: 2026-05-01", 1)
	writeFiles(t, dir, map[string]string{"vantage.yaml": cfg})
	r := runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--only", "stale-rotation")
	if r.code != exitFindings || !strings.Contains(r.stdout, "production tokens (from the default)") {
		t.Fatalf("default: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--only", "stale-rotation", "--environment", "development")
	if r.code != exitOK {
		t.Fatalf("--environment development (365 days): exit %d\n%s", r.code, r.stdout)
	}
	// --enable turns an optional rule on: token-in-history runs (and needs git).
	r = runCLI(t, dir, nil, "check", "--enable", "token-in-history")
	if r.code != exitUsage || !strings.Contains(r.stderr, "history scan needs a git work tree") {
		t.Fatalf("--enable token-in-history outside git: exit %d\n%s", r.code, r.stderr)
	}
}

// TestBaselineDiscovery: .finfocus-vantage-baseline.json at the repository
// root applies without --baseline (from a subfolder too) and is named in
// the report; under --diff, one the change adds waives nothing, and the
// base revision's copy is the one read.
func TestBaselineDiscovery(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{"deploy/prod.yaml": leakyConfig, "README.md": "x\n"})
	git("add", "README.md")
	git("commit", "-q", "-m", "start")
	r := runCLI(t, dir, nil, "baseline", "--now", "2026-11-28", "--output", DefaultBaseline)
	if r.code != exitOK {
		t.Fatalf("baseline: exit %d %s", r.code, r.stderr)
	}
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stdout, "suppressed") || !strings.Contains(r.stdout, "baseline "+DefaultBaseline+" found at the repository root") {
		t.Fatalf("discovered: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, filepath.Join(dir, "deploy"), nil, "check", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stdout, "found at the repository root") {
		t.Fatalf("from a subfolder: exit %d\n%s", r.code, r.stdout)
	}
	// A change that adds a leak and the baseline that waives it: the
	// baseline is not the base's, so the leak is reported.
	base := strings.TrimSpace(testkit.Git(t, dir, "rev-parse", "HEAD"))
	git("checkout", "-q", "-b", "change")
	writeFiles(t, dir, map[string]string{"deploy/other.sh": leakyScript})
	git("add", "-f", "deploy/other.sh", DefaultBaseline)
	git("commit", "-q", "-m", "leak and waive it")
	os.WriteFile(filepath.Join(dir, DefaultBaseline), []byte(`[{"rule":"leaked-token","file":"deploy/other.sh"}]`), 0o644)
	r = runCLI(t, dir, nil, "check", "--diff", base, "--now", "2026-11-28")
	if r.code != exitFindings || !strings.Contains(r.stdout, "deploy/other.sh") {
		t.Fatalf("--diff with a baseline the change adds: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestProjectFile: .finfocus-vantage.yaml at the repository root selects
// rules, fail-on, the plugin version and paths to skip, and is named in the
// report; flags still win; a mistake is exit 2 at its position; it can
// never allow an environment variable; under --diff a change cannot bring
// its own.
func TestProjectFile(t *testing.T) {
	dir, git := gitRepo(t)
	writeFiles(t, dir, map[string]string{
		"README.md":              "x\n",
		"vendor/lib/deploy.sh":   leakyScript,
		"deploy/vantage.yaml":    cleanConfig,
		".finfocus-vantage.yaml": "# project settings\nfail-on: warning\nplugin-version: 1c637b6\nrules:\n  disable: [stale-rotation]\nskip-paths:\n  - vendor/**\n",
	})
	git("add", ".")
	git("commit", "-q", "-m", "start")
	r := runCLI(t, dir, nil, "check", "--now", "2026-11-28", "--format", "json")
	var rep struct {
		Findings []struct{ Rule, File string } `json:"findings"`
		Plugin   struct{ Name, Why string }    `json:"plugin_version"`
	}
	json.Unmarshal([]byte(r.stdout), &rep)
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.File, "vendor/") || f.Rule == "stale-rotation" {
			t.Errorf("the project file's skip-paths or disable did not hold: %+v", f)
		}
	}
	if rep.Plugin.Name != "1c637b6" || !strings.Contains(rep.Plugin.Why, "project file") {
		t.Errorf("plugin version %+v, want 1c637b6 from the project file", rep.Plugin)
	}
	r = runCLI(t, dir, nil, "check", "--now", "2026-11-28")
	if !strings.Contains(r.stdout, "project file .finfocus-vantage.yaml applied") || !strings.Contains(r.stdout, "1 files not scanned: the project file's skip-paths") {
		t.Errorf("the report does not name the project file:\n%s", r.stdout)
	}
	// A file named on the command line is scanned whatever skip-paths say.
	if r := runCLI(t, dir, nil, "check", "vendor/lib/deploy.sh"); r.code != exitFindings {
		t.Errorf("named file under skip-paths: exit %d\n%s", r.code, r.stdout)
	}
	for _, tc := range []struct{ body, want string }{
		{"fail-on: warning\nallow-env: [AWS_SECRET_ACCESS_KEY]\n", ".finfocus-vantage.yaml:2:1: the project file cannot allow an environment variable"},
		{"rules:\n  disable: [stale-rotation]\nfailon: warning\n", ".finfocus-vantage.yaml:3:1: unknown setting \"failon\""},
		{"fail-on: loud\n", `.finfocus-vantage.yaml:1:10: "loud" is not one of error, warning, notice, none`},
		{"skip-paths: [../outside]\n", "must be a slash-separated path inside the repository"},
	} {
		writeFiles(t, dir, map[string]string{".finfocus-vantage.yaml": tc.body})
		r := runCLI(t, dir, nil, "check")
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: exit %d\n%s", tc.body, r.code, r.stderr)
		}
	}
	// Under --diff, the base revision's project file is the one read: a
	// change that adds a leak and disables the rule still gets the finding.
	writeFiles(t, dir, map[string]string{".finfocus-vantage.yaml": "fail-on: error\n"})
	git("add", ".")
	git("commit", "-q", "-m", "project file")
	base := strings.TrimSpace(testkit.Git(t, dir, "rev-parse", "HEAD"))
	writeFiles(t, dir, map[string]string{".finfocus-vantage.yaml": "rules:\n  disable: [leaked-token, token-logged]\nskip-paths: [ci/**]\n", "ci/run.sh": leakyScript})
	git("add", ".")
	git("commit", "-q", "-m", "leak, and hide it")
	r = runCLI(t, dir, nil, "check", "--diff", base)
	if r.code != exitFindings || !strings.Contains(r.stdout, "ci/run.sh") || !strings.Contains(r.stdout, "read from base revision "+base) {
		t.Fatalf("--diff: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStdin: check - scans standard input as one file, named (and typed)
// by --stdin-filename; it goes alone, and the name is never a path outside.
func TestStdin(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	run := func(in string, args ...string) result {
		t.Helper()
		var out, errOut bytes.Buffer
		code := runContext(context.Background(), append([]string{"finfocus-vantage"}, args...), strings.NewReader(in), &out, &errOut, nil)
		return result{code: code, stdout: out.String(), stderr: errOut.String()}
	}
	r := run(leakyConfig, "check", "-", "--stdin-filename", "deploy/vantage.yaml", "--now", "2026-11-28")
	if r.code != exitFindings || !strings.Contains(r.stdout, "deploy/vantage.yaml:5:10: error:") || !strings.Contains(r.stdout, "[hardcoded-token]") || strings.Contains(r.stdout, tokenA) {
		t.Fatalf("stdin as a config: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(leakyScript, "check", "-")
	if r.code != exitFindings || !strings.Contains(r.stdout, "stdin:2:") {
		t.Fatalf("stdin unnamed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{
		{"check", "-", "other.yaml"},
		{"check", "-", "--stdin-filename", "../x.yaml"},
		{"check", "-", "--staged"},
		{"check", "--stdin-filename", "x.yaml"},
	} {
		if r := run("", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
}
