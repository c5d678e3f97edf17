package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckAgreesWithThePlugin runs check on every config of the plugin's
// and FinFocus's docs (testdata/realworld) and compares with the verdict
// the real plugin's loader gave it: a config the plugin refuses gets an
// error or a warning; a config it loads gets no error, and warnings only
// for values the API or finfocus-vantage refuses (plugin-compat) or for
// least-privilege advice (workspace-token-misuse).
func TestCheckAgreesWithThePlugin(t *testing.T) {
	root, err := filepath.Abs("../../testdata/realworld")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "verdicts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		file, verdict := parts[0], parts[1]
		n++
		t.Run(file, func(t *testing.T) {
			r := runCLI(t, filepath.Join(root, "configs"), nil, "check", "--format", "json", "--now", "2026-11-29", "--plugin-version", "1c637b6", "--config", file)
			var rep struct {
				Findings []struct{ Rule, Severity, Message string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("exit %d, invalid JSON: %v\n%s%s", r.code, err, r.stdout, r.stderr)
			}
			var loud []string
			for _, f := range rep.Findings {
				if f.Severity == "error" || f.Severity == "warning" {
					loud = append(loud, f.Severity+" "+f.Rule+": "+f.Message)
				}
				if verdict == "loaded" && (f.Severity == "error" ||
					f.Severity == "warning" && f.Rule != "plugin-compat" && f.Rule != "workspace-token-misuse") {
					t.Errorf("the plugin loads it, check says %s [%s]: %s", f.Severity, f.Rule, f.Message)
				}
				if verdict == "loaded" && f.Rule == "plugin-compat" && strings.Contains(f.Message, "refuses to load") {
					t.Errorf("the plugin loads it, check says it refuses: %s", f.Message)
				}
			}
			if verdict == "refused" && len(loud) == 0 {
				t.Errorf("the plugin refuses it (%s), check finds no error or warning", parts[2])
			}
		})
	}
	if n < 60 {
		t.Fatalf("only %d verdicts", n)
	}
}
