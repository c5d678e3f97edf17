package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// scenario is an environment of testdata/plugin-versions/scenarios and
// the config it comes with.
type scenario struct {
	name, config string
	environ      []string
}

func loadScenarios(t *testing.T, root string) map[string]scenario {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "scenarios", "*.env"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in %s: %v", root, err)
	}
	out := map[string]scenario{}
	for _, f := range files {
		s := scenario{name: strings.TrimSuffix(filepath.Base(f), ".env")}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if c, ok := strings.CutPrefix(line, "# config: "); ok {
				s.config = c
				continue
			}
			name, val, ok := strings.Cut(line, "=")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			if strings.HasPrefix(val, `"`) {
				if val, err = strconv.Unquote(val); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
			s.environ = append(s.environ, name+"="+val)
		}
		fh.Close()
		if s.config == "" {
			t.Fatalf("%s names no config", f)
		}
		out[s.name] = s
	}
	return out
}

// pulumicostAdvice matches a message telling the user to set or use a
// PULUMICOST_ variable (naming one as ignored is fine).
var pulumicostAdvice = regexp.MustCompile(`(?i)\b(set|export|use|write|reference|add)\b[^.;]{0,40}\$?\{?PULUMICOST_`)

// TestEnvAgreesWithEachVersion: on the committed corpus of upgrade
// scenarios, check --env --config exits 1 with a plugin-env error exactly
// when that plugin version's own code refuses (verdicts.tsv, made by
// testdata/plugin-versions/oracle), and reports no error when it works.
// Under the default version no message tells a user to set a PULUMICOST
// variable.
func TestEnvAgreesWithEachVersion(t *testing.T) {
	root, _ := filepath.Abs("../../testdata/plugin-versions")
	scenarios := loadScenarios(t, root)
	b, err := os.ReadFile(filepath.Join(root, "verdicts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			t.Fatalf("verdicts.tsv: bad line %q", line)
		}
		name, version, verdict := cols[0], cols[1], cols[2]
		s, ok := scenarios[name]
		if !ok {
			t.Fatalf("verdicts.tsv names %s, which has no scenario", name)
		}
		seen[name]++
		t.Run(name+"@"+version, func(t *testing.T) {
			r := runCLI(t, root, s.environ, "check", "--env", "--format", "json", "--now", "2026-11-29",
				"--plugin-version", version, "--config", filepath.Join("configs", s.config))
			var rep struct {
				Findings []struct{ Rule, Severity, Message, File string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("exit %d, not JSON: %v\n%s%s", r.code, err, r.stdout, r.stderr)
			}
			var envErrors, otherErrors []string
			for _, f := range rep.Findings {
				switch {
				case f.Severity == "error" && f.Rule == "plugin-env":
					envErrors = append(envErrors, f.File+": "+f.Message)
				case f.Severity == "error":
					otherErrors = append(otherErrors, f.Rule+": "+f.Message)
				}
				if version == "v0.1.1" && pulumicostAdvice.MatchString(f.Message) {
					t.Errorf("the default version tells the user to use a PULUMICOST variable: [%s] %s", f.Rule, f.Message)
				}
			}
			if len(otherErrors) > 0 {
				t.Errorf("errors from the config rules muddle the verdict: %q", otherErrors)
			}
			switch verdict {
			case "refuses":
				if r.code != exitFindings || len(envErrors) == 0 {
					t.Errorf("the plugin refuses (%s), but check --env exits %d with no plugin-env error:\n%s", strings.Join(cols[3:], " "), r.code, r.stdout)
				}
			case "loads", "accepts":
				if r.code != exitOK || len(envErrors) > 0 {
					t.Errorf("the plugin works, but check --env exits %d: %q", r.code, envErrors)
				}
			default:
				t.Fatalf("verdicts.tsv: unknown verdict %q", verdict)
			}
		})
	}
	for name := range scenarios {
		if seen[name] != 2 {
			t.Errorf("scenario %s has %d verdicts; want one per plugin version (run oracle/make-verdicts.sh)", name, seen[name])
		}
	}
}
