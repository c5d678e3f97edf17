package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
)

// fuzzNames are the file kinds every extractor sees: configs and
// manifests, Terraform, tfvars, scripts, Dockerfiles, workflows, dotenv
// and plain text.
var fuzzNames = []string{"vantage.yaml", "main.tf", "prod.tfvars", "main.tf.json", "ci.sh", "Dockerfile", ".github/workflows/ci.yml", ".gitlab-ci.yml", ".env", "notes.md"}

var fullToken = regexp.MustCompile(`vntg_tkn_[0-9a-f]{40}`)

// FuzzRules runs every rule on any content as every kind of file: no rule
// fails or panics, positions are inside the file, and no full token from
// the input reaches a message or snippet.
func FuzzRules(f *testing.F) {
	// Seed with the golden cases and the bad-input corpus.
	for _, glob := range []string{"../testdata/rules/*/*/*", "../testdata/rules/*/*/*/*", "../testdata/bad/*", "../testdata/examples/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b, uint8(len(p)))
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, kind uint8) {
		name := fuzzNames[int(kind)%len(fuzzNames)]
		dir := t.TempDir()
		path := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		r := rules.NewRunner(rules.Defaults(), &lint.Settings{Now: goldenNow, Cwd: dir, ResolveEnv: true, LookupEnv: func(string) (string, bool) { return "", false }})
		res, err := r.Run(context.Background(), []lint.Input{{Name: name, Path: path, Config: kind%3 == 0 && strings.HasSuffix(name, ".yaml")}})
		if err != nil {
			t.Fatalf("rule failure on %s: %v", name, err)
		}
		lines := strings.Count(string(src), "\n") + 1
		tokens := fullToken.FindAllString(string(src), -1)
		for _, fd := range res.Findings {
			if fd.Line < 1 || fd.Line > lines || fd.Column < 1 || fd.EndLine < fd.Line {
				t.Fatalf("%s: finding outside the file (%d lines): %s", name, lines, fd)
			}
			for _, tok := range tokens {
				if vantage.IsPlaceholder(tok) {
					continue
				}
				if strings.Contains(fd.String(), tok) || strings.Contains(fd.Snippet, tok) {
					t.Fatalf("%s: output leaks a token: %s\n%s", name, fd, fd.Snippet)
				}
			}
		}
	})
}

// FuzzConfig: the plugin config parser, schema and credential resolution
// never panic on any input, and every problem has a position in the file.
func FuzzConfig(f *testing.F) {
	files, _ := filepath.Glob("../testdata/rules/config-schema/*/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: 0.1\nsource: vantage\ncredentials:\n  token: ${A}${B}\nparams: {cost_report_token: [a, *x], page_size: 99999999999999999999}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file := lint.NewFile("vantage.yaml", src)
		file.Config = true
		y := file.YAML()
		if y.AST == nil {
			return
		}
		cfg := vantage.FromAST(y.AST)
		lines := file.LineCount()
		for _, p := range cfg.Validate() {
			if p.Range.Start.Line < 1 || p.Range.Start.Line > lines || p.Range.Start.Col < 1 || p.Message == "" {
				t.Fatalf("problem outside the file (%d lines): %+v", lines, p)
			}
		}
		_ = cfg.Settings()
		res := vantage.Resolver{Env: func(n string) (string, bool) { return "v-" + n, n != "UNSET" }}
		_, _ = res.Credentials(cfg)
	})
}
