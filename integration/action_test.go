package integration

import (
	"bufio"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

var exprRe = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`)

// actionRun simulates GitHub Actions running action.yml's shell steps:
// inputs and github context substituted into each step's env, GITHUB_ENV,
// GITHUB_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files, and the
// workspace as the working directory. uses: steps (actions/setup-go) are
// skipped: Go is on this machine.
type actionRun struct {
	outputs, summary string
	stdout           string
	code             int
	// install is the install step's output and exit code; a failed
	// install ends the run there.
	install     string
	installCode int
}

func runAction(t *testing.T, workspace string, inputs map[string]string, ctx map[string]string) actionRun {
	t.Helper()
	root := repoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(src, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for k := range inputs {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("test uses input %q that action.yml does not declare", k)
		}
	}
	// The tests build the action's own source unless they test the
	// release download (which they serve from a local fake release).
	inputs = maps.Clone(inputs)
	if inputs == nil {
		inputs = map[string]string{}
	}
	if _, ok := inputs["version"]; !ok {
		inputs["version"] = "source"
	}
	// A pull request from the repository itself unless the test says
	// otherwise.
	ctx = maps.Clone(ctx)
	if _, ok := ctx["github.repository"]; !ok {
		ctx["github.repository"] = "acme/infra"
	}
	for _, k := range []string{"github.action_ref", "github.token"} {
		if _, ok := ctx[k]; !ok {
			ctx[k] = ""
		}
	}
	if _, ok := ctx["github.event.pull_request.head.repo.full_name"]; !ok {
		ctx["github.event.pull_request.head.repo.full_name"] = ""
		if strings.HasPrefix(ctx["github.event_name"], "pull_request") {
			ctx["github.event.pull_request.head.repo.full_name"] = ctx["github.repository"]
		}
	}
	tmp := t.TempDir()
	files := map[string]string{}
	for _, n := range []string{"GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"} {
		files[n] = filepath.Join(tmp, strings.ToLower(n))
		os.WriteFile(files[n], nil, 0o644)
	}
	eval := func(s string) string {
		return exprRe.ReplaceAllStringFunc(s, func(m string) string {
			e := exprRe.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(e, "inputs."):
				name := strings.TrimPrefix(e, "inputs.")
				in, ok := a.Inputs[name]
				if !ok {
					t.Fatalf("expression %s names an undeclared input", m)
				}
				if v, ok := inputs[name]; ok {
					return v
				}
				return in.Default
			case e == "github.action_path":
				return root
			case strings.HasPrefix(e, "github."):
				v, ok := ctx[e]
				if !ok {
					t.Fatalf("the simulation does not know %s", m)
				}
				return v
			}
			t.Fatalf("the simulation does not know %s", m)
			return ""
		})
	}
	env := append(os.Environ(),
		"RUNNER_TEMP="+tmp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64", "GITHUB_WORKSPACE="+workspace, "GITHUB_ACTIONS=true",
		"GITHUB_OUTPUT="+files["GITHUB_OUTPUT"], "GITHUB_ENV="+files["GITHUB_ENV"], "GITHUB_PATH="+files["GITHUB_PATH"], "GITHUB_STEP_SUMMARY="+files["GITHUB_STEP_SUMMARY"])
	var res actionRun
	for _, st := range a.Runs.Steps {
		if st.Uses != "" {
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q; steps must use bash to run on every runner", st.Name, st.Shell)
		}
		stepEnv := append([]string(nil), env...)
		// GITHUB_PATH and GITHUB_ENV written by earlier steps apply now.
		if b, _ := os.ReadFile(files["GITHUB_PATH"]); len(b) > 0 {
			for _, p := range strings.Fields(string(b)) {
				stepEnv = append(stepEnv, "PATH="+p+string(os.PathListSeparator)+os.Getenv("PATH"))
			}
		}
		if b, _ := os.ReadFile(files["GITHUB_ENV"]); len(b) > 0 {
			stepEnv = append(stepEnv, strings.Split(strings.TrimSpace(string(b)), "\n")...)
		}
		for k, v := range st.Env {
			stepEnv = append(stepEnv, k+"="+eval(v))
		}
		cmd := exec.Command("bash", "-e", "-c", eval(st.Run))
		cmd.Dir, cmd.Env = workspace, stepEnv
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		switch {
		case st.ID == "check":
			res.stdout, res.code = string(out), code
		case st.Name == "Install finfocus-vantage":
			res.install, res.installCode = string(out), code
			if code != 0 {
				return res
			}
		case code != 0:
			t.Fatalf("step %q failed (%d):\n%s", st.Name, code, out)
		}
	}
	o, _ := os.ReadFile(files["GITHUB_OUTPUT"])
	s, _ := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
	res.outputs, res.summary = string(o), string(s)
	// Every output the action declares must be set by the check step,
	// when it made a report (exit 0 or 1; 2 and above report no findings).
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(res.outputs))
	for sc.Scan() {
		if k, _, ok := strings.Cut(sc.Text(), "="); ok {
			set[k] = true
		}
	}
	for name, out := range a.Outputs {
		m := regexp.MustCompile(`steps\.check\.outputs\.([a-z-]+)`).FindStringSubmatch(out.Value)
		if m == nil {
			t.Errorf("output %s is not taken from the check step: %s", name, out.Value)
		} else if !set[m[1]] && !(m[1] == "sarif-file" && inputs["sarif-file"] == "") && res.code < 2 {
			t.Errorf("output %s: the check step never sets %s", name, m[1])
		}
	}
	return res
}

// prRepo makes a clone whose main branch holds an old leaky file, with a
// pull request branch that adds a new leaky config and a clean one.
func prRepo(t *testing.T) string {
	t.Helper()
	origin := t.TempDir()
	git(t, origin, "init", "-q", "-b", "main")
	write(t, origin, map[string]string{"legacy/vantage.yaml": leakyConfig, "README.md": "hello\n"})
	git(t, origin, "add", ".")
	git(t, origin, "commit", "-q", "-m", "base")
	ws := t.TempDir()
	git(t, ws, "clone", "-q", origin, ".")
	git(t, ws, "checkout", "-q", "-b", "feature")
	write(t, ws, map[string]string{"deploy/vantage.yaml": leakyConfig, "deploy/staging.yaml": cleanConfig})
	git(t, ws, "add", ".")
	git(t, ws, "commit", "-q", "-m", "pr")
	return ws
}

func TestActionOnPullRequest(t *testing.T) {
	ws := prRepo(t)
	// The pull request commits a link where the SARIF file would go.
	outside := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(outside, []byte("keep\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(ws, "results.sarif")); err != nil {
		t.Fatal(err)
	}
	res := runAction(t, ws, map[string]string{"sarif-file": "results.sarif"},
		map[string]string{"github.event_name": "pull_request", "github.base_ref": "main"})
	if res.code != 1 {
		t.Fatalf("check step exit %d, want 1\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.stdout, "::error file=deploy/vantage.yaml,line=5,endLine=5,col=10,endColumn=59,title=hardcoded-token::") {
		t.Errorf("no annotation for the new config:\n%s", res.stdout)
	}
	if strings.Contains(res.stdout, "legacy/vantage.yaml") {
		t.Errorf("a file the pull request did not change was reported:\n%s", res.stdout)
	}
	for _, want := range []string{"findings=", "errors=", "warnings=", "suppressed=0", "sarif-file="} {
		if !strings.Contains(res.outputs, want) {
			t.Errorf("outputs lack %q:\n%s", want, res.outputs)
		}
	}
	sarifPath := regexp.MustCompile(`(?m)^sarif-file=(.*)$`).FindStringSubmatch(res.outputs)
	if sarifPath == nil || !strings.HasSuffix(sarifPath[1], "/results.sarif") || strings.HasPrefix(sarifPath[1], ws) {
		t.Fatalf("the SARIF file is not in the runner's temporary folder: %q", sarifPath)
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep\n" {
		t.Errorf("the action wrote through a link the pull request committed")
	}
	if shallow := git(t, ws, "rev-parse", "--is-shallow-repository"); shallow != "false" {
		t.Errorf("the action made a full clone shallow")
	}
	if !strings.Contains(res.summary, "### finfocus-vantage") || !strings.Contains(res.summary, "`deploy/vantage.yaml:5`") {
		t.Errorf("job summary:\n%s", res.summary)
	}
	b, err := os.ReadFile(sarifPath[1])
	var sarif map[string]any
	if err != nil || json.Unmarshal(b, &sarif) != nil || sarif["version"] != "2.1.0" {
		t.Errorf("SARIF file: %v", err)
	}
	for _, text := range []string{res.stdout, res.outputs, res.summary, string(b)} {
		if strings.Contains(text, tokenA) {
			t.Fatal("the action's output leaks the token")
		}
	}
}

// TestActionShallowCloneFallsBack: in actions/checkout's depth-1 clone,
// when the base cannot be fetched, the action scans the whole tree and
// says so; never nothing.
func TestActionShallowCloneFallsBack(t *testing.T) {
	pr := prRepo(t)
	ws := t.TempDir()
	git(t, ws, "clone", "-q", "--depth", "1", "--branch", "feature", "file://"+pr, ".")
	git(t, ws, "remote", "remove", "origin") // the base cannot be fetched
	res := runAction(t, ws, map[string]string{"fail-on": "none"},
		map[string]string{"github.event_name": "pull_request", "github.base_ref": "main"})
	if res.code != 0 || !strings.Contains(res.stdout, "origin/main is not in this shallow clone") {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.outputs, "errors=") || strings.Contains(res.outputs, "errors=0\n") {
		t.Errorf("the fallback scanned nothing:\n%s", res.outputs)
	}
}

// TestActionUnknownBaseInFullClone: a base a full clone cannot fetch (a
// typo, a failed fetch) fails the step instead of passing as clean.
func TestActionUnknownBaseInFullClone(t *testing.T) {
	ws := prRepo(t)
	git(t, ws, "remote", "remove", "origin")
	res := runAction(t, ws, map[string]string{"fail-on": "none"},
		map[string]string{"github.event_name": "pull_request", "github.base_ref": "main"})
	if res.code != 2 || !strings.Contains(res.stdout, `unknown revision "origin/main"`) || !strings.Contains(res.stdout, "::error title=finfocus-vantage::") {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
}

func TestActionOnPush(t *testing.T) {
	ws := prRepo(t)
	res := runAction(t, ws, map[string]string{"path": "legacy deploy", "fail-on": "warning"},
		map[string]string{"github.event_name": "push", "github.base_ref": ""})
	if res.code != 1 || !strings.Contains(res.stdout, "file=legacy/vantage.yaml") || !strings.Contains(res.stdout, "file=deploy/vantage.yaml") {
		t.Fatalf("push scans the paths: exit %d\n%s", res.code, res.stdout)
	}
}

// TestActionEnvCheck: env-check runs check --env in the job's environment
// (an error for what the plugin version refuses), and is skipped on a
// pull request from a fork, which gets no secrets.
func TestActionEnvCheck(t *testing.T) {
	ws := t.TempDir()
	git(t, ws, "init", "-q", "-b", "main")
	write(t, ws, map[string]string{"README.md": "hello\n"})
	git(t, ws, "add", ".")
	git(t, ws, "commit", "-q", "-m", "base")
	t.Setenv("FINFOCUS_VANTAGE_TOKEN", "")
	t.Setenv("PULUMICOST_VANTAGE_TOKEN", "vntg_tkn_4e1f9c0b7a2d5e8f3c6b9a0d1e4f7a2b5c8d1e4f")
	os.Unsetenv("FINFOCUS_VANTAGE_TOKEN")
	push := map[string]string{"github.event_name": "push", "github.base_ref": "", "github.event.pull_request.head.repo.full_name": "", "github.repository": "acme/infra"}
	res := runAction(t, ws, map[string]string{"env-check": "true"}, push)
	if res.code != 1 || !strings.Contains(res.stdout, "FINFOCUS_VANTAGE_TOKEN is not set") || !strings.Contains(res.stdout, "does not read PULUMICOST_VANTAGE_TOKEN") {
		t.Fatalf("env-check on push: exit %d\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.stdout, "::add-mask::") || strings.Count(res.stdout, "vntg_tkn_4e1f") != 1 {
		t.Errorf("the token is masked once and appears nowhere else:\n%s", res.stdout)
	}
	res = runAction(t, ws, map[string]string{"env-check": "true", "plugin-version": "1c637b6"}, push)
	if res.code != 0 {
		t.Errorf("under 1c637b6 the old name is the one read: exit %d\n%s", res.code, res.stdout)
	}
	fork := map[string]string{"github.event_name": "pull_request", "github.base_ref": "main", "github.event.pull_request.head.repo.full_name": "mallory/infra", "github.repository": "acme/infra"}
	res = runAction(t, ws, map[string]string{"env-check": "true", "diff-base": "HEAD"}, fork)
	if res.code != 0 || !strings.Contains(res.stdout, "env-check skipped") {
		t.Errorf("a fork's pull request: exit %d\n%s", res.code, res.stdout)
	}
}

// TestUsesArePinned: every uses: in the action, the repository's workflows
// and the README's workflow snippets names a full commit SHA, with the tag
// it stands for in a comment; a tag can be moved under you.
func TestUsesArePinned(t *testing.T) {
	root := repoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	files = append(files, filepath.Join(root, "action.yml"), filepath.Join(root, "README.md"))
	usesRe := regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usesRe.FindAllStringSubmatch(string(src), -1) {
			if m[1] == "./" {
				continue // the action itself, at the commit being tested
			}
			n++
			if !pinned.MatchString(m[1]) || !strings.HasPrefix(strings.TrimSpace(m[2]), "#") {
				t.Errorf("%s: uses: %s%s is not pinned to a commit SHA with its tag in a comment", filepath.Base(f), m[1], m[2])
			}
		}
	}
	if n < 8 {
		t.Errorf("found only %d uses: lines; the scan missed some", n)
	}
}
