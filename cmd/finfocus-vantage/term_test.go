package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestColorOnlyOnATerminal runs the built binary under script(1), which
// gives it a terminal: text is coloured there, and not with --no-color,
// NO_COLOR, another format or --output; without a terminal never.
func TestColorOnlyOnATerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		if os.Getenv("FINFOCUS_VANTAGE_INTEGRATION") == "1" {
			t.Fatal("script(1) is not installed, and FINFOCUS_VANTAGE_INTEGRATION=1 requires it (Debian's bsdutils)")
		}
		t.Skip("script(1) is not installed (Debian's bsdutils has it)")
	}
	bin := filepath.Join(t.TempDir(), "finfocus-vantage")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"deploy/vantage.yaml": leakyConfig})
	onTTY := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(script, "-qec", bin+" "+strings.Join(args, " ")+" 2>/dev/null", "/dev/null")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, _ := cmd.Output()
		return string(out)
	}
	plain := runCLI(t, dir, nil, "check", "--now", "2026-11-28")
	if ansi.MatchString(plain.stdout) {
		t.Fatalf("colour without a terminal:\n%q", plain.stdout)
	}
	got := onTTY(nil, "check", "--now", "2026-11-28")
	if !strings.Contains(got, "\x1b[1;31merror\x1b[0m") || !strings.Contains(got, "\x1b[2m[hardcoded-token]\x1b[0m") {
		t.Fatalf("no colour on a terminal:\n%q", got)
	}
	// The words are the same: only escapes were added.
	if strip := strings.ReplaceAll(ansi.ReplaceAllString(got, ""), "\r\n", "\n"); strip != plain.stdout {
		t.Errorf("coloured text differs from plain text beyond the escapes:\n%s\n---\n%s", strip, plain.stdout)
	}
	for _, tc := range []struct {
		env  []string
		args []string
	}{
		{nil, []string{"check", "--no-color", "--now", "2026-11-28"}},
		{[]string{"NO_COLOR=1"}, []string{"check", "--now", "2026-11-28"}},
		{nil, []string{"check", "--format", "json"}},
		{nil, []string{"--no-color", "check"}},
	} {
		if out := onTTY(tc.env, tc.args...); ansi.MatchString(out) || out == "" {
			t.Errorf("%v %v: coloured or empty:\n%q", tc.env, tc.args, out)
		}
	}
}

// TestQuietAndVerbose: -q drops the wait, retry and summary lines of a
// pull; --verbose says what became of each file.
func TestQuietAndVerbose(t *testing.T) {
	s := fakeAPI(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig, "bin/blob": "\x00\x01binary"})
	r := runCLI(t, dir, apiEnv(s, "vntg_tkn_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"), "pull", "-q", "--config", "vantage.yaml", "--output", "c.jsonl", "--now", "2026-11-28")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("pull -q: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, dir, apiEnv(s, "vntg_tkn_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"), "pull", "--config", "vantage.yaml", "--output", "c.jsonl", "--now", "2026-11-28")
	if r.code != exitOK || !strings.Contains(r.stderr, "pulled ") {
		t.Fatalf("pull: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, dir, nil, "check", "--verbose", "--now", "2026-11-28")
	for _, want := range []string{"verbose: vantage.yaml: scanned", "verbose: bin/blob: binary: searched for tokens only"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--verbose: missing %q in\n%s", want, r.stderr)
		}
	}
	// A file named with a token is masked in the trace, skipped or not.
	writeFiles(t, dir, map[string]string{"logs/" + tokenA + ".txt": "x\n", ".finfocus-vantage.yaml": "skip-paths: [logs/**]\n"})
	r = runCLI(t, dir, nil, "check", "--verbose", "--now", "2026-11-28")
	if !strings.Contains(r.stderr, "verbose: logs/vntg_tkn_") || !strings.Contains(r.stderr, "the project file's skip-paths") {
		t.Errorf("--verbose with a skipped, token-named file:\n%s", r.stderr)
	}
	// After "--" a name is a file, never a flag.
	r = runCLI(t, dir, nil, "check", "--", "-q")
	if r.code != exitUsage || !strings.Contains(r.stderr, "-q") {
		t.Errorf("check -- -q: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCompletion: the bash script completes commands and a command's
// flags in a real bash; the zsh and fish scripts parse in those shells
// (.ci/run installs them).
func TestCompletion(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "finfocus-vantage")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	script := `source <("$BIN" completion bash)
COMP_WORDS=(finfocus-vantage che); COMP_CWORD=1; _finfocus_vantage; echo "${COMPREPLY[*]}"
COMP_WORDS=(finfocus-vantage pull --data); COMP_CWORD=2; _finfocus_vantage; echo "${COMPREPLY[*]}"
COMP_WORDS=(finfocus-vantage check --no-c); COMP_CWORD=2; _finfocus_vantage; echo "${COMPREPLY[*]}"`
	cmd := exec.Command("bash", "-c", script)
	cmd.Env = append(os.Environ(), "BIN="+bin)
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "check\n--dataset\n--no-color\n" {
		t.Fatalf("bash completion: %v\n%q", err, out)
	}
	// zsh sources it (compinit and bashcompinit run); fish parses it.
	for shell, check := range map[string][]string{"zsh": {"zsh", "-f", "-c", "source \"$0\" && (( $+functions[_finfocus_vantage] ))"}, "fish": {"fish", "--no-execute"}} {
		path, err := exec.LookPath(check[0])
		if err != nil {
			if os.Getenv("FINFOCUS_VANTAGE_INTEGRATION") == "1" {
				t.Errorf("%s is not installed, and FINFOCUS_VANTAGE_INTEGRATION=1 requires it", check[0])
			}
			continue
		}
		f := filepath.Join(t.TempDir(), "completion."+shell)
		src, _ := exec.Command(bin, "completion", shell).Output()
		os.WriteFile(f, src, 0o644)
		if out, err := exec.Command(path, append(check[1:], f)...).CombinedOutput(); err != nil {
			t.Errorf("%s does not parse its completion script: %v\n%s", shell, err, out)
		}
	}
	r := runCLI(t, t.TempDir(), nil, "completion", "tcsh")
	if r.code != exitUsage || !strings.Contains(r.stderr, "bash, zsh, fish and powershell") {
		t.Errorf("unknown shell: exit %d %s", r.code, r.stderr)
	}
}

// TestHelpIsUseful: every command's help names its placeholders (no bare
// "value"), and check, auth and pull give examples and their exit codes.
func TestHelpIsUseful(t *testing.T) {
	for _, cmd := range []string{"check", "baseline", "auth", "pull", "rules", "completion"} {
		r := runCLI(t, t.TempDir(), nil, cmd, "--help")
		if r.code != exitOK {
			t.Fatalf("%s --help: exit %d", cmd, r.code)
		}
		if regexp.MustCompile(`--[a-z-]+ value`).MatchString(r.stdout) {
			t.Errorf("%s --help has a bare value placeholder:\n%s", cmd, r.stdout)
		}
		if (cmd == "check" || cmd == "auth" || cmd == "pull") && (!strings.Contains(r.stdout, "EXAMPLES:") || !strings.Contains(r.stdout, "EXIT CODES:")) {
			t.Errorf("%s --help has no examples or exit codes", cmd)
		}
	}
}

// TestDevVersion: a source build names its VCS revision, and says when
// its tree had changes.
func TestDevVersion(t *testing.T) {
	for _, tc := range []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{nil, "0.0.0-dev"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "63ca1f890c60e0b7a1dc9b57404ec48f1dd09bd5"}, {Key: "vcs.modified", Value: "false"}}, "0.0.0-dev+63ca1f890c60"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "63ca1f890c60e0b7a1dc9b57404ec48f1dd09bd5"}, {Key: "vcs.modified", Value: "true"}}, "0.0.0-dev+63ca1f890c60.dirty"},
	} {
		if got := devVersion(tc.settings); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.settings, got, tc.want)
		}
	}
}
